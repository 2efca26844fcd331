//! Patient fees invoiced, on both engines (issues 19 and 22): "patient fees
//! are computed but never invoiced". The seed's working group weighed the
//! fees against "den löpande hantering som krävs för fakturering"; this is
//! that handling: a month's run invoices each patient's fees once, under
//! the fee cap (högkostnadsskydd) counted across months, writes nothing
//! when preliminary, refuses a bad month and everyone but finance, and
//! makes one invoice per patient however many runs race.
//!
//! The fees are those of `fees.rs`: a short-term wheelchair 150 kr per
//! started month and a rollator 300 kr per started quarter from Monday 23
//! November 2026 to 23 May 2027; the cap is 1 400 kr per 12 months. Due:
//! Nov 450, Dec 150, Jan 150, Feb 450, Mar 150 (1 350), Apr 50 (cap), May 0.

use super::fees::{deliver_short_term, log_in, setup, statement, EVA};
use chrono::{Duration, NaiveDate};
use ramp_domain::role::Role;
use ramp_storage::fixture::{date, t, PASSWORD};
use ramp_storage::{CareRelationship, NewPatientInvoice, Patient, PatientSetting, User};
use ramp_testkit::browser::{Browser, ENTER};
use ramp_testkit::{problem, TestApp};
use serde_json::{json, Value};

/// Olle, 56, a second paying patient of Vårdcentralen Solna.
const OLLE: &str = "19700101-2389";

/// The ordering fixture, Eva (`fees.rs`), Olle, and the finance user `ekonomi`.
async fn world(app: &TestApp) -> ramp_storage::fixture_ordering::OrderingFixture {
    let f = setup(app).await;
    let pnr = ramp_domain::ids::PersonalId::parse(OLLE, date(2026, 1, 1)).unwrap();
    let olle = Patient {
        id: 51,
        birth_date: pnr.birth_date(),
        personal_id: pnr,
        given_name: "Olle".into(),
        family_name: "Ort".into(),
        municipality_id: 2,
        created_at: t(2024, 1, 1),
    };
    let s = app.storage.as_ref();
    s.insert_patients(&[olle]).await.unwrap();
    let setting = ramp_domain::setting::Setting::Ordinary;
    s.insert_patient_settings(&[PatientSetting {
        patient_id: 51,
        setting,
        valid_from: date(1970, 1, 1),
        valid_to: None,
    }])
    .await
    .unwrap();
    let care = CareRelationship { patient_id: 51, unit_id: 1, valid_from: date(2025, 1, 1), valid_to: None };
    s.insert_care_relationships(&[care]).await.unwrap();
    let hash = ramp_app::auth::hash_password(PASSWORD).unwrap();
    s.insert_users(&[User {
        id: 60,
        username: "ekonomi".into(),
        display_name: "Eva Ekonomi".into(),
        password_hash: Some(hash),
        principal_id: 1,
        unit_id: None,
        active: true,
        created_at: t(2024, 1, 1),
        last_login_at: None,
        roles: vec![Role::Finance],
        competences: vec![],
        hsa_id: None,
    }])
    .await
    .unwrap();
    s.finish_bulk_load().await.unwrap();
    f
}

async fn run(app: &TestApp, user: &str, month: &str, preliminary: bool) -> reqwest::Response {
    let token = app.token_for(user).await;
    app.post_json(&token, "/api/v1/patient-invoices/runs", &json!({ "month": month, "preliminary": preliminary })).await
}

async fn run_ok(app: &TestApp, month: &str, preliminary: bool) -> Value {
    let resp = run(app, "ekonomi", month, preliminary).await;
    assert_eq!(resp.status(), if preliminary { 200 } else { 201 }, "{month}");
    resp.json().await.unwrap()
}

async fn get(app: &TestApp, path: &str) -> Value {
    let resp = app.get(&app.token_for("ekonomi").await, path).await;
    assert_eq!(resp.status(), 200, "{path}");
    resp.json().await.unwrap()
}

/// Every fee charge and every invoice of the months run here: what a
/// preliminary run must leave as it was.
async fn rows(app: &TestApp) -> (usize, usize) {
    let mut charges = 0;
    for patient in [50, 51] {
        charges += app.storage.fee_charges(patient).await.unwrap().len();
    }
    let mut invoices = 0;
    for month in ["2026-11", "2026-12", "2027-01", "2027-02", "2027-03", "2027-04", "2027-05"] {
        invoices += app.storage.patient_invoices(month).await.unwrap().len();
    }
    (charges, invoices)
}

async fn the_cap_holds_across_months_so_april_carries_only_what_is_left_and_may_makes_no_invoice(app: TestApp) {
    // Arrange: Eva's statement is opened on 1 January (recording three fees), then months are run in June.
    world(&app).await;
    deliver_short_term(&app, EVA).await;
    app.clock.advance(Duration::days(39));
    assert_eq!(statement(&app, "anna", json!({ "personal_id": EVA })).await.status(), 200);
    app.clock.advance(Duration::days(161)); // Friday 11 June 2027

    // Act
    let mut totals = vec![];
    for month in ["2026-11", "2026-12", "2027-01", "2027-02", "2027-03", "2027-04", "2027-05"] {
        let s = run_ok(&app, month, false).await;
        totals.push((month, s["invoices"].as_i64().unwrap(), s["total_ore"].as_i64().unwrap() / 100));
        if month == "2027-04" {
            assert_eq!((s["cap_limited"].as_i64(), s["cap_relief_ore"].as_i64()), (Some(1), Some(10_000)));
        }
        if month == "2027-05" {
            assert_eq!((s["cap_limited"].as_i64(), s["cap_relief_ore"].as_i64()), (Some(2), Some(45_000)));
        }
    }

    // Assert: 450 + 150 + 150 + 450 + 150 + 50 = 1 400 kr, the cap; May's fees are 0 and make no invoice.
    let months = ["2026-11", "2026-12", "2027-01", "2027-02", "2027-03", "2027-04", "2027-05"];
    let expected: Vec<(&str, i64, i64)> = months
        .iter()
        .zip([(1, 450), (1, 150), (1, 150), (1, 450), (1, 150), (1, 50), (0, 0)])
        .map(|(m, (n, kr))| (*m, n, kr))
        .collect();
    assert_eq!(totals, expected);
    let april = get(&app, "/api/v1/patient-invoices?month=2027-04").await;
    let number = april[0]["number"].as_str().unwrap().to_string();
    assert_eq!(
        (april[0]["issue_date"].as_str(), april[0]["due_date"].as_str()),
        (Some("2027-06-11"), Some("2027-07-11"))
    );
    let detail = get(&app, &format!("/api/v1/patient-invoices/{number}")).await;
    let lines: Vec<(i64, &str)> = detail["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["amount_ore"].as_i64().unwrap() / 100, l["outcome"].as_str().unwrap()))
        .collect();
    assert_eq!(lines, vec![(50, "cap_reached")]);
    // The statement and the run recorded the same ten fees, once each, and the statement names the invoices.
    let stored = app.storage.fee_charges(50).await.unwrap();
    assert_eq!((stored.len(), stored.iter().map(|c| c.amount_ore).sum::<i64>()), (10, 140_000));
    let s: Value = statement(&app, "anna", json!({ "personal_id": EVA })).await.json().await.unwrap();
    let on_invoice = |due: &str| -> Vec<Value> {
        s["lines"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|l| l["due_on"] == due)
            .map(|l| l["invoice_number"].clone())
            .collect()
    };
    assert_eq!(on_invoice("2027-04-23"), vec![json!(number)]);
    assert_eq!(on_invoice("2027-05-23"), vec![Value::Null, Value::Null]);
    assert_eq!(app.storage.invariant_violations().await.unwrap(), vec![]);
}

async fn a_second_run_for_the_same_month_creates_nothing(app: TestApp) {
    // Arrange
    world(&app).await;
    deliver_short_term(&app, EVA).await;
    deliver_short_term(&app, OLLE).await;
    app.clock.advance(Duration::days(39)); // 1 January 2027
    let first = run_ok(&app, "2026-12", false).await;
    let before = rows(&app).await;

    // Act
    let second = run_ok(&app, "2026-12", false).await;

    // Assert: both December invoices carry Nov and Dec (600 kr each); the second run made none.
    assert_eq!((first["invoices"].as_i64(), first["total_ore"].as_i64()), (Some(2), Some(120_000)));
    assert_eq!((second["invoices"].as_i64(), second["total_ore"].as_i64()), (Some(0), Some(0)));
    assert_eq!(rows(&app).await, before);
    let numbers: Vec<&str> = first["created"].as_array().unwrap().iter().map(|n| n.as_str().unwrap()).collect();
    assert_eq!(numbers, ["P2027000001", "P2027000002"]);
}

async fn a_preliminary_run_writes_nothing_and_answers_what_the_run_then_invoices(app: TestApp) {
    // Arrange
    world(&app).await;
    deliver_short_term(&app, EVA).await;
    deliver_short_term(&app, OLLE).await;
    app.clock.advance(Duration::days(200));
    let before = rows(&app).await;
    let audit_before = app.storage.audit_for_patient(50, 100).await.unwrap().len();

    // Act
    let preview = run_ok(&app, "2027-04", true).await;
    let after_preview = rows(&app).await;
    let done = run_ok(&app, "2027-04", false).await;

    // Assert: nothing written by the preview; the run invoiced what it said (2 × 1 400 kr, 8 fees each).
    assert_eq!(before, (0, 0));
    assert_eq!(after_preview, before);
    assert_eq!(app.storage.audit_for_patient(50, 100).await.unwrap().len(), audit_before);
    assert_eq!(preview["preliminary"], true);
    assert!(preview["created"].as_array().unwrap().is_empty());
    for key in ["invoices", "total_ore", "charges", "cap_limited", "cap_relief_ore"] {
        assert_eq!(preview[key], done[key], "{key}");
    }
    assert_eq!(
        (done["invoices"].as_i64(), done["total_ore"].as_i64(), done["charges"].as_i64()),
        (Some(2), Some(280_000), Some(16))
    );
    assert_eq!(rows(&app).await.1, 2);
}

async fn a_bad_month_is_a_422_naming_the_month_field(app: TestApp) {
    // Arrange
    world(&app).await;
    let token = app.token_for("ekonomi").await;

    // Act and assert: not a month, a month not yet ended (today is 23 November 2026), a missing list month.
    for month in ["2026-13", "november", "", "2026-11", "2026-12"] {
        let resp = run(&app, "ekonomi", month, true).await;
        assert_eq!(resp.status(), 422, "{month}");
        assert_eq!(problem(resp).await["field"], "month", "{month}");
    }
    for path in ["/api/v1/patient-invoices", "/api/v1/patient-invoices?month=13-2026", "/api/v1/patient-invoices.csv"] {
        let resp = app.get(&token, path).await;
        assert_eq!(resp.status(), 422, "{path}");
        assert_eq!(problem(resp).await["field"], "month", "{path}");
    }
    let resp = app.post_json(&token, "/api/v1/patient-invoices/runs", &json!({ "preliminary": true })).await;
    assert_eq!(resp.status(), 422, "a missing month");
}

async fn a_prescriber_is_refused_with_a_403_problem_and_nothing_is_written(app: TestApp) {
    // Arrange
    world(&app).await;
    deliver_short_term(&app, EVA).await;
    app.clock.advance(Duration::days(39));

    // Act
    let refused = run(&app, "anna", "2026-12", false).await;
    let list = app.get(&app.token_for("anna").await, "/api/v1/patient-invoices?month=2026-12").await;

    // Assert: the same answer as the principals' invoicing gives a prescriber.
    assert_eq!(refused.status(), 403);
    let p = problem(refused).await;
    assert_eq!((p["code"].as_str(), p["status"].as_i64()), (Some("role_required"), Some(403)));
    let billing =
        app.post_json(&app.token_for("anna").await, "/api/v1/invoice-runs", &json!({ "month": "2026-12" })).await;
    assert_eq!(problem(billing).await["code"], p["code"]);
    assert_eq!(list.status(), 403);
    assert_eq!(rows(&app).await, (0, 0));
}

async fn a_patient_whose_age_exempts_every_fee_gets_no_invoice(app: TestApp) {
    // Arrange: Sven is 87; no fee from 85.
    let f = world(&app).await;
    deliver_short_term(&app, EVA).await;
    deliver_short_term(&app, f.sven_pnr).await;
    app.clock.advance(Duration::days(39));

    // Act
    let s = run_ok(&app, "2026-12", false).await;

    // Assert: Eva's invoice only; Sven's fees are recorded at 0 and billed nowhere.
    assert_eq!(s["invoices"], 1);
    let list = get(&app, "/api/v1/patient-invoices?month=2026-12").await;
    let patients: Vec<i64> = list.as_array().unwrap().iter().map(|i| i["patient_id"].as_i64().unwrap()).collect();
    assert_eq!(patients, vec![50]);
    let sven = app.storage.fee_charges(f.sven).await.unwrap();
    assert_eq!((sven.len(), sven.iter().map(|c| c.amount_ore).sum::<i64>()), (3, 0));
}

async fn two_runs_racing_for_a_month_make_one_invoice_per_patient(app: TestApp) {
    // Arrange
    world(&app).await;
    deliver_short_term(&app, EVA).await;
    deliver_short_term(&app, OLLE).await;
    app.clock.advance(Duration::days(39));

    // Act
    let (a, b) = tokio::join!(run(&app, "ekonomi", "2026-12", false), run(&app, "ekonomi", "2026-12", false));

    // Assert: both answer 201; between them two invoices, one per patient (unique patient and month, unique charge).
    assert_eq!((a.status(), b.status()), (reqwest::StatusCode::CREATED, reqwest::StatusCode::CREATED));
    let (a, b): (Value, Value) = (a.json().await.unwrap(), b.json().await.unwrap());
    assert_eq!(a["invoices"].as_i64().unwrap() + b["invoices"].as_i64().unwrap(), 2, "{a} {b}");
    let list = get(&app, "/api/v1/patient-invoices?month=2026-12").await;
    let mut patients: Vec<i64> = list.as_array().unwrap().iter().map(|i| i["patient_id"].as_i64().unwrap()).collect();
    patients.sort_unstable();
    assert_eq!(patients, vec![50, 51]);
    assert_eq!(list.as_array().unwrap().iter().map(|i| i["total_ore"].as_i64().unwrap()).sum::<i64>(), 120_000);
    // The database itself refuses a second invoice for Eva's month and a second line for a billed charge.
    let charge = app.storage.fee_charges(50).await.unwrap().remove(0);
    let again = |month: &str| NewPatientInvoice {
        patient_id: 50,
        month: month.into(),
        issue_date: date(2027, 1, 1),
        due_date: date(2027, 1, 31),
        created_by: 60,
        created_at: t(2027, 1, 1),
        lines: vec![(charge.source_key.clone(), charge.amount_ore)],
    };
    let same_month = app.storage.create_patient_invoice(&again("2026-12")).await.unwrap_err();
    assert!(same_month.is_conflict_on("patient_invoices_one_per_month", "patient_invoices.patient_id"), "{same_month}");
    let same_charge = app.storage.create_patient_invoice(&again("2027-01")).await.unwrap_err();
    assert!(
        same_charge.is_conflict_on("patient_invoice_lines_billed_once", "patient_invoice_lines.charge_id"),
        "{same_charge}"
    );
    assert_eq!(rows(&app).await.1, 2, "nothing half-written");
    assert_eq!(app.storage.invariant_violations().await.unwrap(), vec![]);
}

async fn reading_a_patient_invoice_is_an_audited_read_and_the_export_names_the_patient(app: TestApp) {
    // Arrange
    world(&app).await;
    deliver_short_term(&app, EVA).await;
    app.clock.advance(Duration::days(39));
    let s = run_ok(&app, "2026-12", false).await;
    let number = s["created"][0].as_str().unwrap().to_string();

    // Act
    let detail = get(&app, &format!("/api/v1/patient-invoices/{number}")).await;
    let csv = app.get(&app.token_for("ekonomi").await, "/api/v1/patient-invoices.csv?month=2026-12").await;
    let xlsx = app.get(&app.token_for("ekonomi").await, "/api/v1/patient-invoices.xlsx?month=2026-12").await;

    // Assert
    assert_eq!((detail["personal_id"].as_str(), detail["total_ore"].as_i64()), (Some(EVA), Some(60_000)));
    let audit = app.storage.audit_for_patient(50, 20).await.unwrap();
    let actions: Vec<&str> = audit.iter().map(|a| a.action.as_str()).collect();
    assert!(actions.contains(&"patient.invoice") && actions.contains(&"patient.invoice_export"), "{actions:?}");
    assert_eq!(audit[0].reason, ramp_storage::AccessReason::HmcRole);
    let text = csv.text().await.unwrap();
    assert!(text.starts_with("\u{feff}Fakturanummer;Fakturadatum;Förfallodatum;Personnummer"), "{text}");
    assert!(text.contains(&format!("{number};2027-01-01;2027-01-31;{EVA};Ek;Eva;600,00;1;2026-11-23")), "{text}");
    assert_eq!(text.lines().count(), 4, "a header and three fee lines");
    assert_eq!(xlsx.status(), 200);
    assert_eq!(&xlsx.bytes().await.unwrap()[..2], b"PK");
    assert!(NaiveDate::parse_from_str(detail["due_date"].as_str().unwrap(), "%Y-%m-%d").is_ok());
}

async fn finance_staff_preview_and_then_invoice_the_patient_fees_from_the_finance_page(app: TestApp) {
    // Arrange
    world(&app).await;
    deliver_short_term(&app, EVA).await;
    app.clock.advance(Duration::days(39));
    let b = Browser::start().await;
    log_in(&b, &app, "ekonomi").await;

    // Act: preview December, then invoice it.
    b.click(&b.by_text("a", "Fakturering").await).await;
    b.wait_for_text("Patientavgifter").await;
    b.assert_accessible("the finance page with its patient-fee section").await;
    b.set_value(&b.find("#patient-month").await, "2026-12").await;
    b.click(&b.by_text("button", "Förhandsgranska").await).await;
    b.wait_for_text("Förhandsgranskning, ingenting är sparat").await;
    let preview = b.page_text().await.replace('\u{a0}', " ");
    b.assert_accessible("the preview").await;
    assert_eq!(rows(&app).await, (0, 0), "the preview saved nothing");
    b.click(&b.by_text("button", "Fakturera").await).await;
    b.wait_for_text("Patientavgifterna är fakturerade för").await;

    // Assert
    let text = b.page_text().await.replace('\u{a0}', " ");
    for page in [&preview, &text] {
        assert!(page.contains("Antal fakturor") && page.contains("600,00 kr"), "{page}");
        assert!(page.contains("Varav begränsat av högkostnadsskydd"), "{page}");
    }
    assert!(text.contains("Ladda ner månadens patientfakturor som CSV (Excel)"), "{text}");
    b.assert_accessible("the run's result").await;
    assert_eq!(rows(&app).await.1, 1);
    b.click(&b.by_text("a", "In English").await).await;
    b.wait_for_text("Patient fees").await;
    let english = b.page_text().await;
    assert!(english.contains("Preview") && english.contains("Invoice"), "{english}");
    b.assert_accessible("the finance page in English").await;
    // The fee statement names the invoice of each fee (finance staff read it on their HMC role, audited).
    b.click(&b.by_text("a", "På svenska").await).await;
    b.wait_for_text("Patientavgifter").await;
    b.goto(&app.url("/patient")).await;
    b.type_into(&b.labelled("Personnummer eller samordningsnummer").await, EVA).await;
    b.press(ENTER).await;
    b.wait_for_text("Hjälpmedelsbild").await;
    b.click(&b.by_text("button", "Avgiftsspecifikation").await).await;
    b.wait_for_text("Högkostnadsskydd per 12 månader").await;
    let statement = b.page_text().await;
    assert_eq!(statement.matches("P2027000001").count(), 3, "{statement}");
    b.assert_accessible("the fee statement with its invoice numbers").await;
    b.quit().await;
}

ramp_testkit::on_both_engines!(
    the_cap_holds_across_months_so_april_carries_only_what_is_left_and_may_makes_no_invoice,
    a_second_run_for_the_same_month_creates_nothing,
    a_preliminary_run_writes_nothing_and_answers_what_the_run_then_invoices,
    a_bad_month_is_a_422_naming_the_month_field,
    a_prescriber_is_refused_with_a_403_problem_and_nothing_is_written,
    a_patient_whose_age_exempts_every_fee_gets_no_invoice,
    two_runs_racing_for_a_month_make_one_invoice_per_patient,
    reading_a_patient_invoice_is_an_audited_read_and_the_export_names_the_patient,
    finance_staff_preview_and_then_invoice_the_patient_fees_from_the_finance_page,
);
