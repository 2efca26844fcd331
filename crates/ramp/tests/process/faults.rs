//! The faults an operator meets, done for real to a running server under
//! an order load: its database's file system fills up (a size-limited
//! `tmpfs` mounted by the test, SQLite and PostgreSQL), and its PostgreSQL
//! server is stopped and started again. Throughout, every answer is a
//! success or a `503 storage_unavailable` problem (never a 500), `/readyz`
//! turns 503 while writes fail, the server recovers by itself once the
//! fault is gone, and afterwards every acknowledged order and every audit
//! row of an acknowledged patient read is in the database, with the
//! invariants of [`check_nothing_half_written`] holding.
//!
//! Mounting needs root (CI runs as root); elsewhere the file-system tests
//! print why they did not run.

use crate::support::*;
use reqwest::header::HeaderMap;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a fault may take to show, or recovery to come, before the test fails.
const PATIENCE: Duration = Duration::from_secs(90);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_full_disk_answers_503_recovers_by_itself_and_loses_nothing_acknowledged() {
    let Some(fs) = SmallFs::mount("sqlite-full", 96) else { return };
    let url = format!("sqlite:{}", fs.dir.join("ramp.db").display());
    survives(&url, async || fs.fill(), || fs.free()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_full_disk_answers_503_recovers_and_loses_nothing_acknowledged() {
    let Some(fs) = SmallFs::mount("pg-full", 160) else { return };
    let cluster = Cluster::start(&fs.dir.join("pg"));
    let fault = async || {
        fs.fill();
        // PostgreSQL writes into WAL segments it made earlier and into pages
        // it holds in memory, so a full disk shows when it needs a new
        // segment: switching segments brings that moment now.
        use_up_wal_segments(&cluster.url).await;
    };
    // PostgreSQL may have stopped itself when it could not write its WAL:
    // the operator starts it again once there is space.
    let heal = || {
        fs.free();
        cluster.ensure_running();
    };
    survives(&cluster.url, fault, heal).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_stopped_and_started_under_load_gives_503s_then_recovers_without_loss() {
    let cluster = Cluster::start(&test_dir().join(unique_name()).join("pg"));
    survives(&cluster.url, async || cluster.stop(), || cluster.ensure_running()).await;
}

/// A server on `url` under a load of orders and patient reads meets
/// `fault` once orders flow; when it shows (`/readyz` and some answers
/// 503), `heal` removes it and the server must recover without a restart.
/// Then: no answer but success or 503, and after a restart every
/// acknowledged order and audit row is stored, the invariants holding.
async fn survives(url: &str, fault: impl AsyncFnOnce(), heal: impl FnOnce()) {
    let mut server = Server::start(url).await;
    let session = server.login().await;
    let jobs = orderable_pairs(&server, &session, url).await;
    let baseline = Baseline::of(url).await;

    let load = Load::start(&server, &session, &jobs);
    load.wait_for_orders(10).await;
    fault().await;
    wait_for_not_ready(&server, &load).await;
    heal();
    let orders_when_healed = load.snapshot().orders.len();
    wait_for_recovery(&server, &load, orders_when_healed).await;
    let seen = load.stop().await;
    server.kill().await;

    seen.assert_only_success_or_unavailable();
    let again = Server::start(url).await;
    assert_acknowledged_are_stored(url, &seen).await;
    check_nothing_half_written(url, baseline).await;
    drop(again);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_only_sqlite_database_is_refused_at_start_with_a_clear_error_and_left_intact() {
    let Some(fs) = SmallFs::mount("sqlite-ro", 96) else { return };
    let url = format!("sqlite:{}", fs.dir.join("ramp.db").display());
    let mut server = Server::start(&url).await;
    let session = server.login().await;
    let jobs = orderable_pairs(&server, &session, &url).await;
    let load = Load::start(&server, &session, &jobs);
    load.wait_for_orders(5).await;
    let seen = load.stop().await;
    server.kill().await;
    let files_before = fs.listing();

    // Act: the file system is read-only when Ramp starts.
    fs.remount("ro");
    let out = StdCommand::new(RAMP)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env("DATABASE_URL", &url)
        .env("RUST_LOG", "warn")
        .output()
        .expect("run ramp serve");

    // Assert: it refuses to serve, says why, and writes nothing.
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "ramp serve started on a read-only database: {stderr}");
    assert!(stderr.contains("Ramp must write to it"), "the error says the database cannot be written: {stderr}");
    assert_eq!(fs.listing(), files_before, "nothing was written to the read-only file system");
    fs.remount("rw");
    let again = Server::start(&url).await;
    assert_acknowledged_are_stored(&url, &seen).await;
    drop(again);
}

/// `ramp restore` onto a disk too small for the database: it fails with
/// exit 1 and leaves neither a half database nor its partial copy, so the
/// same restore can be run again once there is room (not refused as "not
/// empty").
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sqlite_restore_cut_short_by_a_full_disk_leaves_no_half_database() {
    let Some(fs) = SmallFs::mount("restore-full", 1) else { return };
    let source = format!("sqlite:{}", test_dir().join(format!("{}.db", unique_name())).display());
    let file = test_dir().join(format!("{}.backup", unique_name())).display().to_string();
    let ramp = |url: &str, args: &[&str]| {
        StdCommand::new(RAMP).args(args).env("DATABASE_URL", url).env("RUST_LOG", "warn").output().expect("run ramp")
    };
    assert!(ramp(&source, &["demo", "--scale", "small"]).status.success(), "the demo loads");
    assert!(ramp(&source, &["backup", "--to", &file]).status.success(), "the backup is written");
    let target = format!("sqlite:{}", fs.dir.join("restored.db").display());
    for attempt in 1..=2 {
        let out = ramp(&target, &["restore", "--from", &file]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "attempt {attempt}: {stderr}");
        assert!(stderr.contains("restore into"), "attempt {attempt}: the error says what failed: {stderr}");
        assert!(fs.listing().is_empty(), "attempt {attempt}: nothing half-written is left: {:?}", fs.listing());
    }
}

/// Switches WAL segments (with the load writing between switches) until
/// PostgreSQL fails for want of space for a new one, or 500 switches.
async fn use_up_wal_segments(url: &str) {
    use sqlx::Connection;
    let Ok(mut conn) = sqlx::PgConnection::connect(url).await else { return };
    for _ in 0..500 {
        if sqlx::query("SELECT pg_switch_wal()").execute(&mut conn).await.is_err() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Waits until `/readyz` answers 503 and some request of the load was
/// refused with 503.
async fn wait_for_not_ready(server: &Server, load: &Load) {
    let until = Instant::now() + PATIENCE;
    let mut ready_503 = false;
    loop {
        ready_503 |= readyz(server).await == Some(StatusCode::SERVICE_UNAVAILABLE);
        let refused = load.snapshot().unavailable;
        if ready_503 && refused > 0 {
            return;
        }
        assert!(
            Instant::now() < until,
            "the fault did not show: /readyz 503 seen: {ready_503}, 503 answers: {refused}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until `/readyz` is 200 again and the load has placed orders
/// since the fault was removed, without restarting the server.
async fn wait_for_recovery(server: &Server, load: &Load, orders_before: usize) {
    let until = Instant::now() + PATIENCE;
    loop {
        let ready = readyz(server).await == Some(StatusCode::OK);
        let orders = load.snapshot().orders.len();
        if ready && orders > orders_before + 3 {
            return;
        }
        assert!(Instant::now() < until, "no recovery: /readyz 200: {ready}, orders {orders_before} → {orders}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn readyz(server: &Server) -> Option<StatusCode> {
    let client = Client::builder().timeout(Duration::from_secs(15)).build().expect("client");
    client.get(format!("{}/readyz", server.base)).send().await.ok().map(|r| r.status())
}

/// Every order answered 201 and every audit row of a patient read answered 200 is stored.
async fn assert_acknowledged_are_stored(url: &str, seen: &Seen) {
    let mut db = Db::connect(url).await;
    assert!(!seen.orders.is_empty() && !seen.reads.is_empty(), "the load placed orders and read patients");
    let ids = seen.orders.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    let stored = db.number(&format!("SELECT COUNT(*) FROM orders WHERE id IN ({ids})")).await;
    assert_eq!(stored as usize, seen.orders.len(), "acknowledged orders missing after the restart");
    let rids = seen.reads.iter().map(|r| format!("'{r}'")).collect::<Vec<_>>().join(",");
    let audited = db
        .number(&format!(
            "SELECT COUNT(DISTINCT request_id) FROM audit_log WHERE action = 'patient.overview' AND request_id IN ({rids})"
        ))
        .await;
    assert_eq!(audited as usize, seen.reads.len(), "patient reads answered 200 without a stored audit row");
    eprintln!(
        "{url}: {} orders and {} patient reads acknowledged and stored; answers by status: {:?}",
        seen.orders.len(),
        seen.reads.len(),
        seen.statuses
    );
}

/// What the load's clients were answered.
#[derive(Debug, Default, Clone)]
struct Seen {
    /// Ids of orders answered 201.
    orders: Vec<i64>,
    /// Request ids of patient overviews answered 200.
    reads: Vec<String>,
    /// Answers 503 with code `storage_unavailable`.
    unavailable: usize,
    statuses: BTreeMap<u16, usize>,
    /// Anything else a fault must not produce: 5xx other than that 503.
    wrong: Vec<String>,
}

impl Seen {
    fn assert_only_success_or_unavailable(&self) {
        assert!(self.wrong.is_empty(), "answers other than success or 503 storage_unavailable: {:?}", self.wrong);
        assert!(self.unavailable > 0, "the fault was seen by the clients as 503s");
    }

    fn record(&mut self, status: StatusCode, body: &str) {
        *self.statuses.entry(status.as_u16()).or_default() += 1;
        if status == StatusCode::SERVICE_UNAVAILABLE && body.contains("storage_unavailable") {
            self.unavailable += 1;
        } else if status.is_server_error() {
            self.wrong.push(format!("{status} {}", body.chars().take(200).collect::<String>()));
        }
    }
}

/// Clients that place direct orders and read patient overviews in turn
/// until stopped.
struct Load {
    seen: Arc<Mutex<Seen>>,
    stop: Arc<AtomicBool>,
    clients: Vec<tokio::task::JoinHandle<()>>,
}

impl Load {
    fn start(server: &Server, session: &HeaderMap, jobs: &[(String, String)]) -> Load {
        let seen = Arc::new(Mutex::new(Seen::default()));
        let stop = Arc::new(AtomicBool::new(false));
        let clients = (0..4)
            .map(|c| {
                let mine: Vec<(String, String)> = jobs.iter().skip(c).step_by(4).cloned().collect();
                let client =
                    LoadClient { base: server.base.clone(), session: session.clone(), jobs: mine, n: c * 1_000_000 };
                tokio::spawn(client.run(seen.clone(), stop.clone()))
            })
            .collect();
        Load { seen, stop, clients }
    }

    fn snapshot(&self) -> Seen {
        self.seen.lock().expect("seen").clone()
    }

    async fn wait_for_orders(&self, n: usize) {
        let until = Instant::now() + PATIENCE;
        while self.snapshot().orders.len() < n {
            assert!(Instant::now() < until, "the load placed fewer than {n} orders: {:?}", self.snapshot());
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    async fn stop(self) -> Seen {
        self.stop.store(true, Ordering::Relaxed);
        for c in self.clients {
            c.await.expect("load client");
        }
        let seen = self.seen.lock().expect("seen").clone();
        seen
    }
}

struct LoadClient {
    base: String,
    session: HeaderMap,
    jobs: Vec<(String, String)>,
    n: usize,
}

impl LoadClient {
    async fn run(mut self, seen: Arc<Mutex<Seen>>, stop: Arc<AtomicBool>) {
        let client = Client::builder().timeout(Duration::from_secs(30)).build().expect("client");
        while !stop.load(Ordering::Relaxed) {
            self.n += 1;
            let (patient, article) = self.jobs[self.n % self.jobs.len()].clone();
            self.order(&client, &seen, &patient, &article).await;
            self.read(&client, &seen, &patient).await;
        }
    }

    /// A direct order (accepting a replacement proposal).
    async fn order(&self, client: &Client, seen: &Mutex<Seen>, patient: &str, article: &str) {
        let mut body = json!({"target": "patient", "personal_id": patient, "goal": "Gå själv inomhus",
            "evaluation_date": "2099-01-01", "lines": [{"article_number": article, "need": "lasting", "facts": demo_facts()}]});
        let key = format!("fault-{}-{}", std::process::id(), self.n);
        let Some((mut status, mut text)) = self.post(client, "/api/v1/orders", &body, Some(&key)).await else { return };
        if status == StatusCode::CONFLICT && text.contains("replacement_answer_required") {
            body["lines"][0]["replacement"] = json!("accept");
            let Some(answer) = self.post(client, "/api/v1/orders", &body, Some(&format!("{key}-a"))).await else {
                return;
            };
            (status, text) = answer;
        }
        let mut seen = seen.lock().expect("seen");
        seen.record(status, &text);
        if status == StatusCode::CREATED {
            let order: Value = serde_json::from_str(&text).expect("order json");
            seen.orders.push(order["id"].as_i64().expect("order id"));
        }
    }

    /// The patient overview; the server's request id (answered in
    /// `X-Request-Id`) finds its audit row.
    async fn read(&self, client: &Client, seen: &Mutex<Seen>, patient: &str) {
        let req = client
            .post(format!("{}/api/v1/patients/overview", self.base))
            .headers(self.session.clone())
            .json(&json!({"personal_id": patient}));
        let Ok(resp) = req.send().await else { return };
        let status = resp.status();
        let rid = resp.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
        let text = resp.text().await.unwrap_or_default();
        let mut seen = seen.lock().expect("seen");
        seen.record(status, &text);
        if status == StatusCode::OK {
            seen.reads.push(rid);
        }
    }

    async fn post(&self, client: &Client, path: &str, body: &Value, key: Option<&str>) -> Option<(StatusCode, String)> {
        let mut req = client.post(format!("{}{path}", self.base)).headers(self.session.clone()).json(body);
        if let Some(k) = key {
            req = req.header("Idempotency-Key", k);
        }
        let resp = req.send().await.ok()?;
        let status = resp.status();
        Some((status, resp.text().await.unwrap_or_default()))
    }
}

/// A size-limited `tmpfs`, mounted for one test and unmounted after it.
struct SmallFs {
    dir: PathBuf,
}

impl SmallFs {
    /// Mounts `megabytes` of tmpfs, or says why it cannot and returns `None`.
    fn mount(name: &str, megabytes: u32) -> Option<SmallFs> {
        let dir = test_dir().join(format!("{}-{name}", unique_name()));
        std::fs::create_dir_all(&dir).expect("mount point");
        let out = StdCommand::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={megabytes}m,mode=0777"), "tmpfs"])
            .arg(&dir)
            .output();
        match out {
            Ok(o) if o.status.success() => Some(SmallFs { dir }),
            Ok(o) => {
                eprintln!("SKIPPED {name}: cannot mount a tmpfs here ({})", String::from_utf8_lossy(&o.stderr).trim());
                None
            }
            Err(e) => {
                eprintln!("SKIPPED {name}: cannot run mount ({e})");
                None
            }
        }
    }

    /// Remounts read-only (`ro`) or writable again (`rw`).
    fn remount(&self, how: &str) {
        let ok = StdCommand::new("mount").args(["-o", &format!("remount,{how}")]).arg(&self.dir).status();
        assert!(ok.is_ok_and(|s| s.success()), "remount {how} {}", self.dir.display());
    }

    /// The files of the file system with their sizes.
    fn listing(&self) -> Vec<(String, u64)> {
        let mut files: Vec<(String, u64)> = std::fs::read_dir(&self.dir)
            .expect("list the file system")
            .map(|e| e.expect("entry"))
            .map(|e| (e.file_name().to_string_lossy().into_owned(), e.metadata().expect("metadata").len()))
            .collect();
        files.sort();
        files
    }

    /// Writes a ballast file until the file system is full.
    fn fill(&self) {
        let path = self.dir.join("ballast");
        let mut file = std::fs::File::create(&path).expect("ballast file");
        let mut chunk = vec![0u8; 1 << 20];
        while !chunk.is_empty() {
            if file.write_all(&chunk).is_err() {
                chunk.truncate(chunk.len() / 2);
            }
        }
        let _ = file.sync_all();
    }

    /// Removes the ballast: the space is there again.
    fn free(&self) {
        std::fs::remove_file(self.dir.join("ballast")).expect("free the space again");
    }
}

impl Drop for SmallFs {
    fn drop(&mut self) {
        let _ = StdCommand::new("umount").arg("-l").arg(&self.dir).status();
    }
}

/// A PostgreSQL cluster of this test's own (`scripts/pg-cluster`), so that
/// stopping it or filling its disk touches no other test.
struct Cluster {
    dir: PathBuf,
    port: u16,
    url: String,
}

impl Cluster {
    fn start(dir: &Path) -> Cluster {
        let port = std::net::TcpListener::bind("127.0.0.1:0").expect("free port").local_addr().expect("addr").port();
        let url = pg_cluster(&["start", &dir.display().to_string(), &port.to_string()]);
        Cluster { dir: dir.to_path_buf(), port, url: url.trim().to_string() }
    }

    fn stop(&self) {
        pg_cluster(&["stop", &self.dir.display().to_string()]);
    }

    /// Starts the server unless it runs (after a stop, or after it stopped itself).
    fn ensure_running(&self) {
        pg_cluster(&["stop", &self.dir.display().to_string()]);
        pg_cluster(&["start", &self.dir.display().to_string(), &self.port.to_string()]);
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Runs `scripts/pg-cluster` with `args`; returns what it printed. The
/// server commits as production must (`synchronous_commit=on`: a commit is
/// answered once its WAL is written), not as the shared test cluster does.
fn pg_cluster(args: &[&str]) -> String {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/pg-cluster");
    let out = StdCommand::new(script)
        .args(args)
        .env("RAMP_PG_OPTIONS", "-c synchronous_commit=on")
        .output()
        .expect("run scripts/pg-cluster");
    assert!(out.status.success(), "pg-cluster {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}
