//! Login through the region's identity provider (OIDC code flow + PKCE)
//! against a real provider (npm oidc-provider, started per test): the HSA
//! id maps to an existing active user and nobody else; the state, the
//! nonce and the code are each checked; logout ends the session here and
//! at the provider. One test logs in through the provider in Chromium.

use ramp_app::model::User;
use ramp_domain::role::Role;
use ramp_testkit::browser::Browser;
use ramp_testkit::oidc::{
    form_action, input_value, location, query_param, with_query_param, ClaimsIn, OidcClient, ProviderOptions,
};
use ramp_testkit::{spawn_app_with_oidc, Engine, TestApp};
use reqwest::{Response, StatusCode};
use serde_json::Value;

async fn oidc_app(engine: Engine) -> TestApp {
    spawn_app_with_oidc(engine, ProviderOptions::default()).await
}

/// Codes expire after one second.
async fn short_code_app(engine: Engine) -> TestApp {
    spawn_app_with_oidc(engine, ProviderOptions { code_ttl_seconds: 1, ..ProviderOptions::default() }).await
}

/// The provider gives the HSA id at its userinfo endpoint only.
async fn userinfo_app(engine: Engine) -> TestApp {
    spawn_app_with_oidc(engine, ProviderOptions { claims_in: ClaimsIn::UserInfo, ..ProviderOptions::default() }).await
}

/// Who the client's session cookie belongs to, by `/api/v1/me`.
async fn me(client: &OidcClient, app: &TestApp) -> Option<String> {
    let resp = client.get(&app.url("/api/v1/me")).await;
    if resp.status() != StatusCode::OK {
        return None;
    }
    resp.json::<Value>().await.ok()?["username"].as_str().map(str::to_string)
}

fn set_cookie_names(resp: &Response) -> Vec<String> {
    resp.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter(|v| !v.contains("Max-Age=0"))
        .filter_map(|v| v.split('=').next().map(str::to_string))
        .collect()
}

/// Logs in as `login` at the provider; returns the client and the callback URL, unfollowed.
async fn to_callback(app: &TestApp, login: &str) -> (OidcClient, String) {
    let client = OidcClient::new();
    let authorize = client.start_login(&app.base, "/").await;
    let callback = client.log_in_at_provider(&authorize, &app.base, login).await;
    (client, callback)
}

async fn a_user_logs_in_through_the_provider_and_lands_where_they_were_going(app: TestApp) {
    let client = OidcClient::new();
    let authorize = client.start_login(&app.base, "/patient").await;
    let issuer = &app.oidc.as_ref().unwrap().issuer;
    assert!(authorize.starts_with(&format!("{issuer}/auth?")), "{authorize}");
    assert_eq!(query_param(&authorize, "code_challenge_method").as_deref(), Some("S256"), "PKCE");
    assert!(query_param(&authorize, "nonce").is_some_and(|n| n.len() >= 16));
    let pending = client.cookie(&app.base, "ramp_oidc").expect("the login in progress is remembered");
    assert_eq!(pending.split('.').count(), 2, "signed: {pending}");

    let callback = client.log_in_at_provider(&authorize, &app.base, "anna").await;
    assert!(query_param(&callback, "code").is_some());
    let resp = client.get(&callback).await;
    assert_eq!((resp.status(), location(&resp)), (StatusCode::SEE_OTHER, app.url("/patient")));
    let cookies = set_cookie_names(&resp);
    assert!(cookies.contains(&"ramp_session".to_string()), "{cookies:?}");
    assert_eq!(me(&client, &app).await.as_deref(), Some("anna"));
    assert!(client.cookie(&app.base, "ramp_oidc").is_none(), "the pending login is spent");
    let anna = app.storage.user_by_username("anna").await.unwrap().unwrap();
    assert_eq!(anna.last_login_at, Some(app.app.now()), "the same session start as a password login");
}

async fn logging_out_ends_the_session_here_and_at_the_provider(app: TestApp) {
    let (client, callback) = to_callback(&app, "anna").await;
    client.get(&callback).await;
    assert_eq!(me(&client, &app).await.as_deref(), Some("anna"));
    let home = client.get(&app.url("/")).await.text().await.unwrap();
    let csrf = input_value(&home, "csrf").expect("the logout form's token");

    let resp = client.http.post(app.url("/logout")).form(&[("csrf", csrf.as_str())]).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let end_session = location(&resp);
    let issuer = &app.oidc.as_ref().unwrap().issuer;
    assert!(end_session.starts_with(&format!("{issuer}/session/end?")), "RP-initiated logout: {end_session}");
    assert!(query_param(&end_session, "id_token_hint").is_some_and(|t| t.split('.').count() == 3));
    assert_eq!(query_param(&end_session, "post_logout_redirect_uri"), Some(app.url("/login")));
    assert_eq!(me(&client, &app).await, None, "the local session is gone before the provider is asked");

    let page = client.get(&end_session).await;
    assert_eq!(page.status(), StatusCode::OK, "the provider asks to confirm");
    let html = page.text().await.unwrap();
    let confirm = reqwest::Url::parse(&end_session).unwrap().join(&form_action(&html).unwrap()).unwrap();
    let xsrf = input_value(&html, "xsrf").expect("the provider's logout token");
    let done = client.http.post(confirm).form(&[("xsrf", xsrf.as_str()), ("logout", "yes")]).send().await.unwrap();
    assert_eq!(location(&done), app.url("/login"), "the provider sends the browser back to Ramp's login page");

    // Logged out at the provider too: a new login asks for the password again.
    let authorize = client.start_login(&app.base, "/").await;
    let (_, form) = client.follow(&authorize, &app.base).await;
    assert!(form.text().await.unwrap().contains("name=\"password\""), "the provider's session ended");
}

async fn a_tampered_state_is_refused_and_nobody_is_logged_in(app: TestApp) {
    let (client, callback) = to_callback(&app, "anna").await;
    let tampered = with_query_param(&callback, "state", "forged-state");
    let resp = client.get(&tampered).await;
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    assert!(!set_cookie_names(&resp).contains(&"ramp_session".to_string()));
    let html = resp.text().await.unwrap();
    assert!(html.contains("hör inte till inloggningen du startade"), "{html}");
    assert!(html.contains("Ingen har loggats in"));
    assert_eq!(me(&client, &app).await, None);
}

async fn a_callback_without_the_login_cookie_is_refused(app: TestApp) {
    let (_, callback) = to_callback(&app, "anna").await;
    // Another browser (an attacker's link) has no pending login: login CSRF fails.
    let other = OidcClient::new();
    let resp = other.get(&callback).await;
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    assert!(resp.text().await.unwrap().contains("startades inte i den här webbläsaren"));
    assert_eq!(me(&other, &app).await, None);
}

async fn an_id_token_with_another_nonce_is_refused(app: TestApp) {
    let client = OidcClient::new();
    let authorize = client.start_login(&app.base, "/").await;
    // The provider signs whatever nonce it is asked for: one that is not this login's.
    let forged = with_query_param(&authorize, "nonce", "nonce-of-another-login-0123456789");
    let callback = client.log_in_at_provider(&forged, &app.base, "anna").await;
    let resp = client.get(&callback).await;
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    assert!(!set_cookie_names(&resp).contains(&"ramp_session".to_string()));
    assert!(resp.text().await.unwrap().contains("hör inte till den här inloggningen"));
    assert_eq!(me(&client, &app).await, None);
}

async fn a_code_used_once_is_refused_the_second_time(app: TestApp) {
    let client = OidcClient::new();
    let authorize = client.start_login(&app.base, "/").await;
    let pending = client.cookie(&app.base, "ramp_oidc").unwrap();
    let callback = client.log_in_at_provider(&authorize, &app.base, "anna").await;
    assert_eq!(client.get(&callback).await.status(), StatusCode::SEE_OTHER, "the first use logs in");

    // The same answer again, with the same login cookie, from a fresh browser.
    let replay = app.client.get(&callback).header("cookie", format!("ramp_oidc={pending}")).send().await.unwrap();
    assert_eq!(replay.status(), StatusCode::UNAUTHORIZED);
    assert!(!set_cookie_names(&replay).contains(&"ramp_session".to_string()));
    assert!(replay.text().await.unwrap().contains("har gått ut eller redan använts"));
}

async fn an_expired_code_is_refused(app: TestApp) {
    let (client, callback) = to_callback(&app, "anna").await;
    // The provider gives codes one second here; the wait is the expiry under test.
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    let resp = client.get(&callback).await;
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    assert!(resp.text().await.unwrap().contains("har gått ut eller redan använts"));
    assert_eq!(me(&client, &app).await, None);
}

async fn an_unknown_hsa_id_is_refused_and_no_account_is_created(app: TestApp) {
    let users_before = app.storage.counts().await.unwrap().users;
    let (client, callback) = to_callback(&app, "okand").await;
    let resp = client.get(&callback).await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    let html = resp.text().await.unwrap();
    assert!(html.contains("Ditt HSA-id är inte kopplat till något konto i Ramp"), "{html}");
    assert!(html.contains("Konton skapas inte vid första inloggningen"));
    assert_eq!(me(&client, &app).await, None);
    assert_eq!(app.storage.counts().await.unwrap().users, users_before, "no self-provisioning");
    assert!(app.storage.user_by_hsa_id("SE2321000016-OKAND").await.unwrap().is_none());
}

async fn a_deactivated_user_is_refused(app: TestApp) {
    let anna = app.storage.user_by_username("anna").await.unwrap().unwrap();
    app.storage
        .insert_users(&[User {
            id: 50,
            username: "aina".into(),
            display_name: "Aina Avstängd".into(),
            password_hash: None,
            active: false,
            roles: vec![Role::Prescriber],
            hsa_id: Some("SE2321000016-AVST".into()),
            ..anna
        }])
        .await
        .unwrap();
    let (client, callback) = to_callback(&app, "avstangd").await;
    let resp = client.get(&callback).await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    assert!(resp.text().await.unwrap().contains("Ditt konto i Ramp är avstängt"));
    assert_eq!(me(&client, &app).await, None);
}

async fn a_login_without_an_hsa_id_claim_is_refused(app: TestApp) {
    let (client, callback) = to_callback(&app, "utan-hsa").await;
    let resp = client.get(&callback).await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    assert!(resp.text().await.unwrap().contains("inget giltigt HSA-id"));
    assert_eq!(me(&client, &app).await, None);
}

async fn the_hsa_id_is_read_from_userinfo_when_the_id_token_lacks_it(app: TestApp) {
    let (client, callback) = to_callback(&app, "admin").await;
    let resp = client.get(&callback).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(me(&client, &app).await.as_deref(), Some("admin"));
}

async fn a_password_session_logs_out_locally_only(app: TestApp) {
    let client = OidcClient::new();
    let page = client.get(&app.url("/login")).await.text().await.unwrap();
    assert!(page.contains("Logga in med SITHS/e-tjänstekort"), "the login page offers the provider");
    let csrf = input_value(&page, "csrf").unwrap();
    let login = [("username", "anna"), ("password", ramp_storage::fixture::PASSWORD), ("csrf", &csrf)];
    client.http.post(app.url("/login")).form(&login).send().await.unwrap();
    assert_eq!(me(&client, &app).await.as_deref(), Some("anna"), "local passwords remain");
    let resp = client.http.post(app.url("/logout")).form(&[("csrf", csrf.as_str())]).send().await.unwrap();
    assert_eq!(location(&resp), app.url("/login"));
    assert_eq!(me(&client, &app).await, None);
}

async fn without_oidc_settings_the_login_page_offers_passwords_only(app: TestApp) {
    let page = app.client.get(app.url("/login")).send().await.unwrap().text().await.unwrap();
    assert!(!page.contains("SITHS") && page.contains("Lösenord"));
    let resp = app.client.get(app.url("/login/oidc")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
}

async fn a_user_logs_in_through_the_provider_in_chromium_and_out_again(app: TestApp) {
    let b = Browser::start().await;
    b.goto(&app.url("/login")).await;
    b.assert_accessible("the login page with SITHS login").await;
    b.click(&b.by_text("button", "Logga in med SITHS/e-tjänstekort").await).await;
    b.wait_for_text("Regionens inloggningstjänst (test)").await;
    let login = b.labelled("Användar-id").await;
    b.type_into(&login, "anna").await;
    let password = b.labelled("Lösenord").await;
    b.type_into(&password, ramp_testkit::oidc::PROVIDER_PASSWORD).await;
    b.click(&b.by_text("button", "Logga in hos IdP").await).await;
    b.wait_for_text("Välkommen").await;
    assert!(b.page_text().await.contains("Anna Arbetsterapeut"), "logged in as the HSA id's user");
    assert!(b.current_url().await.starts_with(&app.base));

    b.click(&b.by_text("button", "Logga ut").await).await;
    b.wait_for_text("Logga ut från regionens inloggningstjänst").await;
    b.click(&b.by_text("button", "Ja, logga ut").await).await;
    b.wait_for_text("Användarnamn").await;
    assert!(b.current_url().await.starts_with(&app.url("/login")), "back at Ramp's login page");
    b.goto(&app.url("/")).await;
    assert!(b.current_url().await.contains("/login"), "the session is gone");
    b.quit().await;
}

ramp_testkit::on_both_engines!(with super::oidc_app;
    a_user_logs_in_through_the_provider_and_lands_where_they_were_going,
    logging_out_ends_the_session_here_and_at_the_provider,
    a_tampered_state_is_refused_and_nobody_is_logged_in,
    a_callback_without_the_login_cookie_is_refused,
    an_id_token_with_another_nonce_is_refused,
    a_code_used_once_is_refused_the_second_time,
    an_unknown_hsa_id_is_refused_and_no_account_is_created,
    a_deactivated_user_is_refused,
    a_login_without_an_hsa_id_claim_is_refused,
    a_password_session_logs_out_locally_only,
    a_user_logs_in_through_the_provider_in_chromium_and_out_again,
);

mod short_codes {
    use super::*;
    ramp_testkit::on_both_engines!(with super::short_code_app; an_expired_code_is_refused);
}

mod userinfo {
    use super::*;
    ramp_testkit::on_both_engines!(with super::userinfo_app; the_hsa_id_is_read_from_userinfo_when_the_id_token_lacks_it);
}

mod without_oidc {
    use super::*;
    ramp_testkit::on_both_engines!(without_oidc_settings_the_login_page_offers_passwords_only);
}
