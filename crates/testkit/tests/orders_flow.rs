//! The prescriber's ordering flow on both engines (issue 4): the
//! replacement chain, who pays and why, the cart's reservations running
//! out by themselves, orders, their status and delivery into the patient's
//! overview, the competence gate, trust-prescription, short-term limits,
//! and unit and buffer orders.

use chrono::Duration;
use ramp_domain::Term;
use ramp_storage::fixture_ordering::{self, OrderingFixture};
use ramp_testkit::{problem, TestApp};
use serde_json::{json, Value};

async fn ordering(app: &TestApp) -> OrderingFixture {
    fixture_ordering::load(app.storage.as_ref()).await.expect("ordering fixture")
}

async fn add(app: &TestApp, token: &str, body: Value) -> reqwest::Response {
    app.post_json(token, "/api/v1/cart/items", &body).await
}

fn line(pnr: &str, article: &str) -> Value {
    json!({ "personal_id": pnr, "article_number": article })
}

async fn place(app: &TestApp, token: &str, pnr: &str) -> reqwest::Response {
    let body = json!({ "personal_id": pnr, "goal": "Klara förflyttning inomhus", "evaluation_date": "2027-02-01" });
    app.post_json(token, "/api/v1/orders", &body).await
}

async fn set_status(app: &TestApp, token: &str, id: i64, status: &str) -> reqwest::Response {
    let body = json!({ "status": status, "received_by": "Sven själv" });
    app.post_json(token, &format!("/api/v1/orders/{id}/status"), &body).await
}

async fn an_ordinary_group_proposes_the_older_equivalent_and_records_a_declined_answer(app: TestApp) {
    let f = ordering(&app).await;
    let anna = app.token_for("anna").await;
    let resp = add(&app, &anna, line(f.sven_pnr, "W-200")).await;
    assert_eq!(resp.status(), 409, "seed 004: 'Ca 65% av beställarna tackar JA till föreslagen ersättningsartikel'");
    let p = problem(resp).await;
    assert_eq!((p["code"].as_str(), p["field"].as_str()), (Some("replacement_answer_required"), Some("replacement")));
    assert_eq!(p["proposal"]["article_number"], "W-190");
    assert_eq!(p["proposal"]["fixed"], false);

    let mut body = line(f.sven_pnr, "W-200");
    body["replacement"] = json!("decline");
    let resp = add(&app, &anna, body).await;
    assert_eq!(resp.status(), 201);
    let item: Value = resp.json().await.unwrap();
    assert_eq!(item["article_number"], "W-200");
    assert_eq!(item["substitution"], "declined");
    assert_eq!(item["device_number"], "D-0010", "the oldest W-200 in central stock goes out first");
    assert_eq!(item["decision"]["payer"], "region");
    assert_eq!(item["decision"]["rule"], "ordinary.region_prescription");
    assert_eq!(item["decision"]["agreement_version"], "2021-01-01");
    assert_eq!(item["decision"]["trust_prescription"], false);
    assert_eq!(item["reserved_until"], "2026-11-23T09:30:00Z", "30 minutes by default");

    let (from, to) = (ramp_testkit::test_now() - Duration::days(1), ramp_testkit::test_now() + Duration::days(1));
    let figures = app.storage.replacement_figures(from, to).await.unwrap();
    assert_eq!((figures.automatic, figures.accepted, figures.declined), (0, 0, 1));
}

async fn accepting_the_proposal_sends_the_older_article_and_flags_an_accessory_of_the_substituted_one(app: TestApp) {
    let f = ordering(&app).await;
    let anna = app.token_for("anna").await;
    assert_eq!(add(&app, &anna, line(f.sven_pnr, "W-201")).await.status(), 201, "a table for the W-200");
    let mut body = line(f.sven_pnr, "W-200");
    body["replacement"] = json!("accept");
    let item: Value = add(&app, &anna, body).await.json().await.unwrap();
    assert_eq!(
        (item["article_number"].as_str(), item["requested_article_number"].as_str()),
        (Some("W-190"), Some("W-200"))
    );
    assert_eq!((item["substitution"].as_str(), item["device_number"].as_str()), (Some("accepted"), Some("D-0012")));

    let cart: Value = app.get(&anna, "/api/v1/cart").await.json().await.unwrap();
    let items = cart["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    let table = items.iter().find(|i| i["article_number"] == "W-201").unwrap();
    assert_eq!(table["needs_review"], true, "the table fits the W-200, not the W-190 that goes out instead");
    let chair = items.iter().find(|i| i["article_number"] == "W-190").unwrap();
    assert_eq!(chair["needs_review"], false);
    let figures =
        app.storage.replacement_figures(ramp_testkit::test_now(), ramp_testkit::test_now() + Duration::hours(1));
    assert_eq!(figures.await.unwrap().accepted, 1);
}

async fn a_fixed_replacement_group_substitutes_without_asking(app: TestApp) {
    let f = ordering(&app).await;
    let anna = app.token_for("anna").await;
    let resp = add(&app, &anna, line(f.sven_pnr, "S-300")).await;
    assert_eq!(resp.status(), 201);
    let item: Value = resp.json().await.unwrap();
    assert_eq!(item["article_number"], "S-290", "seed 004: fasta ersättningsgrupper");
    assert_eq!((item["substitution"].as_str(), item["device_number"].as_str()), (Some("automatic"), Some("D-0013")));
    let now = ramp_testkit::test_now();
    assert_eq!(app.storage.replacement_figures(now, now + Duration::hours(1)).await.unwrap().automatic, 1);
}

async fn a_reservation_runs_out_by_itself_and_the_device_returns_to_stock(app: TestApp) {
    let f = ordering(&app).await;
    let anna = app.token_for("anna").await;
    let item: Value = add(&app, &anna, line(f.sven_pnr, "R-200")).await.json().await.unwrap();
    assert_eq!(item["device_number"], "D-0020");
    let card = app.storage.device_card("D-0020").await.unwrap().unwrap();
    assert_eq!(card.device.state.as_str(), "reserved");

    app.clock.advance(Duration::minutes(29));
    let cart: Value = app.get(&anna, "/api/v1/cart").await.json().await.unwrap();
    assert_eq!(cart["items"].as_array().unwrap().len(), 1, "still held after 29 minutes");

    app.clock.advance(Duration::minutes(2));
    let cart: Value = app.get(&anna, "/api/v1/cart").await.json().await.unwrap();
    assert_eq!(cart["items"].as_array().unwrap().len(), 0, "gone after 31 minutes, nobody cleaned up by hand");
    let card = app.storage.device_card("D-0020").await.unwrap().unwrap();
    assert_eq!(card.device.state.as_str(), "in_stock");
    let kinds: Vec<_> = card.events.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, vec!["reserved", "reservation_expired"]);

    let p = problem(place(&app, &anna, f.sven_pnr).await).await;
    assert_eq!((p["code"].as_str(), p["field"].as_str()), (Some("cart_empty"), Some("cart")));
    let again: Value = add(&app, &anna, line(f.sven_pnr, "R-200")).await.json().await.unwrap();
    assert_eq!(again["device_number"], "D-0020", "the same oldest device can be reserved again");
}

async fn an_expired_reservation_is_free_for_the_next_reservation_even_before_any_sweep(app: TestApp) {
    let f = ordering(&app).await;
    let anna = app.token_for("anna").await;
    for _ in 0..f.race_stock {
        assert_eq!(add(&app, &anna, line(f.sven_pnr, "R-200")).await.status(), 201);
    }
    let p = problem(add(&app, &anna, line(f.sven_pnr, "R-200")).await).await;
    assert_eq!(p["code"], "no_longer_available");
    app.clock.advance(Duration::minutes(31));
    let item: Value = add(&app, &anna, line(f.sven_pnr, "R-200")).await.json().await.unwrap();
    assert_eq!(item["device_number"], "D-0020");
    let card = app.storage.device_card("D-0020").await.unwrap().unwrap();
    let kinds: Vec<_> = card.events.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, vec!["reserved", "reservation_expired", "reserved"]);
}

async fn an_order_records_payer_rule_and_promised_date_and_delivery_puts_the_device_in_the_overview(app: TestApp) {
    let f = ordering(&app).await;
    let anna = app.token_for("anna").await;
    let mut body = line(f.sven_pnr, "W-200");
    body["replacement"] = json!("decline");
    assert_eq!(add(&app, &anna, body).await.status(), 201);
    let resp = place(&app, &anna, f.sven_pnr).await;
    assert_eq!(resp.status(), 201);
    let order: Value = resp.json().await.unwrap();
    let id = order["id"].as_i64().unwrap();
    assert_eq!(order["status"], "registered");
    assert_eq!(order["goal"], "Klara förflyttning inomhus");
    let l = &order["lines"][0];
    assert_eq!((l["payer"].as_str(), l["rule"].as_str()), (Some("region"), Some("ordinary.region_prescription")));
    assert_eq!(l["customer_number"], "100001", "the prescriber's unit belongs to the paying region");
    assert_eq!(l["device_number"], "D-0010");
    // Monday 23 November 2026 + 7 working days (a stock item) = Wednesday 2 December.
    assert_eq!(l["promised_date"], "2026-12-02");
    let cart: Value = app.get(&anna, "/api/v1/cart").await.json().await.unwrap();
    assert!(cart["items"].as_array().unwrap().is_empty(), "the cart line became the order line");
    let audit = app.storage.audit_for_patient(f.sven, 10).await.unwrap();
    let actions: Vec<_> = audit.iter().map(|a| a.action.as_str()).collect();
    assert_eq!(actions, vec!["order.create", "cart.add"]);

    let p = problem(set_status(&app, &anna, id, "delivered").await).await;
    assert_eq!(p["code"], "role_required", "the prescriber does not record deliveries");
    let lager = app.token_for("lager").await;
    for s in ["picked", "out_for_delivery", "delivered"] {
        let resp = set_status(&app, &lager, id, s).await;
        assert_eq!(resp.status(), 200, "{s}");
    }
    let p = problem(set_status(&app, &lager, id, "picked").await).await;
    assert_eq!((p["code"].as_str(), p["field"].as_str()), (Some("invalid_status_change"), Some("status")));

    let order: Value = app.get(&anna, &format!("/api/v1/orders/{id}")).await.json().await.unwrap();
    assert_eq!(order["status"], "delivered");
    assert_eq!(order["received_by"], "Sven själv");
    let statuses: Vec<_> = order["events"].as_array().unwrap().iter().map(|e| e["to_status"].clone()).collect();
    assert_eq!(statuses, vec!["registered", "picked", "out_for_delivery", "delivered"]);
    let overview: Value = app.open_patient("anna", f.sven_pnr).await.json().await.unwrap();
    let devices: Vec<_> = overview["devices"].as_array().unwrap().iter().map(|d| d["device_number"].clone()).collect();
    assert!(devices.contains(&json!("D-0010")), "{devices:?}");
    let new = overview["devices"].as_array().unwrap().iter().find(|d| d["device_number"] == "D-0010").unwrap();
    assert_eq!((new["since"].as_str(), new["payer"].as_str()), (Some("2026-11-23"), Some("region")));
    assert_eq!(overview["orders"][0]["status"], "delivered");
    let card = app.storage.device_card("D-0010").await.unwrap().unwrap();
    let loan = card.loan.unwrap();
    assert_eq!(
        (loan.rule_id.as_str(), loan.agreement_version.as_str()),
        ("ordinary.region_prescription", "2021-01-01")
    );
    let kinds: Vec<_> = card.events.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, vec!["reserved", "ordered", "delivered"]);
}

async fn cancelling_a_registered_order_returns_its_device_to_stock(app: TestApp) {
    let f = ordering(&app).await;
    let anna = app.token_for("anna").await;
    assert_eq!(add(&app, &anna, line(f.sven_pnr, "R-200")).await.status(), 201);
    let order: Value = place(&app, &anna, f.sven_pnr).await.json().await.unwrap();
    let id = order["id"].as_i64().unwrap();
    let lars = app.token_for("lars").await;
    assert_eq!(set_status(&app, &lars, id, "cancelled").await.status(), 403, "only the creator or the centre");
    let resp = set_status(&app, &anna, id, "cancelled").await;
    assert_eq!(resp.status(), 200);
    let order: Value = resp.json().await.unwrap();
    assert_eq!((order["status"].as_str(), order["lines"][0]["state"].as_str()), (Some("cancelled"), Some("cancelled")));
    let card = app.storage.device_card("D-0020").await.unwrap().unwrap();
    assert_eq!(card.device.state.as_str(), "in_stock");
    assert_eq!(card.events.last().unwrap().kind.as_str(), "reservation_released");
}

async fn a_prescriber_without_the_required_competence_is_refused_and_nothing_is_reserved(app: TestApp) {
    let f = ordering(&app).await;
    let anna = app.token_for("anna").await;
    let p = problem(add(&app, &anna, line(f.sven_pnr, "L-500")).await).await;
    assert_eq!(p["status"], 403);
    assert_eq!((p["code"].as_str(), p["field"].as_str()), (Some("competence_required"), Some("article_number")));
    assert_eq!(p["competence"], "lifts");
    assert!(p["detail"].as_str().unwrap().contains("Lifts"), "{p}");
    let card = app.storage.device_card("D-0016").await.unwrap().unwrap();
    assert_eq!(card.device.state.as_str(), "in_stock");
    // The cancelled line left the kept count of ordered lines (migration 0044) with the order's other counts.
    let violations = app.storage.invariant_violations().await.unwrap();
    assert!(!violations.iter().any(|(what, _)| what.contains("kept count")), "{violations:?}");
}

async fn trust_prescription_is_allowed_only_where_the_agreement_allows_it(app: TestApp) {
    let f = ordering(&app).await;
    // Lars works for Lidingö (a municipality); the region pays for both products below.
    let lars = app.token_for("lars").await;
    let p = problem(add(&app, &lars, line(f.karin_pnr, "K-600")).await).await;
    assert_eq!(p["code"], "facts_needed");
    assert!(p["field"].as_str().unwrap().starts_with("facts."), "{p}");
    assert!(!p["needs"].as_array().unwrap().is_empty());

    let mut body = line(f.karin_pnr, "K-600");
    body["facts"] = json!({ "pharmaceutical_benefit": false, "diabetes_self_test": false, "region_cost_listed": true });
    body["quantity"] = json!(30);
    let p = problem(add(&app, &lars, body).await).await;
    assert_eq!(p["status"], 403, "seed 000: 'Förbrukningshjälpmedel kan inte förtroendeförskrivas'");
    assert_eq!(
        (p["code"].as_str(), p["field"].as_str()),
        (Some("trust_prescription_not_allowed"), Some("article_number"))
    );

    let mut body = line(f.karin_pnr, "W-200");
    body["replacement"] = json!("decline");
    let resp = add(&app, &lars, body).await;
    assert_eq!(resp.status(), 201);
    let item: Value = resp.json().await.unwrap();
    assert_eq!(item["decision"]["payer"], "region");
    assert_eq!(item["decision"]["trust_prescription"], true, "on the region's account, prescribed by the municipality");
    let order: Value = place(&app, &lars, f.karin_pnr).await.json().await.unwrap();
    assert_eq!(order["lines"][0]["trust_prescription"], true);
    assert_eq!(order["lines"][0]["customer_number"], "100001", "invoiced to the region");
}

async fn a_short_term_prescription_ends_at_most_six_months_ahead(app: TestApp) {
    let f = ordering(&app).await;
    let anna = app.token_for("anna").await;
    let mut body = line(f.sven_pnr, "R-200");
    body["need"] = json!("temporary");
    assert_eq!(add(&app, &anna, body).await.status(), 201);
    let mut form =
        json!({ "personal_id": f.sven_pnr, "goal": "Gå efter höftoperation", "evaluation_date": "2027-01-15" });
    let p = problem(app.post_json(&anna, "/api/v1/orders", &form).await).await;
    assert_eq!((p["code"].as_str(), p["field"].as_str()), (Some("required"), Some("end_date")));
    form["end_date"] = json!("2027-05-24");
    let p = problem(app.post_json(&anna, "/api/v1/orders", &form).await).await;
    assert_eq!((p["code"].as_str(), p["field"].as_str()), (Some("short_term_too_long"), Some("end_date")));
    form["end_date"] = json!("2027-05-23");
    let resp = app.post_json(&anna, "/api/v1/orders", &form).await;
    assert_eq!(resp.status(), 201);
    let order: Value = resp.json().await.unwrap();
    assert_eq!(
        (order["end_date"].as_str(), order["lines"][0]["need"].as_str()),
        (Some("2027-05-23"), Some("temporary"))
    );
}

async fn a_unit_orderer_orders_basic_equipment_and_buffer_stock_for_their_own_unit_only(app: TestApp) {
    let f = ordering(&app).await;
    let orderer = app.token_for("bestallare").await;
    let unit = json!({ "target": "unit", "article_number": "R-200" });
    let item: Value = add(&app, &orderer, unit).await.json().await.unwrap();
    assert_eq!(item["decision"]["rule"], "unit_order.basic_equipment");
    assert_eq!(item["decision"]["payer"], "municipality");
    let p =
        problem(add(&app, &orderer, json!({ "target": "unit", "unit_id": 1, "article_number": "R-200" })).await).await;
    assert_eq!((p["code"].as_str(), p["field"].as_str()), (Some("other_unit"), Some("unit_id")));
    let anna = app.token_for("anna").await;
    let p = problem(add(&app, &anna, json!({ "target": "unit", "article_number": "R-200" })).await).await;
    assert_eq!(p["code"], "orderer_role_required");

    let resp = app.post_json(&orderer, "/api/v1/orders", &json!({ "target": "unit" })).await;
    assert_eq!(resp.status(), 201);
    let order: Value = resp.json().await.unwrap();
    assert_eq!(order["lines"][0]["customer_number"], "300001", "the unit's own customer number");

    assert_eq!(add(&app, &orderer, json!({ "target": "buffer", "article_number": "R-200" })).await.status(), 201);
    let buffer: Value =
        app.post_json(&orderer, "/api/v1/orders", &json!({ "target": "buffer" })).await.json().await.unwrap();
    let lager = app.token_for("lager").await;
    assert_eq!(set_status(&app, &lager, buffer["id"].as_i64().unwrap(), "picked").await.status(), 200);
    let delivered = set_status(&app, &lager, buffer["id"].as_i64().unwrap(), "delivered").await;
    assert_eq!(delivered.status(), 200);
    let number = buffer["lines"][0]["device_number"].as_str().unwrap();
    let card = app.storage.device_card(number).await.unwrap().unwrap();
    assert_eq!((card.device.state.as_str(), card.device.warehouse_id), ("in_stock", Some(app.fixture.buffer_store)));
    assert!(card.loan.is_none(), "stock in a buffer store is not lent to anyone yet");
    let _ = f;
}

async fn bad_ordering_input_is_refused_naming_the_field_and_reserves_nothing(app: TestApp) {
    let f = ordering(&app).await;
    let anna = app.token_for("anna").await;
    let cases = [
        (json!({ "target": "ward", "personal_id": f.sven_pnr, "article_number": "R-200" }), 422, "target"),
        (json!({ "personal_id": f.sven_pnr, "article_number": "R-200", "need": "forever" }), 422, "need"),
        (json!({ "personal_id": f.sven_pnr, "article_number": "R-200", "quantity": 0 }), 422, "quantity"),
        (json!({ "personal_id": f.sven_pnr, "article_number": "R-200", "replacement": "maybe" }), 422, "replacement"),
        (json!({ "personal_id": f.sven_pnr, "article_number": "" }), 422, "article_number"),
        (json!({ "personal_id": f.sven_pnr, "article_number": "X-999" }), 404, "article_number"),
        (json!({ "article_number": "R-200" }), 422, "personal_id"),
        (json!({ "personal_id": f.sven_pnr, "article_number": "R-200", "colour": "red" }), 422, "colour"),
    ];
    for (body, status, field) in cases {
        let p = problem(add(&app, &anna, body.clone()).await).await;
        assert_eq!((p["status"].as_i64(), p["field"].as_str()), (Some(status), Some(field)), "{body} → {p}");
    }
    let form = json!({ "personal_id": f.sven_pnr, "goal": "x", "evaluation_date": "2027-13-01" });
    let p = problem(app.post_json(&anna, "/api/v1/orders", &form).await).await;
    assert_eq!(p["field"], "evaluation_date");
    let resp = app.client.delete(app.url("/api/v1/cart/items/999")).bearer_auth(&anna).send().await.unwrap();
    assert_eq!(problem(resp).await["code"], "cart_item_not_found");
    let stock = app.storage.central_stock(&[15], ramp_testkit::test_now()).await.unwrap();
    assert_eq!(stock, vec![(15, 5)], "every refused request left the stock alone");
}

ramp_testkit::on_both_engines!(
    an_ordinary_group_proposes_the_older_equivalent_and_records_a_declined_answer,
    accepting_the_proposal_sends_the_older_article_and_flags_an_accessory_of_the_substituted_one,
    a_fixed_replacement_group_substitutes_without_asking,
    a_reservation_runs_out_by_itself_and_the_device_returns_to_stock,
    an_expired_reservation_is_free_for_the_next_reservation_even_before_any_sweep,
    an_order_records_payer_rule_and_promised_date_and_delivery_puts_the_device_in_the_overview,
    cancelling_a_registered_order_returns_its_device_to_stock,
    a_prescriber_without_the_required_competence_is_refused_and_nothing_is_reserved,
    trust_prescription_is_allowed_only_where_the_agreement_allows_it,
    a_short_term_prescription_ends_at_most_six_months_ahead,
    a_unit_orderer_orders_basic_equipment_and_buffer_stock_for_their_own_unit_only,
    bad_ordering_input_is_refused_naming_the_field_and_reserves_nothing,
);
