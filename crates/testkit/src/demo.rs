//! `spawn_demo_app`: the server on a free port over the small demo data
//! set (the region's catalog, patients, orders, invoices and the named
//! demo accounts), for tests that walk the pages a newcomer sees. The
//! clock is the demo's reference day, Monday 23 November 2026.

use crate::engine::{fresh_storage, Engine};
use crate::spawn::test_now;
use ramp_app::agreements::Agreements;
use ramp_app::demo::{self, Scale};
use ramp_app::{App, AppConfig, FixedClock};
use ramp_storage::Storage;
use reqwest::cookie::{CookieStore, Jar};
use reqwest::Client;
use std::sync::Arc;

/// A running server over the demo data.
pub struct DemoApp {
    pub engine: Engine,
    pub base: String,
    pub storage: Arc<dyn Storage>,
    pub clock: Arc<FixedClock>,
}

/// Loads the small demo (seed 1) into a fresh database and serves it.
pub async fn spawn_demo_app(engine: Engine) -> DemoApp {
    let storage = fresh_storage(engine).await;
    let today = test_now().date_naive();
    let hash = ramp_app::auth::hash_password(demo::DEMO_PASSWORD).expect("hash");
    demo::load(storage.as_ref(), Scale::Small, 1, &hash, today, &|_| {}).await.expect("demo data");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let clock = Arc::new(FixedClock::new(test_now()));
    let app = App::new(storage.clone(), clock.clone(), AppConfig::default());
    let state = ramp_web::AppState::new(app, Arc::new(Agreements::builtin()), false);
    tokio::spawn(ramp_web::serve(listener, state, std::future::pending()));
    DemoApp { engine, base, storage, clock }
}

impl DemoApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// A browser-like client (cookies kept, redirects followed) logged in
    /// as `username` with the demo password through the login form.
    pub async fn ui_logged_in(&self, username: &str) -> Client {
        let jar = Arc::new(Jar::default());
        let client = Client::builder().cookie_provider(jar.clone()).build().expect("client");
        client.get(self.url("/login")).send().await.expect("login page");
        let url = self.url("/").parse().expect("url");
        let cookies = jar.cookies(&url).map(|v| v.to_str().unwrap_or_default().to_string()).unwrap_or_default();
        let csrf = cookies
            .split(';')
            .filter_map(|c| c.trim().strip_prefix("ramp_csrf="))
            .next()
            .expect("the login page sets the CSRF cookie")
            .to_string();
        let resp = client
            .post(self.url("/login"))
            .form(&[("username", username), ("password", demo::DEMO_PASSWORD), ("csrf", &csrf)])
            .send()
            .await
            .expect("log in");
        assert!(resp.status().is_success(), "logged in as {username}: {}", resp.status());
        assert!(!resp.url().path().starts_with("/login"), "logged in as {username}");
        client
    }
}
