//! One statement and its arguments.

use super::{storage_error, Executor, Row};
use crate::Result;
use sqlx::encode::Encode;
use sqlx::postgres::PgArguments;
use sqlx::sqlite::SqliteArguments;
use sqlx::{Arguments, Postgres, Sqlite, Type};
use std::borrow::Cow;

/// A value both engines can bind. Implemented for every type sqlx encodes
/// on both (integers, text, booleans, chrono's dates and times, options
/// of those, references to them).
pub trait Bind<'q>:
    Encode<'q, Sqlite> + Type<Sqlite> + Encode<'q, Postgres> + Type<Postgres> + Clone + Send + 'q
{
}

impl<'q, T> Bind<'q> for T where
    T: Encode<'q, Sqlite> + Type<Sqlite> + Encode<'q, Postgres> + Type<Postgres> + Clone + Send + 'q
{
}

/// The arguments of a statement, for either engine: each value is added
/// to both. PostgreSQL's copy is a clone, which costs nothing for what the
/// storage binds (numbers, dates, borrowed text) except an owned `String`.
#[derive(Default)]
pub(super) struct Args<'q> {
    pub(super) sqlite: SqliteArguments<'q>,
    pub(super) pg: PgArguments,
    pub(super) error: Option<sqlx::error::BoxDynError>,
}

impl<'q> Args<'q> {
    pub(super) fn add<T: Bind<'q>>(&mut self, value: T) {
        if self.error.is_some() {
            return;
        }
        if let Err(e) = Arguments::add(&mut self.pg, value.clone()) {
            self.error = Some(e);
        } else if let Err(e) = Arguments::add(&mut self.sqlite, value) {
            self.error = Some(e);
        }
    }

    pub(super) fn len(&self) -> usize {
        Arguments::len(&self.pg)
    }
}

/// A statement with its arguments, as [`sqlx::query::Query`].
#[must_use = "a query does nothing until executed"]
pub struct Query<'q> {
    sql: Cow<'q, str>,
    args: Args<'q>,
}

/// A statement to run: `$N` placeholders, arguments bound in order. The
/// text may be borrowed (`&'static str`, `&String`) or owned (`String`).
pub fn query<'q>(sql: impl Into<Cow<'q, str>>) -> Query<'q> {
    Query { sql: sql.into(), args: Args::default() }
}

impl<'q> Query<'q> {
    pub(super) fn with(sql: impl Into<Cow<'q, str>>, args: Args<'q>) -> Self {
        let sql = sql.into();
        Query { sql, args }
    }

    /// Binds the next parameter.
    pub fn bind<T: Bind<'q>>(mut self, value: T) -> Self {
        self.args.add(value);
        self
    }

    fn parts(self) -> Result<(Cow<'q, str>, SqliteArguments<'q>, PgArguments)> {
        match self.args.error {
            Some(e) => Err(storage_error(sqlx::Error::Encode(e))),
            None => Ok((self.sql, self.args.sqlite, self.args.pg)),
        }
    }

    /// Runs the statement; how many rows it changed.
    pub async fn execute<'e>(self, executor: impl Into<Executor<'e>>) -> Result<QueryResult> {
        let (sql, sqlite, pg) = self.parts()?;
        let rows_affected = match executor.into() {
            Executor::SqlitePool(p) => sqlx::query_with(&sql, sqlite).execute(p).await.map(|r| r.rows_affected()),
            Executor::Sqlite(c) => sqlx::query_with(&sql, sqlite).execute(c).await.map(|r| r.rows_affected()),
            Executor::PgPool(p) => sqlx::query_with(&sql, pg).execute(p).await.map(|r| r.rows_affected()),
            Executor::Postgres(c) => sqlx::query_with(&sql, pg).execute(c).await.map(|r| r.rows_affected()),
        }
        .map_err(storage_error)?;
        Ok(QueryResult { rows_affected })
    }

    /// Every row the statement returns.
    pub async fn fetch_all<'e>(self, executor: impl Into<Executor<'e>>) -> Result<Vec<Row>> {
        let (sql, sqlite, pg) = self.parts()?;
        match executor.into() {
            Executor::SqlitePool(p) => sqlx::query_with(&sql, sqlite).fetch_all(p).await.map(rows),
            Executor::Sqlite(c) => sqlx::query_with(&sql, sqlite).fetch_all(c).await.map(rows),
            Executor::PgPool(p) => sqlx::query_with(&sql, pg).fetch_all(p).await.map(rows),
            Executor::Postgres(c) => sqlx::query_with(&sql, pg).fetch_all(c).await.map(rows),
        }
        .map_err(storage_error)
    }

    /// The first row; [`sqlx::Error::RowNotFound`] if there is none.
    /// Runs the statement to its end, as [`Query::fetch_optional`] does.
    pub async fn fetch_one<'e>(self, executor: impl Into<Executor<'e>>) -> Result<Row> {
        self.fetch_optional(executor).await?.ok_or_else(|| storage_error(sqlx::Error::RowNotFound))
    }

    /// The first row, if any. The statement is run to its end, never left
    /// after its first row: SQLite commits an autocommit write (`INSERT …
    /// RETURNING`) when its statement ends, and sqlx ignores the error of
    /// a statement it stops early and resets — on a full disk the write
    /// was answered as done and was lost. Read to its end, a failed commit
    /// is this call's error. Statements read this way return one row (a
    /// key, `RETURNING`, `LIMIT 1`), so reading to the end costs nothing.
    pub async fn fetch_optional<'e>(self, executor: impl Into<Executor<'e>>) -> Result<Option<Row>> {
        Ok(self.fetch_all(executor).await?.into_iter().next())
    }
}

fn rows<R: Into<Row>>(rows: Vec<R>) -> Vec<Row> {
    rows.into_iter().map(Into::into).collect()
}

/// What a statement did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct QueryResult {
    rows_affected: u64,
}

impl QueryResult {
    pub fn rows_affected(&self) -> u64 {
        self.rows_affected
    }
}
