//! Pickup orders, fault reports and loss reports on devices out with a
//! patient (issue 4), with Swedish working days across Easter and
//! Christmas, on both engines.

use chrono::{TimeZone, Utc};
use ramp_domain::Term;
use ramp_storage::fixture_ordering;
use ramp_testkit::{problem, TestApp};
use serde_json::{json, Value};

async fn pickup(app: &TestApp, token: &str, device: &str) -> reqwest::Response {
    app.post_json(token, &format!("/api/v1/devices/{device}/pickup-order"), &json!({ "note": "Portkod 1234" })).await
}

fn at(y: i32, m: u32, d: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 9, 0, 0).unwrap()
}

async fn a_pickup_order_before_easter_ends_rent_three_working_days_later(app: TestApp) {
    let f = fixture_ordering::load(app.storage.as_ref()).await.unwrap();
    // Maundy Thursday 2027; Good Friday 26 March and Easter Monday 29 March are holidays.
    app.clock.set(at(2027, 3, 25));
    let anna = app.token_for("anna").await;
    let resp = pickup(&app, &anna, f.sven_rollator).await;
    assert_eq!(resp.status(), 201);
    let p: Value = resp.json().await.unwrap();
    assert_eq!(p["registered_on"], "2027-03-25");
    assert_eq!(p["rent_end_date"], "2027-04-01", "Tue 30, Wed 31 March, Thu 1 April");
    assert_eq!(p["deregistration_due"], "2027-04-07", "then Fri 2, Mon 5, Tue 6, Wed 7 April");

    let again = problem(pickup(&app, &anna, f.sven_rollator).await).await;
    assert_eq!(
        (again["code"].as_str(), again["field"].as_str()),
        (Some("pickup_already_registered"), Some("device_number"))
    );
    let overview: Value = app.open_patient("anna", f.sven_pnr).await.json().await.unwrap();
    let d = overview["devices"].as_array().unwrap().iter().find(|d| d["device_number"] == f.sven_rollator).unwrap();
    assert_eq!(d["pickup_rent_end"], "2027-04-01");
    let card = app.storage.device_card(f.sven_rollator).await.unwrap().unwrap();
    assert_eq!(card.events.last().unwrap().kind.as_str(), "pickup_ordered");
    assert_eq!(card.device.state.as_str(), "with_patient", "still with the patient until collected");
}

async fn a_pickup_order_before_christmas_skips_christmas_eve_new_years_eve_and_epiphany(app: TestApp) {
    let f = fixture_ordering::load(app.storage.as_ref()).await.unwrap();
    app.clock.set(at(2026, 12, 23));
    let anna = app.token_for("anna").await;
    let p: Value = pickup(&app, &anna, f.sven_wheelchair).await.json().await.unwrap();
    assert_eq!(p["rent_end_date"], "2026-12-30", "Mon 28, Tue 29, Wed 30 December");
    assert_eq!(p["deregistration_due"], "2027-01-08", "then Mon 4, Tue 5, Thu 7, Fri 8 January");
}

async fn a_lost_device_cannot_be_picked_up_and_its_loan_ends(app: TestApp) {
    let f = fixture_ordering::load(app.storage.as_ref()).await.unwrap();
    let anna = app.token_for("anna").await;
    let p = problem(
        app.post_json(
            &anna,
            &format!("/api/v1/devices/{}/lost-report", f.sven_wheelchair),
            &json!({ "circumstances": "" }),
        )
        .await,
    )
    .await;
    assert_eq!((p["code"].as_str(), p["field"].as_str()), (Some("required"), Some("circumstances")));
    let body = json!({ "circumstances": "Glömd på tåget mellan Solna och Stockholm C" });
    let resp = app.post_json(&anna, &format!("/api/v1/devices/{}/lost-report", f.sven_wheelchair), &body).await;
    assert_eq!(resp.status(), 201);
    let lost: Value = resp.json().await.unwrap();
    assert_eq!(lost["reported_on"], "2026-11-23");

    let p = problem(pickup(&app, &anna, f.sven_wheelchair).await).await;
    assert_eq!(p["code"], "device_lost", "issue 4: a lost device is reported as lost instead");
    let card = app.storage.device_card(f.sven_wheelchair).await.unwrap().unwrap();
    assert_eq!(card.device.state.as_str(), "lost");
    assert!(card.loan.is_none(), "the loan ended on the day of the report");
    assert_eq!(card.events.last().unwrap().kind.as_str(), "reported_lost");
    let overview: Value = app.open_patient("anna", f.sven_pnr).await.json().await.unwrap();
    let numbers: Vec<_> = overview["devices"].as_array().unwrap().iter().map(|d| d["device_number"].clone()).collect();
    assert!(!numbers.contains(&json!(f.sven_wheelchair)), "{numbers:?}");
    let again = app.post_json(&anna, &format!("/api/v1/devices/{}/lost-report", f.sven_wheelchair), &body).await;
    assert_eq!(problem(again).await["code"], "device_not_out");
}

async fn reporting_a_loss_cancels_an_open_pickup_order(app: TestApp) {
    let f = fixture_ordering::load(app.storage.as_ref()).await.unwrap();
    let anna = app.token_for("anna").await;
    assert_eq!(pickup(&app, &anna, f.sven_rollator).await.status(), 201);
    let body = json!({ "circumstances": "Stulen från trapphuset" });
    assert_eq!(
        app.post_json(&anna, &format!("/api/v1/devices/{}/lost-report", f.sven_rollator), &body).await.status(),
        201
    );
    let card = app.storage.device_card(f.sven_rollator).await.unwrap().unwrap();
    assert!(app.storage.open_pickup_order(card.device.id).await.unwrap().is_none());
}

async fn a_fault_report_creates_a_repair_work_order_and_a_device_event(app: TestApp) {
    let f = fixture_ordering::load(app.storage.as_ref()).await.unwrap();
    let anna = app.token_for("anna").await;
    let url = format!("/api/v1/devices/{}/fault-report", f.sven_rollator);
    let p = problem(app.post_json(&anna, &url, &json!({ "description": "   " })).await).await;
    assert_eq!(p["field"], "description");
    let resp = app.post_json(&anna, &url, &json!({ "description": "Bromsen tar inte på vänster sida" })).await;
    assert_eq!(resp.status(), 201);
    let body: Value = resp.json().await.unwrap();
    let card = app.storage.device_card(f.sven_rollator).await.unwrap().unwrap();
    let orders = app.storage.work_orders_for_device(card.device.id).await.unwrap();
    assert_eq!(orders.len(), 1);
    assert_eq!(orders[0].id, body["work_order_id"].as_i64().unwrap());
    assert_eq!((orders[0].kind.as_str(), orders[0].status.as_str()), ("repair", "open"));
    assert_eq!(orders[0].patient_id, Some(f.sven));
    assert_eq!(card.events.last().unwrap().kind.as_str(), "fault_reported");
    assert_eq!(card.events.last().unwrap().note.as_deref(), Some("Bromsen tar inte på vänster sida"));
}

async fn reports_need_a_ground_to_act_for_the_patient(app: TestApp) {
    let f = fixture_ordering::load(app.storage.as_ref()).await.unwrap();
    let lars = app.token_for("lars").await;
    let p = problem(pickup(&app, &lars, f.sven_rollator).await).await;
    assert_eq!(p["code"], "care_relationship_required");
    let audit = app.storage.audit_for_patient(f.sven, 5).await.unwrap();
    assert_eq!(audit[0].action, "device.pickup_order.refused");
    let p = problem(pickup(&app, &lars, "D-9999").await).await;
    assert_eq!((p["code"].as_str(), p["field"].as_str()), (Some("device_not_found"), Some("device_number")));
}

ramp_testkit::on_both_engines!(
    a_pickup_order_before_easter_ends_rent_three_working_days_later,
    a_pickup_order_before_christmas_skips_christmas_eve_new_years_eve_and_epiphany,
    a_lost_device_cannot_be_picked_up_and_its_loan_ends,
    reporting_a_loss_cancels_an_open_pickup_order,
    a_fault_report_creates_a_repair_work_order_and_a_device_event,
    reports_need_a_ground_to_act_for_the_patient,
);
