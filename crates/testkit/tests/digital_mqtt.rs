//! MQTT ingest against a real Eclipse Mosquitto on both engines (issue 21):
//! each test starts a private broker (no anonymous clients, the password
//! file Ramp keeps in step with device secrets, the ACL, persistence) and
//! Ramp's subscriber. Reports over MQTT and HTTP are stored once each; a
//! breach over MQTT alarms in the responsible unit's list; a broker
//! restart in the middle of a stream loses no QoS 1 message; bad payloads
//! are rejected and the stream goes on; the ACL refuses another device's
//! topic; a revoked secret cannot connect; `/readyz` and `/metrics`
//! follow. The Ramp-restart case is the `ramp` process test `digital_mqtt`.

use crate::digital::{bp, report, secret_for, setup};
use ramp_app::digital::mqtt::{device_topic, spawn_subscriber, MqttSettings};
use ramp_app::AppConfig;
use ramp_testkit::mosquitto::{is_refused, Broker};
use ramp_testkit::{spawn_app_with_config, Engine, TestApp};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

struct Setup {
    app: TestApp,
    broker: Broker,
}

async fn start(engine: Engine) -> Option<Setup> {
    if !ramp_testkit::mosquitto::available() {
        assert!(std::env::var_os("CI").is_none(), "CI runs scripts/test, which installs mosquitto");
        eprintln!("skipped: no mosquitto (run scripts/mosquitto)");
        return None;
    }
    let broker = Broker::start().await;
    let config = AppConfig { mqtt_password_file: Some(broker.password_file()), ..AppConfig::default() };
    let app = spawn_app_with_config(engine, config).await;
    spawn_subscriber(app.app.clone(), MqttSettings::parse(&broker.ramp_url()).expect("url"));
    let s = Setup { app, broker };
    s.await_ready(200).await;
    Some(s)
}

macro_rules! mqtt_tests {
    ($($name:ident),+ $(,)?) => {
        mod sqlite { $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() { if let Some(s) = super::start(ramp_testkit::Engine::Sqlite).await { super::$name(s).await } }
        )+ }
        mod postgres { $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() { if let Some(s) = super::start(ramp_testkit::Engine::Postgres).await { super::$name(s).await } }
        )+ }
    };
}

impl Setup {
    async fn readyz(&self) -> u16 {
        self.app.client.get(self.app.url("/readyz")).send().await.expect("readyz").status().as_u16()
    }

    async fn await_ready(&self, status: u16) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while self.readyz().await != status {
            assert!(Instant::now() < deadline, "/readyz never answered {status}: {}", self.broker.log());
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    async fn stored(&self, device: &str, id: &str) -> i64 {
        let d = self.app.storage.digital_device(device, self.app.app.today()).await.expect("device").expect("known");
        self.app.storage.measurement_count(d.device_id, id).await.expect("count")
    }

    /// Waits until the metric reaches `at_least`.
    async fn await_metric(&self, line_start: &str, at_least: f64) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let v = self.metric(line_start).await;
            if v >= at_least {
                return;
            }
            assert!(Instant::now() < deadline, "{line_start} stayed at {v}, not {at_least}: {}", self.broker.log());
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    async fn metric(&self, line_start: &str) -> f64 {
        let text =
            self.app.client.get(self.app.url("/metrics")).send().await.expect("metrics").text().await.expect("text");
        text.lines()
            .find(|l| l.starts_with(line_start) && l[line_start.len()..].starts_with(' '))
            .and_then(|l| l.rsplit(' ').next())
            .and_then(|v| v.parse().ok())
            .unwrap_or(0.0)
    }
}

const MQTT_STORED: &str = "ramp_digital_measurements_stored_total{channel=\"mqtt\"}";
const MQTT_DUPLICATE: &str = "ramp_digital_measurements_duplicate_total{channel=\"mqtt\"}";
const MQTT_REJECTED: &str = "ramp_digital_messages_rejected_total{channel=\"mqtt\"}";
const HTTP_STORED: &str = "ramp_digital_measurements_stored_total{channel=\"http\"}";

fn uuid(n: u32) -> String {
    format!("00000000-0000-4000-8000-{n:012}")
}

fn payload(v: &Value) -> Vec<u8> {
    serde_json::to_vec(v).expect("json")
}

async fn reports_over_mqtt_and_http_are_stored_once_each_and_the_metrics_move(s: Setup) {
    let f = setup(&s.app).await;
    let secret = secret_for(&s.app, f.monitor).await;
    let text = std::fs::read_to_string(&s.broker.password_file().path).expect("password file");
    let line = text.lines().find(|l| l.starts_with(&format!("{}:", f.monitor))).expect("the device's line");
    assert!(ramp_app::digital::line_matches(line, &secret), "the line holds the secret: {line}");
    assert!(!text.contains(&secret), "never the secret in clear");
    let device = s.broker.await_device(f.monitor, &secret).await;
    let topic = device_topic(f.monitor);
    device.publish(&topic, payload(&bp(&uuid(1), 131))).await;
    device.publish(&topic, payload(&bp(&uuid(1), 131))).await;
    device.publish(&topic, payload(&bp(&uuid(2), 132))).await;
    s.await_metric(MQTT_DUPLICATE, 1.0).await;
    s.await_metric(MQTT_STORED, 2.0).await;
    for _ in 0..2 {
        assert_eq!(report(&s.app, &secret, &bp(&uuid(3), 133)).await.status(), 202);
    }
    assert_eq!(report(&s.app, &secret, &bp(&uuid(1), 131)).await.status(), 202, "the MQTT id over HTTP");
    for n in 1..=3 {
        assert_eq!(s.stored(f.monitor, &uuid(n)).await, 1, "report {n} stored once");
    }
    assert_eq!(s.metric(MQTT_STORED).await, 2.0);
    assert_eq!(s.metric(HTTP_STORED).await, 1.0);
    assert_eq!(s.metric("ramp_mqtt_broker_connected").await, 1.0);
    assert!(s.metric("ramp_digital_ingest_lag_seconds_count{channel=\"mqtt\"}").await >= 2.0);
    device.disconnect().await;
}

async fn a_breach_over_mqtt_alarms_in_the_responsible_units_list(s: Setup) {
    let f = setup(&s.app).await;
    let secret = secret_for(&s.app, f.monitor).await;
    let device = s.broker.await_device(f.monitor, &secret).await;
    assert_eq!(s.metric("ramp_digital_alarms_open").await, 0.0);
    device.publish(&device_topic(f.monitor), payload(&bp(&uuid(7), 185))).await;
    s.await_metric("ramp_digital_alarms_open", 1.0).await;
    let anna = s.app.token_for("anna").await;
    let alarms: Vec<Value> = s.app.get(&anna, "/api/v1/digital/alarms").await.json().await.expect("json");
    assert_eq!(alarms.len(), 1);
    assert_eq!(alarms[0]["unit_name"], "Vårdcentralen Solna");
    assert_eq!(alarms[0]["detail"], "systolic 185 ≥ 180");
    let lars = s.app.token_for("lars").await;
    let other: Vec<Value> = s.app.get(&lars, "/api/v1/digital/alarms").await.json().await.expect("json");
    assert!(other.is_empty(), "another unit does not see it");
    device.disconnect().await;
}

async fn a_broker_restart_during_a_stream_loses_no_message_and_readyz_follows_the_broker(s: Setup) {
    let mut s = s;
    let f = setup(&s.app).await;
    let secret = secret_for(&s.app, f.monitor).await;
    let device = s.broker.await_device(f.monitor, &secret).await;
    let topic = device_topic(f.monitor);
    // Ramp is away while the device sends the second half: the broker queues
    // them for Ramp's persistent session, and keeps them across its restart.
    for n in 0..50 {
        device.send(&topic, payload(&bp(&uuid(100 + n), 120 + i64::from(n % 20)))).await;
    }
    device.flush().await;
    device.disconnect().await;
    s.broker.stop().await;
    s.await_ready(503).await;
    let problem: Value =
        s.app.client.get(s.app.url("/readyz")).send().await.expect("readyz").json().await.expect("json");
    assert_eq!(problem["code"], "broker_unavailable");
    assert_eq!(s.metric("ramp_mqtt_broker_connected").await, 0.0);
    s.broker.start_again().await;
    s.await_ready(200).await;
    let device = s.broker.await_device(f.monitor, &secret).await;
    for n in 50..100 {
        device.send(&topic, payload(&bp(&uuid(100 + n), 120 + i64::from(n % 20)))).await;
    }
    device.flush().await;
    s.await_metric(MQTT_STORED, 100.0).await;
    for n in 0..100 {
        assert_eq!(s.stored(f.monitor, &uuid(100 + n)).await, 1, "report {n}");
    }
    device.disconnect().await;
}

async fn bad_payloads_are_rejected_and_the_next_good_one_is_stored(s: Setup) {
    let f = setup(&s.app).await;
    let secret = secret_for(&s.app, f.monitor).await;
    let device = s.broker.await_device(f.monitor, &secret).await;
    let topic = device_topic(f.monitor);
    device.publish(&topic, b"not json".to_vec()).await;
    device.publish(&topic, payload(&bp(&uuid(20), 400))).await;
    device
        .publish(&topic, payload(&json!({"id": uuid(21), "kind": "mood", "at": "2026-11-23T08:55:00Z", "values": {}})))
        .await;
    device.publish(&topic, payload(&bp(&uuid(22), 130))).await;
    // Four workers store in parallel: the good report may be stored before the last bad one is counted.
    s.await_metric(MQTT_STORED, 1.0).await;
    s.await_metric(MQTT_REJECTED, 3.0).await;
    assert_eq!(s.metric(MQTT_REJECTED).await, 3.0);
    assert_eq!(s.stored(f.monitor, &uuid(22)).await, 1);
    assert_eq!(s.stored(f.monitor, &uuid(20)).await, 0, "systolic 400 is refused");
    device.disconnect().await;
}

async fn the_acl_refuses_another_devices_topic_and_a_revoked_secret_cannot_connect(s: Setup) {
    let f = setup(&s.app).await;
    let secret = secret_for(&s.app, f.monitor).await;
    let dispenser_secret = secret_for(&s.app, f.dispenser).await;
    let device = s.broker.await_device(f.monitor, &secret).await;
    // The monitor pretends to be the dispenser: the broker drops it (MQTT
    // 3.1.1 acknowledges a denied QoS 1 publish but does not deliver it).
    device.publish(&device_topic(f.dispenser), payload(&bp(&uuid(30), 130))).await;
    device.publish(&device_topic(f.monitor), payload(&bp(&uuid(31), 130))).await;
    s.await_metric(MQTT_STORED, 1.0).await;
    assert_eq!(s.stored(f.monitor, &uuid(31)).await, 1);
    assert_eq!(s.stored(f.dispenser, &uuid(30)).await, 0, "not delivered under the dispenser's name");
    assert_eq!(s.stored(f.monitor, &uuid(30)).await, 0);
    assert!(s.broker.log().contains("Denied PUBLISH"), "{}", s.broker.log());
    device.disconnect().await;
    assert!(is_refused(&s.broker.device(f.monitor, "a guessed secret").await.err().expect("refused")));
    assert!(is_refused(&s.broker.device(f.monitor, &dispenser_secret).await.err().expect("refused")));
    let admin = s.app.token_for("admin").await;
    let path = format!("/api/v1/digital/devices/{}/secret", f.monitor);
    let resp = s.app.client.delete(s.app.url(&path)).bearer_auth(&admin).send().await.expect("revoke");
    assert_eq!(resp.status(), 204);
    let text = std::fs::read_to_string(&s.broker.password_file().path).expect("password file");
    assert!(!text.contains(&format!("{}:", f.monitor)), "the revoked device's line is gone: {text}");
    let refused = s.broker.await_refused(f.monitor, &secret).await;
    assert!(is_refused(&refused), "{refused}");
    s.broker.await_device(f.dispenser, &dispenser_secret).await.disconnect().await;
}

#[test]
fn ramps_password_lines_are_those_of_mosquitto_passwd() {
    let Some(tool) = ["/usr/bin/mosquitto_passwd", "/usr/sbin/mosquitto_passwd"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())
    else {
        assert!(std::env::var_os("CI").is_none(), "CI installs mosquitto-clients");
        return;
    };
    let file = std::env::temp_dir().join(format!("ramp-mosquitto-passwd-{}", std::process::id()));
    let status = std::process::Command::new(tool)
        .args(["-b", "-c"])
        .arg(&file)
        .args(["DIG-1", "s3cret"])
        .status()
        .expect("runs");
    assert!(status.success());
    let line = std::fs::read_to_string(&file).expect("written").trim().to_string();
    std::fs::remove_file(&file).expect("clean up");
    assert!(line.starts_with("DIG-1:$7$101$"), "{line}");
    assert!(ramp_app::digital::line_matches(&line, "s3cret"), "Ramp reads mosquitto_passwd's line: {line}");
    assert!(!ramp_app::digital::line_matches(&line, "s3cret "));
    let ours = format!("DIG-1:{}", ramp_app::digital::mosquitto_hash("s3cret"));
    assert_eq!(ours.len(), line.len(), "the same shape: {ours} / {line}");
}

mqtt_tests!(
    reports_over_mqtt_and_http_are_stored_once_each_and_the_metrics_move,
    a_breach_over_mqtt_alarms_in_the_responsible_units_list,
    a_broker_restart_during_a_stream_loses_no_message_and_readyz_follows_the_broker,
    bad_payloads_are_rejected_and_the_next_good_one_is_stored,
    the_acl_refuses_another_devices_topic_and_a_revoked_secret_cannot_connect,
);
