//! Undoing a pickup order (issue 18, point 4) on both engines: its creator
//! may, until midnight in Stockholm, while nothing has happened to the
//! device; anyone else, the next day or after a fault report may not.

use chrono::{TimeZone, Utc};
use ramp_domain::Term;
use ramp_storage::fixture_ordering;
use ramp_testkit::{problem, TestApp};
use serde_json::json;

async fn pickup(app: &TestApp, token: &str, device: &str) -> reqwest::Response {
    app.post_json(token, &format!("/api/v1/devices/{device}/pickup-order"), &json!({})).await
}

async fn undo(app: &TestApp, token: &str, device: &str) -> reqwest::Response {
    let url = app.url(&format!("/api/v1/devices/{device}/pickup-order"));
    app.client.delete(url).bearer_auth(token).send().await.expect("undo")
}

async fn a_pickup_order_is_undone_by_its_creator_until_midnight_in_stockholm(app: TestApp) {
    let f = fixture_ordering::load(app.storage.as_ref()).await.unwrap();
    // 22:30 UTC on Tuesday 24 November 2026 is 23:30 in Stockholm: still the same day.
    app.clock.set(Utc.with_ymd_and_hms(2026, 11, 24, 22, 30, 0).unwrap());
    let anna = app.token_for("anna").await;
    assert_eq!(pickup(&app, &anna, f.sven_rollator).await.status(), 201);
    let lager = app.token_for("lager").await;
    let p = problem(undo(&app, &lager, f.sven_rollator).await).await;
    assert_eq!((p["status"].as_i64(), p["code"].as_str()), (Some(403), Some("not_your_pickup")));

    app.clock.set(Utc.with_ymd_and_hms(2026, 11, 24, 22, 59, 0).unwrap());
    assert_eq!(undo(&app, &anna, f.sven_rollator).await.status(), 204);
    let card = app.storage.device_card(f.sven_rollator).await.unwrap().unwrap();
    assert!(app.storage.open_pickup_order(card.device.id).await.unwrap().is_none());
    assert_eq!(card.events.last().unwrap().kind.as_str(), "pickup_undone", "the undo is in the device's history");
    assert_eq!(card.device.state.as_str(), "with_patient", "the device stays with Sven");
    let audit = app.storage.audit_for_patient(f.sven, 10).await.unwrap();
    assert_eq!(audit[0].action, "device.pickup_undo", "the undo is audited");
    let p = problem(undo(&app, &anna, f.sven_rollator).await).await;
    assert_eq!((p["status"].as_i64(), p["code"].as_str()), (Some(404), Some("no_open_pickup")));
    assert_eq!(pickup(&app, &anna, f.sven_rollator).await.status(), 201, "a new pickup order may be registered");
}

async fn a_pickup_order_is_not_undone_the_next_day_or_after_something_happened(app: TestApp) {
    let f = fixture_ordering::load(app.storage.as_ref()).await.unwrap();
    app.clock.set(Utc.with_ymd_and_hms(2026, 11, 24, 22, 30, 0).unwrap());
    let anna = app.token_for("anna").await;
    assert_eq!(pickup(&app, &anna, f.sven_rollator).await.status(), 201);
    // Midnight in Stockholm has passed.
    app.clock.set(Utc.with_ymd_and_hms(2026, 11, 24, 23, 0, 0).unwrap());
    let p = problem(undo(&app, &anna, f.sven_rollator).await).await;
    assert_eq!((p["status"].as_i64(), p["code"].as_str()), (Some(409), Some("undo_window_passed")));

    app.clock.set(Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap());
    assert_eq!(pickup(&app, &anna, f.sven_wheelchair).await.status(), 201);
    app.clock.set(Utc.with_ymd_and_hms(2026, 11, 25, 9, 5, 0).unwrap());
    let fault = json!({ "description": "Bromsen tar inte" });
    let resp = app.post_json(&anna, &format!("/api/v1/devices/{}/fault-report", f.sven_wheelchair), &fault).await;
    assert_eq!(resp.status(), 201);
    let p = problem(undo(&app, &anna, f.sven_wheelchair).await).await;
    assert_eq!((p["status"].as_i64(), p["code"].as_str()), (Some(409), Some("pickup_in_progress")));
    let card = app.storage.device_card(f.sven_wheelchair).await.unwrap().unwrap();
    assert!(app.storage.open_pickup_order(card.device.id).await.unwrap().is_some(), "the pickup order stands");
}

ramp_testkit::on_both_engines!(
    a_pickup_order_is_undone_by_its_creator_until_midnight_in_stockholm,
    a_pickup_order_is_not_undone_the_next_day_or_after_something_happened,
);
