//! A complete order (issue 18, point 4) on both engines: delivery details
//! checked and carried to the order and the warehouse's queue, the place
//! of use deciding the payer as the agreement says, and the prescriber's
//! inbox written with every status change.

use ramp_storage::fixture_ordering::{self, OrderingFixture};
use ramp_testkit::{problem, TestApp};
use serde_json::{json, Value};

async fn ordering(app: &TestApp) -> OrderingFixture {
    fixture_ordering::load(app.storage.as_ref()).await.expect("ordering fixture")
}

fn delivery() -> Value {
    json!({
        "contact_name": "Eva Svensson",
        "contact_phone": "070-123 45 67",
        "method": "centre_transport",
        "urgency": "normal",
        "note": "Portkod 1234, ring först"
    })
}

/// A direct order of R-200 for Sven with `extra` merged into the body.
fn order_body(pnr: &str, extra: Value) -> Value {
    let mut body = json!({
        "personal_id": pnr,
        "goal": "Gå ute på egen hand",
        "evaluation_date": "2027-02-01",
        "lines": [{ "article_number": "R-200" }]
    });
    for (k, v) in extra.as_object().expect("an object") {
        body[k] = v.clone();
    }
    body
}

async fn place(app: &TestApp, token: &str, body: &Value) -> reqwest::Response {
    app.post_json(token, "/api/v1/orders", body).await
}

async fn set_status(app: &TestApp, token: &str, id: i64, status: &str) -> reqwest::Response {
    app.post_json(token, &format!("/api/v1/orders/{id}/status"), &json!({ "status": status })).await
}

async fn an_order_carries_its_delivery_details_to_the_order_and_the_warehouse_queue(app: TestApp) {
    let f = ordering(&app).await;
    let anna = app.token_for("anna").await;
    let mut d = delivery();
    d["address"] = json!("Dagverksamheten Solrosen, Solnavägen 5, 171 64 Solna");
    d["urgency"] = json!("urgent");
    let resp = place(&app, &anna, &order_body(f.sven_pnr, json!({ "delivery": d }))).await;
    assert_eq!(resp.status(), 201);
    let order: Value = resp.json().await.unwrap();
    let id = order["id"].as_i64().unwrap();
    assert_eq!(order["delivery"]["address"], "Dagverksamheten Solrosen, Solnavägen 5, 171 64 Solna");
    assert_eq!(order["delivery"]["contact_phone"], "070-123 45 67");
    assert_eq!(order["delivery"]["urgency"], "urgent");
    assert_eq!(order["place_of_use"], "ordinary", "the patient's setting today when none is chosen");
    // Monday 23 November 2026, urgent: a stock item the next working day instead of 7 working days.
    assert_eq!(order["lines"][0]["promised_date"], "2026-11-24");

    let stored: Value = app.get(&anna, &format!("/api/v1/orders/{id}")).await.json().await.unwrap();
    assert_eq!(stored["delivery"], order["delivery"], "read back as written, on both engines");
    let lager = app.token_for("lager").await;
    let queue: Value = app.get(&lager, "/api/v1/orders?status=registered").await.json().await.unwrap();
    let row = queue["orders"].as_array().unwrap().iter().find(|o| o["id"] == id).expect("in the queue").clone();
    assert_eq!((row["urgency"].as_str(), row["delivery_method"].as_str()), (Some("urgent"), Some("centre_transport")));
}

async fn bad_delivery_details_are_refused_naming_the_field_and_nothing_is_ordered(app: TestApp) {
    let f = ordering(&app).await;
    let anna = app.token_for("anna").await;
    let with = |field: &str, value: Value| {
        let mut d = delivery();
        d[field] = value;
        json!({ "delivery": d })
    };
    let cases = [
        (with("contact_phone", json!("12")), "delivery.contact_phone", "invalid_phone"),
        (with("contact_phone", json!("070 abc 12 34")), "delivery.contact_phone", "invalid_phone"),
        (with("contact_name", json!("  ")), "delivery.contact_name", "required"),
        (with("method", json!("drone")), "delivery.method", "invalid_delivery_method"),
        (with("urgency", json!("yesterday")), "delivery.urgency", "invalid_urgency"),
        (with("note", json!("x".repeat(501))), "delivery.note", "too_long"),
        (
            json!({ "delivery": { "contact_name": "Eva", "contact_phone": "0701234567", "method": "pickup_at_centre", "address": "Storgatan 1" } }),
            "delivery.address",
            "address_not_used",
        ),
        (json!({ "place_of_use": "moon_base" }), "place_of_use", "invalid_place_of_use"),
    ];
    for (extra, field, code) in cases {
        let p = problem(place(&app, &anna, &order_body(f.sven_pnr, extra.clone())).await).await;
        assert_eq!(
            (p["status"].as_i64(), p["field"].as_str(), p["code"].as_str()),
            (Some(422), Some(field), Some(code)),
            "{extra} → {p}"
        );
    }
    let unit = json!({ "target": "unit", "place_of_use": "daily_activity", "lines": [{ "article_number": "R-100" }] });
    let bestallare = app.token_for("bestallare").await;
    let p = problem(place(&app, &bestallare, &unit).await).await;
    assert_eq!(
        (p["field"].as_str(), p["code"].as_str()),
        (Some("place_of_use"), Some("place_of_use_for_patient_only"))
    );
    let anna_user = app.storage.user_by_username("anna").await.unwrap().unwrap();
    assert!(app.storage.orders_by_user(anna_user.id, 10).await.unwrap().is_empty(), "nothing was ordered");
    let stock = app.storage.central_stock(&[15], ramp_testkit::test_now()).await.unwrap();
    assert_eq!(stock, vec![(15, f.race_stock as i64)], "nothing was reserved");
}

/// The same rollator for the same patient: at home, and at daily activity
/// under LSS. The agreement (seed 000, "Kommunens kostnadsansvar:
/// Hjälpmedel som används vid daglig verksamhet enligt LSS") makes a
/// temporary need at the activity the municipality's, bought through its
/// own suppliers, while "Personligt förskrivna hjälpmedel på regionens
/// bekostnad kan tas med och användas vid dessa verksamheter" keeps a
/// lasting need the region's.
async fn the_place_of_use_decides_the_payer_as_the_agreement_says(app: TestApp) {
    let f = ordering(&app).await;
    let anna = app.token_for("anna").await;
    let temporary = |place: Option<&str>| {
        let mut extra = json!({ "end_date": "2027-03-01", "delivery": delivery() });
        extra["lines"] = json!([{ "article_number": "R-200", "need": "temporary" }]);
        if let Some(p) = place {
            extra["place_of_use"] = json!(p);
        }
        order_body(f.sven_pnr, extra)
    };

    let home = place(&app, &anna, &temporary(Some("ordinary"))).await;
    assert_eq!(home.status(), 201);
    let home: Value = home.json().await.unwrap();
    assert_eq!(home["place_of_use"], "ordinary");
    assert_eq!(home["lines"][0]["payer"], "region", "at home a short-term prescription is the region's");

    let p = problem(place(&app, &anna, &temporary(Some("daily_activity"))).await).await;
    assert_eq!((p["status"].as_i64(), p["code"].as_str()), (Some(422), Some("not_orderable_here")), "{p}");
    assert_eq!(p["field"], "lines[0].article_number");
    let text = p.to_string();
    assert!(text.contains("daily_activity.used_at_the_activity"), "the refusal names the rule: {p}");
    assert!(
        text.contains("Hjälpmedel som används vid daglig verksamhet enligt LSS är kommunens kostnadsansvar."),
        "and says why in Swedish: {p}"
    );

    let lasting = order_body(f.sven_pnr, json!({ "place_of_use": "daily_activity", "delivery": delivery() }));
    let resp = place(&app, &anna, &lasting).await;
    assert_eq!(resp.status(), 201);
    let order: Value = resp.json().await.unwrap();
    assert_eq!(order["place_of_use"], "daily_activity");
    let l = &order["lines"][0];
    assert_eq!(
        (l["payer"].as_str(), l["rule"].as_str()),
        (Some("region"), Some("activities.personal_device_follows_the_patient"))
    );
    assert_eq!(
        l["explanation_sv"],
        "Personligt förskrivna hjälpmedel på regionens bekostnad kan tas med och användas i verksamheten."
    );
}

async fn every_status_change_reaches_the_prescribers_inbox_until_it_is_read(app: TestApp) {
    let f = ordering(&app).await;
    let anna = app.token_for("anna").await;
    let order: Value =
        place(&app, &anna, &order_body(f.sven_pnr, json!({ "delivery": delivery() }))).await.json().await.unwrap();
    let id = order["id"].as_i64().unwrap();
    let lager = app.token_for("lager").await;
    for s in ["picked", "out_for_delivery", "delivered"] {
        assert_eq!(set_status(&app, &lager, id, s).await.status(), 200, "{s}");
    }
    let refused = set_status(&app, &lager, id, "picked").await;
    assert_eq!(refused.status(), 409, "a refused change tells nobody");

    let inbox: Value = app.get(&anna, "/api/v1/notifications").await.json().await.unwrap();
    assert_eq!(inbox["unread"], 3);
    let statuses: Vec<_> = inbox["notifications"].as_array().unwrap().iter().map(|n| n["to_status"].clone()).collect();
    assert_eq!(statuses, vec!["delivered", "out_for_delivery", "picked"], "newest first");
    assert!(inbox["notifications"].as_array().unwrap().iter().all(|n| n["order_id"] == id));
    assert_eq!(inbox["notifications"][0]["first_article"], "Rollator Lätt");

    let newest = inbox["notifications"][0]["id"].as_i64().unwrap();
    let read = app.post_json(&anna, &format!("/api/v1/notifications/{newest}/read"), &json!({})).await;
    assert_eq!(read.status(), 204);
    let again = app.post_json(&anna, &format!("/api/v1/notifications/{newest}/read"), &json!({})).await;
    assert_eq!(again.status(), 204, "reading twice changes nothing");
    let inbox: Value = app.get(&anna, "/api/v1/notifications").await.json().await.unwrap();
    assert_eq!(inbox["unread"], 2);
    assert!(inbox["notifications"][0]["read_at"].is_string());

    let p = problem(app.post_json(&lager, &format!("/api/v1/notifications/{newest}/read"), &json!({})).await).await;
    assert_eq!((p["status"].as_i64(), p["code"].as_str()), (Some(404), Some("notification_not_found")));
    let theirs: Value = app.get(&lager, "/api/v1/notifications").await.json().await.unwrap();
    assert_eq!(theirs["unread"], 0, "the warehouse is not told of its own moves");
}

async fn cancelling_your_own_order_does_not_notify_yourself(app: TestApp) {
    let f = ordering(&app).await;
    let anna = app.token_for("anna").await;
    let order: Value = place(&app, &anna, &order_body(f.sven_pnr, json!({}))).await.json().await.unwrap();
    assert_eq!(order["delivery"]["method"], "centre_transport", "an API order without details gets the default");
    assert_eq!(set_status(&app, &anna, order["id"].as_i64().unwrap(), "cancelled").await.status(), 200);
    let inbox: Value = app.get(&anna, "/api/v1/notifications").await.json().await.unwrap();
    assert_eq!((inbox["unread"].as_i64(), inbox["notifications"].as_array().map(Vec::len)), (Some(0), Some(0)));
}

ramp_testkit::on_both_engines!(
    an_order_carries_its_delivery_details_to_the_order_and_the_warehouse_queue,
    bad_delivery_details_are_refused_naming_the_field_and_nothing_is_ordered,
    the_place_of_use_decides_the_payer_as_the_agreement_says,
    every_status_change_reaches_the_prescribers_inbox_until_it_is_read,
    cancelling_your_own_order_does_not_notify_yourself,
);
