//! Measurements in by the batch (issue 21), on both engines: MQTT ingest
//! reads a batch's devices and thresholds in one statement each and
//! inserts its measurements in multi-row statements; HTTP ingest commits
//! concurrent requests together. Each report keeps its own outcome: a
//! duplicate (before or within the batch) is stored once, a bad report is
//! rejected with its field, a threshold breach alarms, and every report
//! answered 202 is stored.

use crate::digital::{secret_for, setup};
use ramp_app::digital::ingest_mqtt_batch;
use ramp_testkit::TestApp;
use serde_json::json;

fn bp(id: &str, systolic: i64) -> Vec<u8> {
    json!({"id": id, "kind": "blood_pressure", "at": "2026-11-23T08:55:00Z",
           "values": {"systolic": systolic, "diastolic": 84, "pulse": 66}})
    .to_string()
    .into_bytes()
}

fn uuid(n: u32) -> String {
    format!("00000000-0000-4000-8000-{n:012x}")
}

async fn a_batch_stores_each_report_once_keeps_each_outcome_and_alarms_per_measurement(app: TestApp) {
    let f = setup(&app).await;
    let (a, b, c) = (bp(&uuid(1), 128), bp(&uuid(2), 190), bp(&uuid(3), 400));
    let first = ingest_mqtt_batch(&app.app, &[(f.monitor, &a)]).await.expect("stored");
    assert!(first[0].as_ref().unwrap().new);
    let reports: Vec<(&str, &[u8])> = vec![
        (f.monitor, &a),          // stored in an earlier batch
        (f.monitor, &b),          // new, alarms (systolic 190 ≥ 180 by default)
        (f.monitor, &b),          // the same id again in this batch
        (f.monitor, &c),          // systolic 400: outside physical limits
        ("NO-SUCH-DEVICE", &a),   // no such device
        (f.stock_monitor, &a),    // in stock: not lent
        (f.monitor, b"not json"), // not JSON
    ];
    let out = ingest_mqtt_batch(&app.app, &reports).await.expect("the database took the batch");
    assert_eq!(out.len(), reports.len());
    let ok = |i: usize| out[i].as_ref().map(|x| (x.new, x.alarmed)).ok();
    assert_eq!(ok(0), Some((false, false)), "duplicate of an earlier batch");
    assert_eq!(ok(1), Some((true, true)), "new and alarming");
    assert_eq!(ok(2), Some((false, false)), "duplicate within the batch");
    let field = |i: usize| out[i].as_ref().err().and_then(|e| e.field.clone());
    assert_eq!(field(3).as_deref(), Some("values.systolic"));
    assert_eq!(field(4).as_deref(), Some("device_number"));
    assert_eq!(out[5].as_ref().err().map(|e| e.code), Some("device_not_lent"));
    assert_eq!(field(6).as_deref(), Some("body"));
    for n in 1..=2 {
        assert_eq!(app.storage.measurement_count(20, &uuid(n)).await.unwrap(), 1);
    }
    assert_eq!(app.storage.measurement_count(20, &uuid(3)).await.unwrap(), 0);
    let alarms = app.storage.patient_alarms(app.fixture.tolvan).await.unwrap();
    assert_eq!(alarms.len(), 1, "one alarm for the new breach, none for its duplicate");
}

async fn a_batch_larger_than_one_statement_stores_every_report(app: TestApp) {
    let f = setup(&app).await;
    let payloads: Vec<Vec<u8>> = (0..700).map(|n| bp(&uuid(100 + n), 120)).collect();
    let reports: Vec<(&str, &[u8])> = payloads.iter().map(|p| (f.monitor, p.as_slice())).collect();
    let out = ingest_mqtt_batch(&app.app, &reports).await.expect("stored");
    assert!(out.iter().all(|o| o.as_ref().is_ok_and(|i| i.new)));
    let stored = app.storage.patient_measurements(app.fixture.tolvan, 1000).await.unwrap();
    assert_eq!(stored.len(), 700);
}

async fn concurrent_http_reports_are_each_answered_after_their_commit_and_stored_once(app: TestApp) {
    let f = setup(&app).await;
    let secret = secret_for(&app, f.monitor).await;
    let bodies: Vec<serde_json::Value> = (0..40)
        .map(|n| {
            json!({"id": uuid(n % 20), "kind": "blood_pressure", "at": "2026-11-23T08:55:00Z",
                   "values": {"systolic": 120, "diastolic": 80, "pulse": 60}})
        })
        .collect();
    let mut requests = tokio::task::JoinSet::new();
    for body in bodies {
        let (client, url, secret) =
            (app.client.clone(), format!("{}/api/v1/digital/measurements", app.base), secret.clone());
        requests.spawn(async move {
            client.post(url).bearer_auth(secret).json(&body).send().await.expect("request").status()
        });
    }
    while let Some(status) = requests.join_next().await {
        assert_eq!(status.unwrap(), 202);
    }
    // Every 202 is a commit: each id is there now, once.
    for n in 0..20 {
        assert_eq!(app.storage.measurement_count(20, &uuid(n)).await.unwrap(), 1, "id {n}");
    }
}

ramp_testkit::on_both_engines!(
    a_batch_stores_each_report_once_keeps_each_outcome_and_alarms_per_measurement,
    a_batch_larger_than_one_statement_stores_every_report,
    concurrent_http_reports_are_each_answered_after_their_commit_and_stored_once,
);
