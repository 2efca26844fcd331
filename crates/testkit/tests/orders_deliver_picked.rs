//! Issue 19 acceptance: "Database-level refusal of delivering an unpicked
//! line, tested on both engines". The application refuses to deliver a
//! registered order (409); the database refuses it too when a write skips
//! the application's check (migration 0033's triggers): neither the order
//! nor its line moves, and the ordinary path — picked, then delivered —
//! still works.

use ramp_domain::order::{LineState, OrderStatus};
use ramp_storage::{fixture_ordering, OrderMove};
use ramp_testkit::{problem, test_now, TestApp};
use serde_json::{json, Value};

async fn status_of(app: &TestApp, token: &str, id: i64) -> Value {
    app.get(token, &format!("/api/v1/orders/{id}")).await.json().await.unwrap()
}

async fn an_order_or_line_that_is_not_picked_cannot_be_delivered_even_past_the_application(app: TestApp) {
    // Arrange: a registered order for Sven.
    let f = fixture_ordering::load(app.storage.as_ref()).await.expect("ordering fixture");
    let (anna, lager) = (app.token_for("anna").await, app.token_for("lager").await);
    let body = json!({ "personal_id": f.sven_pnr, "goal": "Gå ute", "evaluation_date": "2027-02-01",
                       "lines": [{ "article_number": "R-200" }] });
    let order: Value = app.post_json(&anna, "/api/v1/orders", &body).await.json().await.unwrap();
    let id = order["id"].as_i64().unwrap();

    // The application refuses.
    let resp = app.post_json(&lager, &format!("/api/v1/orders/{id}/status"), &json!({"status": "delivered"})).await;
    let p = problem(resp).await;
    assert_eq!((p["code"].as_str(), p["field"].as_str()), (Some("invalid_status_change"), Some("status")));

    // The database refuses the order's move and the line's, written straight through the storage.
    let mut uow = app.storage.unit_of_work().await.unwrap();
    let moved = uow
        .move_order(&OrderMove {
            order_id: id,
            expected: OrderStatus::Registered,
            to: OrderStatus::Delivered,
            at: test_now(),
            received_by: None,
        })
        .await;
    assert!(moved.is_err(), "the order's move to delivered is refused: {moved:?}");
    drop(uow);
    let mut uow = app.storage.unit_of_work().await.unwrap();
    let closed = uow.close_open_lines(id, LineState::Delivered, Some(test_now())).await;
    assert!(closed.is_err(), "the line's delivery is refused while its order is registered");
    drop(uow);
    let now = status_of(&app, &anna, id).await;
    assert_eq!(now["status"], "registered", "nothing half-written: {now}");
    assert!(now["lines"][0]["delivered_at"].is_null(), "{now}");

    // Picked, then delivered: the ordinary path goes through.
    for s in ["picked", "delivered"] {
        let resp = app.post_json(&lager, &format!("/api/v1/orders/{id}/status"), &json!({"status": s})).await;
        assert_eq!(resp.status(), 200, "{s}");
    }
    let done = status_of(&app, &anna, id).await;
    assert_eq!(done["status"], "delivered");
    assert!(done["lines"][0]["delivered_at"].is_string(), "{done}");
}

ramp_testkit::on_both_engines!(an_order_or_line_that_is_not_picked_cannot_be_delivered_even_past_the_application);
