//! Opening a patient: the device overview, the audit log, care
//! relationships and emergency access (PRODUCT.md M11: "patient data only
//! with a care relationship or logged emergency access; every read of
//! patient data in an audit log").

use ramp_storage::AccessReason;
use ramp_testkit::{problem, TestApp};
use serde_json::{json, Value};

async fn opening_a_patient_shows_the_device_overview_and_writes_an_audit_row(app: TestApp) {
    let resp = app.open_patient("anna", "19121212-1212").await;
    assert_eq!(resp.status(), 200);
    let rid = resp.headers().get("x-request-id").unwrap().to_str().unwrap().to_string();
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["given_name"], "Tolvan");
    assert_eq!(body["current_setting"], "saebo");
    assert_eq!(body["access"], "care_relationship");
    assert_eq!(body["devices"][0]["device_number"], "D-0001");
    assert_eq!(body["devices"][0]["article_name"], "Rollator Gåstöd Classic");
    assert_eq!(body["devices"][0]["since"], "2024-02-01");
    assert_eq!(body["devices"][0]["payer"], "region");

    let audit = app.storage.audit_for_patient(app.fixture.tolvan, 10).await.unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].user_id, app.fixture.prescriber);
    assert_eq!(audit[0].action, "patient.overview");
    assert_eq!(audit[0].reason, AccessReason::CareRelationship);
    assert_eq!(audit[0].occurred_at, ramp_testkit::test_now());
    assert_eq!(audit[0].request_id.as_deref(), Some(rid.as_str()));
}

async fn a_prescriber_without_a_care_relationship_is_refused_and_the_attempt_is_logged(app: TestApp) {
    let resp = app.open_patient("lars", "19121212-1212").await;
    assert_eq!(resp.status(), 403);
    let p = problem(resp).await;
    assert_eq!(p["code"], "care_relationship_required");
    assert!(p.get("devices").is_none());
    let audit = app.storage.audit_for_patient(app.fixture.tolvan, 10).await.unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].user_id, app.fixture.other_prescriber);
    assert_eq!(audit[0].action, "patient.overview.refused");
    assert_eq!(audit[0].reason, AccessReason::None);
}

async fn a_declared_emergency_access_opens_the_record_and_is_logged_with_its_reason(app: TestApp) {
    let token = app.token_for("lars").await;
    let body = json!({ "personal_id": "191212121212", "category": "urgent_care", "reason": "Akut inläggning, patienten medvetslös" });
    let resp = app.post_json(&token, "/api/v1/patients/emergency-access", &body).await;
    assert_eq!(resp.status(), 204);
    let resp = app.post_json(&token, "/api/v1/patients/overview", &json!({ "personal_id": "19121212-1212" })).await;
    assert_eq!(resp.status(), 200);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["access"], "emergency_access");
    let audit = app.storage.audit_for_patient(app.fixture.tolvan, 10).await.unwrap();
    let actions: Vec<_> = audit.iter().map(|a| (a.action.as_str(), a.reason)).collect();
    assert_eq!(
        actions,
        vec![
            ("patient.overview", AccessReason::EmergencyAccess),
            ("patient.emergency_access_declared", AccessReason::EmergencyAccess)
        ]
    );
    assert_eq!(audit[1].detail.as_deref(), Some("urgent_care: Akut inläggning, patienten medvetslös"));

    // The emergency access runs out (4 hours).
    app.clock.advance(chrono::Duration::hours(5));
    let resp = app.post_json(&token, "/api/v1/patients/overview", &json!({ "personal_id": "19121212-1212" })).await;
    assert_eq!(resp.status(), 403);
}

async fn an_emergency_access_without_a_reason_is_refused_naming_the_field(app: TestApp) {
    let token = app.token_for("lars").await;
    let resp = app
        .post_json(
            &token,
            "/api/v1/patients/emergency-access",
            &json!({ "personal_id": "19121212-1212", "category": "urgent_care", "reason": " " }),
        )
        .await;
    assert_eq!(resp.status(), 422);
    assert_eq!(problem(resp).await["field"], "reason");
    assert!(!app
        .storage
        .has_emergency_access(app.fixture.other_prescriber, app.fixture.tolvan, ramp_testkit::test_now())
        .await
        .unwrap());
}

async fn hmc_staff_see_patients_on_the_ground_of_their_role(app: TestApp) {
    let resp = app.open_patient("lager", "19121212-1212").await;
    assert_eq!(resp.status(), 200);
    let audit = app.storage.audit_for_patient(app.fixture.tolvan, 10).await.unwrap();
    assert_eq!(audit[0].reason, AccessReason::HmcRole);
}

async fn an_invalid_personnummer_is_422_naming_the_field_and_nothing_is_logged(app: TestApp) {
    let resp = app.open_patient("anna", "19121212-1213").await;
    assert_eq!(resp.status(), 422);
    let p = problem(resp).await;
    assert_eq!(p["field"], "personal_id");
    assert_eq!(p["code"], "invalid_personal_id");
    assert!(p["detail"].as_str().unwrap().contains("check digit"));
    assert_eq!(app.storage.counts().await.unwrap().audit_log, 0);
}

async fn an_unknown_patient_is_404_naming_the_field_to_staff_who_see_every_patient(app: TestApp) {
    let resp = app.open_patient("lager", "20000101-0008").await;
    assert_eq!(resp.status(), 404);
    let p = problem(resp).await;
    assert_eq!(p["code"], "patient_not_found");
    assert_eq!(p["field"], "personal_id");
    assert!(!p["detail"].as_str().unwrap().contains("2000"), "the number is not echoed: {p}");
}

ramp_testkit::on_both_engines!(
    opening_a_patient_shows_the_device_overview_and_writes_an_audit_row,
    a_prescriber_without_a_care_relationship_is_refused_and_the_attempt_is_logged,
    a_declared_emergency_access_opens_the_record_and_is_logged_with_its_reason,
    an_emergency_access_without_a_reason_is_refused_naming_the_field,
    hmc_staff_see_patients_on_the_ground_of_their_role,
    an_invalid_personnummer_is_422_naming_the_field_and_nothing_is_logged,
    an_unknown_patient_is_404_naming_the_field_to_staff_who_see_every_patient,
);
