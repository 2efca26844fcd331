//! The catalog search in real Chromium: results as you type (a misspelling
//! too), highlighted words, a filter chosen by keyboard that keeps the
//! focus where it was, facet counts, and axe with no serious finding.

use ramp_testkit::browser::{Browser, ENTER};
use ramp_testkit::{on_both_engines, TestApp};

async fn a_prescriber_searches_as_she_types_and_narrows_with_a_filter_by_keyboard(app: TestApp) {
    let b = Browser::start().await;
    b.goto(&app.url("/login")).await;
    b.type_into(&b.labelled("Användarnamn").await, "anna").await;
    b.type_into(&b.labelled("Lösenord").await, ramp_storage::fixture::PASSWORD).await;
    b.press(ENTER).await;
    b.wait_for_text("Välkommen").await;
    b.goto(&app.url("/catalog")).await;

    b.type_into(&b.labelled("Sök artikel").await, "rolator").await;
    b.wait_for_text("Inga exakta träffar").await;
    assert!(b.current_url().await.ends_with("/catalog"), "htmx swapped the results in place");
    let marked = b
        .execute(
            "return [...document.querySelectorAll('#results mark')].map(m => m.textContent);",
            serde_json::json!([]),
        )
        .await;
    assert!(marked.as_array().unwrap().iter().any(|m| m == "Rollator"), "{marked}");
    let text = b.page_text().await;
    assert!(text.contains("Huvudhjälpmedel (1)") && text.contains("Tillbehör (1)"), "facets with counts:\n{text}");
    assert!(!text.contains("main_device") && !text.contains("stock_7"), "no raw values:\n{text}");

    let stock = b.labelled("Finns i lager").await;
    b.click(&stock).await;
    b.wait_for_text("1–1 av 1 träffar").await;
    assert!(b.page_text().await.contains("Rollator Gåstöd Classic"), "the rollator in stock stays");
    let focused = b.focused().await;
    assert_eq!(focused["id"], "in_stock", "focus stays on the filter after the swap: {focused}");
    b.assert_accessible("the catalog search with a filter").await;
    b.quit().await;
}

on_both_engines!(a_prescriber_searches_as_she_types_and_narrows_with_a_filter_by_keyboard);
