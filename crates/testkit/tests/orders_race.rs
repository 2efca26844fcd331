//! Correctness under load (issue 4): 64 clients racing for the last few
//! devices of an article, and idempotent order submission — on both
//! engines. The database refuses double lending (conditional updates and
//! unique indexes); these tests show it from the outside.

use ramp_domain::Term;
use ramp_storage::fixture_ordering;
use ramp_testkit::TestApp;
use serde_json::{json, Value};
use std::collections::HashSet;

const CLIENTS: usize = 64;

async fn sixty_four_clients_race_for_the_last_devices_and_exactly_that_many_win(app: TestApp) {
    let f = fixture_ordering::load(app.storage.as_ref()).await.unwrap();
    let token = app.token_for("anna").await;
    let body = json!({ "personal_id": f.sven_pnr, "article_number": f.race_article });
    let url = app.url("/api/v1/cart/items");
    let start = std::sync::Arc::new(tokio::sync::Barrier::new(CLIENTS));
    let mut tasks = Vec::new();
    for _ in 0..CLIENTS {
        let (client, url, token, body, start) =
            (reqwest::Client::new(), url.clone(), token.clone(), body.clone(), start.clone());
        tasks.push(tokio::spawn(async move {
            start.wait().await;
            let resp = client.post(url).bearer_auth(token).json(&body).send().await.expect("request");
            let status = resp.status().as_u16();
            (status, resp.json::<Value>().await.expect("json"))
        }));
    }
    let mut won = Vec::new();
    let mut lost = Vec::new();
    for t in tasks {
        let (status, body) = t.await.unwrap();
        match status {
            201 => won.push(body["device_number"].as_str().unwrap().to_string()),
            409 => lost.push(body),
            other => panic!("unexpected {other}: {body}"),
        }
    }
    assert_eq!(won.len(), f.race_stock, "exactly the last {} devices were reserved", f.race_stock);
    assert_eq!(won.iter().collect::<HashSet<_>>().len(), f.race_stock, "no device reserved twice: {won:?}");
    assert_eq!(lost.len(), CLIENTS - f.race_stock);
    for p in &lost {
        assert_eq!(p["code"], "no_longer_available");
        let alternatives: Vec<_> =
            p["alternatives"].as_array().unwrap().iter().map(|a| a["article_number"].as_str().unwrap()).collect();
        assert!(alternatives.contains(&"R-100"), "a rollator still in stock is offered instead: {p}");
    }
    let cart = app.storage.cart_items(app.fixture.prescriber, ramp_testkit::test_now()).await.unwrap();
    assert_eq!(cart.len(), f.race_stock);
    for number in &won {
        let card = app.storage.device_card(number).await.unwrap().unwrap();
        assert_eq!(card.device.state.as_str(), "reserved");
        assert_eq!(card.events.iter().filter(|e| e.kind.as_str() == "reserved").count(), 1, "{number}");
    }
}

async fn an_order_retried_with_the_same_idempotency_key_is_created_once(app: TestApp) {
    let f = fixture_ordering::load(app.storage.as_ref()).await.unwrap();
    let token = app.token_for("anna").await;
    let line = json!({ "personal_id": f.sven_pnr, "article_number": f.race_article });
    assert_eq!(app.post_json(&token, "/api/v1/cart/items", &line).await.status(), 201);
    let form = json!({ "personal_id": f.sven_pnr, "goal": "Gå ute", "evaluation_date": "2027-03-01" });
    let send = |key: &'static str, form: Value| {
        let (client, url, token) = (app.client.clone(), app.url("/api/v1/orders"), token.clone());
        async move { client.post(url).bearer_auth(token).header("Idempotency-Key", key).json(&form).send().await.unwrap() }
    };
    // A client times out and retries, several times at once.
    let tries: Vec<_> = (0..8).map(|_| tokio::spawn(send("order-7f3a", form.clone()))).collect();
    let mut ids = HashSet::new();
    let mut created = 0;
    for t in tries {
        let resp = t.await.unwrap();
        let status = resp.status().as_u16();
        assert!(status == 201 || status == 200, "{status}");
        if status == 201 {
            created += 1;
        } else {
            assert_eq!(resp.headers()["idempotent-replayed"], "true");
        }
        let body: Value = resp.json().await.unwrap();
        ids.insert(body["id"].as_i64().unwrap());
    }
    assert_eq!((created, ids.len()), (1, 1), "one order, every retry answered with it");
    let orders = app.storage.orders_by_user(app.fixture.prescriber, 10).await.unwrap();
    assert_eq!(orders.len(), 1);
    assert_eq!(orders[0].lines, 1);

    let mut other = form.clone();
    other["goal"] = json!("Något annat");
    let resp = send("order-7f3a", other).await;
    assert_eq!(resp.status(), 422);
    let p: Value = resp.json().await.unwrap();
    assert_eq!((p["code"].as_str(), p["field"].as_str()), (Some("idempotency_key_reused"), Some("Idempotency-Key")));
    let resp = send("bad key with spaces", form.clone()).await;
    assert_eq!(resp.status(), 422);
}

ramp_testkit::on_both_engines!(
    sixty_four_clients_race_for_the_last_devices_and_exactly_that_many_win,
    an_order_retried_with_the_same_idempotency_key_is_created_once,
);
