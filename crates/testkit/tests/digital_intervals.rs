//! Each digital device model's expected reporting interval (issue 21), on
//! both engines with a fixed clock: an administrator sets it per model over
//! the API; the silent-device sweep judges a device by its model's interval
//! and, for a model without one, by its kind's default.

use crate::digital::{bp, report, secret_for, setup, ID};
use chrono::Duration;
use ramp_testkit::TestApp;
use serde_json::{json, Value};

/// The monitor's model (fixture article 20) and the dispenser's (21).
const MONITOR_MODEL: &str = "BT-300";
const DISPENSER_MODEL: &str = "LD-400";

async fn set_interval(app: &TestApp, user: &str, model: &str, hours: Value) -> reqwest::Response {
    let token = app.token_for(user).await;
    app.put_json(&token, &format!("/api/v1/digital/models/{model}/expected-interval"), &json!({ "hours": hours })).await
}

async fn silent_devices(app: &TestApp) -> Vec<(String, String)> {
    let anna = app.token_for("anna").await;
    let all: Vec<Value> = app.get(&anna, "/api/v1/digital/alarms").await.json().await.unwrap();
    all.iter()
        .filter(|a| a["reason"] == "silent")
        .map(|a| (a["device_number"].as_str().unwrap().to_string(), a["detail"].as_str().unwrap().to_string()))
        .collect()
}

fn dose(id: &str) -> Value {
    json!({"id": id, "kind": "dose", "at": "2026-11-23T08:55:00Z", "values": {"taken": 1}})
}

async fn a_model_with_a_short_interval_alarms_while_one_with_a_long_interval_does_not_at_the_same_moment(app: TestApp) {
    let f = setup(&app).await;
    let set = set_interval(&app, "admin", MONITOR_MODEL, json!(2)).await;
    assert_eq!(set.status(), 200);
    let body: Value = set.json().await.unwrap();
    assert_eq!(
        (body["article_number"].as_str(), body["expected_interval_hours"].as_i64()),
        (Some(MONITOR_MODEL), Some(2))
    );
    assert_eq!(set_interval(&app, "admin", DISPENSER_MODEL, json!(48)).await.status(), 200);
    let monitor = secret_for(&app, f.monitor).await;
    let dispenser = secret_for(&app, f.dispenser).await;
    assert_eq!(report(&app, &monitor, &bp(ID, 128)).await.status(), 202);
    assert_eq!(report(&app, &dispenser, &dose(ID)).await.status(), 202);
    app.clock.advance(Duration::hours(2));
    assert!(silent_devices(&app).await.is_empty(), "exactly the interval is not longer than it");
    app.clock.advance(Duration::hours(24));
    assert_eq!(
        silent_devices(&app).await,
        vec![(f.monitor.to_string(), "silent 2 h".to_string())],
        "26 h: the monitor (2 h) is silent; the dispenser (48 h, longer than its kind's 24 h) is not"
    );
    app.clock.advance(Duration::hours(23));
    let silent = silent_devices(&app).await;
    assert_eq!(silent.len(), 2, "49 h: the dispenser too");
    assert!(silent.contains(&(f.dispenser.to_string(), "silent 48 h".to_string())));
}

async fn a_model_without_an_interval_uses_its_kinds_default_and_null_restores_it(app: TestApp) {
    let f = setup(&app).await;
    assert_eq!(set_interval(&app, "admin", MONITOR_MODEL, json!(1)).await.status(), 200);
    assert_eq!(set_interval(&app, "admin", MONITOR_MODEL, Value::Null).await.status(), 200);
    let admin = app.token_for("admin").await;
    let models: Vec<Value> = app.get(&admin, "/api/v1/digital/models").await.json().await.unwrap();
    let numbers: Vec<&str> = models.iter().map(|m| m["article_number"].as_str().unwrap()).collect();
    assert_eq!(numbers, [MONITOR_MODEL, DISPENSER_MODEL]);
    assert!(models.iter().all(|m| m["expected_interval_hours"].is_null()));
    let monitor = secret_for(&app, f.monitor).await;
    assert_eq!(report(&app, &monitor, &bp(ID, 128)).await.status(), 202);
    app.clock.advance(Duration::days(6));
    assert!(silent_devices(&app).await.is_empty(), "a blood-pressure monitor's default is 7 days");
    app.clock.advance(Duration::days(1) + Duration::minutes(1));
    assert_eq!(silent_devices(&app).await, vec![(f.monitor.to_string(), "silent 168 h".to_string())]);
}

async fn only_an_administrator_sets_an_interval_and_a_bad_one_names_the_field(app: TestApp) {
    setup(&app).await;
    assert_eq!(set_interval(&app, "anna", MONITOR_MODEL, json!(2)).await.status(), 403);
    for bad in [json!(0), json!(2161)] {
        let resp = set_interval(&app, "admin", MONITOR_MODEL, bad).await;
        assert_eq!(resp.status(), 422);
        let problem: Value = resp.json().await.unwrap();
        assert_eq!(problem["field"], "hours", "{problem}");
    }
    assert_eq!(set_interval(&app, "admin", "NO-SUCH", json!(2)).await.status(), 404);
    let anna = app.token_for("anna").await;
    assert_eq!(app.get(&anna, "/api/v1/digital/models").await.status(), 403);
}

ramp_testkit::on_both_engines!(
    a_model_with_a_short_interval_alarms_while_one_with_a_long_interval_does_not_at_the_same_moment,
    a_model_without_an_interval_uses_its_kinds_default_and_null_restores_it,
    only_an_administrator_sets_an_interval_and_a_bad_one_names_the_field,
);
