//! "Mina patienter" and registering a patient (issue 18, point 2), on both
//! engines: the unit's patients with open orders, due evaluations and lent
//! devices, the list audited; a new patient registered with a setting and
//! the unit's care relationship, a second registration of the number
//! refused and audited; bad input refused naming the field with nothing
//! written; a change of setting closes the one before; the pages in
//! Chromium with axe.

use ramp_testkit::browser::Browser;
use ramp_testkit::{problem, test_now, TestApp};
use serde_json::{json, Value};

const NEW_PNR: &str = "19500505-1239";

fn registration() -> Value {
    json!({ "personal_id": NEW_PNR, "given_name": "Märta", "family_name": "Ek", "municipality": "0186",
        "setting": "daily_activity" })
}

async fn mine(app: &TestApp, token: &str) -> Vec<Value> {
    let resp = app.get(token, "/api/v1/patients/mine").await;
    assert_eq!(resp.status(), 200);
    resp.json::<Value>().await.unwrap().as_array().unwrap().clone()
}

async fn audit_actions(app: &TestApp, user: i64) -> Vec<(String, Option<i64>, Option<String>)> {
    let mut rows = app.storage.audit_recent(100).await.unwrap();
    rows.retain(|a| a.user_id == user && a.action.starts_with("patient."));
    rows.reverse();
    rows.into_iter().map(|a| (a.action, a.patient_id, a.detail)).collect()
}

async fn a_prescriber_sees_the_units_patients_with_what_to_do_and_the_list_is_audited(app: TestApp) {
    let anna = app.token_for("anna").await;
    let list = mine(&app, &anna).await;
    let names: Vec<_> = list.iter().map(|p| p["family_name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Tolvansson"], "only patients of her unit with a care relationship today");
    let lent = app.storage.held_devices(app.fixture.tolvan, app.app.today()).await.unwrap().len() as i64;
    let t = &list[0];
    assert_eq!(
        (t["personal_id"].as_str(), t["setting"].as_str(), t["devices_lent"].as_i64(), t["open_orders"].as_i64()),
        (Some("19121212-1212"), Some("saebo"), Some(lent), Some(0))
    );
    assert_eq!(
        audit_actions(&app, app.fixture.prescriber).await,
        [("patient.list_mine".to_string(), None, Some("1 patients".to_string()))]
    );
}

async fn only_those_who_order_for_patients_at_a_unit_have_a_list(app: TestApp) {
    let warehouse = app.token_for("lager").await;
    let p = problem(app.get(&warehouse, "/api/v1/patients/mine").await).await;
    assert_eq!((p["status"].as_i64(), p["code"].as_str()), (Some(403), Some("role_required")));
}

async fn a_registered_patient_is_the_units_patient_with_the_setting_and_a_second_registration_is_refused(app: TestApp) {
    let anna = app.token_for("anna").await;
    let resp = app.post_json(&anna, "/api/v1/patients", &registration()).await;
    assert_eq!(resp.status(), 201);
    let id = resp.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let marta = mine(&app, &anna).await.into_iter().find(|p| p["personal_id"] == NEW_PNR).expect("listed");
    assert_eq!((marta["given_name"].as_str(), marta["setting"].as_str()), (Some("Märta"), Some("daily_activity")));
    let overview = app.open_patient("anna", NEW_PNR).await;
    assert_eq!(overview.status(), 200, "the unit's care relationship started today");
    let overview: Value = overview.json().await.unwrap();
    assert_eq!(overview["access"], "care_relationship");

    let again = problem(app.post_json(&anna, "/api/v1/patients", &registration()).await).await;
    assert_eq!(
        (again["status"].as_i64(), again["code"].as_str(), again["field"].as_str()),
        (Some(409), Some("patient_exists"), Some("personal_id"))
    );
    let actions = audit_actions(&app, app.fixture.prescriber).await;
    let registered: Vec<_> = actions.iter().filter(|a| a.0.starts_with("patient.register")).collect();
    assert_eq!(
        registered,
        [
            &("patient.register".to_string(), Some(id), Some("setting daily_activity".to_string())),
            &("patient.register.refused".to_string(), Some(id), Some("already_registered".to_string())),
        ]
    );
    let orderer = app.token_for("lager").await;
    let p = problem(app.post_json(&orderer, "/api/v1/patients", &registration()).await).await;
    assert_eq!(p["code"], "role_required", "prescribers register patients");
}

async fn bad_registrations_are_refused_naming_the_field_and_write_nothing(app: TestApp) {
    let anna = app.token_for("anna").await;
    let cases = [
        ("personal_id", json!("19500505-1230"), "invalid_personal_id"),
        ("personal_id", json!(""), "required"),
        ("given_name", json!("  "), "required"),
        ("family_name", json!("x".repeat(101)), "invalid_name"),
        ("municipality", json!("9999"), "invalid_municipality"),
        ("municipality", json!("region"), "invalid_municipality"),
        ("setting", json!("castle"), "invalid_setting"),
    ];
    for (field, value, code) in cases {
        let mut body = registration();
        body[field] = value.clone();
        let p = problem(app.post_json(&anna, "/api/v1/patients", &body).await).await;
        assert_eq!(
            (p["status"].as_i64(), p["field"].as_str(), p["code"].as_str()),
            (Some(422), Some(field), Some(code)),
            "{field} = {value}"
        );
    }
    assert!(mine(&app, &anna).await.iter().all(|p| p["personal_id"] != NEW_PNR), "nothing written");
}

async fn a_change_of_setting_ends_the_one_before_the_day_before(app: TestApp) {
    let anna = app.token_for("anna").await;
    let body = json!({ "personal_id": "19121212-1212", "setting": "ordinary", "valid_from": "2026-11-01" });
    assert_eq!(app.post_json(&anna, "/api/v1/patients/settings", &body).await.status(), 200);
    let settings = app.storage.patient_settings(app.fixture.tolvan).await.unwrap();
    let last_two: Vec<_> = settings
        .iter()
        .rev()
        .take(2)
        .map(|s| (s.setting.to_string(), s.valid_from.to_string(), s.valid_to.map(|d| d.to_string())))
        .collect();
    assert_eq!(
        last_two,
        [
            ("ordinary".to_string(), "2026-11-01".to_string(), None),
            ("saebo".to_string(), "2024-01-01".to_string(), Some("2026-10-31".to_string())),
        ]
    );
    let bad = json!({ "personal_id": "19121212-1212", "setting": "ordinary", "valid_from": "2026-13-01" });
    let p = problem(app.post_json(&anna, "/api/v1/patients/settings", &bad).await).await;
    assert_eq!((p["field"].as_str(), p["code"].as_str()), (Some("valid_from"), Some("invalid_date")));
    let lars = app.token_for("lars").await;
    let p = problem(app.post_json(&lars, "/api/v1/patients/settings", &body).await).await;
    assert_eq!(p["status"], 403, "no care relationship");
    assert!(test_now().date_naive() > chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap());
}

async fn a_prescriber_registers_a_patient_and_finds_them_in_my_patients_in_chromium(app: TestApp) {
    let b = Browser::start().await;
    b.goto(&app.url("/login")).await;
    b.type_into(&b.labelled("Användarnamn").await, "anna").await;
    b.type_into(&b.labelled("Lösenord").await, ramp_storage::fixture::PASSWORD).await;
    b.press(ramp_testkit::browser::ENTER).await;
    b.wait_for_text("Välkommen").await;
    b.click(&b.by_text("a", "Patient").await).await;
    b.wait_for_text("Mina patienter, efter efternamn").await;
    b.assert_accessible("my patients").await;
    b.click(&b.by_text("a", "Registrera ny patient").await).await;
    b.wait_for_text("Din enhet får vårdrelation").await;
    b.assert_accessible("the registration form").await;
    b.type_into(&b.labelled("Personnummer eller samordningsnummer").await, NEW_PNR).await;
    b.type_into(&b.labelled("Förnamn").await, "Märta").await;
    b.type_into(&b.labelled("Efternamn").await, "Ek").await;
    b.type_into(&b.labelled("Hemkommun").await, "Lidingö stad").await;
    b.type_into(&b.labelled("Boendeform").await, "Daglig verksamhet").await;
    b.click(&b.by_text("button", "Registrera patienten").await).await;
    b.wait_for_text("Patienten är registrerad: Märta Ek").await;
    let text = b.page_text().await;
    assert!(text.contains("Ek, Märta") && text.contains("19500505-1239"), "{text}");
    b.assert_accessible("my patients after the registration").await;
    b.quit().await;
}

ramp_testkit::on_both_engines!(
    a_prescriber_sees_the_units_patients_with_what_to_do_and_the_list_is_audited,
    only_those_who_order_for_patients_at_a_unit_have_a_list,
    a_registered_patient_is_the_units_patient_with_the_setting_and_a_second_registration_is_refused,
    bad_registrations_are_refused_naming_the_field_and_write_nothing,
    a_change_of_setting_ends_the_one_before_the_day_before,
    a_prescriber_registers_a_patient_and_finds_them_in_my_patients_in_chromium,
);
