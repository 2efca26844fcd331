//! `spawn_app`: a real server on 127.0.0.1:0 with the fixture loaded and a
//! test clock, plus helpers that call it the way clients do.

use crate::engine::{fresh_storage, Engine};
use crate::oidc::{self, OidcProvider, ProviderOptions};
use chrono::{DateTime, TimeZone, Utc};
use ramp_app::agreements::Agreements;
use ramp_app::oidc::{Oidc, OidcInput, OidcSettings};
use ramp_app::{App, AppConfig, FixedClock};
use ramp_storage::fixture::{self, Fixture};
use ramp_storage::Storage;
use reqwest::cookie::{CookieStore, Jar};
use reqwest::{Client, Response};
use serde_json::Value;
use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};

/// The test clock's start: a Monday, in Stockholm 10:00.
pub const TEST_NOW: (i32, u32, u32) = (2026, 11, 23);

pub fn test_now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(TEST_NOW.0, TEST_NOW.1, TEST_NOW.2, 9, 0, 0).single().expect("valid")
}

/// One argon2 hash of the fixture password for the whole test run.
pub fn password_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| ramp_app::auth::hash_password(fixture::PASSWORD).expect("hash"))
}

/// A running server and what tests need to talk to it.
pub struct TestApp {
    pub engine: Engine,
    pub addr: SocketAddr,
    pub base: String,
    pub storage: Arc<dyn Storage>,
    pub clock: Arc<FixedClock>,
    pub app: App,
    pub fixture: Fixture,
    /// A client without cookies.
    pub client: Client,
    /// The identity provider this app logs in through, if any (killed with the app).
    pub oidc: Option<OidcProvider>,
}

pub async fn spawn_app(engine: Engine) -> TestApp {
    spawn_app_with(engine, Arc::new(Agreements::builtin())).await
}

/// `spawn_app` with the given agreement store (e.g. a watched directory).
pub async fn spawn_app_with(engine: Engine, agreements: Arc<Agreements>) -> TestApp {
    spawn(engine, agreements, None, AppConfig::default()).await
}

/// `spawn_app` deciding under the demo region's agreement (Västra Götaland),
/// whose versions carry the lost-device pilot of seed 004.
pub async fn spawn_app_in_demo_region(engine: Engine) -> TestApp {
    let config = AppConfig { agreement_region: "vastra_gotaland".into(), ..AppConfig::default() };
    spawn(engine, Arc::new(Agreements::builtin()), None, config).await
}

/// `spawn_app` with the given application settings (e.g. where alarms escalate).
pub async fn spawn_app_with_config(engine: Engine, config: AppConfig) -> TestApp {
    spawn(engine, Arc::new(Agreements::builtin()), None, config).await
}

/// `spawn_app` logging in through a real OIDC provider of its own, started
/// with `options` (see [`crate::oidc`]). The clock starts at the real time,
/// since the provider's tokens carry it.
pub async fn spawn_app_with_oidc(engine: Engine, options: ProviderOptions) -> TestApp {
    spawn(engine, Arc::new(Agreements::builtin()), Some(options), AppConfig::default()).await
}

async fn spawn(
    engine: Engine,
    agreements: Arc<Agreements>,
    oidc: Option<ProviderOptions>,
    config: AppConfig,
) -> TestApp {
    let storage = fresh_storage(engine).await;
    let fixture = fixture::load(storage.as_ref(), password_hash()).await.expect("fixture");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let base = format!("http://{addr}");
    let clock = Arc::new(FixedClock::new(test_now()));
    let mut app = App::new(storage.clone(), clock.clone(), config);
    let provider = match oidc {
        None => None,
        Some(options) => {
            let provider = OidcProvider::start(&base, options).await;
            // Whole seconds, as every engine stores them.
            let now = ramp_app::Clock::now(&ramp_app::SystemClock).timestamp();
            clock.set(DateTime::from_timestamp(now, 0).expect("a valid instant"));
            let settings = OidcSettings::from_input(&OidcInput {
                issuer_url: Some(provider.issuer.clone()),
                client_id: Some(oidc::CLIENT_ID.into()),
                client_secret: Some(oidc::CLIENT_SECRET.into()),
                redirect_url: Some(format!("{base}/login/oidc/callback")),
                ..OidcInput::default()
            })
            .expect("OIDC settings")
            .expect("OIDC on");
            app = app.with_oidc(Oidc::new(settings).expect("OIDC client"));
            Some(provider)
        }
    };
    let state = ramp_web::AppState::new(app.clone(), agreements, false);
    tokio::spawn(ramp_web::serve(listener, state, std::future::pending()));
    TestApp {
        oidc: provider,
        engine,
        addr,
        base,
        storage,
        clock,
        app,
        fixture,
        client: Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client"),
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// An API token for a fixture user.
    pub async fn token_for(&self, username: &str) -> String {
        ramp_app::auth::create_api_token(&self.app, username, "test").await.expect("token")
    }

    pub async fn get(&self, token: &str, path: &str) -> Response {
        self.client.get(self.url(path)).bearer_auth(token).send().await.expect("request")
    }

    /// POST `body` as JSON with a token of the fixture user `who`.
    pub async fn post_as(&self, who: &str, path: &str, body: Value) -> Response {
        let token = self.token_for(who).await;
        self.post_json(&token, path, &body).await
    }

    /// GET as the fixture user `who`; the answer must be 200, its JSON is returned.
    pub async fn get_as(&self, who: &str, path: &str) -> Value {
        let token = self.token_for(who).await;
        let resp = self.get(&token, path).await;
        assert_eq!(resp.status(), 200, "{path}");
        resp.json().await.expect("JSON")
    }

    pub async fn post_json(&self, token: &str, path: &str, body: &Value) -> Response {
        self.client.post(self.url(path)).bearer_auth(token).json(body).send().await.expect("request")
    }

    pub async fn put_json(&self, token: &str, path: &str, body: &Value) -> Response {
        self.client.put(self.url(path)).bearer_auth(token).json(body).send().await.expect("request")
    }

    pub async fn post_raw(
        &self,
        token: &str,
        path: &str,
        content_type: &str,
        body: impl Into<reqwest::Body>,
    ) -> Response {
        self.client
            .post(self.url(path))
            .bearer_auth(token)
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .expect("request")
    }

    /// A browser-like client (cookies kept, redirects not followed) that
    /// has loaded the login page, and its CSRF token.
    pub async fn ui_client(&self) -> (Client, String) {
        let (client, csrf, _) = self.ui_client_with_jar().await;
        (client, csrf)
    }

    /// [`Self::ui_client`] with its cookie jar, for tests that read cookies.
    pub async fn ui_client_with_jar(&self) -> (Client, String, Arc<Jar>) {
        let jar = Arc::new(Jar::default());
        let client = Client::builder()
            .cookie_provider(jar.clone())
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        client.get(self.url("/login")).send().await.expect("login page");
        let url = self.url("/").parse().expect("url");
        let cookies = jar.cookies(&url).map(|v| v.to_str().unwrap_or_default().to_string()).unwrap_or_default();
        let csrf = cookies
            .split(';')
            .filter_map(|c| c.trim().strip_prefix("ramp_csrf="))
            .next()
            .expect("the login page sets the CSRF cookie")
            .to_string();
        (client, csrf, jar)
    }

    /// A browser-like client logged in as `username` (fixture password)
    /// through the login form, its CSRF token and cookie jar.
    pub async fn ui_logged_in(&self, username: &str) -> (Client, String, Arc<Jar>) {
        let (client, csrf, jar) = self.ui_client_with_jar().await;
        let resp = client
            .post(self.url("/login"))
            .form(&[("username", username), ("password", ramp_storage::fixture::PASSWORD), ("csrf", &csrf)])
            .send()
            .await
            .expect("log in");
        assert_eq!(resp.status(), reqwest::StatusCode::SEE_OTHER, "logged in as {username}");
        (client, csrf, jar)
    }

    /// [`TestApp::ui_client`] logged in as `username` through the login form.
    pub async fn ui_session(&self, username: &str) -> (Client, String) {
        let (client, csrf) = self.ui_client().await;
        let resp = client
            .post(self.url("/login"))
            .form(&[("username", username), ("password", fixture::PASSWORD), ("csrf", &csrf)])
            .send()
            .await
            .expect("log in");
        assert_eq!(resp.status(), reqwest::StatusCode::SEE_OTHER, "logged in as {username}");
        (client, csrf)
    }

    /// POST /api/v1/patients/overview for a personal id, as `username`.
    pub async fn open_patient(&self, username: &str, personal_id: &str) -> Response {
        let token = self.token_for(username).await;
        self.post_json(&token, "/api/v1/patients/overview", &serde_json::json!({ "personal_id": personal_id })).await
    }
}

/// Reads a problem+json answer, checking its content type.
pub async fn problem(resp: Response) -> Value {
    let ct = resp.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    assert_eq!(ct, "application/problem+json", "problem content type");
    resp.json().await.expect("problem json")
}
