//! The workshop at the level of the systems it replaces (issue 19), on
//! both engines: work orders created by hand, spare parts per model with
//! their stock and a refusal at zero unless confirmed, checklists per kind
//! that block finishing, attachments checked by their bytes, structured
//! adaptation documents with a PDF, and signing with the password again,
//! audited when wrong, notifying the prescriber and the warehouse.

use chrono::NaiveDate;
use ramp_app::model::Article;
use ramp_domain::article::{ArticleKind, Billing, LeadTimeClass};
use ramp_domain::ids::IsoCode;
use ramp_storage::fixture::PASSWORD;
use ramp_storage::fixture_ordering;
use ramp_testkit::{problem, TestApp};
use serde_json::{json, Value};

async fn create(app: &TestApp, kind: &str, device: &str) -> i64 {
    let body = json!({ "kind": kind, "device_number": device, "description": "Bromsen tar inte, kontrollera" });
    let resp = app.post_as("tekniker", "/api/v1/work-orders", body).await;
    assert_eq!(resp.status(), 201, "{kind}");
    resp.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}

async fn start(app: &TestApp, id: i64) {
    assert_eq!(app.post_as("tekniker", &format!("/api/v1/work-orders/{id}/start"), json!({})).await.status(), 204);
}

fn spare_part(id: i64, number: &str, name: &str) -> Article {
    Article {
        id,
        article_number: number.into(),
        iso_code: IsoCode::parse("120606").unwrap(),
        gtin: None,
        name: name.into(),
        supplier_id: 1,
        supplier_name: "Etac Sverige AB".into(),
        purchase_price_ore: 12_000,
        monthly_rent_ore: 0,
        kind: ArticleKind::SparePart,
        billing: Billing::Sale,
        lead_time_class: LeadTimeClass::Stock7,
        service_life_months: 24,
        reconditionable: false,
        product_area: "mobility".into(),
        valid_from: NaiveDate::from_ymd_opt(2022, 1, 1).unwrap(),
        valid_to: None,
    }
}

/// Two spare parts for the rollator R-100: a brake cable with 5 in stock, a wheel with none.
async fn parts(app: &TestApp) {
    let cable = spare_part(900, "RD-110", "Bromsvajer rollator");
    let wheel = spare_part(901, "RD-111", "Framhjul rollator");
    app.storage.insert_articles(&[cable, wheel]).await.unwrap();
    let receipt = json!({ "warehouse_id": 1, "reference": "IO-77",
        "consumables": [{ "article_number": "RD-110", "quantity": 5, "unit_price_ore": 12000 }] });
    assert_eq!(app.post_as("lager", "/api/v1/receipts", receipt).await.status(), 201);
    for part in ["RD-110", "RD-111"] {
        let body = json!({ "part_article_number": part });
        assert_eq!(app.post_as("tekniker", "/api/v1/models/R-100/spare-parts", body).await.status(), 204);
    }
}

async fn a_technician_creates_work_orders_of_each_kind_by_device_number(app: TestApp) {
    let f = fixture_ordering::load(app.storage.as_ref()).await.unwrap();
    for kind in ["repair", "maintenance", "recall", "special_adaptation"] {
        let id = create(&app, kind, f.sven_rollator).await;
        let detail = app.get_as("tekniker", &format!("/api/v1/work-orders/{id}")).await;
        assert_eq!((detail["order"]["kind"].as_str(), detail["order"]["status"].as_str()), (Some(kind), Some("open")));
        assert_eq!(detail["order"]["device_number"], f.sven_rollator);
    }
    let body =
        json!({ "kind": "reconditioning", "device_number": f.sven_rollator, "description": "Rekond av rollator" });
    let p = problem(app.post_as("tekniker", "/api/v1/work-orders", body).await).await;
    assert_eq!((p["code"].as_str(), p["field"].as_str()), (Some("invalid_value"), Some("kind")));
    let body = json!({ "kind": "repair", "device_number": "D-9999", "description": "Okänt hjälpmedel" });
    let p = problem(app.post_as("tekniker", "/api/v1/work-orders", body).await).await;
    assert_eq!((p["code"].as_str(), p["field"].as_str()), (Some("device_not_found"), Some("device_number")));
    let body = json!({ "kind": "repair", "device_number": f.sven_rollator, "description": "Förskrivaren försöker" });
    assert_eq!(app.post_as("anna", "/api/v1/work-orders", body).await.status(), 403);
}

async fn a_part_out_of_stock_is_refused_with_a_warning_unless_the_technician_confirms_it(app: TestApp) {
    let f = fixture_ordering::load(app.storage.as_ref()).await.unwrap();
    parts(&app).await;
    let list = app.get_as("lager", "/api/v1/models/R-100/spare-parts").await;
    assert_eq!(
        list,
        json!([
            { "article_number": "RD-110", "name": "Bromsvajer rollator", "stock": 5 },
            { "article_number": "RD-111", "name": "Framhjul rollator", "stock": 0 },
        ])
    );
    let id = create(&app, "repair", f.sven_rollator).await;
    start(&app, id).await;
    let detail = app.get_as("tekniker", &format!("/api/v1/work-orders/{id}")).await;
    assert_eq!(detail["spare_parts"].as_array().unwrap().len(), 2, "the work order shows the model's parts");

    let path = format!("/api/v1/work-orders/{id}/entries");
    let wheel = json!({ "minutes": 10, "part_article_number": "RD-111", "part_quantity": 1 });
    let p = problem(app.post_as("tekniker", &path, wheel.clone()).await).await;
    assert_eq!((p["code"].as_str(), p["field"].as_str()), (Some("part_out_of_stock"), Some("part_article_number")));
    assert_eq!(p["stock"], 0);
    let mut confirmed = wheel;
    confirmed["confirm_without_stock"] = json!(true);
    assert_eq!(app.post_as("tekniker", &path, confirmed).await.status(), 201);
    let cable = json!({ "minutes": 20, "part_article_number": "RD-110", "part_quantity": 2 });
    assert_eq!(app.post_as("tekniker", &path, cable).await.status(), 201);
    let too_many = json!({ "minutes": 5, "part_article_number": "RD-110", "part_quantity": 6 });
    let p = problem(app.post_as("tekniker", &path, too_many).await).await;
    assert_eq!(p["code"], "part_out_of_stock", "more than the stock is short too");

    let entries = app.get_as("tekniker", &format!("/api/v1/work-orders/{id}")).await["entries"].clone();
    let kept: Vec<_> = entries
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["part_article_number"].as_str().unwrap().to_string(), e["without_stock"].as_bool().unwrap()))
        .collect();
    assert_eq!(kept, [("RD-111".to_string(), true), ("RD-110".to_string(), false)]);
    let p = problem(
        app.post_as("anna", "/api/v1/models/R-100/spare-parts", json!({ "part_article_number": "RD-110" })).await,
    )
    .await;
    assert_eq!(p["code"], "role_required");
}

async fn a_work_order_is_not_finished_while_a_mandatory_checklist_item_is_unchecked(app: TestApp) {
    let f = fixture_ordering::load(app.storage.as_ref()).await.unwrap();
    let id = create(&app, "maintenance", f.sven_rollator).await;
    start(&app, id).await;
    let checklist = app.get_as("tekniker", &format!("/api/v1/work-orders/{id}")).await["checklist"].clone();
    let items = checklist.as_array().unwrap();
    assert_eq!(items.len(), 3, "the seeded periodic inspection: {checklist}");
    assert_eq!(items[2]["mandatory"], false);
    let finish = format!("/api/v1/work-orders/{id}/finish");
    let p = problem(app.post_as("tekniker", &finish, json!({})).await).await;
    assert_eq!((p["code"].as_str(), p["field"].as_str()), (Some("checklist_incomplete"), Some("checklist")));
    assert!(p["detail"].as_str().unwrap().contains("Periodisk besiktning"), "names the item: {p}");
    assert_eq!(p["item"], items[0]["label_sv"]);

    let check = |item: &Value| format!("/api/v1/work-orders/{id}/checklist/{}", item["item_id"]);
    assert_eq!(app.post_as("tekniker", &check(&items[0]), json!({})).await.status(), 204);
    let p = problem(app.post_as("tekniker", &finish, json!({})).await).await;
    assert!(p["detail"].as_str().unwrap().contains("Nödsänkning"), "the next unchecked item: {p}");
    assert_eq!(app.post_as("tekniker", &check(&items[1]), json!({})).await.status(), 204);
    assert_eq!(
        app.post_as("tekniker", &check(&items[1]), json!({})).await.status(),
        204,
        "checking again changes nothing"
    );
    let wrong = format!("/api/v1/work-orders/{id}/checklist/1");
    let p = problem(app.post_as("tekniker", &wrong, json!({})).await).await;
    assert_eq!(p["code"], "checklist_item_refused", "an item of reconditioning is not on a maintenance order");

    let checked = app.get_as("tekniker", &format!("/api/v1/work-orders/{id}")).await["checklist"].clone();
    assert_eq!(checked[0]["checked_by_name"], "Tore Tekniker");
    assert!(checked[0]["checked_at"].is_string() && checked[2]["checked_at"].is_null());
    assert_eq!(
        app.post_as("tekniker", &finish, json!({ "outcome": "Besiktigad" })).await.status(),
        204,
        "the optional item may stay"
    );
}

/// A PNG of one pixel.
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0\x90wS\xde\0\0\0\x0cIDATx\x9cc\xf8\x0f\0\0\x01\x01\0\x05\x18\xd8N\0\0\0\0IEND\xaeB`\x82";

async fn attachments_are_checked_by_their_bytes_limited_in_size_and_served_as_downloads(app: TestApp) {
    let f = fixture_ordering::load(app.storage.as_ref()).await.unwrap();
    let id = create(&app, "repair", f.sven_rollator).await;
    let token = app.token_for("tekniker").await;
    let upload = |name: &str, body: Vec<u8>| {
        let path = format!("/api/v1/work-orders/{id}/attachments?filename={name}");
        let token = token.clone();
        let app = &app;
        async move { app.post_raw(&token, &path, "application/octet-stream", body).await }
    };
    let resp = upload("..%2F..%2Fbroms%20bild.exe", PNG.to_vec()).await;
    assert_eq!(resp.status(), 201);
    let attachment = resp.json::<Value>().await.unwrap()["id"].as_i64().unwrap();

    let resp = app.get(&token, &format!("/api/v1/work-orders/{id}/attachments/{attachment}")).await;
    assert_eq!(resp.status(), 200);
    let h = resp.headers();
    assert_eq!(h["content-type"], "image/png", "the type the bytes are, not the name's");
    assert_eq!(h["content-disposition"], "attachment; filename=\"broms_bild.png\"");
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(resp.bytes().await.unwrap().as_ref(), PNG);
    let listed = app.get_as("tekniker", &format!("/api/v1/work-orders/{id}")).await["attachments"].clone();
    assert_eq!(
        (listed[0]["filename"].as_str(), listed[0]["size_bytes"].as_i64()),
        (Some("broms_bild.png"), Some(PNG.len() as i64))
    );

    let resp = upload("bild.png", b"<html><script>alert(1)</script></html>".to_vec()).await;
    assert_eq!(resp.status(), 415);
    assert_eq!(resp.headers()["content-type"], "application/problem+json");
    let p: Value = resp.json().await.unwrap();
    assert_eq!((p["code"].as_str(), p["field"].as_str()), (Some("attachment_type"), Some("file")));
    let mut big = b"%PDF-1.7\n".to_vec();
    big.resize(10 * 1024 * 1024 + 1, b' ');
    let resp = upload("stor.pdf", big).await;
    assert_eq!(resp.status(), 413);
    let p: Value = resp.json().await.unwrap();
    assert_eq!((p["code"].as_str(), p["field"].as_str()), (Some("attachment_too_large"), Some("file")));
    assert_eq!(upload("tom.pdf", vec![]).await.status(), 422);
    let anna = app.token_for("anna").await;
    assert_eq!(app.get(&anna, &format!("/api/v1/work-orders/{id}/attachments/{attachment}")).await.status(), 403);
}

fn fields() -> Value {
    json!({ "patient_need": "Sitter snett och glider fram i stolen",
            "measurements": "Sitsbredd 42 cm, ryggstöd 48 cm",
            "changes_made": "Bålstöd monterat på vänster sida, ryggstödet förhöjt 12 cm",
            "materials": "Bålstöd Etac, distanser i aluminium",
            "risk_assessment": "Tippning bakåt; åtgärd: tippskydd monterat och provat",
            "follow_up_on": "2027-01-15" })
}

/// Anna's order of D-0010, a special-adaptation work order with a structured document: (work order, document id).
async fn documented(app: &TestApp, pnr: &str) -> (i64, String) {
    let line = json!({ "personal_id": pnr, "article_number": "W-200", "replacement": "decline" });
    assert_eq!(app.post_as("anna", "/api/v1/cart/items", line).await.status(), 201);
    let form = json!({ "personal_id": pnr, "goal": "Förflyttning", "evaluation_date": "2027-03-01" });
    assert_eq!(app.post_as("anna", "/api/v1/orders", form).await.status(), 201);
    let id = create(app, "special_adaptation", "D-0010").await;
    let mut missing = fields();
    missing["risk_assessment"] = json!("");
    let path = format!("/api/v1/work-orders/{id}/adaptation-documents");
    let p =
        problem(app.post_as("tekniker", &path, json!({ "title": "Anpassning D-0010", "fields": missing })).await).await;
    assert_eq!((p["code"].as_str(), p["field"].as_str()), (Some("required"), Some("risk_assessment")));
    let resp = app.post_as("tekniker", &path, json!({ "title": "Anpassning D-0010", "fields": fields() })).await;
    assert_eq!(resp.status(), 201);
    (id, resp.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string())
}

async fn an_adaptation_document_has_structured_fields_and_a_pdf_with_its_text(app: TestApp) {
    let f = fixture_ordering::load(app.storage.as_ref()).await.unwrap();
    let (id, doc) = documented(&app, f.sven_pnr).await;
    let read = app.get_as("anna", &format!("/api/v1/adaptation-documents/{doc}")).await;
    assert_eq!(read["fields"]["measurements"], "Sitsbredd 42 cm, ryggstöd 48 cm");
    assert_eq!(read["fields"]["follow_up_on"], "2027-01-15");
    let content = read["content"].as_str().unwrap();
    assert!(content.starts_with("Patientens behov:\nSitter snett") && content.contains("Uppföljning: 2027-01-15"));
    assert_eq!(read["sha256"].as_str().unwrap(), ramp_app::supply::sha256_hex(content), "the hash covers every field");

    let token = app.token_for("anna").await;
    let resp = app.get(&token, &format!("/api/v1/adaptation-documents/{doc}/pdf")).await;
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "application/pdf");
    assert_eq!(resp.headers()["content-disposition"], format!("attachment; filename=\"anpassningsdokument-{id}.pdf\""));
    let pdf = resp.bytes().await.unwrap();
    assert!(pdf.starts_with(b"%PDF-") && pdf.len() > 1000, "a PDF of {} bytes", pdf.len());
    let shown = ramp_web::pdf::text_of(&pdf);
    for text in ["Patientens behov", "Bålstöd monterat på vänster sida", "Riskbedömning", "D-0010", "Ej signerat"]
    {
        assert!(shown.contains(text), "the PDF's content says '{text}':\n{shown}");
    }
    let lars = app.token_for("lars").await;
    assert_eq!(app.get(&lars, &format!("/api/v1/adaptation-documents/{doc}/pdf")).await.status(), 403);
}

async fn signing_an_adaptation_asks_for_the_password_again_and_notifies_the_prescriber_and_the_warehouse(app: TestApp) {
    let f = fixture_ordering::load(app.storage.as_ref()).await.unwrap();
    let (id, doc) = documented(&app, f.sven_pnr).await;
    let sha = app.get_as("anna", &format!("/api/v1/adaptation-documents/{doc}")).await["sha256"]
        .as_str()
        .unwrap()
        .to_string();
    let sign = format!("/api/v1/adaptation-documents/{doc}/signature");

    let p = problem(app.post_as("anna", &sign, json!({ "sha256": sha })).await).await;
    assert_eq!((p["code"].as_str(), p["field"].as_str()), (Some("required"), Some("password")));
    let p = problem(app.post_as("anna", &sign, json!({ "sha256": sha, "password": "fel-lösen-123" })).await).await;
    assert_eq!((p["code"].as_str(), p["field"].as_str()), (Some("wrong_password"), Some("password")));
    let audit = app.storage.audit_recent(50).await.unwrap();
    let refused: Vec<_> = audit.iter().filter(|a| a.action == "adaptation.sign.reauth_refused").collect();
    assert_eq!(refused.len(), 1, "the wrong password is audited");
    assert_eq!(refused[0].user_id, app.fixture.prescriber);
    assert!(refused[0].detail.as_deref().unwrap().contains(&doc));
    let card = app.storage.device_card("D-0010").await.unwrap().unwrap();
    assert_eq!(card.blocked_reason.as_deref(), Some("adaptation_unsigned"), "not signed");

    assert_eq!(app.post_as("anna", &sign, json!({ "sha256": sha, "password": PASSWORD })).await.status(), 204);
    let read = app.get_as("anna", &format!("/api/v1/adaptation-documents/{doc}")).await;
    assert_eq!(
        (read["signed_by"].as_i64(), read["signed_via"].as_str()),
        (Some(app.fixture.prescriber), Some("password"))
    );
    let p = problem(app.post_as("anna", &sign, json!({ "sha256": sha, "password": PASSWORD })).await).await;
    assert_eq!(p["code"], "already_signed", "a signed document is not signed again");

    for who in ["anna", "lager"] {
        let inbox = app.get_as(who, "/api/v1/workshop-notifications").await;
        assert_eq!(inbox.as_array().unwrap().len(), 1, "{who}: {inbox}");
        assert_eq!(
            (inbox[0]["kind"].as_str(), inbox[0]["work_order_id"].as_i64()),
            (Some("adaptation_signed"), Some(id))
        );
        assert_eq!(inbox[0]["device_number"], "D-0010");
    }
    for who in ["lars", "tekniker"] {
        assert_eq!(app.get_as(who, "/api/v1/workshop-notifications").await, json!([]), "{who} is not told");
    }
    let token = app.token_for("anna").await;
    let pdf = app.get(&token, &format!("/api/v1/adaptation-documents/{doc}/pdf")).await.bytes().await.unwrap();
    let shown = ramp_web::pdf::text_of(&pdf);
    assert!(shown.contains("Anna Arbetsterapeut (bekräftat med lösenord)"), "the PDF names the signature:\n{shown}");
}

/// A session left open must not become a way to guess the password: wrong
/// passwords at signing count with the account's failed logins and wait as they do.
async fn wrong_passwords_at_signing_are_throttled_like_logins(app: TestApp) {
    let f = fixture_ordering::load(app.storage.as_ref()).await.unwrap();
    let (_, doc) = documented(&app, f.sven_pnr).await;
    let sha = app.get_as("anna", &format!("/api/v1/adaptation-documents/{doc}")).await["sha256"]
        .as_str()
        .unwrap()
        .to_string();
    let sign = format!("/api/v1/adaptation-documents/{doc}/signature");
    let token = app.token_for("anna").await;
    for _ in 0..5 {
        let body = json!({ "sha256": sha, "password": "fel-lösen-123" });
        let p = problem(app.post_json(&token, &sign, &body).await).await;
        assert_eq!(p["code"], "wrong_password");
    }
    let resp = app.post_json(&token, &sign, &json!({ "sha256": sha, "password": PASSWORD })).await;
    assert_eq!(resp.status(), 429, "even the right password waits after five wrong ones");
    assert_eq!(resp.headers()["retry-after"], "1");
    let p = problem(resp).await;
    assert_eq!(p["code"], "too_many_attempts");
    let login = app.client.post(app.url("/api/v1/session")).json(&json!({ "username": "anna", "password": PASSWORD }));
    assert_eq!(login.send().await.unwrap().status(), 429, "the account's logins wait too");

    app.clock.advance(chrono::Duration::seconds(2));
    assert_eq!(app.post_json(&token, &sign, &json!({ "sha256": sha, "password": PASSWORD })).await.status(), 204);
}

ramp_testkit::on_both_engines!(
    wrong_passwords_at_signing_are_throttled_like_logins,
    a_technician_creates_work_orders_of_each_kind_by_device_number,
    a_part_out_of_stock_is_refused_with_a_warning_unless_the_technician_confirms_it,
    a_work_order_is_not_finished_while_a_mandatory_checklist_item_is_unchecked,
    attachments_are_checked_by_their_bytes_limited_in_size_and_served_as_downloads,
    an_adaptation_document_has_structured_fields_and_a_pdf_with_its_text,
    signing_an_adaptation_asks_for_the_password_again_and_notifies_the_prescriber_and_the_warehouse,
);
