//! The UI in real Chromium: log in, search the catalog, open a patient's
//! device overview and a device card, stock for HMC staff, errors beside
//! their fields, emergency access — with axe-core on every page and the
//! labels a screen reader would use.

use ramp_testkit::browser::{Browser, ENTER, TAB};
use ramp_testkit::TestApp;

pub async fn log_in(b: &Browser, app: &TestApp, username: &str) {
    b.goto(&app.url("/")).await;
    assert!(b.current_url().await.contains("/login"), "an anonymous visitor is sent to the login page");
    let user = b.labelled("Användarnamn").await;
    b.type_into(&user, username).await;
    let pw = b.labelled("Lösenord").await;
    b.type_into(&pw, ramp_storage::fixture::PASSWORD).await;
    b.press(ENTER).await;
    b.wait_for_text("Välkommen").await;
}

async fn a_prescriber_searches_the_catalog_opens_a_patient_and_a_device_card(app: TestApp) {
    let b = Browser::start().await;
    b.goto(&app.url("/login")).await;
    b.assert_accessible("the login page").await;
    b.press(TAB).await;
    let focused = b.focused().await;
    assert_eq!(focused["href"], "#main", "the first Tab reaches the skip link: {focused}");

    log_in(&b, &app, "anna").await;
    b.assert_accessible("the start page").await;

    b.click(&b.by_text("a", "Sortiment").await).await;
    let q = b.labelled("Sök artikel").await;
    b.type_into(&q, "rollator").await;
    b.press(ENTER).await;
    b.wait_for_text("Rollatorkorg Ärtgrön").await;
    assert!(b.page_text().await.contains("Rollator Gåstöd Classic"));
    b.assert_accessible("the catalog with results").await;

    b.click(&b.by_text("a", "Patient").await).await;
    let pnr = b.labelled("Personnummer eller samordningsnummer").await;
    b.type_into(&pnr, "19121212-1212").await;
    b.press(ENTER).await;
    b.wait_for_text("Hjälpmedelsbild").await;
    let text = b.page_text().await;
    for expected in
        ["Tolvan Tolvansson", "Särskilt boende för äldre (SÄBO)", "D-0001", "2024-02-01", "Regionen", "vårdrelation"]
    {
        assert!(text.contains(expected), "overview lacks '{expected}':\n{text}");
    }
    b.assert_accessible("the patient's device overview").await;

    b.click(&b.by_text("a", "D-0001").await).await;
    b.wait_for_text("Historik").await;
    let text = b.page_text().await;
    assert!(text.contains("Inleverans") && text.contains("Utlämnad"), "{text}");
    b.assert_accessible("the device card").await;

    b.click(&b.by_text("a", "In English").await).await;
    b.wait_for_text("History").await;
    assert!(b.page_text().await.contains("Device card D-0001"));
    b.assert_accessible("the device card in English").await;
    b.quit().await;
}

async fn hmc_staff_see_stock_per_warehouse(app: TestApp) {
    let b = Browser::start().await;
    log_in(&b, &app, "lager").await;
    b.click(&b.by_text("a", "Lager").await).await;
    b.wait_for_text("Lagersaldo").await;
    assert!(b.page_text().await.contains("Rollator Gåstöd Classic"));
    b.assert_accessible("the stock page").await;
    let select = b.labelled("Lager").await;
    b.type_into(&select, "Buffertförråd Lidingö").await;
    b.click(&b.by_text("button", "Visa").await).await;
    b.wait_for_text("Rullstol Manuell Komfort").await;

    // The error pages are pages too: a missing device and an unknown address.
    b.goto(&app.url("/devices/FINNS-EJ")).await;
    b.wait_for_text("Det finns inget hjälpmedel med det individnumret.").await;
    b.assert_accessible("the error page for a missing device").await;
    b.goto(&app.url("/ingen-sida")).await;
    b.wait_for_text("Sidan finns inte.").await;
    b.assert_accessible("the page-not-found page").await;
    b.quit().await;
}

async fn a_bad_personnummer_is_explained_beside_the_field_and_emergency_access_is_offered(app: TestApp) {
    let b = Browser::start().await;
    log_in(&b, &app, "lars").await;
    b.goto(&app.url("/patient")).await;
    let pnr = b.labelled("Personnummer eller samordningsnummer").await;
    b.type_into(&pnr, "19121212-1213").await;
    b.press(ENTER).await;
    b.wait_for_text("kontrollera sista siffran").await;
    let field = b.find("#personal_id").await;
    assert_eq!(b.attribute(&field, "aria-invalid").await.as_deref(), Some("true"));
    let described = b.attribute(&field, "aria-describedby").await.unwrap_or_default();
    assert!(described.contains("personal_id-error"), "{described}");
    b.assert_accessible("the patient form with an error").await;

    let pnr = b.labelled("Personnummer eller samordningsnummer").await;
    b.execute(
        "arguments[0].value = '';",
        serde_json::json!([{"element-6066-11e4-a52e-4f735466cecf": element_id(&b, "#personal_id").await}]),
    )
    .await;
    b.type_into(&pnr, "19121212-1212").await;
    b.press(ENTER).await;
    b.wait_for_text("Nödåtkomst").await;
    b.assert_accessible("the emergency-access offer").await;
    let category = b.labelled("Varför behöver du nödåtkomst?").await;
    b.set_value(&category, "urgent_care").await;
    let reason = b.labelled("Skäl till nödåtkomst").await;
    b.type_into(&reason, "Akut försämring, ordinarie vårdgivare nås ej").await;
    b.click(&b.by_text("button", "Begär nödåtkomst").await).await;
    b.wait_for_text("Hjälpmedelsbild").await;
    let text = b.page_text().await;
    assert!(text.contains("nödåtkomst") && text.contains("All läsning loggas och granskas."), "the banner: {text}");
    b.assert_accessible("the overview under emergency access, with its banner").await;
    b.quit().await;
    let audit = app.storage.audit_for_patient(app.fixture.tolvan, 10).await.unwrap();
    assert!(audit.iter().any(|a| a.action == "patient.emergency_access_declared"));
}

async fn a_prescriber_asks_who_pays_answers_the_agreements_questions_and_sees_the_reason(app: TestApp) {
    let b = Browser::start().await;
    log_in(&b, &app, "anna").await;
    b.click(&b.by_text("a", "Vem betalar?").await).await;
    b.wait_for_text("Svara på frågorna").await;
    b.assert_accessible("the who-pays form").await;
    b.type_into(&b.labelled("Region").await, "Region Stockholm").await;
    b.type_into(&b.labelled("Patientens ålder (år)").await, "85").await;
    b.type_into(&b.labelled("Boendeform").await, "Särskilt boende för äldre (SÄBO)").await;
    b.type_into(&b.labelled("ISO-kod (sex siffror)").await, "12 23 06").await;
    b.click(&b.by_text("button", "Visa vem som betalar").await).await;
    // "Är rullstolen försedd med vårdarstyrning?" — seed 000: the agreement asks only what it needs.
    b.wait_for_text("Är rullstolen försedd med vårdarstyrning?").await;
    b.assert_accessible("the who-pays questions").await;
    b.click(&b.find("input[name='fact.special_adapted'][value='no']").await).await;
    b.click(&b.find("input[name='fact.carer_controlled'][value='yes']").await).await;
    b.click(&b.by_text("button", "Visa vem som betalar").await).await;
    b.wait_for_text("Svar: Kommunen").await;
    let text = b.page_text().await;
    // Seed 000: "Exempelvis bekostar kommunen en eldriven rullstol som förses med vårdarstyrning.
    // Då blir hela hjälpmedlet kommunens kostnadsansvar."
    assert!(text.contains("hela hjälpmedlet kommunens kostnadsansvar"), "{text}");
    b.assert_accessible("the who-pays answer").await;
    b.quit().await;
}

async fn log_out(b: &Browser) {
    b.click(&b.by_text("button", "Logga ut").await).await;
    b.wait_for_text("Användarnamn").await;
}

pub async fn open_patient(b: &Browser, app: &TestApp, personal_id: &str) {
    b.goto(&app.url("/patient")).await;
    b.type_into(&b.labelled("Personnummer eller samordningsnummer").await, personal_id).await;
    b.press(ENTER).await;
    b.wait_for_text("Hjälpmedelsbild").await;
}

async fn a_prescriber_orders_a_device_and_sees_it_in_the_overview_after_delivery(app: TestApp) {
    ramp_storage::fixture_ordering::load(app.storage.as_ref()).await.unwrap();
    let b = Browser::start().await;
    log_in(&b, &app, "anna").await;
    open_patient(&b, &app, "19390303-1239").await;
    assert!(b.page_text().await.contains("Sven Svensson"));
    assert!(!b.current_url().await.contains("19390303"), "no personal identity number in the URL");

    // Choose the article from the overview.
    b.type_into(&b.labelled("Sök artikel att beställa").await, "W-200").await;
    b.press(ENTER).await;
    b.wait_for_text("Välj artikel att beställa").await;
    b.wait_for_text("Rullstol Manuell Komfort").await;
    assert!(b.page_text().await.contains("Sven Svensson, 19390303-1239"), "the patient in the header");
    b.assert_accessible("the article choice for a patient").await;
    b.click(&b.by_text("button", "Beställ Rullstol Manuell Komfort").await).await;

    // The replacement chain proposes the older equivalent in stock.
    b.wait_for_text("Förslag: äldre likvärdig produkt i lager").await;
    let text = b.page_text().await;
    assert!(text.contains("W-190 Rullstol Manuell Bas"), "{text}");
    assert!(text.contains("Sven Svensson, 19390303-1239"), "the patient in the preview's header: {text}");
    b.assert_accessible("the replacement proposal").await;
    b.click(&b.by_text("button", "Acceptera").await).await;
    b.wait_for_text("Du har accepterat förslaget").await;
    b.wait_for_text("Vem betalar: Regionen").await;
    let text = b.page_text().await;
    for expected in ["Varför", "Regel", "Överenskommelse, version", "Varaktigt behov"] {
        assert!(text.contains(expected), "the decision lacks '{expected}':\n{text}");
    }
    b.assert_accessible("who pays for the line").await;
    b.click(&b.by_text("button", "Lägg i varukorg").await).await;

    // The cart: the reserved device, until when, and who pays.
    b.wait_for_text("Skicka beställning").await;
    let text = b.page_text().await;
    for expected in
        ["Till patient: Sven Svensson, 19390303-1239", "W-190 Rullstol Manuell Bas", "D-0012", "2026-11-23", "Regionen"]
    {
        assert!(text.contains(expected), "the cart lacks '{expected}':\n{text}");
    }
    b.assert_accessible("the cart").await;
    b.click(&b.by_text("a", "In English").await).await;
    b.wait_for_text("Place order").await;
    assert!(b.page_text().await.contains("Reserved until"));
    b.assert_accessible("the cart in English").await;
    b.click(&b.by_text("a", "På svenska").await).await;
    b.wait_for_text("Skicka beställning").await;

    // A reload keeps the cart (it is in the database).
    b.goto(&app.url("/cart")).await;
    b.wait_for_text("D-0012").await;
    b.type_into(&b.labelled("Mål").await, "Kunna förflytta sig inomhus på egen hand").await;
    b.set_value(&b.labelled("Uppföljningsdatum").await, "2027-02-01").await;
    b.type_into(&b.labelled("Kontaktperson").await, "Sven Svensson").await;
    b.type_into(&b.labelled("Kontaktpersonens telefon").await, "08-123 456 78").await;
    b.click(&b.by_text("button", "Skicka beställning").await).await;
    b.wait_for_text("Beställningen är lagd.").await;
    let text = b.page_text().await;
    for expected in ["Registrerad", "W-190 Rullstol Manuell Bas", "D-0012", "Regionen", "2027-02-01", "Sven Svensson"] {
        assert!(text.contains(expected), "the confirmation lacks '{expected}':\n{text}");
    }
    b.assert_accessible("the order confirmation").await;
    b.click(&b.by_text("a", "Beställningar").await).await;
    b.wait_for_text("Mina beställningar").await;
    assert!(b.page_text().await.contains("Registrerad"));
    b.assert_accessible("my orders").await;
    log_out(&b).await;

    // The warehouse moves the order through the queue.
    log_in(&b, &app, "lager").await;
    b.click(&b.by_text("a", "Orderkö").await).await;
    b.wait_for_text("Beställningar, äldsta först").await;
    assert!(b.page_text().await.contains("Rullstol Manuell Bas"));
    b.assert_accessible("the order queue").await;
    b.click(&b.by_text("button", "Markera som plockad").await).await;
    b.wait_for_text("Inga beställningar har den statusen.").await;
    b.click(&b.by_text("a", "Plockad").await).await;
    b.wait_for_text("Markera som under leverans").await;
    b.click(&b.by_text("button", "Markera som under leverans").await).await;
    b.wait_for_text("Inga beställningar har den statusen.").await;
    b.click(&b.by_text("a", "Under leverans").await).await;
    b.wait_for_text("Markera som levererad").await;
    b.assert_accessible("the queue with the delivery form").await;
    b.type_into(&b.labelled("Mottagen av").await, "Sven Svensson").await;
    b.click(&b.by_text("button", "Markera som levererad").await).await;
    b.wait_for_text("Inga beställningar har den statusen.").await;
    b.click(&b.by_text("a", "Levererad").await).await;
    b.wait_for_text("Rullstol Manuell Bas").await;
    log_out(&b).await;

    // The prescriber sees the device with the patient and the order delivered.
    log_in(&b, &app, "anna").await;
    open_patient(&b, &app, "19390303-1239").await;
    let text = b.page_text().await;
    for expected in ["Rullstol Manuell Bas", "D-0012", "Levererad"] {
        assert!(text.contains(expected), "the overview lacks '{expected}':\n{text}");
    }
    b.assert_accessible("the overview after delivery").await;
    b.quit().await;
}

async fn a_refusal_is_explained_beside_the_article_and_substitutions_and_questions_are_shown(app: TestApp) {
    ramp_storage::fixture_ordering::load(app.storage.as_ref()).await.unwrap();
    let b = Browser::start().await;
    log_in(&b, &app, "anna").await;
    open_patient(&b, &app, "19390303-1239").await;

    // L-500 needs the lifts competence, which anna lacks: said in Swedish, beside the article, as an alert.
    b.type_into(&b.labelled("Sök artikel att beställa").await, "Mobillyft").await;
    b.press(ENTER).await;
    b.wait_for_text("Välj artikel att beställa").await;
    b.wait_for_text("Mobillyft Viking").await;
    b.click(&b.by_text("button", "Beställ Mobillyft Viking").await).await;
    b.wait_for_text("Du saknar den behörighet").await;
    let alert = b.find("[role='alert']").await;
    assert!(b.text(&alert).await.contains("förskrivarutbildning"), "{}", b.text(&alert).await);
    assert!(!b.page_text().await.contains("Lägg i varukorg"), "a refused article cannot be put in the cart");
    b.assert_accessible("a refused order").await;

    // From the catalog the patient is asked for; a fixed group substitutes by itself and says so.
    b.click(&b.by_text("a", "Sortiment").await).await;
    b.type_into(&b.labelled("Sök artikel").await, "Duschstol").await;
    b.press(ENTER).await;
    b.wait_for_text("Duschstol Hög").await;
    b.click(&b.by_text("button", "Beställ Duschstol Hög").await).await;
    b.wait_for_text("Ange vilken patient").await;
    b.assert_accessible("the patient question of an order from the catalog").await;
    b.type_into(&b.labelled("Personnummer eller samordningsnummer").await, "19390303-1239").await;
    b.click(&b.by_text("button", "Fortsätt").await).await;
    b.wait_for_text("Fast ersättningsgrupp").await;
    let text = b.page_text().await;
    assert!(text.contains("S-290 Duschstol Standard"), "{text}");
    b.assert_accessible("a fixed group's substitution").await;

    // A consumable: the agreement's questions as yes/no groups, then who pays, and a quantity.
    open_patient(&b, &app, "19390303-1239").await;
    b.type_into(&b.labelled("Sök artikel att beställa").await, "Inkontinensskydd").await;
    b.press(ENTER).await;
    b.wait_for_text("Välj artikel att beställa").await;
    b.click(&b.by_text("button", "Beställ Inkontinensskydd Natt").await).await;
    b.wait_for_text("Överenskommelsen behöver svar").await;
    b.assert_accessible("the agreement's questions").await;
    let benefit = "Ingår produkten i läkemedelsförmånen och förskrivs den med hjälpmedelskort via apotek?";
    b.click(&b.choice(benefit, "Nej").await).await;
    b.click(&b.choice("Är produkten testmaterial för självtest av diabetes?", "Nej").await).await;
    b.click(&b.by_text("button", "Visa vem som betalar").await).await;
    b.wait_for_text("Vem betalar:").await;
    b.assert_accessible("who pays for a consumable").await;
    b.set_value(&b.labelled("Antal").await, "30").await;
    b.click(&b.by_text("button", "Lägg i varukorg").await).await;
    b.wait_for_text("Skicka beställning").await;
    let text = b.page_text().await;
    assert!(text.contains("K-600 Inkontinensskydd Natt × 30"), "{text}");
    b.quit().await;
}

async fn reports_on_a_device_out_with_a_patient_show_their_dates_and_the_overview_the_rent_end(app: TestApp) {
    ramp_storage::fixture_ordering::load(app.storage.as_ref()).await.unwrap();
    let b = Browser::start().await;
    log_in(&b, &app, "anna").await;

    // A pickup order on the rollator with Sven: rent ends three working days later.
    open_patient(&b, &app, "19390303-1239").await;
    b.click(&b.by_text("a", "D-0040").await).await;
    b.wait_for_text("Hämtorder").await;
    b.assert_accessible("the device card with its report forms").await;
    b.type_into(&b.labelled("Anteckning till hämtningen (valfritt)").await, "Portkod 1234").await;
    b.click(&b.by_text("button", "Registrera hämtorder").await).await;
    b.wait_for_text("Hämtorder registrerad").await;
    let text = b.page_text().await;
    // Monday 23 November 2026: rent to Thursday 26th, deregistration within seven working days (2 December).
    assert!(text.contains("Hyran löper till och med 2026-11-26"), "{text}");
    assert!(text.contains("Avregistrering senast 2026-12-02"), "{text}");
    b.assert_accessible("the device card after a pickup order").await;

    // A fault report too short is named beside its field; a real one makes a work order.
    b.type_into(&b.labelled("Beskriv felet").await, "Gnis").await;
    b.click(&b.by_text("button", "Skicka felanmälan").await).await;
    b.wait_for_text("Beskriv felet (minst 5 tecken).").await;
    let field = b.find("#description").await;
    assert_eq!(b.attribute(&field, "aria-invalid").await.as_deref(), Some("true"));
    b.assert_accessible("a fault report with an error").await;
    b.type_into(&b.labelled("Beskriv felet").await, "sar i vänster hjul").await;
    b.click(&b.by_text("button", "Skicka felanmälan").await).await;
    b.wait_for_text("Felanmälan skickad").await;

    open_patient(&b, &app, "19390303-1239").await;
    let text = b.page_text().await;
    assert!(text.contains("Hämtorder: hyra t.o.m. 2026-11-26"), "{text}");

    // The wheelchair is lost: reported, and then there is nothing more to report on it.
    b.click(&b.by_text("a", "D-0041").await).await;
    b.wait_for_text("Förlustanmälan").await;
    b.type_into(&b.labelled("Hur förkom hjälpmedlet?").await, "Stals från trapphuset").await;
    b.click(&b.by_text("button", "Anmäl förlust").await).await;
    b.wait_for_text("Förlustanmälan registrerad 2026-11-23").await;
    let text = b.page_text().await;
    assert!(text.contains("Förkommen") && !text.contains("Registrera hämtorder"), "{text}");
    b.assert_accessible("the device card of a lost device").await;
    b.quit().await;
}

async fn hmc_staff_read_the_figures_as_charts_and_tables_in_both_languages(app: TestApp) {
    crate::figures::load_figures_data(&app).await;
    let b = Browser::start().await;
    log_in(&b, &app, "lager").await;
    b.click(&b.by_text("a", "Nyckeltal").await).await;
    b.wait_for_text("Leveranssäkerhet per månad").await;
    let text = b.page_text().await;
    // The default: the last six complete months (maj–okt 2026); September holds 2 of 3 on time.
    for expected in [
        "Samarbetsavtal - Leveranssäkerhet 7 dagars sortiment",
        "66,67 %",
        "Återanvändningsgrad",
        "Öppna arbetsordrar",
        "SN-2026-07: Duschstol: risk för spricka i sitsen",
    ] {
        assert!(text.contains(expected), "the figures page lacks '{expected}':\n{text}");
    }
    let chart = b.find("#chart-reliability svg").await;
    assert_eq!(b.attribute(&chart, "role").await.as_deref(), Some("img"));
    assert!(b
        .attribute(&chart, "aria-label")
        .await
        .unwrap_or_default()
        .starts_with("Leveranssäkerhet, maj 2026–okt 2026"));
    b.assert_accessible("the figures page").await;

    b.goto(&app.url("/figures?from=2026-13&to=2026-11")).await;
    b.wait_for_text("Skriv månaden som ÅÅÅÅ-MM").await;
    let from = b.find("#from").await;
    assert_eq!(b.attribute(&from, "aria-invalid").await.as_deref(), Some("true"));
    b.assert_accessible("the figures page with a bad month").await;

    b.goto(&app.url("/figures?from=2026-09&to=2026-11")).await;
    b.wait_for_text("nov 2026").await;
    b.click(&b.by_text("a", "In English").await).await;
    b.wait_for_text("Delivery reliability per month").await;
    assert!(b.page_text().await.contains("Cooperation agreement – delivery reliability, 7-day assortment"));
    b.assert_accessible("the figures page in English").await;

    // The tertial report (issue 22), linked from the figures page, in English and in Swedish.
    b.click(&b.by_text("a", "Tertial report (quality, economy, development per agreement area)").await).await;
    b.wait_for_text("Tertial report").await;
    // Each part: a chart and a table of the same numbers (find fails the test when one is missing).
    b.find("#chart-tertial-development svg").await;
    b.find("#table-tertial-development").await;
    b.assert_accessible("the tertial report in English").await;
    b.click(&b.by_text("a", "På svenska").await).await;
    b.wait_for_text("Tertialrapport").await;
    for expected in ["Kvalitet", "Ekonomi", "Utveckling", "Andel digitala via 1177"] {
        assert!(b.page_text().await.contains(expected), "the tertial page lacks '{expected}'");
    }
    b.assert_accessible("the tertial report").await;
    // Narrowed to one municipality (issue 22: "per-municipality breakdowns of every figure").
    let principal = b.labelled("Huvudman").await;
    b.set_value(&principal, "0186").await;
    b.click(&b.by_text("button", "Visa tertialrapport").await).await;
    b.wait_for_text("Huvudman: Lidingö stad.").await;
    b.assert_accessible("the tertial report for one municipality").await;
    b.quit().await;
}

async fn element_id(b: &Browser, css: &str) -> String {
    let e = b.find(css).await;
    format!("{e:?}").trim_start_matches("Element(\"").trim_end_matches("\")").to_string()
}

ramp_testkit::on_both_engines!(
    a_prescriber_searches_the_catalog_opens_a_patient_and_a_device_card,
    hmc_staff_see_stock_per_warehouse,
    a_bad_personnummer_is_explained_beside_the_field_and_emergency_access_is_offered,
    a_prescriber_asks_who_pays_answers_the_agreements_questions_and_sees_the_reason,
    a_prescriber_orders_a_device_and_sees_it_in_the_overview_after_delivery,
    a_refusal_is_explained_beside_the_article_and_substitutions_and_questions_are_shown,
    reports_on_a_device_out_with_a_patient_show_their_dates_and_the_overview_the_rent_end,
    hmc_staff_read_the_figures_as_charts_and_tables_in_both_languages,
);
