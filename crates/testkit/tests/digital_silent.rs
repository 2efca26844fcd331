//! Silent-device alarms on both engines (issue 21): a lent device that has
//! reported at least once and then says nothing for longer than its
//! expected interval (a medication dispenser 24 h, a blood-pressure
//! monitor 7 days) raises one "silent" alarm in the responsible unit's
//! list, by the application's clock; sweeping again raises no second one;
//! it stays when the device reports again, and after it is closed the
//! next silence raises a new one.

use crate::digital::{bp, report, secret_for, setup, ID};
use chrono::Duration;
use ramp_testkit::TestApp;
use serde_json::{json, Value};

async fn silent_alarms(app: &TestApp) -> Vec<Value> {
    let anna = app.token_for("anna").await;
    let resp = app.get(&anna, "/api/v1/digital/alarms?include_closed=true").await;
    assert_eq!(resp.status(), 200);
    let all: Vec<Value> = resp.json().await.unwrap();
    all.into_iter().filter(|a| a["reason"] == "silent").collect()
}

fn dose(id: &str, at: &str) -> Value {
    json!({"id": id, "kind": "dose", "at": at, "values": {"taken": 1}})
}

async fn a_dispenser_silent_for_more_than_24_hours_raises_one_silent_alarm_and_not_before(app: TestApp) {
    let f = setup(&app).await;
    assert_eq!(ramp_app::digital::raise_silent_due(&app.app).await.unwrap(), 0, "nothing reported yet");
    let secret = secret_for(&app, f.dispenser).await;
    assert_eq!(report(&app, &secret, &dose(ID, "2026-11-23T08:55:00Z")).await.status(), 202);
    app.clock.advance(Duration::hours(24));
    assert!(silent_alarms(&app).await.is_empty(), "exactly 24 h is not longer than the interval");
    app.clock.advance(Duration::minutes(1));
    let alarms = silent_alarms(&app).await;
    assert_eq!(alarms.len(), 1);
    assert_eq!(alarms[0]["device_number"], f.dispenser);
    assert_eq!(alarms[0]["unit_name"], "Vårdcentralen Solna");
    assert_eq!(alarms[0]["detail"], "silent 24 h");
    assert_eq!(alarms[0]["state"], "open");
    app.clock.advance(Duration::hours(30));
    assert_eq!(ramp_app::digital::raise_silent_due(&app.app).await.unwrap(), 0, "a second sweep raises none");
    assert_eq!(silent_alarms(&app).await.len(), 1);
}

async fn the_silent_alarm_stays_when_the_device_reports_again_and_the_next_silence_after_closing_raises_a_new_one(
    app: TestApp,
) {
    let f = setup(&app).await;
    let secret = secret_for(&app, f.dispenser).await;
    assert_eq!(report(&app, &secret, &dose(ID, "2026-11-23T08:55:00Z")).await.status(), 202);
    app.clock.advance(Duration::hours(25));
    let id = silent_alarms(&app).await[0]["id"].as_i64().unwrap();
    let again = dose("7f1c2a4e-8b7d-4c3e-9f0a-1b2c3d4e5f60", "2026-11-24T09:55:00Z");
    assert_eq!(report(&app, &secret, &again).await.status(), 202);
    let alarms = silent_alarms(&app).await;
    assert_eq!((alarms.len(), alarms[0]["state"].as_str()), (1, Some("open")), "the unit still handles it");
    let anna = app.token_for("anna").await;
    let closed = app.post_json(&anna, &format!("/api/v1/digital/alarms/{id}/close"), &json!({})).await;
    assert_eq!(closed.status(), 200);
    app.clock.advance(Duration::hours(24));
    assert_eq!(silent_alarms(&app).await.len(), 1, "24 h after the last report: not yet");
    app.clock.advance(Duration::hours(1));
    let alarms = silent_alarms(&app).await;
    assert_eq!(alarms.len(), 2, "a new silence after the first was closed");
    assert_eq!(alarms[0]["state"], "open");
}

async fn a_blood_pressure_monitor_is_silent_only_after_seven_days(app: TestApp) {
    let f = setup(&app).await;
    let secret = secret_for(&app, f.monitor).await;
    assert_eq!(report(&app, &secret, &bp(ID, 128)).await.status(), 202);
    app.clock.advance(Duration::days(6));
    assert!(silent_alarms(&app).await.is_empty());
    app.clock.advance(Duration::days(1) + Duration::minutes(1));
    let alarms = silent_alarms(&app).await;
    assert_eq!(alarms.len(), 1);
    assert_eq!(alarms[0]["detail"], "silent 168 h");
    assert_eq!(alarms[0]["device_number"], f.monitor, "the dispenser never reported: not silent, not started");
}

ramp_testkit::on_both_engines!(
    a_dispenser_silent_for_more_than_24_hours_raises_one_silent_alarm_and_not_before,
    the_silent_alarm_stays_when_the_device_reports_again_and_the_next_silence_after_closing_raises_a_new_one,
    a_blood_pressure_monitor_is_silent_only_after_seven_days,
);
