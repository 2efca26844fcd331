//! The audit-log review (issue 17, point 3), on both engines: an audit
//! reviewer finds who read a patient's data, on what ground and with what
//! outcome, page by page; reads without a care relationship and emergency
//! accesses are flagged; a patient's log extract comes as CSV with formula
//! cells neutralised; emergency accesses are signed off once; every review
//! is itself audited; and nobody else may review.

use chrono::Duration;
use ramp_domain::access::EmergencyCategory;
use ramp_domain::role::Role;
use ramp_storage::{AccessReason, AuditQuery, NewEmergencyAccess, NewUser};
use ramp_testkit::{problem, TestApp};
use reqwest::cookie::{CookieStore, Jar};
use reqwest::Client;
use serde_json::{json, Value};
use std::sync::{Arc, OnceLock};

const TOLVAN: &str = "19121212-1212";

fn password_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| ramp_app::auth::hash_password(ramp_storage::fixture::PASSWORD).expect("hash"))
}

/// A user with `roles` at `unit`, created as an administrator would; returns the id.
async fn user(app: &TestApp, username: &str, name: &str, unit: Option<i64>, roles: Vec<Role>) -> i64 {
    let new = NewUser {
        username: username.into(),
        display_name: name.into(),
        hsa_id: None,
        password_hash: Some(password_hash().into()),
        principal_id: app.fixture.region,
        unit_id: unit,
        roles,
        competences: vec![],
        created_at: ramp_testkit::test_now(),
    };
    app.storage.create_user(&new).await.expect("user")
}

/// Declares an emergency access of `user_id` to `patient_id` now, for four hours.
async fn grant(app: &TestApp, user_id: i64, patient_id: i64, reason: &str) -> i64 {
    let at = ramp_testkit::test_now();
    let access = NewEmergencyAccess {
        user_id,
        patient_id,
        category: EmergencyCategory::UrgentCare,
        reason: reason.into(),
        at,
        expires: at + Duration::hours(4),
    };
    app.storage.grant_emergency_access(&access).await.expect("emergency access")
}

/// An audit reviewer ("granskare") and their API token.
async fn reviewer(app: &TestApp) -> (i64, String) {
    let id = user(app, "granskare", "Greta Granskare", None, vec![Role::AuditReviewer]).await;
    (id, app.token_for("granskare").await)
}

async fn search(app: &TestApp, token: &str, body: Value) -> reqwest::Response {
    app.post_json(token, "/api/v1/audit/search", &body).await
}

async fn rows(app: &TestApp, token: &str, body: Value) -> Vec<Value> {
    let resp = search(app, token, body).await;
    assert_eq!(resp.status(), 200);
    let page: Value = resp.json().await.unwrap();
    page["rows"].as_array().unwrap().clone()
}

fn by_user(id: i64) -> AuditQuery {
    AuditQuery { user_id: Some(id), limit: 5, ..Default::default() }
}

fn column<'a>(rows: &'a [Value], name: &str) -> Vec<&'a str> {
    rows.iter().map(|r| r[name].as_str().unwrap_or("")).collect()
}

async fn an_audit_reviewer_sees_who_read_a_patient_on_what_ground_and_the_search_is_audited(app: TestApp) {
    // Arrange: a read with a care relationship, a refused one, a read by HMC staff.
    assert_eq!(app.open_patient("anna", TOLVAN).await.status(), 200);
    app.clock.advance(Duration::minutes(1));
    assert_eq!(app.open_patient("lars", TOLVAN).await.status(), 403);
    app.clock.advance(Duration::minutes(1));
    let lager = app.token_for("lager").await;
    assert_eq!(app.get(&lager, "/api/v1/devices/D-0001").await.status(), 200);
    let (granskare, token) = reviewer(&app).await;

    // Act
    let found = rows(&app, &token, json!({ "personal_id": TOLVAN })).await;

    // Assert: newest first, each with ground, outcome and flags; the patient named.
    assert_eq!(column(&found, "action"), ["device.card", "patient.overview.refused", "patient.overview"]);
    assert_eq!(column(&found, "username"), ["lager", "lars", "anna"]);
    assert_eq!(column(&found, "legal_ground"), ["hmc_role", "none", "care_relationship"]);
    assert_eq!(column(&found, "outcome"), ["granted", "refused", "granted"]);
    assert_eq!(found[0]["flags"], json!(["no_care_relationship"]));
    assert_eq!(found[1]["flags"], json!([]));
    assert_eq!(found[2]["unit"], "Vårdcentralen Solna");
    assert_eq!(found[2]["patient"]["name"], "Tolvan Tolvansson");
    let own = app.storage.search_audit(&by_user(granskare)).await.unwrap();
    assert_eq!(own.len(), 1, "the search is itself audited");
    assert_eq!((own[0].entry.action.as_str(), own[0].entry.patient_id), ("audit.search", Some(app.fixture.tolvan)));
}

async fn the_filters_select_by_user_unit_period_legal_ground_and_outcome(app: TestApp) {
    let f = ramp_storage::fixture_ordering::load(app.storage.as_ref()).await.unwrap();
    let anna = app.token_for("anna").await;
    let order = json!({ "personal_id": f.sven_pnr, "goal": "Gå ute", "evaluation_date": "2027-02-01",
        "lines": [{ "article_number": "R-200" }] });
    assert_eq!(app.post_json(&anna, "/api/v1/orders", &order).await.status(), 201);
    app.clock.advance(Duration::days(2));
    assert_eq!(app.open_patient("lars", TOLVAN).await.status(), 403);
    let (_, token) = reviewer(&app).await;

    let by_unit = rows(&app, &token, json!({ "unit": "SE2321000016-0001" })).await;
    assert_eq!(column(&by_unit, "action"), ["order.create"], "the order's own statement records the unit");
    let by_user = rows(&app, &token, json!({ "user": "lars" })).await;
    assert_eq!(column(&by_user, "action"), ["patient.overview.refused"]);
    let refused = rows(&app, &token, json!({ "outcome": "refused" })).await;
    assert_eq!(column(&refused, "username"), ["lars"]);
    let first_day = rows(&app, &token, json!({ "from": "2026-11-23", "to": "2026-11-23", "outcome": "granted" })).await;
    assert_eq!(column(&first_day, "action"), ["order.create"]);
    let ground = rows(&app, &token, json!({ "legal_ground": "care_relationship", "user": "anna" })).await;
    assert_eq!(ground.len(), 1);
    let query = app.get(&token, "/api/v1/audit?user=lars&outcome=refused").await;
    assert_eq!(query.status(), 200, "the same search without a patient as a GET");
    let body: Value = query.json().await.unwrap();
    assert_eq!(body["rows"].as_array().unwrap().len(), 1);
}

async fn the_review_pages_by_next_until_every_row_was_seen_once(app: TestApp) {
    for _ in 0..5 {
        assert_eq!(app.open_patient("anna", TOLVAN).await.status(), 200);
    }
    let (_, token) = reviewer(&app).await;
    let mut seen = vec![];
    let mut after: Option<String> = None;
    loop {
        let resp = search(&app, &token, json!({ "personal_id": TOLVAN, "limit": 2, "after": after })).await;
        let page: Value = resp.json().await.unwrap();
        seen.extend(page["rows"].as_array().unwrap().iter().map(|r| r["id"].as_i64().unwrap()));
        match page["next"].as_str() {
            Some(next) => after = Some(next.to_string()),
            None => break,
        }
    }
    let mut unique = seen.clone();
    unique.sort_unstable_by(|a, b| b.cmp(a));
    unique.dedup();
    assert_eq!(seen.len(), 5);
    assert_eq!(seen, unique, "newest first, each row once");
}

async fn invalid_filters_are_refused_naming_their_field(app: TestApp) {
    let (_, token) = reviewer(&app).await;
    for (body, field, code) in [
        (json!({ "legal_ground": "friendship" }), "legal_ground", "invalid_legal_ground"),
        (json!({ "outcome": "maybe" }), "outcome", "invalid_outcome"),
        (json!({ "after": "yesterday" }), "after", "invalid_cursor"),
        (json!({ "limit": 0 }), "limit", "invalid_limit"),
        (json!({ "from": "2026-12-01", "to": "2026-11-01" }), "from", "after_to"),
        (json!({ "from": "0000-01-01" }), "from", "invalid_date"),
    ] {
        let p = problem(search(&app, &token, body.clone()).await).await;
        assert_eq!((p["field"].as_str(), p["code"].as_str()), (Some(field), Some(code)), "{body}");
    }
    let p = problem(search(&app, &token, json!({ "user": "nobody" })).await).await;
    assert_eq!((p["status"].as_i64(), p["field"].as_str()), (Some(404), Some("user")));
}

async fn only_audit_reviewers_may_review_and_they_gain_no_patient_access_by_it(app: TestApp) {
    for who in ["admin", "anna", "lager"] {
        let token = app.token_for(who).await;
        let resp = search(&app, &token, json!({})).await;
        assert_eq!(resp.status(), 403, "{who}");
        assert_eq!(problem(resp).await["code"], "role_required");
    }
    reviewer(&app).await;
    assert_eq!(app.open_patient("granskare", TOLVAN).await.status(), 403, "reviewing is no ground to read");
}

async fn a_patients_log_extract_is_csv_with_formula_cells_neutralised(app: TestApp) {
    // A display name that a spreadsheet would run as a formula.
    let unit = Some(app.fixture.vardcentral);
    user(&app, "formel", "=HYPERLINK(\"http://evil.example\")", unit, vec![Role::Prescriber]).await;
    assert_eq!(app.open_patient("formel", TOLVAN).await.status(), 200);
    let (granskare, token) = reviewer(&app).await;

    let resp = app.post_json(&token, "/api/v1/audit/log-extract.csv", &json!({ "personal_id": TOLVAN })).await;

    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "text/csv; charset=utf-8");
    let text = resp.text().await.unwrap();
    let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines[0], "Tidpunkt;Användare;Enhet;Händelse;Rättslig grund;Utfall");
    assert_eq!(
        lines[1],
        "2026-11-23 10:00;\"'=HYPERLINK(\"\"http://evil.example\"\")\";Vårdcentralen Solna;Öppnade hjälpmedelsbilden;Vårdrelation;Medgiven"
    );
    let json = app.post_json(&token, "/api/v1/audit/log-extract", &json!({ "personal_id": TOLVAN })).await;
    let extract: Value = json.json().await.unwrap();
    assert_eq!(extract["rows"].as_array().unwrap().len(), 2, "the read, and the CSV extract made before");
    let own = app.storage.search_audit(&by_user(granskare)).await.unwrap();
    let actions: Vec<String> = own.into_iter().map(|r| r.entry.action).collect();
    assert_eq!(actions, ["audit.log_extract", "audit.log_extract"]);
}

async fn an_emergency_access_is_listed_until_a_reviewer_signs_it_off_once(app: TestApp) {
    // Arrange: Lars declares emergency access to Tolvan and reads the record under it.
    let (lars, tolvan) = (app.fixture.other_prescriber, app.fixture.tolvan);
    grant(&app, lars, tolvan, "Akut inläggning").await;
    assert_eq!(app.open_patient("lars", TOLVAN).await.status(), 200);
    let (_, token) = reviewer(&app).await;

    // Act + Assert: listed with its use, flagged in the log, signed off once.
    let list: Value = app.get(&token, "/api/v1/audit/emergency-accesses").await.json().await.unwrap();
    let access = &list["accesses"][0];
    assert_eq!((access["username"].as_str(), access["uses"].as_i64()), (Some("lars"), Some(1)));
    assert_eq!(access["reason"], "Akut inläggning");
    let flagged = rows(&app, &token, json!({ "legal_ground": "emergency_access" })).await;
    assert_eq!(flagged[0]["flags"], json!(["emergency_access"]));
    let path = format!("/api/v1/audit/emergency-accesses/{}/sign-off", access["id"]);
    let sign = json!({ "verdict": "justified", "comment": "Patienten var medvetslös." });
    let signed = app.post_json(&token, &path, &sign).await;
    assert_eq!(signed.status(), 200);
    let signed: Value = signed.json().await.unwrap();
    assert_eq!(
        (signed["sign_off"]["verdict"].as_str(), signed["sign_off"]["reviewed_by"].as_str()),
        (Some("justified"), Some("Greta Granskare"))
    );
    let again = app.post_json(&token, &path, &sign).await;
    assert_eq!(problem(again).await["code"], "already_signed_off");
    let open: Value = app.get(&token, "/api/v1/audit/emergency-accesses").await.json().await.unwrap();
    assert_eq!(open["accesses"], json!([]));
    let all: Value = app.get(&token, "/api/v1/audit/emergency-accesses?status=all").await.json().await.unwrap();
    assert_eq!(all["accesses"][0]["sign_off"]["comment"], "Patienten var medvetslös.");
    let log = app.storage.audit_for_patient(tolvan, 10).await.unwrap();
    assert_eq!(log[0].action, "audit.emergency_access_signed_off");
    assert_eq!(log[0].reason, AccessReason::None);
}

async fn nobody_signs_off_their_own_emergency_access(app: TestApp) {
    let (granskare, token) = reviewer(&app).await;
    grant(&app, granskare, app.fixture.tolvan, "Prövar").await;
    let list: Value = app.get(&token, "/api/v1/audit/emergency-accesses").await.json().await.unwrap();
    let path = format!("/api/v1/audit/emergency-accesses/{}/sign-off", list["accesses"][0]["id"]);
    let resp = app.post_json(&token, &path, &json!({ "verdict": "justified", "comment": "Min egen." })).await;
    assert_eq!(resp.status(), 403);
    assert_eq!(problem(resp).await["code"], "own_emergency_access");
}

/// A browser-like client logged in through the login form, with its CSRF token.
async fn logged_in(app: &TestApp, username: &str) -> (Client, String) {
    let jar = Arc::new(Jar::default());
    let client =
        Client::builder().cookie_provider(jar.clone()).redirect(reqwest::redirect::Policy::none()).build().unwrap();
    client.get(app.url("/login")).send().await.unwrap();
    let url = app.url("/").parse().unwrap();
    let cookies = jar.cookies(&url).map(|v| v.to_str().unwrap_or_default().to_string()).unwrap_or_default();
    let csrf = cookies.split(';').find_map(|c| c.trim().strip_prefix("ramp_csrf=")).expect("csrf cookie").to_string();
    let form = [("username", username), ("password", ramp_storage::fixture::PASSWORD), ("csrf", &csrf)];
    let resp = client.post(app.url("/login")).form(&form).send().await.unwrap();
    assert_eq!(resp.status(), 303);
    (client, csrf)
}

async fn the_review_pages_speak_swedish_and_are_shown_to_reviewers_only(app: TestApp) {
    assert_eq!(app.open_patient("lars", TOLVAN).await.status(), 403);
    let lars = app.fixture.other_prescriber;
    grant(&app, lars, app.fixture.tolvan, "Akut").await;
    reviewer(&app).await;
    let (client, csrf) = logged_in(&app, "granskare").await;

    let home = client.get(app.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(home.contains("href=\"/audit\""), "the menu shows the review to a reviewer");
    let form = [("csrf", csrf.as_str()), ("personal_id", TOLVAN), ("outcome", "refused")];
    let page = client.post(app.url("/audit")).form(&form).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    for words in ["Logggranskning", "Lars Sjukgymnast", "Öppnade hjälpmedelsbilden", "Ingen registrerad grund", "Nekad"]
    {
        assert!(html.contains(words), "{words}");
    }
    assert!(!html.contains("patient.overview"), "no raw codes on the page");
    let extract = [("csrf", csrf.as_str()), ("personal_id", TOLVAN), ("from", ""), ("to", "")];
    let printable = client.post(app.url("/audit/log-extract")).form(&extract).send().await.unwrap();
    assert_eq!(printable.status(), 200);
    assert!(printable.text().await.unwrap().contains("Loggutdrag för Tolvan Tolvansson"));
    let list = client.get(app.url("/audit/emergency")).send().await.unwrap().text().await.unwrap();
    let id =
        list.split("/audit/emergency/").nth(1).and_then(|r| r.split('/').next()).expect("a sign-off form").to_string();
    let short = [("csrf", csrf.as_str()), ("verdict", "justified"), ("comment", "x")];
    let refused = client.post(app.url(&format!("/audit/emergency/{id}/sign-off"))).form(&short).send().await.unwrap();
    assert_eq!(refused.status(), 422);
    assert!(refused.text().await.unwrap().contains("Skriv vad granskningen kom fram till"));
    let sign = [("csrf", csrf.as_str()), ("verdict", "unjustified"), ("comment", "Ingen vårdkontakt.")];
    let signed = client.post(app.url(&format!("/audit/emergency/{id}/sign-off"))).form(&sign).send().await.unwrap();
    assert_eq!(signed.status(), 303);
    let all = client.get(app.url("/audit/emergency?status=all")).send().await.unwrap().text().await.unwrap();
    assert!(all.contains("Ej befogad"), "the verdict in words");

    let (anna, _) = logged_in(&app, "anna").await;
    let home = anna.get(app.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(!home.contains("href=\"/audit\""), "hidden from others");
    assert_eq!(anna.get(app.url("/audit")).send().await.unwrap().status(), 403);
    assert_eq!(anna.get(app.url("/audit/emergency")).send().await.unwrap().status(), 403);
}

async fn an_audit_reviewer_works_the_review_pages_in_chromium_with_no_serious_accessibility_faults(app: TestApp) {
    use ramp_testkit::browser::Browser;
    assert_eq!(app.open_patient("lars", TOLVAN).await.status(), 403);
    let lars = app.fixture.other_prescriber;
    grant(&app, lars, app.fixture.tolvan, "Akut").await;
    reviewer(&app).await;
    let b = Browser::start().await;
    b.goto(&app.url("/login")).await;
    b.type_into(&b.labelled("Användarnamn").await, "granskare").await;
    b.type_into(&b.labelled("Lösenord").await, ramp_storage::fixture::PASSWORD).await;
    b.click(&b.by_text("button", "Logga in").await).await;
    b.wait_for_text("Välkommen").await;

    b.click(&b.by_text("a", "Logggranskning").await).await;
    b.wait_for_text("Urval").await;
    b.assert_accessible("the audit search form").await;
    b.type_into(&b.labelled("Patientens personnummer").await, TOLVAN).await;
    b.click(&b.by_text("button", "Sök i loggen").await).await;
    b.wait_for_text("Loggposter, senaste först").await;
    assert!(b.page_text().await.contains("Nekad"));
    b.assert_accessible("the audit search results").await;

    b.click(&b.by_text("a", "Loggutdrag").await).await;
    b.type_into(&b.labelled("Patientens personnummer").await, TOLVAN).await;
    b.click(&b.by_text("button", "Visa utskriftsvänligt").await).await;
    b.wait_for_text("Loggutdrag för Tolvan Tolvansson").await;
    b.assert_accessible("the printable log extract").await;

    b.goto(&app.url("/audit/emergency")).await;
    b.wait_for_text("Nödåtkomster att granska").await;
    b.assert_accessible("the emergency-access review list").await;
    b.click(&b.find("input[name=verdict][value=justified]").await).await;
    b.type_into(&b.labelled("Kommentar").await, "Akut vård, rimligt.").await;
    b.click(&b.by_text("button", "Signera").await).await;
    b.wait_for_text("Granskningen är signerad.").await;
    b.click(&b.by_text("a", "In English").await).await;
    b.wait_for_text("Emergency accesses to review").await;
    b.goto(&app.url("/audit/emergency?status=all")).await;
    b.wait_for_text("Justified").await;
    b.assert_accessible("the emergency-access list in English").await;
    b.quit().await;
}

ramp_testkit::on_both_engines!(
    an_audit_reviewer_works_the_review_pages_in_chromium_with_no_serious_accessibility_faults,
    an_audit_reviewer_sees_who_read_a_patient_on_what_ground_and_the_search_is_audited,
    the_filters_select_by_user_unit_period_legal_ground_and_outcome,
    the_review_pages_by_next_until_every_row_was_seen_once,
    invalid_filters_are_refused_naming_their_field,
    only_audit_reviewers_may_review_and_they_gain_no_patient_access_by_it,
    a_patients_log_extract_is_csv_with_formula_cells_neutralised,
    an_emergency_access_is_listed_until_a_reviewer_signs_it_off_once,
    nobody_signs_off_their_own_emergency_access,
    the_review_pages_speak_swedish_and_are_shown_to_reviewers_only,
);
