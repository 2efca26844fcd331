//! Write transactions and the in-process writer queue.
//!
//! SQLite has one writer at a time. Left to itself, a second writer waits
//! in SQLite's busy handler, which sleeps 1, 2, 5, 10 … up to 100 ms
//! between tries and so wakes up long after the lock was freed (measured
//! in the order benchmark: p99 156 ms, single waits of 2–3 s, a write rate
//! that does not grow beyond one writer). The SQLite backend therefore
//! queues its writers here, on a fair async mutex: a writer that waits is
//! woken the moment the previous one commits. PostgreSQL has row locks and
//! needs no queue; its transactions carry no turn.
//!
//! The queue is per storage instance (per process). Other processes on
//! the same SQLite file (a CLI run next to the server) still meet the busy
//! handler, which remains the fallback.

use crate::db::{Connection, PoolConnection};
use std::ops::{Deref, DerefMut};
use std::sync::Arc;
use tokio::sync::{Mutex, OwnedMutexGuard};

/// The queue of writers: whoever holds a [`WriterTurn`] may write.
#[derive(Debug, Clone, Default)]
pub struct WriterQueue(Arc<Mutex<()>>);

impl WriterQueue {
    /// Waits (first come, first served) until no other writer of this
    /// process is writing.
    pub async fn turn(&self) -> WriterTurn {
        WriterTurn(self.0.clone().lock_owned().await)
    }
}

/// The right to write, until dropped.
#[derive(Debug)]
pub struct WriterTurn(#[allow(dead_code)] OwnedMutexGuard<()>);

/// A transaction on a connection of its own, holding the writer turn
/// (SQLite) until it ends. It sends `BEGIN`, `COMMIT` and `ROLLBACK`
/// itself and hands its connection back to the pool only outside a
/// transaction:
///
/// - committed or rolled back: the connection goes back to the pool;
/// - a `COMMIT` that fails: rolled back at once, and the error returned;
/// - dropped unfinished (a statement failed and `?` returned, the caller
///   went away): rolled back in the background, still holding the turn;
/// - a `ROLLBACK` that fails, or no runtime to send one on: the
///   connection is closed, never handed on in an unknown state, and the
///   pool opens a fresh one.
///
/// It dereferences to the connection, so `&mut *tx` is an executor.
pub struct WriteTx {
    conn: Option<PoolConnection>,
    state: TxState,
    turn: Option<WriterTurn>,
}

/// Where a [`WriteTx`]'s connection stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TxState {
    /// Inside the transaction, or not known to be outside it.
    Open,
    /// Committed or rolled back: the connection may go back to the pool.
    Ended,
    /// Not known and not recoverable: the connection is closed on drop.
    Broken,
}

impl WriteTx {
    /// Begins a transaction on `conn`.
    pub async fn begin(conn: PoolConnection, turn: Option<WriterTurn>) -> crate::Result<Self> {
        let mut tx = Self::open(conn, turn);
        tx.execute_unprepared("BEGIN").await?;
        Ok(tx)
    }

    /// A transaction whose `BEGIN` the caller sends (a batch starting with
    /// it, [`crate::batch::BatchTx`]): counted as open from now on.
    pub fn open(conn: PoolConnection, turn: Option<WriterTurn>) -> Self {
        Self { conn: Some(conn), state: TxState::Open, turn }
    }

    /// The connection, for statements of the transaction.
    pub fn conn(&mut self) -> &mut Connection {
        self.conn.as_mut().expect("the connection is held until drop")
    }

    async fn execute_unprepared(&mut self, sql: &'static str) -> crate::Result<()> {
        self.conn().execute_unprepared(sql).await
    }

    /// Commits, then lets the next writer in. A failed `COMMIT` is rolled
    /// back before the error is returned.
    pub async fn commit(mut self) -> crate::Result<()> {
        match self.execute_unprepared("COMMIT").await {
            Ok(()) => {
                self.state = TxState::Ended;
                Ok(())
            }
            Err(e) => {
                self.end_with_rollback().await;
                Err(e)
            }
        }
    }

    /// Rolls back, then lets the next writer in.
    pub async fn rollback(mut self) -> crate::Result<()> {
        let done = self.execute_unprepared("ROLLBACK").await;
        self.state = if done.is_ok() { TxState::Ended } else { TxState::Broken };
        done
    }

    /// Rolls back whatever is open; closes the connection if that fails
    /// (the transaction never began, or the connection broke).
    pub async fn end_with_rollback(&mut self) {
        let done = self.execute_unprepared("ROLLBACK").await;
        self.state = if done.is_ok() { TxState::Ended } else { TxState::Broken };
    }

    /// The transaction ended in a statement the caller sent (a batch
    /// ending with `COMMIT`).
    pub fn ended(&mut self) {
        self.state = TxState::Ended;
    }
}

impl Deref for WriteTx {
    type Target = Connection;

    fn deref(&self) -> &Connection {
        self.conn.as_ref().expect("the connection is held until drop")
    }
}

impl DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut Connection {
        self.conn()
    }
}

impl Drop for WriteTx {
    fn drop(&mut self) {
        let Some(mut conn) = self.conn.take() else { return };
        match self.state {
            // Back to the pool, then the turn goes.
            TxState::Ended => drop(conn),
            TxState::Broken => conn.close_on_drop(),
            TxState::Open => match tokio::runtime::Handle::try_current() {
                Ok(runtime) => {
                    let rollback = Unfinished { conn: Some(conn), turn: self.turn.take() };
                    runtime.spawn(rollback.run());
                }
                Err(_) => conn.close_on_drop(),
            },
        }
    }
}

/// The rollback of a transaction dropped unfinished, sent in the
/// background; if the task never completes (its runtime stops) the
/// connection is closed, not handed back.
struct Unfinished {
    conn: Option<PoolConnection>,
    #[allow(dead_code)] // held until the connection is back
    turn: Option<WriterTurn>,
}

impl Unfinished {
    async fn run(mut self) {
        let mut conn = self.conn.take().expect("taken once");
        if conn.execute_unprepared("ROLLBACK").await.is_err() {
            conn.close_on_drop();
        }
        // `conn` goes back to the pool (or is closed), then the turn.
        drop(conn);
    }
}

impl Drop for Unfinished {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.as_mut() {
            conn.close_on_drop();
        }
    }
}
