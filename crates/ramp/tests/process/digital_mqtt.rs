//! `ramp serve --mqtt-url` against a real Mosquitto, on both engines
//! (issue 21): the operator issues a device's secret with `ramp digital
//! token`, which writes the broker's password line and reloads the broker
//! (`RAMP_MQTT_PASSWORD_FILE`, `RAMP_MQTT_RELOAD_COMMAND`); a bad report is
//! rejected with its reason in the log (no patient identity) and the next
//! one is stored; Ramp is killed (SIGKILL) in the middle of a QoS 1 stream
//! and started again, and every report is stored exactly once.

use crate::support::*;
use ramp_testkit::mosquitto::{self, Broker};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_a_killed_ramp_loses_no_mqtt_report_and_bad_ones_are_logged() {
    let url = format!("sqlite:{}", test_dir().join(format!("{}.db", unique_name())).display());
    a_killed_ramp_loses_no_mqtt_report_and_bad_ones_are_logged(&url).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_a_killed_ramp_loses_no_mqtt_report_and_bad_ones_are_logged() {
    let Some(db) = PgDatabase::create("digital mqtt test").await else { return };
    a_killed_ramp_loses_no_mqtt_report_and_bad_ones_are_logged(&db.url).await;
    db.drop().await;
}

fn report(n: u32, systolic: u32) -> Vec<u8> {
    let at = ramp_app::Clock::now(&ramp_app::SystemClock) - chrono::Duration::seconds(1);
    serde_json::to_vec(&json!({"id": format!("00000000-0000-4000-8000-{n:012}"), "kind": "blood_pressure",
        "at": at.to_rfc3339(), "values": {"systolic": systolic, "diastolic": 80, "pulse": 64}}))
    .expect("json")
}

/// Whether `text` holds something shaped like a personal identity number (YYYYMMDD-NNNN).
fn has_personal_id(text: &str) -> bool {
    let b = text.as_bytes();
    b.windows(13)
        .any(|w| w[..8].iter().all(u8::is_ascii_digit) && w[8] == b'-' && w[9..].iter().all(u8::is_ascii_digit))
}

async fn mqtt_count(url: &str) -> i64 {
    Db::connect(url).await.number("SELECT COUNT(*) FROM measurements WHERE channel = 'mqtt'").await
}

async fn await_count(url: &str, n: i64) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let got = mqtt_count(url).await;
        if got >= n {
            assert_eq!(got, n, "stored once each");
            return;
        }
        assert!(Instant::now() < deadline, "{got} of {n} MQTT reports stored");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The server's log once it has `n` lines containing `needle` (or the
/// deadline has passed: the caller's assertion then shows the log).
async fn await_log_lines(port: u16, needle: &str, n: usize) -> String {
    let path = test_dir().join(format!("crash-server-{port}.log"));
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let log = std::fs::read_to_string(&path).expect("server log");
        if log.lines().filter(|l| l.contains(needle)).count() >= n || Instant::now() >= deadline {
            return log;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn a_killed_ramp_loses_no_mqtt_report_and_bad_ones_are_logged(url: &str) {
    if !mosquitto::available() {
        assert!(std::env::var_os("CI").is_none(), "CI runs scripts/test, which installs mosquitto");
        return;
    }
    let broker = Broker::start().await;
    let file = broker.password_file();
    let path = file.path.display().to_string();
    let reload = file.reload_command.clone().expect("reload command");
    let env = [("RAMP_MQTT_PASSWORD_FILE", path.as_str()), ("RAMP_MQTT_RELOAD_COMMAND", reload.as_str())];
    let mqtt_url = broker.ramp_url();
    let args = ["serve", "--demo", "--demo-scale", "small", "--mqtt-url", mqtt_url.as_str()];
    let port = free_port();
    let mut server = Server::start_on(port, url, &args, &env).await;

    let token = {
        let out = std::process::Command::new(RAMP)
            .args(["token", "add", "--username", "lager", "--name", "Larmcentral"])
            .env("DATABASE_URL", url)
            .output()
            .expect("ramp token");
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };
    let devices: Vec<Value> = server
        .client
        .get(format!("{}/api/v1/digital/devices", server.base))
        .bearer_auth(&token)
        .send()
        .await
        .expect("list")
        .json()
        .await
        .expect("json");
    let number = devices
        .iter()
        .find(|d| d["model"].as_str().is_some_and(|m| m.starts_with("Blodtrycksmätare")))
        .and_then(|d| d["device_number"].as_str())
        .expect("the demo lends a blood-pressure monitor")
        .to_string();
    let out = std::process::Command::new(RAMP)
        .args(["digital", "token", "--device-number", &number])
        .env("DATABASE_URL", url)
        .envs(env)
        .output()
        .expect("ramp digital token");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let secret = String::from_utf8_lossy(&out.stdout).trim().to_string();

    let device = broker.await_device(&number, &secret).await;
    let topic = ramp_app::digital::mqtt::device_topic(&number);
    device.publish(&topic, b"{\"id\": 1}".to_vec()).await;
    device.publish(&topic, report(1, 400)).await;
    device.publish(&topic, report(2, 130)).await;
    await_count(url, 1).await;
    // A batch's rejections are logged once the batch is committed, so the
    // stored report can be seen a moment before they are.
    let log = await_log_lines(port, "MQTT report rejected", 2).await;
    let rejected: Vec<&str> = log.lines().filter(|l| l.contains("MQTT report rejected")).collect();
    assert_eq!(rejected.len(), 2, "{log}");
    assert!(rejected.iter().any(|l| l.contains("systolic")), "the field is named: {rejected:?}");
    assert!(rejected.iter().any(|l| l.contains("field=\"id\"") || l.contains("invalid_id")), "{rejected:?}");
    assert!(rejected.iter().all(|l| l.contains(&number)), "the device is named");
    assert!(!has_personal_id(&log), "no personal identity number in the log: {log}");

    // A stream of 300; Ramp is killed after the first 100 are sent and
    // started again after the next 100: the broker keeps what Ramp had not
    // acknowledged (stored or not) and delivers it again.
    for n in 0..100 {
        device.send(&topic, report(100 + n, 120 + n % 30)).await;
    }
    server.kill().await;
    for n in 100..200 {
        device.send(&topic, report(100 + n, 120 + n % 30)).await;
    }
    device.flush().await;
    let server = Server::start_on(port, url, &args, &env).await;
    for n in 200..300 {
        device.send(&topic, report(100 + n, 120 + n % 30)).await;
    }
    device.flush().await;
    await_count(url, 301).await;
    let metrics = server.client.get(format!("{}/metrics", server.base)).send().await.expect("metrics");
    let text = metrics.text().await.expect("text");
    assert!(text.contains("ramp_mqtt_broker_connected 1"), "{text}");
    device.disconnect().await;
}
