//! `ramp backup`, `ramp restore` and `ramp verify`: a consistent copy of
//! the database taken while Ramp serves, put back into a new database, and
//! the invariants checked on it.
//!
//! SQLite: `VACUUM INTO` writes a transactionally consistent copy from a
//! read transaction, so writers go on (WAL mode); restore copies the file
//! into place. PostgreSQL: `pg_dump --format=custom` (one snapshot) and
//! `pg_restore --single-transaction`, the binaries of the bundled
//! PostgreSQL (`RAMP_PG_BIN`, else `/usr/lib/postgresql/15/bin`, else the
//! PATH). A restore goes only into an empty database, migrates it to this
//! version of Ramp, then runs the invariants (`Storage::invariant_violations`).

use crate::db::{self, sqlite_path};
use crate::{CliError, Config};
use clap::Args;
use sqlx::Connection;
use std::path::{Path, PathBuf};
use std::str::FromStr;

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The file to write (must not exist yet).
    #[arg(long)]
    pub to: PathBuf,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// A file written by `ramp backup` for the same engine.
    #[arg(long)]
    pub from: PathBuf,
}

/// `ramp backup --to FILE`.
pub async fn backup(args: BackupArgs, config: &Config) -> Result<(), CliError> {
    if args.to.exists() {
        return Err(CliError::input(format!("to: {} exists; back up to a new file", args.to.display())));
    }
    let url = &config.database_url;
    if let Some(path) = sqlite_path(url) {
        if !Path::new(path).exists() {
            return Err(CliError::input(format!("database_url: no SQLite database at {path}")));
        }
        let options = sqlx::sqlite::SqliteConnectOptions::from_str(&format!("sqlite:{path}"))
            .map_err(|e| CliError::input(format!("database_url: {e}")))?
            .read_only(true);
        let mut conn = sqlx::SqliteConnection::connect_with(&options)
            .await
            .map_err(|e| CliError::failed(format!("database_url: cannot open {path}: {e}")))?;
        let target = args.to.to_string_lossy().to_string();
        sqlx::query("VACUUM INTO ?")
            .bind(&target)
            .execute(&mut conn)
            .await
            .map_err(|e| CliError::failed(format!("backup to {target} failed: {e}")))?;
    } else {
        let to = args.to.to_string_lossy().to_string();
        run_pg_tool("pg_dump", &["--format=custom", "--no-owner", "--file", &to, url]).await?;
    }
    let bytes = std::fs::metadata(&args.to).map(|m| m.len()).unwrap_or(0);
    println!("backed up {} to {} ({bytes} bytes)", engine_of(url), args.to.display());
    Ok(())
}

/// `ramp restore --from FILE` into the (empty) database of `--database-url`.
pub async fn restore(args: RestoreArgs, config: &Config) -> Result<(), CliError> {
    let url = &config.database_url;
    if !args.from.is_file() {
        return Err(CliError::input(format!("from: {} is not a file", args.from.display())));
    }
    if let Some(path) = sqlite_path(url) {
        if !is_sqlite_file(&args.from) {
            return Err(CliError::input(format!("from: {} is not an SQLite backup", args.from.display())));
        }
        if std::fs::metadata(path).is_ok_and(|m| m.len() > 0) {
            return Err(not_empty());
        }
        copy_whole(&args.from, Path::new(path))?;
    } else {
        if is_sqlite_file(&args.from) {
            return Err(CliError::input(format!(
                "from: {} is an SQLite backup, not PostgreSQL's",
                args.from.display()
            )));
        }
        if pg_tables(url).await? > 0 {
            return Err(not_empty());
        }
        let from = args.from.to_string_lossy().to_string();
        let target = format!("--dbname={url}");
        run_pg_tool("pg_restore", &["--no-owner", "--exit-on-error", "--single-transaction", &target, &from]).await?;
    }
    println!("restored {} from {}", engine_of(url), args.from.display());
    verify(config).await
}

/// `ramp verify`: migrates the database to this version and runs the invariants.
pub async fn verify(config: &Config) -> Result<(), CliError> {
    let storage = db::open_migrated(config).await?;
    let broken = storage.invariant_violations().await.map_err(|e| CliError::failed(format!("verify: {e}")))?;
    if broken.is_empty() {
        println!("invariants hold ({})", storage.engine());
        return Ok(());
    }
    let list: Vec<String> = broken.iter().map(|(what, n)| format!("{what}: {n}")).collect();
    Err(CliError::failed(format!("invariants broken: {}", list.join("; "))))
}

/// Copies to a temporary file beside the target, then renames it into
/// place: a copy cut short (a full disk) leaves no half database at the
/// target, so the restore can simply be run again.
fn copy_whole(from: &Path, to: &Path) -> Result<(), CliError> {
    let partial = to.with_extension("restoring");
    let failed = |e: std::io::Error| CliError::failed(format!("restore into {} failed: {e}", to.display()));
    if let Err(e) = std::fs::copy(from, &partial).and_then(|_| std::fs::rename(&partial, to)) {
        let _ = std::fs::remove_file(&partial);
        return Err(failed(e));
    }
    Ok(())
}

fn not_empty() -> CliError {
    CliError::input("database_url: the target database is not empty; restore into a new, empty database")
}

fn engine_of(url: &str) -> &'static str {
    if sqlite_path(url).is_some() {
        "sqlite"
    } else {
        "postgres"
    }
}

/// An SQLite database file starts with this header.
fn is_sqlite_file(path: &Path) -> bool {
    let mut head = [0u8; 16];
    std::fs::File::open(path).and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head)).is_ok()
        && &head == b"SQLite format 3\0"
}

/// Tables in the target's public schema (a restore needs none).
async fn pg_tables(url: &str) -> Result<i64, CliError> {
    let mut conn = sqlx::PgConnection::connect(url)
        .await
        .map_err(|e| CliError::failed(format!("database_url: cannot connect to PostgreSQL: {e}")))?;
    let n: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'")
        .fetch_one(&mut conn)
        .await
        .map_err(|e| CliError::failed(format!("database_url: {e}")))?;
    Ok(n.0)
}

/// Where the PostgreSQL client tools are: `RAMP_PG_BIN`, the bundled
/// PostgreSQL 15, else the PATH.
fn pg_tool(name: &str) -> PathBuf {
    let dirs = std::env::var("RAMP_PG_BIN").into_iter().chain(["/usr/lib/postgresql/15/bin".to_string()]);
    dirs.map(|d| Path::new(&d).join(name)).find(|p| p.is_file()).unwrap_or_else(|| PathBuf::from(name))
}

async fn run_pg_tool(name: &str, args: &[&str]) -> Result<(), CliError> {
    let tool = pg_tool(name);
    let out = tokio::process::Command::new(&tool)
        .args(args)
        .output()
        .await
        .map_err(|e| CliError::failed(format!("cannot run {}: {e}", tool.display())))?;
    if out.status.success() {
        return Ok(());
    }
    let err = String::from_utf8_lossy(&out.stderr);
    Err(CliError::failed(format!("{name} failed ({}): {}", out.status, crate::config::redact_url(err.trim()))))
}
