//! The complete order in real Chromium (issue 18, point 4): a prescriber
//! searches the catalog with a filter, opens the product page, orders for
//! the daily-activity place of use with delivery details, sees
//! the confirmation with the patient's name, the warehouse delivers, and
//! the prescriber finds it in the inbox — axe on every page, the order
//! form filled and sent from the keyboard, screenshots at 1366 and 390 px
//! kept under `target/test-artefacts/`.

use ramp_testkit::browser::{Browser, ENTER, TAB};
use ramp_testkit::TestApp;

async fn log_in(b: &Browser, app: &TestApp, username: &str) {
    b.goto(&app.url("/login")).await;
    b.type_into(&b.labelled("Användarnamn").await, username).await;
    b.type_into(&b.labelled("Lösenord").await, ramp_storage::fixture::PASSWORD).await;
    b.press(ENTER).await;
    b.wait_for_text("Välkommen").await;
}

async fn log_out(b: &Browser) {
    b.click(&b.by_text("button", "Logga ut").await).await;
    b.wait_for_text("Användarnamn").await;
}

/// Puts a Rollator Lätt in the cart for Sven the way a prescriber finds
/// it: a catalog search narrowed by the "in stock" filter, the product
/// page (who pays, equivalents), "Beställ", Sven's number, the preview.
async fn rollator_in_the_cart(b: &Browser, app: &TestApp) {
    b.goto(&app.url("/catalog")).await;
    b.type_into(&b.labelled("Sök artikel").await, "rollator").await;
    b.press(ENTER).await;
    b.wait_for_text("Sökresultat").await;
    b.click(&b.labelled("Finns i lager").await).await;
    b.wait_for_text("Rollator Lätt").await;
    b.assert_accessible("the catalog search with a filter").await;
    b.at_both_widths("order-journey-search").await;
    b.click(&b.by_text("a", "Rollator Lätt").await).await;
    b.wait_for_text("Beställ").await;
    assert!(b.current_url().await.contains("/catalog/articles/"), "the product page");
    b.assert_accessible("the product page").await;
    b.at_both_widths("order-journey-product-page").await;
    b.click(&b.find("#order-button").await).await;
    b.wait_for_text("Fortsätt").await;
    b.type_into(&b.labelled("Personnummer eller samordningsnummer").await, "19390303-1239").await;
    b.press(ENTER).await;
    b.wait_for_text("Vem betalar").await;
    assert!(b.page_text().await.contains("Sven Svensson"), "the patient is in view on the preview");
    b.click(&b.by_text("button", "Lägg i varukorg").await).await;
    b.wait_for_text("Skicka beställning").await;
}

/// Types into the focused field, then Tab to the next one.
async fn type_and_tab(b: &Browser, text: &str) {
    let focused = b.focused().await;
    let id = focused["id"].as_str().unwrap_or_default().to_string();
    b.type_into(&b.find(&format!("[id='{id}']")).await, text).await;
    b.press(TAB).await;
}

async fn focused_id(b: &Browser) -> String {
    b.focused().await["id"].as_str().unwrap_or_default().to_string()
}

async fn the_order_form_is_filled_and_sent_from_the_keyboard(b: &Browser) {
    b.type_into(&b.labelled("Mål").await, "Gå till och på daglig verksamhet").await;
    b.set_value(&b.labelled("Uppföljningsdatum").await, "2027-02-01").await;
    b.set_value(&b.labelled("Användningsplats").await, "daily_activity").await;
    // From the place of use, Tab walks the delivery fields in reading order.
    b.execute("document.getElementById(arguments[0]).focus()", serde_json::json!(["g0-place_of_use"])).await;
    b.press(TAB).await;
    assert_eq!(focused_id(b).await, "g0-address-registered", "the address choice comes first");
    b.press(TAB).await;
    assert_eq!(focused_id(b).await, "g0-delivery_address");
    b.press(TAB).await;
    assert_eq!(focused_id(b).await, "g0-delivery_contact_name");
    type_and_tab(b, "Eva Svensson").await;
    type_and_tab(b, "070-123 45 67").await;
    assert_eq!(focused_id(b).await, "g0-delivery_method");
    b.press(TAB).await;
    assert_eq!(focused_id(b).await, "g0-urgency-normal");
    b.press(TAB).await;
    type_and_tab(b, "Lämnas i entrén, ring först").await;
    let button = b.focused().await;
    assert_eq!(button["tag"], "BUTTON", "after the note comes the submit button: {button}");
    b.press(ENTER).await;
    b.wait_for_text("Beställningen är lagd.").await;
}

async fn a_prescriber_orders_for_daily_activity_and_is_told_when_the_warehouse_delivers(app: TestApp) {
    ramp_storage::fixture_ordering::load(app.storage.as_ref()).await.unwrap();
    let b = Browser::start().await;
    log_in(&b, &app, "anna").await;
    rollator_in_the_cart(&b, &app).await;
    b.assert_accessible("the cart with the delivery form").await;
    b.at_both_widths("order-journey-cart").await;

    // A missing phone number is named beside its field, in Swedish.
    b.type_into(&b.labelled("Mål").await, "Gå till och på daglig verksamhet").await;
    b.set_value(&b.labelled("Uppföljningsdatum").await, "2027-02-01").await;
    b.type_into(&b.labelled("Kontaktperson").await, "Eva Svensson").await;
    b.type_into(&b.labelled("Kontaktpersonens telefon").await, "12").await;
    b.click(&b.by_text("button", "Skicka beställning").await).await;
    b.wait_for_text("Telefonnumret ska ha 7–15 siffror").await;
    b.assert_accessible("the order form with an error").await;
    b.goto(&app.url("/cart")).await;
    b.wait_for_text("Skicka beställning").await;

    the_order_form_is_filled_and_sent_from_the_keyboard(&b).await;
    let url = b.current_url().await;
    assert!(!url.contains("19390303"), "no personal identity number in the URL: {url}");
    let order = url.split("/orders/").nth(1).and_then(|r| r.split('/').next()).expect("order id").to_string();
    let text = b.page_text().await;
    for expected in [
        "Sven Svensson",
        "19390303-1239",
        &format!("Ordernummer\n{order}"),
        "Daglig verksamhet (LSS)",
        "Eva Svensson",
        "070-123 45 67",
        "Hjälpmedelscentralens transport",
        "Lämnas i entrén, ring först",
        "Regionen",
        "Personligt förskrivna hjälpmedel på regionens bekostnad kan tas med och användas i verksamheten.",
    ] {
        assert!(text.contains(expected), "the confirmation lacks '{expected}':\n{text}");
    }
    b.assert_accessible("the confirmation").await;
    b.at_both_widths("order-journey-confirmation").await;
    log_out(&b).await;

    // The warehouse reads the delivery details off the order and delivers.
    log_in(&b, &app, "lager").await;
    b.goto(&app.url(&format!("/orders/{order}"))).await;
    b.wait_for_text("Lämnas i entrén, ring först").await;
    b.assert_accessible("the order for the warehouse").await;
    for button in ["Markera som plockad", "Markera som under leverans"] {
        b.click(&b.by_text("button", button).await).await;
    }
    b.type_into(&b.labelled("Mottagen av").await, "Eva Svensson").await;
    b.click(&b.by_text("button", "Markera som levererad").await).await;
    b.wait_for_text("Mottagen av").await;
    log_out(&b).await;

    // The prescriber's menu counts the news; the inbox tells what happened.
    log_in(&b, &app, "anna").await;
    b.wait_for_text("Inkorg 3").await;
    b.click(&b.find("a[href='/inbox']").await).await;
    b.wait_for_text("Olästa: 3").await;
    let text = b.page_text().await;
    assert!(text.contains(&format!("Beställning {order} (Rollator Lätt): Levererad")), "{text}");
    b.assert_accessible("the inbox").await;
    b.at_both_widths("order-journey-inbox").await;
    b.click(&b.find("form[action^='/inbox/'] button").await).await;
    b.wait_for_text("Olästa: 2").await;
    b.quit().await;
}

ramp_testkit::on_both_engines!(a_prescriber_orders_for_daily_activity_and_is_told_when_the_warehouse_delivers,);
