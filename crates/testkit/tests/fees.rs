//! Patient fees on both engines (issue 6): a patient's fee statement from
//! the prescriptions actually ordered and delivered, the fee cap
//! ("högkostnadsskydd") reached mid-period, the age exemption, charges
//! recorded once each, access through a care relationship (audited), bad
//! input naming its field, and the statement page in Chromium.
//!
//! Region Stockholm's built-in table (`fees/stockholm/2026-01-01.toml`):
//! a short-term wheelchair (ISO 12 22) costs 150 kr per started month, any
//! other short-term prescription 300 kr per started quarter; the cap is
//! 1 400 kr per 12 months; no fee under 20 or from 85.

use chrono::Duration;
use ramp_storage::fixture::{date, t};
use ramp_storage::fixture_ordering::{self, OrderingFixture};
use ramp_storage::{AccessReason, CareRelationship, Patient, PatientSetting};
use ramp_testkit::browser::{Browser, ENTER};
use ramp_testkit::{problem, TestApp};
use serde_json::{json, Value};

/// Eva, 66 on the test day, ordinary housing in Stockholm, cared for by Vårdcentralen Solna (anna).
pub(crate) const EVA: &str = "19600101-2381";

pub(crate) async fn setup(app: &TestApp) -> OrderingFixture {
    let f = fixture_ordering::load(app.storage.as_ref()).await.expect("ordering fixture");
    let pnr = ramp_domain::ids::PersonalId::parse(EVA, date(2026, 1, 1)).unwrap();
    let eva = Patient {
        id: 50,
        birth_date: pnr.birth_date(),
        personal_id: pnr,
        given_name: "Eva".into(),
        family_name: "Ek".into(),
        municipality_id: 2,
        created_at: t(2024, 1, 1),
    };
    app.storage.insert_patients(&[eva]).await.unwrap();
    let setting = PatientSetting {
        patient_id: 50,
        setting: ramp_domain::setting::Setting::Ordinary,
        valid_from: date(1960, 1, 1),
        valid_to: None,
    };
    app.storage.insert_patient_settings(&[setting]).await.unwrap();
    let care = CareRelationship { patient_id: 50, unit_id: 1, valid_from: date(2025, 1, 1), valid_to: None };
    app.storage.insert_care_relationships(&[care]).await.unwrap();
    app.storage.finish_bulk_load().await.unwrap();
    f
}

/// Anna prescribes a wheelchair (W-200) and a rollator short-term,
/// ending 23 May 2027, and the warehouse delivers them on the test day
/// (Monday 23 November 2026).
pub(crate) async fn deliver_short_term(app: &TestApp, pnr: &str) {
    let anna = app.token_for("anna").await;
    for article in ["W-200", "R-200"] {
        let body =
            json!({ "personal_id": pnr, "article_number": article, "need": "temporary", "replacement": "decline" });
        let resp = app.post_json(&anna, "/api/v1/cart/items", &body).await;
        assert_eq!(resp.status(), 201, "{article}: {}", resp.text().await.unwrap());
    }
    let form = json!({ "personal_id": pnr, "goal": "Förflyttning efter fraktur", "evaluation_date": "2027-02-01", "end_date": "2027-05-23" });
    let resp = app.post_json(&anna, "/api/v1/orders", &form).await;
    assert_eq!(resp.status(), 201);
    let id = resp.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let lager = app.token_for("lager").await;
    for status in ["picked", "out_for_delivery", "delivered"] {
        let body = json!({ "status": status, "received_by": "Eva själv" });
        assert_eq!(app.post_json(&lager, &format!("/api/v1/orders/{id}/status"), &body).await.status(), 200);
    }
}

pub(crate) async fn statement(app: &TestApp, user: &str, body: Value) -> reqwest::Response {
    let token = app.token_for(user).await;
    app.post_json(&token, "/api/v1/patients/fee-statement", &body).await
}

fn amounts(s: &Value) -> Vec<(String, i64, String)> {
    s["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["due_on"].as_str().unwrap().into(),
                l["amount_ore"].as_i64().unwrap() / 100,
                l["outcome"].as_str().unwrap().into(),
            )
        })
        .collect()
}

async fn the_fee_statement_charges_per_started_period_until_the_cap_and_then_gives_a_free_card(app: TestApp) {
    // Arrange
    setup(&app).await;
    deliver_short_term(&app, EVA).await;
    app.clock.advance(Duration::days(182)); // Monday 24 May 2027

    // Act
    let resp = statement(&app, "anna", json!({ "personal_id": EVA })).await;

    // Assert: wheelchair 150 kr on the 23rd of each month Nov–May, rollator 300 kr on 23 Nov, Feb, May.
    // Running total: 150, 450, 600, 750, 900, 1 200, 1 350; 23 Apr reaches 1 400 with 50 kr; 23 May free.
    assert_eq!(resp.status(), 200);
    let s: Value = resp.json().await.unwrap();
    let c = |d: &str, kr, o: &str| (d.to_string(), kr, o.to_string());
    assert_eq!(
        amounts(&s),
        vec![
            c("2026-11-23", 150, "charged"),
            c("2026-11-23", 300, "charged"),
            c("2026-12-23", 150, "charged"),
            c("2027-01-23", 150, "charged"),
            c("2027-02-23", 150, "charged"),
            c("2027-02-23", 300, "charged"),
            c("2027-03-23", 150, "charged"),
            c("2027-04-23", 50, "cap_reached"),
            c("2027-05-23", 0, "free_card"),
            c("2027-05-23", 0, "free_card"),
        ]
    );
    assert_eq!(s["total_ore"], 140_000);
    assert_eq!(s["from"], "2026-05-25");
    assert_eq!(s["to"], "2027-05-24");
    let cap = &s["cap_period"];
    assert_eq!((cap["from"].as_str(), cap["to"].as_str()), (Some("2026-11-23"), Some("2027-11-22")));
    assert_eq!((cap["paid_ore"].as_i64(), cap["free_card_from"].as_str()), (Some(140_000), Some("2027-04-23")));
    assert_eq!(s["lines"][7]["fee_table"], "stockholm 2026-01-01");
    assert_eq!(s["newly_recorded"], 10);
}

async fn opening_the_statement_again_records_nothing_twice(app: TestApp) {
    // Arrange: three fees are due by 1 January 2027 (23 Nov wheelchair and rollator, 23 Dec wheelchair).
    setup(&app).await;
    deliver_short_term(&app, EVA).await;
    app.clock.advance(Duration::days(39));
    let first: Value = statement(&app, "anna", json!({ "personal_id": EVA })).await.json().await.unwrap();

    // Act
    let again: Value = statement(&app, "lager", json!({ "personal_id": EVA })).await.json().await.unwrap();
    app.clock.advance(Duration::days(30)); // 31 January: the wheelchair's 23 January fee is new
    let later: Value = statement(&app, "anna", json!({ "personal_id": EVA })).await.json().await.unwrap();

    // Assert
    assert_eq!((first["newly_recorded"].as_u64(), first["total_ore"].as_i64()), (Some(3), Some(60_000)));
    assert_eq!(again["newly_recorded"], 0);
    assert_eq!(later["newly_recorded"], 1);
    let stored = app.storage.fee_charges(50).await.unwrap();
    assert_eq!(stored.len(), 4);
    assert_eq!(stored.iter().map(|c| c.amount_ore).sum::<i64>(), 75_000);
    let keys: std::collections::HashSet<_> = stored.iter().map(|c| c.source_key.as_str()).collect();
    assert_eq!(keys.len(), 4, "every source key once");
    assert!(later["lines"].as_array().unwrap().iter().all(|l| l["recorded_at"].is_string()));
}

async fn a_patient_of_85_or_more_pays_no_fee_and_starts_no_cap_period(app: TestApp) {
    // Arrange: Sven is 87.
    let f = setup(&app).await;
    deliver_short_term(&app, f.sven_pnr).await;
    app.clock.advance(Duration::days(40));

    // Act
    let s: Value = statement(&app, "anna", json!({ "personal_id": f.sven_pnr })).await.json().await.unwrap();

    // Assert
    let outcomes: Vec<_> = amounts(&s).into_iter().map(|(_, kr, o)| (kr, o)).collect();
    assert_eq!(outcomes, vec![(0, "exempt_age".to_string()); 3]);
    assert_eq!(s["total_ore"], 0);
    assert!(s["cap_period"].is_null());
}

async fn a_statement_for_a_chosen_period_keeps_the_cap_counted_from_the_first_fee(app: TestApp) {
    // Arrange
    setup(&app).await;
    deliver_short_term(&app, EVA).await;
    app.clock.advance(Duration::days(182));

    // Act: only April and May 2027.
    let body = json!({ "personal_id": EVA, "from": "2027-04-01", "to": "2027-05-31" });
    let too_late = statement(&app, "anna", body).await;
    let body = json!({ "personal_id": EVA, "from": "2027-04-01", "to": "2027-04-30" });
    let s: Value = statement(&app, "anna", body).await.json().await.unwrap();

    // Assert
    assert_eq!(too_late.status(), 422);
    assert_eq!(problem(too_late).await["field"], "to");
    assert_eq!(amounts(&s), vec![("2027-04-23".to_string(), 50, "cap_reached".to_string())]);
    assert_eq!(s["total_ore"], 5_000);
    assert_eq!(s["cap_period"]["paid_ore"], 140_000);
}

async fn a_prescriber_without_a_care_relationship_is_refused_the_statement_and_the_attempt_is_logged(app: TestApp) {
    // Arrange
    setup(&app).await;
    deliver_short_term(&app, EVA).await;

    // Act
    let resp = statement(&app, "lars", json!({ "personal_id": EVA })).await;

    // Assert
    assert_eq!(resp.status(), 403);
    assert_eq!(problem(resp).await["code"], "care_relationship_required");
    assert!(app.storage.fee_charges(50).await.unwrap().is_empty(), "nothing recorded on a refusal");
    let audit = app.storage.audit_for_patient(50, 20).await.unwrap();
    assert_eq!((audit[0].action.as_str(), audit[0].reason), ("patient.fee_statement.refused", AccessReason::None));
    let granted = statement(&app, "anna", json!({ "personal_id": EVA })).await;
    assert_eq!(granted.status(), 200);
    let audit = app.storage.audit_for_patient(50, 20).await.unwrap();
    assert_eq!((audit[0].action.as_str(), audit[0].reason), ("patient.fee_statement", AccessReason::CareRelationship));
}

async fn bad_statement_input_is_refused_naming_the_field(app: TestApp) {
    // Arrange
    setup(&app).await;

    // Act
    let cases = [
        (json!({ "personal_id": "19600101-2382" }), "personal_id", 422),
        (json!({ "personal_id": EVA, "from": "2026-11-01", "to": "2026-10-01" }), "from", 422),
        (json!({ "personal_id": EVA, "to": "2026-11-24" }), "to", 422),
        (json!({ "personal_id": EVA, "from": "1 november" }), "from", 422),
    ];

    // Assert
    for (body, field, status) in cases {
        let resp = statement(&app, "anna", body.clone()).await;
        assert_eq!(resp.status(), status, "{body}");
        let ct = resp.headers()["content-type"].to_str().unwrap().to_string();
        assert_eq!(ct, "application/problem+json", "{body}");
        let p = problem(resp).await;
        assert!(p["field"].as_str().unwrap_or_default().contains(field), "{body}: {p}");
    }
    assert!(app.storage.fee_charges(50).await.unwrap().is_empty());
}

pub(crate) async fn log_in(b: &Browser, app: &TestApp, username: &str) {
    b.goto(&app.url("/login")).await;
    b.type_into(&b.labelled("Användarnamn").await, username).await;
    b.type_into(&b.labelled("Lösenord").await, ramp_storage::fixture::PASSWORD).await;
    b.press(ENTER).await;
    b.wait_for_text("Välkommen").await;
}

async fn the_fee_statement_page_is_reached_from_the_overview_and_is_accessible(app: TestApp) {
    // Arrange
    setup(&app).await;
    deliver_short_term(&app, EVA).await;
    app.clock.advance(Duration::days(182));
    let b = Browser::start().await;
    log_in(&b, &app, "anna").await;

    // Act
    b.click(&b.by_text("a", "Patient").await).await;
    b.type_into(&b.labelled("Personnummer eller samordningsnummer").await, EVA).await;
    b.press(ENTER).await;
    b.wait_for_text("Hjälpmedelsbild").await;
    b.click(&b.by_text("button", "Avgiftsspecifikation").await).await;
    b.wait_for_text("Högkostnadsskydd per 12 månader").await;

    // Assert
    let text = b.page_text().await;
    for expected in ["Eva Ek", "1 400,00 kr", "Frikort från", "Högkostnadsskyddet nås", "Frikort", "50,00 kr"] {
        assert!(text.contains(expected), "the statement lacks '{expected}':\n{text}");
    }
    b.assert_accessible("the fee statement").await;

    // A date after today is refused beside its field.
    let to = b.labelled("Till och med").await;
    b.set_value(&to, "2099-01-01").await;
    b.click(&b.by_text("button", "Visa period").await).await;
    b.wait_for_text("Specifikationen kan sluta i dag som senast.").await;
    assert_eq!(b.attribute(&b.labelled("Till och med").await, "aria-invalid").await.as_deref(), Some("true"));
    b.assert_accessible("the fee statement with an error").await;

    b.click(&b.by_text("a", "In English").await).await;
    b.wait_for_text("Open patient").await;
    b.quit().await;
}

ramp_testkit::on_both_engines!(
    the_fee_statement_charges_per_started_period_until_the_cap_and_then_gives_a_free_card,
    opening_the_statement_again_records_nothing_twice,
    a_patient_of_85_or_more_pays_no_fee_and_starts_no_cap_period,
    a_statement_for_a_chosen_period_keeps_the_cap_counted_from_the_first_fee,
    a_prescriber_without_a_care_relationship_is_refused_the_statement_and_the_attempt_is_logged,
    bad_statement_input_is_refused_naming_the_field,
    the_fee_statement_page_is_reached_from_the_overview_and_is_accessible,
);
