//! A real OpenID Connect provider for the OIDC tests: the npm package
//! oidc-provider that `scripts/oidc-provider` installs (its directory in
//! `RAMP_TEST_OIDC_DIR`, exported by `scripts/test`), started with Node.js
//! per test on a free port it picks and prints, awaited by polling its
//! discovery document, killed when the test's app is dropped. Accounts are
//! in `scripts/oidc/accounts.json`; and a small client that logs in through
//! it the way a browser does, one redirect at a time.

use reqwest::cookie::{CookieStore, Jar};
use reqwest::{Client, Response, StatusCode};
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader};
use tokio::process::{Child, Command};

/// The password of every account of the test provider (`accounts.json`).
pub const PROVIDER_PASSWORD: &str = "siths-test-2026";
/// The client Ramp is registered as at the test provider.
pub const CLIENT_ID: &str = "ramp";
pub const CLIENT_SECRET: &str = "ramp-test-secret";

/// Where the provider puts the `name` and `hsa_id` claims.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimsIn {
    IdToken,
    UserInfo,
}

/// How the test provider is started.
#[derive(Debug, Clone, Copy)]
pub struct ProviderOptions {
    /// How long an authorization code may be redeemed.
    pub code_ttl_seconds: u32,
    pub claims_in: ClaimsIn,
}

impl Default for ProviderOptions {
    fn default() -> Self {
        Self { code_ttl_seconds: 60, claims_in: ClaimsIn::IdToken }
    }
}

fn provider_dir() -> PathBuf {
    let dir = std::env::var_os("RAMP_TEST_OIDC_DIR").map(PathBuf::from).unwrap_or_else(|| {
        panic!(
            "RAMP_TEST_OIDC_DIR is not set: run the tests with scripts/test, which installs the OIDC provider \
             (or export RAMP_TEST_OIDC_DIR=$(scripts/oidc-provider))"
        )
    });
    assert!(
        dir.join("provider.mjs").exists() && dir.join("node_modules/oidc-provider").exists(),
        "RAMP_TEST_OIDC_DIR={} holds no installed provider: run scripts/oidc-provider",
        dir.display()
    );
    dir
}

/// A running provider; the node process is killed on drop.
pub struct OidcProvider {
    pub issuer: String,
    child: Child,
    log: Arc<Mutex<String>>,
}

impl std::fmt::Debug for OidcProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OidcProvider").field("issuer", &self.issuer).finish_non_exhaustive()
    }
}

impl OidcProvider {
    /// Starts the provider for a Ramp at `ramp_base` (e.g. `http://127.0.0.1:1234`)
    /// and waits until it serves its discovery document.
    pub async fn start(ramp_base: &str, options: ProviderOptions) -> OidcProvider {
        let dir = provider_dir();
        let claims_in = match options.claims_in {
            ClaimsIn::IdToken => "id_token",
            ClaimsIn::UserInfo => "userinfo",
        };
        let mut child = Command::new("node")
            .arg(dir.join("provider.mjs"))
            .args(["--redirect-uri", &format!("{ramp_base}/login/oidc/callback")])
            .args(["--post-logout-redirect-uri", &format!("{ramp_base}/login")])
            .args(["--client-id", CLIENT_ID, "--client-secret", CLIENT_SECRET])
            .args(["--code-ttl", &options.code_ttl_seconds.to_string(), "--claims-in", claims_in])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("start node (Debian package nodejs) with the OIDC provider");
        let log = Arc::new(Mutex::new(String::new()));
        let mut stderr = child.stderr.take().expect("stderr");
        let sink = log.clone();
        tokio::spawn(async move {
            let mut buf = [0u8; 4096];
            while let Ok(n) = stderr.read(&mut buf).await {
                if n == 0 {
                    break;
                }
                sink.lock().expect("log").push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let first = tokio::time::timeout(Duration::from_secs(30), lines.next_line()).await;
        let issuer = match first {
            Ok(Ok(Some(line))) => serde_json::from_str::<serde_json::Value>(&line)
                .ok()
                .and_then(|v| v["issuer"].as_str().map(str::to_string))
                .unwrap_or_else(|| panic!("the OIDC provider printed '{line}', not its issuer")),
            _ => panic!("the OIDC provider did not start: {}", log.lock().expect("log")),
        };
        let provider = OidcProvider { issuer, child, log };
        provider.wait_for_discovery().await;
        provider
    }

    async fn wait_for_discovery(&self) {
        let url = format!("{}/.well-known/openid-configuration", self.issuer);
        let http = Client::new();
        for _ in 0..400 {
            if let Ok(r) = http.get(&url).send().await {
                if r.status() == StatusCode::OK {
                    return;
                }
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!("the OIDC provider never served {url}: {}", self.log());
    }

    /// What the provider wrote to stderr so far (for failure messages).
    pub fn log(&self) -> String {
        self.log.lock().expect("log").clone()
    }
}

impl Drop for OidcProvider {
    fn drop(&mut self) {
        let _ = self.child.start_kill();
    }
}

/// The `Location` of a redirect, made absolute against `base`.
pub fn location(resp: &Response) -> String {
    let raw = resp.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default();
    resp.url().join(raw).map(|u| u.to_string()).unwrap_or_else(|_| raw.to_string())
}

/// One query parameter of a URL.
pub fn query_param(url: &str, name: &str) -> Option<String> {
    reqwest::Url::parse(url).ok()?.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned())
}

/// The URL with one query parameter's value replaced.
pub fn with_query_param(url: &str, name: &str, value: &str) -> String {
    let mut u = reqwest::Url::parse(url).expect("url");
    let pairs: Vec<(String, String)> = u
        .query_pairs()
        .map(|(k, v)| if k == name { (k.into_owned(), value.to_string()) } else { (k.into_owned(), v.into_owned()) })
        .collect();
    u.query_pairs_mut().clear().extend_pairs(pairs);
    u.to_string()
}

/// The value of a hidden or text input named `name` in an HTML page.
pub fn input_value(html: &str, name: &str) -> Option<String> {
    let at = html.find(&format!("name=\"{name}\""))?;
    let tag_start = html[..at].rfind('<')?;
    let tag_end = at + html[at..].find('>')?;
    let tag = &html[tag_start..tag_end];
    let v = tag.split("value=\"").nth(1)?;
    Some(v[..v.find('"')?].to_string())
}

/// The `action` of the first form in an HTML page.
pub fn form_action(html: &str) -> Option<String> {
    let v = html.split("<form").nth(1)?.split("action=\"").nth(1)?;
    Some(v[..v.find('"')?].replace("&amp;", "&"))
}

/// A browser without JavaScript: a cookie jar for Ramp and the provider,
/// redirects followed one at a time by the caller.
pub struct OidcClient {
    pub http: Client,
    pub jar: Arc<Jar>,
}

impl Default for OidcClient {
    fn default() -> Self {
        Self::new()
    }
}

impl OidcClient {
    pub fn new() -> OidcClient {
        let jar = Arc::new(Jar::default());
        let http = Client::builder()
            .cookie_provider(jar.clone())
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        OidcClient { http, jar }
    }

    pub async fn get(&self, url: &str) -> Response {
        self.http.get(url).send().await.expect("GET")
    }

    /// Posts a form (with the jar's cookies), redirects not followed.
    pub async fn post_form(&self, url: &str, form: &[(&str, &str)]) -> Response {
        self.http.post(url).form(form).send().await.expect("POST")
    }

    /// The value of a cookie the jar holds for `url`.
    pub fn cookie(&self, url: &str, name: &str) -> Option<String> {
        let header = self.jar.cookies(&url.parse().expect("url"))?;
        let prefix = format!("{name}=");
        header.to_str().ok()?.split(';').find_map(|c| c.trim().strip_prefix(&prefix).map(str::to_string))
    }

    /// Follows redirects from `url` until an answer that is not one, or
    /// until a redirect to a URL starting with `stop_at` (returned unfollowed).
    pub async fn follow(&self, url: &str, stop_at: &str) -> (String, Response) {
        let mut url = url.to_string();
        for _ in 0..10 {
            let resp = self.get(&url).await;
            if !resp.status().is_redirection() {
                return (url, resp);
            }
            url = location(&resp);
            if url.starts_with(stop_at) {
                return (url, resp);
            }
        }
        panic!("too many redirects, last to {url}");
    }

    /// Starts a login at Ramp: the provider's authorization URL Ramp sends the browser to.
    pub async fn start_login(&self, ramp_base: &str, next: &str) -> String {
        let resp = self.get(&format!("{ramp_base}/login/oidc?next={next}")).await;
        assert_eq!(resp.status(), StatusCode::SEE_OTHER, "Ramp sends the browser to the provider");
        location(&resp)
    }

    /// From the provider's authorization URL: fills in its login form as
    /// `login` and returns the callback URL (with code and state) the
    /// provider sends the browser back to, unfollowed.
    pub async fn log_in_at_provider(&self, authorize_url: &str, ramp_base: &str, login: &str) -> String {
        let (form_url, page) = self.follow(authorize_url, ramp_base).await;
        assert_eq!(page.status(), StatusCode::OK, "the provider's login form at {form_url}");
        let html = page.text().await.expect("login form");
        let action = reqwest::Url::parse(&form_url)
            .and_then(|u| u.join(&form_action(&html).expect("a form")))
            .expect("form action")
            .to_string();
        let resp = self
            .http
            .post(&action)
            .form(&[("login", login), ("password", PROVIDER_PASSWORD)])
            .send()
            .await
            .expect("log in at the provider");
        assert!(resp.status().is_redirection(), "the provider accepts {login}: {}", resp.status());
        let next = location(&resp);
        let callback = if next.starts_with(ramp_base) {
            next
        } else {
            let (url, page) = self.follow(&next, ramp_base).await;
            if !url.starts_with(ramp_base) {
                let (status, body) = (page.status(), page.text().await.unwrap_or_default());
                panic!("not back at Ramp but at {url} ({status}): {body}");
            }
            url
        };
        assert!(callback.starts_with(&format!("{ramp_base}/login/oidc/callback")), "back at Ramp: {callback}");
        callback
    }
}
