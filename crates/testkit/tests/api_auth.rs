//! Authentication: local accounts with sessions, API tokens, CSRF.

use ramp_testkit::{problem, TestApp};
use reqwest::header::{COOKIE, SET_COOKIE};
use serde_json::{json, Value};

async fn the_api_refuses_callers_without_a_token_or_session(app: TestApp) {
    let resp = app.client.get(app.url("/api/v1/me")).send().await.unwrap();
    assert_eq!(resp.status(), 401);
    assert_eq!(problem(resp).await["code"], "authentication_required");
    let resp = app.get("not-a-token", "/api/v1/me").await;
    assert_eq!(resp.status(), 401);
}

async fn an_api_token_identifies_its_user(app: TestApp) {
    let token = app.token_for("anna").await;
    let me: Value = app.get(&token, "/api/v1/me").await.json().await.unwrap();
    assert_eq!(me["username"], "anna");
    assert_eq!(me["roles"], json!(["prescriber"]));
    assert_eq!(me["competences"], json!(["mobility"]));
}

async fn a_wrong_password_is_refused_without_saying_which_part_was_wrong(app: TestApp) {
    for (user, pw) in [("anna", "fel lösenord"), ("nobody", "demo-lösen-2026")] {
        let resp = app
            .client
            .post(app.url("/api/v1/session"))
            .json(&json!({"username": user, "password": pw}))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 401);
        let p = problem(resp).await;
        assert_eq!(p["code"], "invalid_credentials");
    }
}

fn cookie_pair(resp: &reqwest::Response, name: &str) -> String {
    resp.headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with(&format!("{name}=")))
        .map(|c| c.split(';').next().unwrap().to_string())
        .unwrap_or_else(|| panic!("no {name} cookie"))
}

async fn log_in_as_anna(app: &TestApp) -> reqwest::Response {
    let body = json!({"username": "anna", "password": ramp_storage::fixture::PASSWORD});
    app.client.post(app.url("/api/v1/session")).json(&body).send().await.unwrap()
}

async fn a_session_cookie_is_http_only_and_needs_the_csrf_header_for_changes(app: TestApp) {
    let login = log_in_as_anna(&app).await;
    assert_eq!(login.status(), 200);
    let raw = login
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(raw.contains("HttpOnly") && raw.contains("SameSite=Lax"), "{raw}");
    let session = cookie_pair(&login, "ramp_session");
    let csrf = cookie_pair(&login, "ramp_csrf");
    let cookies = format!("{session}; {csrf}");

    let me = app.client.get(app.url("/api/v1/me")).header(COOKIE, &cookies).send().await.unwrap();
    assert_eq!(me.status(), 200);

    let body = json!({"personal_id": "19121212-1212"});
    let without = app
        .client
        .post(app.url("/api/v1/patients/overview"))
        .header(COOKIE, &cookies)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(without.status(), 403);
    assert_eq!(problem(without).await["code"], "csrf_failed");
    let token = csrf.split_once('=').unwrap().1;
    let with = app
        .client
        .post(app.url("/api/v1/patients/overview"))
        .header(COOKIE, &cookies)
        .header("x-csrf-token", token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(with.status(), 200);

    let out = app.client.delete(app.url("/api/v1/session")).header(COOKIE, &cookies).send().await.unwrap();
    assert_eq!(out.status(), 204);
    let me = app.client.get(app.url("/api/v1/me")).header(COOKIE, &cookies).send().await.unwrap();
    assert_eq!(me.status(), 401, "the session is gone after logout");
}

async fn a_session_expires_after_its_time_to_live(app: TestApp) {
    let login = log_in_as_anna(&app).await;
    let session = cookie_pair(&login, "ramp_session");
    app.clock.advance(chrono::Duration::hours(11));
    let me = app.client.get(app.url("/api/v1/me")).header(COOKIE, &session).send().await.unwrap();
    assert_eq!(me.status(), 401);
}

ramp_testkit::on_both_engines!(
    the_api_refuses_callers_without_a_token_or_session,
    an_api_token_identifies_its_user,
    a_wrong_password_is_refused_without_saying_which_part_was_wrong,
    a_session_cookie_is_http_only_and_needs_the_csrf_header_for_changes,
    a_session_expires_after_its_time_to_live,
);
