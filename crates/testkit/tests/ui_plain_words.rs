//! No raw enum values or internal identifiers on screen (issue 18, point
//! 6): every demo account walks its menu and the pages those link to
//! (orders, devices, work orders, invoices, consultations, admin pages),
//! and the visible text of each Swedish page is searched for what only a
//! program should see: snake_case codes (`main_device`, `in_stock`,
//! `special_housing`) and English error text.

use ramp_testkit::{spawn_demo_app, DemoApp, Engine};
use std::collections::{BTreeSet, VecDeque};

/// Where every walk starts besides the home page: searches and lists with
/// filters, which the menu links only bare.
const STARTS: &[&str] = &[
    "/",
    "/catalog?q=rollator",
    "/catalog?q=rullstol&kind=main_device",
    "/orders?scope=unit&sort=status&dir=asc",
    "/orders/queue?status=delivered",
    "/workshop?status=done",
];

/// The named demo accounts, one per role the demo has.
const ACCOUNTS: &[&str] =
    &["forskrivare", "forskrivare2", "bestallare", "kundtjanst", "lager", "tekniker", "ekonomi", "admin"];

/// How many pages one account visits at most (its menu and what it links to).
const MAX_PAGES: usize = 60;

/// English that only an untranslated error message puts on a Swedish page.
const ENGLISH: &[&str] =
    &["expected a", "no such", "not found", "must be", "is invalid", "invalid ", "internal error", "is required"];

/// The page's visible text: no head, scripts, styles or tags; entities read.
fn visible_text(html: &str) -> String {
    let mut text = String::new();
    let mut rest = html;
    if let Some(i) = rest.find("<body") {
        rest = &rest[i..];
    }
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        text.push(' ');
        let tag = &rest[open..];
        let skip_to = ["<script", "<style"].iter().find(|t| tag.starts_with(**t)).map(|t| format!("</{}", &t[1..]));
        rest = match skip_to {
            Some(end) => tag.find(&end).map_or("", |e| &tag[e + end.len()..]),
            None => tag.find('>').map_or("", |e| &tag[e + 1..]),
        };
    }
    text.push_str(rest);
    text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
}

/// Words that look like a program's code: lower-case words joined by `_`.
fn raw_codes(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| {
            w.contains('_')
                && !w.starts_with('_')
                && !w.ends_with('_')
                && w.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        })
        .map(str::to_string)
        .collect()
}

/// Up to 60 characters either side of the first `needle` in `text`, in one line.
fn around(text: &str, needle: &str) -> String {
    let at = text.find(needle).unwrap_or(0);
    let before = text[..at].chars().count();
    let near: String = text.chars().skip(before.saturating_sub(60)).take(120 + needle.chars().count()).collect();
    near.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Same-site links of a page worth following: GET pages, not actions.
fn links(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(|s| s.replace("&amp;", "&"))
        .filter(|h| h.starts_with('/') && !h.starts_with("/assets") && !h.starts_with("/lang/"))
        .filter(|h| !h.contains(".csv") && !h.contains("/logout") && !h.starts_with("/api/"))
        .collect()
}

/// The link's page kind: `/orders/123` and `/orders/456` are one kind,
/// so the walk sees many kinds of page rather than many orders.
fn kind(path: &str) -> String {
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    let keys: Vec<&str> = query.split('&').filter_map(|kv| kv.split('=').next()).filter(|k| !k.is_empty()).collect();
    let path =
        path.split('/').map(|seg| if seg.chars().any(|c| c.is_ascii_digit()) { "#" } else { seg }).collect::<Vec<_>>();
    format!("{}?{}", path.join("/"), keys.join("&"))
}

/// What is wrong on the pages `username` reaches: `(page, finding)`.
async fn walk(app: &DemoApp, username: &str) -> Vec<(String, String)> {
    let client = app.ui_logged_in(username).await;
    let mut queue: VecDeque<String> = STARTS.iter().map(|s| s.to_string()).collect();
    let mut seen_kinds = BTreeSet::new();
    let mut visited = 0;
    let mut findings = Vec::new();
    while let Some(path) = queue.pop_front() {
        if visited >= MAX_PAGES || !seen_kinds.insert(kind(&path)) {
            continue;
        }
        visited += 1;
        let resp = client.get(app.url(&path)).send().await.expect("page");
        let status = resp.status();
        let html = resp.text().await.unwrap_or_default();
        if status.is_server_error() {
            findings.push((path.clone(), format!("status {status}")));
            continue;
        }
        if !html.contains("<html lang=\"sv\"") {
            continue;
        }
        let text = visible_text(&html);
        for code in raw_codes(&text) {
            findings.push((path.clone(), format!("raw code '{code}': …{}…", around(&text, &code))));
        }
        let lower = text.to_lowercase();
        for phrase in ENGLISH {
            if lower.contains(phrase) {
                findings.push((path.clone(), format!("English '{phrase}': …{}…", around(&lower, phrase))));
            }
        }
        queue.extend(links(&html));
    }
    assert!(visited >= 5, "{username} reached only {visited} pages");
    findings
}

async fn no_demo_account_sees_raw_codes_or_english_errors_on_its_pages(engine: Engine) {
    // Arrange
    let app = spawn_demo_app(engine).await;

    // Act
    let mut findings = Vec::new();
    for username in ACCOUNTS {
        for (page, finding) in walk(&app, username).await {
            findings.push(format!("{username} {page}: {finding}"));
        }
    }

    // Assert
    assert!(findings.is_empty(), "{} findings:\n{}", findings.len(), findings.join("\n"));
}

#[test]
fn raw_codes_are_snake_case_words_and_visible_text_leaves_out_markup() {
    let html = "<html><head><title>x_y</title></head><body><p class=\"in_stock\">I lager</p>\
        <script>var a_b = 1;</script><td>main_device</td><td>W-190 &amp; R_2</td></body></html>";
    let text = visible_text(html);
    assert!(!text.contains("a_b") && !text.contains("in_stock") && text.contains("W-190 & R_2"), "{text}");
    assert_eq!(raw_codes(&text), BTreeSet::from(["main_device".to_string()]));
    assert_eq!(kind("/orders/123?x=1&y=2"), "/orders/#?x&y");
}

mod sqlite {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn no_demo_account_sees_raw_codes_or_english_errors_on_its_pages() {
        super::no_demo_account_sees_raw_codes_or_english_errors_on_its_pages(ramp_testkit::Engine::Sqlite).await
    }
}

mod postgres {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn no_demo_account_sees_raw_codes_or_english_errors_on_its_pages() {
        super::no_demo_account_sees_raw_codes_or_english_errors_on_its_pages(ramp_testkit::Engine::Postgres).await
    }
}
