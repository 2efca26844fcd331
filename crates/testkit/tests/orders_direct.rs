//! An order placed in one request with its lines (`POST /api/v1/orders`
//! with `lines`), on both engines: the same rules as the cart — the
//! replacement chain, the competence gate, who pays and why, the oldest
//! device first, never a device twice, idempotent retries — with every
//! device reserved in the order's own transaction, and a refusal that
//! names the line and writes nothing but its audit row.

use chrono::Duration;
use ramp_domain::Term;
use ramp_storage::fixture_ordering::{self, OrderingFixture};
use ramp_testkit::{problem, TestApp};
use serde_json::{json, Value};
use std::collections::HashSet;

async fn ordering(app: &TestApp) -> OrderingFixture {
    fixture_ordering::load(app.storage.as_ref()).await.expect("ordering fixture")
}

fn order(pnr: &str, lines: Value) -> Value {
    json!({ "personal_id": pnr, "goal": "Gå ute", "evaluation_date": "2027-02-01", "lines": lines })
}

async fn place(app: &TestApp, token: &str, body: &Value) -> reqwest::Response {
    app.post_json(token, "/api/v1/orders", body).await
}

async fn state_of(app: &TestApp, device: &str) -> String {
    app.storage.device_card(device).await.unwrap().unwrap().device.state.as_str().to_string()
}

async fn audit_actions(app: &TestApp, patient: i64) -> Vec<String> {
    let rows = app.storage.audit_for_patient(patient, 50).await.unwrap();
    rows.into_iter().map(|a| a.action).collect()
}

async fn a_direct_order_reserves_decides_and_places_its_lines_in_one_request(app: TestApp) {
    // Arrange: Sven, a rollator and the wheelchair whose older equivalent is accepted.
    let f = ordering(&app).await;
    let anna = app.token_for("anna").await;
    let lines = json!([
        { "article_number": "R-200" },
        { "article_number": "W-200", "replacement": "accept" },
    ]);

    // Act
    let resp = place(&app, &anna, &order(f.sven_pnr, lines)).await;

    // Assert: the order as read back, the oldest devices, payer and rule, events, one audit row.
    assert_eq!(resp.status(), 201);
    let placed: Value = resp.json().await.unwrap();
    let id = placed["id"].as_i64().unwrap();
    let read: Value = app.get(&anna, &format!("/api/v1/orders/{id}")).await.json().await.unwrap();
    assert_eq!(placed, read, "the answer to the POST is what the database holds");
    let l = placed["lines"].as_array().unwrap();
    assert_eq!((l[0]["article_number"].as_str(), l[0]["device_number"].as_str()), (Some("R-200"), Some("D-0020")));
    assert_eq!(
        (l[1]["article_number"].as_str(), l[1]["requested_article_number"].as_str(), l[1]["substitution"].as_str()),
        (Some("W-190"), Some("W-200"), Some("accepted"))
    );
    assert_eq!(l[1]["device_number"], "D-0012");
    assert_eq!((l[0]["payer"].as_str(), l[0]["rule"].as_str()), (Some("region"), Some("ordinary.region_prescription")));
    assert_eq!(l[0]["agreement_version"], "2021-01-01");
    assert_eq!(l[0]["promised_date"], "2026-12-02", "Monday 23 November + 7 working days");
    for device in ["D-0020", "D-0012"] {
        let card = app.storage.device_card(device).await.unwrap().unwrap();
        assert_eq!(card.device.state.as_str(), "reserved");
        let kinds: Vec<_> = card.events.iter().map(|e| e.kind.as_str()).collect();
        assert_eq!(kinds, vec!["reserved", "ordered"], "{device}: the same history as through the cart");
    }
    let cart: Value = app.get(&anna, "/api/v1/cart").await.json().await.unwrap();
    assert!(cart["items"].as_array().unwrap().is_empty(), "nothing went through the cart");
    assert_eq!(audit_actions(&app, f.sven).await, vec!["order.read", "order.create"], "the GET above reads it");
    let now = ramp_testkit::test_now();
    assert_eq!(app.storage.replacement_figures(now, now + Duration::hours(1)).await.unwrap().accepted, 1);

    // An order placed directly keeps its devices: two hours on, they are not reserved again.
    app.clock.advance(Duration::hours(2));
    let next: Value =
        place(&app, &anna, &order(f.sven_pnr, json!([{ "article_number": "R-200" }]))).await.json().await.unwrap();
    assert_eq!(next["lines"][0]["device_number"], "D-0021");
}

async fn sixty_four_direct_orders_race_for_the_last_devices_and_exactly_that_many_win(app: TestApp) {
    let f = ordering(&app).await;
    let token = app.token_for("anna").await;
    let body = order(f.sven_pnr, json!([{ "article_number": f.race_article }]));
    let start = std::sync::Arc::new(tokio::sync::Barrier::new(64));
    let mut tasks = Vec::new();
    for _ in 0..64 {
        let (client, url, token, body, start) =
            (reqwest::Client::new(), app.url("/api/v1/orders"), token.clone(), body.clone(), start.clone());
        tasks.push(tokio::spawn(async move {
            start.wait().await;
            let resp = client.post(url).bearer_auth(token).json(&body).send().await.expect("request");
            (resp.status().as_u16(), resp.json::<Value>().await.expect("json"))
        }));
    }
    let (mut won, mut lost) = (Vec::new(), Vec::new());
    for t in tasks {
        match t.await.unwrap() {
            (201, body) => won.push(body["lines"][0]["device_number"].as_str().unwrap().to_string()),
            (409, body) => lost.push(body),
            (other, body) => panic!("unexpected {other}: {body}"),
        }
    }
    assert_eq!(won.len(), f.race_stock, "exactly the last {} devices were ordered", f.race_stock);
    assert_eq!(won.iter().collect::<HashSet<_>>().len(), f.race_stock, "no device ordered twice: {won:?}");
    for p in &lost {
        assert_eq!(
            (p["code"].as_str(), p["field"].as_str()),
            (Some("no_longer_available"), Some("lines[0].article_number"))
        );
        let alternatives: Vec<_> =
            p["alternatives"].as_array().unwrap().iter().map(|a| a["article_number"].as_str().unwrap()).collect();
        assert!(alternatives.contains(&"R-100"), "a rollator still in stock is offered instead: {p}");
    }
    let orders = app.storage.orders_by_user(app.fixture.prescriber, 100).await.unwrap();
    assert_eq!(orders.len(), f.race_stock, "a refused order left no order behind");
}

async fn a_direct_order_retried_with_the_same_idempotency_key_is_created_once(app: TestApp) {
    let f = ordering(&app).await;
    let token = app.token_for("anna").await;
    let body = order(f.sven_pnr, json!([{ "article_number": "R-200" }]));
    let send = |body: Value| {
        let (client, url, token) = (app.client.clone(), app.url("/api/v1/orders"), token.clone());
        async move {
            client
                .post(url)
                .bearer_auth(token)
                .header("Idempotency-Key", "direct-91c2")
                .json(&body)
                .send()
                .await
                .unwrap()
        }
    };
    // A client times out and retries, several times at once.
    let tries: Vec<_> = (0..8).map(|_| tokio::spawn(send(body.clone()))).collect();
    let (mut ids, mut created) = (HashSet::new(), 0);
    for t in tries {
        let resp = t.await.unwrap();
        let status = resp.status().as_u16();
        assert!(status == 201 || status == 200, "{status}");
        if status == 201 {
            created += 1;
        } else {
            assert_eq!(resp.headers()["idempotent-replayed"], "true");
        }
        ids.insert(resp.json::<Value>().await.unwrap()["id"].as_i64().unwrap());
    }
    assert_eq!((created, ids.len()), (1, 1), "one order, every retry answered with it");
    assert_eq!(app.storage.orders_by_user(app.fixture.prescriber, 10).await.unwrap().len(), 1);
    assert_eq!(state_of(&app, "D-0021").await, "in_stock", "a retry reserved no second device");

    let other = order(f.sven_pnr, json!([{ "article_number": "W-200", "replacement": "decline" }]));
    let p = problem(send(other).await).await;
    assert_eq!((p["code"].as_str(), p["field"].as_str()), (Some("idempotency_key_reused"), Some("Idempotency-Key")));
}

async fn a_refused_direct_order_names_its_line_and_reserves_nothing(app: TestApp) {
    // Arrange: Anna lacks the lifts competence; W-200 has an older equivalent; R-200 has race_stock devices.
    let f = ordering(&app).await;
    let anna = app.token_for("anna").await;
    let with = |lines: Value| order(f.sven_pnr, lines);

    // Act and assert, one refusal at a time.
    let p =
        problem(place(&app, &anna, &with(json!([{ "article_number": "R-200" }, { "article_number": "L-500" }]))).await)
            .await;
    assert_eq!((p["status"].as_i64(), p["code"].as_str()), (Some(403), Some("competence_required")));
    assert_eq!(p["field"], "lines[1].article_number");
    let p = problem(place(&app, &anna, &with(json!([{ "article_number": "W-200" }]))).await).await;
    assert_eq!(
        (p["code"].as_str(), p["field"].as_str()),
        (Some("replacement_answer_required"), Some("lines[0].replacement"))
    );
    assert_eq!(p["proposal"]["article_number"], "W-190");
    let p = problem(place(&app, &anna, &with(json!([{ "article_number": "X-999" }]))).await).await;
    assert_eq!((p["status"].as_i64(), p["field"].as_str()), (Some(404), Some("lines[0].article_number")));
    let p = problem(place(&app, &anna, &with(json!([{ "article_number": "R-200", "need": "forever" }]))).await).await;
    assert_eq!((p["status"].as_i64(), p["field"].as_str()), (Some(422), Some("lines[0].need")));
    let p = problem(place(&app, &anna, &with(json!([{ "article_number": "R-200", "quantity": 2 }]))).await).await;
    assert_eq!((p["code"].as_str(), p["field"].as_str()), (Some("one_device_per_line"), Some("lines[0].quantity")));
    let p = problem(place(&app, &anna, &with(json!([]))).await).await;
    assert_eq!((p["code"].as_str(), p["field"].as_str()), (Some("no_lines"), Some("lines")));
    let mut no_goal = with(json!([{ "article_number": "R-200" }]));
    no_goal["goal"] = json!("");
    let p = problem(place(&app, &anna, &no_goal).await).await;
    assert_eq!(p["field"], "goal");
    // One line more than R-200 has devices: the last finds none, and the order is not placed at all.
    let many: Vec<Value> = (0..=f.race_stock).map(|_| json!({ "article_number": "R-200" })).collect();
    let p = problem(place(&app, &anna, &with(json!(many))).await).await;
    assert_eq!(
        (p["code"].as_str(), p["field"].as_str()),
        (Some("no_longer_available"), Some(format!("lines[{}].article_number", f.race_stock).as_str()))
    );

    // Nothing was reserved or ordered; each request that opened the patient was audited once.
    for n in 0..f.race_stock {
        assert_eq!(state_of(&app, &format!("D-00{}", 20 + n)).await, "in_stock");
    }
    assert_eq!(state_of(&app, "D-0012").await, "in_stock");
    assert!(app.storage.orders_by_user(app.fixture.prescriber, 10).await.unwrap().is_empty());
    let audited = audit_actions(&app, f.sven).await;
    assert_eq!(
        audited,
        vec!["order.create"; 6],
        "the refusals after the patient was opened (not the 2 refused before it)"
    );
}

async fn a_direct_order_takes_over_expired_cart_reservations_and_may_order_an_article_twice(app: TestApp) {
    // Arrange: every R-200 in a cart, then the carts' 30 minutes run out (no sweep has run).
    let f = ordering(&app).await;
    let anna = app.token_for("anna").await;
    for _ in 0..f.race_stock {
        let item =
            json!({ "target": "patient", "personal_id": f.sven_pnr, "article_number": "R-200", "need": "lasting" });
        assert_eq!(app.post_json(&anna, "/api/v1/cart/items", &item).await.status(), 201);
    }
    app.clock.advance(Duration::minutes(31));

    // Act: one order with the article on two lines.
    let lines = json!([{ "article_number": "R-200" }, { "article_number": "R-200" }]);
    let resp = place(&app, &anna, &order(f.sven_pnr, lines)).await;

    // Assert: the two oldest devices, each with its expiry in its history, and their cart items gone.
    assert_eq!(resp.status(), 201);
    let placed: Value = resp.json().await.unwrap();
    let numbers: Vec<_> = placed["lines"].as_array().unwrap().iter().map(|l| l["device_number"].clone()).collect();
    assert_eq!(numbers, vec![json!("D-0020"), json!("D-0021")]);
    for device in ["D-0020", "D-0021"] {
        let card = app.storage.device_card(device).await.unwrap().unwrap();
        assert_eq!(card.device.state.as_str(), "reserved");
        let kinds: Vec<_> = card.events.iter().map(|e| e.kind.as_str()).collect();
        assert_eq!(kinds, vec!["reserved", "reservation_expired", "reserved", "ordered"], "{device}");
    }
    // The cart as it was before its time ran out: the items taken over are gone from it.
    let user = app.storage.user_by_username("anna").await.unwrap().unwrap();
    let before = app.storage.cart_items(user.id, ramp_testkit::test_now()).await.unwrap();
    let left: Vec<_> = before.iter().map(|i| i.device_number.clone().unwrap()).collect();
    assert_eq!(left.len(), f.race_stock - 2, "{left:?}");
    assert!(!left.iter().any(|d| d == "D-0020" || d == "D-0021"), "{left:?}");
}

async fn a_direct_order_passes_over_a_running_cart_reservation_and_takes_it_once_expired(app: TestApp) {
    // Arrange: the oldest R-200 (D-0020) in Anna's cart, its 30 minutes running.
    let f = ordering(&app).await;
    assert!(f.race_stock >= 3, "the fixture has three R-200 or more");
    let anna = app.token_for("anna").await;
    let item = json!({ "target": "patient", "personal_id": f.sven_pnr, "article_number": "R-200", "need": "lasting" });
    assert_eq!(app.post_json(&anna, "/api/v1/cart/items", &item).await.status(), 201);
    let user = app.storage.user_by_username("anna").await.unwrap().unwrap();
    let in_cart =
        |items: Vec<ramp_storage::CartItem>| items.into_iter().filter_map(|i| i.device_number).collect::<Vec<_>>();
    assert_eq!(
        in_cart(app.storage.cart_items(user.id, ramp_testkit::test_now()).await.unwrap()),
        vec!["D-0020".to_string()]
    );
    let one = json!([{ "article_number": "R-200" }]);

    // Act: a direct order while the reservation runs, then another after it has run out.
    let first: Value = place(&app, &anna, &order(f.sven_pnr, one.clone())).await.json().await.unwrap();
    let in_cart_meanwhile = in_cart(app.storage.cart_items(user.id, ramp_testkit::test_now()).await.unwrap());
    app.clock.advance(Duration::minutes(31));
    let second: Value = place(&app, &anna, &order(f.sven_pnr, one)).await.json().await.unwrap();

    // Assert: the next-oldest device first, the cart untouched; then the expired one, older than the shelf's.
    assert_eq!(first["lines"][0]["device_number"], "D-0021", "{first}");
    assert_eq!(in_cart_meanwhile, vec!["D-0020".to_string()], "a running reservation is not taken");
    assert_eq!(second["lines"][0]["device_number"], "D-0020", "{second}");
    let card = app.storage.device_card("D-0020").await.unwrap().unwrap();
    let kinds: Vec<_> = card.events.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, vec!["reserved", "reservation_expired", "reserved", "ordered"]);
    assert_eq!(state_of(&app, "D-0022").await, "in_stock");
}

/// Orders that arrive at the same moment are written together on
/// PostgreSQL (one statement for the group, see `order_group.rs`) and one
/// by one on SQLite; on both each order gets its own devices, oldest
/// first, its own decision, history, replacement answer and audit row,
/// and reads back as it was answered.
async fn direct_orders_placed_at_the_same_moment_each_get_their_own_device_oldest_first(app: TestApp) {
    // Arrange: as many orders of the rollator as it has in stock, one of
    // them also taking the older wheelchair proposed for W-200.
    let f = ordering(&app).await;
    let anna = app.token_for("anna").await;
    let single = order(f.sven_pnr, json!([{ "article_number": f.race_article }]));
    let double = order(
        f.sven_pnr,
        json!([{ "article_number": f.race_article }, { "article_number": "W-200", "replacement": "accept" }]),
    );
    let start = std::sync::Arc::new(tokio::sync::Barrier::new(f.race_stock));

    // Act: all at once.
    let mut tasks = Vec::new();
    for i in 0..f.race_stock {
        let body = if i == 0 { double.clone() } else { single.clone() };
        let (client, url, token, start) = (app.client.clone(), app.url("/api/v1/orders"), anna.clone(), start.clone());
        tasks.push(tokio::spawn(async move {
            start.wait().await;
            let resp = client.post(url).bearer_auth(token).json(&body).send().await.expect("request");
            (resp.status().as_u16(), resp.json::<Value>().await.expect("json"))
        }));
    }
    let mut placed = Vec::new();
    for t in tasks {
        let (status, body) = t.await.unwrap();
        assert_eq!(status, 201, "{body}");
        placed.push(body);
    }

    // Assert: every rollator on the shelf went out once, the wheelchair to the order that asked.
    let rollators: HashSet<String> =
        placed.iter().map(|p| p["lines"][0]["device_number"].as_str().unwrap().to_string()).collect();
    let shelf: HashSet<String> = (0..f.race_stock).map(|i| format!("D-002{i}")).collect();
    assert_eq!(rollators, shelf, "each order its own rollator, none twice");
    let two_lines: Vec<&Value> = placed.iter().filter(|p| p["lines"].as_array().unwrap().len() == 2).collect();
    assert_eq!(two_lines.len(), 1);
    assert_eq!(
        (two_lines[0]["lines"][1]["article_number"].as_str(), two_lines[0]["lines"][1]["device_number"].as_str()),
        (Some("W-190"), Some("D-0012"))
    );
    for p in &placed {
        let read: Value = app.get(&anna, &format!("/api/v1/orders/{}", p["id"])).await.json().await.unwrap();
        assert_eq!(p, &read, "the answer to the POST is what the database holds");
        assert_eq!(
            (p["lines"][0]["payer"].as_str(), p["lines"][0]["rule"].as_str()),
            (Some("region"), Some("ordinary.region_prescription"))
        );
    }
    for device in shelf.iter().map(String::as_str).chain(["D-0012"]) {
        let card = app.storage.device_card(device).await.unwrap().unwrap();
        assert_eq!(card.device.state.as_str(), "reserved");
        let kinds: Vec<_> = card.events.iter().map(|e| e.kind.as_str()).collect();
        assert_eq!(kinds, vec!["reserved", "ordered"], "{device}: its own history");
    }
    let created = audit_actions(&app, f.sven).await.iter().filter(|a| *a == "order.create").count();
    assert_eq!(created, f.race_stock, "one audit row per order");
    let now = ramp_testkit::test_now();
    assert_eq!(app.storage.replacement_figures(now, now + Duration::hours(1)).await.unwrap().accepted, 1);
    let orders = app.storage.orders_by_user(app.fixture.prescriber, 100).await.unwrap();
    assert_eq!(orders.len(), f.race_stock);
}

ramp_testkit::on_both_engines!(
    a_direct_order_reserves_decides_and_places_its_lines_in_one_request,
    sixty_four_direct_orders_race_for_the_last_devices_and_exactly_that_many_win,
    a_direct_order_retried_with_the_same_idempotency_key_is_created_once,
    a_refused_direct_order_names_its_line_and_reserves_nothing,
    a_direct_order_takes_over_expired_cart_reservations_and_may_order_an_article_twice,
    a_direct_order_passes_over_a_running_cart_reservation_and_takes_it_once_expired,
    direct_orders_placed_at_the_same_moment_each_get_their_own_device_oldest_first,
);
