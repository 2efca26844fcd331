//! Bulk rows for either engine: PostgreSQL's `COPY … FROM STDIN`, or
//! multi-row `INSERT`s where the engine has no `COPY` (SQLite).
//!
//! Why: at region scale the demo load writes ~3 M rows; PostgreSQL parses,
//! plans and binds a 65,535-parameter `INSERT` per ~6,000 rows, while
//! `COPY` streams the rows as text through one statement per table (the
//! figures before and after are in `docs/BENCHMARKS.md`, "Demo data
//! load"). SQLite has no `COPY`; its bulk inserts stay
//! [`QueryBuilder::push_values`] in chunks its bind rate allows.
//!
//! A row is written once, through [`BulkRow::push`], and lands either as
//! bound parameters or as a line of `COPY`'s text format.

use super::builder::{QueryBuilder, Separated};
use super::query::Bind;
use super::{storage_error, Connection};
use crate::Result;
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use std::fmt::Write;

/// A value that can be bound or written as `COPY` text.
pub trait BulkValue<'a>: Bind<'a> + CopyText {}

impl<'a, T: Bind<'a> + CopyText> BulkValue<'a> for T {}

/// How a value is spelled in PostgreSQL's `COPY` text format: the type's
/// input syntax, with backslash, tab, newline and carriage return escaped,
/// and `\N` for NULL.
pub trait CopyText {
    fn copy_text(&self, out: &mut String);
}

impl CopyText for i64 {
    fn copy_text(&self, out: &mut String) {
        write!(out, "{self}").expect("writing to a String");
    }
}

impl CopyText for i32 {
    fn copy_text(&self, out: &mut String) {
        write!(out, "{self}").expect("writing to a String");
    }
}

impl CopyText for f64 {
    fn copy_text(&self, out: &mut String) {
        write!(out, "{self}").expect("writing to a String");
    }
}

impl CopyText for bool {
    fn copy_text(&self, out: &mut String) {
        out.push(if *self { 't' } else { 'f' });
    }
}

impl CopyText for &str {
    fn copy_text(&self, out: &mut String) {
        for c in self.chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                '\t' => out.push_str("\\t"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                c => out.push(c),
            }
        }
    }
}

impl CopyText for &String {
    fn copy_text(&self, out: &mut String) {
        self.as_str().copy_text(out)
    }
}

impl CopyText for String {
    fn copy_text(&self, out: &mut String) {
        self.as_str().copy_text(out)
    }
}

impl CopyText for &Option<String> {
    fn copy_text(&self, out: &mut String) {
        self.as_deref().copy_text(out)
    }
}

impl CopyText for NaiveDate {
    fn copy_text(&self, out: &mut String) {
        write!(out, "{}", self.format("%Y-%m-%d")).expect("writing to a String");
    }
}

impl CopyText for DateTime<Utc> {
    fn copy_text(&self, out: &mut String) {
        out.push_str(&self.to_rfc3339_opts(SecondsFormat::AutoSi, true));
    }
}

impl<T: CopyText> CopyText for Option<T> {
    fn copy_text(&self, out: &mut String) {
        match self {
            Some(v) => v.copy_text(out),
            None => out.push_str("\\N"),
        }
    }
}

/// One row being written: its values go to the statement's parameters or
/// to the `COPY` line.
pub struct BulkRow<'s, 'qb, 'a> {
    target: Target<'s, 'qb, 'a>,
    first: bool,
}

enum Target<'s, 'qb, 'a> {
    Values(Separated<'qb, 'a, &'static str>),
    Copy(&'s mut String),
}

impl<'a> BulkRow<'_, '_, 'a> {
    /// Appends the row's next value (in the order of the columns).
    pub fn push<V: BulkValue<'a>>(&mut self, value: V) -> &mut Self {
        match &mut self.target {
            Target::Values(b) => {
                b.push_bind(value);
            }
            Target::Copy(line) => {
                if !self.first {
                    line.push('\t');
                }
                value.copy_text(line);
            }
        }
        self.first = false;
        self
    }
}

/// How many bytes of `COPY` text are sent at a time.
const COPY_CHUNK: usize = 1 << 20;

/// Writes `rows` into `table (columns)` on `conn` (inside the caller's
/// transaction): `COPY` on PostgreSQL, `INSERT`s of `chunk` rows each on
/// SQLite. `row` pushes one row's values in the order of `columns`.
pub async fn write_rows<'a, T: Sync>(
    conn: &mut Connection,
    table: &str,
    columns: &[&str],
    chunk: usize,
    rows: &'a [T],
    row: impl Fn(&mut BulkRow<'_, '_, 'a>, &'a T) + Send + Sync,
) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let list = columns.join(", ");
    match conn {
        Connection::Postgres(c) => {
            let mut copy = c.copy_in_raw(&format!("COPY {table} ({list}) FROM STDIN")).await.map_err(storage_error)?;
            let mut text = String::with_capacity(COPY_CHUNK + 4096);
            for r in rows {
                row(&mut BulkRow { target: Target::Copy(&mut text), first: true }, r);
                text.push('\n');
                if text.len() >= COPY_CHUNK {
                    copy.send(text.as_bytes()).await.map_err(storage_error)?;
                    text.clear();
                }
            }
            if !text.is_empty() {
                copy.send(text.as_bytes()).await.map_err(storage_error)?;
            }
            copy.finish().await.map_err(storage_error)?;
        }
        Connection::Sqlite(_) => {
            let head = format!("INSERT INTO {table} ({list}) ");
            for part in rows.chunks(chunk.max(1)) {
                QueryBuilder::new(head.as_str())
                    .push_values(part, |b, r| row(&mut BulkRow { target: Target::Values(b), first: true }, r))
                    .build()
                    .execute(&mut *conn)
                    .await?;
            }
        }
    }
    Ok(())
}
