//! Input ranges (docs/SECURITY.md): dates only in the years 1900–2200,
//! amounts at most a billion kronor, invoice runs from January 2000 and
//! only for months that have ended, no personnummer born in the future —
//! each refused with 422 naming the field.

use ramp_domain::role::Role;
use ramp_storage::{fixture_ordering, User};
use ramp_testkit::{problem, TestApp};
use serde_json::{json, Value};

async fn field_and_code(resp: reqwest::Response) -> (u16, String, String) {
    let status = resp.status().as_u16();
    let p = problem(resp).await;
    (status, p["field"].as_str().unwrap_or_default().to_string(), p["code"].as_str().unwrap_or_default().to_string())
}

fn expected(field: &str, code: &str) -> (u16, String, String) {
    (422, field.to_string(), code.to_string())
}

async fn dates_outside_1900_to_2200_are_refused_naming_the_field_wherever_they_enter(app: TestApp) {
    let anna = app.token_for("anna").await;
    let decision = |date: &str, birth: &str| {
        json!({"region": "stockholm", "date": date, "patient": {"birth_date": birth}, "setting": "ordinary",
            "product": {"iso": "120606", "kind": "device", "facts": {}}, "need": "lasting"})
    };
    let path = "/api/v1/cost-responsibility/decisions";
    for (date, birth, field) in [
        ("0000-01-01", "1950-01-01", "date"),
        ("9999-12-31", "1950-01-01", "date"),
        ("2026-11-23", "1800-01-01", "patient.birth_date"),
    ] {
        let resp = app.post_json(&anna, path, &decision(date, birth)).await;
        assert_eq!(field_and_code(resp).await, expected(field, "invalid_date"), "{date} {birth}");
    }
    assert_eq!(app.post_json(&anna, path, &decision("2026-11-23", "1950-01-01")).await.status(), 200);

    let karl = {
        ramp_storage::fixture_consult::load(app.storage.as_ref()).await.unwrap();
        app.token_for("konsulent").await
    };
    let slot = json!({ "service_code": "expectation_call", "location": "Videomöte", "starts_at": "9999-12-01T10:00:00+01:00", "minutes": 45 });
    let resp = app.post_json(&karl, "/api/v1/consultations/slots", &slot).await;
    assert_eq!(field_and_code(resp).await, expected("starts_at", "invalid_date"));

    let lager = app.token_for("lager").await;
    let resp = app.get(&lager, "/api/v1/figures/reuse-rate?from=0000-01&to=2026-10").await;
    assert_eq!(field_and_code(resp).await, expected("from", "invalid_month"));
}

async fn amounts_above_a_billion_kronor_are_refused_naming_the_field(app: TestApp) {
    fixture_ordering::load(app.storage.as_ref()).await.unwrap();
    let lager = app.token_for("lager").await;
    let receipt = |price: i64| {
        json!({ "warehouse_id": 1, "reference": "IO-1", "devices": [
            { "article_number": "R-200", "device_number": "N-9001", "purchase_price_ore": price }] })
    };
    let resp = app.post_json(&lager, "/api/v1/receipts", &receipt(i64::MAX)).await;
    assert_eq!(field_and_code(resp).await, expected("devices[0].purchase_price_ore", "amount_out_of_range"));
    let resp = app.post_json(&lager, "/api/v1/receipts", &receipt(100_000_000_001)).await;
    assert_eq!(field_and_code(resp).await, expected("devices[0].purchase_price_ore", "amount_out_of_range"));
    assert_eq!(app.post_json(&lager, "/api/v1/receipts", &receipt(100_000_000_000)).await.status(), 201);
    let consumables = json!({ "warehouse_id": 1, "reference": "IO-2",
        "consumables": [{ "article_number": "K-600", "quantity": 2, "unit_price_ore": i64::MAX / 2 }] });
    let resp = app.post_json(&lager, "/api/v1/receipts", &consumables).await;
    assert_eq!(field_and_code(resp).await, expected("consumables[0].unit_price_ore", "amount_out_of_range"));

    let budget = json!({ "principal": "0186", "year": 2026, "amount_ore": i64::MAX });
    let resp = app.client.put(app.url("/api/v1/economy/budgets")).bearer_auth(&finance(&app).await).json(&budget);
    assert_eq!(field_and_code(resp.send().await.unwrap()).await, expected("amount_ore", "amount_out_of_range"));

    let anna = app.token_for("anna").await;
    let costly = json!({ "monthly_cost_ore": i64::MAX });
    let resp = app.post_json(&anna, "/api/v1/cost-responsibility/costly-treatment", &costly).await;
    assert_eq!(field_and_code(resp).await, expected("monthly_cost_ore", "amount_out_of_range"));
}

/// A token for a finance user (the fixture has none).
async fn finance(app: &TestApp) -> String {
    let anna = app.storage.user_by_username("anna").await.unwrap().unwrap();
    let user =
        User { id: 60, username: "ekonom".into(), roles: vec![Role::Finance], unit_id: None, hsa_id: None, ..anna };
    app.storage.insert_users(&[user]).await.unwrap();
    app.storage.finish_bulk_load().await.unwrap();
    app.token_for("ekonom").await
}

async fn an_invoice_run_is_for_an_ended_month_from_january_2000_naming_the_month(app: TestApp) {
    let token = finance(&app).await;
    for (month, code) in [
        ("1900-01", "month_out_of_range"),
        ("1999-12", "month_out_of_range"),
        ("0000-01", "invalid_month"),
        ("9999-01", "invalid_month"),
        ("2026-11", "month_not_closed"),
        ("2026-12", "month_not_closed"),
    ] {
        let resp = app.post_json(&token, "/api/v1/invoice-runs", &json!({ "month": month })).await;
        assert_eq!(field_and_code(resp).await, expected("month", code), "{month}");
    }
    let resp = app.post_json(&token, "/api/v1/invoice-runs", &json!({ "month": "2000-01" })).await;
    assert_eq!(resp.status(), 201, "{:?}", resp.json::<Value>().await);
}

async fn a_personnummer_born_in_the_future_is_refused_naming_the_field_and_nothing_is_audited(app: TestApp) {
    for pnr in ["29121212-1212", "20261224-1212"] {
        let resp = app.open_patient("anna", pnr).await;
        assert_eq!(field_and_code(resp).await, expected("personal_id", "invalid_personal_id"), "{pnr}");
    }
    assert_eq!(app.storage.counts().await.unwrap().audit_log, 0);
}

ramp_testkit::on_both_engines!(
    dates_outside_1900_to_2200_are_refused_naming_the_field_wherever_they_enter,
    amounts_above_a_billion_kronor_are_refused_naming_the_field,
    an_invoice_run_is_for_an_ended_month_from_january_2000_naming_the_month,
    a_personnummer_born_in_the_future_is_refused_naming_the_field_and_nothing_is_audited,
);
