//! Storage on embedded SQLite: the default when no database URL is given.
//! WAL journal, foreign keys on. Writers of this process take turns on an
//! in-process queue ([`WriterQueue`]) instead of sleep-polling in SQLite's
//! busy handler; the busy timeout stays as the fallback for other
//! processes writing the same file.
//!
//! The SQL itself is [`SqlStorage`]'s, shared with PostgreSQL; this crate
//! opens the pools and implements [`Dialect`] for SQLite: the writer turn
//! and its one writer connection, the writer thread, the checkpointer
//! ([`checkpoint`]), FTS5 text search and the planner's statistics.

mod checkpoint;

use async_trait::async_trait;
use ramp_storage::batch::BatchTx;
use ramp_storage::db::{storage_error, Pool, QueryBuilder};
use ramp_storage::write_tx::{WriteTx, WriterQueue, WriterTurn};
use ramp_storage::writer_thread::WriterThread;
use ramp_storage::{Dialect, DirectPlacement, NewDirectOrder, Result, SqlStorage, StorageError};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;
use std::any::Any;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

/// How much of the database file each connection may map (1 GiB).
const MMAP_BYTES: u64 = 1 << 30;

/// The writer connection's page cache, as SQLite's negative `cache_size` (KiB).
const WRITER_CACHE_KIB: i64 = -65_536;

/// Opens Ramp's storage on one SQLite file.
pub struct SqliteStorage;

impl SqliteStorage {
    /// Opens (creating if missing) the database at a `sqlite:` URL, e.g.
    /// `sqlite:data/ramp.db` or `sqlite::memory:`.
    pub async fn connect(url: &str) -> Result<SqlStorage> {
        let options = SqliteConnectOptions::from_str(url)
            .map_err(|e| StorageError::Database(e.into()))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            // Pages read through a memory map instead of a `pread` copy
            // each: reading a region's month of loans for the invoice run
            // spent a tenth of its time copying pages (issue 19).
            .pragma("mmap_size", MMAP_BYTES.to_string());
        let in_memory = url.contains(":memory:");
        // No ping before every use: the connection is in this process, and
        // a ping is a round trip to its worker thread per statement.
        let pool = SqlitePoolOptions::new()
            // An in-memory database lives in one connection only.
            .max_connections(if in_memory { 1 } else { 8 })
            .test_before_acquire(false)
            .connect_with(options.clone())
            .await
            .map_err(storage_error)?;
        let writer_thread = WriterThread::start("ramp-sqlite-writer")?;
        let alive = Arc::new(());
        let writer = match in_memory {
            true => pool.clone(),
            false => {
                writer_thread.spawn(checkpoint::run(options.clone(), Arc::downgrade(&alive)));
                // The writer's page cache holds a batch of invoices' index
                // pages (64 MB) rather than spilling them mid-transaction.
                let options = options
                    .pragma("wal_autocheckpoint", checkpoint::WRITER_AUTOCHECKPOINT_PAGES.to_string())
                    .pragma("cache_size", WRITER_CACHE_KIB.to_string());
                SqlitePoolOptions::new()
                    .max_connections(1)
                    .test_before_acquire(false)
                    .connect_with(options)
                    .await
                    .map_err(storage_error)?
            }
        };
        let dialect = SqliteDialect {
            pool: pool.clone(),
            writer: Pool::Sqlite(writer),
            writers: WriterQueue::default(),
            writer_thread,
            alive,
        };
        Ok(SqlStorage::new(Pool::Sqlite(pool), Arc::new(dialect)))
    }
}

/// SQLite's [`Dialect`], with what the engine needs of its own.
struct SqliteDialect {
    pool: SqlitePool,
    /// The one connection write transactions run on (the same pool as
    /// `pool` for an in-memory database). Only it writes in turn, so its
    /// page cache stays warm: SQLite empties a connection's cache whenever
    /// another connection has written.
    writer: Pool,
    writers: WriterQueue,
    /// Where the busiest write transactions run (see [`WriterThread`]).
    writer_thread: WriterThread,
    /// While the storage lives, the checkpointer ([`checkpoint`]) runs.
    #[allow(dead_code)] // held, never read
    alive: Arc<()>,
}

#[async_trait]
impl Dialect for SqliteDialect {
    fn engine(&self) -> &'static str {
        "sqlite"
    }

    async fn migrate(&self) -> Result<()> {
        sqlx::migrate!("./migrations").run(&self.pool).await.map_err(|e| StorageError::Migrate(e.into()))?;
        let _turn = self.writers.turn().await;
        drop_stat4_samples(&mut *self.pool.acquire().await.map_err(storage_error)?).await
    }

    /// Gathers the planner's statistics (see [`drop_stat4_samples`]).
    async fn finish_bulk_load(&self) -> Result<()> {
        let _turn = self.writers.turn().await;
        let mut conn = self.pool.acquire().await.map_err(storage_error)?;
        sqlx::query("ANALYZE").execute(&mut *conn).await.map_err(storage_error)?;
        drop_stat4_samples(&mut conn).await
    }

    /// A write transaction, begun once it is this writer's turn: SQLite
    /// has one writer at a time, so the others wait here, woken in order.
    async fn begin(&self) -> Result<WriteTx> {
        let turn = self.writers.turn().await;
        WriteTx::begin(self.writer.acquire().await?, Some(turn)).await
    }

    /// The writer turn for one autocommit write.
    async fn write_turn(&self) -> Option<WriterTurn> {
        Some(self.writers.turn().await)
    }

    /// Nothing: a SQLite writer holds the whole database.
    fn skip_locked(&self) -> &'static str {
        ""
    }

    fn max_binds(&self) -> usize {
        32_766
    }

    /// SQLite finds a numbered parameter's name by walking a list, so
    /// binding n parameters costs O(n²): a 1,000-row batch of 16 columns
    /// (16,000 parameters) spent 89 % of a catalog import in
    /// `sqlite3VListNumToName`. About a thousand per statement keeps that
    /// negligible and the statements few.
    fn batch_binds(&self) -> usize {
        1_000
    }

    fn select_json_rows(&self, types: &[&str]) -> String {
        let columns: Vec<String> = (0..types.len()).map(|i| format!("value ->> {i}")).collect();
        format!("SELECT {} FROM json_each($1)", columns.join(", "))
    }

    /// Substring match through the FTS5 trigram index (migration 0002).
    /// FTS5 cannot use its index with an ESCAPE clause or for fewer than
    /// three characters, so such words fall back to a plain LIKE scan.
    fn push_text_match(&self, b: &mut QueryBuilder<'_>, word: &str) {
        let plain = !word.contains(['%', '_', '\\']) && word.chars().count() >= 3;
        if plain {
            b.push(" AND a.id IN (SELECT rowid FROM articles_fts WHERE search_text LIKE ")
                .push_bind(format!("%{word}%"))
                .push(")");
        } else {
            let pattern = format!("%{}%", ramp_storage::sql::like_escape(word));
            b.push(" AND a.search_text LIKE ").push_bind(pattern).push(" ESCAPE '\\'");
        }
    }

    /// Runs the order's transaction on the writer thread, where nothing
    /// else delays its statements while it holds the database, in two
    /// batches on the writer connection, in turn.
    async fn place_direct(&self, storage: &SqlStorage, order: &NewDirectOrder) -> Result<DirectPlacement> {
        let (storage, order) = (storage.clone(), order.clone());
        let (writer, writers) = (self.writer.clone(), self.writers.clone());
        self.writer_thread
            .run(async move {
                let turn = Some(writers.turn().await);
                let tx = BatchTx::new(writer.acquire().await?, turn);
                storage.place_direct_order_batched(tx, &order).await
            })
            .await
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// Keeps the planner's per-index row counts (`sqlite_stat1`) but not its
/// samples (`sqlite_stat4`): with samples SQLite recompiles every
/// statement whose bound values might change its plan, on each new
/// binding — under `ramp bench orders` a fifth of all CPU was
/// `sqlite3Reprepare`. This connection reloads what is left; the others
/// reload when they see the schema cookie that ANALYZE changed. Also run
/// on opening, for a database analysed by an earlier version.
async fn drop_stat4_samples(conn: &mut sqlx::SqliteConnection) -> Result<()> {
    drop_samples(conn).await.map_err(storage_error)
}

async fn drop_samples(conn: &mut sqlx::SqliteConnection) -> sqlx::Result<()> {
    let samples = sqlx::query("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat4'").fetch_optional(&mut *conn);
    if samples.await?.is_none() {
        return Ok(());
    }
    if sqlx::query("DELETE FROM sqlite_stat4").execute(&mut *conn).await?.rows_affected() > 0 {
        sqlx::query("ANALYZE sqlite_schema").execute(&mut *conn).await?;
    }
    Ok(())
}
