//! The follow-up reports read from a streaming read replica (issue 20:
//! "follow-up reports served from a streaming read replica when one is
//! configured (`--read-replica-url`), tested with a real replica that the
//! test script starts from the bundled PostgreSQL").
//!
//! PostgreSQL only: a read replica is a PostgreSQL hot standby; on SQLite
//! `ramp serve --read-replica-url` is refused (`ramp` crate, `db::tests`).
//! `scripts/test` starts the standby with `scripts/pg-cluster replica` and
//! exports its URL as `RAMP_TEST_POSTGRES_REPLICA_URL`.

use chrono::{TimeZone, Utc};
use ramp_domain::work_order::{WorkOrderKind, WorkOrderStatus};
use ramp_storage::db;
use ramp_storage::fixture;
use ramp_storage::{FiguresStore, HistoryWorkOrder, OrderHistory, SqlStorage, Storage};
use ramp_storage_postgres::PostgresStorage;
use ramp_testkit::{fresh_url, Engine};
use std::time::{Duration, Instant};

/// The standby's URL for the database `db_url` names on the primary.
fn replica_url(db_url: &str) -> String {
    let replica = std::env::var("RAMP_TEST_POSTGRES_REPLICA_URL").expect(
        "RAMP_TEST_POSTGRES_REPLICA_URL is not set: run the tests with scripts/test, which starts a streaming replica",
    );
    let name = db_url.rsplit_once('/').expect("a database URL").1;
    format!("{}/{name}", replica.rsplit_once('/').expect("a database URL").0)
}

async fn storage(url: &str, replica_url: &str, max_lag: Duration) -> SqlStorage {
    let primary = PostgresStorage::connect(url, 4).await.expect("connect the primary");
    let replica = PostgresStorage::read_replica(replica_url, 2, max_lag).expect("the replica's settings");
    primary.with_read_replica(replica)
}

/// Open work orders as the figures count them, from wherever they read.
async fn open_work_orders(s: &SqlStorage) -> i64 {
    let long_ago = Utc.with_ymd_and_hms(2000, 1, 1, 0, 0, 0).unwrap();
    s.open_work_order_ages([long_ago; 3]).await.expect("the figure").iter().map(|c| c.count).sum()
}

async fn add_work_order(s: &SqlStorage, id: i64, created_by: i64) {
    let work_order = HistoryWorkOrder {
        id,
        kind: WorkOrderKind::Repair,
        device_id: None,
        patient_id: None,
        status: WorkOrderStatus::Open,
        description: "Bromsen tar inte".into(),
        created_by,
        created_at: Utc.with_ymd_and_hms(2026, 11, 2, 9, 0, 0).unwrap(),
        safety_notice_id: None,
    };
    s.insert_order_history(&OrderHistory { work_orders: vec![work_order], ..OrderHistory::default() })
        .await
        .expect("a work order on the primary");
}

/// Waits until the standby has replayed `n` work orders (other tests keep
/// the primary writing, so "no lag at all" may never be seen), then checks
/// that `s` reads from it.
async fn until_replayed(s: &SqlStorage, replica: &str, n: i64) {
    let direct = PostgresStorage::connect(replica, 1).await.expect("connect the replica");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let seen: i64 = db::query("SELECT COUNT(*) AS n FROM work_orders")
            .fetch_one(direct.pool())
            .await
            .unwrap()
            .try_get("n")
            .unwrap();
        if seen == n {
            break;
        }
        assert!(Instant::now() < deadline, "the replica did not replay {n} work orders (it has {seen})");
        tokio::time::sleep(Duration::from_millis(20)).await; // polling a real standby, with a deadline
    }
    direct.pool().close().await;
    let status = s.check_read_replica().await.expect("a replica is configured");
    assert!(status.serving, "{status:?}");
}

async fn replay(replica: &str, paused: bool) {
    let admin = PostgresStorage::connect(replica, 1).await.expect("connect the replica");
    let sql = if paused { "SELECT pg_wal_replay_pause()" } else { "SELECT pg_wal_replay_resume()" };
    db::query(sql).execute(admin.pool()).await.expect("pause or resume replay");
    admin.pool().close().await;
}

#[tokio::test]
async fn follow_up_reports_read_from_the_replica_and_from_the_primary_when_it_lags_or_is_gone() {
    let url = fresh_url(Engine::Postgres).await;
    let replica = replica_url(&url);
    let tolerant = storage(&url, &replica, Duration::from_secs(3600)).await;
    tolerant.migrate().await.unwrap();
    let f = fixture::load(&tolerant, "$argon2id$fixture").await.unwrap();
    add_work_order(&tolerant, 1, f.prescriber).await;
    until_replayed(&tolerant, &replica, 1).await;
    assert_eq!(open_work_orders(&tolerant).await, 1, "the replica has replayed the first work order");
    let sessions = db::query("SELECT COUNT(*) AS n FROM pg_stat_activity WHERE application_name = 'ramp-reports'")
        .fetch_one(PostgresStorage::connect(&replica, 1).await.unwrap().pool())
        .await
        .unwrap()
        .try_get::<i64, _>("n")
        .unwrap();
    assert!(sessions >= 1, "the report's connection is open on the replica");

    // Replay paused: a second work order is on the primary only.
    replay(&replica, true).await;
    add_work_order(&tolerant, 2, f.prescriber).await;
    let on_primary: i64 = db::query("SELECT COUNT(*) AS n FROM work_orders")
        .fetch_one(tolerant.pool())
        .await
        .unwrap()
        .try_get("n")
        .unwrap();
    let tolerant_status = tolerant.check_read_replica().await.unwrap();
    let stale = open_work_orders(&tolerant).await;
    // The same database with no lag allowed reads the primary instead.
    let strict = storage(&url, &replica, Duration::ZERO).await;
    let strict_status = strict.check_read_replica().await.unwrap();
    let fresh = open_work_orders(&strict).await;
    replay(&replica, false).await;

    assert_eq!(on_primary, 2);
    assert!(tolerant_status.serving && tolerant_status.lag_seconds.unwrap() > 0.0, "{tolerant_status:?}");
    assert_eq!(stale, 1, "within an hour's lag the report reads the replica, which has not replayed the second");
    assert!(!strict_status.serving && strict_status.reachable, "{strict_status:?}");
    assert_eq!(fresh, 2, "a replica further behind than allowed is passed over for the primary");

    // Replay resumed: the replica catches up and serves the new count.
    until_replayed(&tolerant, &replica, 2).await;
    assert_eq!(open_work_orders(&tolerant).await, 2);

    // A replica that does not answer: the reports read the primary.
    let gone = storage(&url, "postgres://postgres@127.0.0.1:9/nothing", Duration::from_secs(3600)).await;
    let status = gone.check_read_replica().await.unwrap();
    assert!(!status.reachable && !status.serving && status.lag_seconds.is_none(), "{status:?}");
    assert_eq!(open_work_orders(&gone).await, 2);
    // Without a replica there is nothing to check.
    let plain = PostgresStorage::connect(&url, 1).await.unwrap();
    assert!(plain.check_read_replica().await.is_none());
}
