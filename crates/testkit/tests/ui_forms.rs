//! The UI's forms over plain HTTP, for what a browser test cannot show
//! reliably: a double submit of the order form places one order, and a
//! form posted without this site's CSRF token changes nothing.

use ramp_testkit::TestApp;
use reqwest::{Client, StatusCode};

/// A browser-like client, logged in through the login form; returns it and its CSRF token.
async fn logged_in(app: &TestApp, username: &str) -> (Client, String) {
    let (client, csrf, _) = app.ui_logged_in(username).await;
    (client, csrf)
}

fn location(resp: &reqwest::Response) -> String {
    resp.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string()
}

async fn a_double_submitted_order_form_places_one_order(app: TestApp) {
    let f = ramp_storage::fixture_ordering::load(app.storage.as_ref()).await.unwrap();
    let (client, csrf) = logged_in(&app, "anna").await;
    let added = client
        .post(app.url("/cart/add"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("personal_id", f.sven_pnr),
            ("article_number", "W-200"),
            ("need", "lasting"),
            ("replacement", "accept"),
        ])
        .send()
        .await
        .expect("add to cart");
    assert_eq!((added.status(), location(&added).as_str()), (StatusCode::SEE_OTHER, "/cart"));
    let cart = client.get(app.url("/cart")).send().await.expect("cart").text().await.expect("html");
    let key = cart
        .split("name=\"idempotency_key\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the order form carries an idempotency key")
        .to_string();
    let form = [
        ("csrf", csrf.as_str()),
        ("group", &format!("patient-{}", f.sven)),
        ("target", "patient"),
        ("personal_id", "19390303-1239"),
        ("goal", "Kunna förflytta sig inomhus"),
        ("evaluation_date", "2027-02-01"),
        ("delivery_contact_name", "Eva Svensson"),
        ("delivery_contact_phone", "070-123 45 67"),
        ("idempotency_key", &key),
    ];
    let first = client.post(app.url("/orders")).form(&form).send().await.expect("submit");
    let second = client.post(app.url("/orders")).form(&form).send().await.expect("submit again");
    assert_eq!(first.status(), StatusCode::SEE_OTHER);
    assert_eq!(second.status(), StatusCode::SEE_OTHER);
    assert!(location(&first).starts_with("/orders/"), "{}", location(&first));
    assert_eq!(location(&first), location(&second), "the second submit shows the same order");
    let anna = app.storage.user_by_username("anna").await.unwrap().unwrap();
    assert_eq!(app.storage.orders_by_user(anna.id, 10).await.unwrap().len(), 1);
}

async fn removing_a_cart_line_returns_its_device_to_stock(app: TestApp) {
    let f = ramp_storage::fixture_ordering::load(app.storage.as_ref()).await.unwrap();
    let (client, csrf) = logged_in(&app, "anna").await;
    let line = [("csrf", csrf.as_str()), ("personal_id", f.sven_pnr), ("article_number", "W-190")];
    let added = client.post(app.url("/cart/add")).form(&line).send().await.expect("add");
    assert_eq!(added.status(), StatusCode::SEE_OTHER);
    let anna = app.storage.user_by_username("anna").await.unwrap().unwrap();
    let items = app.storage.cart_items(anna.id, ramp_testkit::test_now()).await.unwrap();
    assert_eq!(items.len(), 1);
    let id = items[0].id.to_string();
    let removed = client
        .post(app.url("/cart/remove"))
        .form(&[("csrf", csrf.as_str()), ("item_id", &id)])
        .send()
        .await
        .expect("remove");
    assert_eq!((removed.status(), location(&removed).as_str()), (StatusCode::SEE_OTHER, "/cart"));
    assert!(app.storage.cart_items(anna.id, ramp_testkit::test_now()).await.unwrap().is_empty());
    let cart = client.get(app.url("/cart")).send().await.expect("cart").text().await.expect("html");
    assert!(cart.contains("Varukorgen är tom."), "{cart}");
    // The device is free again: it can go straight back in the cart.
    let again = client.post(app.url("/cart/add")).form(&line).send().await.expect("add again");
    assert_eq!(again.status(), StatusCode::SEE_OTHER);
}

async fn a_form_posted_from_another_site_is_refused(app: TestApp) {
    let f = ramp_storage::fixture_ordering::load(app.storage.as_ref()).await.unwrap();
    let (client, _) = logged_in(&app, "anna").await;
    let resp = client
        .post(app.url("/cart/add"))
        .form(&[("csrf", "forged"), ("personal_id", f.sven_pnr), ("article_number", "W-190")])
        .send()
        .await
        .expect("post");
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    let anna = app.storage.user_by_username("anna").await.unwrap().unwrap();
    assert!(app.storage.cart_items(anna.id, ramp_testkit::test_now()).await.unwrap().is_empty());
}

/// Every state-changing UI route, with a body that would otherwise be read.
const UI_POSTS: &[&str] = &[
    "/patient",
    "/patient/emergency-access",
    "/patient/fees",
    "/patient/digital",
    "/patient/digital/threshold",
    "/alarms/1/acknowledgement",
    "/alarms/1/close",
    "/admin/digital-devices/DIG-0001/secret",
    "/admin/digital-devices/DIG-0001/secret/revoke",
    "/admin/digital-devices/models/BT-300/interval",
    "/devices/D-0010/pickup",
    "/devices/D-0010/fault",
    "/devices/D-0010/lost",
    "/devices/D-0010/adaptation-signature",
    "/devices/D-0010/adaptation-signature/step-up",
    "/desk/receive",
    "/desk/purchase-orders",
    "/stock/thresholds",
    "/desk/returns",
    "/desk/returns/inspection",
    "/workshop/1/start",
    "/workshop/1/entries",
    "/workshop/1/finish",
    "/workshop/1/documents",
    "/workshop/1/checklist",
    "/workshop/new",
    "/unit-order",
    "/safety-notices",
    "/order/articles",
    "/order/preview",
    "/cart/add",
    "/cart/remove",
    "/orders",
    "/orders/1/status",
    "/consultations",
    "/consultations/slots",
    "/consultations/slots/1/withdraw",
    "/consultations/1/book",
    "/consultations/1/rebook",
    "/consultations/1/cancel",
    "/surplus/sell",
    "/surplus/delivery",
    "/surplus/complaints",
    "/surplus/spare-parts",
    "/billing/run",
    "/billing/runs/1/cancel",
    "/economy/budget",
    "/billing/invoices/1/credit",
    "/logout",
];

async fn every_ui_form_without_or_with_a_wrong_token_is_refused_with_the_expired_form_page(app: TestApp) {
    let (client, csrf) = logged_in(&app, "anna").await;
    for path in UI_POSTS {
        for token in [None, Some("forged"), Some("")] {
            let mut form = vec![("personal_id", "19390303-1239"), ("item_id", "1")];
            form.extend(token.map(|t| ("csrf", t)));
            let resp = client.post(app.url(path)).form(&form).send().await.expect("post");
            assert_eq!(resp.status(), StatusCode::FORBIDDEN, "{path} with {token:?}");
            let html = resp.text().await.expect("html");
            assert!(html.contains("Formuläret har gått ut."), "{path}: {html}");
        }
    }
    // The refused logout left the session alone; with the token it ends it.
    assert_eq!(client.get(app.url("/")).send().await.expect("home").status(), StatusCode::OK);
    let out = client.post(app.url("/logout")).form(&[("csrf", csrf.as_str())]).send().await.expect("logout");
    assert_eq!((out.status(), location(&out).as_str()), (StatusCode::SEE_OTHER, "/login"));
    let home = client.get(app.url("/")).send().await.expect("home");
    assert_eq!(home.status(), StatusCode::SEE_OTHER, "logged out");
}

async fn the_login_form_without_the_token_is_refused(app: TestApp) {
    let client = Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
    let form = [("username", "anna"), ("password", ramp_storage::fixture::PASSWORD), ("csrf", "forged")];
    let resp = client.post(app.url("/login")).form(&form).send().await.expect("post");
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    assert!(resp
        .headers()
        .get_all("set-cookie")
        .iter()
        .all(|c| !c.to_str().unwrap_or("").starts_with("ramp_session=")));
}

/// The demo's one coherent story (issue 18 point 6): "Vem betalar?" starts
/// on the agreement that decides this installation's orders.
async fn who_pays_starts_on_the_region_whose_agreement_decides_the_orders(app: TestApp) {
    let (client, _) = logged_in(&app, "anna").await;
    let html = client.get(app.url("/cost")).send().await.unwrap().text().await.unwrap();
    let region = &app.app.config().agreement_region;
    assert!(html.contains(&format!("<option value=\"{region}\" selected>")), "{region} preselected:\n{html}");
}

ramp_testkit::on_both_engines!(
    a_double_submitted_order_form_places_one_order,
    who_pays_starts_on_the_region_whose_agreement_decides_the_orders,
    removing_a_cart_line_returns_its_device_to_stock,
    a_form_posted_from_another_site_is_refused,
    every_ui_form_without_or_with_a_wrong_token_is_refused_with_the_expired_form_page,
    the_login_form_without_the_token_is_refused,
);
