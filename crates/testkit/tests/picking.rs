//! Issue 19, the loading bay: "Pick lists grouped by delivery route and
//! day with addresses, printable as PDF with Code 128 / GS1 barcodes
//! (article, serial, order), delivery notes and device labels; scan input
//! … to pick, deliver and receive; state order enforced (deliver only what
//! is picked; the database refuses otherwise); pending pickups by route;
//! consumables buffer orders on pick lists." Over the API on both engines;
//! the printed papers are rendered by poppler and decoded by zbar.

use ramp_domain::order::{LineState, OrderStatus};
use ramp_domain::Term;
use ramp_storage::{fixture_ordering, OrderMove, UnitAddress, UnitDelivery};
use ramp_testkit::{problem, test_now, TestApp};
use serde_json::{json, Value};

const ROUTE: &str = "Rutt 3, tisdagar";
const LIDINGO_ROUTE: &str = "Rutt Lidingö, onsdagar";

/// The fixture's two units get routes; the home care unit an address.
async fn routes(app: &TestApp) {
    let address = UnitAddress {
        unit_id: app.fixture.hemtjanst,
        street: "Stockholmsvägen 12".into(),
        postal_code: "181 30".into(),
        city: "Lidingö".into(),
    };
    let rows = vec![
        (app.fixture.vardcentral, UnitDelivery { route: Some(ROUTE.into()), address: None }),
        (app.fixture.hemtjanst, UnitDelivery { route: Some(LIDINGO_ROUTE.into()), address: Some(address) }),
    ];
    app.storage.set_unit_deliveries(&rows).await.unwrap();
}

/// Anna orders for Sven, delivered to `address` (none: his registered address); returns the order id.
async fn order_for_sven(app: &TestApp, pnr: &str, articles: &[&str], address: Option<&str>) -> i64 {
    for a in articles {
        let line = json!({ "personal_id": pnr, "article_number": a, "replacement": "decline" });
        assert_eq!(app.post_as("anna", "/api/v1/cart/items", line).await.status(), 201, "{a}");
    }
    let mut form = json!({ "personal_id": pnr, "goal": "Förflyttning", "evaluation_date": "2027-03-01" });
    if let Some(a) = address {
        form["delivery"] = json!({ "address": a, "contact_name": "Sven", "contact_phone": "0701234567" });
    }
    let resp = app.post_as("anna", "/api/v1/orders", form).await;
    assert_eq!(resp.status(), 201);
    resp.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}

/// The home care unit's orderer restocks its buffer store with `quantity` incontinence pads (K-600).
async fn buffer_order_of_pads(app: &TestApp, quantity: i64) -> i64 {
    let line = json!({ "target": "buffer", "article_number": "K-600", "quantity": quantity });
    assert_eq!(app.post_as("bestallare", "/api/v1/cart/items", line).await.status(), 201);
    let resp = app.post_as("bestallare", "/api/v1/orders", json!({ "target": "buffer" })).await;
    assert_eq!(resp.status(), 201);
    resp.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}

fn lines_of(list: &Value, order: i64) -> Vec<Value> {
    list.as_array().unwrap().iter().filter(|l| l["order_id"].as_i64() == Some(order)).cloned().collect()
}

async fn the_pick_list_goes_by_route_and_day_with_each_address_and_the_buffer_stores_consumables(app: TestApp) {
    let f = fixture_ordering::load(app.storage.as_ref()).await.unwrap();
    routes(&app).await;
    let home = order_for_sven(&app, f.sven_pnr, &["W-200"], Some("Storgatan 1, 171 45 Solna")).await;
    let registered = order_for_sven(&app, f.sven_pnr, &["R-200"], None).await;
    let pads = buffer_order_of_pads(&app, 5).await;

    let list = app.get_as("lager", "/api/v1/warehouses/1/pick-list").await;
    let home_line = &lines_of(&list, home)[0];
    assert_eq!(home_line["address"], "Storgatan 1, 171 45 Solna", "the order's own address");
    assert_eq!((home_line["route"].as_str(), home_line["picked"].as_bool()), (Some(ROUTE), Some(false)));
    let line = &lines_of(&list, registered)[0];
    assert!(line["address"].is_null(), "his registered address is looked up, not stored: {line}");
    assert_eq!(line["target"], "patient");
    let pad_lines = lines_of(&list, pads);
    assert_eq!(pad_lines.len(), 1, "the buffer order's consumable is on the central warehouse's list: {list}");
    let pad = &pad_lines[0];
    assert!(pad["device_number"].is_null());
    assert_eq!((pad["quantity"].as_i64(), pad["article_number"].as_str()), (Some(5), Some("K-600")));
    assert_eq!((pad["route"].as_str(), pad["target"].as_str()), (Some(LIDINGO_ROUTE), Some("buffer")));
    assert_eq!(pad["address"], "Stockholmsvägen 12, 181 30 Lidingö", "the unit's address");
    assert!(list.to_string().find(LIDINGO_ROUTE) > list.to_string().find(ROUTE), "routes in name order");
    for l in list.as_array().unwrap() {
        assert!(l.get("patient_id").is_none(), "no patient identity on the list: {l}");
    }

    // Showing Sven's home address is a read of his data: audited, with the centre's role as the ground.
    let audit = app.storage.audit_for_patient(f.sven, 50).await.unwrap();
    let read = audit.iter().find(|e| e.action == "pick_list.read").expect("the address read is audited");
    assert_eq!(read.detail.as_deref(), Some(format!("order {home}").as_str()));
    // The buffer store has no counted consumables of its own list: they come from the central warehouse.
    let buffer = app.get_as("lager", &format!("/api/v1/warehouses/{}/pick-list", app.fixture.buffer_store)).await;
    assert!(lines_of(&buffer, pads).is_empty());
}

async fn a_scan_picks_one_line_and_the_order_is_picked_with_its_last_line(app: TestApp) {
    let f = fixture_ordering::load(app.storage.as_ref()).await.unwrap();
    routes(&app).await;
    let order = order_for_sven(&app, f.sven_pnr, &["W-200", "R-200"], None).await;
    let list = app.get_as("lager", "/api/v1/warehouses/1/pick-list").await;
    let devices: Vec<String> =
        lines_of(&list, order).iter().map(|l| l["device_number"].as_str().unwrap().to_string()).collect();
    assert_eq!(devices.len(), 2);
    let scan = |code: String| {
        let app = &app;
        async move { app.post_as("lager", "/api/v1/warehouses/1/pick-scans", json!({ "code": code })).await }
    };

    // Bad scans are named and change nothing.
    for (code, status, expected) in [
        (format!("ORD-{order}"), 422, "scan_a_line"),
        ("D-9999".to_string(), 404, "not_on_pick_list"),
        ("   ".to_string(), 422, "required"),
    ] {
        let p = problem(scan(code.clone()).await).await;
        assert_eq!(
            (p["status"].as_i64(), p["code"].as_str(), p["field"].as_str()),
            (Some(status), Some(expected), Some("code")),
            "{code}"
        );
    }

    // The first device (typed in lower case, with the scanner's Enter): picked, the order not yet.
    let first = scan(format!("{}\r\n", devices[0].to_lowercase())).await;
    assert_eq!(first.status(), 200);
    let first: Value = first.json().await.unwrap();
    assert_eq!(
        (first["device_number"].as_str(), first["order_picked"].as_bool()),
        (Some(devices[0].as_str()), Some(false))
    );
    let again = problem(scan(devices[0].clone()).await).await;
    assert_eq!((again["status"].as_i64(), again["code"].as_str()), (Some(409), Some("already_picked")));
    let anna = app.token_for("anna").await;
    let o: Value = app.get(&anna, &format!("/api/v1/orders/{order}")).await.json().await.unwrap();
    assert_eq!(o["status"], "registered");

    // The second: the order is picked, in the same transaction, with its event.
    let last: Value = scan(devices[1].clone()).await.json().await.unwrap();
    assert_eq!(last["order_picked"], true);
    let o: Value = app.get(&anna, &format!("/api/v1/orders/{order}")).await.json().await.unwrap();
    assert_eq!(o["status"], "picked");
    let list = app.get_as("lager", "/api/v1/warehouses/1/pick-list").await;
    assert!(lines_of(&list, order).iter().all(|l| l["picked"] == true));
}

async fn a_consumable_is_picked_by_its_article_number_or_gtin(app: TestApp) {
    fixture_ordering::load(app.storage.as_ref()).await.unwrap();
    routes(&app).await;
    let pads = buffer_order_of_pads(&app, 3).await;
    let resp = app.post_as("lager", "/api/v1/warehouses/1/pick-scans", json!({ "code": "k-600" })).await;
    assert_eq!(resp.status(), 200);
    let picked: Value = resp.json().await.unwrap();
    assert_eq!((picked["order_id"].as_i64(), picked["quantity"].as_i64()), (Some(pads), Some(3)));
    assert_eq!(picked["order_picked"], true, "its only line");
    let again =
        problem(app.post_as("lager", "/api/v1/warehouses/1/pick-scans", json!({ "code": "K-600" })).await).await;
    assert_eq!(again["code"], "not_on_pick_list", "nothing of K-600 is left to pick");
}

async fn a_delivery_scan_delivers_a_picked_order_and_never_an_unpicked_one(app: TestApp) {
    let f = fixture_ordering::load(app.storage.as_ref()).await.unwrap();
    routes(&app).await;
    let order = order_for_sven(&app, f.sven_pnr, &["W-200"], None).await;
    let device = lines_of(&app.get_as("lager", "/api/v1/warehouses/1/pick-list").await, order)[0]["device_number"]
        .as_str()
        .unwrap()
        .to_string();
    let deliver = |code: String| {
        let app = &app;
        async move { app.post_as("lager", "/api/v1/delivery-scans", json!({ "code": code, "received_by": "Sven" })).await }
    };
    for code in [format!("ORD-{order}"), device.clone()] {
        let p = problem(deliver(code.clone()).await).await;
        assert_eq!(
            (p["status"].as_i64(), p["code"].as_str(), p["field"].as_str()),
            (Some(409), Some("order_not_picked"), Some("code")),
            "{code}"
        );
    }
    assert_eq!(app.post_as("lager", "/api/v1/warehouses/1/pick-scans", json!({ "code": device })).await.status(), 200);
    let resp = deliver(format!("]C0ORD-{order}")).await;
    assert_eq!(resp.status(), 200, "the delivery note's code, with a scanner's symbology prefix");
    assert_eq!(resp.json::<Value>().await.unwrap()["status"], "delivered");
    let card = app.storage.device_card(&device).await.unwrap().unwrap();
    assert_eq!(card.device.state.as_str(), "with_patient");
    let p = problem(deliver(device.clone()).await).await;
    assert_eq!((p["status"].as_i64(), p["code"].as_str()), (Some(404), Some("nothing_to_deliver")));
    let p = problem(app.post_as("anna", "/api/v1/delivery-scans", json!({ "code": "ORD-1" })).await).await;
    assert_eq!(p["status"], 403);
}

async fn the_database_refuses_to_deliver_a_line_that_was_not_picked(app: TestApp) {
    let f = fixture_ordering::load(app.storage.as_ref()).await.unwrap();
    let order = order_for_sven(&app, f.sven_pnr, &["W-200", "R-200"], None).await;
    let list = app.get_as("lager", "/api/v1/warehouses/1/pick-list").await;
    let first = lines_of(&list, order)[0]["device_number"].as_str().unwrap().to_string();
    assert_eq!(app.post_as("lager", "/api/v1/warehouses/1/pick-scans", json!({ "code": first })).await.status(), 200);

    // Past the application: the order moved on by hand, its second line never picked.
    let mut uow = app.storage.unit_of_work().await.unwrap();
    for (from, to) in [(OrderStatus::Registered, OrderStatus::Picked), (OrderStatus::Picked, OrderStatus::Delivered)] {
        let m = OrderMove { order_id: order, expected: from, to, at: test_now(), received_by: None };
        assert!(uow.move_order(&m).await.unwrap().is_some());
    }
    let closed = uow.close_open_lines(order, LineState::Delivered, Some(test_now())).await;
    assert!(closed.is_err(), "an unpicked line is not delivered, whatever path the write takes");
    drop(uow);
    let anna = app.token_for("anna").await;
    let o: Value = app.get(&anna, &format!("/api/v1/orders/{order}")).await.json().await.unwrap();
    assert_eq!(o["status"], "registered", "nothing half-written: {o}");
}

async fn pending_pickups_are_listed_by_route_with_the_address_and_the_read_is_audited(app: TestApp) {
    let f = fixture_ordering::load(app.storage.as_ref()).await.unwrap();
    routes(&app).await;
    let order = order_for_sven(&app, f.sven_pnr, &["W-200"], Some("Storgatan 1, 171 45 Solna")).await;
    for s in ["picked", "delivered"] {
        let resp = app.post_as("lager", &format!("/api/v1/orders/{order}/status"), json!({ "status": s })).await;
        assert_eq!(resp.status(), 200, "{s}");
    }
    let o: Value = app.get_as("anna", &format!("/api/v1/orders/{order}")).await;
    let device = o["lines"][0]["device_number"].as_str().unwrap().to_string();
    let resp = app.post_as("anna", &format!("/api/v1/devices/{device}/pickup-order"), json!({})).await;
    assert!(resp.status().is_success(), "{}", resp.status());

    let all = app.get_as("lager", "/api/v1/pickups").await;
    let row = all.as_array().unwrap().iter().find(|p| p["device_number"] == device.as_str()).expect("waiting").clone();
    assert_eq!((row["route"].as_str(), row["address"].as_str()), (Some(ROUTE), Some("Storgatan 1, 171 45 Solna")));
    assert_eq!(row["at_patient"], true);
    assert!(row.get("patient_id").is_none(), "{row}");
    let other = app.get_as("lager", &format!("/api/v1/pickups?route={}", "Rutt%20Lidingö%2C%20onsdagar")).await;
    assert!(other.as_array().unwrap().iter().all(|p| p["route"] == LIDINGO_ROUTE), "{other}");
    let audit = app.storage.audit_for_patient(f.sven, 50).await.unwrap();
    assert!(audit.iter().any(|e| e.action == "pickups.read"), "the address read is audited");
    let p = problem(app.get(&app.token_for("anna").await, "/api/v1/pickups").await).await;
    assert_eq!(p["status"], 403);
}

/// The pick list, delivery notes and labels as printed, their barcodes read back by a real decoder.
async fn the_printed_papers_carry_barcodes_a_scanner_reads(app: TestApp) {
    let f = fixture_ordering::load(app.storage.as_ref()).await.unwrap();
    routes(&app).await;
    let order = order_for_sven(&app, f.sven_pnr, &["W-200"], Some("Storgatan 1, 171 45 Solna")).await;
    let list = app.get_as("lager", "/api/v1/warehouses/1/pick-list").await;
    let device = lines_of(&list, order)[0]["device_number"].as_str().unwrap().to_string();
    let (client, _) = app.ui_session("lager").await;
    let fetch = |path: &'static str| {
        let (client, app) = (&client, &app);
        async move {
            let resp = client.get(app.url(path)).send().await.unwrap();
            assert_eq!(resp.status(), 200, "{path}");
            let kind = resp.headers()["content-type"].to_str().unwrap().to_string();
            assert_eq!(kind, "application/pdf", "{path}");
            resp.bytes().await.unwrap().to_vec()
        }
    };
    let pick = fetch("/desk/pick/print?warehouse=1").await;
    let codes = ramp_testkit::barcodes::decode_pdf(&pick);
    let order_code = format!("ORD-{order}");
    assert!(codes.contains(&order_code), "order code on the pick list: {codes:?}");
    assert!(codes.contains(&device), "device number on the pick list: {codes:?}");
    assert!(codes.contains(&"W-200".to_string()), "the article (no GTIN: its number): {codes:?}");
    let text = ramp_web::pdf::text_of(&pick);
    assert!(text.contains("Storgatan 1, 171 45 Solna") && text.contains(ROUTE), "address and route printed: {text}");
    assert!(text.contains("Vårdcentralen"), "Swedish letters print: {text}");

    let notes = ramp_testkit::barcodes::decode_pdf(&fetch("/desk/pick/delivery-notes?warehouse=1").await);
    assert!(notes.contains(&order_code), "the delivery note's code to scan at the door: {notes:?}");
    let labels = ramp_testkit::barcodes::decode_pdf(&fetch("/desk/pick/labels?warehouse=1").await);
    assert_eq!(labels, vec![device.clone()], "one label per device");
}

async fn an_administrator_sets_a_units_route_and_address_and_a_bad_postal_code_is_named(app: TestApp) {
    fixture_ordering::load(app.storage.as_ref()).await.unwrap();
    let admin = app.token_for("admin").await;
    let unit = app.fixture.hemtjanst;
    let units: Value = app.get(&admin, "/api/v1/admin/units").await.json().await.unwrap();
    let before = units.as_array().unwrap().iter().find(|u| u["id"] == unit).unwrap().clone();
    let put = |body: Value| {
        let (app, admin) = (&app, &admin);
        async move { app.put_json(admin, &format!("/api/v1/admin/units/{unit}"), &body).await }
    };
    let mut body = json!({ "name": before["name"], "kind": before["kind"], "customer_number_id": before["customer_number_id"],
        "delivery_route": LIDINGO_ROUTE, "address": { "street": "Stockholmsvägen 12", "postal_code": "18130", "city": "Lidingö" } });
    assert_eq!(put(body.clone()).await.status(), 204);
    let units: Value = app.get(&admin, "/api/v1/admin/units").await.json().await.unwrap();
    let after = units.as_array().unwrap().iter().find(|u| u["id"] == unit).unwrap().clone();
    assert_eq!(after["delivery_route"], LIDINGO_ROUTE);
    assert_eq!(after["address"]["postal_code"], "181 30", "kept as the post prints it");

    // A bad postal code is named and nothing changes; an edit without route and address keeps them.
    body["address"]["postal_code"] = json!("1813");
    let p = problem(put(body.clone()).await).await;
    assert_eq!((p["code"].as_str(), p["field"].as_str()), (Some("invalid_postal_code"), Some("postal_code")));
    let keep =
        json!({ "name": before["name"], "kind": before["kind"], "customer_number_id": before["customer_number_id"] });
    assert_eq!(put(keep).await.status(), 204);
    let pads = buffer_order_of_pads(&app, 2).await;
    let list = app.get_as("lager", "/api/v1/warehouses/1/pick-list").await;
    assert_eq!(lines_of(&list, pads)[0]["address"], "Stockholmsvägen 12, 181 30 Lidingö");
}

ramp_testkit::on_both_engines!(
    an_administrator_sets_a_units_route_and_address_and_a_bad_postal_code_is_named,
    the_pick_list_goes_by_route_and_day_with_each_address_and_the_buffer_stores_consumables,
    a_scan_picks_one_line_and_the_order_is_picked_with_its_last_line,
    a_consumable_is_picked_by_its_article_number_or_gtin,
    a_delivery_scan_delivers_a_picked_order_and_never_an_unpicked_one,
    the_database_refuses_to_deliver_a_line_that_was_not_picked,
    pending_pickups_are_listed_by_route_with_the_address_and_the_read_is_audited,
    the_printed_papers_carry_barcodes_a_scanner_reads,
);
