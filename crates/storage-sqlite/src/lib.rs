//! Storage on embedded SQLite: the default when no database URL is given.
//! WAL journal, foreign keys on. Writers of this process take turns on an
//! in-process queue ([`WriterQueue`]) instead of sleep-polling in SQLite's
//! busy handler; the busy timeout stays as the fallback for other
//! processes writing the same file.

mod checkpoint;

use ramp_storage::cache::StaticCache;
use ramp_storage::write_tx::{WriteTx, WriterQueue, WriterTurn};
use ramp_storage::writer_thread::WriterThread;
use ramp_storage::{Result, StorageError};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;
use std::future::Future;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

/// Ramp's storage on one SQLite file.
#[derive(Clone)]
pub struct SqliteStorage {
    pool: SqlitePool,
    /// The one connection write transactions run on (the same pool as
    /// `pool` for an in-memory database). Only it writes in turn, so its
    /// page cache stays warm: SQLite empties a connection's cache whenever
    /// another connection has written.
    writer: SqlitePool,
    writers: WriterQueue,
    /// Where the busiest write transactions run (see [`WriterThread`]).
    writer_thread: WriterThread,
    /// While any clone lives, the checkpointer ([`checkpoint`]) runs.
    #[allow(dead_code)] // held, never read
    alive: Arc<()>,
    cache: Arc<StaticCache>,
}

impl SqliteStorage {
    /// Opens (creating if missing) the database at a `sqlite:` URL, e.g.
    /// `sqlite:data/ramp.db` or `sqlite::memory:`.
    pub async fn connect(url: &str) -> Result<Self> {
        let options = SqliteConnectOptions::from_str(url)
            .map_err(StorageError::Database)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let in_memory = url.contains(":memory:");
        // No ping before every use: the connection is in this process, and
        // a ping is a round trip to its worker thread per statement.
        let pool = SqlitePoolOptions::new()
            // An in-memory database lives in one connection only.
            .max_connections(if in_memory { 1 } else { 8 })
            .test_before_acquire(false)
            .connect_with(options.clone())
            .await?;
        let writer_thread = WriterThread::start("ramp-sqlite-writer")?;
        let alive = Arc::new(());
        let writer = match in_memory {
            true => pool.clone(),
            false => {
                writer_thread.spawn(checkpoint::run(options.clone(), Arc::downgrade(&alive)));
                let options = options.pragma("wal_autocheckpoint", checkpoint::WRITER_AUTOCHECKPOINT_PAGES.to_string());
                SqlitePoolOptions::new().max_connections(1).test_before_acquire(false).connect_with(options).await?
            }
        };
        Ok(Self { pool, writer, writers: WriterQueue::default(), writer_thread, alive, cache: Arc::default() })
    }

    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    fn dialect_engine(&self) -> &'static str {
        "sqlite"
    }

    /// A write transaction, begun once it is this writer's turn: SQLite
    /// has one writer at a time, so the others wait here, woken in order.
    async fn dialect_begin(&self) -> Result<WriteTx<sqlx::Sqlite>> {
        let turn = self.writers.turn().await;
        let tx = self.writer.begin().await?;
        Ok(WriteTx::new(tx, Some(turn)))
    }

    /// Runs a write transaction on the writer thread, where nothing else
    /// delays its statements while it holds the database.
    async fn dialect_run_write<T: Send + 'static>(
        &self,
        work: impl Future<Output = Result<T>> + Send + 'static,
    ) -> Result<T> {
        self.writer_thread.run(work).await
    }

    /// Several statements go in one round trip ([`ramp_storage::batch`]).
    fn dialect_batches(&self) -> bool {
        true
    }

    /// Not reached: `dialect_batches` sends SQLite's direct orders to the
    /// writer thread in two batches instead.
    async fn dialect_place_direct(&self, d: &ramp_storage::NewDirectOrder) -> Result<ramp_storage::DirectPlacement> {
        self.place_direct_order_alone(d).await
    }

    /// A transaction sent in batches, on the writer connection in turn.
    async fn dialect_batch_tx(&self) -> Result<ramp_storage::batch::BatchTx<sqlx::Sqlite>> {
        let turn = Some(self.writers.turn().await);
        Ok(ramp_storage::batch::BatchTx::new(self.writer.acquire().await?, turn))
    }

    /// The writer turn for one autocommit write.
    async fn dialect_write_turn(&self) -> Option<WriterTurn> {
        Some(self.writers.turn().await)
    }

    /// Nothing: a SQLite writer holds the whole database.
    fn dialect_skip_locked(&self) -> &'static str {
        ""
    }

    fn dialect_max_binds(&self) -> usize {
        32_766
    }

    /// Substring match through the FTS5 trigram index (migration 0002).
    /// FTS5 cannot use its index with an ESCAPE clause or for fewer than
    /// three characters, so such words fall back to a plain LIKE scan.
    fn dialect_push_text_match(&self, b: &mut sqlx::QueryBuilder<'_, sqlx::Sqlite>, word: &str) {
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

    async fn dialect_migrate(&self) -> Result<()> {
        sqlx::migrate!("./migrations").run(&self.pool).await?;
        let _turn = self.writers.turn().await;
        drop_stat4_samples(&mut *self.pool.acquire().await?).await
    }

    /// Gathers the planner's statistics (see [`drop_stat4_samples`]).
    async fn dialect_finish_bulk_load(&self) -> Result<()> {
        let _turn = self.writers.turn().await;
        let mut conn = self.pool.acquire().await?;
        sqlx::query("ANALYZE").execute(&mut *conn).await?;
        drop_stat4_samples(&mut conn).await
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
    let samples = sqlx::query("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat4'").fetch_optional(&mut *conn);
    if samples.await?.is_none() {
        return Ok(());
    }
    if sqlx::query("DELETE FROM sqlite_stat4").execute(&mut *conn).await?.rows_affected() > 0 {
        sqlx::query("ANALYZE sqlite_schema").execute(&mut *conn).await?;
    }
    Ok(())
}

ramp_storage::sql_storage!(SqliteStorage, sqlx::Sqlite);
ramp_storage::sql_order_storage!(SqliteStorage, sqlx::Sqlite);
ramp_storage::sql_figures_storage!(SqliteStorage, sqlx::Sqlite);
ramp_storage::sql_supply_storage!(SqliteStorage, sqlx::Sqlite);
ramp_storage::sql_consult_storage!(SqliteStorage, sqlx::Sqlite);
ramp_storage::sql_fees_storage!(SqliteStorage, sqlx::Sqlite);
ramp_storage::sql_economy_storage!(SqliteStorage, sqlx::Sqlite);
ramp_storage::sql_billing_storage!(SqliteStorage, sqlx::Sqlite);
