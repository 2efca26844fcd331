//! Several statements sent as one (SQLite).
//!
//! SQLite runs on its own worker thread per connection, and every statement
//! is a round trip to it; while a write transaction holds the database,
//! each of those round trips keeps every other writer waiting. sqlx's
//! SQLite driver runs a text of several statements in one round trip and
//! binds `$N` to the N-th argument of the whole text, so a batch is the
//! statements' own SQL, each renumbered past the parameters of those
//! before it, with their arguments bound in the same order. PostgreSQL's
//! extended protocol takes one statement at a time: batches are SQLite's.

use crate::db::{Connection, PoolConnection};
use crate::write_tx::{WriteTx, WriterTurn};

/// A transaction sent in batches: the first batch begins with `BEGIN`, the
/// last ends with `COMMIT`, so the transaction costs no round trips of its
/// own. Holds the writer turn (SQLite) until it ends. A batch that fails
/// leaves the transaction open, so [`BatchTx::abort`] rolls it back; one
/// dropped unfinished is rolled back as a [`WriteTx`] is, and its
/// connection closed if that fails, never handed on mid-transaction.
pub struct BatchTx(WriteTx);

impl BatchTx {
    pub fn new(conn: PoolConnection, turn: Option<WriterTurn>) -> Self {
        Self(WriteTx::open(conn, turn))
    }

    /// The connection to send the batches on.
    pub fn conn(&mut self) -> &mut Connection {
        self.0.conn()
    }

    /// The last batch (with its `COMMIT`) went through.
    pub fn finish(mut self) {
        self.0.ended();
    }

    /// Rolls back what the batches sent so far; closes the connection if
    /// even that fails (no transaction had begun, or the connection broke).
    pub async fn abort(mut self) {
        self.0.end_with_rollback().await;
    }
}

/// A text of statements whose parameters are numbered one after another.
#[derive(Debug, Default, Clone)]
pub struct Batch {
    text: String,
    parameters: usize,
}

impl Batch {
    /// Appends a statement written with its own `$1`, `$2`, … parameters.
    pub fn push(&mut self, statement: &str) {
        let (renumbered, used) = renumber(statement, self.parameters);
        self.text.push_str(&renumbered);
        self.text.push_str(";\n");
        self.parameters += used;
    }

    pub fn text(&self) -> &str {
        &self.text
    }
}

/// `statement` with each `$N` made `$(N + base)`, and the highest N in it.
/// Our statements hold no `$` inside string literals.
fn renumber(statement: &str, base: usize) -> (String, usize) {
    renumber_with(statement, base, &[])
}

/// [`renumber`], with the parameters named in `replaced` written as the
/// given SQL instead (a value another part of the same statement makes,
/// such as `(SELECT id FROM ord)`). Their arguments are still bound, and
/// go unused.
pub fn renumber_with(statement: &str, base: usize, replaced: &[(usize, &str)]) -> (String, usize) {
    let mut out = String::with_capacity(statement.len() + 16);
    let mut highest = 0;
    let mut rest = statement;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..=at]);
        rest = &rest[at + 1..];
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            continue;
        }
        let n: usize = rest[..digits].parse().expect("digits parse");
        highest = highest.max(n);
        match replaced.iter().find(|(k, _)| *k == n) {
            Some((_, sql)) => {
                out.pop(); // the `$`
                out.push_str(sql);
            }
            None => out.push_str(&(n + base).to_string()),
        }
        rest = &rest[digits..];
    }
    out.push_str(rest);
    (out, highest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_statement_is_numbered_past_the_parameters_of_those_before_it() {
        let mut b = Batch::default();
        b.push("INSERT INTO t (a, b, c) VALUES ($1, $2, $2)");
        b.push("UPDATE u SET x = $2 WHERE id = $1 AND y = $10");
        b.push("DELETE FROM v WHERE id = $1");
        assert_eq!(
            b.text(),
            "INSERT INTO t (a, b, c) VALUES ($1, $2, $2);\n\
             UPDATE u SET x = $4 WHERE id = $3 AND y = $12;\n\
             DELETE FROM v WHERE id = $13;\n"
        );
    }

    #[test]
    fn a_replaced_parameter_becomes_its_sql_and_still_counts() {
        let (sql, used) = renumber_with("VALUES ($1, $2, $3)", 10, &[(2, "(SELECT id FROM ord)")]);
        assert_eq!((sql.as_str(), used), ("VALUES ($11, (SELECT id FROM ord), $13)", 3));
    }

    #[test]
    fn a_dollar_sign_without_digits_is_left_alone() {
        assert_eq!(renumber("SELECT '$' || $1", 5), ("SELECT '$' || $6".to_string(), 1));
    }
}
