//! Billing on both engines (issue 6): invoice runs over devices lent,
//! picked up and lost through the API, with amounts computed by hand; a
//! rerun creates nothing twice; a credit note never edits the invoice it
//! credits; bad input is 422 naming the field and only finance staff invoice.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use ramp_domain::article::{ArticleKind, Billing, LeadTimeClass};
use ramp_domain::billing::{billable_lines, invoice_drafts};
use ramp_domain::device::DeviceState;
use ramp_domain::figures::Month;
use ramp_domain::ids::IsoCode;
use ramp_domain::role::Role;
use ramp_storage::*;
use ramp_testkit::{problem, TestApp};
use serde_json::{json, Value};

pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// 10:00 in Stockholm (winter time) on a day.
pub fn at(y: i32, m: u32, day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, day, 9, 0, 0).unwrap()
}

const FINANCE: Id = 50;
/// Säng elektrisk: 450,00 kr a month.
pub const BED: Id = 40;
/// Lost-device articles without rent: a main device (60 months' life), an accessory, one out of the assortment.
pub const LIFT: Id = 43;
pub const SLING: Id = 44;
pub const OLD_LIFT: Id = 42;
/// Hemtjänst Lidingö, a municipality's customer number.
const LIDINGO_ACCOUNT: Id = 2;

pub fn article(id: Id, number: &str, kind: ArticleKind, price: i64, rent: i64, valid_to: Option<NaiveDate>) -> Article {
    Article {
        id,
        article_number: number.into(),
        iso_code: IsoCode::parse("181210").unwrap(),
        gtin: None,
        name: format!("Artikel {number}"),
        supplier_id: 1,
        supplier_name: "Etac Sverige AB".into(),
        purchase_price_ore: price,
        monthly_rent_ore: rent,
        kind,
        billing: Billing::Rental,
        lead_time_class: LeadTimeClass::Stock7,
        service_life_months: 60,
        reconditionable: true,
        product_area: "mobility".into(),
        valid_from: d(2015, 1, 1),
        valid_to,
    }
}

/// The finance user and the articles the tests lend.
pub async fn setup(app: &TestApp) -> String {
    setup_with(app, None).await
}

/// `setup`, the finance user with a password hash (to log in in a browser).
pub async fn setup_with(app: &TestApp, password_hash: Option<String>) -> String {
    let s = app.storage.as_ref();
    s.insert_users(&[User {
        id: FINANCE,
        username: "ekonomi".into(),
        display_name: "Eva Ekonomi".into(),
        password_hash,
        principal_id: 1,
        unit_id: None,
        active: true,
        created_at: at(2024, 1, 1),
        last_login_at: None,
        roles: vec![Role::Finance],
        competences: vec![],
        hsa_id: None,
    }])
    .await
    .unwrap();
    s.insert_articles(&[
        article(BED, "S-400", ArticleKind::MainDevice, 1_200_000, 45_000, None),
        article(OLD_LIFT, "L-420", ArticleKind::MainDevice, 5_000_000, 0, Some(d(2025, 12, 31))),
        article(LIFT, "L-430", ArticleKind::MainDevice, 1_200_000, 0, None),
        article(SLING, "L-440", ArticleKind::Accessory, 300_000, 0, None),
    ])
    .await
    .unwrap();
    s.finish_bulk_load().await.unwrap();
    app.token_for("ekonomi").await
}

/// A device out with Tolvan on Lidingö's customer number since `start`.
pub async fn lend(app: &TestApp, id: Id, article: Id, price: i64, bought: NaiveDate, start: NaiveDate) -> String {
    let s = app.storage.as_ref();
    let number = format!("B-{id}");
    s.insert_devices(&[Device {
        id,
        device_number: number.clone(),
        article_id: article,
        serial: None,
        purchase_date: bought,
        purchase_price_ore: price,
        state: DeviceState::WithPatient,
        warehouse_id: None,
        patient_id: Some(1),
        unit_id: None,
        state_since: at(2024, 1, 1),
    }])
    .await
    .unwrap();
    s.insert_loans(&[Loan {
        device_id: id,
        patient_id: Some(1),
        unit_id: None,
        customer_number_id: LIDINGO_ACCOUNT,
        payer: ramp_domain::cost::Payer::Municipality,
        rule_id: "test.municipality".into(),
        agreement_version: "2021-01-01".into(),
        start_date: start,
        end_date: None,
    }])
    .await
    .unwrap();
    s.finish_bulk_load().await.unwrap();
    number
}

pub async fn run(app: &TestApp, token: &str, month: &str) -> Value {
    let resp = app.post_json(token, "/api/v1/invoice-runs", &json!({ "month": month })).await;
    assert_eq!(resp.status(), 201, "run {month}");
    resp.json().await.unwrap()
}

/// The invoice of Lidingö's customer number for a month, with its lines.
pub async fn lidingo_invoice(app: &TestApp, token: &str, month: &str) -> Value {
    let list: Value =
        app.get(token, &format!("/api/v1/invoices?month={month}&customer_number=300001")).await.json().await.unwrap();
    let number = list[0]["number"].as_str().expect("an invoice").to_string();
    app.get(token, &format!("/api/v1/invoices/{number}")).await.json().await.unwrap()
}

pub fn amounts_of(invoice: &Value, kind: &str) -> Vec<i64> {
    invoice["lines"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["kind"] == kind)
        .map(|l| l["amount_ore"].as_i64().unwrap())
        .collect()
}

async fn rent_across_part_months_and_a_pickup_before_easter_is_billed_as_computed_by_hand(app: TestApp) {
    // Arrange: a bed at 450,00 kr a month delivered on 20 September 2026.
    let token = setup(&app).await;
    let bed = lend(&app, 400, BED, 1_200_000, d(2026, 1, 1), d(2026, 9, 20)).await;
    // Picked up: registered Thursday 25 March 2027. Good Friday (26th) and Easter Monday (29th) are
    // holidays, so the third working day after is Thursday 1 April (Tue 30, Wed 31, Thu 1).
    app.clock.set(at(2027, 3, 25));
    let anna = app.token_for("anna").await;
    let pickup: Value = app
        .post_json(&anna, &format!("/api/v1/devices/{bed}/pickup-order"), &json!({ "note": null }))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(pickup["rent_end_date"], "2027-04-01");
    app.clock.set(at(2027, 3, 30));
    let lager = app.token_for("lager").await;
    let resp = app.post_json(&lager, "/api/v1/returns", &json!({ "device_number": bed, "warehouse_id": 1 })).await;
    assert_eq!(resp.status(), 204);
    app.clock.set(at(2027, 5, 3));

    // Act
    for month in ["2026-09", "2026-10", "2027-03", "2027-04"] {
        run(&app, &token, month).await;
    }

    // Assert: September 11 of 30 days: 450 × 11 / 30 = 165,00 kr.
    let sep = lidingo_invoice(&app, &token, "2026-09").await;
    assert_eq!(amounts_of(&sep, "rent"), vec![16_500]);
    assert_eq!(
        sep["lines"][0]["computation"],
        "11 av 30 dagar × 450,00\u{a0}kr = 165,00\u{a0}kr (450,00\u{a0}kr × 11 / 30, avrundat till hela ören)."
    );
    assert_eq!(
        (sep["lines"][0]["period_from"].as_str(), sep["lines"][0]["period_to"].as_str()),
        (Some("2026-09-20"), Some("2026-09-30"))
    );
    // October and March in full.
    assert_eq!(amounts_of(&lidingo_invoice(&app, &token, "2026-10").await, "rent"), vec![45_000]);
    assert_eq!(amounts_of(&lidingo_invoice(&app, &token, "2027-03").await, "rent"), vec![45_000]);
    // April: the rent end day only, 450 × 1 / 30 = 15,00 kr.
    let apr = lidingo_invoice(&app, &token, "2027-04").await;
    assert_eq!(amounts_of(&apr, "rent"), vec![1_500]);
    assert_eq!(apr["lines"][0]["period_to"], "2027-04-01");
    assert_eq!(apr["total_ore"], 1_500);
}

/// Region Stockholm's agreement says nothing about lost devices: a loss is
/// recorded but not charged (the seed-004 rules are Västra Götaland's; see
/// `lost_devices`).
async fn a_region_whose_agreement_has_no_lost_device_rules_charges_nothing_for_a_loss(app: TestApp) {
    // Arrange
    let token = setup(&app).await;
    let lift = lend(&app, 410, LIFT, 1_200_000, d(2024, 5, 10), d(2024, 6, 1)).await;
    app.clock.set(at(2026, 10, 12));
    let anna = app.token_for("anna").await;
    let body = json!({ "circumstances": "Glömd på resa" });
    let resp = app.post_json(&anna, &format!("/api/v1/devices/{lift}/lost-report"), &body).await;
    assert_eq!(resp.status(), 201);
    app.clock.set(at(2026, 11, 23));

    // Act
    let summary = run(&app, &token, "2026-10").await;

    // Assert: only the fixture rollator's rent (41,66 kr, on the region's number); the lift nothing.
    assert_eq!((summary["lines"].as_i64(), summary["total_ore"].as_i64()), (Some(1), Some(4_166)), "{summary}");
}

async fn rerunning_a_month_creates_nothing_twice_and_lines_sum_to_the_billable_amounts(app: TestApp) {
    // Arrange: the fixture's rollator (region) and a bed on Lidingö's customer number.
    let token = setup(&app).await;
    lend(&app, 420, BED, 1_200_000, d(2026, 1, 1), d(2026, 10, 20)).await;
    let first = run(&app, &token, "2026-10").await;

    // Act
    let second = run(&app, &token, "2026-10").await;

    // Assert
    assert_eq!(first["created"], json!(["2026000001", "2026000002"]));
    assert_eq!(second["created"], json!([]));
    assert_eq!(second["already_invoiced"], 2);
    let list: Value = app.get(&token, "/api/v1/invoices?month=2026-10").await.json().await.unwrap();
    assert_eq!(list.as_array().unwrap().len(), 2);
    let invoiced: i64 = list.as_array().unwrap().iter().map(|i| i["total_ore"].as_i64().unwrap()).sum();
    let facts = ramp_app::billing::billing_facts(&app.app, Month::parse("month", "2026-10").unwrap()).await.unwrap();
    let billable: i64 = billable_lines(&facts).iter().map(|b| b.line.amount.0).sum();
    assert_eq!(invoiced, billable);
    // Rollator 2 500 kr / 60 = 41,66 kr a month in full; the bed 12 of 31 days × 450 kr = 174,19 kr.
    assert_eq!(invoiced, 4_166 + 17_419);
    assert_eq!(invoice_drafts(&facts).len(), 2);
}

async fn a_credit_note_never_edits_the_sent_invoice_and_a_corrected_invoice_may_follow(app: TestApp) {
    // Arrange
    let token = setup(&app).await;
    lend(&app, 430, BED, 1_200_000, d(2026, 1, 1), d(2026, 10, 20)).await;
    run(&app, &token, "2026-10").await;
    let sent = lidingo_invoice(&app, &token, "2026-10").await;
    let number = sent["number"].as_str().unwrap().to_string();

    // Act
    let resp = app
        .post_json(&token, &format!("/api/v1/invoices/{number}/credit-note"), &json!({ "reason": "Fel leveransdatum" }))
        .await;
    assert_eq!(resp.status(), 201);
    let credit: Value = resp.json().await.unwrap();
    let again = app
        .post_json(&token, &format!("/api/v1/invoices/{number}/credit-note"), &json!({ "reason": "En gång till" }))
        .await;
    let rerun = run(&app, &token, "2026-10").await;

    // Assert: the invoice is as sent, only marked as credited.
    let after: Value = app.get(&token, &format!("/api/v1/invoices/{number}")).await.json().await.unwrap();
    assert_eq!(after["lines"], sent["lines"]);
    assert_eq!(after["total_ore"], sent["total_ore"]);
    assert_eq!(after["credited_by"], credit["number"]);
    assert_eq!(credit["kind"], "credit_note");
    assert_eq!(credit["credits"], json!(number));
    assert_eq!(credit["total_ore"], -sent["total_ore"].as_i64().unwrap());
    assert_eq!(credit["lines"][0]["amount_ore"], -17_419);
    let p = problem(again).await;
    assert_eq!(
        (p["status"].as_i64(), p["code"].as_str(), p["field"].as_str()),
        (Some(409), Some("already_credited"), Some("number"))
    );
    // The rerun invoices the credited customer number's month again (revision 1) and nothing else.
    assert_eq!(rerun["created"].as_array().unwrap().len(), 1);
    let list: Value =
        app.get(&token, "/api/v1/invoices?month=2026-10&customer_number=300001").await.json().await.unwrap();
    let revisions: Vec<(String, i64)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["kind"].as_str().unwrap().to_string(), i["revision"].as_i64().unwrap()))
        .collect();
    assert_eq!(revisions, vec![("invoice".into(), 0), ("credit_note".into(), 0), ("invoice".into(), 1)]);
}

async fn an_invoice_exports_as_csv_for_swedish_excel(app: TestApp) {
    // Arrange
    let token = setup(&app).await;
    lend(&app, 440, BED, 1_200_000, d(2026, 1, 1), d(2026, 10, 20)).await;
    run(&app, &token, "2026-10").await;
    let number = lidingo_invoice(&app, &token, "2026-10").await["number"].as_str().unwrap().to_string();

    // Act
    let resp = app.get(&token, &format!("/api/v1/invoices/{number}.csv")).await;

    // Assert
    assert_eq!(resp.headers()["content-type"], "text/csv; charset=utf-8");
    let text = resp.text().await.unwrap();
    assert!(text.starts_with("\u{feff}Fakturanummer;Typ;Månad;Kundnummer;"), "{text}");
    let row = text.lines().nth(1).unwrap();
    assert!(
        row.starts_with(&format!("{number};Faktura;2026-10;300001;Hemtjänst Lidingö;2026-11-23;2026-12-23;1;rent;")),
        "{row}"
    );
    assert!(row.contains(";1;174,19;174,19;"), "{row}");
}

async fn bad_months_and_fields_are_refused_naming_the_field(app: TestApp) {
    // Arrange
    let token = setup(&app).await;
    let cases = [
        (json!({ "month": "2026-13" }), "month", "invalid_month"),
        (json!({ "month": "oktober" }), "month", "invalid_month"),
        (json!({ "month": "2026-11" }), "month", "month_not_closed"),
        (json!({ "month": "2030-01" }), "month", "month_not_closed"),
    ];
    for (body, field, code) in cases {
        // Act
        let p = problem(app.post_json(&token, "/api/v1/invoice-runs", &body).await).await;
        // Assert
        assert_eq!(
            (p["status"].as_i64(), p["field"].as_str(), p["code"].as_str()),
            (Some(422), Some(field), Some(code)),
            "{body}"
        );
    }
    let p = problem(app.get(&token, "/api/v1/invoices?month=10-2026").await).await;
    assert_eq!((p["status"].as_i64(), p["field"].as_str()), (Some(422), Some("month")));
    run(&app, &token, "2026-10").await;
    let list: Value = app.get(&token, "/api/v1/invoices?month=2026-10").await.json().await.unwrap();
    let number = list[0]["number"].as_str().unwrap();
    let p = problem(
        app.post_json(&token, &format!("/api/v1/invoices/{number}/credit-note"), &json!({ "reason": " " })).await,
    )
    .await;
    assert_eq!((p["status"].as_i64(), p["field"].as_str()), (Some(422), Some("reason")));
    let p = problem(app.get(&token, "/api/v1/invoices/1999000001").await).await;
    assert_eq!((p["status"].as_i64(), p["code"].as_str()), (Some(404), Some("invoice_not_found")));
    // Nothing half-written: the refused runs created no invoices.
    assert_eq!(list.as_array().unwrap().len(), 1);
}

async fn only_finance_staff_may_run_or_read_invoices(app: TestApp) {
    // Arrange
    let finance = setup(&app).await;
    run(&app, &finance, "2026-10").await;
    for user in ["anna", "admin", "lager"] {
        let token = app.token_for(user).await;
        // Act
        let runs = app.post_json(&token, "/api/v1/invoice-runs", &json!({ "month": "2026-09" })).await;
        let list = app.get(&token, "/api/v1/invoices").await;
        let one = app.get(&token, "/api/v1/invoices/2026000001").await;
        // Assert
        for resp in [runs, list, one] {
            let p = problem(resp).await;
            assert_eq!((p["status"].as_i64(), p["code"].as_str()), (Some(403), Some("role_required")), "{user}");
        }
    }
    let list: Value = app.get(&finance, "/api/v1/invoices").await.json().await.unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1, "the refused run created nothing");
}

ramp_testkit::on_both_engines!(
    rent_across_part_months_and_a_pickup_before_easter_is_billed_as_computed_by_hand,
    a_region_whose_agreement_has_no_lost_device_rules_charges_nothing_for_a_loss,
    rerunning_a_month_creates_nothing_twice_and_lines_sum_to_the_billable_amounts,
    a_credit_note_never_edits_the_sent_invoice_and_a_corrected_invoice_may_follow,
    an_invoice_exports_as_csv_for_swedish_excel,
    bad_months_and_fields_are_refused_naming_the_field,
    only_finance_staff_may_run_or_read_invoices,
);
