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

/// A transaction for a use-case's writes, holding the writer turn (SQLite)
/// until it commits or rolls back. It dereferences to the connection, so
/// `&mut *tx` is an executor just as with a plain `sqlx::Transaction`.
pub struct WriteTx<DB: sqlx::Database> {
    // Fields drop in order: the transaction (rolling back) before the turn.
    tx: sqlx::Transaction<'static, DB>,
    turn: Option<WriterTurn>,
}

impl<DB: sqlx::Database> WriteTx<DB> {
    pub fn new(tx: sqlx::Transaction<'static, DB>, turn: Option<WriterTurn>) -> Self {
        Self { tx, turn }
    }

    /// Commits, then lets the next writer in.
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        let WriteTx { tx, turn } = self;
        let done = tx.commit().await;
        drop(turn);
        done
    }

    /// Rolls back, then lets the next writer in.
    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        let WriteTx { tx, turn } = self;
        let done = tx.rollback().await;
        drop(turn);
        done
    }
}

impl<DB: sqlx::Database> Deref for WriteTx<DB> {
    type Target = DB::Connection;

    fn deref(&self) -> &Self::Target {
        &self.tx
    }
}

impl<DB: sqlx::Database> DerefMut for WriteTx<DB> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.tx
    }
}
