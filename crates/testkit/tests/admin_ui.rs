//! The administration pages: over plain HTTP (every page in both
//! languages with no text missing, the menu only for administrators,
//! forms that refuse naming the field), and in real Chromium (an
//! administrator creates a unit and a user with the keyboard and the
//! labels, axe-core finding nothing serious on any page).

use ramp_testkit::browser::{Browser, ENTER};
use ramp_testkit::TestApp;
use reqwest::cookie::Jar;
use reqwest::{Client, StatusCode};
use std::sync::Arc;

/// A browser-like client logged in through the login form, and its CSRF token.
async fn logged_in(app: &TestApp, username: &str) -> (Client, String, Arc<Jar>) {
    app.ui_logged_in(username).await
}

fn location(resp: &reqwest::Response) -> String {
    resp.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string()
}

async fn page(client: &Client, app: &TestApp, path: &str) -> (StatusCode, String) {
    let resp = client.get(app.url(path)).send().await.expect("page");
    (resp.status(), resp.text().await.expect("html"))
}

const PAGES: [(&str, &str, &str); 16] = [
    ("/admin", "Administration", "Administration"),
    ("/admin/users", "Användare", "Users"),
    ("/admin/users?q=anna&status=active", "Anna Arbetsterapeut", "Anna Arbetsterapeut"),
    ("/admin/users/new", "Ny användare", "New user"),
    ("/admin/users/1", "Förskrivarbehörigheter", "Prescribing competences"),
    ("/admin/units", "Ny enhet", "New unit"),
    ("/admin/units/1", "Ändra enheten", "Edit the unit"),
    ("/admin/principals", "Ny huvudman", "New principal"),
    ("/admin/principals/1", "Nytt kundnummer", "New customer number"),
    ("/admin/principals/3", "Avtal om grundutrustning", "Agreement on basic equipment"),
    ("/admin/articles", "Ny artikel", "New article"),
    ("/admin/articles?q=rollator", "Rollator Gåstöd Classic", "Rollator Gåstöd Classic"),
    ("/admin/articles/new", "Skapa artikel", "Create article"),
    ("/admin/articles/R-100", "Avveckla artikeln", "Retire the article"),
    ("/admin/product-areas", "Läkemedelsnära behandlingshjälpmedel", "Treatment devices close to pharmaceuticals"),
    ("/admin/changes", "Ändringslogg", "Change log"),
];

async fn every_admin_page_renders_in_swedish_and_english_with_no_text_missing(app: TestApp) {
    let (client, _, jar) = logged_in(&app, "admin").await;
    let (_, home) = page(&client, &app, "/").await;
    assert!(home.contains("href=\"/admin\""), "the menu offers administration to an administrator");
    for lang in ["sv", "en"] {
        jar.add_cookie_str(&format!("ramp_lang={lang}"), &app.url("/").parse().unwrap());
        for (path, sv, en) in PAGES {
            let (status, html) = page(&client, &app, path).await;
            assert_eq!(status, StatusCode::OK, "{path} ({lang})");
            assert!(html.contains(if lang == "sv" { sv } else { en }), "{path} ({lang}) lacks its heading");
            assert!(!html.contains("[?]"), "{path} ({lang}) has a text missing");
            for raw in ["prescriber", "primary_care", "main_device", "municipality"] {
                assert!(!html.contains(&format!(">{raw}<")), "{path} ({lang}) shows the raw value {raw}");
            }
        }
    }
}

async fn a_non_administrator_sees_no_admin_menu_and_is_refused_the_pages(app: TestApp) {
    let (client, _, _) = logged_in(&app, "anna").await;
    let (_, home) = page(&client, &app, "/").await;
    assert!(!home.contains("href=\"/admin\""), "no administration menu for a prescriber");
    for (path, _, _) in PAGES {
        let (status, html) = page(&client, &app, path).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
        assert!(html.contains("Din roll ger inte tillgång till sidan."), "{path}");
    }
}

/// Issue 22: the administrator records a municipality's agreement on basic
/// equipment (which decides who may buy surplus) on its page.
async fn the_basic_equipment_agreement_is_recorded_on_the_municipalitys_page_and_a_bad_date_named(app: TestApp) {
    let (client, csrf, _) = logged_in(&app, "admin").await;
    let path = format!("/admin/principals/{}/basic-equipment", app.fixture.lidingo);
    let post = |since: &'static str| {
        client
            .post(app.url(&path))
            .form(&[("csrf", csrf.as_str()), ("form", "basic"), ("basic_equipment_since", since)])
            .send()
    };
    let resp = post("första mars").await.unwrap();
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = resp.text().await.unwrap();
    assert!(html.contains("id=\"basic_equipment_since-error\""), "the error sits beside the field");
    let resp = post("2025-03-01").await.unwrap();
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let (_, html) = page(&client, &app, &location(&resp)).await;
    assert!(html.contains("value=\"2025-03-01\""), "the date is shown");
    let lidingo = app.storage.principal_by_code("0186").await.unwrap().unwrap();
    assert_eq!(lidingo.basic_equipment_since.map(|d| d.to_string()).as_deref(), Some("2025-03-01"));
    let resp = post("").await.unwrap();
    assert_eq!(resp.status(), StatusCode::SEE_OTHER, "empty ends the agreement");
    let lidingo = app.storage.principal_by_code("0186").await.unwrap().unwrap();
    assert_eq!(lidingo.basic_equipment_since, None);
    let (_, region) = page(&client, &app, &format!("/admin/principals/{}", app.fixture.region)).await;
    assert!(!region.contains("Avtal om grundutrustning"), "a region has no such agreement");
}

async fn a_product_areas_agreement_area_is_set_on_its_form_and_a_bad_value_named_beside_it(app: TestApp) {
    // Seed 003: "Samarbetsavtal för försörjning av personliga hjälpmedel, Överenskommelse för
    // hjälpmedel vid medicinsk behandling och digitala hjälpmedel" — which one is catalog data.
    let (client, csrf, _) = logged_in(&app, "admin").await;
    let post = |area: &'static str, drug: Option<&'static str>| {
        let mut form = vec![("csrf", csrf.clone()), ("agreement_area_mobility", area.to_string())];
        form.extend(drug.map(|d| ("drug_adjacent_mobility", d.to_string())));
        client.post(app.url("/admin/product-areas/mobility")).form(&form).send()
    };
    let resp = post("medical", None).await.unwrap();
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = resp.text().await.unwrap();
    assert!(html.contains("id=\"agreement_area_mobility-error\""), "the error sits beside the area's field");
    assert!(html.contains("Välj avtalsområde i listan."), "in Swedish, without the raw values");
    let resp = post("overenskommelsen", Some("on")).await.unwrap();
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let (_, html) = page(&client, &app, &location(&resp)).await;
    assert!(html.contains("<option value=\"overenskommelsen\" selected>"), "the area is shown chosen");
    let area = app.storage.product_areas().await.unwrap().into_iter().find(|a| a.code == "mobility").unwrap();
    assert_eq!((area.agreement_area, area.drug_adjacent), (ramp_domain::figures::Agreement::Overenskommelsen, true));
}

async fn the_user_form_refuses_naming_the_field_and_creates_the_user_when_right(app: TestApp) {
    let (client, csrf, _) = logged_in(&app, "admin").await;
    let region = app.fixture.region.to_string();
    let unit = app.fixture.vardcentral.to_string();
    let form = |username: &'static str, to: &'static str| {
        vec![
            ("csrf", csrf.clone()),
            ("username", username.to_string()),
            ("display_name", "Bo Sjukgymnast".to_string()),
            ("password", "bos-lösenord-1".to_string()),
            ("principal_id", region.clone()),
            ("unit_id", unit.clone()),
            ("roles", "prescriber".to_string()),
            ("roles", "unit_orderer".to_string()),
            ("competence", "mobility".to_string()),
            ("from_mobility", "2026-01-01".to_string()),
            ("to_mobility", to.to_string()),
        ]
    };
    let resp = client.post(app.url("/admin/users")).form(&form("Bo Sjukgymnast", "")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = resp.text().await.unwrap();
    assert!(html.contains("<a href=\"#username\">Användarnamnet får ha 2–64 tecken"), "the summary links the field");
    assert!(html.contains("id=\"username-error\""), "the error sits beside the field");
    assert!(html.contains("value=\"Bo Sjukgymnast\""), "what was typed stays");

    let resp = client.post(app.url("/admin/users")).form(&form("bo", "2025-01-01")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = resp.text().await.unwrap();
    assert!(html.contains("<a href=\"#to_mobility\">Från-datumet ligger efter till-datumet."), "{html}");

    let resp = client.post(app.url("/admin/users")).form(&form("bo", "2027-12-31")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let to = location(&resp);
    assert!(to.starts_with("/admin/users/") && to.ends_with("?done=1"), "{to}");
    let (_, html) = page(&client, &app, &to).await;
    assert!(html.contains("Ändringen är sparad."));
    assert!(html.contains("value=\"2027-12-31\""), "the competence's period is shown");
    let bo = app.storage.user_by_username("bo").await.unwrap().expect("created");
    assert_eq!(bo.unit_id, Some(app.fixture.vardcentral));
    assert_eq!(bo.roles.len(), 2);
}

async fn the_user_page_deactivates_reactivates_and_revokes_a_token(app: TestApp) {
    let token = app.token_for("lars").await;
    let (client, csrf, _) = logged_in(&app, "admin").await;
    let lars = app.fixture.other_prescriber;
    let post = |path: String, extra: Vec<(&'static str, String)>| {
        let mut form = vec![("csrf", csrf.clone())];
        form.extend(extra);
        client.post(app.url(&path)).form(&form).send()
    };
    let resp = post(format!("/admin/users/{lars}/deactivate"), vec![]).await.unwrap();
    assert_eq!(location(&resp), format!("/admin/users/{lars}?done=1"));
    let (_, html) = page(&client, &app, &format!("/admin/users/{lars}")).await;
    assert!(html.contains("Återaktivera användaren") && html.contains("Inaktiverade"), "the page and its log say so");
    post(format!("/admin/users/{lars}/reactivate"), vec![]).await.unwrap();
    let tokens = app
        .storage
        .token_records(&ramp_app::model::TokenQuery { user_id: Some(lars), include_revoked: true, limit: 10 })
        .await
        .unwrap();
    let resp =
        post(format!("/admin/tokens/{}/revoke", tokens[0].id), vec![("user_id", lars.to_string())]).await.unwrap();
    assert_eq!(location(&resp), format!("/admin/users/{lars}?done=1"));
    assert_eq!(app.get(&token, "/api/v1/me").await.status(), 401);
    let me = app.fixture.admin;
    let resp = post(format!("/admin/users/{me}/deactivate"), vec![]).await.unwrap();
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(resp.text().await.unwrap().contains("Du kan inte inaktivera ditt eget konto."));
}

async fn log_in(b: &Browser, app: &TestApp, username: &str) {
    b.goto(&app.url("/login")).await;
    b.type_into(&b.labelled("Användarnamn").await, username).await;
    b.type_into(&b.labelled("Lösenord").await, ramp_storage::fixture::PASSWORD).await;
    b.press(ENTER).await;
    b.wait_for_text("Välkommen").await;
}

async fn an_administrator_creates_a_unit_and_a_user_in_the_browser(app: TestApp) {
    let b = Browser::start().await;
    log_in(&b, &app, "admin").await;
    b.click(&b.by_text("a", "Administration").await).await;
    b.wait_for_text("Varje ändring loggas").await;
    b.assert_accessible("the administration start page").await;

    b.click(&b.by_text("a", "Enheter").await).await;
    b.wait_for_text("Ny enhet").await;
    b.assert_accessible("the units page").await;
    b.type_into(&b.labelled("Enhetens namn").await, "Vårdcentralen Sundbyberg").await;
    b.type_into(&b.labelled("HSA-id").await, "SE2321000016-0042").await;
    b.type_into(&b.labelled("Huvudman").await, "Region Stockholm").await;
    b.type_into(&b.labelled("Typ av enhet").await, "Vårdcentral").await;
    b.click(&b.by_text("button", "Skapa enhet").await).await;
    b.wait_for_text("Ändringen är sparad.").await;
    assert!(b.page_text().await.contains("SE2321000016-0042"));
    b.assert_accessible("the new unit's page").await;
    // Its delivery route and address: a bad postal code is named beside its field, then saved.
    b.type_into(&b.labelled("Leveransrutt").await, "Rutt 7, torsdagar").await;
    b.type_into(&b.labelled("Leveransadress (gata och nummer)").await, "Landsvägen 50").await;
    b.type_into(&b.labelled("Postnummer").await, "1723").await;
    b.type_into(&b.labelled("Postort").await, "Sundbyberg").await;
    b.click(&b.by_text("button", "Spara").await).await;
    b.wait_for_text("Ett postnummer har fem siffror").await;
    let field = b.labelled("Postnummer").await;
    assert_eq!(b.attribute(&field, "aria-invalid").await.as_deref(), Some("true"));
    b.assert_accessible("the unit's page with a bad postal code").await;
    b.set_value(&b.labelled("Postnummer").await, "17234").await;
    b.click(&b.by_text("button", "Spara").await).await;
    b.wait_for_text("Ändringen är sparad.").await;
    let saved = b.labelled("Postnummer").await;
    assert_eq!(b.attribute(&saved, "value").await.as_deref(), Some("172 34"), "kept as the post prints it");

    b.click(&b.by_text("a", "Användare").await).await;
    b.click(&b.by_text("a", "Ny användare").await).await;
    b.wait_for_text("Förskrivarbehörigheter").await;
    b.assert_accessible("the new-user form").await;
    b.type_into(&b.labelled("Användarnamn").await, "sara").await;
    b.type_into(&b.labelled("Namn").await, "Sara Arbetsterapeut").await;
    b.type_into(&b.labelled("Lösenord").await, "saras-lösenord").await;
    b.type_into(&b.labelled("Enhet").await, "Vårdcentralen Sundbyberg").await;
    b.click(&b.choice("Roller", "Förskrivare").await).await;
    b.click(&b.labelled("Förflyttning").await).await;
    b.set_value(&b.labelled("Gäller till och med (Förflyttning)").await, "2027-06-30").await;
    b.click(&b.by_text("button", "Skapa användare").await).await;
    b.wait_for_text("Ändringen är sparad.").await;
    let text = b.page_text().await;
    assert!(text.contains("Sara Arbetsterapeut") && text.contains("Skapade"), "{text}");
    b.assert_accessible("the new user's page").await;

    // Every other administration page, in the browser, with axe.
    for (path, text, what) in [
        ("/admin/users", "Ny användare", "the user list"),
        ("/admin/principals", "Huvudmän", "the principals"),
        (
            &format!("/admin/principals/{}", app.fixture.lidingo),
            "Avtal om grundutrustning",
            "a municipality with its agreement and customer numbers",
        ),
        ("/admin/articles", "Sortiment", "the catalog search"),
        ("/admin/articles/new", "Ny artikel", "the new-article form"),
        ("/admin/articles/R-100", "Avveckla", "an article"),
        ("/admin/product-areas", "Avtalsområde", "the product areas"),
    ] {
        b.goto(&app.url(path)).await;
        b.wait_for_text(text).await;
        b.assert_accessible(what).await;
    }

    b.click(&b.by_text("a", "Ändringslogg").await).await;
    b.wait_for_text("Administrativa ändringar, nyast först").await;
    b.assert_accessible("the change log").await;
    b.click(&b.by_text("a", "In English").await).await;
    b.wait_for_text("Administrative changes, newest first").await;
    b.assert_accessible("the change log in English").await;
    b.quit().await;

    let sara = app.storage.user_by_username("sara").await.unwrap().expect("created in the browser");
    let unit = app.storage.unit(sara.unit_id.expect("a unit")).await.unwrap().unwrap();
    assert_eq!(unit.name, "Vårdcentralen Sundbyberg");
}

ramp_testkit::on_both_engines!(
    every_admin_page_renders_in_swedish_and_english_with_no_text_missing,
    the_basic_equipment_agreement_is_recorded_on_the_municipalitys_page_and_a_bad_date_named,
    a_non_administrator_sees_no_admin_menu_and_is_refused_the_pages,
    the_user_form_refuses_naming_the_field_and_creates_the_user_when_right,
    the_user_page_deactivates_reactivates_and_revokes_a_token,
    an_administrator_creates_a_unit_and_a_user_in_the_browser,
    a_product_areas_agreement_area_is_set_on_its_form_and_a_bad_value_named_beside_it,
);
