//! `ramp digital token` as an operator runs it on the demo (issue 21), on
//! both engines: the secret printed once lets the lent device report over
//! HTTP; a device that is not digital is bad input; after `ramp digital
//! revoke` the secret is refused.

use crate::support::*;
use serde_json::{json, Value};
use std::process::Output;

fn ramp(url: &str, args: &[&str]) -> Output {
    std::process::Command::new(RAMP)
        .args(args)
        .env("DATABASE_URL", url)
        .env("RUST_LOG", "warn")
        .output()
        .expect("ramp runs")
}

fn stdout(out: &Output) -> String {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_a_secret_from_ramp_digital_token_lets_a_lent_demo_device_report() {
    let url = format!("sqlite:{}", test_dir().join(format!("{}.db", unique_name())).display());
    a_secret_from_ramp_digital_token_lets_a_lent_demo_device_report(&url).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_a_secret_from_ramp_digital_token_lets_a_lent_demo_device_report() {
    let Some(db) = PgDatabase::create("digital token test").await else { return };
    a_secret_from_ramp_digital_token_lets_a_lent_demo_device_report(&db.url).await;
    db.drop().await;
}

async fn a_secret_from_ramp_digital_token_lets_a_lent_demo_device_report(url: &str) {
    let server = Server::start(url).await;
    let token = stdout(&ramp(url, &["token", "add", "--username", "lager", "--name", "Larmcentral"]));
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
    let monitor = devices
        .iter()
        .find(|d| d["model"].as_str().is_some_and(|m| m.starts_with("Blodtrycksmätare")))
        .expect("the demo lends a blood-pressure monitor");
    let number = monitor["device_number"].as_str().unwrap();
    let secret = stdout(&ramp(url, &["digital", "token", "--device-number", number]));
    assert_eq!(secret.len(), 64);
    let body = json!({"id": "6f1c2a4e-8b7d-4c3e-9f0a-1b2c3d4e5f60", "kind": "blood_pressure",
        "at": ramp_app::Clock::now(&ramp_app::SystemClock).to_rfc3339(), "values": {"systolic": 131, "diastolic": 85, "pulse": 70}});
    let send = || {
        server
            .client
            .post(format!("{}/api/v1/digital/measurements", server.base))
            .bearer_auth(&secret)
            .json(&body)
            .send()
    };
    assert_eq!(send().await.expect("report").status(), 202);

    let wrong = ramp(url, &["digital", "token", "--device-number", "no-such-device"]);
    assert_eq!(wrong.status.code(), Some(2), "bad input: {}", String::from_utf8_lossy(&wrong.stderr));
    assert_eq!(
        stdout(&ramp(url, &["digital", "revoke", "--device-number", number])),
        format!("secret of {number} revoked")
    );
    assert_eq!(send().await.expect("report").status(), 401);
}
