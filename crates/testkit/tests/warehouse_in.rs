//! Goods in (issue 19) on both engines: a receipt names its supplier and
//! delivery note and mixes devices with consumables (batch and expiry
//! kept), purchase orders are received against in part and in full and
//! refuse more than was ordered naming the line, reorder thresholds give
//! the list of what is below them, and warehouses come central first in
//! Swedish order.

use chrono::Duration;
use ramp_storage::fixture_ordering;
use ramp_storage::{Supplier, Warehouse};
use ramp_testkit::{problem, TestApp};
use serde_json::{json, Value};

async fn put(app: &TestApp, who: &str, path: &str, body: Value) -> reqwest::Response {
    let token = app.token_for(who).await;
    app.put_json(&token, path, &body).await
}

/// On hand of an article in the central warehouse (0 when not listed).
async fn on_hand(app: &TestApp, article: &str) -> i64 {
    let lines = app.get_as("lager", "/api/v1/warehouses/1/on-hand").await;
    lines
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["article_number"] == article)
        .map(|l| l["on_hand"].as_i64().unwrap())
        .unwrap_or(0)
}

/// A second supplier, whose articles nobody receives from Etac.
async fn other_supplier(app: &TestApp) {
    app.storage.insert_suppliers(&[Supplier { id: 2, name: "Mölnlycke Health Care AB".into() }]).await.unwrap();
}

async fn a_receipt_names_its_supplier_and_delivery_note_mixes_lines_and_raises_stock(app: TestApp) {
    fixture_ordering::load(app.storage.as_ref()).await.unwrap();
    other_supplier(&app).await;
    let (devices_before, pads_before) = (on_hand(&app, "R-200").await, on_hand(&app, "K-600").await);
    let receipt = json!({
        "warehouse_id": 1, "supplier_id": 1, "delivery_note": "FS-88123",
        "devices": [
            { "article_number": "R-200", "device_number": "N-0101", "serial": "ETAC-101", "purchase_price_ore": 280000 },
            { "article_number": "R-200", "device_number": "N-0102", "serial": "ETAC-102", "purchase_price_ore": 280000 }
        ],
        "consumables": [
            { "article_number": "K-600", "quantity": 60, "unit_price_ore": 400, "batch": "L2611-A", "expiry_date": "2028-06-30" },
            { "article_number": "K-600", "quantity": 40, "unit_price_ore": 400, "batch": "L2612-B", "expiry_date": "2028-01-31" }
        ]
    });
    assert_eq!(app.post_as("lager", "/api/v1/receipts", receipt.clone()).await.status(), 201);
    assert_eq!(on_hand(&app, "R-200").await, devices_before + 2);
    assert_eq!(on_hand(&app, "K-600").await, pads_before + 100);
    // The delivery note is the receipt's reference when no other is given.
    let card = app.storage.device_card("N-0101").await.unwrap().unwrap();
    assert_eq!(card.events[0].note.as_deref(), Some("FS-88123"));

    // Every line is checked before anything is written; the refusal names the row.
    let mut wrong = receipt.clone();
    wrong["supplier_id"] = json!(2);
    wrong["devices"][0]["device_number"] = json!("N-0201");
    wrong["devices"][1]["device_number"] = json!("N-0202");
    let p = problem(app.post_as("lager", "/api/v1/receipts", wrong).await).await;
    assert_eq!(
        (p["code"].as_str(), p["field"].as_str()),
        (Some("not_from_supplier"), Some("devices[0].article_number"))
    );
    assert!(app.storage.device_card("N-0201").await.unwrap().is_none(), "nothing of a refused receipt is stored");
    let mut no_note = receipt.clone();
    no_note["delivery_note"] = json!("  ");
    let p = problem(app.post_as("lager", "/api/v1/receipts", no_note).await).await;
    assert_eq!((p["code"].as_str(), p["field"].as_str()), (Some("delivery_note_required"), Some("delivery_note")));
    let expired = json!({ "warehouse_id": 1, "delivery_note": "FS-1", "consumables": [
        { "article_number": "K-600", "quantity": 1, "unit_price_ore": 400, "batch": "OLD", "expiry_date": "2026-01-31" } ] });
    let p = problem(app.post_as("lager", "/api/v1/receipts", expired).await).await;
    assert_eq!((p["code"].as_str(), p["field"].as_str()), (Some("expired_batch"), Some("consumables[0].expiry_date")));
    let no_batch = json!({ "warehouse_id": 1, "delivery_note": "FS-1", "consumables": [
        { "article_number": "K-600", "quantity": 1, "unit_price_ore": 400, "expiry_date": "2027-01-31" } ] });
    let p = problem(app.post_as("lager", "/api/v1/receipts", no_batch).await).await;
    assert_eq!((p["code"].as_str(), p["field"].as_str()), (Some("batch_required"), Some("consumables[0].batch")));
    assert_eq!(on_hand(&app, "K-600").await, pads_before + 100, "refused receipts changed nothing");
}

async fn batch_numbers_and_expiry_dates_come_back_per_batch_soonest_expiry_first(app: TestApp) {
    fixture_ordering::load(app.storage.as_ref()).await.unwrap();
    let line = |qty: i64, batch: Option<&str>, expiry: Option<&str>| json!({ "article_number": "K-600", "quantity": qty, "unit_price_ore": 400, "batch": batch, "expiry_date": expiry });
    let receipt = json!({ "warehouse_id": 1, "delivery_note": "FS-2001", "consumables": [
        line(30, Some("L-LATE"), Some("2028-12-31")), line(20, Some("L-SOON"), Some("2027-02-28")), line(5, None, None) ] });
    assert_eq!(app.post_as("lager", "/api/v1/receipts", receipt).await.status(), 201);
    let again = json!({ "warehouse_id": 1, "delivery_note": "FS-2002", "consumables": [line(10, Some("L-SOON"), Some("2027-02-28"))] });
    assert_eq!(app.post_as("lager", "/api/v1/receipts", again).await.status(), 201);
    let batches = app.get_as("lager", "/api/v1/warehouses/1/batches").await;
    let got: Vec<(String, String, i64)> = batches
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["batch"].as_str().unwrap().into(),
                b["expiry_date"].as_str().unwrap().into(),
                b["quantity"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [("L-SOON".to_string(), "2027-02-28".to_string(), 30), ("L-LATE".to_string(), "2028-12-31".to_string(), 30)]
    );
    let counted = app.get_as("lager", "/api/v1/warehouses/1/consumables").await;
    assert_eq!(counted[0]["quantity"].as_i64(), Some(65), "the total counts batched and unbatched lines");
}

async fn a_purchase_order_is_received_in_part_then_in_full_and_refuses_more_than_ordered(app: TestApp) {
    fixture_ordering::load(app.storage.as_ref()).await.unwrap();
    let order = json!({ "supplier_id": 1, "warehouse_id": 1, "expected_on": "2026-12-10", "lines": [
        { "article_number": "R-200", "quantity": 2 }, { "article_number": "K-600", "quantity": 100 } ] });
    let resp = app.post_as("lager", "/api/v1/purchase-orders", order).await;
    assert_eq!(resp.status(), 201);
    let po = resp.json::<Value>().await.unwrap()["purchase_order_id"].as_i64().unwrap();
    let open = app.get_as("lager", "/api/v1/purchase-orders").await;
    assert_eq!((open[0]["id"].as_i64(), open[0]["overdue"].as_bool()), (Some(po), Some(false)));

    let first = json!({ "warehouse_id": 1, "delivery_note": "FS-3001", "purchase_order_id": po,
        "devices": [{ "article_number": "R-200", "device_number": "N-0301", "purchase_price_ore": 280000 }],
        "consumables": [{ "article_number": "K-600", "quantity": 40, "unit_price_ore": 400 }] });
    assert_eq!(app.post_as("lager", "/api/v1/receipts", first).await.status(), 201);
    let o = app.get_as("lager", &format!("/api/v1/purchase-orders/{po}")).await;
    assert_eq!(o["status"], "open");
    assert_eq!((o["lines"][0]["received"].as_i64(), o["lines"][1]["received"].as_i64()), (Some(1), Some(40)));

    // 70 pads when 60 are outstanding: refused naming the line, nothing received.
    let pads = on_hand(&app, "K-600").await;
    let over = json!({ "warehouse_id": 1, "delivery_note": "FS-3002", "purchase_order_id": po,
        "devices": [{ "article_number": "R-200", "device_number": "N-0302", "purchase_price_ore": 280000 }],
        "consumables": [{ "article_number": "K-600", "quantity": 70, "unit_price_ore": 400 }] });
    let p = problem(app.post_as("lager", "/api/v1/receipts", over).await).await;
    assert_eq!(
        (p["code"].as_str(), p["field"].as_str()),
        (Some("over_receipt"), Some("consumables[0].article_number"))
    );
    assert!(p["detail"].as_str().unwrap_or_default().contains("line 2"), "{p}");
    assert_eq!(on_hand(&app, "K-600").await, pads);
    assert!(app.storage.device_card("N-0302").await.unwrap().is_none());
    let not_ordered = json!({ "warehouse_id": 1, "delivery_note": "FS-3003", "purchase_order_id": po,
        "devices": [{ "article_number": "W-200", "device_number": "N-0399", "purchase_price_ore": 1 }] });
    let p = problem(app.post_as("lager", "/api/v1/receipts", not_ordered).await).await;
    assert_eq!((p["code"].as_str(), p["field"].as_str()), (Some("not_on_order"), Some("devices[0].article_number")));

    // Late: the open order is marked overdue after its expected date.
    app.clock.advance(Duration::days(20));
    let open = app.get_as("lager", "/api/v1/purchase-orders").await;
    assert_eq!(open[0]["overdue"].as_bool(), Some(true));

    let rest = json!({ "warehouse_id": 1, "delivery_note": "FS-3004", "purchase_order_id": po,
        "devices": [{ "article_number": "R-200", "device_number": "N-0302", "purchase_price_ore": 280000 }],
        "consumables": [{ "article_number": "K-600", "quantity": 60, "unit_price_ore": 400 }] });
    assert_eq!(app.post_as("lager", "/api/v1/receipts", rest.clone()).await.status(), 201);
    let o = app.get_as("lager", &format!("/api/v1/purchase-orders/{po}")).await;
    assert_eq!(o["status"], "closed");
    assert_eq!(app.get_as("lager", "/api/v1/purchase-orders").await, json!([]));
    let all = app.get_as("admin", "/api/v1/purchase-orders?status=all").await;
    assert_eq!(all.as_array().unwrap().len(), 1);
    let mut again = rest;
    again["devices"] = json!([]);
    let p = problem(app.post_as("lager", "/api/v1/receipts", again).await).await;
    assert_eq!((p["code"].as_str(), p["field"].as_str()), (Some("purchase_order_closed"), Some("purchase_order_id")));

    // A line of another supplier's article, or twice the same article, is refused naming the line.
    let twice = json!({ "supplier_id": 1, "warehouse_id": 1, "expected_on": "2027-01-10", "lines": [
        { "article_number": "R-200", "quantity": 1 }, { "article_number": "R-200", "quantity": 1 } ] });
    let p = problem(app.post_as("lager", "/api/v1/purchase-orders", twice).await).await;
    assert_eq!((p["code"].as_str(), p["field"].as_str()), (Some("duplicate_article"), Some("lines[1].article_number")));
}

async fn reorder_thresholds_list_what_is_below_them(app: TestApp) {
    fixture_ordering::load(app.storage.as_ref()).await.unwrap();
    let r200 = on_hand(&app, "R-200").await;
    let path = "/api/v1/warehouses/1/thresholds/R-200";
    assert_eq!(put(&app, "lager", path, json!({ "threshold": r200 + 1 })).await.status(), 204);
    assert_eq!(
        put(&app, "lager", "/api/v1/warehouses/2/thresholds/K-600", json!({ "threshold": 10 })).await.status(),
        204
    );
    let below = app.get_as("lager", "/api/v1/stock/below-threshold").await;
    let names: Vec<(&str, &str)> = below
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["warehouse_name"].as_str().unwrap(), l["article_number"].as_str().unwrap()))
        .collect();
    assert_eq!(names, [("Buffertförråd Lidingö", "K-600"), ("Centrallager Hjälpmedelscentralen", "R-200")]);
    let line = app.get_as("lager", "/api/v1/warehouses/2/on-hand").await;
    assert_eq!((line[0]["on_hand"].as_i64(), line[0]["threshold"].as_i64()), (Some(0), Some(10)));

    assert_eq!(put(&app, "lager", path, json!({ "threshold": r200 })).await.status(), 204);
    assert_eq!(
        put(&app, "lager", "/api/v1/warehouses/2/thresholds/K-600", json!({ "threshold": null })).await.status(),
        204
    );
    assert_eq!(app.get_as("admin", "/api/v1/stock/below-threshold").await, json!([]));

    let p = problem(put(&app, "lager", path, json!({ "threshold": -1 })).await).await;
    assert_eq!((p["code"].as_str(), p["field"].as_str()), (Some("invalid_threshold"), Some("threshold")));
    let p = problem(put(&app, "lager", "/api/v1/warehouses/1/thresholds/NOPE", json!({ "threshold": 1 })).await).await;
    assert_eq!((p["code"].as_str(), p["field"].as_str()), (Some("article_not_found"), Some("article_number")));
    assert_eq!(put(&app, "anna", path, json!({ "threshold": 1 })).await.status(), 403);
}

async fn warehouses_come_central_first_then_in_swedish_order_and_filter_by_kind_and_name(app: TestApp) {
    let buffer = |id: i64, name: &str| Warehouse {
        id,
        code: format!("BUF-{id}"),
        name: name.into(),
        kind: "buffer".into(),
        unit_id: Some(2),
    };
    app.storage
        .insert_warehouses(&[
            buffer(10, "Örebro buffertförråd"),
            buffer(11, "Ängelholm buffertförråd"),
            buffer(12, "Åre buffertförråd"),
            buffer(13, "Arvika buffertförråd"),
            buffer(14, "Zinkgruvan buffertförråd"),
            Warehouse {
                id: 15,
                code: "HMC-N".into(),
                name: "Centrallager Norr".into(),
                kind: "central".into(),
                unit_id: None,
            },
        ])
        .await
        .unwrap();
    let names = |v: Value| -> Vec<String> {
        v.as_array().unwrap().iter().map(|w| w["name"].as_str().unwrap().to_string()).collect()
    };
    let all = names(app.get_as("lager", "/api/v1/warehouses").await);
    assert_eq!(
        all,
        [
            "Centrallager Hjälpmedelscentralen",
            "Centrallager Norr",
            "Arvika buffertförråd",
            "Buffertförråd Lidingö",
            "Zinkgruvan buffertförråd",
            "Åre buffertförråd",
            "Ängelholm buffertförråd",
            "Örebro buffertförråd",
        ]
    );
    let central = names(app.get_as("lager", "/api/v1/warehouses?kind=central").await);
    assert_eq!(central, ["Centrallager Hjälpmedelscentralen", "Centrallager Norr"]);
    let named = names(app.get_as("lager", "/api/v1/warehouses?kind=buffer&name=%C3%A5re").await);
    assert_eq!(named, ["Åre buffertförråd"]);
    let token = app.token_for("lager").await;
    let p = problem(app.get(&token, "/api/v1/warehouses?kind=attic").await).await;
    assert_eq!((p["code"].as_str(), p["field"].as_str()), (Some("invalid_kind"), Some("kind")));
}

ramp_testkit::on_both_engines!(
    a_receipt_names_its_supplier_and_delivery_note_mixes_lines_and_raises_stock,
    batch_numbers_and_expiry_dates_come_back_per_batch_soonest_expiry_first,
    a_purchase_order_is_received_in_part_then_in_full_and_refuses_more_than_ordered,
    reorder_thresholds_list_what_is_below_them,
    warehouses_come_central_first_then_in_swedish_order_and_filter_by_kind_and_name,
);
