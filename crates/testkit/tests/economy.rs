//! The economy follow-up on both engines (issue 6): costs per principal
//! from the invoice runs against budget with the forecast for the year (JSON,
//! CSV for Swedish Excel, XLSX opened by Python's `zipfile`), the month's
//! costly-treatment applications (Region Stockholm: 75 % above 10 000 kr per
//! patient and month), bad input naming its field, and the page in Chromium.
//!
//! The data: a bed at 450,00 kr a month lent on Lidingö's customer number
//! from 1 August 2026 (`billing::lend`); the fixture's rollator D-0001 out
//! with Tolvan on the region's customer number since 2024 at 41,66 kr a
//! month (2 500 kr / 60); and, in October only, a wound-therapy pump at
//! 12 000,00 kr a month to Tolvan on the region's customer number. Invoice
//! runs for August, September and October 2026; the test day is 23
//! November 2026, so ten months of 2026 are complete.

use super::billing::{d, lend, setup, BED};
use ramp_domain::article::{ArticleKind, Billing, LeadTimeClass};
use ramp_domain::device::DeviceState;
use ramp_domain::ids::IsoCode;
use ramp_storage::{AccessReason, Article, Device, Loan, ProductArea};
use ramp_testkit::browser::{Browser, ENTER};
use ramp_testkit::{problem, TestApp};
use serde_json::{json, Value};

const PUMP: i64 = 60;

/// The pump out with Tolvan on the region's customer number for October 2026.
async fn lend_pump(app: &TestApp) {
    let s = app.storage.as_ref();
    // Seed 000: "Behandlingshjälpmedel/läkemedelsnära produkter som berörs är t ex
    // sårvårdsmaterial, VAC-terapi" — the pump's area is drug-adjacent.
    s.insert_product_areas(&[ProductArea {
        code: "medical".into(),
        name_sv: "Medicinsk behandling".into(),
        name_en: "Medical treatment".into(),
        required_competence: None,
        drug_adjacent: true,
        digital: false,
    }])
    .await
    .unwrap();
    s.insert_articles(&[Article {
        id: PUMP,
        article_number: "V-600".into(),
        iso_code: IsoCode::parse("043306").unwrap(),
        gtin: None,
        name: "Sårbehandlingspump VAC".into(),
        supplier_id: 1,
        supplier_name: "Etac Sverige AB".into(),
        purchase_price_ore: 30_000_000,
        monthly_rent_ore: 1_200_000,
        kind: ArticleKind::MainDevice,
        billing: Billing::Rental,
        lead_time_class: LeadTimeClass::Stock7,
        service_life_months: 60,
        reconditionable: true,
        product_area: "medical".into(),
        valid_from: d(2015, 1, 1),
        valid_to: None,
    }])
    .await
    .unwrap();
    s.insert_devices(&[Device {
        id: 600,
        device_number: "V-0600".into(),
        article_id: PUMP,
        serial: None,
        purchase_date: d(2026, 1, 1),
        purchase_price_ore: 30_000_000,
        state: DeviceState::WithPatient,
        warehouse_id: None,
        patient_id: Some(1),
        unit_id: None,
        state_since: ramp_storage::fixture::t(2026, 10, 1),
    }])
    .await
    .unwrap();
    s.insert_loans(&[Loan {
        device_id: 600,
        patient_id: Some(1),
        unit_id: None,
        customer_number_id: 1,
        payer: ramp_domain::cost::Payer::Region,
        rule_id: "test.region".into(),
        agreement_version: "2021-01-01".into(),
        start_date: d(2026, 10, 1),
        end_date: None,
    }])
    .await
    .unwrap();
    s.finish_bulk_load().await.unwrap();
}

/// Lends, runs August–October and returns the finance token.
async fn invoiced(app: &TestApp) -> String {
    let token = setup(app).await;
    lend(app, 400, BED, 1_200_000, d(2026, 1, 1), d(2026, 8, 1)).await;
    lend_pump(app).await;
    for month in ["2026-08", "2026-09", "2026-10"] {
        let resp = app.post_json(&token, "/api/v1/invoice-runs", &json!({ "month": month })).await;
        assert_eq!(resp.status(), 201, "run {month}");
    }
    token
}

fn principal<'a>(report: &'a Value, code: &str) -> &'a Value {
    report["principals"].as_array().unwrap().iter().find(|p| p["principal"] == code).expect("the principal")
}

async fn costs_per_principal_are_the_invoiced_months_against_budget_with_a_run_rate_forecast(app: TestApp) {
    // Arrange
    let token = invoiced(&app).await;
    let body = json!({ "principal": "0186", "year": 2026, "amount_ore": 150_000 });
    assert_eq!(
        app.client
            .put(app.url("/api/v1/economy/budgets"))
            .bearer_auth(&token)
            .json(&body)
            .send()
            .await
            .unwrap()
            .status(),
        204
    );

    // Act
    let report: Value = app.get(&token, "/api/v1/economy/costs?year=2026").await.json().await.unwrap();

    // Assert: Lidingö 3 × 450 = 1 350 kr over 10 complete months; forecast 1 350 + 1 350 × 2 / 10 =
    // 1 620 kr; budget 1 500 kr → 120 kr over. Tertials: May–Aug 450, Sep–Dec (so far) 900.
    assert_eq!(report["complete_months"], 10);
    let lidingo = principal(&report, "0186");
    assert_eq!(lidingo["monthly_ore"][7], 45_000);
    assert_eq!(lidingo["actual_ore"], 135_000);
    assert_eq!(lidingo["tertials_ore"], json!([0, 45_000, 90_000]));
    assert_eq!((lidingo["forecast_ore"].as_i64(), lidingo["deviation_ore"].as_i64()), (Some(162_000), Some(12_000)));
    assert_eq!(lidingo["budget_ore"], 150_000);
    // Region: 3 × 41,66 + 12 000 = 12 124,98 kr; + 12 124,98 × 2 / 10 = 2 424,996 → 2 425,00: 14 549,98 kr.
    let region = principal(&report, "region");
    assert_eq!((region["actual_ore"].as_i64(), region["forecast_ore"].as_i64()), (Some(1_212_498), Some(1_454_998)));
    assert!(region["budget_ore"].is_null() && region["deviation_ore"].is_null());
    // The actual equals the sum of the invoices of the principal.
    let invoices: Value =
        app.get(&token, "/api/v1/invoices?month=2026-10&customer_number=100001").await.json().await.unwrap();
    assert_eq!(invoices[0]["total_ore"], 1_204_166);
}

async fn the_costs_download_as_csv_for_swedish_excel_and_as_an_xlsx_workbook(app: TestApp) {
    // Arrange
    let token = invoiced(&app).await;

    // Act
    let csv = app.get(&token, "/api/v1/economy/costs.csv?year=2026").await;
    let xlsx = app.get(&token, "/api/v1/economy/costs.xlsx?year=2026").await;

    // Assert
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    let text = csv.text().await.unwrap();
    assert!(text.starts_with('\u{feff}'));
    let lidingo = text.split("\r\n").find(|l| l.starts_with("0186;")).expect("Lidingö's row");
    assert_eq!(
        lidingo,
        "0186;Lidingö stad;;0,00;0,00;0,00;0,00;0,00;0,00;0,00;450,00;450,00;450,00;0,00;0,00;1350,00;0,00;450,00;900,00;1620,00;"
    );
    assert_eq!(xlsx.headers()["content-type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    let bytes = xlsx.bytes().await.unwrap();
    let path = std::env::temp_dir().join(format!("ramp-economy-{}-{:?}.xlsx", std::process::id(), app.engine));
    std::fs::write(&path, &bytes).unwrap();
    let script = "import sys, zipfile\n\
        z = zipfile.ZipFile(sys.argv[1])\n\
        assert z.testzip() is None\n\
        sheet = z.read('xl/worksheets/sheet1.xml').decode()\n\
        assert 'Lidingö stad' in sheet\n\
        assert '<v>1350</v>' in sheet and '<v>1620</v>' in sheet, sheet\n\
        print(len(z.namelist()))\n";
    let out = std::process::Command::new("python3").arg("-c").arg(script).arg(&path).output().expect("python3");
    std::fs::remove_file(&path).ok();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "6");
}

async fn a_patient_above_10000_kr_in_a_month_gets_a_costly_treatment_application_of_75_percent_of_the_excess(
    app: TestApp,
) {
    // Arrange
    let token = invoiced(&app).await;

    // Act
    let oct: Value = app.get(&token, "/api/v1/economy/costly-treatment?month=2026-10").await.json().await.unwrap();
    let sep: Value = app.get(&token, "/api/v1/economy/costly-treatment?month=2026-09").await.json().await.unwrap();

    // Assert: Tolvan in October: the VAC pump's 12 000 kr; the rollator's 41,66 kr on the same invoice
    // is not a treatment device and is left out (issue 22: only "behandlingshjälpmedel/läkemedelsnära
    // produkter"). Above 10 000: 2 000 kr; 75 % = 1 500 kr. Lidingö is a municipality: no application.
    let apps = oct["applications"].as_array().unwrap();
    assert_eq!(apps.len(), 1);
    let a = &apps[0];
    assert_eq!((a["customer_number"].as_str(), a["personal_id"].as_str()), (Some("100001"), Some("19121212-1212")));
    assert_eq!((a["monthly_cost_ore"].as_i64(), a["reimbursement_ore"].as_i64()), (Some(1_200_000), Some(150_000)));
    assert_eq!((a["lines"].as_u64(), a["share_percent"].as_i64()), (Some(1), Some(75)));
    assert_eq!(oct["total_reimbursement_ore"], 150_000);
    assert!(sep["applications"].as_array().unwrap().is_empty(), "41,66 kr in September");
    let audit = app.storage.audit_for_patient(1, 10).await.unwrap();
    assert_eq!((audit[0].action.as_str(), audit[0].reason), ("economy.costly_treatment", AccessReason::HmcRole));
}

async fn bad_economy_input_is_refused_naming_the_field_and_prescribers_are_refused(app: TestApp) {
    // Arrange
    let token = setup(&app).await;
    let put = |body: Value| app.client.put(app.url("/api/v1/economy/budgets")).bearer_auth(&token).json(&body).send();

    // Act
    let year = app.get(&token, "/api/v1/economy/costs?year=20x6").await;
    let month = app.get(&token, "/api/v1/economy/costly-treatment?month=2026-13").await;
    let negative = put(json!({ "principal": "0186", "year": 2026, "amount_ore": -1 })).await.unwrap();
    let unknown = put(json!({ "principal": "9999", "year": 2026, "amount_ore": 1 })).await.unwrap();
    let anna = app.token_for("anna").await;
    let prescriber = app.get(&anna, "/api/v1/economy/costs").await;

    // Assert
    for (resp, status, field) in
        [(year, 422, "year"), (month, 422, "month"), (negative, 422, "amount_ore"), (unknown, 404, "principal")]
    {
        assert_eq!(resp.status(), status, "{field}");
        assert_eq!(resp.headers()["content-type"], "application/problem+json");
        assert_eq!(problem(resp).await["field"], field);
    }
    assert_eq!(problem(prescriber).await["code"], "role_required");
    let report: Value = app.get(&token, "/api/v1/economy/costs?year=2026").await.json().await.unwrap();
    assert!(principal(&report, "0186")["budget_ore"].is_null(), "nothing half-written");
}

async fn the_economy_page_draws_the_chart_beside_the_table_and_is_accessible(app: TestApp) {
    // Arrange
    invoiced(&app).await;
    let b = Browser::start().await;
    b.goto(&app.url("/login")).await;
    b.type_into(&b.labelled("Användarnamn").await, "admin").await;
    b.type_into(&b.labelled("Lösenord").await, ramp_storage::fixture::PASSWORD).await;
    b.press(ENTER).await;
    b.wait_for_text("Välkommen").await;

    // Act (an administrator also sees the budget form, checked by axe with the rest)
    b.goto(&app.url("/economy")).await;
    b.wait_for_text("Kostnader per huvudman").await;

    // Assert
    let text = b.page_text().await;
    for expected in
        ["Lidingö stad", "1 350,00 kr", "1 620,00 kr", "Utfall", "Prognos", "Ladda ner Excel (XLSX)", "Spara budget"]
    {
        assert!(text.contains(expected), "the economy page lacks '{expected}':\n{text}");
    }
    let bars = b.execute("return document.querySelectorAll('#economy-chart rect').length;", json!([])).await;
    assert!(bars.as_i64().unwrap() > 0, "the chart has bars");
    b.assert_accessible("the economy page").await;
    b.click(&b.by_text("a", "Kostsamma behandlingshjälpmedel").await).await;
    b.wait_for_text("Särskild ansökan").await;
    let month = b.labelled("Månad").await;
    b.set_value(&month, "2026-10").await;
    b.click(&b.by_text("button", "Visa").await).await;
    b.wait_for_text("Summa ersättning").await;
    assert!(b.page_text().await.contains("1 500,00 kr"), "the application's reimbursement");
    b.assert_accessible("the costly-treatment applications").await;
    b.quit().await;
}

/// Issue 19: "budgets can only be set through the API" — the page has a form.
async fn an_administrator_sets_a_budget_on_the_economy_page_and_a_bad_amount_is_named(app: TestApp) {
    let finance = invoiced(&app).await;
    let (client, csrf, _) = app.ui_logged_in("admin").await;
    let post = |budget: &'static str| {
        let form = [("csrf", csrf.as_str()), ("year", "2026"), ("principal", "0186"), ("budget", budget)];
        client.post(app.url("/economy/budget")).form(&form).send()
    };
    let resp = post("tolv tusen").await.unwrap();
    assert_eq!(resp.status(), 422);
    let html = resp.text().await.unwrap();
    assert!(
        html.contains("id=\"budget-error\"") && html.contains("value=\"tolv tusen\""),
        "named beside the field, kept"
    );
    let resp = post("-5").await.unwrap();
    assert_eq!(resp.status(), 422, "a negative budget");
    let resp = post("12 000,50").await.unwrap();
    assert_eq!(resp.status(), 303);
    let to = resp.headers()["location"].to_str().unwrap().to_string();
    let html = client.get(app.url(&to)).send().await.unwrap().text().await.unwrap().replace('\u{a0}', " ");
    assert!(html.contains("Budgeten är sparad.") && html.contains("12 000,50 kr"), "{html}");
    let costs: Value = app.get(&finance, "/api/v1/economy/costs?year=2026").await.json().await.unwrap();
    assert!(costs.to_string().contains("1200050"), "the API reads the same budget: {costs}");

    let (anna, anna_csrf, _) = app.ui_logged_in("anna").await;
    let form = [("csrf", anna_csrf.as_str()), ("year", "2026"), ("principal", "0186"), ("budget", "1")];
    let resp = anna.post(app.url("/economy/budget")).form(&form).send().await.unwrap();
    assert_eq!(resp.status(), 403, "a prescriber sets no budget");
}

ramp_testkit::on_both_engines!(
    an_administrator_sets_a_budget_on_the_economy_page_and_a_bad_amount_is_named,
    costs_per_principal_are_the_invoiced_months_against_budget_with_a_run_rate_forecast,
    the_costs_download_as_csv_for_swedish_excel_and_as_an_xlsx_workbook,
    a_patient_above_10000_kr_in_a_month_gets_a_costly_treatment_application_of_75_percent_of_the_excess,
    bad_economy_input_is_refused_naming_the_field_and_prescribers_are_refused,
    the_economy_page_draws_the_chart_beside_the_table_and_is_accessible,
);
