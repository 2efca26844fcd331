//! Issue 19 acceptance in real Chromium: "pick a route's list, print it
//! (PDF non-empty, barcodes decode with a decoder in the test), deliver by
//! scanning … with axe 0 serious/critical". A keyboard-wedge scanner types
//! the code and Enter into the focused field: the test does the same.

use ramp_storage::{fixture_ordering, UnitAddress, UnitDelivery};
use ramp_testkit::browser::{Browser, ENTER};
use ramp_testkit::TestApp;
use serde_json::{json, Value};

const ROUTE: &str = "Rutt 3, tisdagar";

/// Anna orders for Sven to his home; returns the order id.
async fn order(app: &TestApp, pnr: &str, articles: &[&str]) -> i64 {
    let token = app.token_for("anna").await;
    for a in articles {
        let line = json!({ "personal_id": pnr, "article_number": a, "replacement": "decline" });
        assert_eq!(app.post_json(&token, "/api/v1/cart/items", &line).await.status(), 201);
    }
    let form = json!({ "personal_id": pnr, "goal": "Förflyttning", "evaluation_date": "2027-03-01",
        "delivery": { "address": "Storgatan 1, 171 45 Solna", "contact_name": "Sven", "contact_phone": "0701234567" } });
    let resp = app.post_json(&token, "/api/v1/orders", &form).await;
    assert_eq!(resp.status(), 201);
    resp.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}

/// The bytes of a link, fetched with the browser's session.
async fn download(b: &Browser, href: &str) -> Vec<u8> {
    let script = "var x = new XMLHttpRequest(); x.open('GET', arguments[0], false); \
        x.overrideMimeType('text/plain; charset=x-user-defined'); x.send(); \
        if (x.status !== 200) { return 'status ' + x.status; } \
        return Array.from(x.responseText, function (c) { return c.charCodeAt(0) & 255; });";
    let v = b.execute(script, json!([href])).await;
    let bytes = v.as_array().unwrap_or_else(|| panic!("{href}: {v}"));
    bytes.iter().map(|n| n.as_u64().unwrap() as u8).collect()
}

/// Scans `code` into the focused scan field, as a wedge scanner does.
async fn scan(b: &Browser, code: &str) {
    let field = b.labelled("Skanna streckkod").await;
    assert_eq!(b.focused().await["id"], "code", "the scan field has the focus when the page comes");
    b.type_into(&field, code).await;
    b.press(ENTER).await;
}

async fn the_warehouse_picks_a_routes_list_by_scanning_prints_it_and_delivers_by_scanning(app: TestApp) {
    let f = fixture_ordering::load(app.storage.as_ref()).await.unwrap();
    let address = UnitAddress {
        unit_id: app.fixture.vardcentral,
        street: "Solnavägen 3".into(),
        postal_code: "171 64".into(),
        city: "Solna".into(),
    };
    let rows = vec![(app.fixture.vardcentral, UnitDelivery { route: Some(ROUTE.into()), address: Some(address) })];
    app.storage.set_unit_deliveries(&rows).await.unwrap();
    let id = order(&app, f.sven_pnr, &["W-200", "R-200"]).await;
    let b = Browser::start().await;
    b.log_in(&app, "lager").await;

    // The route's list: grouped under the route and day, with the order's address.
    b.goto(&app.url("/desk/pick")).await;
    b.wait_for_text("Skanna streckkod").await;
    b.set_value(&b.labelled("Rutt").await, ROUTE).await;
    b.click(&b.by_text("button", "Visa").await).await;
    b.wait_for_text(&format!("{ROUTE} – ")).await;
    let text = b.page_text().await;
    assert!(text.contains("Storgatan 1, 171 45 Solna") && text.contains(&format!("ORD-{id}")), "{text}");
    b.assert_accessible("the route's pick list").await;
    let devices: Vec<String> = app
        .storage
        .pick_list(1, chrono::NaiveDate::from_ymd_opt(2027, 1, 31).unwrap())
        .await
        .unwrap()
        .into_iter()
        .filter(|l| l.order_id == id)
        .filter_map(|l| l.device_number)
        .collect();
    assert_eq!(devices.len(), 2);

    // Printed: a PDF whose barcodes a real decoder reads.
    let print = b.by_text("a", "Skriv ut plocklistan (PDF)").await;
    let href = b.attribute(&print, "href").await.unwrap();
    let pdf = download(&b, &href).await;
    assert!(pdf.len() > 1000 && pdf.starts_with(b"%PDF-"), "a PDF");
    let codes = ramp_testkit::barcodes::decode_pdf(&pdf);
    for expected in [format!("ORD-{id}"), devices[0].clone(), devices[1].clone(), "W-200".into(), "R-200".into()] {
        assert!(codes.contains(&expected), "{expected} not decoded from the pick list: {codes:?}");
    }

    // A wrong scan is named beside the field; then both devices, one by one.
    scan(&b, "D-9999").await;
    b.wait_for_text("Inget på plocklistan matchar den skannade koden.").await;
    let field = b.labelled("Skanna streckkod").await;
    assert_eq!(b.attribute(&field, "aria-invalid").await.as_deref(), Some("true"));
    b.assert_accessible("the pick list with a refused scan").await;
    scan(&b, &devices[0]).await;
    b.wait_for_text("Plockat: ").await;
    assert!(!b.page_text().await.contains("Hela ordern är plockad."));
    scan(&b, &devices[1]).await;
    b.wait_for_text("Hela ordern är plockad.").await;
    let status = b.find("#scan-result").await;
    assert!(b.text(&status).await.contains(&devices[1]), "announced in the live region");
    b.assert_accessible("the pick list after the last scan").await;
    assert_eq!(app.storage.order(id).await.unwrap().unwrap().status.to_string(), "picked");

    // At the door: the delivery note's code delivers the order.
    b.click(&b.by_text("a", "Leverera").await).await;
    b.wait_for_text("Registrera leverans").await;
    b.assert_accessible("the delivery scan page").await;
    b.type_into(&b.labelled("Mottagen av").await, "Sven Svensson").await;
    b.type_into(&b.labelled("Skanna streckkod").await, &format!("ORD-{id}")).await;
    b.press(ENTER).await;
    b.wait_for_text(&format!("Beställning {id} är levererad.")).await;
    b.assert_accessible("the delivery scan page after a delivery").await;
    let delivered = app.storage.order(id).await.unwrap().unwrap();
    assert_eq!(
        (delivered.status.to_string(), delivered.received_by.as_deref()),
        ("delivered".into(), Some("Sven Svensson"))
    );

    // The pickups by route.
    b.click(&b.by_text("a", "Hämtningar").await).await;
    b.wait_for_text("Hämtningar").await;
    b.assert_accessible("the pending pickups").await;
    b.quit().await;
}

ramp_testkit::on_both_engines!(the_warehouse_picks_a_routes_list_by_scanning_prints_it_and_delivers_by_scanning);
