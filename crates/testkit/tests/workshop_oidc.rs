//! Signing an adaptation with an OIDC step-up (issue 19) against a real
//! provider (npm oidc-provider): the prescriber, logged in through the
//! provider, asks to sign; Ramp sends her back to the provider with
//! `prompt=login` and `max_age=0`; the callback signs only when the ID
//! token names the same user with a fresh `auth_time`.

use ramp_storage::fixture_ordering;
use ramp_testkit::oidc::{input_value, location, OidcClient, ProviderOptions};
use ramp_testkit::{spawn_app_with_oidc, Engine, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn oidc_app(engine: Engine) -> TestApp {
    spawn_app_with_oidc(engine, ProviderOptions::default()).await
}

async fn api(app: &TestApp, who: &str, path: &str, body: Value) -> Value {
    let token = app.token_for(who).await;
    let resp = app.post_json(&token, path, &body).await;
    assert!(resp.status().is_success(), "{path}: {}", resp.status());
    resp.json().await.unwrap_or(Value::Null)
}

/// Anna's order of D-0010 and its documented special adaptation: the document's public id.
async fn documented(app: &TestApp) -> String {
    let f = fixture_ordering::load(app.storage.as_ref()).await.unwrap();
    let line = json!({ "personal_id": f.sven_pnr, "article_number": "W-200", "replacement": "decline" });
    api(app, "anna", "/api/v1/cart/items", line).await;
    let form = json!({ "personal_id": f.sven_pnr, "goal": "Förflyttning", "evaluation_date": "2027-03-01" });
    api(app, "anna", "/api/v1/orders", form).await;
    let wo = json!({ "kind": "special_adaptation", "device_number": "D-0010", "description": "Förhöjt ryggstöd" });
    let id = api(app, "tekniker", "/api/v1/work-orders", wo).await["id"].as_i64().unwrap();
    let doc = json!({ "title": "Anpassning D-0010", "fields": {
        "patient_need": "Behöver högre ryggstöd", "changes_made": "Ryggstödet förhöjt 12 cm",
        "risk_assessment": "Tippning bakåt; tippskydd monterat" } });
    api(app, "tekniker", &format!("/api/v1/work-orders/{id}/adaptation-documents"), doc).await["id"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Anna logged in through the provider, on the device card: the client and the card's HTML.
async fn anna_on_the_card(app: &TestApp) -> (OidcClient, String) {
    let client = OidcClient::new();
    let authorize = client.start_login(&app.base, "/").await;
    let callback = client.log_in_at_provider(&authorize, &app.base, "anna").await;
    assert_eq!(client.get(&callback).await.status(), StatusCode::SEE_OTHER, "logged in");
    let card = client.get(&app.url("/devices/D-0010")).await;
    assert_eq!(card.status(), StatusCode::OK);
    (client, card.text().await.unwrap())
}

/// Posts the step-up form; returns the provider's authorization URL.
async fn step_up(app: &TestApp, client: &OidcClient, html: &str, doc: &str) -> String {
    let csrf = input_value(html, "csrf").expect("the card's CSRF token");
    let sha = app.storage.adaptation_document(doc).await.unwrap().unwrap().sha256;
    let form = [("csrf", csrf.as_str()), ("document", doc), ("sha256", sha.as_str())];
    let resp = client.post_form(&app.url("/devices/D-0010/adaptation-signature/step-up"), &form).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER, "to the provider");
    location(&resp)
}

async fn a_prescriber_signs_an_adaptation_after_logging_in_again_at_the_identity_provider(app: TestApp) {
    let doc = documented(&app).await;
    let (client, html) = anna_on_the_card(&app).await;
    assert!(html.contains("Signera med inloggning hos identitetsleverantören"), "the step-up is offered");

    assert!(app.storage.adaptation_document(&doc).await.unwrap().unwrap().signed_at.is_none(), "a login signs nothing");

    // Anna authenticates again: signed, by the identity provider, and back on the card.
    let authorize = step_up(&app, &client, &html, &doc).await;
    assert!(authorize.contains("prompt=login") && authorize.contains("max_age=0"), "{authorize}");
    let callback = client.log_in_at_provider(&authorize, &app.base, "anna").await;
    let back = client.get(&callback).await;
    assert_eq!((back.status(), location(&back).as_str()), (StatusCode::SEE_OTHER, app.url("/devices/D-0010").as_str()));
    let signed = app.storage.adaptation_document(&doc).await.unwrap().unwrap();
    assert_eq!(
        (signed.signed_by, signed.signed_via.as_deref()),
        (Some(app.fixture.prescriber), Some("identity_provider"))
    );
    let card = client.get(&app.url("/devices/D-0010")).await.text().await.unwrap();
    assert!(card.contains("Godkänt och signerat"), "{card}");
}

ramp_testkit::on_both_engines!(with super::oidc_app;
    a_prescriber_signs_an_adaptation_after_logging_in_again_at_the_identity_provider,
);
