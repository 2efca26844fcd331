//! The assistive-device centre's flows on both engines (issue 5):
//! receiving, the pick list, returns with inspection and reconditioning,
//! the technicians' work orders, special adaptation signed within 30 days,
//! and safety notices — and that a device never goes out while a blocking
//! condition holds.

use chrono::Duration;
use ramp_domain::Term;
use ramp_storage::fixture::PASSWORD;
use ramp_storage::fixture_ordering;
use ramp_testkit::{problem, TestApp};
use serde_json::{json, Value};

async fn state_of(app: &TestApp, number: &str) -> String {
    app.storage.device_card(number).await.unwrap().unwrap().device.state.as_str().to_string()
}

/// Anna orders a W-200 for Sven (declining the older W-190); returns the order id.
async fn order_wheelchair(app: &TestApp, pnr: &str) -> i64 {
    let line = json!({ "personal_id": pnr, "article_number": "W-200", "replacement": "decline" });
    assert_eq!(app.post_as("anna", "/api/v1/cart/items", line).await.status(), 201);
    let form = json!({ "personal_id": pnr, "goal": "Förflyttning", "evaluation_date": "2027-03-01" });
    let resp = app.post_as("anna", "/api/v1/orders", form).await;
    assert_eq!(resp.status(), 201);
    resp.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}

/// Picks the order (an order is delivered only after it is picked), then delivers it: the delivery's answer.
async fn deliver(app: &TestApp, order: i64) -> reqwest::Response {
    let picked = app.post_as("lager", &format!("/api/v1/orders/{order}/status"), json!({ "status": "picked" })).await;
    assert!(picked.status() == 200 || picked.status() == 409, "picked: {}", picked.status());
    app.post_as(
        "lager",
        &format!("/api/v1/orders/{order}/status"),
        json!({ "status": "delivered", "received_by": "Sven" }),
    )
    .await
}

/// Checks off every item of the work order's checklist as the technician.
pub(crate) async fn check_all(app: &TestApp, id: i64) {
    let detail = app.get_as("tekniker", &format!("/api/v1/work-orders/{id}")).await;
    for item in detail["checklist"].as_array().unwrap() {
        let path = format!("/api/v1/work-orders/{id}/checklist/{}", item["item_id"]);
        assert_eq!(app.post_as("tekniker", &path, json!({})).await.status(), 204);
    }
}

/// Starts, records and finishes a work order as the technician (R-101 is
/// not in stock: recorded as confirmed without stock).
async fn do_work(app: &TestApp, id: i64) {
    assert_eq!(app.post_as("tekniker", &format!("/api/v1/work-orders/{id}/start"), json!({})).await.status(), 204);
    let entry = json!({ "minutes": 45, "part_article_number": "R-101", "part_quantity": 1, "note": "Bytt korg",
        "confirm_without_stock": true });
    assert_eq!(app.post_as("tekniker", &format!("/api/v1/work-orders/{id}/entries"), entry).await.status(), 201);
    check_all(app, id).await;
    let resp = app.post_as("tekniker", &format!("/api/v1/work-orders/{id}/finish"), json!({ "outcome": "Klar" })).await;
    assert_eq!(resp.status(), 204);
}

async fn receiving_registers_devices_one_by_one_and_consumables_by_count(app: TestApp) {
    fixture_ordering::load(app.storage.as_ref()).await.unwrap();
    let receipt = json!({
        "warehouse_id": 1, "reference": "IO-2026-0042", "purchase_date": "2026-11-20",
        "devices": [
            { "article_number": "R-200", "device_number": "N-0001", "serial": "ETAC-77", "purchase_price_ore": 280000 },
            { "article_number": "R-200", "device_number": "N-0002", "purchase_price_ore": 280000 }
        ],
    });
    let resp = app.post_as("lager", "/api/v1/receipts", receipt.clone()).await;
    assert_eq!(resp.status(), 201);
    let card = app.storage.device_card("N-0001").await.unwrap().unwrap();
    assert_eq!((card.device.state.as_str(), card.device.serial.as_deref()), ("in_stock", Some("ETAC-77")));
    assert_eq!(card.device.purchase_date.to_string(), "2026-11-20");
    assert_eq!(card.events[0].kind.as_str(), "received");
    assert_eq!(card.events[0].note.as_deref(), Some("IO-2026-0042"));

    let consumables = json!({ "warehouse_id": 1, "reference": "IO-2026-0043",
        "consumables": [{ "article_number": "K-600", "quantity": 100, "unit_price_ore": 400 }] });
    assert_eq!(app.post_as("lager", "/api/v1/receipts", consumables.clone()).await.status(), 201);
    assert_eq!(app.post_as("lager", "/api/v1/receipts", consumables).await.status(), 201);
    let stock = app.get_as("lager", "/api/v1/warehouses/1/consumables").await;
    assert_eq!((stock[0]["article_number"].as_str(), stock[0]["quantity"].as_i64()), (Some("K-600"), Some(200)));

    // A device number already in use refuses the whole receipt.
    let clash = json!({ "warehouse_id": 1, "reference": "IO-2026-0044", "devices": [
        { "article_number": "R-200", "device_number": "N-0003", "purchase_price_ore": 1 },
        { "article_number": "R-200", "device_number": "N-0001", "purchase_price_ore": 1 } ] });
    let p = problem(app.post_as("lager", "/api/v1/receipts", clash).await).await;
    assert_eq!(p["code"], "device_number_taken");
    assert!(app.storage.device_card("N-0003").await.unwrap().is_none(), "nothing of the refused receipt was stored");
    let wrong = json!({ "warehouse_id": 1, "reference": "X", "devices": [
        { "article_number": "K-600", "device_number": "N-0009", "purchase_price_ore": 1 } ] });
    let p = problem(app.post_as("lager", "/api/v1/receipts", wrong).await).await;
    assert_eq!((p["code"].as_str(), p["field"].as_str()), (Some("not_individual"), Some("devices[0].article_number")));
    assert_eq!(app.post_as("anna", "/api/v1/receipts", receipt).await.status(), 403);
}

async fn the_pick_list_shows_what_to_pick_by_route_and_promised_date(app: TestApp) {
    let f = fixture_ordering::load(app.storage.as_ref()).await.unwrap();
    app.storage.set_delivery_route(app.fixture.vardcentral, Some("Rutt 3, tisdagar")).await.unwrap();
    let order = order_wheelchair(&app, f.sven_pnr).await;
    let lines = app.get_as("lager", "/api/v1/warehouses/1/pick-list").await;
    let lines = lines.as_array().unwrap();
    assert_eq!(lines.len(), 1);
    let l = &lines[0];
    assert_eq!(l["order_id"].as_i64(), Some(order));
    assert_eq!((l["device_number"].as_str(), l["promised_date"].as_str()), (Some("D-0010"), Some("2026-12-02")));
    assert_eq!((l["route"].as_str(), l["unit_name"].as_str()), (Some("Rutt 3, tisdagar"), Some("Vårdcentralen Solna")));
    let later = app.get_as("lager", "/api/v1/warehouses/1/pick-list?until=2026-11-30").await;
    assert!(later.as_array().unwrap().is_empty(), "not promised before 2 December");
    let resp = deliver(&app, order).await;
    assert_eq!(resp.status(), 200);
    assert!(app.get_as("lager", "/api/v1/warehouses/1/pick-list").await.as_array().unwrap().is_empty());
}

async fn a_returned_device_is_inspected_reconditioned_and_goes_out_first_again(app: TestApp) {
    let f = fixture_ordering::load(app.storage.as_ref()).await.unwrap();
    // A fault reported while Sven has it: a repair order, still open when the device comes back.
    let fault = json!({ "description": "Bromsen tar inte" });
    let resp = app.post_as("anna", &format!("/api/v1/devices/{}/fault-report", f.sven_wheelchair), fault).await;
    let repair = resp.json::<Value>().await.unwrap()["work_order_id"].as_i64().expect("a repair work order");
    let pickup = app.post_as("anna", &format!("/api/v1/devices/{}/pickup-order", f.sven_wheelchair), json!({})).await;
    let rent_end = pickup.json::<Value>().await.unwrap()["rent_end_date"].as_str().unwrap().to_string();
    let ret = json!({ "device_number": f.sven_wheelchair, "warehouse_id": 1 });
    assert_eq!(app.post_as("lager", "/api/v1/returns", ret.clone()).await.status(), 204);
    assert_eq!(state_of(&app, f.sven_wheelchair).await, "in_workshop");
    let device_id = app.storage.device_card(f.sven_wheelchair).await.unwrap().unwrap().device.id;
    assert!(app.storage.open_pickup_order(device_id).await.unwrap().is_none(), "the pickup order is collected");
    let again = problem(app.post_as("lager", "/api/v1/returns", ret).await).await;
    assert_eq!(again["code"], "device_not_out");

    // Not reconditioned yet: it cannot go out; the next W-200 is a stock one.
    let first = order_wheelchair(&app, f.sven_pnr).await;
    let order: Value = app.get_as("anna", &format!("/api/v1/orders/{first}")).await;
    assert_eq!(order["lines"][0]["device_number"], "D-0010");

    let resp = app
        .post_as(
            "lager",
            &format!("/api/v1/devices/{}/inspection", f.sven_wheelchair),
            json!({ "decision": "recondition" }),
        )
        .await;
    assert_eq!(resp.status(), 200);
    let inspection: Value = resp.json().await.unwrap();
    assert_eq!(inspection["past_service_life"], false);
    let work_order = inspection["work_order_id"].as_i64().unwrap();
    do_work(&app, work_order).await;
    assert_eq!(state_of(&app, f.sven_wheelchair).await, "in_stock");
    // Issue 19: "a repair work order stays open after the device is reconditioned".
    let detail = app.get_as("tekniker", &format!("/api/v1/work-orders/{repair}")).await;
    assert_eq!(detail["order"]["status"], "done", "the reconditioning closed the repair: {detail}");
    assert!(detail["order"]["outcome"].as_str().unwrap().contains(&format!("arbetsorder {work_order}")));
    let detail = app.get_as("tekniker", &format!("/api/v1/work-orders/{work_order}")).await;
    assert_eq!((detail["order"]["status"].as_str(), detail["order"]["minutes"].as_i64()), (Some("done"), Some(45)));
    assert_eq!(detail["entries"][0]["part_article_number"], "R-101");

    // Reconditioned, bought in 2023: now the oldest W-200 in stock, so it goes out first.
    let second = order_wheelchair(&app, f.sven_pnr).await;
    let order: Value = app.get_as("anna", &format!("/api/v1/orders/{second}")).await;
    assert_eq!(order["lines"][0]["device_number"], f.sven_wheelchair);
    let card = app.storage.device_card(f.sven_wheelchair).await.unwrap().unwrap();
    let kinds: Vec<_> = card.events.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(
        kinds,
        vec!["fault_reported", "pickup_ordered", "returned", "inspected", "reconditioned", "reserved", "ordered"]
    );
    let _ = rent_end;
}

async fn a_device_past_its_service_life_is_flagged_at_inspection_and_can_be_scrapped(app: TestApp) {
    let f = fixture_ordering::load(app.storage.as_ref()).await.unwrap();
    let ret = json!({ "device_number": f.sven_rollator, "warehouse_id": 1 });
    assert_eq!(app.post_as("lager", "/api/v1/returns", ret).await.status(), 204);
    app.clock.set(chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2031, 9, 2, 9, 0, 0).unwrap());
    let body = json!({ "decision": "scrap", "note": "Ramen sprucken" });
    let inspection: Value = app
        .post_as("lager", &format!("/api/v1/devices/{}/inspection", f.sven_rollator), body)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!((inspection["past_service_life"].as_bool(), inspection["scrapped"].as_bool()), (Some(true), Some(true)));
    let card = app.storage.device_card(f.sven_rollator).await.unwrap().unwrap();
    assert_eq!(card.device.state.as_str(), "scrapped");
    assert!(card.events.last().unwrap().note.as_deref().unwrap().contains("Livslängden (96 mån.) är passerad."));
}

async fn the_technicians_queue_takes_a_fault_report_from_open_to_done(app: TestApp) {
    let f = fixture_ordering::load(app.storage.as_ref()).await.unwrap();
    let fault = json!({ "description": "Bromsen tar inte" });
    let resp = app.post_as("anna", &format!("/api/v1/devices/{}/fault-report", f.sven_rollator), fault).await;
    let id = resp.json::<Value>().await.unwrap()["work_order_id"].as_i64().unwrap();
    let queue = app.get_as("tekniker", "/api/v1/work-orders?status=open&kind=repair").await;
    assert_eq!(queue.as_array().unwrap().len(), 1);
    assert_eq!((queue[0]["id"].as_i64(), queue[0]["device_number"].as_str()), (Some(id), Some(f.sven_rollator)));
    let p = problem(app.post_as("tekniker", &format!("/api/v1/work-orders/{id}/finish"), json!({})).await).await;
    assert_eq!(p["code"], "invalid_status_change", "an open work order is started before it is finished");
    do_work(&app, id).await;
    let done = app.get_as("tekniker", "/api/v1/work-orders?status=done").await;
    assert_eq!((done[0]["assigned_name"].as_str(), done[0]["outcome"].as_str()), (Some("Tore Tekniker"), Some("Klar")));
    assert_eq!(state_of(&app, f.sven_rollator).await, "with_patient", "a repair at the patient's leaves it there");
    let p = problem(app.post_as("tekniker", &format!("/api/v1/work-orders/{id}/start"), json!({})).await).await;
    assert_eq!(p["code"], "invalid_status_change");
    let anna = app.token_for("anna").await;
    assert_eq!(app.get(&anna, "/api/v1/work-orders").await.status(), 403);
    let p = problem(app.get(&app.token_for("tekniker").await, "/api/v1/work-orders?kind=painting").await).await;
    assert_eq!(p["field"], "kind");
    let entry = json!({ "minutes": 0 });
    let p = problem(app.post_as("tekniker", &format!("/api/v1/work-orders/{id}/entries"), entry).await).await;
    assert_eq!(p["field"], "minutes");
}

async fn a_special_adaptation_blocks_delivery_until_the_prescriber_signs_it(app: TestApp) {
    let f = fixture_ordering::load(app.storage.as_ref()).await.unwrap();
    let order = order_wheelchair(&app, f.sven_pnr).await;
    let wo = json!({ "kind": "special_adaptation", "device_number": "D-0010", "description": "Förhöjt ryggstöd, svetsat fäste" });
    let id =
        app.post_as("tekniker", "/api/v1/work-orders", wo).await.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    assert_eq!(app.post_as("tekniker", &format!("/api/v1/work-orders/{id}/start"), json!({})).await.status(), 204);
    let doc = json!({ "title": "Riskbedömning D-0010", "content": "Ryggstödet förhöjs 12 cm med svetsat fäste. Risk: tippning bakåt; åtgärd: tippskydd." });
    let resp = app.post_as("tekniker", &format!("/api/v1/work-orders/{id}/adaptation-documents"), doc).await;
    assert_eq!(resp.status(), 201);
    let doc_id = resp.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();

    let p = problem(deliver(&app, order).await).await;
    assert_eq!((p["code"].as_str(), p["reason"].as_str()), (Some("device_blocked"), Some("adaptation_unsigned")));
    let picks = app.get_as("lager", "/api/v1/warehouses/1/pick-list").await;
    assert_eq!(picks[0]["blocked_reason"], "adaptation_unsigned");
    let p = problem(app.post_as("tekniker", &format!("/api/v1/work-orders/{id}/finish"), json!({})).await).await;
    assert_eq!(p["code"], "adaptation_unsigned");

    let read = app.get_as("anna", &format!("/api/v1/adaptation-documents/{doc_id}")).await;
    let sha = read["sha256"].as_str().unwrap().to_string();
    assert_eq!(read["valid_until"], "2026-12-23", "30 days to sign");
    let p = problem(
        app.post_as(
            "anna",
            &format!("/api/v1/adaptation-documents/{doc_id}/signature"),
            json!({ "sha256": "00ff", "password": PASSWORD }),
        )
        .await,
    )
    .await;
    assert_eq!((p["code"].as_str(), p["field"].as_str()), (Some("document_changed"), Some("sha256")));
    let p = problem(
        app.post_as(
            "lars",
            &format!("/api/v1/adaptation-documents/{doc_id}/signature"),
            json!({ "sha256": sha, "password": PASSWORD }),
        )
        .await,
    )
    .await;
    assert_eq!(p["code"], "not_your_prescription");
    app.clock.advance(Duration::days(29));
    let resp = app
        .post_as(
            "anna",
            &format!("/api/v1/adaptation-documents/{doc_id}/signature"),
            json!({ "sha256": sha, "password": PASSWORD }),
        )
        .await;
    assert_eq!(resp.status(), 204);
    let card = app.storage.device_card("D-0010").await.unwrap().unwrap();
    assert!(card.special_adapted && card.ce_marking_void, "a Specialanpassad produkt, CE marking void");
    assert_eq!(card.blocked_reason, None);
    assert_eq!(card.events.last().unwrap().kind.as_str(), "adaptation_signed");
    assert!(
        card.events.last().unwrap().note.as_deref().unwrap().contains(&sha),
        "the signature names the document's hash"
    );
    check_all(&app, id).await;
    assert_eq!(app.post_as("tekniker", &format!("/api/v1/work-orders/{id}/finish"), json!({})).await.status(), 204);
    assert_eq!(deliver(&app, order).await.status(), 200);
    let docs = app.storage.adaptation_documents_for_device(card.device.id).await.unwrap();
    assert_eq!(docs[0].signed_by, Some(app.fixture.prescriber), "archived with the device, signed");
}

async fn an_adaptation_not_signed_within_thirty_days_cannot_be_signed(app: TestApp) {
    let f = fixture_ordering::load(app.storage.as_ref()).await.unwrap();
    order_wheelchair(&app, f.sven_pnr).await;
    let wo = json!({ "kind": "special_adaptation", "device_number": "D-0010", "description": "Anpassad armstödshöjd" });
    let id =
        app.post_as("tekniker", "/api/v1/work-orders", wo).await.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let doc = json!({ "title": "Riskbedömning", "content": "Armstöden höjs 5 cm med distanser. Risk: ingen ny." });
    let doc_id = app
        .post_as("tekniker", &format!("/api/v1/work-orders/{id}/adaptation-documents"), doc)
        .await
        .json::<Value>()
        .await
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let sha = app.get_as("anna", &format!("/api/v1/adaptation-documents/{doc_id}")).await["sha256"]
        .as_str()
        .unwrap()
        .to_string();
    app.clock.advance(Duration::days(31));
    let p = problem(
        app.post_as(
            "anna",
            &format!("/api/v1/adaptation-documents/{doc_id}/signature"),
            json!({ "sha256": sha, "password": PASSWORD }),
        )
        .await,
    )
    .await;
    assert_eq!(p["code"], "signing_window_passed");
    assert_eq!(
        app.storage.device_card("D-0010").await.unwrap().unwrap().blocked_reason.as_deref(),
        Some("adaptation_unsigned")
    );
}

async fn a_safety_notice_finds_every_device_blocks_stock_and_follows_the_recalls(app: TestApp) {
    let f = fixture_ordering::load(app.storage.as_ref()).await.unwrap();
    let notice = json!({ "reference": "FSN-2026-014", "title": "Bromsvajer kan lossna", "article_numbers": ["R-100"] });
    let resp = app.post_as("lager", "/api/v1/safety-notices", notice.clone()).await;
    assert_eq!(resp.status(), 201);
    let id = resp.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let detail = app.get_as("lager", &format!("/api/v1/safety-notices/{id}")).await;
    let devices = detail["devices"].as_array().unwrap();
    let places: Vec<(&str, &str)> =
        devices.iter().map(|d| (d["device_number"].as_str().unwrap(), d["state"].as_str().unwrap())).collect();
    assert_eq!(
        places,
        vec![
            ("D-0001", "with_patient"),
            ("D-0002", "in_stock"),
            ("D-0003", "in_stock"),
            (f.sven_rollator, "with_patient")
        ]
    );
    assert_eq!(devices[1]["warehouse_name"], "Centrallager Hjälpmedelscentralen");
    assert_eq!((detail["notice"]["affected"].as_i64(), detail["notice"]["handled"].as_i64()), (Some(4), Some(0)));

    // Affected stock does not go out.
    let line = json!({ "personal_id": f.sven_pnr, "article_number": "R-100" });
    let p = problem(app.post_as("anna", "/api/v1/cart/items", line.clone()).await).await;
    assert_eq!(p["code"], "no_longer_available");
    let recall = devices[1]["work_order_id"].as_i64().unwrap();
    do_work(&app, recall).await;
    let item: Value = app.post_as("anna", "/api/v1/cart/items", line).await.json().await.unwrap();
    assert_eq!(item["device_number"], "D-0002", "handled, so it may go out again");
    let list = app.get_as("lager", "/api/v1/safety-notices").await;
    assert_eq!((list[0]["affected"].as_i64(), list[0]["handled"].as_i64()), (Some(4), Some(1)));
    let p = problem(app.post_as("lager", "/api/v1/safety-notices", notice).await).await;
    assert_eq!((p["code"].as_str(), p["field"].as_str()), (Some("reference_taken"), Some("reference")));
    let card = app.storage.device_card("D-0003").await.unwrap().unwrap();
    assert_eq!(card.blocked_reason.as_deref(), Some("safety_notice"));
}

async fn a_device_reserved_for_an_order_is_not_delivered_once_a_safety_notice_concerns_it(app: TestApp) {
    let f = fixture_ordering::load(app.storage.as_ref()).await.unwrap();
    let order = order_wheelchair(&app, f.sven_pnr).await;
    let notice = json!({ "reference": "FSN-2026-020", "title": "Hjulaxel kan brista", "article_numbers": ["W-200"] });
    assert_eq!(app.post_as("lager", "/api/v1/safety-notices", notice).await.status(), 201);
    let p = problem(deliver(&app, order).await).await;
    assert_eq!((p["code"].as_str(), p["reason"].as_str()), (Some("device_blocked"), Some("safety_notice")));
    assert_eq!(state_of(&app, "D-0010").await, "reserved", "refused whole: still reserved for the order");
    let order_now = app.get_as("anna", &format!("/api/v1/orders/{order}")).await;
    assert_eq!(order_now["status"], "picked", "the refused delivery changed nothing: still picked");
}

ramp_testkit::on_both_engines!(
    a_device_reserved_for_an_order_is_not_delivered_once_a_safety_notice_concerns_it,
    receiving_registers_devices_one_by_one_and_consumables_by_count,
    the_pick_list_shows_what_to_pick_by_route_and_promised_date,
    a_returned_device_is_inspected_reconditioned_and_goes_out_first_again,
    a_device_past_its_service_life_is_flagged_at_inspection_and_can_be_scrapped,
    the_technicians_queue_takes_a_fault_report_from_open_to_done,
    a_special_adaptation_blocks_delivery_until_the_prescriber_signs_it,
    an_adaptation_not_signed_within_thirty_days_cannot_be_signed,
    a_safety_notice_finds_every_device_blocks_stock_and_follows_the_recalls,
);
