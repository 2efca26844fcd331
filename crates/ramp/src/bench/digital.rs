//! `ramp bench digital`: sustained ingest of digital devices' measurements
//! (issue 21) over MQTT and over HTTP, against the broker's own QoS 1
//! throughput measured in the same run, and the alarm latency from
//! publish to alarm row.
//!
//! Setup: the small demo if the database is empty; `--devices` simulated
//! digital devices (`BENCH-DIG-n`, blood-pressure monitors lent to the
//! demo's patients with a current care relationship, cycled), each with a
//! secret issued in bulk straight into the store and its line in the
//! broker's password file. A private Mosquitto (Debian's) runs in a temp
//! directory, configured as `docs/DIGITAL.md` says, with one extra user:
//! the load generator, which may publish to every device's topic (so a few
//! connections simulate many devices; the per-device ACL is tested in the
//! test suite, not here).
//!
//! Phases, each `--duration` seconds:
//! 1. broker: publishers at QoS 1 → broker → one QoS 1 subscriber (a
//!    plain rumqttc client, acknowledging at once): messages/s delivered.
//! 2. MQTT: the same publishers to the devices' topics → Ramp's subscriber
//!    (in this process, the same code as `ramp serve --mqtt-url`):
//!    measurements/s stored (committed, then acknowledged).
//! 3. HTTP: `--clients` concurrent clients POST reports with the devices'
//!    secrets: measurements/s stored (202).
//! 4. alarms: `--alarms` reports above the clinical default at a steady
//!    pace over MQTT; latency from publish to the alarm row's `raised_at`.

use super::setup::RawDb;
use crate::{db, CliError, Config};
use chrono::Utc;
use clap::Args;
use ramp_app::digital::mqtt::{device_topic, spawn_subscriber, MqttSettings};
use ramp_app::digital::{mosquitto_hash, MqttPasswordFile};
use ramp_app::{App, AppConfig, SystemClock};
use ramp_storage::db::query;
use rumqttc::{AsyncClient, Event, MqttOptions, Packet, QoS};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Args)]
pub struct DigitalArgs {
    /// Simulated digital devices (created once per database, reused after).
    #[arg(long, default_value_t = 1500)]
    pub devices: u32,
    /// Seconds measured in each phase.
    #[arg(long, default_value_t = 20)]
    pub duration: u64,
    /// MQTT publisher connections of the load generator.
    #[arg(long, default_value_t = 4)]
    pub publishers: u32,
    /// Concurrent HTTP clients.
    #[arg(long, default_value_t = 16)]
    pub clients: u32,
    /// Alarming reports for the latency phase (sent 50 a second).
    #[arg(long, default_value_t = 200)]
    pub alarms: u32,
    /// The broker program (Debian's mosquitto; `scripts/mosquitto` installs it).
    #[arg(long, default_value = "/usr/sbin/mosquitto")]
    pub mosquitto: PathBuf,
}

const BENCH_USER: &str = "bench-load";
const BENCH_PASSWORD: &str = "bench-load-password";
const RAMP_USER: &str = "ramp-ingest";
const RAMP_PASSWORD: &str = "bench-ramp-password";

fn failed(what: &str) -> impl Fn(String) -> CliError + '_ {
    move |e| CliError::failed(format!("{what}: {e}"))
}

fn rss_kib(pid: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmRSS:")).map(str::to_string))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        .unwrap_or(0)
}

struct Broker {
    child: tokio::process::Child,
    port: u16,
    dir: PathBuf,
}

impl Broker {
    async fn start(program: &PathBuf, dir: PathBuf) -> Result<Broker, CliError> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| CliError::failed(format!("port: {e}")))?
            .port();
        let conf = format!(
            "listener {port} 127.0.0.1\nallow_anonymous false\npassword_file {d}/passwords\nacl_file {d}/acl\n\
             persistence true\npersistence_location {d}/\nautosave_interval 60\nmax_queued_messages 10000000\n\
             max_inflight_messages 1000\nuser root\nlog_dest file {d}/broker.log\nlog_type error\nlog_type warning\n",
            d = dir.display()
        );
        let acl = "pattern write ramp/v1/devices/%u/measurements\n\nuser ramp-ingest\ntopic read ramp/v1/devices/+/measurements\n\n\
                   user bench-load\ntopic readwrite ramp/v1/devices/+/measurements\ntopic readwrite bench/ceiling/#\n";
        std::fs::write(dir.join("mosquitto.conf"), conf).map_err(|e| failed("broker config")(e.to_string()))?;
        std::fs::write(dir.join("acl"), acl).map_err(|e| failed("acl")(e.to_string()))?;
        let child = tokio::process::Command::new(program)
            .arg("-c")
            .arg(dir.join("mosquitto.conf"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| {
                CliError::failed(format!("start {} (scripts/mosquitto installs it): {e}", program.display()))
            })?;
        let deadline = Instant::now() + Duration::from_secs(20);
        while tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_err() {
            if Instant::now() > deadline {
                return Err(CliError::failed("the broker did not listen in time"));
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        Ok(Broker { child, port, dir })
    }

    fn rss_kib(&self) -> u64 {
        self.child.id().map_or(0, |pid| rss_kib(&pid.to_string()))
    }
}

/// The simulated devices: (device number, secret), created when missing.
async fn prepare_devices(raw: &RawDb, n: u32) -> Result<Vec<(String, String)>, CliError> {
    let e = |e: ramp_storage::StorageError| CliError::failed(format!("database: {e}"));
    let pool = raw.pool();
    let have: i64 = query("SELECT COUNT(*) FROM devices WHERE device_number LIKE 'BENCH-DIG-%'")
        .fetch_one(pool)
        .await
        .and_then(|r| r.try_get(0))
        .map_err(e)?;
    let secret = |i: u32| format!("bench-secret-{i:06}");
    let number = |i: u32| format!("BENCH-DIG-{i:06}");
    if have < i64::from(n) {
        let template: i64 = query(
            "SELECT d.id FROM devices d JOIN articles a ON a.id = d.article_id \
             WHERE a.name LIKE 'Blodtrycksm%' ORDER BY d.id LIMIT 1",
        )
        .fetch_one(pool)
        .await
        .and_then(|r| r.try_get(0))
        .map_err(e)?;
        let patients: Vec<i64> = query(
            "SELECT DISTINCT patient_id FROM care_relationships WHERE valid_to IS NULL ORDER BY patient_id LIMIT 100000",
        )
        .fetch_all(pool)
        .await
        .map_err(e)?
        .iter()
        .map(|r| r.try_get(0))
        .collect::<Result<_, _>>()
        .map_err(e)?;
        if patients.is_empty() {
            return Err(CliError::failed("no patient with a care relationship to lend bench devices to"));
        }
        eprintln!("creating {} simulated digital devices with their secrets ...", i64::from(n) - have);
        let now = ramp_app::Clock::now(&SystemClock);
        for chunk in (have as u32..n).collect::<Vec<_>>().chunks(500) {
            let values: Vec<String> = chunk
                .iter()
                .map(|i| format!("('{}', {})", number(*i), patients[*i as usize % patients.len()]))
                .collect();
            let sql = format!(
                "INSERT INTO devices (device_number, article_id, purchase_date, purchase_price_ore, state, patient_id, \
                 state_since) SELECT v.column1, t.article_id, t.purchase_date, t.purchase_price_ore, 'with_patient', \
                 v.column2, $1 FROM (VALUES {}) v CROSS JOIN devices t WHERE t.id = {template}",
                values.join(", ")
            );
            query(sql).bind(now).execute(pool).await.map_err(e)?;
            let values: Vec<String> = chunk
                .iter()
                .map(|i| format!("('{}', '{}')", number(*i), ramp_app::auth::token_hash(&secret(*i))))
                .collect();
            let sql = format!(
                "INSERT INTO device_credentials (device_id, secret_hash, created_at) SELECT d.id, v.column2, $1 \
                 FROM (VALUES {}) v JOIN devices d ON d.device_number = v.column1",
                values.join(", ")
            );
            query(sql).bind(now).execute(pool).await.map_err(e)?;
        }
    }
    Ok((0..n).map(|i| (number(i), secret(i))).collect())
}

fn options(id: &str, port: u16, user: &str, password: &str, clean: bool) -> MqttOptions {
    let mut o = MqttOptions::new(id, "127.0.0.1", port);
    o.set_credentials(user, password);
    o.set_keep_alive(Duration::from_secs(30));
    o.set_clean_session(clean);
    o.set_inflight(200);
    o
}

fn report_json(run: u64, n: u64, systolic: u32) -> Vec<u8> {
    format!(
        "{{\"id\":\"{:08x}-{:04x}-4000-8000-{:012x}\",\"kind\":\"blood_pressure\",\"at\":\"{}\",\"values\":{{\"systolic\":{systolic},\"diastolic\":80,\"pulse\":66}}}}",
        run as u32,
        (run >> 32) as u16,
        n,
        ramp_app::Clock::now(&SystemClock).to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
    )
    .into_bytes()
}

/// How far the publishers may run ahead of what the receiving end has taken:
/// the load is sustained, not a backlog that grows for the whole phase.
const WINDOW: u64 = 20_000;

/// How many messages the receiving end has taken so far.
type Done = Arc<dyn Fn() -> u64 + Send + Sync>;

/// Publishers sending QoS 1 as fast as the broker acknowledges and the
/// receiving end keeps up (at most [`WINDOW`] ahead of `done`), until `stop`.
async fn publish_loop(
    port: u16,
    publishers: u32,
    topics: Arc<Vec<String>>,
    run: u64,
    counter: Arc<AtomicU64>,
    done: Done,
    stop: Arc<AtomicBool>,
) -> Vec<tokio::task::JoinHandle<()>> {
    let base = done();
    let mut tasks = Vec::new();
    for p in 0..publishers {
        let (client, mut eventloop) =
            AsyncClient::new(options(&format!("bench-pub-{run}-{p}"), port, BENCH_USER, BENCH_PASSWORD, true), 1000);
        tasks.push(tokio::spawn(async move {
            loop {
                if eventloop.poll().await.is_err() {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            }
        }));
        let (topics, counter, stop, done) = (topics.clone(), counter.clone(), stop.clone(), done.clone());
        tasks.push(tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                if counter.load(Ordering::Relaxed) > done() - base + WINDOW {
                    tokio::time::sleep(Duration::from_millis(1)).await;
                    continue;
                }
                let n = counter.fetch_add(1, Ordering::Relaxed);
                let topic = &topics[(n as usize) % topics.len()];
                if client
                    .publish(topic.as_str(), QoS::AtLeastOnce, false, report_json(run, n, 120 + (n % 40) as u32))
                    .await
                    .is_err()
                {
                    break;
                }
            }
        }));
    }
    tasks
}

pub async fn run(args: DigitalArgs, config: &Config) -> Result<(), CliError> {
    let started = Instant::now();
    let url = config.database_url.clone();
    let storage = db::open_migrated(config).await?;
    if storage.counts().await?.principals == 0 {
        crate::demo_cmd::load_small_for_bench(&storage).await?;
    }
    let raw = RawDb::connect(&url).await?;
    let devices = prepare_devices(&raw, args.devices).await?;
    let dir = std::env::temp_dir().join(format!("ramp-bench-mqtt-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| failed("temp dir")(e.to_string()))?;
    eprintln!("writing the broker's password file ({} devices) ...", devices.len());
    let mut text =
        format!("{RAMP_USER}:{}\n{BENCH_USER}:{}\n", mosquitto_hash(RAMP_PASSWORD), mosquitto_hash(BENCH_PASSWORD));
    for (number, secret) in &devices {
        text += &format!("{number}:{}\n", mosquitto_hash(secret));
    }
    std::fs::write(dir.join("passwords"), text).map_err(|e| failed("password file")(e.to_string()))?;
    let mut broker = Broker::start(&args.mosquitto, dir.clone()).await?;
    let port = broker.port;
    let duration = Duration::from_secs(args.duration);
    let run_id = ramp_app::Clock::now(&SystemClock).timestamp_micros() as u64;
    let device_topics: Arc<Vec<String>> = Arc::new(devices.iter().map(|(n, _)| device_topic(n)).collect());

    // 1. The broker's own QoS 1 throughput: publishers → broker → one subscriber.
    eprintln!("phase 1: the broker's own QoS 1 throughput, {} s ...", args.duration);
    let received = Arc::new(AtomicU64::new(0));
    let (sub, mut sub_loop) =
        AsyncClient::new(options(&format!("bench-sub-{run_id}"), port, BENCH_USER, BENCH_PASSWORD, true), 1000);
    sub.subscribe("bench/ceiling/#", QoS::AtLeastOnce).await.map_err(|e| failed("subscribe")(e.to_string()))?;
    let (r, subscribed) = (received.clone(), Arc::new(tokio::sync::Notify::new()));
    let s2 = subscribed.clone();
    let sub_task = tokio::spawn(async move {
        loop {
            match sub_loop.poll().await {
                Ok(Event::Incoming(Packet::Publish(_))) => {
                    r.fetch_add(1, Ordering::Relaxed);
                }
                Ok(Event::Incoming(Packet::SubAck(_))) => s2.notify_one(),
                Ok(_) => {}
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        }
    });
    subscribed.notified().await;
    let ceiling_topics: Arc<Vec<String>> =
        Arc::new(devices.iter().take(1000).map(|(n, _)| format!("bench/ceiling/{n}/measurements")).collect());
    let stop = Arc::new(AtomicBool::new(false));
    let r = received.clone();
    let done: Done = Arc::new(move || r.load(Ordering::Relaxed));
    let tasks =
        publish_loop(port, args.publishers, ceiling_topics, run_id, Arc::new(AtomicU64::new(0)), done, stop.clone())
            .await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let (r0, t0) = (received.load(Ordering::Relaxed), Instant::now());
    tokio::time::sleep(duration).await;
    let broker_rate = (received.load(Ordering::Relaxed) - r0) as f64 / t0.elapsed().as_secs_f64();
    stop.store(true, Ordering::Relaxed);
    for t in tasks {
        t.abort();
    }
    sub_task.abort();
    let broker_rss_ceiling = broker.rss_kib();

    // 2. MQTT ingest through Ramp's subscriber.
    eprintln!("phase 2: MQTT ingest into Ramp, {} s ...", args.duration);
    let app_config = AppConfig {
        mqtt_password_file: Some(MqttPasswordFile { path: dir.join("passwords"), reload_command: None }),
        ..AppConfig::default()
    };
    let app = App::new(storage.clone(), Arc::new(SystemClock), app_config);
    let settings = MqttSettings::parse(&format!(
        "mqtt://{RAMP_USER}:{RAMP_PASSWORD}@127.0.0.1:{port}?client_id=ramp-bench-{run_id}"
    ))
    .map_err(failed("mqtt url"))?;
    spawn_subscriber(app.clone(), settings);
    let deadline = Instant::now() + Duration::from_secs(20);
    while app.digital_stats().mqtt_ready() != Some(true) {
        if Instant::now() > deadline {
            return Err(CliError::failed("Ramp did not connect to the broker"));
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let stored = || app.digital_stats().mqtt.stored.load(Ordering::Relaxed);
    let sent = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let a = app.clone();
    let done: Done = Arc::new(move || {
        let m = &a.digital_stats().mqtt;
        m.stored.load(Ordering::Relaxed) + m.duplicates.load(Ordering::Relaxed) + m.rejected.load(Ordering::Relaxed)
    });
    let tasks =
        publish_loop(port, args.publishers, device_topics.clone(), run_id + 1, sent.clone(), done, stop.clone()).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let (s0, t0) = (stored(), Instant::now());
    tokio::time::sleep(duration).await;
    let mqtt_rate = (stored() - s0) as f64 / t0.elapsed().as_secs_f64();
    stop.store(true, Ordering::Relaxed);
    for t in tasks {
        t.abort();
    }
    let published = sent.load(Ordering::Relaxed);
    let rss_mqtt = rss_kib("self");
    let broker_rss_mqtt = broker.rss_kib();
    // Let the backlog drain (reported, not measured) so the next phases start clean.
    let drain_start = Instant::now();
    let mut last = stored();
    loop {
        tokio::time::sleep(Duration::from_millis(500)).await;
        let now = stored();
        if now == last || drain_start.elapsed() > Duration::from_secs(300) {
            break;
        }
        last = now;
    }
    let drained = stored();

    // 3. HTTP ingest, in-process server, concurrent clients.
    eprintln!("phase 3: HTTP ingest, {} clients, {} s ...", args.clients, args.duration);
    let state = ramp_web::AppState::new(app.clone(), Arc::new(ramp_app::agreements::Agreements::builtin()), false);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.map_err(|e| failed("bind")(e.to_string()))?;
    let addr = listener.local_addr().map_err(|e| failed("addr")(e.to_string()))?;
    let server = tokio::spawn(ramp_web::serve(listener, state, std::future::pending()));
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(args.clients as usize)
        .build()
        .map_err(|e| failed("http")(e.to_string()))?;
    let stop = Arc::new(AtomicBool::new(false));
    let counter = Arc::new(AtomicU64::new(0));
    let errors = Arc::new(AtomicU64::new(0));
    let devices = Arc::new(devices);
    let mut tasks = Vec::new();
    for _ in 0..args.clients {
        let (http, stop, counter, errors, devices) =
            (http.clone(), stop.clone(), counter.clone(), errors.clone(), devices.clone());
        let target = format!("http://{addr}/api/v1/digital/measurements");
        tasks.push(tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                let n = counter.fetch_add(1, Ordering::Relaxed);
                let (_, secret) = &devices[(n as usize * 7919) % devices.len()];
                let resp = http
                    .post(&target)
                    .bearer_auth(secret)
                    .header("content-type", "application/json")
                    .body(report_json(run_id + 2, n, 120 + (n % 40) as u32))
                    .send()
                    .await;
                if !resp.is_ok_and(|r| r.status().as_u16() == 202) {
                    errors.fetch_add(1, Ordering::Relaxed);
                }
            }
        }));
    }
    let http_stored = || app.digital_stats().http.stored.load(Ordering::Relaxed);
    tokio::time::sleep(Duration::from_secs(2)).await;
    let (h0, t0) = (http_stored(), Instant::now());
    tokio::time::sleep(duration).await;
    let http_rate = (http_stored() - h0) as f64 / t0.elapsed().as_secs_f64();
    stop.store(true, Ordering::Relaxed);
    for t in tasks {
        let _ = t.await;
    }
    server.abort();
    let rss_http = rss_kib("self");

    // 4. Alarm latency: reports above the default (systolic ≥ 180) at 50/s.
    eprintln!("phase 4: alarm latency, {} alarming reports at 50/s ...", args.alarms);
    let (client, mut eventloop) =
        AsyncClient::new(options(&format!("bench-alarm-{run_id}"), port, BENCH_USER, BENCH_PASSWORD, true), 1000);
    let el = tokio::spawn(async move {
        loop {
            if eventloop.poll().await.is_err() {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    });
    let alarm_run = run_id + 3;
    let mut sent_at = std::collections::HashMap::new();
    let mut tick = tokio::time::interval(Duration::from_millis(20));
    for n in 0..u64::from(args.alarms) {
        tick.tick().await;
        let topic = &device_topics[(n as usize * 104_729) % device_topics.len()];
        let body = report_json(alarm_run, n, 190);
        let id = String::from_utf8_lossy(&body[7..43]).to_string();
        sent_at.insert(id, ramp_app::Clock::now(&SystemClock));
        client
            .publish(topic.as_str(), QoS::AtLeastOnce, false, body)
            .await
            .map_err(|e| failed("publish")(e.to_string()))?;
    }
    let prefix = format!("{:08x}-{:04x}-", alarm_run as u32, (alarm_run >> 32) as u16);
    let sql = format!(
        "SELECT m.client_id, al.raised_at FROM alarms al JOIN measurements m ON m.id = al.measurement_id WHERE m.client_id LIKE '{prefix}%'"
    );
    let deadline = Instant::now() + Duration::from_secs(60);
    let rows = loop {
        let rows = query(sql.clone()).fetch_all(raw.pool()).await.map_err(|e| failed("alarms")(e.to_string()))?;
        if rows.len() >= args.alarms as usize || Instant::now() > deadline {
            break rows;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    el.abort();
    let mut latencies: Vec<f64> = rows
        .iter()
        .filter_map(|r| {
            let id: String = r.try_get(0).ok()?;
            let raised: chrono::DateTime<Utc> = r.try_get(1).ok()?;
            Some((raised - *sent_at.get(&id)?).num_microseconds()? as f64 / 1000.0)
        })
        .collect();
    latencies.sort_by(|a, b| a.total_cmp(b));
    let pct = |p: f64| {
        latencies.get(((latencies.len() as f64 * p).ceil() as usize).saturating_sub(1)).copied().unwrap_or(f64::NAN)
    };

    let broker_rss = broker.rss_kib();
    let _ = broker.child.start_kill();
    let _ = broker.child.wait().await;
    let _ = std::fs::remove_dir_all(&broker.dir);
    println!(
        "ramp bench digital: {} on {}, {} devices, {} s per phase, {} publishers, {} HTTP clients",
        storage.engine(),
        crate::config::redact_url(&url),
        args.devices,
        args.duration,
        args.publishers,
        args.clients
    );
    println!("  broker alone (QoS 1 pub → sub):  {broker_rate:>8.0} messages/s");
    println!(
        "  MQTT ingest (stored):            {mqtt_rate:>8.0} measurements/s   ratio {:.2}",
        mqtt_rate / broker_rate
    );
    println!("    published in the phase {published}, backlog drained after: {drained} stored in all");
    println!(
        "  HTTP ingest (stored, 202):       {http_rate:>8.0} measurements/s   ratio {:.2} (errors {})",
        http_rate / broker_rate,
        errors.load(Ordering::Relaxed)
    );
    println!(
        "  alarm latency publish → alarm row: p50 {:.0} ms, p99 {:.0} ms, max {:.0} ms ({} of {} alarms)",
        pct(0.50),
        pct(0.99),
        latencies.last().copied().unwrap_or(f64::NAN),
        latencies.len(),
        args.alarms
    );
    println!(
        "  RSS: ramp+load {} MiB after MQTT, {} MiB after HTTP; broker {} MiB (ceiling) / {} MiB (MQTT) / {} MiB (end)",
        rss_mqtt / 1024,
        rss_http / 1024,
        broker_rss_ceiling / 1024,
        broker_rss_mqtt / 1024,
        broker_rss / 1024
    );
    println!("  total time {:.0} s", started.elapsed().as_secs_f64());
    Ok(())
}
