//! The digital devices' pages on both engines (issue 21): the unit's
//! alarm list shows its own unit's alarms only, in Swedish words; the
//! unit's nurse acknowledges with a note and closes through the forms; the
//! threshold form names the field in its errors; the patient's digital
//! view is audited and refused without a care relationship; the
//! administrator issues (shown once) and revokes a device's secret.

use crate::digital::{bp, report, secret_for, setup, ID};
use ramp_storage::fixture_digital;
use ramp_testkit::TestApp;
use reqwest::{Client, StatusCode};

async fn page(app: &TestApp, client: &Client, path: &str) -> (StatusCode, String) {
    let resp = client.get(app.url(path)).send().await.unwrap();
    (resp.status(), resp.text().await.unwrap())
}

async fn post(app: &TestApp, client: &Client, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
    client.post(app.url(path)).form(form).send().await.unwrap()
}

/// The alarm's id from the unit's list over the API.
async fn alarm_id(app: &TestApp) -> i64 {
    let anna = app.token_for("anna").await;
    let list: serde_json::Value = app.get(&anna, "/api/v1/digital/alarms").await.json().await.unwrap();
    list[0]["id"].as_i64().unwrap()
}

async fn the_alarm_page_shows_the_units_alarms_only_in_words(app: TestApp) {
    let f = setup(&app).await;
    let secret = secret_for(&app, f.monitor).await;
    assert_eq!(report(&app, &secret, &bp(ID, 185)).await.status(), 202);
    let (anna, _) = app.ui_session("anna").await;
    let (status, html) = page(&app, &anna, "/alarms").await;
    assert_eq!(status, 200);
    assert!(html.contains("Tolvan Tolvansson"), "the patient by name");
    assert!(html.contains("Systoliskt tryck 185 mmHg, vid eller över övre gränsen 180 mmHg"), "{html}");
    assert!(html.contains("Värde utanför gräns") && html.contains("Ej kvitterat"));
    assert!(!html.contains("threshold") && !html.contains("≥"), "no raw values on screen");
    assert!(html.contains("href=\"/alarms\" aria-current=\"page\""), "in the menu");
    let (_, badge) = page(&app, &anna, "/alarms/open-count").await;
    assert!(badge.contains(">1<") && badge.contains("öppna larm"), "the menu's count: {badge}");
    let (lars, _) = app.ui_session("lars").await;
    assert_eq!(page(&app, &lars, "/alarms/open-count").await.1, "", "none for another unit");
    let (_, other) = page(&app, &lars, "/alarms").await;
    assert!(!other.contains("Tolvan") && other.contains("Inga larm att hantera"), "another unit's list");
    let (admin, _) = app.ui_session("admin").await;
    let (_, all) = page(&app, &admin, "/alarms").await;
    assert!(all.contains("Vårdcentralen Solna"), "the centre sees every unit's, with the unit");
    let (_, home) = page(&app, &anna, "/inbox").await;
    assert!(home.contains("Öppna larm för din enhet"), "open alarms in the unit's inbox");
    let audit = app.storage.audit_for_patient(app.fixture.tolvan, 50).await.unwrap();
    assert!(audit.iter().any(|e| e.action == "digital.alarms"), "the patient shown is audited");
}

async fn the_units_nurse_acknowledges_with_a_note_and_closes_through_the_forms(app: TestApp) {
    let f = setup(&app).await;
    fixture_digital::load_nurse(app.storage.as_ref(), ramp_testkit::password_hash()).await.unwrap();
    let secret = secret_for(&app, f.monitor).await;
    assert_eq!(report(&app, &secret, &bp(ID, 190)).await.status(), 202);
    let id = alarm_id(&app).await;
    let (sara, csrf) = app.ui_session("sara").await;
    let ack = format!("/alarms/{id}/acknowledgement");
    let refused = post(&app, &sara, &ack, &[("csrf", &csrf), ("note", " ")]).await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(html.contains("Anteckning: skriv vad som gjorts med larmet."), "{html}");
    assert!(html.contains(&format!("href=\"#note-{id}\"")), "the summary links to the field");
    assert_eq!(post(&app, &sara, &ack, &[("note", "x")]).await.status(), 403, "no CSRF token");
    let done = post(&app, &sara, &ack, &[("csrf", &csrf), ("note", "Ringt Tolvan, mår bra")]).await;
    assert_eq!(done.status(), 303);
    let (_, html) = page(&app, &sara, "/alarms?done=ack").await;
    assert!(html.contains("Larmet är kvitterat.") && html.contains("Kvitterat av Sara Sjuksköterska"));
    assert!(html.contains("Ringt Tolvan, mår bra"));
    let again = post(&app, &sara, &ack, &[("csrf", &csrf), ("note", "igen")]).await;
    assert_eq!(again.status(), 409);
    assert!(again.text().await.unwrap().contains("Larmet är redan kvitterat eller avslutat."));
    let closed = post(&app, &sara, &format!("/alarms/{id}/close"), &[("csrf", &csrf)]).await;
    assert_eq!(closed.status(), 303);
    let (_, html) = page(&app, &sara, "/alarms").await;
    assert!(html.contains("Inga larm att hantera"));
    let (_, html) = page(&app, &sara, "/alarms?closed=1").await;
    assert!(html.contains("Avslutat"));
}

async fn the_threshold_form_names_the_field_in_its_errors(app: TestApp) {
    setup(&app).await;
    let pnr = app.fixture.tolvan_pnr.as_str().to_string();
    let (anna, csrf) = app.ui_session("anna").await;
    let path = "/patient/digital/threshold";
    let cases = [
        ("blood_pressure:systolic", "abc", "", "Nedre gräns: skriv ett tal"),
        ("blood_pressure:systolic", "", "500", "Övre gräns: ligger utanför vad mätaren kan mäta"),
        ("blood_pressure:systolic", "150", "140", "Övre gräns: måste vara högre än den nedre gränsen."),
        ("blood_pressure:kg", "", "150", "Värde: välj ett av värdena i listan."),
        ("spirometry:fev1", "", "150", "Värde: välj ett av värdena i listan."),
    ];
    for (value, low, high, message) in cases {
        let form = [("csrf", csrf.as_str()), ("personal_id", &pnr), ("value", value), ("low", low), ("high", high)];
        let resp = post(&app, &anna, path, &form).await;
        assert_eq!(resp.status(), 422, "{value} {low} {high}");
        let html = resp.text().await.unwrap();
        assert!(html.contains(message), "{message}: {html}");
        assert!(html.contains("aria-invalid=\"true\""));
    }
    let form = [
        ("csrf", csrf.as_str()),
        ("personal_id", &pnr),
        ("value", "blood_pressure:systolic"),
        ("low", ""),
        ("high", "150,5"),
    ];
    let resp = post(&app, &anna, path, &form).await;
    assert_eq!(resp.status(), 200);
    let html = resp.text().await.unwrap();
    assert!(html.contains("Gränsen är sparad.") && html.contains("Satt för patienten") && html.contains("150,5 mmHg"));
    let rows = app.storage.thresholds(app.fixture.tolvan).await.unwrap();
    assert_eq!((rows.len(), rows[0].high), (1, Some(150.5)));
    let restore = [("csrf", csrf.as_str()), ("personal_id", &pnr), ("value", "blood_pressure:systolic")];
    assert_eq!(post(&app, &anna, path, &restore).await.status(), 200);
    assert!(app.storage.thresholds(app.fixture.tolvan).await.unwrap().is_empty(), "back to the default");
    let (lager, lager_csrf) = app.ui_session("lager").await;
    let form =
        [("csrf", lager_csrf.as_str()), ("personal_id", &pnr), ("value", "blood_pressure:systolic"), ("high", "150")];
    assert_eq!(post(&app, &lager, path, &form).await.status(), 403, "not a prescriber");
}

async fn the_patients_digital_view_is_audited_and_refused_without_a_care_relationship(app: TestApp) {
    let f = setup(&app).await;
    let secret = secret_for(&app, f.monitor).await;
    assert_eq!(report(&app, &secret, &bp(ID, 185)).await.status(), 202);
    let pnr = app.fixture.tolvan_pnr.as_str().to_string();
    let (anna, csrf) = app.ui_session("anna").await;
    let resp = post(&app, &anna, "/patient/digital", &[("csrf", &csrf), ("personal_id", &pnr)]).await;
    assert_eq!(resp.status(), 200);
    let html = resp.text().await.unwrap();
    assert!(!resp_url_has_pnr(&html, &pnr), "the patient is posted, never in a link");
    for expected in [
        "Tolvan Tolvansson: Digitala hjälpmedel och mätvärden",
        "Blodtrycksmätare digital Vega",
        "Läkemedelsdispenser Nova",
        "Har inte rapporterat ännu",
        "Systoliskt tryck 185 mmHg",
        "role=\"img\"",
        "Systoliskt tryck, övre gräns 180",
        "<caption id=\"table-blood_pressure\">",
        "<th scope=\"col\" class=\"num\">Systoliskt tryck (mmHg)</th>",
        "Standardgräns",
        "Larmhistorik",
        "Sätt larmgräns",
    ] {
        assert!(html.contains(expected), "{expected}");
    }
    let (lars, lars_csrf) = app.ui_session("lars").await;
    let refused = post(&app, &lars, "/patient/digital", &[("csrf", &lars_csrf), ("personal_id", &pnr)]).await;
    assert_eq!(refused.status(), 403);
    assert!(!refused.text().await.unwrap().contains("185"));
    let audit = app.storage.audit_for_patient(app.fixture.tolvan, 50).await.unwrap();
    assert!(audit.iter().any(|e| e.action == "digital.measurements"));
    assert!(audit.iter().any(|e| e.action == "digital.measurements.refused"));
    let (_, overview) = {
        let resp = post(&app, &anna, "/patient", &[("csrf", &csrf), ("personal_id", &pnr)]).await;
        (resp.status(), resp.text().await.unwrap())
    };
    assert!(overview.contains("action=\"/patient/digital\""), "reached from the patient page");
}

/// Whether the personal identity number appears in an href or action.
fn resp_url_has_pnr(html: &str, pnr: &str) -> bool {
    html.split("href=\"")
        .skip(1)
        .chain(html.split("action=\"").skip(1))
        .any(|s| s.split('"').next().unwrap_or("").contains(pnr))
}

async fn the_administrator_issues_a_secret_shown_once_and_revokes_it(app: TestApp) {
    let f = setup(&app).await;
    let (admin, csrf) = app.ui_session("admin").await;
    let (status, html) = page(&app, &admin, "/admin/digital-devices").await;
    assert_eq!(status, 200);
    assert!(html.contains(f.monitor) && html.contains(f.dispenser) && !html.contains(f.stock_monitor));
    let resp = post(&app, &admin, &format!("/admin/digital-devices/{}/secret", f.monitor), &[("csrf", &csrf)]).await;
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["cache-control"], "no-store");
    let html = resp.text().await.unwrap();
    let secret = html.split("<code id=\"issued-secret\">").nth(1).unwrap().split('<').next().unwrap().to_string();
    assert!(secret.len() >= 32);
    assert_eq!(report(&app, &secret, &bp(ID, 128)).await.status(), 202, "the secret shown works");
    let (_, listed) = page(&app, &admin, "/admin/digital-devices").await;
    assert!(!listed.contains(&secret), "shown once");
    let revoke = format!("/admin/digital-devices/{}/secret/revoke", f.monitor);
    let resp = post(&app, &admin, &revoke, &[("csrf", &csrf)]).await;
    assert_eq!(resp.status(), 200);
    assert!(resp.text().await.unwrap().contains("Lösenordet är återkallat"));
    assert_eq!(report(&app, &secret, &bp("7f1c2a4e-8b7d-4c3e-9f0a-1b2c3d4e5f60", 128)).await.status(), 401);
    let again = post(&app, &admin, &revoke, &[("csrf", &csrf)]).await;
    assert_eq!(again.status(), 409);
    assert!(again.text().await.unwrap().contains("Hjälpmedlet har inget aktivt lösenord."));
    let (anna, anna_csrf) = app.ui_session("anna").await;
    assert_eq!(page(&app, &anna, "/admin/digital-devices").await.0, 403);
    let issue = format!("/admin/digital-devices/{}/secret", f.monitor);
    assert_eq!(post(&app, &anna, &issue, &[("csrf", &anna_csrf)]).await.status(), 403);
}

async fn the_administrator_sets_a_models_reporting_interval_in_the_form(app: TestApp) {
    setup(&app).await;
    let (admin, csrf) = app.ui_session("admin").await;
    let (status, html) = page(&app, &admin, "/admin/digital-devices").await;
    assert_eq!(status, 200);
    assert!(html.contains("Förväntat rapporteringsintervall per modell") && html.contains("LD-400"));
    let form = "/admin/digital-devices/models/BT-300/interval";
    let resp = post(&app, &admin, form, &[("csrf", &csrf), ("hours", "12")]).await;
    assert_eq!(resp.status(), 200);
    let html = resp.text().await.unwrap();
    assert!(html.contains("Rapporteringsintervallet är sparat för BT-300"), "{html}");
    assert!(html.contains("value=\"12\""));
    let bad = post(&app, &admin, form, &[("csrf", &csrf), ("hours", "tolv")]).await;
    assert_eq!(bad.status(), 422);
    assert!(bad.text().await.unwrap().contains("Intervallet anges i hela timmar"));
    let (anna, anna_csrf) = app.ui_session("anna").await;
    assert_eq!(post(&app, &anna, form, &[("csrf", &anna_csrf), ("hours", "1")]).await.status(), 403);
}

ramp_testkit::on_both_engines!(
    the_administrator_sets_a_models_reporting_interval_in_the_form,
    the_alarm_page_shows_the_units_alarms_only_in_words,
    the_units_nurse_acknowledges_with_a_note_and_closes_through_the_forms,
    the_threshold_form_names_the_field_in_its_errors,
    the_patients_digital_view_is_audited_and_refused_without_a_care_relationship,
    the_administrator_issues_a_secret_shown_once_and_revokes_it,
);
