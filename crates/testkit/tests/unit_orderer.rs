//! The unit orderer (issue 18, point 5) over the API, on both engines:
//! a quantity of devices reserves that many devices (or says how many
//! there are), lines are priced by their billing beside the unit's budget,
//! and saved order lists belong to one unit and are refused to others.

use ramp_domain::role::Role;
use ramp_storage::fixture_ordering::{self, OrderingFixture};
use ramp_storage::NewUser;
use ramp_testkit::{problem, test_now, TestApp};
use serde_json::{json, Value};

async fn ordering(app: &TestApp) -> OrderingFixture {
    fixture_ordering::load(app.storage.as_ref()).await.expect("ordering fixture")
}

/// A unit orderer at unit 1 (Vårdcentralen Solna), beside the fixture's
/// `bestallare` at unit 2 (Hemtjänst Lidingö).
async fn orderer_at_unit_1(app: &TestApp) -> String {
    let anna = app.storage.user_by_username("anna").await.unwrap().unwrap();
    let user = NewUser {
        username: "solna_orderer".into(),
        display_name: "Olle Orderer".into(),
        password_hash: anna.password_hash,
        principal_id: app.fixture.region,
        unit_id: Some(1),
        roles: vec![Role::UnitOrderer],
        competences: vec![],
        created_at: test_now(),
        hsa_id: None,
    };
    app.storage.create_user(&user).await.unwrap();
    app.token_for("solna_orderer").await
}

async fn stock_of(app: &TestApp, article: i64) -> i64 {
    app.storage.central_stock(&[article], test_now()).await.unwrap().first().map_or(0, |s| s.1)
}

fn unit_order(lines: Value) -> Value {
    json!({ "target": "unit", "lines": lines })
}

async fn a_unit_order_of_five_devices_reserves_five_and_consumables_stay_one_line(app: TestApp) {
    // Arrange: R-200 has exactly five in central stock.
    let f = ordering(&app).await;
    let orderer = app.token_for("bestallare").await;
    assert_eq!(stock_of(&app, 15).await, f.race_stock as i64);
    let body = unit_order(
        json!([{ "article_number": "R-200", "quantity": 5 }, { "article_number": "K-600", "quantity": 10 }]),
    );

    // Act
    let resp = app.post_json(&orderer, "/api/v1/orders", &body).await;

    // Assert: five lines of one device each, and one consumable line of ten.
    assert_eq!(resp.status(), 201);
    let order: Value = resp.json().await.unwrap();
    let lines = order["lines"].as_array().unwrap();
    let devices: Vec<&str> =
        lines.iter().filter(|l| l["article_number"] == "R-200").filter_map(|l| l["device_number"].as_str()).collect();
    assert_eq!(devices.len(), 5, "{order}");
    let distinct: std::collections::BTreeSet<_> = devices.iter().collect();
    assert_eq!(distinct.len(), 5, "each line reserved a device of its own");
    let consumable: Vec<&Value> = lines.iter().filter(|l| l["article_number"] == "K-600").collect();
    assert_eq!((consumable.len(), consumable[0]["quantity"].as_i64()), (1, Some(10)));
    assert_eq!(stock_of(&app, 15).await, 0, "all five are reserved for the unit");
}

async fn a_unit_order_for_more_devices_than_in_stock_names_the_quantity_and_reserves_nothing(app: TestApp) {
    ordering(&app).await;
    let orderer = app.token_for("bestallare").await;
    let body =
        unit_order(json!([{ "article_number": "K-600", "quantity": 2 }, { "article_number": "R-200", "quantity": 6 }]));

    let p = problem(app.post_json(&orderer, "/api/v1/orders", &body).await).await;

    assert_eq!((p["status"].as_i64(), p["code"].as_str()), (Some(409), Some("not_enough_in_stock")));
    assert_eq!(p["field"], "lines[1].quantity");
    assert!(p["detail"].as_str().unwrap_or_default().starts_with("5 of Rollator Lätt (R-200) are in stock"), "{p}");
    assert_eq!(stock_of(&app, 15).await, 5, "nothing was reserved");
}

async fn a_prescriber_still_orders_a_device_one_per_line(app: TestApp) {
    let f = ordering(&app).await;
    let anna = app.token_for("anna").await;
    let body = json!({ "personal_id": f.sven_pnr, "goal": "Gå ute", "evaluation_date": "2027-02-01",
        "lines": [{ "article_number": "R-200", "quantity": 2 }] });

    let p = problem(app.post_json(&anna, "/api/v1/orders", &body).await).await;

    assert_eq!((p["code"].as_str(), p["field"].as_str()), (Some("one_device_per_line"), Some("lines[0].quantity")));
    assert_eq!(stock_of(&app, 15).await, 5);
}

async fn a_quote_prices_each_line_by_its_billing_beside_the_units_budget(app: TestApp) {
    // Arrange: Lidingö stad (unit 2's principal) has a budget of 10 000 kr for 2026.
    ordering(&app).await;
    let unit = app.storage.unit(2).await.unwrap().unwrap();
    app.storage.set_budget(unit.principal_id, 2026, 1_000_000, test_now(), 1).await.unwrap();
    let orderer = app.token_for("bestallare").await;
    let body = json!({ "lines": [{ "article_number": "R-200", "quantity": 5 }, { "article_number": "K-600", "quantity": 10 }] });

    // Act
    let resp = app.post_json(&orderer, "/api/v1/unit-orders/quote", &body).await;

    // Assert: rent per month for the rollators, a purchase for the consumable.
    assert_eq!(resp.status(), 200);
    let q: Value = resp.json().await.unwrap();
    let rollator = &q["lines"][0];
    assert_eq!(rollator["billing"], "rental");
    assert_eq!((rollator["unit_price_ore"].as_i64(), rollator["line_total_ore"].as_i64()), (Some(4_666), Some(23_330)));
    assert_eq!(rollator["in_stock"], 5);
    let pads = &q["lines"][1];
    assert_eq!((pads["billing"].as_str(), pads["line_total_ore"].as_i64()), (Some("sale"), Some(4_000)));
    assert_eq!((q["rent_per_month_ore"].as_i64(), q["purchase_ore"].as_i64()), (Some(23_330), Some(4_000)));
    // November: the purchase plus two months of rent.
    let b = &q["budget"];
    assert_eq!(
        (b["year"].as_i64(), b["budget_ore"].as_i64(), b["spent_ore"].as_i64()),
        (Some(2026), Some(1_000_000), Some(0))
    );
    assert_eq!((b["this_order_ore"].as_i64(), b["left_after_ore"].as_i64()), (Some(50_660), Some(949_340)));
    assert_eq!(stock_of(&app, 15).await, 5, "a quote reserves nothing");
}

async fn order_lists_are_created_read_edited_and_deleted_by_the_units_orderers(app: TestApp) {
    ordering(&app).await;
    let orderer = app.token_for("bestallare").await;
    let body = json!({ "name": "Veckobeställning", "lines": [{ "article_number": "R-200", "quantity": 5 }, { "article_number": "K-600", "quantity": 10 }] });

    let resp = app.post_json(&orderer, "/api/v1/order-lists", &body).await;
    assert_eq!(resp.status(), 201);
    let list: Value = resp.json().await.unwrap();
    let path = format!("/api/v1/order-lists/{}", list["id"]);
    assert_eq!(list["lines"][0], json!({ "article_number": "R-200", "name": "Rollator Lätt", "quantity": 5 }));

    let edited = json!({ "name": "Månadsbeställning", "lines": [{ "article_number": "K-600", "quantity": 20 }] });
    let resp = app.client.put(app.url(&path)).bearer_auth(&orderer).json(&edited).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    let all: Value = app.get(&orderer, "/api/v1/order-lists").await.json().await.unwrap();
    assert_eq!(all.as_array().map(Vec::len), Some(1));
    assert_eq!(
        (all[0]["name"].as_str(), all[0]["lines"][0]["quantity"].as_i64()),
        (Some("Månadsbeställning"), Some(20))
    );
    assert_eq!(all[0]["lines"].as_array().map(Vec::len), Some(1), "the lines were replaced");

    let resp = app.client.delete(app.url(&path)).bearer_auth(&orderer).send().await.unwrap();
    assert_eq!(resp.status(), 204);
    assert_eq!(app.get(&orderer, &path).await.status(), 404);
    assert_eq!(app.get(&orderer, "/api/v1/order-lists").await.json::<Value>().await.unwrap(), json!([]));
}

async fn a_units_order_lists_are_refused_to_other_units_and_to_prescribers(app: TestApp) {
    // Arrange: a list of unit 2.
    ordering(&app).await;
    let lidingo = app.token_for("bestallare").await;
    let solna = orderer_at_unit_1(&app).await;
    let anna = app.token_for("anna").await;
    let body = json!({ "name": "Nattlista", "lines": [{ "article_number": "K-600", "quantity": 4 }] });
    let list: Value = app.post_json(&lidingo, "/api/v1/order-lists", &body).await.json().await.unwrap();
    let path = format!("/api/v1/order-lists/{}", list["id"]);

    // Act and assert: the other unit's orderer neither sees, changes nor deletes it.
    assert_eq!(app.get(&solna, "/api/v1/order-lists").await.json::<Value>().await.unwrap(), json!([]));
    assert_eq!(problem(app.get(&solna, &path).await).await["code"], "other_unit");
    let put = app.client.put(app.url(&path)).bearer_auth(&solna).json(&body).send().await.unwrap();
    assert_eq!(problem(put).await["code"], "other_unit");
    let delete = app.client.delete(app.url(&path)).bearer_auth(&solna).send().await.unwrap();
    assert_eq!(delete.status(), 403);
    assert_eq!(problem(app.get(&anna, "/api/v1/order-lists").await).await["code"], "orderer_role_required");
    // The same name is free in another unit.
    assert_eq!(app.post_json(&solna, "/api/v1/order-lists", &body).await.status(), 201);
    assert_eq!(app.get(&lidingo, &path).await.status(), 200, "the list is untouched");
}

async fn bad_order_list_input_is_refused_naming_the_field(app: TestApp) {
    ordering(&app).await;
    let orderer = app.token_for("bestallare").await;
    let line = |n: &str, q: i64| json!({ "article_number": n, "quantity": q });
    let ok = json!({ "name": "Nattlista", "lines": [line("K-600", 4)] });
    assert_eq!(app.post_json(&orderer, "/api/v1/order-lists", &ok).await.status(), 201);
    let cases = [
        (json!({ "name": " ", "lines": [line("K-600", 1)] }), 422, "name"),
        (json!({ "name": "x".repeat(81), "lines": [line("K-600", 1)] }), 422, "name"),
        (json!({ "name": "A", "lines": [] }), 422, "lines"),
        (json!({ "name": "A", "lines": [line("K-600", 0)] }), 422, "lines[0].quantity"),
        (json!({ "name": "A", "lines": [line("K-600", 1), line("R-200", 100)] }), 422, "lines[1].quantity"),
        (json!({ "name": "A", "lines": [line("X-404", 1)] }), 404, "lines[0].article_number"),
        (json!({ "name": "A", "lines": [line("K-600", 1), line("K-600", 2)] }), 422, "lines[1].article_number"),
        (json!({ "name": "Nattlista", "lines": [line("K-600", 1)] }), 409, "name"),
        (json!({ "name": "A", "lines": [line("K-600", 1)], "colour": "red" }), 422, "colour"),
    ];
    for (body, status, field) in cases {
        let p = problem(app.post_json(&orderer, "/api/v1/order-lists", &body).await).await;
        assert_eq!((p["status"].as_i64(), p["field"].as_str()), (Some(status), Some(field)), "{body} → {p}");
    }
    let lists: Value = app.get(&orderer, "/api/v1/order-lists").await.json().await.unwrap();
    assert_eq!(lists.as_array().map(Vec::len), Some(1), "nothing refused was saved");
    let p =
        problem(app.post_json(&orderer, "/api/v1/unit-orders/quote", &json!({ "lines": [line("R-200", 100)] })).await)
            .await;
    assert_eq!((p["code"].as_str(), p["field"].as_str()), (Some("invalid_unit_quantity"), Some("lines[0].quantity")));
}

ramp_testkit::on_both_engines!(
    a_unit_order_of_five_devices_reserves_five_and_consumables_stay_one_line,
    a_unit_order_for_more_devices_than_in_stock_names_the_quantity_and_reserves_nothing,
    a_prescriber_still_orders_a_device_one_per_line,
    a_quote_prices_each_line_by_its_billing_beside_the_units_budget,
    order_lists_are_created_read_edited_and_deleted_by_the_units_orderers,
    a_units_order_lists_are_refused_to_other_units_and_to_prescribers,
    bad_order_list_input_is_refused_naming_the_field,
);
