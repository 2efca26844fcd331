//! A small W3C WebDriver client for Debian's Chromium through chromedriver:
//! just what the UI tests use (navigate, find by label or CSS, type, press
//! keys, read text, run axe-core). No browser is ever downloaded.

use reqwest::Client;
use serde_json::{json, Value};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";
const AXE: &str = include_str!("../assets/axe-4.14.1.min.js");
pub const ENTER: &str = "\u{E007}";
pub const TAB: &str = "\u{E004}";

fn chromium() -> &'static str {
    for p in ["/usr/bin/chromium", "/usr/bin/chromium-browser"] {
        if std::path::Path::new(p).exists() {
            return p;
        }
    }
    panic!("Chromium is not installed: run the tests with scripts/test, which installs Debian's chromium and chromium-driver")
}

/// A browser session; chromedriver is killed on drop.
pub struct Browser {
    http: Client,
    driver: Child,
    base: String,
    profile: std::path::PathBuf,
}

/// An element handle.
#[derive(Debug, Clone)]
pub struct Element(String);

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("free port")
}

impl Browser {
    pub async fn start() -> Browser {
        let binary = chromium();
        let port = free_port();
        let driver = Command::new("/usr/bin/chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start /usr/bin/chromedriver (Debian package chromium-driver)");
        let http = Client::new();
        let root = format!("http://127.0.0.1:{port}");
        for _ in 0..150 {
            let ready = match http.get(format!("{root}/status")).send().await {
                Ok(r) => r.json::<Value>().await.map(|v| v["value"]["ready"] == json!(true)).unwrap_or(false),
                Err(_) => false,
            };
            if ready {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        // Chromium occasionally fails to start when the machine is busy; try
        // again, each time with a profile directory of its own (one a
        // previous Chromium is still letting go of holds its lock).
        let mut last = Value::Null;
        let mut session = None;
        let mut profile = std::env::temp_dir();
        for attempt in 0..5 {
            profile = std::env::temp_dir().join(format!("ramp-chromium-{port}-{attempt}"));
            let _ = std::fs::remove_dir_all(&profile);
            let caps = json!({"capabilities": {"alwaysMatch": {
                "browserName": "chrome",
                "goog:chromeOptions": {"binary": binary, "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                    "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--window-size=1280,900", format!("--user-data-dir={}", profile.display())
                ]}
            }}});
            if let Ok(r) = http.post(format!("{root}/session")).json(&caps).send().await {
                last = r.json().await.unwrap_or(Value::Null);
                if let Some(id) = last["value"]["sessionId"].as_str() {
                    session = Some(id.to_string());
                    break;
                }
            }
            let _ = std::fs::remove_dir_all(&profile);
            tokio::time::sleep(Duration::from_millis(1000)).await;
        }
        let session = session.unwrap_or_else(|| panic!("no WebDriver session: {last}"));
        Browser { http, driver, base: format!("{root}/session/{session}"), profile }
    }

    async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let mut req = self.http.request(method, format!("{}{}", self.base, path));
        if let Some(b) = body {
            req = req.json(&b);
        }
        let v: Value = req.send().await.expect("webdriver call").json().await.expect("webdriver json");
        if v["value"].get("error").is_some() {
            panic!("webdriver {path}: {}", v["value"]);
        }
        v["value"].clone()
    }

    async fn post(&self, path: &str, body: Value) -> Value {
        self.call(reqwest::Method::POST, path, Some(body)).await
    }

    async fn get(&self, path: &str) -> Value {
        self.call(reqwest::Method::GET, path, None).await
    }

    /// Logs in through the login form as the fixture user `username` and
    /// waits for the start page.
    pub async fn log_in(&self, app: &crate::TestApp, username: &str) {
        self.goto(&app.url("/login")).await;
        self.type_into(&self.labelled("Användarnamn").await, username).await;
        self.type_into(&self.labelled("Lösenord").await, ramp_storage::fixture::PASSWORD).await;
        self.press(ENTER).await;
        self.wait_for_text("Välkommen").await;
    }

    pub async fn goto(&self, url: &str) {
        self.post("/url", json!({ "url": url })).await;
    }

    pub async fn current_url(&self) -> String {
        self.get("/url").await.as_str().unwrap_or_default().to_string()
    }

    pub async fn title(&self) -> String {
        self.get("/title").await.as_str().unwrap_or_default().to_string()
    }

    /// Finds an element, asking again for a while if it is not there yet:
    /// after a click the browser may still be loading the next page, and
    /// `wait_for_text` can be satisfied by text the old page also had.
    async fn find_by(&self, using: &str, value: &str) -> Element {
        let body = json!({ "using": using, "value": value });
        for _ in 0..50 {
            let resp = self.http.post(format!("{}/element", self.base)).json(&body).send().await;
            let v: Option<Value> = match resp {
                Ok(r) => r.json().await.ok(),
                Err(_) => None,
            };
            if let Some(id) = v.as_ref().and_then(|v| v["value"][ELEMENT_KEY].as_str()) {
                return Element(id.to_string());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let v = self.post("/element", body).await;
        Element(v[ELEMENT_KEY].as_str().unwrap_or_else(|| panic!("no element {value}")).to_string())
    }

    pub async fn find(&self, css: &str) -> Element {
        self.find_by("css selector", css).await
    }

    /// The element a `<label>` with this exact text points at — found the
    /// way a screen reader user finds it.
    pub async fn labelled(&self, label: &str) -> Element {
        let l = self.find_by("xpath", &format!("//label[normalize-space()='{label}']")).await;
        let id = self.attribute(&l, "for").await.unwrap_or_else(|| panic!("label '{label}' has no for="));
        self.find(&format!("[id='{id}']")).await
    }

    /// The radio button (or checkbox) labelled `label` in the group whose
    /// legend is `legend` — the way a screen reader user picks an answer.
    pub async fn choice(&self, legend: &str, label: &str) -> Element {
        let l = self
            .find_by(
                "xpath",
                &format!("//fieldset[legend[normalize-space()='{legend}']]//label[normalize-space()='{label}']"),
            )
            .await;
        let id = self.attribute(&l, "for").await.unwrap_or_else(|| panic!("label '{label}' has no for="));
        self.find(&format!("[id='{id}']")).await
    }

    /// Sets a field's value as a date picker would: typing into a date
    /// input depends on the browser's locale, choosing a date does not.
    pub async fn set_value(&self, e: &Element, value: &str) {
        let script = "arguments[0].value = arguments[1]; \
            arguments[0].dispatchEvent(new Event('input', {bubbles: true})); \
            arguments[0].dispatchEvent(new Event('change', {bubbles: true}));";
        self.execute(script, json!([{ ELEMENT_KEY: e.0 }, value])).await;
    }

    /// A link or button by its visible text.
    pub async fn by_text(&self, tag: &str, text: &str) -> Element {
        self.find_by("xpath", &format!("//{tag}[normalize-space()='{text}']")).await
    }

    pub async fn attribute(&self, e: &Element, name: &str) -> Option<String> {
        self.get(&format!("/element/{}/attribute/{name}", e.0)).await.as_str().map(str::to_string)
    }

    pub async fn type_into(&self, e: &Element, text: &str) {
        self.post(&format!("/element/{}/value", e.0), json!({ "text": text })).await;
    }

    /// Clicks, and when the click leaves the page (a link, a form's submit
    /// button) waits until the next page has loaded, so what the test reads
    /// or waits for next is never the page it just left.
    pub async fn click(&self, e: &Element) {
        const MARK: &str = "const e = arguments[0]; document.__rampLeft = true; \
            if (e.tagName === 'A') { const h = e.getAttribute('href'); return !!h && !h.startsWith('#'); } \
            const submits = e.tagName === 'BUTTON' ? (e.type || 'submit') === 'submit' : e.type === 'submit'; \
            return submits && !!e.form;";
        let leaves = self.execute(MARK, json!([{ ELEMENT_KEY: e.0 }])).await.as_bool().unwrap_or(false);
        self.post(&format!("/element/{}/click", e.0), json!({})).await;
        if leaves {
            self.wait_for_next_page().await;
        }
    }

    /// Waits (at most 5 s: a form the browser refuses to submit stays) for
    /// a document without the mark `click` left on the previous one.
    async fn wait_for_next_page(&self) {
        let body =
            json!({"script": "return document.__rampLeft !== true && document.readyState === 'complete';", "args": []});
        for _ in 0..50 {
            let resp = self.http.post(format!("{}/execute/sync", self.base)).json(&body).send().await;
            if let Ok(r) = resp {
                if r.json::<Value>().await.ok().is_some_and(|v| v["value"] == json!(true)) {
                    return;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn text(&self, e: &Element) -> String {
        self.get(&format!("/element/{}/text", e.0)).await.as_str().unwrap_or_default().to_string()
    }

    /// The visible text of the whole page. Read in one script call, and
    /// asked again while a navigation leaves no document to read: finding
    /// `body` and then asking for its text could meet a page the browser
    /// had just replaced (a stale element, seen once under load).
    pub async fn page_text(&self) -> String {
        for _ in 0..50 {
            if let Some(text) = self.try_page_text().await {
                return text;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the page never had a document to read");
    }

    /// Presses keys on whatever has focus (keyboard-only use).
    pub async fn press(&self, keys: &str) {
        let actions: Vec<Value> = keys
            .chars()
            .flat_map(|c| {
                [json!({"type": "keyDown", "value": c.to_string()}), json!({"type": "keyUp", "value": c.to_string()})]
            })
            .collect();
        self.post("/actions", json!({"actions": [{"type": "key", "id": "keyboard", "actions": actions}]})).await;
    }

    /// The focused element's tag, id and text, for keyboard tests.
    pub async fn focused(&self) -> Value {
        self.execute("const e = document.activeElement; return {tag: e.tagName, id: e.id, text: (e.innerText || e.value || '').trim(), href: e.getAttribute('href')};", json!([])).await
    }

    pub async fn execute(&self, script: &str, args: Value) -> Value {
        self.post("/execute/sync", json!({ "script": script, "args": args })).await
    }

    /// The page text, or `None` while a page is still loading.
    async fn try_page_text(&self) -> Option<String> {
        let script = "return document.readyState === 'complete' && document.body ? document.body.innerText : null;";
        let body = json!({"script": script, "args": []});
        let resp = self.http.post(format!("{}/execute/sync", self.base)).json(&body).send().await.ok()?;
        let v: Value = resp.json().await.ok()?;
        // As WebDriver's element text does: a no-break space reads as a space.
        v["value"].as_str().map(|t| t.replace('\u{a0}', " "))
    }

    /// Waits until the page text contains `needle` (after a navigation or
    /// htmx swap); a page in the middle of loading is simply asked again.
    pub async fn wait_for_text(&self, needle: &str) {
        for _ in 0..150 {
            if self.try_page_text().await.is_some_and(|t| t.contains(needle)) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("page never showed '{needle}'; it shows:\n{}", self.try_page_text().await.unwrap_or_default());
    }

    /// Runs axe-core on the current page; returns serious and critical violations.
    pub async fn axe_serious(&self) -> Vec<Value> {
        self.execute(AXE, json!([])).await;
        let script = "const done = arguments[arguments.length - 1]; \
            axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.html).slice(0, 3)})))) \
            .catch(e => done([{id: 'axe-error', impact: 'critical', help: String(e)}]));";
        let v = self.post("/execute/async", json!({ "script": script, "args": [] })).await;
        v.as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .filter(|x| matches!(x["impact"].as_str(), Some("serious") | Some("critical")))
            .collect()
    }

    /// Asserts axe-core finds no serious or critical violation on this page.
    pub async fn assert_accessible(&self, what: &str) {
        let v = self.axe_serious().await;
        assert!(v.is_empty(), "axe-core on {what}: {}", serde_json::to_string_pretty(&v).unwrap_or_default());
    }

    /// Sets the window's outer size in CSS pixels (e.g. 390 wide, as a phone).
    pub async fn set_window_size(&self, width: u32, height: u32) {
        self.post("/window/rect", json!({ "width": width, "height": height })).await;
    }

    /// Saves a PNG of what the window shows as `target/test-artefacts/{name}.png`
    /// (WebDriver's screenshot), for a person to look at after the run.
    pub async fn screenshot(&self, name: &str) -> std::path::PathBuf {
        let png = self.get("/screenshot").await;
        let bytes = base64_decode(png.as_str().unwrap_or_default());
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/test-artefacts");
        std::fs::create_dir_all(&dir).expect("target/test-artefacts");
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, bytes).expect("write the screenshot");
        path
    }

    /// Elements of `main` that stick out to the right of it (outside a
    /// `.scroll` container), or `None` when the page fits its width.
    pub async fn main_overflow(&self) -> Option<String> {
        let script = "const m = document.querySelector('main'); if (m.scrollWidth <= m.clientWidth + 1) return null; \
            const right = m.getBoundingClientRect().right; \
            const out = [...m.querySelectorAll('*')].filter(e => e.getBoundingClientRect().right > right + 1 && !e.closest('.scroll')); \
            return out.slice(0, 3).map(e => e.outerHTML.slice(0, 120)).join(' | ');";
        self.execute(script, json!([])).await.as_str().map(str::to_string)
    }

    /// Keeps screenshots of this page at 1366 px and at 390 px (a phone)
    /// as `target/test-artefacts/{name}-1366.png` / `-390.png`, and asserts
    /// that at 390 px the page fits the screen and axe-core finds nothing
    /// serious. Leaves the window at 1366 × 900.
    pub async fn at_both_widths(&self, name: &str) {
        self.set_window_size(1366, 900).await;
        self.screenshot(&format!("{name}-1366")).await;
        self.set_window_size(390, 844).await;
        let overflow = self.main_overflow().await;
        assert!(overflow.is_none(), "{name}: wider than a 390 px screen: {overflow:?}");
        self.assert_accessible(&format!("{name} at 390 px")).await;
        self.screenshot(&format!("{name}-390")).await;
        self.set_window_size(1366, 900).await;
    }

    pub async fn quit(mut self) {
        let _ = self.http.delete(&self.base).send().await;
        let _ = self.driver.kill();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
    }
}

/// Standard base64 (WebDriver's screenshot encoding) to bytes; anything
/// outside the alphabet is skipped.
fn base64_decode(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text.bytes() {
        let Some(v) = ALPHABET.iter().position(|a| *a == c) else { continue };
        acc = (acc << 6) | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn base64_decodes_as_the_standard_says() {
        assert_eq!(super::base64_decode("UmFtcA=="), b"Ramp");
        assert_eq!(super::base64_decode("aGo="), b"hj");
    }
}
