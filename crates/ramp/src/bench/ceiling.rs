//! The ceiling an end-to-end figure is measured against, in the same run on
//! the same database: PostgreSQL's own rate (pgbench's built-in TPC-B-like
//! script) or, for SQLite, a bare loop of write transactions the size of
//! one order's writes.

use super::stats::{Latencies, Summary};
use crate::CliError;
use ramp_app::{Clock, SystemClock};
use ramp_storage_sqlite::SqliteStorage;
use std::path::PathBuf;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What the ceiling measured.
#[derive(Debug, Clone)]
pub struct Ceiling {
    /// One line saying what ran, for the report.
    pub what: String,
    pub per_second: f64,
    pub transactions: u64,
    pub latency: Option<Summary>,
}

/// How to run pgbench.
#[derive(Debug, Clone)]
pub struct Pgbench {
    pub program: PathBuf,
    pub scale: u32,
    pub clients: u32,
    pub duration: Duration,
}

/// pgbench's tables, dropped after the run whatever happened.
const PGBENCH_TABLES: &str = "pgbench_accounts, pgbench_branches, pgbench_history, pgbench_tellers";

/// Initialises pgbench's tables in the database at `url`, runs the built-in
/// TPC-B-like script, and drops the tables again.
pub async fn pgbench(url: &str, pool: &sqlx::PgPool, opts: &Pgbench) -> Result<Ceiling, CliError> {
    let result = pgbench_init_and_run(url, opts).await;
    let dropped = sqlx::query(&format!("DROP TABLE IF EXISTS {PGBENCH_TABLES}")).execute(pool).await;
    let (tps, transactions) = result?;
    dropped.map_err(|e| CliError::failed(format!("pgbench: dropping its tables: {e}")))?;
    Ok(Ceiling {
        what: format!(
            "pgbench, built-in TPC-B-like script, scale {}, -c {} -j {} -T {}",
            opts.scale,
            opts.clients,
            threads(opts.clients),
            opts.duration.as_secs()
        ),
        per_second: tps,
        transactions,
        latency: None,
    })
}

fn threads(clients: u32) -> u32 {
    clients.min(2)
}

async fn pgbench_init_and_run(url: &str, opts: &Pgbench) -> Result<(f64, u64), CliError> {
    let init = run_program(&opts.program, &["-i", "-q", "-s", &opts.scale.to_string(), url]).await?;
    if !init.status.success() {
        return Err(CliError::failed(format!("pgbench -i failed: {}", tail(&init.stderr))));
    }
    let args = [
        "-c".to_string(),
        opts.clients.to_string(),
        "-j".into(),
        threads(opts.clients).to_string(),
        "-T".into(),
        opts.duration.as_secs().max(1).to_string(),
        url.to_string(),
    ];
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = run_program(&opts.program, &args).await?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        return Err(CliError::failed(format!("pgbench failed: {}{}", tail(&out.stderr), tail(&out.stdout))));
    }
    parse_pgbench(&stdout)
        .ok_or_else(|| CliError::failed(format!("pgbench: no tps in its output: {}", tail(&out.stdout))))
}

async fn run_program(program: &PathBuf, args: &[&str]) -> Result<std::process::Output, CliError> {
    tokio::process::Command::new(program).args(args).kill_on_drop(true).output().await.map_err(|e| {
        CliError::failed(format!("pgbench: cannot run {} ({e}); give its path with --pgbench", program.display()))
    })
}

fn tail(bytes: &[u8]) -> String {
    let s = String::from_utf8_lossy(bytes);
    let lines: Vec<&str> = s.lines().rev().take(5).collect();
    lines.into_iter().rev().collect::<Vec<_>>().join(" / ")
}

/// tps (without initial connection time) and the number of transactions processed.
pub fn parse_pgbench(stdout: &str) -> Option<(f64, u64)> {
    let tps = stdout
        .lines()
        .filter_map(|l| l.trim().strip_prefix("tps = "))
        .find_map(|rest| rest.split_whitespace().next()?.parse::<f64>().ok())?;
    let transactions = stdout
        .lines()
        .filter_map(|l| l.trim().strip_prefix("number of transactions actually processed: "))
        .find_map(|rest| rest.split(|c: char| !c.is_ascii_digit()).next()?.parse::<u64>().ok())
        .unwrap_or(0);
    Some((tps, transactions))
}

/// Rows the SQLite loop updates, round robin.
const SQLITE_ITEMS: i64 = 10_000;

const SQLITE_SETUP: &[&str] = &[
    "DROP TABLE IF EXISTS bench_ceiling_items",
    "DROP TABLE IF EXISTS bench_ceiling_events",
    "DROP TABLE IF EXISTS bench_ceiling_orders",
    "DROP TABLE IF EXISTS bench_ceiling_lines",
    "DROP TABLE IF EXISTS bench_ceiling_audit",
    "CREATE TABLE bench_ceiling_items (id INTEGER PRIMARY KEY, state TEXT NOT NULL, holder BIGINT, \
     state_since TEXT NOT NULL, changes BIGINT NOT NULL DEFAULT 0)",
    "CREATE TABLE bench_ceiling_events (id INTEGER PRIMARY KEY, item_id BIGINT NOT NULL, occurred_at TEXT NOT NULL, \
     kind TEXT NOT NULL, from_state TEXT, to_state TEXT NOT NULL, actor_user_id BIGINT, patient_id BIGINT, note TEXT)",
    "CREATE INDEX bench_ceiling_events_item ON bench_ceiling_events (item_id, occurred_at)",
    "CREATE TABLE bench_ceiling_orders (id INTEGER PRIMARY KEY, idempotency_key TEXT NOT NULL UNIQUE, \
     user_id BIGINT NOT NULL, patient_id BIGINT NOT NULL, status TEXT NOT NULL, goal TEXT, created_at TEXT NOT NULL)",
    "CREATE TABLE bench_ceiling_lines (id INTEGER PRIMARY KEY, order_id BIGINT NOT NULL, item_id BIGINT NOT NULL, \
     payer TEXT NOT NULL, rule_id TEXT NOT NULL, agreement_version TEXT NOT NULL)",
    "CREATE TABLE bench_ceiling_audit (id INTEGER PRIMARY KEY, occurred_at TEXT NOT NULL, user_id BIGINT NOT NULL, \
     patient_id BIGINT, action TEXT NOT NULL, reason TEXT NOT NULL, detail TEXT)",
];

const SQLITE_TEARDOWN: &[&str] = &[
    "DROP TABLE bench_ceiling_items",
    "DROP TABLE bench_ceiling_events",
    "DROP TABLE bench_ceiling_orders",
    "DROP TABLE bench_ceiling_lines",
    "DROP TABLE bench_ceiling_audit",
];

/// N tasks on one pool with Ramp's settings, each committing transactions
/// of one conditional UPDATE and four INSERTs (what one order writes) as
/// fast as they can, for `duration` after `warmup`. Its own tables, dropped
/// afterwards.
pub async fn sqlite_loop(
    storage: &SqliteStorage,
    clients: u32,
    warmup: Duration,
    duration: Duration,
) -> Result<Ceiling, CliError> {
    let pool = storage.pool();
    let db = |e: sqlx::Error| CliError::failed(format!("sqlite ceiling: {e}"));
    for sql in SQLITE_SETUP {
        sqlx::query(sql).execute(pool).await.map_err(db)?;
    }
    let now = SystemClock.now().to_rfc3339();
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1) \
         INSERT INTO bench_ceiling_items (id, state, state_since) SELECT i, 'in_stock', $2 FROM n",
    )
    .bind(SQLITE_ITEMS)
    .bind(&now)
    .execute(pool)
    .await
    .map_err(db)?;

    let start = Instant::now() + warmup;
    let end = start + duration;
    let next = Arc::new(AtomicI64::new(0));
    let mut tasks = Vec::new();
    for task in 0..clients {
        let (pool, next) = (pool.clone(), next.clone());
        tasks.push(tokio::spawn(async move { sqlite_task(pool, next, i64::from(task), start, end).await }));
    }
    let mut latencies = Latencies::default();
    let mut failure = None;
    for t in tasks {
        match t.await {
            Ok(Ok(l)) => latencies.merge(l),
            Ok(Err(e)) => failure = Some(e),
            Err(e) => failure = Some(CliError::failed(format!("sqlite ceiling: task failed: {e}"))),
        }
    }
    for sql in SQLITE_TEARDOWN {
        sqlx::query(sql).execute(pool).await.map_err(db)?;
    }
    if let Some(e) = failure {
        return Err(e);
    }
    let transactions = latencies.count() as u64;
    Ok(Ceiling {
        what: format!(
            "SQLite bare write loop, {clients} tasks on Ramp's pool settings; a transaction = 1 conditional UPDATE + 4 INSERTs"
        ),
        per_second: transactions as f64 / duration.as_secs_f64(),
        transactions,
        latency: latencies.summary(),
    })
}

async fn sqlite_task(
    pool: sqlx::SqlitePool,
    next: Arc<AtomicI64>,
    task: i64,
    start: Instant,
    end: Instant,
) -> Result<Latencies, CliError> {
    let mut latencies = Latencies::default();
    let mut seq = 0_i64;
    while Instant::now() < end {
        let t0 = Instant::now();
        let n = next.fetch_add(1, Ordering::Relaxed);
        one_sqlite_transaction(&pool, n, task, seq)
            .await
            .map_err(|e| CliError::failed(format!("sqlite ceiling: {e}")))?;
        seq += 1;
        let t1 = Instant::now();
        if t1 >= start && t1 < end {
            latencies.record(t1 - t0);
        }
    }
    Ok(latencies)
}

/// One order's worth of writes: reserve an item (conditional UPDATE), its
/// event, the order, its line and the audit row.
async fn one_sqlite_transaction(pool: &sqlx::SqlitePool, n: i64, task: i64, seq: i64) -> Result<(), sqlx::Error> {
    let now = SystemClock.now().to_rfc3339();
    let item = n % SQLITE_ITEMS + 1;
    let mut tx = pool.begin().await?;
    let updated = sqlx::query(
        "UPDATE bench_ceiling_items SET holder = $1, state_since = $2, changes = changes + 1 \
         WHERE id = $3 AND state = 'in_stock'",
    )
    .bind(task)
    .bind(&now)
    .bind(item)
    .execute(&mut *tx)
    .await?;
    if updated.rows_affected() != 1 {
        return Err(sqlx::Error::RowNotFound);
    }
    sqlx::query(
        "INSERT INTO bench_ceiling_events (item_id, occurred_at, kind, from_state, to_state, actor_user_id, patient_id) \
         VALUES ($1, $2, 'reserved', 'in_stock', 'reserved', $3, $4)",
    )
    .bind(item)
    .bind(&now)
    .bind(task)
    .bind(n)
    .execute(&mut *tx)
    .await?;
    let order_id: i64 = sqlx::query_scalar(
        "INSERT INTO bench_ceiling_orders (idempotency_key, user_id, patient_id, status, goal, created_at) \
         VALUES ($1, $2, $3, 'registered', 'bench', $4) RETURNING id",
    )
    .bind(format!("ceiling-{task}-{seq}"))
    .bind(task)
    .bind(n)
    .bind(&now)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO bench_ceiling_lines (order_id, item_id, payer, rule_id, agreement_version) \
         VALUES ($1, $2, 'region', 'bench-rule', '2026-01-01')",
    )
    .bind(order_id)
    .bind(item)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO bench_ceiling_audit (occurred_at, user_id, patient_id, action, reason, detail) \
         VALUES ($1, $2, $3, 'order_placed', 'care_relationship', NULL)",
    )
    .bind(&now)
    .bind(task)
    .bind(n)
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pgbench_output_gives_tps_and_transactions() {
        let out = "transaction type: <builtin: TPC-B (sort of)>\n\
                   scaling factor: 16\n\
                   number of clients: 16\n\
                   number of transactions actually processed: 20079\n\
                   number of failed transactions: 0 (0.000%)\n\
                   latency average = 7.968 ms\n\
                   initial connection time = 45.123 ms\n\
                   tps = 2007.935163 (without initial connection time)\n";
        assert_eq!(parse_pgbench(out), Some((2007.935163, 20079)));
    }

    #[test]
    fn pgbench_output_without_tps_is_refused() {
        assert_eq!(parse_pgbench("pgbench: error: connection refused"), None);
    }
}
