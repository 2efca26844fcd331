//! Write transactions hand their connection back to the pool only outside
//! a transaction (`storage/src/write_tx.rs`): one dropped unfinished or
//! after a failed statement is rolled back before the connection is used
//! again, so nothing of it is committed by whoever gets the connection
//! next. Each engine with one writer connection (SQLite's writer, a
//! PostgreSQL pool of one), so the next transaction gets that connection.

use ramp_storage::{db, SqlStorage, Storage};
use ramp_storage_postgres::PostgresStorage;
use ramp_storage_sqlite::SqliteStorage;
use ramp_testkit::{fresh_url, Engine};

async fn storage(engine: Engine) -> SqlStorage {
    let url = fresh_url(engine).await;
    let storage = match engine {
        Engine::Sqlite => SqliteStorage::connect(&url).await.expect("open sqlite"),
        Engine::Postgres => PostgresStorage::connect(&url, 1).await.expect("connect postgres"),
    };
    storage.migrate().await.expect("migrate");
    storage
}

const INSERT: &str = "INSERT INTO suppliers (id, name) VALUES ($1, $2)";

async fn supplier_ids(s: &SqlStorage) -> Vec<i64> {
    let rows = db::query("SELECT id FROM suppliers ORDER BY id").fetch_all(s.pool()).await.expect("read");
    rows.iter().map(|r| r.try_get::<i64, _>("id").expect("id")).collect()
}

async fn dropped_unfinished_is_rolled_back(s: SqlStorage) {
    let mut tx = s.dialect().begin().await.expect("begin");
    db::query(INSERT).bind(1_i64).bind("dropped").execute(&mut *tx).await.expect("insert");
    drop(tx);
    let mut tx = s.dialect().begin().await.expect("begin again");
    db::query(INSERT).bind(2_i64).bind("kept").execute(&mut *tx).await.expect("insert");
    tx.commit().await.expect("commit");
    assert_eq!(supplier_ids(&s).await, vec![2]);
}

async fn a_failed_statement_commits_nothing_later(s: SqlStorage) {
    db::query(INSERT).bind(1_i64).bind("first").execute(s.pool()).await.expect("insert");
    let failed = async {
        let mut tx = s.dialect().begin().await?;
        db::query(INSERT).bind(2_i64).bind("in the failed transaction").execute(&mut *tx).await?;
        db::query(INSERT).bind(1_i64).bind("a duplicate id").execute(&mut *tx).await?;
        tx.commit().await
    };
    failed.await.expect_err("the duplicate id fails");
    let mut tx = s.dialect().begin().await.expect("begin again");
    db::query(INSERT).bind(3_i64).bind("next").execute(&mut *tx).await.expect("insert");
    tx.commit().await.expect("commit");
    assert_eq!(supplier_ids(&s).await, vec![1, 3]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_a_transaction_dropped_unfinished_is_rolled_back() {
    dropped_unfinished_is_rolled_back(storage(Engine::Sqlite).await).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_a_transaction_dropped_unfinished_is_rolled_back() {
    dropped_unfinished_is_rolled_back(storage(Engine::Postgres).await).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_a_failed_statement_commits_nothing_later() {
    a_failed_statement_commits_nothing_later(storage(Engine::Sqlite).await).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_a_failed_statement_commits_nothing_later() {
    a_failed_statement_commits_nothing_later(storage(Engine::Postgres).await).await
}

/// An in-memory SQLite database lives in its one connection: a dropped
/// transaction is rolled back on it, never closed with it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_in_memory_survives_a_dropped_transaction() {
    let s = SqliteStorage::connect("sqlite::memory:").await.expect("open");
    s.migrate().await.expect("migrate");
    dropped_unfinished_is_rolled_back(s).await
}
