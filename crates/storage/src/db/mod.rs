//! A thin concrete layer over sqlx that dispatches on the engine.
//!
//! The storage code is written once, as plain Rust, against these types;
//! each of them is an enum over sqlx's SQLite and PostgreSQL types, and
//! every call matches on the engine and hands the work to sqlx. Nothing
//! here is generic over `sqlx::Database`: two concrete engines keep the
//! bounds simple (no higher-ranked `Executor` bounds in async code) and
//! the code compiles once. The names mirror sqlx's (`query`, `bind`,
//! `execute`, `fetch_all`, `Row::try_get`, `QueryBuilder`), so a query
//! reads as it would with sqlx itself.
//!
//! Statements are prepared and cached per connection as sqlx does by
//! default (`persistent`). SQL is written with `$N` placeholders, which
//! both engines accept; [`QueryBuilder`] emits them too.

mod builder;
mod copy;
mod error;
mod query;
mod row;

pub use builder::{QueryBuilder, Separated};
pub use copy::{write_rows, BulkRow, BulkValue, CopyText};
pub use error::{error_code, storage_error};
pub use query::{query, Bind, Query, QueryResult};
pub use row::{ColumnIndex, Decode, Row};

use crate::Result;
use sqlx::pool::PoolConnection as SqlxPoolConnection;
use sqlx::{PgConnection, PgPool, Postgres, Sqlite, SqliteConnection, SqlitePool};
use std::ops::{Deref, DerefMut};

/// A pool of connections to one of the two engines.
#[derive(Debug, Clone)]
pub enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

impl Pool {
    /// A connection of the pool, as [`sqlx::Pool::acquire`].
    pub async fn acquire(&self) -> Result<PoolConnection> {
        Ok(PoolConnection(match self {
            Pool::Sqlite(p) => Connection::Sqlite(p.acquire().await.map_err(storage_error)?),
            Pool::Postgres(p) => Connection::Postgres(p.acquire().await.map_err(storage_error)?),
        }))
    }

    /// The SQLite pool, if this is one.
    pub fn as_sqlite(&self) -> Option<&SqlitePool> {
        match self {
            Pool::Sqlite(p) => Some(p),
            Pool::Postgres(_) => None,
        }
    }

    /// The PostgreSQL pool, if this is one.
    pub fn as_postgres(&self) -> Option<&PgPool> {
        match self {
            Pool::Postgres(p) => Some(p),
            Pool::Sqlite(_) => None,
        }
    }

    /// Closes every connection of the pool, as [`sqlx::Pool::close`].
    pub async fn close(&self) {
        match self {
            Pool::Sqlite(p) => p.close().await,
            Pool::Postgres(p) => p.close().await,
        }
    }
}

impl From<SqlitePool> for Pool {
    fn from(p: SqlitePool) -> Self {
        Pool::Sqlite(p)
    }
}

impl From<PgPool> for Pool {
    fn from(p: PgPool) -> Self {
        Pool::Postgres(p)
    }
}

/// A connection taken from a [`Pool`] (what a pooled connection or a
/// transaction dereferences to, so `&mut *conn` and `&mut *tx` are
/// executors).
#[derive(Debug)]
pub enum Connection {
    Sqlite(SqlxPoolConnection<Sqlite>),
    Postgres(SqlxPoolConnection<Postgres>),
}

impl Connection {
    /// Closes the connection when dropped instead of handing it back to
    /// the pool, which opens a fresh one when needed.
    pub fn close_on_drop(&mut self) {
        match self {
            Connection::Sqlite(c) => c.close_on_drop(),
            Connection::Postgres(c) => c.close_on_drop(),
        }
    }

    /// Runs `sql` unprepared (`BEGIN`, `COMMIT`, `ROLLBACK`): PostgreSQL's
    /// simple protocol, one round trip.
    pub async fn execute_unprepared(&mut self, sql: &'static str) -> Result<()> {
        match self {
            Connection::Sqlite(c) => sqlx::Executor::execute(&mut **c, sql).await.map(|_| ()),
            Connection::Postgres(c) => sqlx::Executor::execute(&mut **c, sql).await.map(|_| ()),
        }
        .map_err(storage_error)
    }
}

/// A connection held outside the pool until dropped, as sqlx's
/// `PoolConnection`; it dereferences to [`Connection`].
#[derive(Debug)]
pub struct PoolConnection(Connection);

impl PoolConnection {
    /// See [`Connection::close_on_drop`].
    pub fn close_on_drop(&mut self) {
        self.0.close_on_drop()
    }

    pub fn into_inner(self) -> Connection {
        self.0
    }
}

impl From<SqlxPoolConnection<Sqlite>> for PoolConnection {
    fn from(c: SqlxPoolConnection<Sqlite>) -> Self {
        PoolConnection(Connection::Sqlite(c))
    }
}

impl From<SqlxPoolConnection<Postgres>> for PoolConnection {
    fn from(c: SqlxPoolConnection<Postgres>) -> Self {
        PoolConnection(Connection::Postgres(c))
    }
}

impl Deref for PoolConnection {
    type Target = Connection;

    fn deref(&self) -> &Connection {
        &self.0
    }
}

impl DerefMut for PoolConnection {
    fn deref_mut(&mut self) -> &mut Connection {
        &mut self.0
    }
}

/// Where a statement runs: a pool (any free connection) or one connection.
#[derive(Debug)]
pub enum Executor<'e> {
    SqlitePool(&'e SqlitePool),
    PgPool(&'e PgPool),
    Sqlite(&'e mut SqliteConnection),
    Postgres(&'e mut PgConnection),
}

impl<'e> From<&'e Pool> for Executor<'e> {
    fn from(p: &'e Pool) -> Self {
        match p {
            Pool::Sqlite(p) => Executor::SqlitePool(p),
            Pool::Postgres(p) => Executor::PgPool(p),
        }
    }
}

impl<'e> From<&'e mut Connection> for Executor<'e> {
    fn from(c: &'e mut Connection) -> Self {
        match c {
            Connection::Sqlite(c) => Executor::Sqlite(&mut *c),
            Connection::Postgres(c) => Executor::Postgres(&mut *c),
        }
    }
}

impl<'e> From<&'e mut PoolConnection> for Executor<'e> {
    fn from(c: &'e mut PoolConnection) -> Self {
        Executor::from(&mut c.0)
    }
}

impl<'e> From<&'e mut SqliteConnection> for Executor<'e> {
    fn from(c: &'e mut SqliteConnection) -> Self {
        Executor::Sqlite(c)
    }
}

impl<'e> From<&'e mut PgConnection> for Executor<'e> {
    fn from(c: &'e mut PgConnection) -> Self {
        Executor::Postgres(c)
    }
}

impl<'e> From<&'e SqlitePool> for Executor<'e> {
    fn from(p: &'e SqlitePool) -> Self {
        Executor::SqlitePool(p)
    }
}

impl<'e> From<&'e PgPool> for Executor<'e> {
    fn from(p: &'e PgPool) -> Self {
        Executor::PgPool(p)
    }
}
