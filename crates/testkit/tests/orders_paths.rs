//! What the faster ordering paths must keep (issue 4's benchmark work), on
//! both engines: the reservation still takes the oldest available device
//! when it picks the shelf and the expired reservations separately, an
//! order waiting for delivery keeps its device, and the audit row of
//! opening the patient is written exactly once whether the use-case ends
//! in its transaction or in a refusal.

use chrono::Duration;
use ramp_domain::Term;
use ramp_storage::fixture_ordering::{self, OrderingFixture};
use ramp_testkit::{problem, TestApp};
use serde_json::{json, Value};

async fn ordering(app: &TestApp) -> OrderingFixture {
    fixture_ordering::load(app.storage.as_ref()).await.expect("ordering fixture")
}

async fn add(app: &TestApp, token: &str, pnr: &str, article: &str) -> reqwest::Response {
    app.post_json(token, "/api/v1/cart/items", &json!({ "personal_id": pnr, "article_number": article })).await
}

async fn place(app: &TestApp, token: &str, pnr: &str) -> reqwest::Response {
    let body = json!({ "personal_id": pnr, "goal": "Gå ute", "evaluation_date": "2027-02-01" });
    app.post_json(token, "/api/v1/orders", &body).await
}

async fn audit_actions(app: &TestApp, patient: i64) -> Vec<String> {
    let rows = app.storage.audit_for_patient(patient, 50).await.unwrap();
    rows.into_iter().map(|a| a.action).collect()
}

async fn an_expired_reservation_of_an_older_device_goes_out_before_newer_devices_on_the_shelf(app: TestApp) {
    // Arrange: the oldest R-200 reserved, its reservation run out, nothing swept.
    let f = ordering(&app).await;
    let anna = app.token_for("anna").await;
    let first: Value = add(&app, &anna, f.sven_pnr, "R-200").await.json().await.unwrap();
    assert_eq!(first["device_number"], "D-0020");
    app.clock.advance(Duration::minutes(31));

    // Act: the next reservation, with four newer R-200 still on the shelf.
    let next: Value = add(&app, &anna, f.sven_pnr, "R-200").await.json().await.unwrap();

    // Assert
    assert_eq!(next["device_number"], "D-0020", "the oldest device goes out first, even from an expired reservation");
    let card = app.storage.device_card("D-0020").await.unwrap().unwrap();
    let kinds: Vec<_> = card.events.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, vec!["reserved", "reservation_expired", "reserved"]);
    let cart: Value = app.get(&anna, "/api/v1/cart").await.json().await.unwrap();
    assert_eq!(cart["items"].as_array().unwrap().len(), 1, "the stale cart line went with its reservation");
}

async fn a_device_ordered_and_awaiting_delivery_is_never_reserved_again(app: TestApp) {
    // Arrange: the oldest R-200 ordered; its cart reservation time long past.
    let f = ordering(&app).await;
    let anna = app.token_for("anna").await;
    assert_eq!(add(&app, &anna, f.sven_pnr, "R-200").await.status(), 201);
    assert_eq!(place(&app, &anna, f.sven_pnr).await.status(), 201);
    app.clock.advance(Duration::hours(2));

    // Act
    let next: Value = add(&app, &anna, f.sven_pnr, "R-200").await.json().await.unwrap();

    // Assert
    assert_eq!(next["device_number"], "D-0021", "the ordered D-0020 stays with its order");
    let card = app.storage.device_card("D-0020").await.unwrap().unwrap();
    assert_eq!(card.device.state.as_str(), "reserved");
    let kinds: Vec<_> = card.events.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, vec!["reserved", "ordered"]);
}

async fn opening_the_patient_for_a_cart_line_or_an_order_is_audited_once_whether_it_succeeds_or_is_refused(
    app: TestApp,
) {
    // Arrange: Anna lacks the lifts competence; R-200 has five devices.
    let f = ordering(&app).await;
    let anna = app.token_for("anna").await;

    // Act: a refusal after the patient was opened, two lines placed, an order, and a line out of stock.
    assert_eq!(add(&app, &anna, f.sven_pnr, "L-500").await.status(), 403);
    assert_eq!(add(&app, &anna, f.sven_pnr, "R-200").await.status(), 201);
    assert_eq!(place(&app, &anna, f.sven_pnr).await.status(), 201);
    let p = problem(place(&app, &anna, f.sven_pnr).await).await;
    for _ in 1..f.race_stock {
        assert_eq!(add(&app, &anna, f.sven_pnr, "R-200").await.status(), 201);
    }
    let gone = problem(add(&app, &anna, f.sven_pnr, "R-200").await).await;

    // Assert: one row per request that opened the patient, newest first.
    assert_eq!(p["code"], "cart_empty");
    assert_eq!(gone["code"], "no_longer_available");
    let mut expected = vec!["cart.add"; f.race_stock];
    expected.extend(["order.create", "order.create", "cart.add", "cart.add"]);
    assert_eq!(audit_actions(&app, f.sven).await, expected);
}

async fn the_order_answered_when_placed_is_the_order_read_back(app: TestApp) {
    // Arrange: two lines for Sven, one the accepted older equivalent, at a time with nanoseconds.
    let f = ordering(&app).await;
    let anna = app.token_for("anna").await;
    app.clock.advance(Duration::nanoseconds(123_456_789));
    assert_eq!(add(&app, &anna, f.sven_pnr, "R-200").await.status(), 201);
    assert_eq!(add(&app, &anna, f.sven_pnr, "W-200").await.status(), 409, "a proposal to answer first");
    let body = json!({ "personal_id": f.sven_pnr, "article_number": "W-200", "replacement": "accept" });
    assert_eq!(app.post_json(&anna, "/api/v1/cart/items", &body).await.status(), 201);

    // Act
    let resp = place(&app, &anna, f.sven_pnr).await;
    assert_eq!(resp.status(), 201);
    let placed: Value = resp.json().await.unwrap();
    let id = placed["id"].as_i64().unwrap();
    let read: Value = app.get(&anna, &format!("/api/v1/orders/{id}")).await.json().await.unwrap();

    // Assert
    assert_eq!(placed, read, "the answer to the POST is what the database holds");
    assert_eq!(placed["lines"].as_array().unwrap().len(), 2);
    assert_eq!(placed["lines"][1]["substitution"], "accepted");
    assert_eq!(placed["created_at"], "2026-11-23T09:00:00.123456Z", "whole microseconds on both engines");
}

ramp_testkit::on_both_engines!(
    the_order_answered_when_placed_is_the_order_read_back,
    an_expired_reservation_of_an_older_device_goes_out_before_newer_devices_on_the_shelf,
    a_device_ordered_and_awaiting_delivery_is_never_reserved_again,
    opening_the_patient_for_a_cart_line_or_an_order_is_audited_once_whether_it_succeeds_or_is_refused,
);
