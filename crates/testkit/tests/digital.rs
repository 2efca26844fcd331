//! Digital assistive devices on both engines (issue 21): the list of lent
//! digital devices per role, device secrets (issued once, revoked), and
//! measurements in over HTTP — stored once per device id, bad reports
//! refused naming the field, wrong or revoked secrets refused, and a
//! device not lent to a patient refused.

use ramp_storage::fixture_digital::{self, DigitalFixture};
use ramp_testkit::{problem, TestApp};
use serde_json::{json, Value};

pub(crate) const ID: &str = "6f1c2a4e-8b7d-4c3e-9f0a-1b2c3d4e5f60";

pub(crate) async fn setup(app: &TestApp) -> DigitalFixture {
    fixture_digital::load(app.storage.as_ref()).await.expect("digital fixture")
}

/// A new secret for `device`, issued by the administrator over the API.
pub(crate) async fn secret_for(app: &TestApp, device: &str) -> String {
    let admin = app.token_for("admin").await;
    let resp = app.post_json(&admin, &format!("/api/v1/digital/devices/{device}/secret"), &json!({})).await;
    assert_eq!(resp.status(), 201);
    resp.json::<Value>().await.unwrap()["secret"].as_str().unwrap().to_string()
}

/// A blood-pressure report with the given id and systolic value, measured five minutes before the test clock.
pub(crate) fn bp(id: &str, systolic: i64) -> Value {
    json!({"id": id, "kind": "blood_pressure", "at": "2026-11-23T08:55:00Z",
           "values": {"systolic": systolic, "diastolic": 84, "pulse": 66}})
}

pub(crate) async fn report(app: &TestApp, secret: &str, body: &Value) -> reqwest::Response {
    app.post_json(secret, "/api/v1/digital/measurements", body).await
}

async fn devices_seen_by(app: &TestApp, user: &str) -> Vec<String> {
    let token = app.token_for(user).await;
    let resp = app.get(&token, "/api/v1/digital/devices").await;
    assert_eq!(resp.status(), 200, "{user}");
    let list: Vec<Value> = resp.json().await.unwrap();
    list.iter().map(|d| d["device_number"].as_str().unwrap().to_string()).collect()
}

async fn lent_digital_devices_are_listed_with_model_and_responsible_unit_per_role(app: TestApp) {
    let f = setup(&app).await;
    let admin = app.token_for("admin").await;
    let resp = app.get(&admin, "/api/v1/digital/devices").await;
    assert_eq!(resp.status(), 200);
    let text = resp.text().await.unwrap();
    assert!(!text.contains("19121212"), "no personal identity number in the list: {text}");
    let list: Vec<Value> = serde_json::from_str(&text).unwrap();
    let numbers: Vec<&str> = list.iter().map(|d| d["device_number"].as_str().unwrap()).collect();
    assert_eq!(numbers, [f.monitor, f.dispenser], "the monitor in stock is not lent");
    assert_eq!(list[0]["model"], "Blodtrycksmätare digital Vega");
    assert_eq!(list[0]["unit_name"], "Vårdcentralen Solna");
    assert_eq!(list[0]["patient_ref"], app.fixture.tolvan);
    assert_eq!(devices_seen_by(&app, "anna").await, [f.monitor, f.dispenser], "Tolvan's care unit");
    assert!(devices_seen_by(&app, "lars").await.is_empty(), "another unit sees none");
    assert_eq!(devices_seen_by(&app, "lager").await.len(), 2, "the centre's staff see all");
}

async fn a_secret_is_issued_to_an_administrator_for_a_lent_device_only(app: TestApp) {
    let f = setup(&app).await;
    let anna = app.token_for("anna").await;
    let path = format!("/api/v1/digital/devices/{}/secret", f.monitor);
    assert_eq!(app.post_json(&anna, &path, &json!({})).await.status(), 403);
    let admin = app.token_for("admin").await;
    let resp = app.post_json(&admin, &format!("/api/v1/digital/devices/{}/secret", f.stock_monitor), &json!({})).await;
    assert_eq!(problem(resp).await["code"], "device_not_lent");
    let resp = app.post_json(&admin, "/api/v1/digital/devices/D-0001/secret", &json!({})).await;
    assert_eq!(resp.status(), 404, "a rollator is not digital");
    let secret = secret_for(&app, f.monitor).await;
    assert_eq!(secret.len(), 64);
    let list: Vec<Value> = app.get(&admin, "/api/v1/digital/devices").await.json().await.unwrap();
    assert_eq!(list[0]["has_secret"], true);
    assert_eq!(list[1]["has_secret"], false);
}

async fn a_measurement_sent_twice_with_the_same_id_is_accepted_twice_and_stored_once(app: TestApp) {
    let f = setup(&app).await;
    let secret = secret_for(&app, f.monitor).await;
    let first = report(&app, &secret, &bp(ID, 128)).await;
    assert_eq!(first.status(), 202);
    assert_eq!(first.json::<Value>().await.unwrap(), json!({"new": true, "alarm": false}));
    let again = report(&app, &secret, &bp(&ID.to_uppercase(), 128)).await;
    assert_eq!(again.status(), 202);
    assert_eq!(again.json::<Value>().await.unwrap()["new"], false);
    assert_eq!(app.storage.measurement_count(20, ID).await.unwrap(), 1);
    let stored = app.storage.patient_measurements(app.fixture.tolvan, 10).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].channel, "http");
    assert_eq!(stored[0].values_json, r#"{"diastolic":84.0,"pulse":66.0,"systolic":128.0}"#);
}

async fn a_bad_report_is_refused_with_a_problem_naming_the_field_and_nothing_is_stored(app: TestApp) {
    let f = setup(&app).await;
    let secret = secret_for(&app, f.monitor).await;
    let future = json!({"id": ID, "kind": "weight", "at": "2026-11-23T09:11:00Z", "values": {"kg": 70}});
    let rows = [
        (bp(ID, 400), "values.systolic"),
        (json!({"id": ID, "kind": "spirometry", "at": "2026-11-23T08:55:00Z", "values": {}}), "kind"),
        (
            json!({"id": ID, "kind": "blood_pressure", "at": "2026-11-23T08:55:00Z", "values": {"systolic": 120}}),
            "values.diastolic",
        ),
        (future, "at"),
        (json!({"id": "42", "kind": "weight", "at": "2026-11-23T08:55:00Z", "values": {"kg": 70}}), "id"),
    ];
    for (body, field) in rows {
        let resp = report(&app, &secret, &body).await;
        assert_eq!(resp.status(), 422, "{body}");
        assert_eq!(resp.headers()["content-type"], "application/problem+json");
        assert_eq!(problem(resp).await["field"], field, "{body}");
    }
    let resp = app.post_raw(&secret, "/api/v1/digital/measurements", "application/json", "{not json").await;
    assert_eq!(problem(resp).await["field"], "body");
    assert!(app.storage.patient_measurements(app.fixture.tolvan, 10).await.unwrap().is_empty());
}

async fn a_wrong_or_revoked_secret_is_refused_with_401(app: TestApp) {
    let f = setup(&app).await;
    assert_eq!(report(&app, "not-a-secret", &bp(ID, 120)).await.status(), 401);
    let no_header = app.client.post(app.url("/api/v1/digital/measurements")).json(&bp(ID, 120)).send().await.unwrap();
    assert_eq!(no_header.status(), 401);
    let old = secret_for(&app, f.monitor).await;
    let new = secret_for(&app, f.monitor).await;
    assert_eq!(problem(report(&app, &old, &bp(ID, 120)).await).await["code"], "invalid_device_secret");
    assert_eq!(report(&app, &new, &bp(ID, 120)).await.status(), 202);
    let admin = app.token_for("admin").await;
    let path = format!("/api/v1/digital/devices/{}/secret", f.monitor);
    let revoked = app.client.delete(app.url(&path)).bearer_auth(&admin).send().await.unwrap();
    assert_eq!(revoked.status(), 204);
    let resp = report(&app, &new, &bp("7f1c2a4e-8b7d-4c3e-9f0a-1b2c3d4e5f60", 120)).await;
    assert_eq!(resp.status(), 401);
}

async fn a_device_not_lent_to_a_patient_cannot_report(app: TestApp) {
    let f = setup(&app).await;
    let secret = ramp_app::auth::random_token();
    let hash = ramp_app::auth::token_hash(&secret);
    app.storage.issue_device_credential(22, &hash, ramp_testkit::test_now(), None).await.unwrap();
    let resp = report(&app, &secret, &bp(ID, 120)).await;
    assert_eq!(resp.status(), 403, "{}", f.stock_monitor);
    assert_eq!(problem(resp).await["code"], "device_not_lent");
}

ramp_testkit::on_both_engines!(
    lent_digital_devices_are_listed_with_model_and_responsible_unit_per_role,
    a_secret_is_issued_to_an_administrator_for_a_lent_device_only,
    a_measurement_sent_twice_with_the_same_id_is_accepted_twice_and_stored_once,
    a_bad_report_is_refused_with_a_problem_naming_the_field_and_nothing_is_stored,
    a_wrong_or_revoked_secret_is_refused_with_401,
    a_device_not_lent_to_a_patient_cannot_report,
);
