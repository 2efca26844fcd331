//! Digital devices in real Chromium (issue 21), with axe-core on every
//! page: the administrator issues a device's secret in the administration;
//! the prescriber opens the patient's digital view from the patient page
//! and sets a systolic limit of 150; the device reports 155 over the HTTP
//! ingest API with its secret; the unit's nurse finds the alarm in her
//! inbox and the alarm list and acknowledges it with a note.

use crate::digital::{bp, report, setup, ID};
use crate::ui_browser::{log_in, open_patient};
use ramp_testkit::browser::Browser;
use ramp_testkit::TestApp;

async fn log_out(b: &Browser) {
    b.click(&b.by_text("button", "Logga ut").await).await;
    b.wait_for_text("Användarnamn").await;
}

async fn the_prescriber_sets_a_threshold_a_measurement_breaches_it_and_the_units_nurse_acknowledges(app: TestApp) {
    let f = setup(&app).await;
    ramp_storage::fixture_digital::load_nurse(app.storage.as_ref(), ramp_testkit::password_hash()).await.unwrap();
    let b = Browser::start().await;

    log_in(&b, &app, "admin").await;
    b.goto(&app.url("/admin/digital-devices")).await;
    b.wait_for_text("Utlånade digitala hjälpmedel").await;
    b.assert_accessible("the device secrets page").await;
    b.click(&b.find(&format!("form[action='/admin/digital-devices/{}/secret'] button", f.monitor)).await).await;
    b.wait_for_text("Kopiera det nu").await;
    let secret = b.text(&b.find("#issued-secret").await).await;
    b.assert_accessible("the device secrets page with a new secret").await;
    // The model's expected reporting interval, set in the same page's form.
    b.set_value(&b.find("#hours-1").await, "48").await;
    b.click(&b.find("form[action$='/interval'] button").await).await;
    b.wait_for_text("Rapporteringsintervallet är sparat för").await;
    b.assert_accessible("the device secrets page with a saved interval").await;
    log_out(&b).await;

    log_in(&b, &app, "anna").await;
    open_patient(&b, &app, "19121212-1212").await;
    b.click(&b.by_text("button", "Digitala hjälpmedel och mätvärden").await).await;
    b.wait_for_text("Sätt larmgräns").await;
    b.assert_accessible("the patient's digital view").await;
    b.set_value(&b.labelled("Värde").await, "blood_pressure:systolic").await;
    b.type_into(&b.labelled("Övre gräns").await, "abc").await;
    b.click(&b.by_text("button", "Spara gräns").await).await;
    b.wait_for_text("Övre gräns: skriv ett tal").await;
    b.assert_accessible("the threshold form with an error").await;
    b.set_value(&b.labelled("Övre gräns").await, "150").await;
    b.click(&b.by_text("button", "Spara gräns").await).await;
    b.wait_for_text("Gränsen är sparad.").await;
    assert!(b.page_text().await.contains("Satt för patienten"));
    b.assert_accessible("the digital view after the threshold was saved").await;
    log_out(&b).await;

    let resp = report(&app, &secret, &bp(ID, 155)).await;
    assert_eq!(resp.status(), 202);

    log_in(&b, &app, "sara").await;
    b.click(&b.find("nav a[href='/inbox']").await).await;
    b.wait_for_text("Öppna larm för din enhet").await;
    assert!(b.page_text().await.contains("Systoliskt tryck 155 mmHg, vid eller över övre gränsen 150 mmHg"));
    b.assert_accessible("the nurse's inbox with an open alarm").await;
    b.click(&b.find("nav a[href='/alarms']").await).await;
    b.wait_for_text("Larm, nyast först").await;
    let text = b.page_text().await;
    assert!(text.contains("Tolvan Tolvansson") && text.contains("Ej kvitterat"), "{text}");
    b.assert_accessible("the unit's alarm list").await;
    b.type_into(&b.find("textarea[name='note']").await, "Ringt Tolvan, mäter om i kväll").await;
    b.click(&b.find("form[action$='/acknowledgement'] button").await).await;
    b.wait_for_text("Larmet är kvitterat.").await;
    let text = b.page_text().await;
    assert!(text.contains("Kvitterat av Sara Sjuksköterska") && text.contains("Ringt Tolvan, mäter om i kväll"));
    b.assert_accessible("the alarm list after acknowledging").await;
    b.at_both_widths("digital-alarms").await;
    b.click(&b.find("form[action='/patient/digital'] button").await).await;
    b.wait_for_text("Larmhistorik").await;
    let text = b.page_text().await;
    assert!(text.contains("Systoliskt tryck 155 mmHg") && !text.contains("Sätt larmgräns"), "not a prescriber");
    assert!(b.attribute(&b.find("#chart-blood_pressure svg").await, "aria-label").await.is_some());
    b.at_both_widths("digital-patient-view").await;
    b.goto(&app.url("/alarms")).await;
    b.click(&b.by_text("a", "In English").await).await;
    b.wait_for_text("Alarms, newest first").await;
    assert!(b.page_text().await.contains("Systolic pressure 155 mmHg, at or above the upper limit 150 mmHg"));
    b.assert_accessible("the alarm list in English").await;
    b.quit().await;
}

ramp_testkit::on_both_engines!(
    the_prescriber_sets_a_threshold_a_measurement_breaches_it_and_the_units_nurse_acknowledges,
);
