//! In Chromium (issue 18, point 6): the main menu works for every demo role
//! at 1366×900 and 390×844 — no horizontal overflow on the home page, every
//! menu entry reachable (shown, or behind the opened "Meny" button, which
//! the keyboard opens and Escape closes), axe-core clean — and after an htmx
//! swap of the order list (a search, the next page, a sort) focus is in the
//! new results. Screenshots go to `target/test-artefacts/`.

use chrono::Duration;
use ramp_domain::role::Role;
use ramp_storage::{fixture_ordering, NewUser};
use ramp_testkit::browser::{Browser, ENTER};
use ramp_testkit::{spawn_demo_app, test_now, DemoApp, Engine, TestApp};
use serde_json::{json, Value};

const ESCAPE: &str = "\u{E00C}";

/// The named demo accounts, and one more holding every role (the longest menu).
const USERS: &[&str] =
    &["forskrivare", "forskrivare2", "bestallare", "kundtjanst", "lager", "tekniker", "ekonomi", "admin", "allaroller"];

/// Adds `allaroller`: every role, at the first demo prescriber's unit.
async fn user_with_every_role(app: &DemoApp) {
    let model = app.storage.user_by_username("forskrivare").await.unwrap().expect("demo prescriber");
    let user = NewUser {
        username: "allaroller".into(),
        display_name: "Alla Roller".into(),
        password_hash: model.password_hash,
        principal_id: model.principal_id,
        unit_id: model.unit_id,
        roles: vec![
            Role::Prescriber,
            Role::UnitOrderer,
            Role::PersonalOrdererHealth,
            Role::PersonalOrdererSocial,
            Role::CustomerService,
            Role::Warehouse,
            Role::Technician,
            Role::Consultant,
            Role::Finance,
            Role::Admin,
            Role::AuditReviewer,
        ],
        competences: vec![],
        created_at: test_now(),
        hsa_id: None,
    };
    app.storage.create_user(&user).await.unwrap();
}

async fn log_in(b: &Browser, url: &str, username: &str, password: &str) {
    b.goto(url).await;
    b.type_into(&b.labelled("Användarnamn").await, username).await;
    b.type_into(&b.labelled("Lösenord").await, password).await;
    b.press(ENTER).await;
    b.wait_for_text("Logga ut").await;
}

/// Whether the page is wider than the window, the menu button's state and
/// the menu entries a person cannot see or that stick out of the window.
async fn layout(b: &Browser) -> Value {
    let script = "const shown = e => { const r = e.getBoundingClientRect(); \
          return r.width > 0 && r.height > 0 && r.left >= 0 && r.right <= window.innerWidth + 1; }; \
        const button = document.getElementById('menu-toggle'); \
        return { overflow: document.documentElement.scrollWidth > window.innerWidth, \
          width: document.documentElement.scrollWidth, \
          button: !!button && shown(button), expanded: button && button.getAttribute('aria-expanded'), \
          unseen: [...document.querySelectorAll('#main-menu a')].filter(a => !shown(a)).map(a => a.textContent.trim()), \
          entries: document.querySelectorAll('#main-menu a').length };";
    b.execute(script, json!([])).await
}

async fn check_menu(b: &Browser, username: &str, width: u32, height: u32) {
    b.set_window_size(width, height).await;
    let l = layout(b).await;
    assert_eq!(l["overflow"], json!(false), "{username} at {width} px: the page is wider than the window: {l}");
    if width >= 1366 {
        assert_eq!(
            (l["button"].as_bool(), l["unseen"].as_array().map(Vec::len)),
            (Some(false), Some(0)),
            "{username}: {l}"
        );
    } else {
        assert_eq!((l["button"].as_bool(), l["expanded"].as_str()), (Some(true), Some("false")), "{username}: {l}");
        // Open the menu from the keyboard: every entry is then in view.
        b.execute("document.getElementById('menu-toggle').focus();", json!([])).await;
        b.press(ENTER).await;
        let open = layout(b).await;
        assert_eq!(open["expanded"], json!("true"), "{username}: {open}");
        assert_eq!(open["unseen"], json!([]), "{username} at {width} px with the menu open: {open}");
        assert_eq!(open["overflow"], json!(false), "{username} at {width} px with the menu open: {open}");
        b.assert_accessible(&format!("{username}'s home page at {width} px, menu open")).await;
        b.screenshot(&format!("menu-{username}-{width}-open")).await;
        b.press(ESCAPE).await;
        assert_eq!(layout(b).await["expanded"], json!("false"), "{username}: Escape closes the menu");
        assert_eq!(b.focused().await["id"], json!("menu-toggle"), "{username}: focus back on the button");
    }
    b.assert_accessible(&format!("{username}'s home page at {width} px")).await;
    b.screenshot(&format!("menu-{username}-{width}")).await;
}

async fn every_role_has_a_working_menu_at_1366_and_390_px(engine: Engine) {
    // Arrange
    let app = spawn_demo_app(engine).await;
    user_with_every_role(&app).await;
    let b = Browser::start().await;

    for username in USERS {
        // Act
        b.set_window_size(1366, 900).await;
        log_in(&b, &app.url("/login"), username, ramp_app::demo::DEMO_PASSWORD).await;

        // Assert
        check_menu(&b, username, 1366, 900).await;
        check_menu(&b, username, 390, 844).await;
        b.set_window_size(1366, 900).await;
        b.click(&b.by_text("button", "Logga ut").await).await;
    }
    b.quit().await;
}

/// The unit orderer's 29 orders of pads and one rollator, an hour apart.
async fn thirty_orders(app: &TestApp) {
    fixture_ordering::load(app.storage.as_ref()).await.expect("ordering fixture");
    let orderer = app.token_for("bestallare").await;
    for i in 0..30 {
        app.clock.set(test_now() + Duration::hours(i));
        let article = if i == 29 { "R-200" } else { "K-600" };
        let body = json!({ "target": "unit", "lines": [{ "article_number": article, "quantity": 1 }] });
        assert_eq!(app.post_json(&orderer, "/api/v1/orders", &body).await.status(), 201);
    }
}

/// Focuses the element (as Tab would) and presses Enter on it.
async fn activate(b: &Browser, css: &str) {
    b.execute("document.querySelector(arguments[0]).focus();", json!([css])).await;
    b.press(ENTER).await;
}

/// Whether focus is inside the order list's results, and the page was not reloaded.
async fn focus_in_results(b: &Browser) -> (bool, bool) {
    let v = b
        .execute("return [!!document.activeElement.closest('#order-results'), window.__stayed === true];", json!([]))
        .await;
    (v[0].as_bool().unwrap_or(false), v[1].as_bool().unwrap_or(false))
}

async fn after_each_order_list_swap_focus_is_in_the_new_results(app: TestApp) {
    // Arrange
    thirty_orders(&app).await;
    let b = Browser::start().await;
    b.set_window_size(1366, 900).await;
    log_in(&b, &app.url("/login"), "bestallare", ramp_storage::fixture::PASSWORD).await;
    b.goto(&app.url("/orders?per_page=10")).await;
    b.wait_for_text("Visar 1–10 av 30").await;
    b.assert_accessible("the order list").await;
    b.execute("window.__stayed = true;", json!([])).await;

    // A search by keyboard: type and press Enter.
    b.type_into(&b.labelled("Sök").await, "rollator").await;
    b.press(ENTER).await;
    b.wait_for_text("Visar 1–1 av 1").await;
    assert_eq!(focus_in_results(&b).await, (true, true), "focus in the new results after a search swap");
    assert_eq!(b.focused().await["id"], json!("order-count"));
    assert!(b.current_url().await.contains("q=rollator"), "the address holds the search");
    b.assert_accessible("the order list after a search").await;

    // The next page, then a sort, from the keyboard.
    b.goto(&app.url("/orders?per_page=10")).await;
    b.wait_for_text("Visar 1–10 av 30").await;
    b.execute("window.__stayed = true;", json!([])).await;
    activate(&b, "a[rel=next]").await;
    b.wait_for_text("Visar 11–20 av 30").await;
    assert_eq!(focus_in_results(&b).await, (true, true), "focus in the results after the next page");
    activate(&b, "th:last-child a.sort").await;
    b.wait_for_text("Visar 1–10 av 30").await;
    let sorted = b.execute("return document.querySelector('th[aria-sort]').textContent.trim();", json!([])).await;
    assert_eq!(sorted, json!("Status ▲"), "the status column is sorted ascending");
    assert_eq!(focus_in_results(&b).await, (true, true), "focus in the results after a sort");
    b.assert_accessible("the order list sorted by status").await;
    b.screenshot("order-list-1366").await;
    b.set_window_size(390, 844).await;
    let wide = b.execute("return document.documentElement.scrollWidth > window.innerWidth;", json!([])).await;
    assert_eq!(wide, json!(false), "the order list fits 390 px");
    b.assert_accessible("the order list at 390 px").await;
    b.screenshot("order-list-390").await;
    b.quit().await;
}

ramp_testkit::on_both_engines!(after_each_order_list_swap_focus_is_in_the_new_results);

mod demo_sqlite {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn every_role_has_a_working_menu_at_1366_and_390_px() {
        super::every_role_has_a_working_menu_at_1366_and_390_px(ramp_testkit::Engine::Sqlite).await
    }
}

mod demo_postgres {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn every_role_has_a_working_menu_at_1366_and_390_px() {
        super::every_role_has_a_working_menu_at_1366_and_390_px(ramp_testkit::Engine::Postgres).await
    }
}
