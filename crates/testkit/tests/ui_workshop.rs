//! The workshop of issue 19 in real Chromium, on both engines: a
//! technician creates a repair work order from the device page, is warned
//! beside the field about a part out of stock, confirms it, records time
//! and parts, is refused finishing with an unchecked checklist item and
//! then closes the order; a prescriber signs an adaptation with her
//! password again (a wrong one first) and the inbox tells the warehouse.
//! axe-core on every page.

use ramp_storage::fixture_ordering;
use ramp_testkit::browser::Browser;
use ramp_testkit::TestApp;
use serde_json::{json, Value};

async fn log_out(b: &Browser) {
    b.click(&b.by_text("button", "Logga ut").await).await;
    b.wait_for_text("Användarnamn").await;
}

async fn api(app: &TestApp, who: &str, path: &str, body: Value) -> Value {
    let token = app.token_for(who).await;
    let resp = app.post_json(&token, path, &body).await;
    assert!(resp.status().is_success(), "{path}: {}", resp.status());
    resp.json().await.unwrap_or(Value::Null)
}

/// The rollator R-100's parts: RD-110 with 5 in stock, RD-111 with none.
async fn parts(app: &TestApp) {
    let part = |id, number: &str, name: &str| ramp_app::model::Article {
        id,
        article_number: number.into(),
        iso_code: ramp_domain::ids::IsoCode::parse("120606").unwrap(),
        gtin: None,
        name: name.into(),
        supplier_id: 1,
        supplier_name: "Etac Sverige AB".into(),
        purchase_price_ore: 12_000,
        monthly_rent_ore: 0,
        kind: ramp_domain::article::ArticleKind::SparePart,
        billing: ramp_domain::article::Billing::Sale,
        lead_time_class: ramp_domain::article::LeadTimeClass::Stock7,
        service_life_months: 24,
        reconditionable: false,
        product_area: "mobility".into(),
        valid_from: chrono::NaiveDate::from_ymd_opt(2022, 1, 1).unwrap(),
        valid_to: None,
    };
    let articles = [part(900, "RD-110", "Bromsvajer rollator"), part(901, "RD-111", "Framhjul rollator")];
    app.storage.insert_articles(&articles).await.unwrap();
    let receipt = json!({ "warehouse_id": 1, "reference": "IO-77",
        "consumables": [{ "article_number": "RD-110", "quantity": 5, "unit_price_ore": 12000 }] });
    api(app, "lager", "/api/v1/receipts", receipt).await;
    for p in ["RD-110", "RD-111"] {
        api(app, "tekniker", "/api/v1/models/R-100/spare-parts", json!({ "part_article_number": p })).await;
    }
}

async fn a_technician_creates_and_closes_a_repair_work_order_with_parts(app: TestApp) {
    let f = fixture_ordering::load(app.storage.as_ref()).await.unwrap();
    parts(&app).await;
    let b = Browser::start().await;
    b.log_in(&app, "tekniker").await;
    b.goto(&app.url(&format!("/devices/{}", f.sven_rollator))).await;
    b.wait_for_text("Skapa arbetsorder").await;
    b.assert_accessible("the device card for a technician").await;
    b.click(&b.by_text("a", "Skapa arbetsorder").await).await;
    b.wait_for_text("Ny arbetsorder").await;
    let device = b.labelled("Individnummer").await;
    assert_eq!(b.attribute(&device, "value").await.as_deref(), Some(f.sven_rollator), "filled in from the device");
    b.assert_accessible("the new work order form").await;
    b.type_into(&b.labelled("Typ").await, "Reparation").await;
    b.type_into(&b.labelled("Beskrivning").await, "Bromsen tar inte på vänster sida").await;
    b.click(&b.by_text("button", "Skapa arbetsorder").await).await;
    b.wait_for_text("Arbetsordern är skapad.").await;
    b.assert_accessible("a created work order").await;
    let text = b.page_text().await;
    assert!(text.contains("Bromsvajer rollator") && text.contains("Slut i lager"), "the model's parts: {text}");
    b.click(&b.by_text("button", "Starta").await).await;
    b.wait_for_text("Arbetsordern är startad.").await;

    // A part out of stock: the warning beside the field, then confirmed.
    b.type_into(&b.labelled("Tid (minuter)").await, "15").await;
    b.type_into(&b.labelled("Reservdel (artikelnummer)").await, "RD-111").await;
    b.click(&b.by_text("button", "Registrera").await).await;
    b.wait_for_text("Delen finns inte i lager.").await;
    let part = b.find("#part_article_number").await;
    assert_eq!(b.attribute(&part, "aria-invalid").await.as_deref(), Some("true"));
    b.assert_accessible("the zero-stock warning").await;
    b.click(&b.labelled("Registrera ändå, trots att delen saknas i lager").await).await;
    b.click(&b.by_text("button", "Registrera").await).await;
    b.wait_for_text("Tid och delar registrerade.").await;
    b.type_into(&b.labelled("Tid (minuter)").await, "30").await;
    b.type_into(&b.labelled("Reservdel (artikelnummer)").await, "RD-110").await;
    b.type_into(&b.labelled("Antal delar").await, "1").await;
    b.click(&b.by_text("button", "Registrera").await).await;
    b.wait_for_text("Tid och delar registrerade.").await;

    // The checklist blocks finishing, naming the item; checked off, the order closes.
    b.type_into(&b.labelled("Resultat").await, "Bromsvajer bytt").await;
    b.click(&b.by_text("button", "Avsluta").await).await;
    b.wait_for_text("bocka av \"Felet åtgärdat och funktionstestat\"").await;
    b.assert_accessible("a finish refused by the checklist").await;
    b.click(&b.find("form[action$='/checklist'] button").await).await;
    b.wait_for_text("Punkten är avbockad.").await;
    assert!(b.page_text().await.contains("Tore Tekniker"), "who checked it");
    b.type_into(&b.labelled("Resultat").await, "Bromsvajer bytt").await;
    b.click(&b.by_text("button", "Avsluta").await).await;
    b.wait_for_text("Arbetsordern är avslutad.").await;
    b.assert_accessible("the closed repair").await;
    b.quit().await;
    let done = app.storage.work_orders(Some(ramp_domain::work_order::WorkOrderStatus::Done), None, 10).await.unwrap();
    assert_eq!((done.len(), done[0].minutes, done[0].outcome.as_deref()), (1, 45, Some("Bromsvajer bytt")));
    let entries = app.storage.work_entries(done[0].id).await.unwrap();
    let parts: Vec<_> = entries.iter().map(|e| (e.part_article_number.clone().unwrap(), e.without_stock)).collect();
    assert_eq!(parts, [("RD-111".to_string(), true), ("RD-110".to_string(), false)]);
}

async fn a_prescriber_signs_an_adaptation_with_her_password_again(app: TestApp) {
    let f = fixture_ordering::load(app.storage.as_ref()).await.unwrap();
    let line = json!({ "personal_id": f.sven_pnr, "article_number": "W-200", "replacement": "decline" });
    api(&app, "anna", "/api/v1/cart/items", line).await;
    let form = json!({ "personal_id": f.sven_pnr, "goal": "Förflyttning", "evaluation_date": "2027-03-01" });
    api(&app, "anna", "/api/v1/orders", form).await;
    let wo = json!({ "kind": "special_adaptation", "device_number": "D-0010", "description": "Förhöjt ryggstöd" });
    let id = api(&app, "tekniker", "/api/v1/work-orders", wo).await["id"].as_i64().unwrap();
    let doc = json!({ "title": "Anpassning D-0010", "fields": {
        "patient_need": "Behöver högre ryggstöd", "changes_made": "Ryggstödet förhöjt 12 cm",
        "risk_assessment": "Tippning bakåt; tippskydd monterat", "follow_up_on": "2027-01-15" } });
    api(&app, "tekniker", &format!("/api/v1/work-orders/{id}/adaptation-documents"), doc).await;

    let b = Browser::start().await;
    b.log_in(&app, "anna").await;
    b.goto(&app.url("/devices/D-0010")).await;
    b.wait_for_text("Godkänn och signera").await;
    let text = b.page_text().await;
    assert!(text.contains("Patientens behov") && text.contains("Tippning bakåt; tippskydd monterat"), "{text}");
    b.assert_accessible("the structured adaptation to sign").await;
    b.type_into(&b.labelled("Ditt lösenord").await, "fel-lösen-123").await;
    b.click(&b.by_text("button", "Godkänn och signera").await).await;
    b.wait_for_text("Fel lösenord. Dokumentet är inte signerat.").await;
    let password = b.labelled("Ditt lösenord").await;
    assert_eq!(b.attribute(&password, "aria-invalid").await.as_deref(), Some("true"));
    b.assert_accessible("a signature refused for a wrong password").await;
    b.type_into(&b.labelled("Ditt lösenord").await, ramp_storage::fixture::PASSWORD).await;
    b.click(&b.by_text("button", "Godkänn och signera").await).await;
    b.wait_for_text("Specialanpassningen är godkänd och signerad.").await;
    assert!(b.page_text().await.contains("Specialanpassad produkt"));
    b.assert_accessible("the signed adaptation").await;
    log_out(&b).await;

    b.log_in(&app, "lager").await;
    b.goto(&app.url("/inbox")).await;
    b.wait_for_text("Specialanpassningen är signerad för hjälpmedel D-0010").await;
    b.assert_accessible("the warehouse's inbox with the signed adaptation").await;
    b.quit().await;
}

/// A multipart form of a CSRF token and one file, as a browser posts it.
fn multipart(csrf: &str, name: &str, file: &[u8]) -> (String, Vec<u8>) {
    let boundary = "----rampboundary7MA4YWxkTrZu0gW";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n--{boundary}\r\n\
         Content-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn the_attachment_form_reads_the_file_only_after_its_csrf_token_and_refuses_other_types_beside_the_field(
    app: TestApp,
) {
    let f = fixture_ordering::load(app.storage.as_ref()).await.unwrap();
    let wo = json!({ "kind": "repair", "device_number": f.sven_rollator, "description": "Bromsen tar inte" });
    let id = api(&app, "tekniker", "/api/v1/work-orders", wo).await["id"].as_i64().unwrap();
    let (client, csrf, _) = app.ui_logged_in("tekniker").await;
    let url = app.url(&format!("/workshop/{id}/attachments"));
    let pdf = b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec();
    let (kind, body) = multipart("forged", "kvitto.pdf", &pdf);
    let resp = client.post(&url).header("content-type", kind).body(body).send().await.unwrap();
    assert_eq!(resp.status(), 403);
    assert!(resp.text().await.unwrap().contains("Formuläret har gått ut."));
    let (kind, body) = multipart(&csrf, "bild.png", b"GIF89a not a png");
    let resp = client.post(&url).header("content-type", kind).body(body).send().await.unwrap();
    assert_eq!(resp.status(), 415);
    let html = resp.text().await.unwrap();
    assert!(
        html.contains("id=\"file-error\"") && html.contains("Bifoga foton (JPEG, PNG) eller PDF-dokument."),
        "{html}"
    );
    let (kind, body) = multipart(&csrf, "kvitto från leverantör.pdf", &pdf);
    let resp = client.post(&url).header("content-type", kind).body(body).send().await.unwrap();
    assert_eq!(resp.status(), 303);
    let html =
        client.get(app.url(&format!("/workshop/{id}?done=attachment"))).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Filen är bifogad.") && html.contains("kvitto_fr"), "{html}");
}

ramp_testkit::on_both_engines!(
    a_technician_creates_and_closes_a_repair_work_order_with_parts,
    a_prescriber_signs_an_adaptation_with_her_password_again,
    the_attachment_form_reads_the_file_only_after_its_csrf_token_and_refuses_other_types_beside_the_field,
);
