//! Goods in in real Chromium (issue 19): a mixed delivery received by
//! scanning — a keyboard-wedge scanner types each code and Enter into the
//! focused "Skanna" field — then stock shows it with its batch; a purchase
//! order created in the form. axe-core on every page. And over plain HTTP
//! (no JavaScript): the scan field's Enter posts the form, which comes
//! back with the row added.

use ramp_domain::Term;
use ramp_storage::{fixture_ordering, Article};
use ramp_testkit::browser::{Browser, ENTER};
use ramp_testkit::TestApp;

const ROLLATOR_GTIN: &str = "07340001000016";
const PADS_GTIN: &str = "07340001000023";

/// Two articles with GTINs on their labels: a rollator (tracked one by
/// one) and a pack of pads (counted).
async fn labelled_articles(app: &TestApp) {
    let copy = |a: Article, id: i64, number: &str, gtin: &str, name: &str| Article {
        id,
        article_number: number.into(),
        gtin: Some(gtin.into()),
        name: name.into(),
        ..a
    };
    let rollator = app.storage.article_by_number("R-200").await.unwrap().unwrap();
    let pads = app.storage.article_by_number("K-600").await.unwrap().unwrap();
    app.storage
        .insert_articles(&[
            copy(rollator, 900, "R-900", ROLLATOR_GTIN, "Rollator Skanna"),
            copy(pads, 901, "K-901", PADS_GTIN, "Förband Skanna"),
        ])
        .await
        .unwrap();
}

/// Scans one code as a wedge scanner does: the characters and Enter into
/// the focused scan field; waits until the live region says `then`.
async fn scan(b: &Browser, code: &str, then: &str) {
    let field = b.find("#scan").await;
    b.type_into(&field, &format!("{code}{ENTER}")).await;
    for _ in 0..100 {
        let said = b.text(&b.find("#scan-status").await).await;
        if said.contains(then) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("after scanning {code} the live region never said '{then}'");
}

async fn the_warehouse_receives_a_mixed_delivery_by_scanning_and_sees_it_in_stock(app: TestApp) {
    fixture_ordering::load(app.storage.as_ref()).await.unwrap();
    labelled_articles(&app).await;
    let b = Browser::start().await;
    b.log_in(&app, "lager").await;
    b.goto(&app.url("/desk/receive")).await;
    b.wait_for_text("Skanna").await;
    assert_eq!(b.focused().await["id"], "scan", "the scan field has focus for the scanner");
    b.assert_accessible("the receiving form with its scan field").await;

    b.type_into(&b.labelled("Följesedelsnummer").await, "FS-55501").await;
    scan(&b, ROLLATOR_GTIN, "Rollator Skanna: skanna serienumren").await;
    scan(&b, "SER-0001", "Tillagd: individ med serienummer SER-0001").await;
    scan(&b, "SER-0002", "Tillagd: individ med serienummer SER-0002").await;
    scan(&b, PADS_GTIN, "Förband Skanna: Antal nu 1").await;
    scan(&b, PADS_GTIN, "Förband Skanna: Antal nu 2").await;
    scan(&b, PADS_GTIN, "Förband Skanna: Antal nu 3").await;
    // A serial scanned twice is refused beside the field and announced.
    scan(&b, "SER-0001", "redan skannat").await;
    assert_eq!(b.focused().await["id"], "scan", "focus stays in the scan field between scans");
    let row = b.find("[id='devices[1].serial']").await;
    assert_eq!(b.attribute(&row, "value").await.as_deref(), Some("SER-0002"));
    assert_eq!(b.attribute(&b.find("[id='devices[1].article_number']").await, "value").await.as_deref(), Some("R-900"));
    assert_eq!(b.attribute(&b.find("[id='consumables[0].quantity']").await, "value").await.as_deref(), Some("3"));
    let supplier = b.execute("return document.getElementById('supplier_id').value;", serde_json::json!([])).await;
    assert_eq!(supplier, "1", "the scanned article's supplier is filled in");
    b.assert_accessible("the receiving form after scanning").await;

    b.type_into(&b.find("[id='consumables[0].batch']").await, "LOT-7").await;
    b.set_value(&b.find("[id='consumables[0].expiry_date']").await, "2028-03-31").await;
    b.click(&b.by_text("button", "Registrera inleverans").await).await;
    b.wait_for_text("Inleverans registrerad").await;
    b.assert_accessible("the receiving form after the receipt").await;
    let card = app.storage.device_card("SER-0001").await.unwrap().unwrap();
    assert_eq!((card.device.state.as_str(), card.device.serial.as_deref()), ("in_stock", Some("SER-0001")));
    assert_eq!(card.events[0].note.as_deref(), Some("FS-55501"));
    let stock = app.storage.on_hand(1).await.unwrap();
    let of = |n: &str| stock.iter().find(|l| l.article_number == n).map(|l| l.on_hand);
    assert_eq!((of("R-900"), of("K-901")), (Some(2), Some(3)));

    // Stock: on hand with the batch and its expiry; a threshold set in the form.
    b.click(&b.by_text("a", "Lager").await).await;
    b.wait_for_text("Förbrukningsartiklar per batch").await;
    let text = b.page_text().await;
    assert!(text.contains("LOT-7") && text.contains("2028-03-31"), "{text}");
    b.assert_accessible("the stock page with batches").await;
    b.type_into(&b.labelled("Artikelnummer").await, "R-900").await;
    b.type_into(&b.labelled("Beställningspunkt").await, "5").await;
    b.click(&b.by_text("button", "Sätt beställningspunkt").await).await;
    b.wait_for_text("Beställningspunkten är sparad.").await;
    b.wait_for_text("Artiklar under beställningspunkten").await;
    b.assert_accessible("the stock page with an article below its threshold").await;

    // A purchase order suggested from the threshold: 5 wanted, 2 on hand, 3 to order.
    let link = "Föreslå inköpsorder (R-900, Centrallager Hjälpmedelscentralen)";
    b.click(&b.by_text("a", link).await).await;
    b.wait_for_text("Ny inköpsorder").await;
    b.assert_accessible("the purchase orders page with a suggestion").await;
    assert_eq!(b.attribute(&b.find("[id='lines[0].article_number']").await, "value").await.as_deref(), Some("R-900"));
    assert_eq!(b.attribute(&b.find("[id='lines[0].quantity']").await, "value").await.as_deref(), Some("3"));
    b.click(&b.by_text("button", "Skapa inköpsorder").await).await;
    b.wait_for_text("Ange ett datum.").await;
    let date = b.labelled("Väntas").await;
    assert_eq!(b.attribute(&date, "aria-invalid").await.as_deref(), Some("true"));
    b.assert_accessible("the purchase order form with an error beside the date").await;
    b.set_value(&date, "2026-12-15").await;
    b.click(&b.by_text("button", "Skapa inköpsorder").await).await;
    b.wait_for_text("Inköpsorder skapad").await;
    b.wait_for_text("Rollator Skanna").await;
    b.assert_accessible("the purchase orders page with an open order").await;
    let orders = app.storage.purchase_orders(true).await.unwrap();
    assert_eq!((orders[0].lines[0].article_number.as_str(), orders[0].lines[0].ordered), ("R-900", 3));
    b.quit().await;
}

async fn without_javascript_the_scan_field_posts_the_form_and_it_returns_with_the_row(app: TestApp) {
    fixture_ordering::load(app.storage.as_ref()).await.unwrap();
    labelled_articles(&app).await;
    let (client, csrf) = app.ui_session("lager").await;
    let post = |form: Vec<(&'static str, String)>| {
        let client = client.clone();
        let url = app.url("/desk/receive");
        async move { client.post(url).form(&form).send().await.unwrap() }
    };
    let base = |scan: &str, scan_article: &str| {
        vec![
            ("csrf", csrf.clone()),
            ("warehouse_id", "1".to_string()),
            ("delivery_note", "FS-1".to_string()),
            ("scan_article", scan_article.to_string()),
            ("scan", scan.to_string()),
            ("scan_do", "1".to_string()),
        ]
    };
    let page = post(base(ROLLATOR_GTIN, "")).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains(r#"name="scan_article" value="R-900""#), "serial scanning starts for R-900");
    let page = post(base("SER-9", "R-900")).await;
    let html = page.text().await.unwrap();
    assert!(html.contains(r#"id="devices[0].serial" name="devices[0].serial" type="text" value="SER-9""#), "{html}");
    assert!(html.contains("Tillagd: individ med serienummer SER-9"), "the live region says what was added");
    // The GS1-128 label Ramp prints (AI 01, with the scanner's `]C1`) names the same article.
    let page = post(base(&format!("]C101{ROLLATOR_GTIN}"), "")).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains(r#"name="scan_article" value="R-900""#), "a GS1-128 scan starts serial scanning too");
    let page = post(base("NO-SUCH-CODE", "")).await;
    assert_eq!(page.status(), 422);
    let html = page.text().await.unwrap();
    assert!(html.contains("scan-error") && html.contains("Ingen artikel har den koden"), "{html}");
}

ramp_testkit::on_both_engines!(
    the_warehouse_receives_a_mixed_delivery_by_scanning_and_sees_it_in_stock,
    without_javascript_the_scan_field_posts_the_form_and_it_returns_with_the_row,
);
