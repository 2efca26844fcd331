//! The web layer's promises against an attacker (docs/SECURITY.md): the
//! security headers of every answer, request ids the server makes, redirect
//! targets on this site only, spreadsheet cells that are never formulas.

use ramp_testkit::browser::{Browser, ENTER};
use ramp_testkit::TestApp;
use reqwest::Response;
use serde_json::json;

fn header(resp: &Response, name: &str) -> String {
    resp.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string()
}

fn assert_security_headers(resp: &Response, what: &str) {
    let csp = header(resp, "content-security-policy");
    for directive in ["default-src 'self'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'"] {
        assert!(csp.contains(directive), "{what}: CSP without {directive}: {csp}");
    }
    assert!(!csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"), "{what}: {csp}");
    assert_eq!(header(resp, "x-frame-options"), "DENY", "{what}");
    assert_eq!(header(resp, "x-content-type-options"), "nosniff", "{what}");
    assert_eq!(header(resp, "referrer-policy"), "same-origin", "{what}");
}

async fn every_answer_carries_the_security_headers_and_patient_data_is_never_cached(app: TestApp) {
    let login = app.client.get(app.url("/login")).send().await.unwrap();
    assert_security_headers(&login, "the login page");
    let missing = app.client.get(app.url("/api/v1/no-such-thing")).send().await.unwrap();
    assert_security_headers(&missing, "an unknown API route");
    let css = app.client.get(app.url("/assets/style.css")).send().await.unwrap();
    assert_security_headers(&css, "the style sheet");
    assert_eq!(header(&css, "cache-control"), "public, max-age=3600", "assets may be cached");

    let api = app.open_patient("anna", "19121212-1212").await;
    assert_eq!(api.status(), 200);
    assert_security_headers(&api, "the patient overview (API)");
    assert_eq!(header(&api, "cache-control"), "no-store");

    let (client, csrf) = app.ui_session("anna").await;
    let page = client
        .post(app.url("/patient"))
        .form(&[("csrf", csrf.as_str()), ("personal_id", "19121212-1212")])
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert_security_headers(&page, "the patient page");
    assert_eq!(header(&page, "cache-control"), "no-store");
    let html = page.text().await.unwrap();
    assert!(html.contains("Tolvan") && !html.contains("<style") && !html.contains(" style="), "no inline style");
    assert_eq!(html.matches("<script").count(), 2, "two scripts, both from this server");
    assert_eq!(html.matches("<script src=\"/assets/").count(), 2, "no inline script: {html}");
    assert!(html.contains("<script src=\"/assets/htmx.min.js\""));
}

async fn the_server_makes_every_request_id_and_a_client_value_never_reaches_the_audit_log(app: TestApp) {
    let token = app.token_for("anna").await;
    let resp = app
        .client
        .post(app.url("/api/v1/patients/overview"))
        .bearer_auth(&token)
        .header("x-request-id", "chosen-by-client-1")
        .json(&json!({ "personal_id": "19121212-1212" }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let rid = header(&resp, "x-request-id");
    assert!(!rid.is_empty() && rid != "chosen-by-client-1", "the server's own id: {rid}");
    let audit = app.storage.audit_for_patient(app.fixture.tolvan, 10).await.unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].request_id.as_deref(), Some(rid.as_str()));
    let again = app.open_patient("anna", "19121212-1212").await;
    assert_ne!(header(&again, "x-request-id"), rid, "a new id per request");
}

async fn the_live_catalog_search_works_under_the_content_security_policy_without_a_violation(app: TestApp) {
    let b = Browser::start().await;
    b.goto(&app.url("/login")).await;
    b.type_into(&b.labelled("Användarnamn").await, "anna").await;
    b.type_into(&b.labelled("Lösenord").await, ramp_storage::fixture::PASSWORD).await;
    b.press(ENTER).await;
    b.wait_for_text("Välkommen").await;
    b.goto(&app.url("/catalog")).await;
    b.execute(
        "window.cspViolations = []; \
         document.addEventListener('securitypolicyviolation', e => window.cspViolations.push(e.violatedDirective));",
        json!([]),
    )
    .await;
    b.type_into(&b.labelled("Sök artikel").await, "rollator").await;
    b.wait_for_text("Rollatorkorg Ärtgrön").await;
    assert!(b.current_url().await.ends_with("/catalog"), "htmx swapped the results in place");
    let seen = b.execute("return [window.cspViolations, document.querySelectorAll('style').length];", json!([])).await;
    assert_eq!(seen, json!([[], 0]), "no violation, and htmx injected no inline style");
    b.assert_accessible("the catalog under the CSP").await;
    b.quit().await;
}

fn location(resp: &Response) -> String {
    header(resp, "location")
}

async fn after_login_only_a_path_on_this_site_is_followed(app: TestApp) {
    for (next, expected) in [
        ("/orders", "/orders"),
        ("/\\evil.example", "/"),
        ("//evil.example", "/"),
        ("https://evil.example/", "/"),
        ("http:evil.example", "/"),
        ("/%5Cevil.example", "/%5Cevil.example"),
    ] {
        let (client, csrf) = app.ui_client().await;
        let form = client.get(app.url("/login")).query(&[("next", next)]).send().await.unwrap().text().await.unwrap();
        assert!(form.contains(&format!("name=\"next\" value=\"{expected}\"")), "{next}: the form keeps {expected}");
        let resp = client
            .post(app.url("/login"))
            .form(&[
                ("username", "anna"),
                ("password", ramp_storage::fixture::PASSWORD),
                ("csrf", &csrf),
                ("next", next),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!((resp.status().as_u16(), location(&resp)), (303, expected.to_string()), "next={next}");
    }
}

async fn the_language_switch_returns_only_to_a_page_of_this_site(app: TestApp) {
    let own = app.url("/catalog?q=rollator");
    for (referer, expected) in [
        (own.as_str(), "/catalog?q=rollator"),
        ("https://evil.example/catalog", "/"),
        (&app.url("/\\evil.example"), "/"),
        (&app.url("//evil.example"), "/"),
        ("javascript:alert(1)", "/"),
    ] {
        let resp = app.client.get(app.url("/lang/en")).header("referer", referer).send().await.unwrap();
        assert_eq!((resp.status().as_u16(), location(&resp)), (303, expected.to_string()), "Referer {referer}");
        assert!(header(&resp, "set-cookie").starts_with("ramp_lang=en"));
    }
}

async fn a_csv_export_never_hands_excel_a_formula(app: TestApp) {
    let lager = app.token_for("lager").await;
    let notice = json!({ "reference": "@SUM(A1:A9)", "title": "=HYPERLINK(\"http://evil.example\";\"Klicka\")", "article_numbers": ["R-100"] });
    assert_eq!(app.post_json(&lager, "/api/v1/safety-notices", &notice).await.status(), 201);
    let csv = app.get(&lager, "/api/v1/figures/safety-notices.csv").await.text().await.unwrap();
    let line = csv.split("\r\n").nth(1).expect("the notice's line");
    assert!(
        line.starts_with("'@SUM(A1:A9);\"'=HYPERLINK(\"\"http://evil.example\"\";\"\"Klicka\"\")\";2026-11-23;"),
        "{line}"
    );
}

async fn an_xlsx_export_keeps_text_that_looks_like_a_formula_as_text(app: TestApp) {
    let evil = ramp_storage::Principal {
        id: 90,
        code: "-1+2".into(),
        name: "=cmd|' /C calc'!A0".into(),
        kind: "municipality".into(),
        municipality_code: Some("0999".into()),
        basic_equipment_since: None,
    };
    app.storage.insert_principals(&[evil]).await.unwrap();
    app.storage.finish_bulk_load().await.unwrap();
    let lager = app.token_for("lager").await;
    let resp = app.get(&lager, "/api/v1/economy/costs.xlsx?year=2026").await;
    assert_eq!(resp.status(), 200);
    // The workbook is stored, not compressed: its sheet is readable in the bytes.
    let bytes = resp.bytes().await.unwrap();
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains(r#"s="1" t="inlineStr"><is><t>-1+2</t>"#), "the code is quote-prefixed text");
    assert!(text.contains(r#"s="1" t="inlineStr"><is><t>=cmd|' /C calc'!A0</t>"#), "the name too");
    let csv = app.get(&lager, "/api/v1/economy/costs.csv?year=2026").await.text().await.unwrap();
    assert!(csv.contains("\r\n'-1+2;'=cmd|' /C calc'!A0;"), "{csv}");
}

ramp_testkit::on_both_engines!(
    every_answer_carries_the_security_headers_and_patient_data_is_never_cached,
    the_server_makes_every_request_id_and_a_client_value_never_reaches_the_audit_log,
    the_live_catalog_search_works_under_the_content_security_policy_without_a_violation,
    after_login_only_a_path_on_this_site_is_followed,
    the_language_switch_returns_only_to_a_page_of_this_site,
    a_csv_export_never_hands_excel_a_formula,
    an_xlsx_export_keeps_text_that_looks_like_a_formula_as_text,
);
