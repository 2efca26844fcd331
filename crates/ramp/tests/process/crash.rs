//! Kill the server with SIGKILL in the middle of a burst of orders, then
//! read the database directly: nothing may be half-written. Every order has
//! its lines and its first event, every ordered device is reserved with its
//! `reserved` and `ordered` events, no device is held twice, every device's
//! state is the `to_state` of its latest event, and every reservation
//! belongs to exactly one cart item or open order line. Three rounds of
//! load and kill on the same database; then the server is started again
//! and must take an order.
//!
//! Runs on SQLite always and on PostgreSQL when `RAMP_TEST_POSTGRES_URL`
//! names a cluster (scripts/test starts one).

use crate::support::*;
use reqwest::header::HeaderMap;
use reqwest::Client;
use serde_json::Value;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Orders placed before each kill (or the load's time limit, whichever comes first).
const ORDERS_BEFORE_KILL: usize = 15;
/// Load, kill, check: this many times on the same database.
const ROUNDS: usize = 3;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_killed_mid_load_leaves_no_half_written_order() {
    let url = format!("sqlite:{}", test_dir().join(format!("{}.db", unique_name())).display());
    killed_mid_load_leaves_no_half_written_order(&url).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_killed_mid_load_leaves_no_half_written_order() {
    let Some(db) = PgDatabase::create("crash test").await else { return };
    killed_mid_load_leaves_no_half_written_order(&db.url).await;
    db.drop().await;
}

async fn killed_mid_load_leaves_no_half_written_order(url: &str) {
    // Arrange: a server with the small demo, logged in as the demo prescriber.
    let mut server = Server::start(url).await;
    let mut session = server.login().await;
    let jobs = orderable_pairs(&server, &session, url).await;
    let baseline = Baseline::of(url).await;

    for round in 1..=ROUNDS {
        if round > 1 {
            server = Server::start(url).await;
            session = server.login().await;
        }
        // Act: concurrent orders, and SIGKILL while they are in flight.
        let (placed, attempts) = load_then_kill(&mut server, &session, &jobs).await;

        // Assert: the database as the killed server left it.
        eprintln!("{url}: round {round}: {placed} orders placed in {attempts} attempts before SIGKILL");
        assert!(placed > 0, "round {round}: no order was placed before the kill ({attempts} attempts)");
        assert!(attempts > placed, "round {round}: the kill came while requests were in flight");
        check_nothing_half_written(url, baseline).await;
    }

    // And it serves again: a new order goes through and can be read back.
    let mut again = Server::start(url).await;
    let session = again.login().await;
    let mut refusals = Vec::new();
    let mut order = None;
    for (i, (patient, article)) in jobs.iter().enumerate() {
        match place_order(&again.client, &again.base, &session, patient, article, format!("after-restart-{i}")).await {
            Ok(o) => {
                order = Some(o);
                break;
            }
            // Only running out of stock is an acceptable refusal here.
            Err(e) if e.contains("no_longer_available") => refusals.push(e),
            Err(e) => panic!("an order after the restart failed: {e}"),
        }
    }
    let order = order.unwrap_or_else(|| panic!("no order went through after the restart: {refusals:?}"));
    let id = order["id"].as_i64().expect("order id");
    let read = again.client.get(format!("{}/api/v1/orders/{id}", again.base)).headers(session.clone()).send().await;
    let read: Value = read.expect("GET order").json().await.expect("order json");
    assert_eq!(read["status"], "registered");
    assert!(!read["lines"].as_array().expect("lines").is_empty());
    again.kill().await;
}

/// Starts `CLIENTS` concurrent clients placing orders and kills the server
/// with SIGKILL once `ORDERS_BEFORE_KILL` have gone through. Returns the
/// orders placed and the attempts made (those cut off by the kill included).
async fn load_then_kill(server: &mut Server, session: &HeaderMap, jobs: &[(String, String)]) -> (usize, usize) {
    let placed = Arc::new(AtomicUsize::new(0));
    let deadline = Instant::now() + Duration::from_secs(15);
    let mut clients = Vec::new();
    for c in 0..CLIENTS {
        let (base, session, placed) = (server.base.clone(), session.clone(), placed.clone());
        // Each client orders for its own patients, so no client's order takes another's cart item.
        let mine: Vec<(String, String)> = jobs.iter().skip(c).step_by(CLIENTS).cloned().collect();
        clients.push(tokio::spawn(async move { keep_ordering(&base, &session, &mine, &placed, deadline).await }));
    }
    while placed.load(Ordering::Relaxed) < ORDERS_BEFORE_KILL && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    server.kill().await;
    let attempts: usize = futures_join(clients).await.into_iter().sum();
    (placed.load(Ordering::Relaxed), attempts)
}

/// An order for each pair in turn, through the cart and in one request
/// alternately, until the deadline or the server is gone. Counts successes in `placed`; returns the attempts made.
pub(crate) async fn keep_ordering(
    base: &str,
    session: &HeaderMap,
    jobs: &[(String, String)],
    placed: &AtomicUsize,
    deadline: Instant,
) -> usize {
    let client = Client::builder().timeout(Duration::from_secs(10)).build().expect("client");
    let mut attempts = 0;
    while Instant::now() < deadline {
        let (patient, article) = &jobs[attempts % jobs.len()];
        attempts += 1;
        // Every other order is placed in one request (its own write path on each engine).
        let key = format!("load-{}", rand_key());
        let placed_one = match attempts % 2 {
            0 => place_direct_order(&client, base, session, patient, article, key).await,
            _ => place_order(&client, base, session, patient, article, key).await,
        };
        match placed_one {
            Ok(_) => {
                placed.fetch_add(1, Ordering::Relaxed);
            }
            Err(e) if e.starts_with("transport") => break,
            Err(_) => {}
        }
    }
    attempts
}

fn rand_key() -> u64 {
    static N: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}
