//! The ceiling an end-to-end figure is measured against, in the same run on
//! the same database: PostgreSQL's own rate (pgbench's built-in TPC-B-like
//! script) or, for SQLite, a bare loop of write transactions the size of
//! one order's writes.

use super::driver::Flow;
use super::stats::{Latencies, Summary};
use crate::CliError;
use ramp_app::{Clock, SystemClock};
use ramp_storage::SqlStorage;
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

/// Devices the SQLite loop reserves, round robin.
const SQLITE_ITEMS: i64 = 10_000;

/// Tables shaped like the ones an order writes (devices, device_events,
/// cart_items, orders, order_lines, order_events, audit_log), with the
/// same kind of indexes, under their own names.
const SQLITE_SETUP: &[&str] = &[
    "CREATE TABLE bench_ceiling_devices (id INTEGER PRIMARY KEY, state TEXT NOT NULL, reserved_until TEXT, \
     reserved_by BIGINT, state_since TEXT NOT NULL)",
    "CREATE TABLE bench_ceiling_device_events (id INTEGER PRIMARY KEY, device_id BIGINT NOT NULL, occurred_at TEXT NOT NULL, \
     kind TEXT NOT NULL, from_state TEXT, to_state TEXT NOT NULL, actor_user_id BIGINT, patient_id BIGINT, warehouse_id BIGINT)",
    "CREATE INDEX bench_ceiling_device_events_device ON bench_ceiling_device_events (device_id, occurred_at)",
    "CREATE TABLE bench_ceiling_cart_items (id INTEGER PRIMARY KEY, user_id BIGINT NOT NULL, patient_id BIGINT, \
     article_id BIGINT NOT NULL, device_id BIGINT, need TEXT, facts TEXT NOT NULL, created_at TEXT NOT NULL, \
     reserved_until TEXT NOT NULL)",
    "CREATE UNIQUE INDEX bench_ceiling_cart_items_device ON bench_ceiling_cart_items (device_id)",
    "CREATE INDEX bench_ceiling_cart_items_user ON bench_ceiling_cart_items (user_id, id)",
    "CREATE TABLE bench_ceiling_orders (id INTEGER PRIMARY KEY, patient_id BIGINT, unit_id BIGINT NOT NULL, \
     created_by BIGINT NOT NULL, status TEXT NOT NULL, goal TEXT, evaluation_date TEXT, idempotency_key TEXT, \
     request_hash TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, UNIQUE (created_by, idempotency_key))",
    "CREATE INDEX bench_ceiling_orders_patient ON bench_ceiling_orders (patient_id, id)",
    "CREATE INDEX bench_ceiling_orders_status ON bench_ceiling_orders (status, id)",
    "CREATE TABLE bench_ceiling_order_lines (id INTEGER PRIMARY KEY, order_id BIGINT NOT NULL, line_no INTEGER NOT NULL, \
     article_id BIGINT NOT NULL, device_id BIGINT, payer TEXT NOT NULL, rule_id TEXT NOT NULL, \
     agreement_version TEXT NOT NULL, explanation_sv TEXT NOT NULL, explanation_en TEXT NOT NULL, \
     promised_date TEXT NOT NULL, state TEXT NOT NULL, UNIQUE (order_id, line_no))",
    "CREATE TABLE bench_ceiling_order_events (id INTEGER PRIMARY KEY, order_id BIGINT NOT NULL, occurred_at TEXT NOT NULL, \
     from_status TEXT, to_status TEXT NOT NULL, actor_user_id BIGINT NOT NULL)",
    "CREATE INDEX bench_ceiling_order_events_order ON bench_ceiling_order_events (order_id, id)",
    "CREATE TABLE bench_ceiling_audit (id INTEGER PRIMARY KEY, occurred_at TEXT NOT NULL, user_id BIGINT NOT NULL, \
     patient_id BIGINT, action TEXT NOT NULL, reason TEXT NOT NULL, detail TEXT, request_id TEXT)",
    "CREATE INDEX bench_ceiling_audit_patient ON bench_ceiling_audit (patient_id, occurred_at)",
    "CREATE INDEX bench_ceiling_audit_user ON bench_ceiling_audit (user_id, occurred_at)",
];

const SQLITE_TABLES: &[&str] = &[
    "bench_ceiling_devices",
    "bench_ceiling_device_events",
    "bench_ceiling_cart_items",
    "bench_ceiling_orders",
    "bench_ceiling_order_lines",
    "bench_ceiling_order_events",
    "bench_ceiling_audit",
];

/// What one ceiling transaction writes, for the report, per flow.
pub fn sqlite_transaction(flow: Flow) -> &'static str {
    match flow {
        Flow::Cart => {
            "the row writes of one cart order in one transaction: 2 conditional UPDATEs, \
             1 DELETE, 8 INSERTs (2 audit rows, 2 device events, cart item, order, line, order event)"
        }
        Flow::Direct => {
            "the row writes of one direct order in one transaction, statement for statement: audit row, order, \
             conditional UPDATE, DELETE of a stale cart item, 2 device events in one INSERT, line, order event"
        }
    }
}

/// N tasks on one pool with Ramp's settings, each committing transactions
/// of one order's row writes as fast as they can, for `duration` after
/// `warmup`. Its own tables, dropped afterwards.
pub async fn sqlite_loop(
    storage: &SqlStorage,
    flow: Flow,
    clients: u32,
    warmup: Duration,
    duration: Duration,
) -> Result<Ceiling, CliError> {
    let pool = storage.pool().as_sqlite().expect("the SQLite ceiling runs on SQLite");
    let db = |e: sqlx::Error| CliError::failed(format!("sqlite ceiling: {e}"));
    for table in SQLITE_TABLES {
        sqlx::query(&format!("DROP TABLE IF EXISTS {table}")).execute(pool).await.map_err(db)?;
    }
    for sql in SQLITE_SETUP {
        sqlx::query(sql).execute(pool).await.map_err(db)?;
    }
    let now = SystemClock.now().to_rfc3339();
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1) \
         INSERT INTO bench_ceiling_devices (id, state, state_since) SELECT i, 'in_stock', $2 FROM n",
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
        tasks.push(tokio::spawn(async move { sqlite_task(pool, flow, next, i64::from(task), start, end).await }));
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
    for table in SQLITE_TABLES {
        sqlx::query(&format!("DROP TABLE {table}")).execute(pool).await.map_err(db)?;
    }
    if let Some(e) = failure {
        return Err(e);
    }
    let transactions = latencies.count() as u64;
    Ok(Ceiling {
        what: format!(
            "SQLite bare write loop, {clients} tasks on Ramp's pool settings; a transaction = {}",
            sqlite_transaction(flow)
        ),
        per_second: transactions as f64 / duration.as_secs_f64(),
        transactions,
        latency: latencies.summary(),
    })
}

async fn sqlite_task(
    pool: sqlx::SqlitePool,
    flow: Flow,
    next: Arc<AtomicI64>,
    task: i64,
    start: Instant,
    end: Instant,
) -> Result<Latencies, CliError> {
    let mut latencies = Latencies::default();
    while Instant::now() < end {
        let t0 = Instant::now();
        let n = next.fetch_add(1, Ordering::Relaxed);
        let written = match flow {
            Flow::Cart => one_order_of_writes(&pool, n, task).await,
            Flow::Direct => one_direct_order_of_writes(&pool, n, task).await,
        };
        written.map_err(|e| CliError::failed(format!("sqlite ceiling: {e}")))?;
        let t1 = Instant::now();
        if t1 >= start && t1 < end {
            latencies.record(t1 - t0);
        }
    }
    Ok(latencies)
}

/// The rows one order writes, in the order the API writes them, in one transaction.
async fn one_order_of_writes(pool: &sqlx::SqlitePool, n: i64, task: i64) -> Result<(), sqlx::Error> {
    let now = SystemClock.now();
    let (at, until) = (now.to_rfc3339(), (now + chrono::Duration::minutes(30)).to_rfc3339());
    let device = n % SQLITE_ITEMS + 1;
    let (user, patient) = (task + 1, n % 200 + 1);
    let mut tx = pool.begin().await?;
    audit(&mut tx, &at, user, patient, "cart.add").await?;
    let reserved = sqlx::query(
        "UPDATE bench_ceiling_devices SET state = 'reserved', reserved_until = $1, reserved_by = $2, state_since = $3 \
         WHERE id = $4 AND state IN ('in_stock', 'reserved')",
    )
    .bind(&until)
    .bind(user)
    .bind(&at)
    .bind(device)
    .execute(&mut *tx)
    .await?;
    if reserved.rows_affected() != 1 {
        return Err(sqlx::Error::RowNotFound);
    }
    device_event(&mut tx, device, &at, "reserved", "in_stock", user, patient).await?;
    let cart: i64 = sqlx::query_scalar(
        "INSERT INTO bench_ceiling_cart_items (user_id, patient_id, article_id, device_id, need, facts, created_at, reserved_until) \
         VALUES ($1, $2, 1, $3, 'lasting', '{}', $4, $5) RETURNING id",
    )
    .bind(user)
    .bind(patient)
    .bind(device)
    .bind(&at)
    .bind(&until)
    .fetch_one(&mut *tx)
    .await?;
    audit(&mut tx, &at, user, patient, "order.create").await?;
    let order: i64 = sqlx::query_scalar(
        "INSERT INTO bench_ceiling_orders (patient_id, unit_id, created_by, status, goal, evaluation_date, idempotency_key, \
         request_hash, created_at, updated_at) VALUES ($1, 1, $2, 'registered', 'bench', '2099-01-01', $3, $4, $5, $5) RETURNING id",
    )
    .bind(patient)
    .bind(user)
    .bind(format!("ceiling-{n}"))
    .bind(format!("{n:064x}"))
    .bind(&at)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM bench_ceiling_cart_items WHERE id = $1 AND user_id = $2")
        .bind(cart)
        .bind(user)
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE bench_ceiling_devices SET reserved_until = NULL WHERE id = $1 AND state = 'reserved' AND reserved_by = $2")
        .bind(device)
        .bind(user)
        .execute(&mut *tx)
        .await?;
    device_event(&mut tx, device, &at, "ordered", "reserved", user, patient).await?;
    sqlx::query(
        "INSERT INTO bench_ceiling_order_lines (order_id, line_no, article_id, device_id, payer, rule_id, agreement_version, \
         explanation_sv, explanation_en, promised_date, state) \
         VALUES ($1, 1, 1, $2, 'region', 'bench.rule', '2021-01-01', 'Regionen betalar.', 'The region pays.', '2099-01-01', 'open')",
    )
    .bind(order)
    .bind(device)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO bench_ceiling_order_events (order_id, occurred_at, from_status, to_status, actor_user_id) \
         VALUES ($1, $2, NULL, 'registered', $3)",
    )
    .bind(order)
    .bind(&at)
    .bind(user)
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}

/// The rows one direct order writes, statement for statement as the API
/// writes them (`place_direct_order`), in one transaction.
async fn one_direct_order_of_writes(pool: &sqlx::SqlitePool, n: i64, task: i64) -> Result<(), sqlx::Error> {
    let at = SystemClock.now().to_rfc3339();
    let device = n % SQLITE_ITEMS + 1;
    let (user, patient) = (task + 1, n % 200 + 1);
    let mut tx = pool.begin().await?;
    audit(&mut tx, &at, user, patient, "order.create").await?;
    let order: i64 = sqlx::query_scalar(
        "INSERT INTO bench_ceiling_orders (patient_id, unit_id, created_by, status, goal, evaluation_date, idempotency_key, \
         request_hash, created_at, updated_at) VALUES ($1, 1, $2, 'registered', 'bench', '2099-01-01', $3, $4, $5, $5) RETURNING id",
    )
    .bind(patient)
    .bind(user)
    .bind(format!("ceiling-{n}"))
    .bind(format!("{n:064x}"))
    .bind(&at)
    .fetch_one(&mut *tx)
    .await?;
    let reserved = sqlx::query(
        "UPDATE bench_ceiling_devices SET state = 'reserved', reserved_until = NULL, reserved_by = $1, state_since = $2 \
         WHERE id = $3 AND state IN ('in_stock', 'reserved')",
    )
    .bind(user)
    .bind(&at)
    .bind(device)
    .execute(&mut *tx)
    .await?;
    if reserved.rows_affected() != 1 {
        return Err(sqlx::Error::RowNotFound);
    }
    sqlx::query("DELETE FROM bench_ceiling_cart_items WHERE device_id = $1").bind(device).execute(&mut *tx).await?;
    sqlx::query(
        "INSERT INTO bench_ceiling_device_events (device_id, occurred_at, kind, from_state, to_state, actor_user_id, \
         patient_id, warehouse_id) VALUES ($1, $2, 'reserved', 'in_stock', 'reserved', $3, $4, 1), \
         ($1, $2, 'ordered', 'reserved', 'reserved', $3, $4, 1)",
    )
    .bind(device)
    .bind(&at)
    .bind(user)
    .bind(patient)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO bench_ceiling_order_lines (order_id, line_no, article_id, device_id, payer, rule_id, agreement_version, \
         explanation_sv, explanation_en, promised_date, state) \
         VALUES ($1, 1, 1, $2, 'region', 'bench.rule', '2021-01-01', 'Regionen betalar.', 'The region pays.', '2099-01-01', 'open')",
    )
    .bind(order)
    .bind(device)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO bench_ceiling_order_events (order_id, occurred_at, from_status, to_status, actor_user_id) \
         VALUES ($1, $2, NULL, 'registered', $3)",
    )
    .bind(order)
    .bind(&at)
    .bind(user)
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}

async fn audit(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    at: &str,
    user: i64,
    patient: i64,
    action: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO bench_ceiling_audit (occurred_at, user_id, patient_id, action, reason, detail, request_id) \
         VALUES ($1, $2, $3, $4, 'care_relationship', NULL, 'r-bench')",
    )
    .bind(at)
    .bind(user)
    .bind(patient)
    .bind(action)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn device_event(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    device: i64,
    at: &str,
    kind: &str,
    from: &str,
    user: i64,
    patient: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO bench_ceiling_device_events (device_id, occurred_at, kind, from_state, to_state, actor_user_id, \
         patient_id, warehouse_id) VALUES ($1, $2, $3, $4, 'reserved', $5, $6, 1)",
    )
    .bind(device)
    .bind(at)
    .bind(kind)
    .bind(from)
    .bind(user)
    .bind(patient)
    .execute(&mut **tx)
    .await?;
    Ok(())
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
