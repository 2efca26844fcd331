//! Thresholds and alarms on both engines (issue 21): a dangerous value
//! alarms by the clinical default, a prescriber's own threshold replaces
//! it, a missed dose alarms; the alarm is routed to the responsible unit
//! (Tolvan's care unit, Vårdcentralen Solna), acknowledged with a note and
//! closed; one not acknowledged within 30 minutes is escalated, by the
//! clock, to the configured second unit (Hemtjänst Lidingö here). A
//! patient's measurements are read under the care-relationship rules.

use crate::digital::{bp, report, secret_for, setup, ID};
use chrono::Duration;
use ramp_app::AppConfig;
use ramp_storage::fixture::date;
use ramp_storage::CareRelationship;
use ramp_testkit::{problem, Engine, TestApp};
use serde_json::{json, Value};

/// The test app, escalating after 30 minutes to unit 2 (Hemtjänst Lidingö).
async fn spawn(engine: Engine) -> TestApp {
    let config = AppConfig { alarm_escalation_unit: Some(2), ..AppConfig::default() };
    ramp_testkit::spawn_app_with_config(engine, config).await
}

async fn alarms_of(app: &TestApp, user: &str) -> Vec<Value> {
    let token = app.token_for(user).await;
    let resp = app.get(&token, "/api/v1/digital/alarms").await;
    assert_eq!(resp.status(), 200, "{user}");
    resp.json().await.unwrap()
}

async fn a_systolic_of_180_alarms_in_the_responsible_units_list_before_any_threshold_is_set(app: TestApp) {
    let f = setup(&app).await;
    let secret = secret_for(&app, f.monitor).await;
    let resp = report(&app, &secret, &bp(ID, 180)).await;
    assert_eq!(resp.status(), 202);
    assert_eq!(resp.json::<Value>().await.unwrap()["alarm"], true);
    let alarms = alarms_of(&app, "anna").await;
    assert_eq!(alarms.len(), 1);
    assert_eq!(alarms[0]["unit_name"], "Vårdcentralen Solna");
    assert_eq!(alarms[0]["reason"], "threshold");
    assert_eq!(alarms[0]["detail"], "systolic 180 ≥ 180");
    assert_eq!(alarms[0]["state"], "open");
    assert!(alarms_of(&app, "lars").await.is_empty(), "another unit does not see it");
    let again = report(&app, &secret, &bp(ID, 180)).await;
    assert_eq!(again.json::<Value>().await.unwrap()["alarm"], false, "a retry does not alarm twice");
    assert_eq!(alarms_of(&app, "anna").await.len(), 1);
    assert!(report(&app, &secret, &bp("8f1c2a4e-8b7d-4c3e-9f0a-1b2c3d4e5f60", 150)).await.status() == 202);
    assert_eq!(alarms_of(&app, "anna").await.len(), 1, "150 is below the default");
}

async fn the_prescribers_threshold_makes_a_lower_value_alarm(app: TestApp) {
    let f = setup(&app).await;
    let anna = app.token_for("anna").await;
    let pnr = app.fixture.tolvan_pnr.display();
    let set = json!({"personal_id": pnr, "kind": "blood_pressure", "value": "systolic", "low": null, "high": 150});
    assert_eq!(app.put_json(&anna, "/api/v1/patients/thresholds", &set).await.status(), 204);
    let bad = [
        (json!({"personal_id": pnr, "kind": "blood_pressure", "value": "systolic", "low": 10, "high": 150}), "low"),
        (json!({"personal_id": pnr, "kind": "blood_pressure", "value": "systolic", "low": 150, "high": 140}), "high"),
        (json!({"personal_id": pnr, "kind": "blood_pressure", "value": "kg", "low": null, "high": 150}), "value"),
        (json!({"personal_id": pnr, "kind": "spirometry", "value": "fev1", "low": null, "high": 150}), "kind"),
    ];
    for (body, field) in bad {
        let resp = app.put_json(&anna, "/api/v1/patients/thresholds", &body).await;
        assert_eq!(resp.status(), 422, "{body}");
        assert_eq!(problem(resp).await["field"], field, "{body}");
    }
    let lager = app.token_for("lager").await;
    assert_eq!(app.put_json(&lager, "/api/v1/patients/thresholds", &set).await.status(), 403, "not a prescriber");
    let lars = app.token_for("lars").await;
    assert_eq!(app.put_json(&lars, "/api/v1/patients/thresholds", &set).await.status(), 403, "no care relationship");

    let secret = secret_for(&app, f.monitor).await;
    let resp = report(&app, &secret, &bp(ID, 155)).await;
    assert_eq!(resp.json::<Value>().await.unwrap()["alarm"], true);
    assert_eq!(alarms_of(&app, "anna").await[0]["detail"], "systolic 155 ≥ 150");

    let view = app.post_json(&anna, "/api/v1/patients/measurements", &json!({"personal_id": pnr})).await;
    assert_eq!(view.status(), 200);
    let view: Value = view.json().await.unwrap();
    assert_eq!(view["measurements"][0]["values"]["systolic"], 155.0);
    let systolic = view["limits"].as_array().unwrap().iter().find(|l| l["value"] == "systolic").unwrap().clone();
    assert_eq!(
        systolic,
        json!({"kind": "blood_pressure", "value": "systolic", "low": null, "high": 150.0, "source": "patient"})
    );
    assert_eq!(view["alarms"].as_array().unwrap().len(), 1);
    let refused = app.post_json(&lars, "/api/v1/patients/measurements", &json!({"personal_id": pnr})).await;
    assert_eq!(problem(refused).await["code"], "care_relationship_required");
    let audit = app.storage.audit_for_patient(app.fixture.tolvan, 50).await.unwrap();
    assert!(audit.iter().any(|e| e.action == "digital.measurements"));
    assert!(audit.iter().any(|e| e.action == "digital.measurements.refused"));
}

async fn a_missed_dose_alarms_and_the_units_nurse_acknowledges_it_with_a_note_and_closes_it(app: TestApp) {
    let f = setup(&app).await;
    let secret = secret_for(&app, f.dispenser).await;
    let dose = json!({"id": ID, "kind": "dose", "at": "2026-11-23T08:00:00Z", "values": {"taken": 0}});
    assert_eq!(report(&app, &secret, &dose).await.status(), 202);
    let alarm = alarms_of(&app, "anna").await.remove(0);
    assert_eq!(alarm["reason"], "missed_dose");
    let id = alarm["id"].as_i64().unwrap();
    let anna = app.token_for("anna").await;
    let ack = format!("/api/v1/digital/alarms/{id}/acknowledgement");
    let resp = app.post_json(&anna, &ack, &json!({"note": "  "})).await;
    assert_eq!(problem(resp).await["field"], "note");
    let lars = app.token_for("lars").await;
    assert_eq!(app.post_json(&lars, &ack, &json!({"note": "x"})).await.status(), 404, "not lars's unit");
    let resp = app.post_json(&anna, &ack, &json!({"note": "Ringt Tolvan, dosen tagen 08:40"})).await;
    assert_eq!(resp.status(), 200);
    let acked: Value = resp.json().await.unwrap();
    assert_eq!(
        (acked["state"].as_str(), acked["acknowledged_by"].as_str()),
        (Some("acknowledged"), Some("Anna Arbetsterapeut"))
    );
    assert_eq!(acked["note"], "Ringt Tolvan, dosen tagen 08:40");
    let twice = app.post_json(&anna, &ack, &json!({"note": "igen"})).await;
    assert_eq!(problem(twice).await["code"], "alarm_not_open");
    let closed = app.post_json(&anna, &format!("/api/v1/digital/alarms/{id}/close"), &json!({})).await;
    assert_eq!(closed.json::<Value>().await.unwrap()["state"], "closed");
    assert!(alarms_of(&app, "anna").await.is_empty(), "closed alarms leave the list");
    let all: Vec<Value> = app.get(&anna, "/api/v1/digital/alarms?include_closed=true").await.json().await.unwrap();
    assert_eq!(all.len(), 1);
}

async fn an_alarm_not_acknowledged_in_30_minutes_is_escalated_to_the_second_unit(app: TestApp) {
    let f = setup(&app).await;
    let care =
        CareRelationship { patient_id: app.fixture.tolvan, unit_id: 2, valid_from: date(2026, 1, 1), valid_to: None };
    app.storage.insert_care_relationships(&[care]).await.unwrap();
    app.storage.finish_bulk_load().await.unwrap();
    let secret = secret_for(&app, f.monitor).await;
    assert_eq!(report(&app, &secret, &bp(ID, 195)).await.status(), 202);
    app.clock.advance(Duration::minutes(29));
    let alarms = alarms_of(&app, "anna").await;
    assert!(alarms[0]["escalated_at"].is_null());
    assert!(alarms_of(&app, "lars").await.is_empty(), "not yet escalated to Hemtjänst Lidingö");
    app.clock.advance(Duration::minutes(1));
    let escalated = alarms_of(&app, "lars").await;
    assert_eq!(escalated.len(), 1);
    assert_eq!(escalated[0]["escalated_to_unit_id"], 2);
    assert_eq!(escalated[0]["unit_name"], "Vårdcentralen Solna", "still the responsible unit's alarm");
    assert!(!alarms_of(&app, "anna").await[0]["escalated_at"].is_null());
    let lars = app.token_for("lars").await;
    let id = escalated[0]["id"].as_i64().unwrap();
    let resp = app
        .post_json(&lars, &format!("/api/v1/digital/alarms/{id}/acknowledgement"), &json!({"note": "Hembesök"}))
        .await;
    assert_eq!(resp.status(), 200, "the second unit may take it on");
}

async fn an_acknowledged_alarm_is_not_escalated(app: TestApp) {
    let f = setup(&app).await;
    let secret = secret_for(&app, f.monitor).await;
    assert_eq!(report(&app, &secret, &bp(ID, 195)).await.status(), 202);
    let id = alarms_of(&app, "anna").await[0]["id"].as_i64().unwrap();
    let anna = app.token_for("anna").await;
    let ack =
        app.post_json(&anna, &format!("/api/v1/digital/alarms/{id}/acknowledgement"), &json!({"note": "Ringt"})).await;
    assert_eq!(ack.status(), 200);
    app.clock.advance(Duration::hours(2));
    assert!(alarms_of(&app, "anna").await[0]["escalated_at"].is_null());
}

ramp_testkit::on_both_engines!(
    with super::spawn;
    a_systolic_of_180_alarms_in_the_responsible_units_list_before_any_threshold_is_set,
    the_prescribers_threshold_makes_a_lower_value_alarm,
    a_missed_dose_alarms_and_the_units_nurse_acknowledges_it_with_a_note_and_closes_it,
    an_alarm_not_acknowledged_in_30_minutes_is_escalated_to_the_second_unit,
    an_acknowledged_alarm_is_not_escalated,
);
