//! Logging in against an attacker (docs/SECURITY.md): failed logins are
//! throttled per account and per client address with a doubling wait, the
//! counts live in the database, an unknown account costs the same argon2
//! verification as a known one; API tokens are listed and revoked by their
//! owner, by `ramp token revoke`, and by logging out with them.

use chrono::Duration;
use ramp_app::{App, AppConfig};
use ramp_testkit::{problem, TestApp};
use reqwest::Response;
use serde_json::{json, Value};

const PASSWORD: &str = ramp_storage::fixture::PASSWORD;

async fn log_in(app: &TestApp, username: &str, password: &str) -> Response {
    let body = json!({ "username": username, "password": password });
    app.client.post(app.url("/api/v1/session")).json(&body).send().await.unwrap()
}

fn retry_after(resp: &Response) -> Option<String> {
    resp.headers().get("retry-after").and_then(|v| v.to_str().ok()).map(str::to_string)
}

/// Expects 429 `too_many_attempts` with the wait in `Retry-After` and the body.
async fn assert_throttled(resp: Response, seconds: i64) {
    assert_eq!((resp.status().as_u16(), retry_after(&resp)), (429, Some(seconds.to_string())));
    let p = problem(resp).await;
    assert_eq!((p["code"].as_str(), p["retry_after"].as_i64()), (Some("too_many_attempts"), Some(seconds)));
}

async fn after_five_failed_logins_an_account_waits_one_second_then_twice_as_long_each_time_up_to_fifteen_minutes(
    app: TestApp,
) {
    for _ in 0..5 {
        assert_eq!(log_in(&app, "anna", "fel lösenord").await.status(), 401);
    }
    assert_throttled(log_in(&app, "anna", PASSWORD).await, 1).await;
    app.clock.advance(Duration::seconds(1));
    assert_eq!(log_in(&app, "anna", "fel igen").await.status(), 401);
    assert_throttled(log_in(&app, "anna", PASSWORD).await, 2).await;
    app.clock.advance(Duration::seconds(2));
    assert_eq!(log_in(&app, "anna", "fel igen").await.status(), 401);
    assert_throttled(log_in(&app, "anna", PASSWORD).await, 4).await;
    app.clock.advance(Duration::seconds(4));
    assert_eq!(log_in(&app, "anna", PASSWORD).await.status(), 200, "the right password after the wait");
    assert_eq!(log_in(&app, "anna", "fel").await.status(), 401);
    assert_eq!(log_in(&app, "anna", PASSWORD).await.status(), 200, "a success starts the count afresh");

    for _ in 0..16 {
        let resp = log_in(&app, "lars", "fel").await;
        if resp.status() == 429 {
            let wait: i64 = retry_after(&resp).unwrap().parse().unwrap();
            app.clock.advance(Duration::seconds(wait));
            assert_eq!(log_in(&app, "lars", "fel").await.status(), 401);
        }
    }
    assert_throttled(log_in(&app, "lars", PASSWORD).await, 900).await;
}

async fn the_login_page_says_in_swedish_how_many_seconds_to_wait(app: TestApp) {
    let (client, csrf) = app.ui_client().await;
    let attempt = |password: &'static str| {
        client
            .post(app.url("/login"))
            .form(&[("username", "anna"), ("password", password), ("csrf", csrf.as_str())])
            .send()
    };
    for _ in 0..5 {
        assert_eq!(attempt("fel").await.unwrap().status(), 401);
    }
    let page = attempt(PASSWORD).await.unwrap();
    assert_eq!((page.status().as_u16(), retry_after(&page).as_deref()), (429, Some("1")));
    let html = page.text().await.unwrap();
    assert!(html.contains("För många misslyckade inloggningar. Försök igen om 1 sekunder."), "{html}");
}

async fn one_client_address_trying_many_accounts_is_throttled_too(app: TestApp) {
    for n in 0..20 {
        let resp = log_in(&app, &format!("gissning{n}"), "123456").await;
        assert_eq!(resp.status(), 401, "one try per account: no account is throttled");
    }
    assert_throttled(log_in(&app, "anna", PASSWORD).await, 1).await;
    app.clock.advance(Duration::seconds(1));
    assert_eq!(log_in(&app, "anna", PASSWORD).await.status(), 200);
}

async fn the_counts_live_in_the_database_so_every_process_sees_them(app: TestApp) {
    for _ in 0..5 {
        assert_eq!(log_in(&app, "anna", "fel").await.status(), 401);
    }
    // Another process: its own app and caches over the same database.
    let other = App::new(app.storage.clone(), app.clock.clone(), AppConfig::default());
    let refused = ramp_app::auth::login(&other, "anna", PASSWORD, None).await.err().expect("throttled");
    assert_eq!((refused.code, refused.retry_after()), ("too_many_attempts", Some(1)));
}

async fn an_unknown_account_costs_the_same_argon2_verification_and_gets_the_same_answer(app: TestApp) {
    let before = ramp_app::auth::dummy_verifications();
    let unknown = log_in(&app, "ingen-sadan", "fel lösenord").await;
    assert!(ramp_app::auth::dummy_verifications() > before, "the unknown account was verified against the dummy hash");
    let known = log_in(&app, "anna", "fel lösenord").await;
    assert_eq!((unknown.status().as_u16(), known.status().as_u16()), (401, 401));
    assert_eq!(problem(unknown).await, problem(known).await);
}

async fn logins_and_refused_logins_of_known_accounts_are_written_to_the_audit_log(app: TestApp) {
    let anna = app.fixture.prescriber;
    assert_eq!(log_in(&app, "anna", PASSWORD).await.status(), 200);
    assert_eq!(log_in(&app, "anna", "fel lösenord").await.status(), 401);
    assert_eq!(log_in(&app, "ingen-sadan", "fel lösenord").await.status(), 401);
    let admin = app.storage.user_by_username("admin").await.unwrap().unwrap();
    let caller = ramp_app::admin::Caller::new(&admin, None);
    ramp_app::admin::deactivate_user(&app.app, caller, anna).await.unwrap();
    assert_eq!(log_in(&app, "anna", PASSWORD).await.status(), 401);

    let mut rows = app.storage.audit_recent(50).await.unwrap();
    rows.retain(|a| a.action.starts_with("session."));
    rows.reverse();
    let seen: Vec<_> = rows.iter().map(|a| (a.user_id, a.action.as_str(), a.detail.as_deref(), a.patient_id)).collect();
    assert_eq!(
        seen,
        [
            (anna, "session.login", Some("password"), None),
            (anna, "session.login.refused", Some("wrong password"), None),
            (anna, "session.login.refused", Some("account deactivated"), None),
        ],
        "an unknown account has no user to write; the throttle counts it"
    );
}

async fn token_ids(app: &TestApp, token: &str) -> Vec<(i64, Option<String>)> {
    let list: Value = app.get(token, "/api/v1/tokens").await.json().await.unwrap();
    list.as_array()
        .unwrap()
        .iter()
        .map(|t| (t["id"].as_i64().unwrap(), t["revoked_at"].as_str().map(str::to_string)))
        .collect()
}

async fn a_user_lists_and_revokes_their_own_api_tokens_and_no_one_elses(app: TestApp) {
    let (first, second) = (app.token_for("anna").await, app.token_for("anna").await);
    let lars = app.token_for("lars").await;
    let list: Value = app.get(&first, "/api/v1/tokens").await.json().await.unwrap();
    assert_eq!(list.as_array().unwrap().len(), 2);
    let mut keys: Vec<&str> = list[0].as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(keys, ["created_at", "id", "name", "revoked_at"], "never the secret or its hash");
    let anna_ids: Vec<i64> = token_ids(&app, &first).await.iter().map(|t| t.0).collect();
    let lars_id = token_ids(&app, &lars).await[0].0;

    let delete =
        |token: &str, id: i64| app.client.delete(app.url(&format!("/api/v1/tokens/{id}"))).bearer_auth(token).send();
    assert_eq!(problem(delete(&first, lars_id).await.unwrap()).await["code"], "token_not_found");
    assert_eq!(app.get(&lars, "/api/v1/me").await.status(), 200, "another user's token is untouched");

    let second_id = anna_ids[0];
    assert_eq!(delete(&first, second_id).await.unwrap().status(), 204);
    assert_eq!(app.get(&second, "/api/v1/me").await.status(), 401, "revoked at once");
    assert_eq!(app.get(&first, "/api/v1/me").await.status(), 200);
    assert_eq!(problem(delete(&first, second_id).await.unwrap()).await["code"], "token_not_found", "once");
    let listed = token_ids(&app, &first).await;
    assert!(listed.iter().any(|(id, revoked)| *id == second_id && revoked.is_some()), "{listed:?}");
}

async fn logging_out_with_a_bearer_token_revokes_it(app: TestApp) {
    let token = app.token_for("anna").await;
    assert_eq!(app.get(&token, "/api/v1/me").await.status(), 200);
    let out = app.client.delete(app.url("/api/v1/session")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(out.status(), 204);
    assert_eq!(app.get(&token, "/api/v1/me").await.status(), 401);
    let tokens = app.storage.api_tokens_of_user(app.fixture.prescriber).await.unwrap();
    assert!(tokens[0].revoked_at.is_some());
}

async fn the_servers_revoke_command_revokes_any_token_by_id(app: TestApp) {
    let token = app.token_for("lars").await;
    assert_eq!(app.get(&token, "/api/v1/me").await.status(), 200);
    let id = app.storage.api_tokens_of_user(app.fixture.other_prescriber).await.unwrap()[0].id;
    ramp_app::auth::revoke_api_token(&app.app, id).await.unwrap();
    assert_eq!(app.get(&token, "/api/v1/me").await.status(), 401);
    let again = ramp_app::auth::revoke_api_token(&app.app, id).await.unwrap_err();
    assert_eq!((again.code, again.field.as_deref()), ("token_not_found", Some("id")));
}

ramp_testkit::on_both_engines!(
    after_five_failed_logins_an_account_waits_one_second_then_twice_as_long_each_time_up_to_fifteen_minutes,
    the_login_page_says_in_swedish_how_many_seconds_to_wait,
    one_client_address_trying_many_accounts_is_throttled_too,
    the_counts_live_in_the_database_so_every_process_sees_them,
    an_unknown_account_costs_the_same_argon2_verification_and_gets_the_same_answer,
    a_user_lists_and_revokes_their_own_api_tokens_and_no_one_elses,
    logging_out_with_a_bearer_token_revokes_it,
    the_servers_revoke_command_revokes_any_token_by_id,
    logins_and_refused_logins_of_known_accounts_are_written_to_the_audit_log,
);
