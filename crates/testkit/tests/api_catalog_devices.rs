//! Catalog search, device cards and stock over the API.

use ramp_testkit::{problem, TestApp};
use serde_json::Value;

async fn numbers(app: &TestApp, token: &str, q: &str) -> Vec<String> {
    let resp = app.get(token, &format!("/api/v1/articles?q={q}")).await;
    assert_eq!(resp.status(), 200, "{q}");
    let hits: Vec<Value> = resp.json().await.unwrap();
    hits.iter().map(|h| h["article_number"].as_str().unwrap().to_string()).collect()
}

async fn the_catalog_is_searched_by_name_article_number_and_iso_code(app: TestApp) {
    let token = app.token_for("anna").await;
    assert_eq!(numbers(&app, &token, "rollator").await, vec!["R-100", "R-101"]);
    assert_eq!(numbers(&app, &token, "W-200").await, vec!["W-200"]);
    assert_eq!(numbers(&app, &token, "12%2022%2003").await, vec!["W-200"], "ISO code with spaces");
    assert_eq!(numbers(&app, &token, "1206").await, vec!["R-100", "R-101"], "ISO subclass prefix");
    let hits: Vec<Value> = app.get(&token, "/api/v1/articles?q=R-100").await.json().await.unwrap();
    assert_eq!(hits[0]["in_stock"], 2);
    assert_eq!(hits[0]["purchase_price_ore"], 250_000);
    assert_eq!(hits[0]["iso_code"], "120606");
}

/// Search answers from a stock snapshot (cheap at 500,000 articles), but a
/// change is seen by the very next search: a receipt just made shows.
async fn a_search_shows_the_stock_a_receipt_just_changed(app: TestApp) {
    let token = app.token_for("anna").await;
    let in_stock = |hits: Vec<Value>| hits[0]["in_stock"].as_i64();
    assert_eq!(in_stock(app.get(&token, "/api/v1/articles?q=R-100").await.json().await.unwrap()), Some(2));
    let lager = app.token_for("lager").await;
    let receipt = serde_json::json!({ "warehouse_id": 1, "reference": "IO-2026-0077", "devices": [
        { "article_number": "R-100", "device_number": "N-0077", "purchase_price_ore": 250000 } ] });
    assert_eq!(app.post_json(&lager, "/api/v1/receipts", &receipt).await.status(), 201);
    let hits: Vec<Value> = app.get(&token, "/api/v1/articles?q=R-100").await.json().await.unwrap();
    assert_eq!(in_stock(hits), Some(3), "the received device counts at once");
}

async fn a_too_short_search_or_bad_limit_is_422_naming_the_field(app: TestApp) {
    let token = app.token_for("anna").await;
    let p = problem(app.get(&token, "/api/v1/articles?q=r").await).await;
    assert_eq!((p["status"].as_u64(), p["field"].as_str()), (Some(422), Some("q")));
    let p = problem(app.get(&token, "/api/v1/articles?q=rollator&limit=0").await).await;
    assert_eq!(p["field"], "limit");
}

async fn the_device_card_shows_the_full_history_to_those_with_a_care_relationship(app: TestApp) {
    let token = app.token_for("anna").await;
    let resp = app.get(&token, "/api/v1/devices/D-0001").await;
    assert_eq!(resp.status(), 200);
    let card: Value = resp.json().await.unwrap();
    assert_eq!(card["state"], "with_patient");
    assert_eq!(card["article"]["name"], "Rollator Gåstöd Classic");
    assert_eq!(card["loan"]["payer"], "region");
    let kinds: Vec<_> =
        card["events"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap().to_string()).collect();
    assert_eq!(kinds, vec!["received", "delivered"]);
    let audit = app.storage.audit_for_patient(app.fixture.tolvan, 10).await.unwrap();
    assert_eq!(audit[0].action, "device.card", "a device with a patient is patient data");

    let other = app.token_for("lars").await;
    assert_eq!(app.get(&other, "/api/v1/devices/D-0001").await.status(), 403);
    assert_eq!(app.get(&other, "/api/v1/devices/D-0002").await.status(), 200, "a device in stock is not patient data");
    let p = problem(app.get(&token, "/api/v1/devices/NOPE-1").await).await;
    assert_eq!((p["status"].as_u64(), p["field"].as_str()), (Some(404), Some("device_number")));
}

async fn stock_per_warehouse_is_shown_to_hmc_staff_only(app: TestApp) {
    let lager = app.token_for("lager").await;
    let warehouses: Vec<Value> = app.get(&lager, "/api/v1/warehouses").await.json().await.unwrap();
    assert_eq!(warehouses.len(), 2);
    let kinds: Vec<&str> = warehouses.iter().filter_map(|w| w["kind"].as_str()).collect();
    assert_eq!(kinds, ["central", "buffer"], "the central warehouse first, then the buffer stores (issue 19)");
    let id = app.fixture.central_warehouse;
    let lines: Vec<Value> = app.get(&lager, &format!("/api/v1/warehouses/{id}/stock")).await.json().await.unwrap();
    assert_eq!(lines.len(), 1);
    assert_eq!((lines[0]["article_number"].as_str(), lines[0]["in_stock"].as_i64()), (Some("R-100"), Some(2)));
    let anna = app.token_for("anna").await;
    let p = problem(app.get(&anna, "/api/v1/warehouses").await).await;
    assert_eq!(p["code"], "role_required");
    let p = problem(app.get(&lager, "/api/v1/warehouses/999/stock").await).await;
    assert_eq!(p["status"], 404);
    let p = problem(app.get(&lager, "/api/v1/warehouses/abc/stock").await).await;
    assert_eq!(p["field"], "id");
}

ramp_testkit::on_both_engines!(
    the_catalog_is_searched_by_name_article_number_and_iso_code,
    a_too_short_search_or_bad_limit_is_422_naming_the_field,
    a_search_shows_the_stock_a_receipt_just_changed,
    the_device_card_shows_the_full_history_to_those_with_a_care_relationship,
    stock_per_warehouse_is_shown_to_hmc_staff_only,
);
