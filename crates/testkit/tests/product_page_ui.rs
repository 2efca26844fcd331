//! The product page and the replacement comparison in real Chromium
//! (issue 18 points 3 and 4): from a catalog hit to the product page to
//! the order step with the keyboard alone, the patient's payer on the page
//! opened from the patient's order, the proposal compared side by side and
//! declined with a reason — axe-core on every page, screenshots at 1366
//! and 390 px under `target/test-artefacts/`.

use ramp_domain::product::{TechKey, TechRow};
use ramp_storage::{ArticleDetails, ProductImage};
use ramp_testkit::browser::{Browser, ENTER, TAB};
use ramp_testkit::{test_now, TestApp};
use serde_json::json;

const SVEN: &str = "19390303-1239";

async fn log_in(b: &Browser, app: &TestApp, username: &str) {
    b.goto(&app.url("/login")).await;
    b.type_into(&b.labelled("Användarnamn").await, username).await;
    b.type_into(&b.labelled("Lösenord").await, ramp_storage::fixture::PASSWORD).await;
    b.press(ENTER).await;
    b.wait_for_text("Välkommen").await;
}

/// Technical data for the two wheelchairs of RG-RULL and a picture of their type.
async fn product_data(app: &TestApp) {
    let tech = |key, value: &str| TechRow { key, value: value.into() };
    let details = [
        ArticleDetails {
            article_id: 10,
            technical_data: vec![tech(TechKey::MaxUserWeightKg, "120"), tech(TechKey::SeatWidthCm, "42")],
            handbook_text: Some("Manuell rullstol för kortare förflyttningar.".into()),
        },
        ArticleDetails {
            article_id: 2,
            technical_data: vec![tech(TechKey::MaxUserWeightKg, "135"), tech(TechKey::SeatWidthCm, "46")],
            handbook_text: Some("Manuell rullstol för aktiva användare som driver själva.".into()),
        },
    ];
    app.storage.insert_article_details(&details).await.unwrap();
    let svg = "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 200 140' width='200' height='140'>\
               <rect width='200' height='140' fill='#eef3f7'/><circle cx='95' cy='92' r='34' fill='#1f4e79'/></svg>";
    let image = ProductImage {
        iso_code: "122203".into(),
        svg: svg.into(),
        alt_sv: "Illustration av produkttypen manuella rullstolar".into(),
        alt_en: "Illustration of manual wheelchairs".into(),
    };
    app.storage.insert_product_images(&[image]).await.unwrap();
}

async fn flat_text(b: &Browser) -> String {
    b.page_text().await.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Presses Tab until the focused element satisfies `found` (at most 80 times).
async fn tab_to(b: &Browser, what: &str, found: impl Fn(&serde_json::Value) -> bool) {
    for _ in 0..80 {
        if found(&b.focused().await) {
            return;
        }
        b.press(TAB).await;
    }
    panic!("Tab never reached {what}; focus is on {}", b.focused().await);
}

async fn a_prescriber_goes_from_a_search_hit_to_the_product_page_and_orders_declining_the_proposal_with_a_reason(
    app: TestApp,
) {
    // Arrange
    ramp_storage::fixture_ordering::load(app.storage.as_ref()).await.unwrap();
    product_data(&app).await;
    let b = Browser::start().await;
    b.set_window_size(1366, 900).await;
    log_in(&b, &app, "anna").await;

    // A search hit, reached with Tab, opens the product page with Enter.
    b.goto(&app.url("/catalog")).await;
    b.type_into(&b.labelled("Sök artikel").await, "Rullstol Manuell Komfort").await;
    b.press(ENTER).await;
    b.wait_for_text("Sökresultat").await;
    tab_to(&b, "the hit's link", |f| f["href"] == "/catalog/articles/2").await;
    b.press(ENTER).await;
    b.wait_for_text("Likvärdiga produkter sida vid sida").await;

    // The product page: picture, facts, requirements, technical data, handbook, equivalents.
    let text = flat_text(&b).await;
    for expected in [
        "Rullstol Manuell Komfort",
        "Lagervara: levereras normalt inom 7 arbetsdagar.",
        "Förskrivning inom produktområdet Förflyttning kräver behörighet",
        "Du har behörigheten och kan förskriva artikeln.",
        "Max brukarvikt 135 kg",
        "Manuell rullstol för aktiva användare som driver själva.",
        "Ersättningsgrupp RG-RULL Manuella rullstolar.",
        "Max brukarvikt (kg) 120 135",
        "Sittbredd (cm) 42 46",
    ] {
        assert!(text.contains(expected), "the product page lacks '{expected}':\n{text}");
    }
    let loaded = b
        .execute(
            "const i = document.querySelector('.product-image img'); return !!i && i.complete && i.naturalWidth > 0;",
            json!([]),
        )
        .await;
    assert_eq!(loaded, json!(true), "the picture is served by Ramp and shown");
    let alt = b.attribute(&b.find(".product-image img").await, "alt").await;
    assert_eq!(alt.as_deref(), Some("Illustration av produkttypen manuella rullstolar"));
    b.assert_accessible("the product page").await;
    b.at_both_widths("product-page").await;

    // On to the order step with the keyboard: the order button, Enter.
    tab_to(&b, "the order button", |f| f["id"] == "order-button").await;
    b.press(ENTER).await;
    b.wait_for_text("Fortsätt").await;
    b.type_into(&b.labelled("Personnummer eller samordningsnummer").await, SVEN).await;
    b.press(ENTER).await;

    // The proposal, compared side by side with the article asked for.
    b.wait_for_text("Beställd artikel och föreslagen ersättning sida vid sida").await;
    let text = flat_text(&b).await;
    assert!(text.contains("Sven Svensson"), "the patient is in view:\n{text}");
    assert!(text.contains("Max brukarvikt (kg) 135 120"), "requested first, then the proposal:\n{text}");
    b.assert_accessible("the proposal with its comparison").await;
    b.at_both_widths("replacement-proposal").await;

    // Declining without a reason is asked again; with one it is recorded.
    b.click(&b.by_text("button", "Avböj").await).await;
    b.wait_for_text("Välj varför du avböjer förslaget.").await;
    b.assert_accessible("the proposal with the missing reason").await;
    b.set_value(&b.labelled("Skäl").await, "does_not_fit").await;
    b.type_into(&b.labelled("Kommentar (frivillig, krävs vid annat skäl)").await, "Behöver 46 cm sittbredd").await;
    b.click(&b.by_text("button", "Avböj").await).await;
    b.wait_for_text("Skäl: Passar inte patientens mått eller vikt – Behöver 46 cm sittbredd").await;
    b.assert_accessible("the declined proposal").await;
    b.click(&b.by_text("button", "Lägg i varukorg").await).await;
    b.wait_for_text("Skicka beställning").await;
    b.quit().await;
    let day = chrono::Duration::days(1);
    let reasons = app.storage.decline_reasons(test_now() - day, test_now() + day, None).await.unwrap();
    assert_eq!(reasons, vec![(Some(ramp_domain::product::DeclineReason::DoesNotFit), 1)]);
}

async fn the_product_page_opened_from_the_patients_order_shows_who_pays_for_the_patient(app: TestApp) {
    // Arrange
    ramp_storage::fixture_ordering::load(app.storage.as_ref()).await.unwrap();
    product_data(&app).await;
    let b = Browser::start().await;
    b.set_window_size(1366, 900).await;
    log_in(&b, &app, "anna").await;
    b.goto(&app.url("/patient")).await;
    b.type_into(&b.labelled("Personnummer eller samordningsnummer").await, SVEN).await;
    b.press(ENTER).await;
    b.wait_for_text("Hjälpmedelsbild").await;
    b.type_into(&b.labelled("Sök artikel att beställa").await, "W-200").await;
    b.press(ENTER).await;
    b.wait_for_text("Välj artikel att beställa").await;

    // Act: the hit's product page, with the keyboard.
    tab_to(&b, "the product page button", |f| f["text"].as_str().is_some_and(|t| t.starts_with("Produktsida"))).await;
    b.press(ENTER).await;
    b.wait_for_text("Vem betalar för patienten?").await;

    // Assert: the patient in view and the payer; no personnummer in the URL.
    let text = flat_text(&b).await;
    for expected in ["Sven Svensson", "19390303-1239", "Betalare Regionen", "Beställ för patienten"] {
        assert!(text.contains(expected), "the page lacks '{expected}':\n{text}");
    }
    assert!(!b.current_url().await.contains("19390303"), "no personal identity number in the URL");
    b.assert_accessible("the product page for a patient").await;
    b.at_both_widths("product-page-patient").await;
    tab_to(&b, "the order button", |f| f["id"] == "order-button").await;
    b.press(ENTER).await;
    b.wait_for_text("Beställd artikel och föreslagen ersättning sida vid sida").await;
    b.quit().await;
    let audit = app.storage.audit_recent(50).await.unwrap();
    assert!(audit.iter().any(|a| a.action == "catalog.product"), "reading the patient for the page is audited");
}

ramp_testkit::on_both_engines!(
    a_prescriber_goes_from_a_search_hit_to_the_product_page_and_orders_declining_the_proposal_with_a_reason,
    the_product_page_opened_from_the_patients_order_shows_who_pays_for_the_patient,
);
