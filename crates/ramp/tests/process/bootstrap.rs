//! Issue 17's acceptance, end to end with real parts on both engines: an
//! empty database is bootstrapped with `ramp admin init`; the administrator
//! logs in through the region's identity provider (npm oidc-provider) in
//! Chromium; creates a unit and an audit reviewer in the admin pages; the
//! reviewer logs in through the provider too and finds both changes, and
//! the administrator's login, in the audit review.

use crate::support::*;
use ramp_testkit::browser::Browser;
use ramp_testkit::oidc::{OidcProvider, ProviderOptions, CLIENT_ID, CLIENT_SECRET, PROVIDER_PASSWORD};

/// The identity provider's accounts (`scripts/oidc/accounts.json`) used here.
const ADMIN_AT_IDP: (&str, &str) = ("admin", "SE2321000016-U4");
const REVIEWER_AT_IDP: (&str, &str) = ("anna", "SE2321000016-U1");

fn admin_init(url: &str) -> std::process::Output {
    std::process::Command::new(RAMP)
        .args(["admin", "init", "--region-name", "Region Teststad", "--username", "ada", "--name", "Ada Admin"])
        .args(["--hsa-id", ADMIN_AT_IDP.1])
        .env("DATABASE_URL", url)
        .env("RAMP_ADMIN_PASSWORD", "nödlösenord-för-ada")
        .env("RUST_LOG", "warn")
        .output()
        .expect("ramp runs")
}

/// Logs in at Ramp through the provider's login form as `login`.
async fn log_in_with_siths(b: &Browser, base: &str, login: &str) {
    b.goto(&format!("{base}/login")).await;
    b.click(&b.by_text("button", "Logga in med SITHS/e-tjänstekort").await).await;
    b.wait_for_text("Regionens inloggningstjänst (test)").await;
    b.type_into(&b.labelled("Användar-id").await, login).await;
    b.type_into(&b.labelled("Lösenord").await, PROVIDER_PASSWORD).await;
    b.click(&b.by_text("button", "Logga in hos IdP").await).await;
    b.wait_for_text("Välkommen").await;
}

/// Logs out here and at the provider.
async fn log_out(b: &Browser) {
    b.click(&b.by_text("button", "Logga ut").await).await;
    b.wait_for_text("Logga ut från regionens inloggningstjänst").await;
    b.click(&b.by_text("button", "Ja, logga ut").await).await;
    b.wait_for_text("Användarnamn").await;
}

/// The text of each row of the page's table body.
async fn table_rows(b: &Browser) -> Vec<String> {
    let rows = b
        .execute(
            "return Array.from(document.querySelectorAll('tbody tr')).map(r => r.innerText);",
            serde_json::json!([]),
        )
        .await;
    rows.as_array().expect("rows").iter().map(|r| r.as_str().unwrap_or_default().replace('\t', " ")).collect()
}

async fn a_bootstrapped_region_is_administered_through_the_identity_provider_and_reviewed(url: &str) {
    // Arrange: an empty database, bootstrapped twice (the second changes nothing).
    let first = admin_init(url);
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    let again = admin_init(url);
    assert!(again.status.success(), "idempotent: {}", String::from_utf8_lossy(&again.stderr));
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let idp = OidcProvider::start(&base, ProviderOptions::default()).await;
    let redirect = format!("{base}/login/oidc/callback");
    let env = [
        ("RAMP_OIDC_ISSUER_URL", idp.issuer.as_str()),
        ("RAMP_OIDC_CLIENT_ID", CLIENT_ID),
        ("RAMP_OIDC_CLIENT_SECRET", CLIENT_SECRET),
        ("RAMP_OIDC_REDIRECT_URL", redirect.as_str()),
    ];
    let _server = Server::start_on(port, url, &["serve"], &env).await;

    // Act 1: the administrator logs in with SITHS and creates a unit and a reviewer.
    let b = Browser::start().await;
    log_in_with_siths(&b, &base, ADMIN_AT_IDP.0).await;
    assert!(b.page_text().await.contains("Ada Admin"), "the HSA id is the bootstrapped administrator");
    b.click(&b.by_text("a", "Administration").await).await;
    b.click(&b.by_text("a", "Huvudmän").await).await;
    b.click(&b.by_text("a", "Region Teststad").await).await;
    b.type_into(&b.labelled("Kundnummer").await, "100001").await;
    b.type_into(&b.labelled("Kundnumrets namn").await, "Rehab Teststad").await;
    b.click(&b.by_text("button", "Lägg till kundnummer").await).await;
    b.wait_for_text("Ändringen är sparad.").await;
    b.click(&b.by_text("a", "Enheter").await).await;
    b.wait_for_text("Ny enhet").await;
    b.type_into(&b.labelled("Enhetens namn").await, "Rehabenheten Teststad").await;
    b.type_into(&b.labelled("HSA-id").await, "SE2321000016-0077").await;
    b.type_into(&b.labelled("Huvudman").await, "Region Teststad").await;
    b.type_into(&b.labelled("Typ av enhet").await, "Vårdcentral").await;
    b.type_into(&b.labelled("Kundnummer").await, "100001").await;
    b.click(&b.by_text("button", "Skapa enhet").await).await;
    b.wait_for_text("Ändringen är sparad.").await;
    b.click(&b.by_text("a", "Användare").await).await;
    b.click(&b.by_text("a", "Ny användare").await).await;
    b.wait_for_text("Förskrivarbehörigheter").await;
    b.type_into(&b.labelled("Användarnamn").await, "greta").await;
    b.type_into(&b.labelled("Namn").await, "Greta Granskare").await;
    b.type_into(&b.labelled("HSA-id").await, REVIEWER_AT_IDP.1).await;
    b.type_into(&b.labelled("Enhet").await, "Rehabenheten Teststad").await;
    b.click(&b.choice("Roller", "Logggranskare").await).await;
    b.click(&b.by_text("button", "Skapa användare").await).await;
    b.wait_for_text("Ändringen är sparad.").await;
    log_out(&b).await;

    // Act 2: the reviewer logs in with SITHS and opens the audit review.
    log_in_with_siths(&b, &base, REVIEWER_AT_IDP.0).await;
    assert!(b.page_text().await.contains("Greta Granskare"), "the new user's HSA id logs them in");
    b.click(&b.by_text("a", "Logggranskning").await).await;
    b.click(&b.by_text("a", "Ändringslogg").await).await;
    b.wait_for_text("Administrativa ändringar, nyast först").await;
    b.assert_accessible("the administrative changes in the audit review").await;
    let changes = table_rows(&b).await;

    // Assert: both creations, by the administrator, newest first.
    let mut db = Db::connect(url).await;
    let unit = db.number("SELECT id FROM units WHERE name = 'Rehabenheten Teststad'").await;
    let greta = db.number("SELECT id FROM users WHERE username = 'greta'").await;
    let created = |entity: &str, id: i64| {
        let needle = format!("{entity} {id}");
        changes.iter().position(|r| r.contains(&needle) && r.contains("ada") && r.contains("Skapade"))
    };
    let (user_row, unit_row) = (created("Användare", greta), created("Enhet", unit));
    assert!(user_row.is_some() && unit_row.is_some(), "both creations are listed: {changes:#?}");
    assert!(user_row < unit_row, "newest first: {changes:#?}");

    // And the administrator's login through the identity provider is in the log.
    b.click(&b.by_text("a", "Logggranskning").await).await;
    b.type_into(&b.labelled("Användarnamn").await, "ada").await;
    b.click(&b.by_text("button", "Sök i loggen").await).await;
    b.wait_for_text("Loggade in").await;
    b.assert_accessible("the audit search for the administrator").await;
    b.quit().await;
    let logins = db.number("SELECT COUNT(*) FROM audit_log a JOIN users u ON u.id = a.user_id WHERE u.username = 'ada' AND a.action = 'session.login' AND a.detail = 'identity provider'").await;
    assert_eq!(logins, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_a_bootstrapped_region_is_administered_through_the_identity_provider_and_reviewed() {
    let url = format!("sqlite:{}", test_dir().join(format!("{}.db", unique_name())).display());
    a_bootstrapped_region_is_administered_through_the_identity_provider_and_reviewed(&url).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_a_bootstrapped_region_is_administered_through_the_identity_provider_and_reviewed() {
    let Some(db) = PgDatabase::create("bootstrap test").await else { return };
    a_bootstrapped_region_is_administered_through_the_identity_provider_and_reviewed(&db.url).await;
    db.drop().await;
}
