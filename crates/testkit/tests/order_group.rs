//! PostgreSQL's order group (`storage-postgres/src/order_group.rs`) asked
//! directly, so that the orders certainly share one statement: each line
//! takes its own device, oldest first, even several of one article; and a
//! line without a device undoes every order of the statement. (Through the
//! API, on both engines: `orders_direct`.) PostgreSQL only: SQLite writes
//! its direct orders one by one on its writer thread.

use chrono::Duration;
use ramp_domain::article::LeadTimeClass;
use ramp_domain::order::{OrderTarget, Substitution};
use ramp_domain::Term;
use ramp_storage::fixture_ordering::{self, OrderingFixture};
use ramp_storage::{
    fixture, DirectPlacement, NewDirectLine, NewDirectOrder, NewOrder, NewOrderLine, OrderStore, SqlStorage, Storage,
};
use ramp_storage_postgres::PostgresStorage;
use ramp_testkit::{fresh_url, test_now, Engine};

struct Db {
    storage: SqlStorage,
    base: fixture::Fixture,
    f: OrderingFixture,
}

async fn db() -> Db {
    let storage = PostgresStorage::connect(&fresh_url(Engine::Postgres).await, 4).await.expect("connect");
    storage.migrate().await.expect("migrate");
    let base = fixture::load(&storage, "not used").await.expect("fixture");
    let f = fixture_ordering::load(&storage).await.expect("ordering fixture");
    Db { storage, base, f }
}

/// An order of one line of `article` for Sven, by the fixture's prescriber.
async fn order_of(db: &Db, article: &str, key: &str) -> NewDirectOrder {
    let a = db.storage.article_by_number(article).await.unwrap().expect("article");
    let now = test_now();
    let line = NewOrderLine {
        cart_item_id: 0,
        article_id: a.id,
        requested_article_id: a.id,
        substitution: Substitution::None,
        device_id: None,
        quantity: 1,
        need: Some(ramp_domain::cost::Need::Lasting),
        payer: ramp_domain::cost::Payer::Region,
        customer_number_id: db.f.stockholm_customer_number,
        rule_id: "ordinary.region_prescription".into(),
        agreement_version: "2021-01-01".into(),
        explanation_sv: "Regionen betalar.".into(),
        explanation_en: "The region pays.".into(),
        trust_prescription: false,
        lead_time_class: LeadTimeClass::Stock7,
        promised_date: (now + Duration::days(9)).date_naive(),
    };
    NewDirectOrder {
        order: NewOrder {
            target: OrderTarget::Patient,
            patient_id: Some(db.f.sven),
            unit_id: db.base.vardcentral,
            created_by: db.base.prescriber,
            goal: Some("Gå ute".into()),
            evaluation_date: None,
            end_date: None,
            idempotency_key: Some(key.into()),
            request_hash: None,
            place_of_use: None,
            delivery: Default::default(),
            channel: ramp_domain::order::OrderChannel::Api,
            at: now,
            lines: vec![],
            audit: None,
        },
        lines: vec![NewDirectLine { line, individual: true, answer: None }],
    }
}

async fn history(db: &Db, device: &str) -> (String, Vec<String>) {
    let card = db.storage.device_card(device).await.unwrap().expect("device");
    (card.device.state.as_str().to_string(), card.events.iter().map(|e| e.kind.as_str().to_string()).collect())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn orders_written_in_one_statement_each_take_the_next_oldest_device_of_their_article() {
    let db = db().await;
    let mut orders = Vec::new();
    for k in 0..3 {
        orders.push(order_of(&db, db.f.race_article, &format!("group-{k}")).await);
    }

    let placed = PostgresStorage::place_direct_orders_together(&db.storage, &orders).await.expect("placed together");

    let mut numbers = Vec::new();
    for p in &placed {
        let DirectPlacement::Placed { order_id, devices } = p else { panic!("not placed: {p:?}") };
        let stored = db.storage.order(*order_id).await.unwrap().expect("order stored");
        assert_eq!(stored.lines.len(), 1);
        assert_eq!(stored.lines[0].device_id, devices[0].as_ref().map(|d| d.id), "the line holds its device");
        numbers.push(devices[0].as_ref().expect("a device").device_number.clone());
    }
    assert_eq!(numbers, ["D-0020", "D-0021", "D-0022"], "oldest first, in the orders' order, none twice");
    for n in &numbers {
        assert_eq!(
            history(&db, n).await,
            ("reserved".to_string(), vec!["reserved".to_string(), "ordered".to_string()])
        );
    }
    assert_eq!(history(&db, "D-0023").await.0, "in_stock");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_line_without_a_device_undoes_every_order_of_the_statement() {
    let db = db().await;
    let mut orders = Vec::new();
    for k in 0..=db.f.race_stock {
        orders.push(order_of(&db, db.f.race_article, &format!("short-{k}")).await);
    }

    let err = PostgresStorage::place_direct_orders_together(&db.storage, &orders)
        .await
        .expect_err("one more order than devices");

    assert!(err.to_string().contains("division by zero"), "{err}");
    assert!(db.storage.orders_by_user(db.base.prescriber, 100).await.unwrap().is_empty(), "no order kept");
    for i in 0..db.f.race_stock {
        assert_eq!(history(&db, &format!("D-002{i}")).await, ("in_stock".to_string(), vec![]), "no device taken");
    }
}
