//! The product page over the API on both engines (issue 18 point 3) and
//! the replacement decline reason (point 4): the article with its
//! equivalents side by side, who would pay for the patient in view (an
//! audited read), an administrator's technical data and handbook text, and
//! the decline reason recorded and counted in the acceptance figure.

use ramp_domain::product::{TechKey, TechRow};
use ramp_storage::fixture_ordering::{self, OrderingFixture};
use ramp_storage::{ArticleDetails, ProductImage};
use ramp_testkit::{problem, test_now, TestApp};
use serde_json::{json, Value};

/// W-190 (id 10) and W-200 (id 2) are the ordinary replacement group RG-RULL.
const W190: i64 = 10;
const W200: i64 = 2;

async fn ordering(app: &TestApp) -> OrderingFixture {
    fixture_ordering::load(app.storage.as_ref()).await.expect("ordering fixture")
}

fn tech(key: TechKey, value: &str) -> TechRow {
    TechRow { key, value: value.into() }
}

/// Technical data for the two wheelchairs and a picture of their product type.
async fn product_data(app: &TestApp) {
    let details = [
        ArticleDetails {
            article_id: W190,
            technical_data: vec![tech(TechKey::MaxUserWeightKg, "120"), tech(TechKey::SeatWidthCm, "42")],
            handbook_text: None,
        },
        ArticleDetails {
            article_id: W200,
            technical_data: vec![tech(TechKey::MaxUserWeightKg, "135"), tech(TechKey::WeightKg, "15")],
            handbook_text: Some("Manuell rullstol för aktiva användare.".into()),
        },
    ];
    app.storage.insert_article_details(&details).await.unwrap();
    let image = ProductImage {
        iso_code: "122203".into(),
        svg: "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 10 10'/>".into(),
        alt_sv: "Illustration av en manuell rullstol".into(),
        alt_en: "Illustration of a manual wheelchair".into(),
    };
    app.storage.insert_product_images(&[image]).await.unwrap();
}

async fn put_json(app: &TestApp, token: &str, path: &str, body: &Value) -> reqwest::Response {
    app.client.put(app.url(path)).bearer_auth(token).json(body).send().await.expect("request")
}

/// A page's HTML as a logged-in browser gets it.
async fn html(app: &TestApp, username: &str, path: &str) -> String {
    let (client, _) = app.ui_session(username).await;
    let resp = client.get(app.url(path)).send().await.expect("page");
    assert_eq!(resp.status(), 200, "{path}");
    resp.text().await.unwrap()
}

async fn get_json(app: &TestApp, token: &str, path: &str) -> Value {
    let resp = app.get(token, path).await;
    assert_eq!(resp.status(), 200, "{path}");
    resp.json().await.unwrap()
}

async fn the_product_page_shows_equivalents_side_by_side_and_the_payer_for_the_patient_in_view(app: TestApp) {
    // Arrange
    let f = ordering(&app).await;
    product_data(&app).await;
    let anna = app.token_for("anna").await;

    // Act: the page without a patient, then for Sven.
    let page = get_json(&app, &anna, &format!("/api/v1/articles/{W200}")).await;
    let resp = app
        .post_json(&anna, &format!("/api/v1/articles/{W200}/for-patient"), &json!({ "personal_id": f.sven_pnr }))
        .await;
    assert_eq!(resp.status(), 200);
    let for_sven: Value = resp.json().await.unwrap();

    // Assert: the article, its picture, technical data and handbook text.
    assert_eq!(page["article"]["article_number"], "W-200");
    assert_eq!(page["image_url"], "/catalog/images/122203.svg");
    assert_eq!(page["image_alt_sv"], "Illustration av en manuell rullstol");
    assert_eq!(page["technical_data"][0]["key"], "max_user_weight_kg");
    assert_eq!(page["technical_data"][0]["name_sv"], "Max brukarvikt");
    assert_eq!(
        (page["technical_data"][0]["value"].as_str(), page["technical_data"][0]["unit"].as_str()),
        (Some("135"), Some("kg"))
    );
    assert_eq!(page["handbook_text"], "Manuell rullstol för aktiva användare.");
    assert_eq!(page["requirement"]["competence"], "mobility");
    assert_eq!(page["requirement"]["caller_holds_competence"], true);
    assert!(page["patient"].is_null(), "no patient in view: no payer");
    // The replacement group's equivalents, oldest first, with stock and technical data.
    assert_eq!((page["group"]["code"].as_str(), page["group"]["fixed"].as_bool()), (Some("RG-RULL"), Some(false)));
    let eq = page["equivalents"].as_array().unwrap();
    let numbers: Vec<&str> = eq.iter().map(|e| e["article"]["article_number"].as_str().unwrap()).collect();
    assert_eq!(numbers, vec!["W-190", "W-200"]);
    assert!(eq[0]["in_stock"].as_i64().unwrap() > 0, "the older one is in stock (that is why it is proposed)");
    assert_eq!(eq[0]["technical_data"][1]["key"], "seat_width_cm");
    // Who pays for Sven, in ordinary housing in Stockholm: the region, by the agreement's rule.
    let patient = &for_sven["patient"];
    assert_eq!((patient["name"].as_str(), patient["setting"].as_str()), (Some("Sven Svensson"), Some("ordinary")));
    assert_eq!(patient["payer"]["outcome"], "decided");
    assert_eq!(patient["payer"]["decision"]["payer"], "region");
    assert_eq!(patient["payer"]["decision"]["rule"], "ordinary.region_prescription");
    assert!(!for_sven.to_string().contains(f.sven_pnr), "the personal identity number is not echoed");
    // The read of Sven is audited, once, with its ground.
    let audit = app.storage.audit_recent(50).await.unwrap();
    let reads: Vec<_> = audit.iter().filter(|a| a.action == "catalog.product").collect();
    assert_eq!(reads.len(), 1);
    assert_eq!((reads[0].patient_id, reads[0].user_id), (Some(f.sven), 1));
    assert_eq!(reads[0].reason.as_str(), "care_relationship");
}

async fn the_payer_follows_the_place_of_use_and_a_patient_not_yours_is_refused(app: TestApp) {
    let f = ordering(&app).await;
    let anna = app.token_for("anna").await;
    let path = format!("/api/v1/articles/{W200}/for-patient");
    let at_saebo = json!({ "personal_id": f.sven_pnr, "place_of_use": "saebo" });
    let page: Value = app.post_json(&anna, &path, &at_saebo).await.json().await.unwrap();
    assert_eq!(page["patient"]["place_of_use"], "saebo");
    assert_ne!(page["patient"]["payer"]["outcome"], "", "the place of use is decided for: {page}");

    let p =
        problem(app.post_json(&anna, &path, &json!({ "personal_id": f.sven_pnr, "place_of_use": "moon" })).await).await;
    assert_eq!((p["status"].as_i64(), p["field"].as_str()), (Some(422), Some("place_of_use")));
    let p = problem(app.post_json(&anna, &path, &json!({ "personal_id": f.karin_pnr })).await).await;
    assert_eq!((p["status"].as_i64(), p["code"].as_str()), (Some(403), Some("care_relationship_required")));
    let lager = app.token_for("lager").await;
    let p = problem(app.post_json(&lager, &path, &json!({ "personal_id": f.sven_pnr })).await).await;
    assert_eq!(p["status"], 403, "only a prescriber has a patient in view");
}

async fn an_unknown_article_is_a_404_problem_naming_the_id(app: TestApp) {
    ordering(&app).await;
    let anna = app.token_for("anna").await;
    for path in ["/api/v1/articles/999999", "/api/v1/articles/not-a-number"] {
        let resp = app.get(&anna, path).await;
        assert_eq!(resp.status(), 404, "{path}");
        let ct = resp.headers()["content-type"].to_str().unwrap().to_string();
        assert!(ct.starts_with("application/problem+json"), "{ct}");
        let p: Value = resp.json().await.unwrap();
        assert_eq!((p["code"].as_str(), p["field"].as_str()), (Some("article_not_found"), Some("id")));
    }
    let (client, _) = app.ui_session("anna").await;
    let resp = client.get(app.url("/catalog/images/999999.svg")).send().await.unwrap();
    assert_eq!(resp.status(), 404, "no picture of an unknown product type");
}

fn w200_body(extra: Value) -> Value {
    let mut body = json!({
        "iso_code": "122203", "name": "Rullstol Manuell Komfort", "supplier": "Etac Sverige AB",
        "purchase_price_ore": 900_000, "monthly_rent_ore": 15_000, "kind": "main_device", "billing": "rental",
        "lead_time_class": "stock_7", "service_life_months": 96, "reconditionable": true,
        "product_area": "mobility", "valid_from": "2020-01-01"
    });
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    body
}

async fn an_administrator_sets_technical_data_and_handbook_text_and_the_product_page_shows_them(app: TestApp) {
    // Arrange
    ordering(&app).await;
    let admin = app.token_for("admin").await;
    let anna = app.token_for("anna").await;
    let details = json!({
        "technical_data": [{ "key": "seat_width_cm", "value": "44" }, { "key": "max_user_weight_kg", "value": "140" }],
        "handbook_text": "Förskrivs till brukare som själva driver rullstolen."
    });

    // Act
    let resp = put_json(&app, &admin, "/api/v1/admin/articles/W-200", &w200_body(details)).await;

    // Assert
    assert_eq!(resp.status(), 204);
    let page = get_json(&app, &anna, &format!("/api/v1/articles/{W200}")).await;
    let rows: Vec<(&str, &str)> = page["technical_data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["key"].as_str().unwrap(), r["value"].as_str().unwrap()))
        .collect();
    assert_eq!(rows, vec![("seat_width_cm", "44"), ("max_user_weight_kg", "140")], "in the order given");
    assert_eq!(page["handbook_text"], "Förskrivs till brukare som själva driver rullstolen.");
    // An edit that does not mention them keeps them; the page in HTML shows them.
    assert_eq!(put_json(&app, &admin, "/api/v1/admin/articles/W-200", &w200_body(json!({}))).await.status(), 204);
    let page = html(&app, "anna", &format!("/catalog/articles/{W200}")).await;
    assert!(page.contains("Sittbredd") && page.contains("44 cm"), "the page shows the technical data");
    assert!(page.contains("Förskrivs till brukare som själva driver rullstolen."));
    // Bad technical data is refused naming the row.
    let bad = w200_body(
        json!({ "technical_data": [{ "key": "width_cm", "value": "60" }, { "key": "colour", "value": "red" }] }),
    );
    let p = problem(put_json(&app, &admin, "/api/v1/admin/articles/W-200", &bad).await).await;
    assert_eq!((p["status"].as_i64(), p["field"].as_str()), (Some(422), Some("technical_data[1].key")));
    let query = ramp_storage::ChangeQuery { limit: 50, ..Default::default() };
    let changes = app.storage.admin_changes(&query).await.unwrap();
    let edit = changes.iter().find(|c| c.action == "edit").expect("the edit is recorded");
    assert!(
        edit.after.as_deref().unwrap_or_default().contains("seat_width_cm"),
        "the record of changes has the details"
    );
}

async fn a_declined_proposal_records_its_reason_and_the_acceptance_figure_counts_it(app: TestApp) {
    // Arrange
    let f = ordering(&app).await;
    let anna = app.token_for("anna").await;
    let decline = json!({ "personal_id": f.sven_pnr, "article_number": "W-200", "replacement": "decline",
        "replacement_decline": { "reason": "does_not_fit", "note": "Sittbredden 42 cm är för smal" } });

    // Act
    let resp = app.post_json(&anna, "/api/v1/cart/items", &decline).await;

    // Assert: the line is in the cart, and the figure counts the reason.
    assert_eq!(resp.status(), 201);
    let item: Value = resp.json().await.unwrap();
    assert_eq!(item["substitution"], "declined");
    let from = test_now() - chrono::Duration::days(1);
    let reasons = app.storage.decline_reasons(from, test_now() + chrono::Duration::days(1), None).await.unwrap();
    assert_eq!(reasons, vec![(Some(ramp_domain::product::DeclineReason::DoesNotFit), 1)]);
    let lager = app.token_for("lager").await;
    let fig = get_json(&app, &lager, "/api/v1/figures/replacement-acceptance?from=2026-11&to=2026-11").await;
    assert_eq!(fig["total"]["declined"], 1);
    assert_eq!(
        fig["decline_reasons"],
        json!([{ "reason": "does_not_fit",
        "name_sv": "Passar inte patientens mått eller vikt", "name_en": "Does not fit the patient's size or weight", "count": 1 }])
    );
    let page = html(&app, "lager", "/figures?from=2026-11&to=2026-11").await;
    assert!(page.contains("Avböjda förslag per skäl") && page.contains("Passar inte patientens mått eller vikt"));
}

async fn a_bad_decline_reason_is_refused_422_naming_the_field_and_reserves_nothing(app: TestApp) {
    let f = ordering(&app).await;
    let anna = app.token_for("anna").await;
    let line = |replacement: &str, decline: Value| json!({ "personal_id": f.sven_pnr, "article_number": "W-200", "replacement": replacement, "replacement_decline": decline });
    let cases = [
        (line("decline", json!({ "reason": "too_expensive" })), "replacement_decline.reason", "invalid_decline_reason"),
        (line("decline", json!({ "reason": "" })), "replacement_decline.reason", "required"),
        (line("decline", json!({ "reason": "other" })), "replacement_decline.note", "required"),
        (
            line("decline", json!({ "reason": "other", "note": "x".repeat(501) })),
            "replacement_decline.note",
            "too_long",
        ),
        (line("accept", json!({ "reason": "tried_out" })), "replacement_decline", "only_when_declining"),
    ];
    for (body, field, code) in cases {
        let p = problem(app.post_json(&anna, "/api/v1/cart/items", &body).await).await;
        assert_eq!(
            (p["status"].as_i64(), p["field"].as_str(), p["code"].as_str()),
            (Some(422), Some(field), Some(code)),
            "{p}"
        );
    }
    let direct = json!({ "personal_id": f.sven_pnr, "goal": "Klara förflyttning", "evaluation_date": "2027-02-01",
        "lines": [{ "article_number": "W-200", "replacement": "decline", "replacement_decline": { "reason": "cheaper" } }] });
    let p = problem(app.post_json(&anna, "/api/v1/orders", &direct).await).await;
    assert_eq!((p["status"].as_i64(), p["field"].as_str()), (Some(422), Some("lines[0].replacement_decline.reason")));
    let cart: Value = app.get(&anna, "/api/v1/cart").await.json().await.unwrap();
    assert_eq!(cart["items"].as_array().unwrap().len(), 0, "nothing was reserved");
}

ramp_testkit::on_both_engines!(
    the_product_page_shows_equivalents_side_by_side_and_the_payer_for_the_patient_in_view,
    the_payer_follows_the_place_of_use_and_a_patient_not_yours_is_refused,
    an_unknown_article_is_a_404_problem_naming_the_id,
    an_administrator_sets_technical_data_and_handbook_text_and_the_product_page_shows_them,
    a_declined_proposal_records_its_reason_and_the_acceptance_figure_counts_it,
    a_bad_decline_reason_is_refused_422_naming_the_field_and_reserves_nothing,
);
