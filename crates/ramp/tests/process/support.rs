//! What the process tests share: the `ramp` binary as a child process,
//! a logged-in client, order placement, and direct reads of the database.

use reqwest::header::{HeaderMap, HeaderValue, COOKIE, SET_COOKIE};
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use sqlx::{Connection, PgConnection, SqliteConnection};
use std::process::Stdio;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};
use tokio::process::{Child, Command};

pub const RAMP: &str = env!("CARGO_BIN_EXE_ramp");
/// Concurrent clients firing cart + order requests.
pub const CLIENTS: usize = 8;

/// The demo is decided by the demo region's agreement, which asks whether
/// a patient at home is in municipal home health care. These tests need
/// orders that go through, not a particular payer: the answer is "no".
pub fn demo_facts() -> Value {
    json!({"municipal_home_health_care": false})
}

pub static COUNTER: AtomicU32 = AtomicU32::new(0);

pub fn unique_name() -> String {
    format!("crash{}_{}", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed))
}

/// Where test files go (scripts/test removes `RAMP_TEST_TMPDIR` after the run).
pub fn test_dir() -> std::path::PathBuf {
    let dir = std::env::var_os("RAMP_TEST_TMPDIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("ramp-tests"));
    std::fs::create_dir_all(&dir).expect("test directory");
    dir
}

/// Places the order in one request with its line (accepting a replacement proposal).
pub async fn place_direct_order(
    client: &Client,
    base: &str,
    session: &HeaderMap,
    patient: &str,
    article: &str,
    key: String,
) -> Result<Value, String> {
    let order = json!({"target": "patient", "personal_id": patient, "goal": "Gå själv inomhus",
        "evaluation_date": "2099-01-01", "lines": [{"article_number": article, "need": "lasting", "facts": demo_facts()}]});
    let url = format!("{base}/api/v1/orders");
    let keys = (Some(key.as_str()), Some(format!("{key}-a")));
    let (status, body) =
        post_accepting(client, &url, session, order, |o| o["lines"][0]["replacement"] = json!("accept"), keys).await?;
    if status != StatusCode::CREATED {
        return Err(format!("order: {status} {}", body["code"]));
    }
    Ok(body)
}

/// Adds one cart item (accepting a replacement proposal) and places the order.
pub async fn place_order(
    client: &Client,
    base: &str,
    session: &HeaderMap,
    patient: &str,
    article: &str,
    key: String,
) -> Result<Value, String> {
    let item = json!({"target": "patient", "personal_id": patient, "article_number": article, "need": "lasting", "facts": demo_facts()});
    let url = format!("{base}/api/v1/cart/items");
    let (status, body) =
        post_accepting(client, &url, session, item, |i| i["replacement"] = json!("accept"), (None, None)).await?;
    if status != StatusCode::CREATED {
        return Err(format!("cart item: {status} {}", body["code"]));
    }
    let order = json!({"target": "patient", "personal_id": patient, "goal": "Gå själv inomhus", "evaluation_date": "2099-01-01"});
    let (status, body) = post(client, &format!("{base}/api/v1/orders"), session, &order, Some(&key)).await?;
    if status != StatusCode::CREATED {
        return Err(format!("order: {status} {}", body["code"]));
    }
    Ok(body)
}

/// Posts `body`; when the answer asks for a replacement answer, `accept`s
/// the proposal and posts again (each post with its idempotency key).
pub async fn post_accepting(
    client: &Client,
    url: &str,
    session: &HeaderMap,
    mut body: Value,
    accept: impl FnOnce(&mut Value),
    keys: (Option<&str>, Option<String>),
) -> Result<(StatusCode, Value), String> {
    let (status, answer) = post(client, url, session, &body, keys.0).await?;
    if status == StatusCode::CONFLICT && answer["code"] == "replacement_answer_required" {
        accept(&mut body);
        return post(client, url, session, &body, keys.1.as_deref()).await;
    }
    Ok((status, answer))
}

pub async fn post(
    client: &Client,
    url: &str,
    session: &HeaderMap,
    body: &Value,
    key: Option<&str>,
) -> Result<(StatusCode, Value), String> {
    let mut req = client.post(url).headers(session.clone()).json(body);
    if let Some(k) = key {
        req = req.header("Idempotency-Key", k);
    }
    let resp = req.send().await.map_err(|e| format!("transport: {e}"))?;
    let status = resp.status();
    let body = resp.json::<Value>().await.map_err(|e| format!("transport: {e}"))?;
    Ok((status, body))
}

/// (personal id, article number) pairs the preview says can be ordered now:
/// patients of the prescriber's unit, main devices in central stock.
pub async fn orderable_pairs(server: &Server, session: &HeaderMap, url: &str) -> Vec<(String, String)> {
    let mut db = Db::connect(url).await;
    let patients = db
        .strings(
            "SELECT p.personal_id FROM care_relationships c JOIN patients p ON p.id = c.patient_id \
             JOIN users u ON u.unit_id = c.unit_id WHERE u.username = 'forskrivare' AND c.valid_to IS NULL \
             ORDER BY p.id LIMIT 40",
        )
        .await;
    let articles = db
        .strings(
            "SELECT a.article_number FROM articles a JOIN devices d ON d.article_id = a.id \
             JOIN warehouses w ON w.id = d.warehouse_id AND w.kind = 'central' \
             WHERE a.kind = 'main_device' AND d.state = 'in_stock' GROUP BY a.article_number \
             ORDER BY COUNT(*) DESC, a.article_number LIMIT 30",
        )
        .await;
    let mut pairs = Vec::new();
    for (i, patient) in patients.iter().enumerate() {
        for k in 0..articles.len() {
            let article = &articles[(i + k) % articles.len()];
            let body =
                json!({"target": "patient", "personal_id": patient, "article_number": article, "facts": demo_facts()});
            let (status, preview) =
                post(&server.client, &format!("{}/api/v1/cart/preview", server.base), session, &body, None)
                    .await
                    .expect("preview");
            if status == StatusCode::OK && !preview["decision"].is_null() && preview["in_stock"].as_i64() > Some(0) {
                pairs.push((patient.clone(), article.clone()));
                break;
            }
        }
        if pairs.len() >= 2 * CLIENTS {
            break;
        }
    }
    assert!(pairs.len() >= CLIENTS, "too few orderable (patient, article) pairs in the demo: {pairs:?}");
    pairs
}

/// A direct connection to either engine, around the server rather than through it.
pub enum Db {
    Sqlite(SqliteConnection),
    Postgres(PgConnection),
}

impl Db {
    pub async fn connect(url: &str) -> Db {
        if url.starts_with("sqlite:") {
            Db::Sqlite(SqliteConnection::connect(url).await.expect("open the SQLite file"))
        } else {
            Db::Postgres(PgConnection::connect(url).await.expect("connect to PostgreSQL"))
        }
    }

    pub async fn strings(&mut self, sql: &str) -> Vec<String> {
        match self {
            Db::Sqlite(c) => sqlx::query_scalar(sql).fetch_all(c).await,
            Db::Postgres(c) => sqlx::query_scalar(sql).fetch_all(c).await,
        }
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    pub async fn ids(&mut self, sql: &str) -> Vec<i64> {
        match self {
            Db::Sqlite(c) => sqlx::query_scalar(sql).fetch_all(c).await,
            Db::Postgres(c) => sqlx::query_scalar(sql).fetch_all(c).await,
        }
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    pub async fn number(&mut self, sql: &str) -> i64 {
        self.ids(sql).await.first().copied().unwrap_or_else(|| panic!("{sql}: no row"))
    }

    /// Runs a query that lists violations; asserts it lists none.
    pub async fn none(&mut self, what: &str, sql: &str) {
        let rows = self.ids(sql).await;
        assert!(rows.is_empty(), "{what}: {rows:?}");
    }
}

/// Where the demo's history ends: rows past these ids were written under load.
#[derive(Debug, Clone, Copy)]
pub struct Baseline {
    pub device_event: i64,
    pub order: i64,
}

impl Baseline {
    pub async fn of(url: &str) -> Baseline {
        let mut db = Db::connect(url).await;
        Baseline {
            device_event: db.number("SELECT COALESCE(MAX(id), 0) FROM device_events").await,
            order: db.number("SELECT COALESCE(MAX(id), 0) FROM orders").await,
        }
    }
}

pub async fn check_nothing_half_written(url: &str, baseline: Baseline) {
    let mut db = Db::connect(url).await;
    let orders = db.number("SELECT COUNT(*) FROM orders").await;
    assert!(orders > 0, "orders were committed before the kill");
    db.none(
        "orders without lines",
        "SELECT o.id FROM orders o WHERE NOT EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id)",
    )
    .await;
    db.none(
        "orders without their 'registered' event",
        "SELECT o.id FROM orders o WHERE NOT EXISTS \
         (SELECT 1 FROM order_events e WHERE e.order_id = o.id AND e.to_status = 'registered')",
    )
    .await;
    db.none(
        "open order lines whose device is not reserved",
        "SELECT l.id FROM order_lines l JOIN devices d ON d.id = l.device_id WHERE l.state = 'open' AND d.state <> 'reserved'",
    )
    .await;
    // The demo's order history has deliveries without a reservation; lines placed under load must have both events.
    for kind in ["reserved", "ordered"] {
        db.none(
            &format!("order lines placed under load whose device has no '{kind}' event"),
            &format!(
                "SELECT l.id FROM order_lines l WHERE l.order_id > {} AND l.device_id IS NOT NULL AND NOT EXISTS \
                 (SELECT 1 FROM device_events e WHERE e.device_id = l.device_id AND e.kind = '{kind}')",
                baseline.order
            ),
        )
        .await;
    }
    db.none(
        "devices in two open order lines",
        "SELECT device_id FROM order_lines WHERE state = 'open' AND device_id IS NOT NULL GROUP BY device_id HAVING COUNT(*) > 1",
    )
    .await;
    db.none(
        "devices in two open loans",
        "SELECT device_id FROM loans WHERE end_date IS NULL GROUP BY device_id HAVING COUNT(*) > 1",
    )
    .await;
    db.none(
        "devices both in a cart and in an open order line",
        "SELECT c.device_id FROM cart_items c JOIN order_lines l ON l.device_id = c.device_id AND l.state = 'open'",
    )
    .await;
    db.none(
        "devices in an open loan and an open order line",
        "SELECT o.device_id FROM loans o JOIN order_lines l ON l.device_id = o.device_id AND l.state = 'open' WHERE o.end_date IS NULL",
    )
    .await;
    db.none(
        "devices whose state is not their latest event's to_state",
        "SELECT d.id FROM devices d JOIN device_events e ON e.id = \
         (SELECT MAX(x.id) FROM device_events x WHERE x.device_id = d.id) WHERE e.to_state <> d.state",
    )
    .await;
    db.none(
        "cart items whose device is not reserved by the cart's owner",
        "SELECT c.id FROM cart_items c JOIN devices d ON d.id = c.device_id \
         WHERE d.state <> 'reserved' OR d.reserved_by IS NULL OR d.reserved_by <> c.user_id",
    )
    .await;
    db.none(
        "reservations made under load held by no cart item and no open order line",
        &format!(
            "SELECT d.id FROM devices d WHERE d.state = 'reserved' \
             AND EXISTS (SELECT 1 FROM device_events e WHERE e.device_id = d.id AND e.id > {}) \
             AND NOT EXISTS (SELECT 1 FROM cart_items c WHERE c.device_id = d.id) \
             AND NOT EXISTS (SELECT 1 FROM order_lines l WHERE l.device_id = d.id AND l.state = 'open')",
            baseline.device_event
        ),
    )
    .await;
}

pub async fn futures_join(tasks: Vec<tokio::task::JoinHandle<usize>>) -> Vec<usize> {
    let mut out = Vec::with_capacity(tasks.len());
    for t in tasks {
        out.push(t.await.expect("client task"));
    }
    out
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("free port").local_addr().expect("addr").port()
}

/// `ramp serve --demo --demo-scale small` as a child process on a free port.
pub struct Server {
    pub child: Child,
    pub base: String,
    pub client: Client,
}

impl Server {
    pub async fn start(url: &str) -> Server {
        let port = free_port();
        Server::start_on(port, url, &["serve", "--demo", "--demo-scale", "small"], &[]).await
    }

    /// `ramp <args>` on `port` with the extra environment `env`, once ready.
    pub async fn start_on(port: u16, url: &str, args: &[&str], env: &[(&str, &str)]) -> Server {
        // The server's own output goes to a file beside the test databases, for when a check fails.
        let log_path = test_dir().join(format!("crash-server-{port}.log"));
        let log = std::fs::File::create(&log_path).expect("server log file");
        let child = Command::new(RAMP)
            .args(args)
            .envs(env.iter().copied())
            .env("DATABASE_URL", url)
            .env("RAMP_LISTEN", format!("127.0.0.1:{port}"))
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(log)
            .kill_on_drop(true)
            .spawn()
            .expect("start ramp serve");
        let server = Server { child, base: format!("http://127.0.0.1:{port}"), client: Client::new() };
        let until = Instant::now() + Duration::from_secs(30);
        loop {
            let ready = server.client.get(format!("{}/readyz", server.base)).send().await;
            if ready.is_ok_and(|r| r.status() == StatusCode::OK) {
                return server;
            }
            assert!(Instant::now() < until, "the server did not become ready within 30 s; see {}", log_path.display());
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Logs in as the demo prescriber; returns the headers a browser
    /// session sends (session and CSRF cookies, the CSRF header).
    pub async fn login(&self) -> HeaderMap {
        self.login_as("forskrivare").await
    }

    /// Logs in as a demo account (password `demo`); the headers as [`Server::login`].
    pub async fn login_as(&self, username: &str) -> HeaderMap {
        let resp = self
            .client
            .post(format!("{}/api/v1/session", self.base))
            .json(&json!({"username": username, "password": "demo"}))
            .send()
            .await
            .expect("login");
        assert_eq!(resp.status(), StatusCode::OK, "login as {username}/demo");
        let cookie = |name: &str| {
            resp.headers()
                .get_all(SET_COOKIE)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .find_map(|v| v.strip_prefix(&format!("{name}="))?.split(';').next().map(str::to_string))
                .unwrap_or_else(|| panic!("login sets the {name} cookie"))
        };
        let (session, csrf) = (cookie("ramp_session"), cookie("ramp_csrf"));
        let mut h = HeaderMap::new();
        h.insert(COOKIE, HeaderValue::from_str(&format!("ramp_session={session}; ramp_csrf={csrf}")).expect("cookie"));
        h.insert("x-csrf-token", HeaderValue::from_str(&csrf).expect("csrf"));
        h
    }

    /// SIGKILL: no shutdown, no drain, no flush.
    pub async fn kill(&mut self) {
        self.child.start_kill().expect("SIGKILL");
        self.child.wait().await.expect("reap the killed server");
    }
}

/// A new database on the test cluster (`RAMP_TEST_POSTGRES_URL`, which
/// scripts/test sets), for a PostgreSQL variant of a process test.
pub struct PgDatabase {
    admin: String,
    name: String,
    pub url: String,
}

impl PgDatabase {
    /// `None` (and a note on stderr) when no test cluster is configured.
    pub async fn create(test: &str) -> Option<PgDatabase> {
        let Ok(admin) = std::env::var("RAMP_TEST_POSTGRES_URL") else {
            eprintln!("RAMP_TEST_POSTGRES_URL is not set: the PostgreSQL {test} did not run (scripts/test sets it)");
            return None;
        };
        let name = unique_name();
        let mut conn = sqlx::PgConnection::connect(&admin).await.expect("connect to the test cluster");
        sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut conn).await.expect("create database");
        let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin);
        let url = format!("{base}/{name}");
        Some(PgDatabase { admin, name, url })
    }

    /// Drops the database (and whatever is still connected to it).
    pub async fn drop(self) {
        let mut conn = sqlx::PgConnection::connect(&self.admin).await.expect("connect to the test cluster");
        let sql = format!("DROP DATABASE {} WITH (FORCE)", self.name);
        sqlx::query(&sql).execute(&mut conn).await.expect("drop database");
    }
}
