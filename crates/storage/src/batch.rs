//! Several statements sent as one (SQLite).
//!
//! SQLite runs on its own worker thread per connection, and every statement
//! is a round trip to it; while a write transaction holds the database,
//! each of those round trips keeps every other writer waiting. sqlx's
//! SQLite driver runs a text of several statements in one round trip and
//! binds `$N` to the N-th argument of the whole text, so a batch is the
//! statements' own SQL, numbered on from the parameters of those before
//! it, with their arguments bound in the same order. PostgreSQL's
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

/// A text of statements, each ending with `;`. Their `$N` placeholders
/// run on from one statement to the next: the statements are written
/// with one [`crate::sql::order_plan::Placeholders`] for the whole batch.
#[derive(Debug, Default, Clone)]
pub struct Batch {
    text: String,
}

impl Batch {
    /// Appends a statement.
    pub fn push(&mut self, statement: &str) {
        self.text.push_str(statement);
        self.text.push_str(";\n");
    }

    pub fn text(&self) -> &str {
        &self.text
    }
}
