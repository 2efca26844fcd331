//! Opening the database named by the URL. The scheme decides the engine;
//! an unknown scheme is an error, never a new empty SQLite file.

use crate::{CliError, Config};
use ramp_storage::Storage;
use ramp_storage_postgres::PostgresStorage;
use ramp_storage_sqlite::SqliteStorage;
use std::sync::Arc;
use std::time::Duration;

/// Opens (and for SQLite creates) the database; does not migrate.
/// `max_connections` sizes the PostgreSQL pool.
pub async fn open(url: &str, max_connections: u32) -> Result<Arc<dyn Storage>, CliError> {
    if let Some(path) = sqlite_path(url) {
        if path.is_empty() {
            return Err(CliError::input("database_url: 'sqlite:' needs a file path, e.g. sqlite:data/ramp.db"));
        }
        if let Some(dir) = std::path::Path::new(path).parent().filter(|d| !d.as_os_str().is_empty()) {
            if !path.contains(":memory:") {
                std::fs::create_dir_all(dir)
                    .map_err(|e| CliError::failed(format!("database_url: cannot create {}: {e}", dir.display())))?;
            }
        }
        let s = SqliteStorage::connect(&format!("sqlite:{path}")).await.map_err(|e| match e.is_unavailable() {
            true => cannot_write(&e),
            false => CliError::failed(format!("database_url: cannot open SQLite database {path}: {e}")),
        })?;
        Ok(Arc::new(s))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let s = PostgresStorage::connect(url, max_connections)
            .await
            .map_err(|e| CliError::failed(format!("database_url: cannot connect to PostgreSQL: {e}")))?;
        Ok(Arc::new(s))
    } else {
        Err(CliError::input(format!(
            "database_url: unknown scheme in '{}' (use sqlite:PATH or postgres://...)",
            crate::config::redact_url(url)
        )))
    }
}

/// Opens the PostgreSQL primary with its read replica.
async fn open_with_replica(config: &Config, r: &ReplicaArgs) -> Result<Arc<dyn Storage>, CliError> {
    let url = &config.database_url;
    if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
        return Err(CliError::input(
            "read_replica_url: a read replica needs a PostgreSQL database (database_url is not postgres://)",
        ));
    }
    let primary = PostgresStorage::connect(url, config.database_max_connections)
        .await
        .map_err(|e| CliError::failed(format!("database_url: cannot connect to PostgreSQL: {e}")))?;
    let replica = PostgresStorage::read_replica(&r.url, config.database_max_connections, r.max_lag)
        .map_err(|e| CliError::input(format!("read_replica_url: {e}")))?;
    Ok(Arc::new(primary.with_read_replica(replica)))
}

/// The file of a `sqlite:PATH` (or `sqlite://PATH`) URL; `None` for another engine.
pub fn sqlite_path(url: &str) -> Option<&str> {
    url.strip_prefix("sqlite:").map(|p| p.trim_start_matches("//"))
}

/// The database is there but out of reach for writing: say what to check.
fn cannot_write(e: &ramp_storage::StorageError) -> CliError {
    CliError::failed(format!(
        "database_url: the database cannot be opened for writing ({e}); Ramp must write to it: \
         check that its disk has space, that its file and directory are writable and that its server runs"
    ))
}

/// A streaming read replica for the follow-up reports (`ramp serve --read-replica-url`).
pub struct ReplicaArgs {
    url: String,
    max_lag: Duration,
}

impl ReplicaArgs {
    /// The replica named by `url`, if any; refuses what is not a PostgreSQL URL.
    pub fn new(url: Option<String>, max_lag_seconds: u64) -> Result<Option<ReplicaArgs>, CliError> {
        let Some(url) = url.filter(|u| !u.trim().is_empty()) else { return Ok(None) };
        if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
            return Err(CliError::input(format!(
                "read_replica_url: '{}' is not a postgres:// URL (a read replica is a PostgreSQL hot standby)",
                crate::config::redact_url(&url)
            )));
        }
        Ok(Some(ReplicaArgs { url, max_lag: Duration::from_secs(max_lag_seconds) }))
    }
}

/// Opens the configured database and migrates it.
pub async fn open_migrated(config: &Config) -> Result<Arc<dyn Storage>, CliError> {
    open_migrated_with_replica(config, None).await
}

/// Opens the configured database, with the follow-up reports read from
/// `replica` when given (PostgreSQL only), and migrates it.
pub async fn open_migrated_with_replica(
    config: &Config,
    replica: Option<&ReplicaArgs>,
) -> Result<Arc<dyn Storage>, CliError> {
    let storage = match replica {
        None => open(&config.database_url, config.database_max_connections).await?,
        Some(r) => open_with_replica(config, r).await?,
    };
    storage.migrate().await.map_err(|e| match e.is_unavailable() {
        true => cannot_write(&e),
        false => CliError::failed(format!("migration failed: {e}")),
    })?;
    Ok(storage)
}

/// `ramp migrate`.
pub async fn migrate_only(config: &Config) -> Result<(), CliError> {
    let storage = open_migrated(config).await?;
    println!("database migrated ({})", storage.engine());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn an_unknown_scheme_is_refused_and_creates_no_file() {
        let dir = std::env::temp_dir().join(format!("ramp-db-scheme-{}", std::process::id()));
        let url = format!("sqlit:{}/ramp.db", dir.display());
        let err = open(&url, 1).await.err().expect("refused");
        assert!(err.bad_input);
        assert!(err.message.starts_with("database_url: unknown scheme"), "{}", err.message);
        assert!(!dir.exists(), "nothing was created for a typo");
    }

    #[tokio::test]
    async fn an_empty_sqlite_path_is_refused_naming_the_setting() {
        let err = open("sqlite:", 1).await.err().expect("refused");
        assert!(err.message.starts_with("database_url:"), "{}", err.message);
    }

    #[tokio::test]
    async fn a_read_replica_must_be_postgresql_and_so_must_the_primary() {
        let err = ReplicaArgs::new(Some("sqlite:/tmp/replica.db".into()), 30).err().expect("refused");
        assert!(err.bad_input && err.message.starts_with("read_replica_url:"), "{}", err.message);
        assert!(ReplicaArgs::new(None, 30).unwrap().is_none());
        assert!(ReplicaArgs::new(Some(" ".into()), 30).unwrap().is_none());
        let replica = ReplicaArgs::new(Some("postgres://u:secret@127.0.0.1:9/ramp".into()), 30).unwrap().unwrap();
        let dir = std::env::temp_dir().join(format!("ramp-db-replica-{}", std::process::id()));
        let config = Config::load(&crate::config::ConfigArgs {
            database_url: Some(format!("sqlite:{}/ramp.db", dir.display())),
            ..Default::default()
        })
        .unwrap();
        let err = open_migrated_with_replica(&config, Some(&replica)).await.err().expect("refused");
        assert!(err.bad_input, "{}", err.message);
        assert!(err.message.contains("needs a PostgreSQL database"), "{}", err.message);
        assert!(!dir.exists(), "nothing was created");
    }
}
