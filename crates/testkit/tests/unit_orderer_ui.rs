//! The unit orderer's journey in Chromium (issue 18, acceptance): a saved
//! list is made from catalog searches with quantities, an order of five
//! devices is placed from it, and the confirmation shows the totals —
//! searching and quantities by keyboard, axe-core on every page, and
//! screenshots at 1366 and 390 px kept under `target/test-artefacts/`.

use ramp_storage::fixture_ordering;
use ramp_testkit::browser::{Browser, ENTER};
use ramp_testkit::{test_now, TestApp};
use serde_json::json;

async fn log_in(b: &Browser, app: &TestApp, username: &str) {
    b.goto(&app.url("/login")).await;
    b.type_into(&b.labelled("Användarnamn").await, username).await;
    b.type_into(&b.labelled("Lösenord").await, ramp_storage::fixture::PASSWORD).await;
    b.press(ENTER).await;
    b.wait_for_text("Välkommen").await;
}

/// Empties the focused field and types `text` into it, keys only.
async fn retype_focused(b: &Browser, text: &str) {
    b.execute("document.activeElement.value = '';", json!([])).await;
    b.press(text).await;
}

/// Searches the assortment from the search box by pressing Enter in it.
async fn search(b: &Browser, text: &str) {
    b.execute("document.getElementById('q').value = '';", json!([])).await;
    b.type_into(&b.labelled("Sök artikel").await, text).await;
    b.press(ENTER).await;
    b.wait_for_text("Träffar (").await;
    b.wait_for_text("Lägg till").await;
}

/// The page's text with every run of white space (cells, list items) as one space.
async fn flat_text(b: &Browser) -> String {
    b.page_text().await.split_whitespace().collect::<Vec<_>>().join(" ")
}

async fn focused_id(b: &Browser) -> String {
    b.focused().await["id"].as_str().unwrap_or_default().to_string()
}

/// `None` when the main content fits its width, else the widest element sticking out.
async fn both_widths(b: &Browser, name: &str) {
    b.at_both_widths(name).await;
}

async fn a_unit_orderer_saves_a_list_and_orders_five_from_it_seeing_the_total(app: TestApp) {
    // Arrange: Lidingö stad, the unit's principal, has 10 000 kr for 2026; R-200 has 5 in stock.
    fixture_ordering::load(app.storage.as_ref()).await.unwrap();
    let unit = app.storage.unit(2).await.unwrap().unwrap();
    app.storage.set_budget(unit.principal_id, 2026, 1_000_000, test_now(), 1).await.unwrap();
    let b = Browser::start().await;
    b.set_window_size(1366, 900).await;
    log_in(&b, &app, "bestallare").await;

    // A new list: two articles found in the catalog, quantities typed.
    b.click(&b.by_text("a", "Beställ till enheten").await).await;
    b.click(&b.by_text("a", "Beställningslistor").await).await;
    b.wait_for_text("Enheten har inga sparade listor än.").await;
    b.assert_accessible("the order lists, none yet").await;
    b.click(&b.by_text("a", "Ny beställningslista").await).await;
    b.type_into(&b.labelled("Listans namn").await, "Veckobeställning").await;
    search(&b, "rollator").await;
    assert_eq!(focused_id(&b).await, "hits-title", "focus moves to the results");
    b.assert_accessible("the list editor with search results").await;
    b.click(&b.find("button[value='add:R-200']").await).await;
    assert_eq!(focused_id(&b).await, "lines[0].quantity", "focus moves to the line just added");
    retype_focused(&b, "100").await;
    b.press(ENTER).await;
    b.wait_for_text("Antalet är ett heltal från 1 till 99.").await;
    b.assert_accessible("the list editor with a quantity error").await;
    b.click(&b.find("[id='lines[0].quantity']").await).await;
    retype_focused(&b, "5").await;
    search(&b, "inkontinens").await;
    b.click(&b.find("button[value='add:K-600']").await).await;
    assert_eq!(focused_id(&b).await, "lines[1].quantity");
    retype_focused(&b, "10").await;
    b.press(ENTER).await;
    b.wait_for_text("40,00 kr engångsköp").await;
    let text = flat_text(&b).await;
    for expected in ["46,66 kr per månad", "233,30 kr per månad", "4,00 kr engångsköp", "40,00 kr engångsköp"] {
        assert!(text.contains(expected), "the editor lacks '{expected}':\n{text}");
    }
    b.assert_accessible("the list editor with two lines").await;
    both_widths(&b, "unit-list-editor").await;
    b.click(&b.by_text("button", "Spara listan").await).await;
    b.wait_for_text("Listan är sparad.").await;
    assert!(b.page_text().await.contains("Veckobeställning"));
    b.assert_accessible("the order lists with one list").await;

    // Order from the list: filled in, priced, beside the budget.
    b.click(&b.by_text("a", "Beställ från listan").await).await;
    b.wait_for_text("Ifylld från listan: Veckobeställning").await;
    let text = flat_text(&b).await;
    for expected in [
        "Hyra per månad 233,30 kr",
        "Köp 40,00 kr",
        "Budget 2026 10 000,00 kr",
        "Fakturerat hittills i år 0,00 kr",
        "Denna beställning lägger till i år 506,60 kr",
        "Kvar efter beställningen 9 493,40 kr",
    ] {
        assert!(text.contains(expected), "the order form lacks '{expected}':\n{text}");
    }
    b.assert_accessible("the order form filled from a list").await;
    both_widths(&b, "unit-order-form").await;
    b.click(&b.by_text("button", "Skicka beställning").await).await;

    // Assert: the confirmation with the totals, and five devices reserved.
    b.wait_for_text("Beställningen är skickad").await;
    let text = flat_text(&b).await;
    for expected in [
        "R-200 Rollator Lätt 5 46,66 kr per månad 233,30 kr per månad",
        "K-600 Inkontinensskydd Natt 10",
        "Hyra per månad 233,30 kr",
        "Köp 40,00 kr",
    ] {
        assert!(text.contains(expected), "the confirmation lacks '{expected}':\n{text}");
    }
    b.assert_accessible("the confirmation").await;
    both_widths(&b, "unit-order-confirmation").await;
    b.quit().await;
    let stock = app.storage.central_stock(&[15], test_now()).await.unwrap();
    assert_eq!(stock.first().map_or(0, |s| s.1), 0, "all five rollators are reserved for the unit");
    let orders = app.storage.orders_by_user(5, 10).await.unwrap();
    assert_eq!(orders.len(), 1);
}

ramp_testkit::on_both_engines!(a_unit_orderer_saves_a_list_and_orders_five_from_it_seeing_the_total);
