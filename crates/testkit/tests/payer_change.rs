//! A payer change in the middle of a loan (issue 22): when the patient moves,
//! the device's payer follows the setting history from the day of the move,
//! and the rent is split across the payers on the invoices, across a month
//! boundary. Seed 000, Bilaga 1 ("Gäller för SÄBO och LSS-boende"):
//! "Hjälpmedel som bekostas av kommunfinansierad verksamhet beställs från
//! egna avtalade leverantörer" — in special housing the residence pays; at
//! home, the region ("Hjälpmedel som bekostas av regionen förskrivs enligt
//! regelverket i Hjälpmedelsguiden").

use crate::billing::{d, setup, BED};
use chrono::{TimeZone, Utc};
use ramp_domain::article::ArticleKind;
use ramp_domain::cost::Payer;
use ramp_domain::device::DeviceState;
use ramp_storage::*;
use ramp_testkit::{problem, TestApp};
use serde_json::{json, Value};

/// Stockholms stad (Tolvan's municipality) gets a customer number of its own.
const STOCKHOLM_ACCOUNT: Id = 3;
const TOLVAN: &str = "19121212-1212";

/// A bed with Tolvan (in special housing) since 20 September 2026, paid by
/// her municipality as the Stockholm agreement decides for a resident ("Sängar,
/// stödhandtag och ramper hör till boendets utrustning").
async fn bed_in_special_housing(app: &TestApp) -> String {
    let s = app.storage.as_ref();
    s.insert_customer_numbers(&[CustomerNumber {
        id: STOCKHOLM_ACCOUNT,
        number: "200001".into(),
        principal_id: 2,
        name: "Stockholms stad, äldreförvaltningen".into(),
    }])
    .await
    .unwrap();
    let bed = Lent { id: 700, number: "B-700", article: BED, price_ore: 1_200_000, start: d(2026, 9, 20) };
    bed.with_tolvan(app, STOCKHOLM_ACCOUNT, Payer::Municipality, "bilaga1.premises_reconstructed").await;
    "B-700".into()
}

/// A device out with Tolvan, bought 1 January 2026.
struct Lent {
    id: Id,
    number: &'static str,
    article: Id,
    price_ore: i64,
    start: chrono::NaiveDate,
}

impl Lent {
    /// Stores the device with Tolvan and its open loan on `account`, decided for `payer` by `rule`.
    async fn with_tolvan(&self, app: &TestApp, account: Id, payer: Payer, rule: &str) {
        let s = app.storage.as_ref();
        let since = Utc.from_utc_datetime(&self.start.and_hms_opt(9, 0, 0).unwrap());
        s.insert_devices(&[Device {
            id: self.id,
            device_number: self.number.into(),
            article_id: self.article,
            serial: None,
            purchase_date: d(2026, 1, 1),
            purchase_price_ore: self.price_ore,
            state: DeviceState::WithPatient,
            warehouse_id: None,
            patient_id: Some(1),
            unit_id: None,
            state_since: since,
        }])
        .await
        .unwrap();
        s.insert_loans(&[Loan {
            device_id: self.id,
            patient_id: Some(1),
            unit_id: None,
            customer_number_id: account,
            payer,
            rule_id: rule.into(),
            agreement_version: "2021-01-01".into(),
            start_date: self.start,
            end_date: None,
        }])
        .await
        .unwrap();
        s.finish_bulk_load().await.unwrap();
    }
}

async fn invoice_rent(app: &TestApp, token: &str, month: &str, customer_number: &str) -> Vec<(i64, String, String)> {
    let list: Value = app
        .get(token, &format!("/api/v1/invoices?month={month}&customer_number={customer_number}"))
        .await
        .json()
        .await
        .unwrap();
    let Some(number) = list[0]["number"].as_str() else { return Vec::new() };
    let invoice: Value = app.get(token, &format!("/api/v1/invoices/{number}")).await.json().await.unwrap();
    invoice["lines"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["kind"] == "rent" && l["description"].as_str().unwrap_or("").contains("B-700"))
        .map(|l| {
            let day = |k: &str| l[k].as_str().unwrap().to_string();
            (l["amount_ore"].as_i64().unwrap(), day("period_from"), day("period_to"))
        })
        .collect()
}

async fn a_move_home_mid_loan_moves_the_rent_to_the_region_from_that_day_across_the_month_boundary(app: TestApp) {
    // Arrange: the bed rents at 450,00 kr a month.
    let finance = setup(&app).await;
    let bed = bed_in_special_housing(&app).await;
    app.clock.set(Utc.with_ymd_and_hms(2026, 10, 20, 9, 0, 0).unwrap());
    let anna = app.token_for("anna").await;

    // Act: Tolvan moved home on 15 October.
    let body = json!({ "personal_id": TOLVAN, "setting": "ordinary", "valid_from": "2026-10-15" });
    let resp = app.post_json(&anna, "/api/v1/patients/settings", &body).await;
    assert_eq!(resp.status(), 200);
    let changed: Value = resp.json().await.unwrap();
    // Recording the same move again replaces it: still one change.
    let again: Value = app.post_json(&anna, "/api/v1/patients/settings", &body).await.json().await.unwrap();
    app.clock.set(Utc.with_ymd_and_hms(2026, 12, 3, 9, 0, 0).unwrap());
    for month in ["2026-10", "2026-11"] {
        let resp = app.post_json(&finance, "/api/v1/invoice-runs", &json!({ "month": month })).await;
        assert_eq!(resp.status(), 201);
    }

    // Assert: the answer names the device, both payers and the deciding rule.
    assert_eq!(changed, again);
    let of_bed = |v: &Value| -> Vec<Value> {
        v["payer_changes"].as_array().unwrap().iter().filter(|c| c["device_number"] == bed.as_str()).cloned().collect()
    };
    assert_eq!(of_bed(&changed).len(), 1, "{changed}");
    let c = &of_bed(&changed)[0];
    assert_eq!(
        (c["device_number"].as_str(), c["from"].as_str(), c["payer_before"].as_str(), c["payer"].as_str()),
        (Some(bed.as_str()), Some("2026-10-15"), Some("municipality"), Some("region"))
    );
    assert_eq!(c["rule"], "ordinary.region_prescription");
    // October: the municipality 1–14 (450 × 14 / 31 = 203,23 kr), the region 15–31 (450 × 17 / 31 =
    // 246,77 kr); together the whole month's 450,00 kr.
    let oct_town = invoice_rent(&app, &finance, "2026-10", "200001").await;
    let oct_region = invoice_rent(&app, &finance, "2026-10", "100001").await;
    assert_eq!(oct_town, [(20_323, "2026-10-01".into(), "2026-10-14".into())]);
    assert_eq!(oct_region, [(24_677, "2026-10-15".into(), "2026-10-31".into())]);
    // November: the region alone, in full.
    assert_eq!(invoice_rent(&app, &finance, "2026-11", "200001").await, []);
    assert_eq!(
        invoice_rent(&app, &finance, "2026-11", "100001").await,
        [(45_000, "2026-11-01".into(), "2026-11-30".into())]
    );
}

async fn moving_back_before_the_invoice_run_undoes_the_payer_change(app: TestApp) {
    // Arrange
    let finance = setup(&app).await;
    bed_in_special_housing(&app).await;
    app.clock.set(Utc.with_ymd_and_hms(2026, 10, 20, 9, 0, 0).unwrap());
    let anna = app.token_for("anna").await;
    let home = json!({ "personal_id": TOLVAN, "setting": "ordinary", "valid_from": "2026-10-15" });
    app.post_json(&anna, "/api/v1/patients/settings", &home).await;

    // Act: the move was recorded by mistake; she is in special housing again from the same day.
    let back = json!({ "personal_id": TOLVAN, "setting": "saebo", "valid_from": "2026-10-15" });
    let resp = app.post_json(&anna, "/api/v1/patients/settings", &back).await;
    app.clock.set(Utc.with_ymd_and_hms(2026, 11, 3, 9, 0, 0).unwrap());
    app.post_json(&finance, "/api/v1/invoice-runs", &json!({ "month": "2026-10" })).await;

    // Assert: the same payer as before the mistake, so no change and the month whole on one invoice.
    let answer: Value = resp.json().await.unwrap();
    assert!(answer["payer_changes"].as_array().unwrap().iter().all(|c| c["device_number"] != "B-700"), "{answer}");
    assert_eq!(
        invoice_rent(&app, &finance, "2026-10", "200001").await,
        [(45_000, "2026-10-01".into(), "2026-10-31".into())]
    );
    assert_eq!(invoice_rent(&app, &finance, "2026-10", "100001").await, []);
}

async fn a_move_whose_new_decision_needs_a_fact_keeps_the_payer_and_asks(app: TestApp) {
    // Arrange: a powered wheelchair (12 23 06) with Tolvan at home, the region's.
    setup(&app).await;
    bed_in_special_housing(&app).await;
    let s = app.storage.as_ref();
    let mut chair = crate::billing::article(41, "R-900", ArticleKind::MainDevice, 900_000, 30_000, None);
    chair.iso_code = ramp_domain::ids::IsoCode::parse("122306").unwrap();
    s.insert_articles(&[chair]).await.unwrap();
    app.clock.set(Utc.with_ymd_and_hms(2026, 10, 20, 9, 0, 0).unwrap());
    let anna = app.token_for("anna").await;
    let home = json!({ "personal_id": TOLVAN, "setting": "ordinary", "valid_from": "2026-10-01" });
    app.post_json(&anna, "/api/v1/patients/settings", &home).await;
    let chair = Lent { id: 701, number: "R-701", article: 41, price_ore: 900_000, start: d(2026, 10, 2) };
    chair.with_tolvan(&app, 1, Payer::Region, "ordinary.region_prescription").await;

    // Act: she moves into special housing; whether the chair has carer control decides who pays.
    let saebo = json!({ "personal_id": TOLVAN, "setting": "saebo", "valid_from": "2026-10-16" });
    let asked: Value = app.post_json(&anna, "/api/v1/patients/settings", &saebo).await.json().await.unwrap();
    let mut answered = saebo.clone();
    answered["facts"] = json!({ "carer_controlled": false });
    let decided: Value = app.post_json(&anna, "/api/v1/patients/settings", &answered).await.json().await.unwrap();
    let bad = json!({ "personal_id": TOLVAN, "setting": "saebo", "valid_from": "2026-10-16", "facts": { "x": "yes" } });
    let p = problem(app.post_json(&anna, "/api/v1/patients/settings", &bad).await).await;

    // Assert: first the question (and the chair's payer stays), then the decision with the answer.
    let undecided = &asked["undecided"][0];
    assert_eq!(undecided["device_number"], "R-701");
    assert!(undecided["needs"].as_array().unwrap().iter().any(|n| n["fact"] == "carer_controlled"), "{asked}");
    assert!(asked["payer_changes"].as_array().unwrap().iter().all(|c| c["device_number"] != "R-701"), "{asked}");
    let chair = decided["payer_changes"].as_array().unwrap().iter().find(|c| c["device_number"] == "R-701").cloned();
    // Without carer control the region still pays, now under the rule for residents.
    let chair = chair.expect("the chair is decided");
    assert_eq!((chair["payer_before"].as_str(), chair["payer"].as_str()), (Some("region"), Some("region")));
    assert_eq!(chair["rule"], "housing.region_prescription");
    assert_eq!(decided["undecided"], json!([]));
    assert_eq!(p["status"], 422);
    assert!(p["detail"].as_str().unwrap().contains("facts.x"), "the answer names the fact: {p}");
}

/// The prescriber records the move on the patient's page: the page says whose
/// device changes payer from that day and shows the new payer in the overview;
/// a bad date is named on the form.
async fn a_prescriber_records_a_move_on_the_patients_page_and_sees_the_payer_change(app: TestApp) {
    // Arrange
    setup(&app).await;
    bed_in_special_housing(&app).await;
    app.clock.set(Utc.with_ymd_and_hms(2026, 10, 20, 9, 0, 0).unwrap());
    let (client, csrf) = app.ui_session("anna").await;
    let post = |form: Vec<(&'static str, String)>| {
        let client = client.clone();
        let url = app.url("/patient/setting");
        async move { client.post(url).form(&form).send().await.unwrap() }
    };
    let form = |from: &str| {
        vec![
            ("csrf", csrf.clone()),
            ("personal_id", TOLVAN.to_string()),
            ("setting", "ordinary".to_string()),
            ("valid_from", from.to_string()),
        ]
    };

    // Act
    let bad = post(form("2026-10-32")).await;
    let bad_status = bad.status();
    let bad_html = bad.text().await.unwrap();
    let moved = post(form("2026-10-15")).await;
    let status = moved.status();
    let html = moved.text().await.unwrap();

    // Assert
    assert_eq!(bad_status, 422);
    assert!(bad_html.contains("id=\"valid_from-error\""), "the date is named on the form");
    assert_eq!(status, 200);
    let notice = html.split("role=\"status\"").nth(1).expect("the notice");
    assert!(notice.contains("Dessa hjälpmedel byter betalare"), "{notice}");
    assert!(notice.contains("(B-700): från"), "{notice}");
    let overview = html.split("B-700</a>").nth(1).expect("the bed in the overview");
    assert!(overview.split("</tr>").next().unwrap().contains("Region"), "the bed's payer today is the region");
}

/// The same journey in Chromium: choose the new setting and the day, save,
/// read the notice; then the questions a powered wheelchair's new decision
/// needs, answered on the page. Axe at each step.
async fn a_prescriber_records_a_move_in_chromium_and_answers_a_devices_question(app: TestApp) {
    // Arrange: the bed (municipality) and a powered wheelchair (region) with Tolvan in special housing.
    setup(&app).await;
    bed_in_special_housing(&app).await;
    let mut chair = crate::billing::article(41, "R-900", ArticleKind::MainDevice, 900_000, 30_000, None);
    chair.iso_code = ramp_domain::ids::IsoCode::parse("122306").unwrap();
    app.storage.insert_articles(&[chair]).await.unwrap();
    let chair = Lent { id: 701, number: "R-701", article: 41, price_ore: 900_000, start: d(2026, 9, 20) };
    chair.with_tolvan(&app, 1, Payer::Region, "housing.region_prescription").await;
    app.clock.set(Utc.with_ymd_and_hms(2026, 10, 20, 9, 0, 0).unwrap());
    let b = ramp_testkit::browser::Browser::start().await;
    crate::ui_browser::log_in(&b, &app, "anna").await;
    crate::ui_browser::open_patient(&b, &app, TOLVAN).await;

    // Act: she moved home on 15 October.
    b.set_value(&b.labelled("Nytt boende").await, "ordinary").await;
    b.set_value(&b.labelled("Från och med").await, "2026-10-15").await;
    b.click(&b.by_text("button", "Spara ändrat boende").await).await;
    b.wait_for_text("Dessa hjälpmedel byter betalare").await;
    let home = b.page_text().await;
    b.assert_accessible("the patient page after a move").await;
    // And back into special housing on 1 November: the wheelchair needs an answer.
    b.set_value(&b.labelled("Nytt boende").await, "saebo").await;
    b.set_value(&b.labelled("Från och med").await, "2026-11-01").await;
    b.click(&b.by_text("button", "Spara ändrat boende").await).await;
    b.wait_for_text("Svara på frågorna nedan").await;
    b.assert_accessible("the patient page with a device's question").await;
    b.set_value(&b.labelled("Är rullstolen försedd med vårdarstyrning?").await, "no").await;
    b.set_value(&b.labelled("Nytt boende").await, "saebo").await;
    b.set_value(&b.labelled("Från och med").await, "2026-11-01").await;
    b.click(&b.by_text("button", "Spara ändrat boende").await).await;
    b.wait_for_text("Dessa hjälpmedel byter betalare").await;
    let answered = b.page_text().await;
    b.quit().await;

    // Assert
    assert!(home.contains("(B-700): från"), "the bed changes payer: {home}");
    assert!(!answered.contains("Svara på frågorna nedan"), "nothing left to answer: {answered}");
    assert!(answered.contains("(B-700): från"), "the bed back to the residence: {answered}");
}

ramp_testkit::on_both_engines!(
    a_prescriber_records_a_move_on_the_patients_page_and_sees_the_payer_change,
    a_prescriber_records_a_move_in_chromium_and_answers_a_devices_question,
    a_move_home_mid_loan_moves_the_rent_to_the_region_from_that_day_across_the_month_boundary,
    moving_back_before_the_invoice_run_undoes_the_payer_change,
    a_move_whose_new_decision_needs_a_fact_keeps_the_payer_and_asks,
);
