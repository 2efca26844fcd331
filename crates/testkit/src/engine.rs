//! Fresh, migrated, empty databases on either engine.

use ramp_storage::Storage;
use ramp_storage_postgres::PostgresStorage;
use ramp_storage_sqlite::SqliteStorage;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// The two engines every test runs against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

fn unique_name() -> String {
    format!("t{}_{}", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed))
}

/// Where test SQLite files go; removed by `scripts/test` after the run.
fn sqlite_dir() -> PathBuf {
    let dir = std::env::var_os("RAMP_TEST_TMPDIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("ramp-tests"));
    std::fs::create_dir_all(&dir).expect("create test directory");
    dir
}

/// The URL of a fresh database on `engine` (created, not migrated).
pub async fn fresh_url(engine: Engine) -> String {
    match engine {
        Engine::Sqlite => format!("sqlite:{}", sqlite_dir().join(format!("{}.db", unique_name())).display()),
        Engine::Postgres => {
            let admin_url = std::env::var("RAMP_TEST_POSTGRES_URL").expect(
                "RAMP_TEST_POSTGRES_URL is not set: run the tests with scripts/test, which starts a private PostgreSQL",
            );
            let name = unique_name();
            let admin = PostgresStorage::connect(&admin_url, 1).await.expect("connect to the test cluster");
            ramp_storage::db::query(format!("CREATE DATABASE {name}"))
                .execute(admin.pool())
                .await
                .expect("create test database");
            admin.pool().close().await;
            let base = admin_url.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin_url);
            format!("{base}/{name}")
        }
    }
}

/// A fresh, migrated, empty storage on `engine`.
pub async fn fresh_storage(engine: Engine) -> Arc<dyn Storage> {
    let url = fresh_url(engine).await;
    let storage: Arc<dyn Storage> = match engine {
        Engine::Sqlite => Arc::new(SqliteStorage::connect(&url).await.expect("open sqlite")),
        Engine::Postgres => Arc::new(PostgresStorage::connect(&url, 8).await.expect("connect postgres")),
    };
    storage.migrate().await.expect("migrate");
    storage
}
