//! Consultation booking and the sale of surplus used basic equipment
//! (issue 5), on both engines: publishing slots, the three-day booking
//! rule (read and sweeper) with the test clock, booking, rebooking and
//! cancelling with outbox confirmations and iCalendar entries, a race of
//! sixteen bookings for one slot; surplus offers, the 30 % price, spare
//! parts, demand from recent orders and the 30-day complaint window.

use chrono::Duration;
use ramp_domain::work_order::WorkOrderKind;
use ramp_domain::Term;
use ramp_storage::{fixture_consult, fixture_ordering};
use ramp_testkit::browser::{Browser, ENTER};
use ramp_testkit::{problem, TestApp};
use serde_json::{json, Value};

async fn publish(app: &TestApp, token: &str, starts_at: &str, location: &str) -> reqwest::Response {
    let body =
        json!({ "service_code": "expectation_call", "location": location, "starts_at": starts_at, "minutes": 45 });
    app.post_json(token, "/api/v1/consultations/slots", &body).await
}

async fn slot_id(app: &TestApp, token: &str, starts_at: &str, location: &str) -> i64 {
    let resp = publish(app, token, starts_at, location).await;
    assert_eq!(resp.status(), 201);
    resp.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}

async fn open_consultation(app: &TestApp, token: &str) -> Value {
    let body = json!({
        "personal_id": "19121212-1212",
        "service_code": "expectation_call",
        "question": "Behöver stöd i val av rollator inför utskrivning",
    });
    let resp = app.post_json(token, "/api/v1/consultations", &body).await;
    assert_eq!(resp.status(), 201);
    resp.json().await.unwrap()
}

async fn book(app: &TestApp, token: &str, id: i64, slot: i64) -> reqwest::Response {
    app.post_json(token, &format!("/api/v1/consultations/{id}/booking"), &json!({ "slot_id": slot })).await
}

async fn send(
    app: &TestApp,
    method: reqwest::Method,
    token: &str,
    path: &str,
    body: Option<Value>,
) -> reqwest::Response {
    let mut req = app.client.request(method, app.url(path)).bearer_auth(token);
    if let Some(b) = body {
        req = req.json(&b);
    }
    req.send().await.unwrap()
}

fn kinds(c: &Value) -> Vec<&str> {
    c["events"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect()
}

async fn a_consultant_publishes_slots_and_a_prescriber_books_rebooks_and_cancels_with_confirmations(app: TestApp) {
    fixture_consult::load(app.storage.as_ref()).await.unwrap();
    let karl = app.token_for("konsulent").await;
    let kerstin = app.token_for("konsulent2").await;
    let anna = app.token_for("anna").await;
    let first = slot_id(&app, &karl, "2026-11-24T10:00:00+01:00", "Hjälpmedelscentralen Solna, rum 3").await;
    let second = slot_id(&app, &kerstin, "2026-11-25T13:00:00+01:00", "Videomöte").await;

    let p = problem(publish(&app, &karl, "2026-11-24T10:30:00+01:00", "Videomöte").await).await;
    assert_eq!((p["code"].as_str(), p["field"].as_str()), (Some("slot_overlaps"), Some("starts_at")));
    let p = problem(publish(&app, &anna, "2026-11-27T10:00:00+01:00", "Videomöte").await).await;
    assert_eq!(p["code"], "consultant_role_required");
    let p = problem(publish(&app, &karl, "2026-11-20T10:00:00+01:00", "Videomöte").await).await;
    assert_eq!((p["code"].as_str(), p["field"].as_str()), (Some("slot_in_past"), Some("starts_at")));
    let bad = json!({ "service_code": "expectation_call", "location": "Rum 1", "starts_at": "2026-11-30T10:00:00+01:00", "minutes": 5 });
    let p = problem(app.post_json(&karl, "/api/v1/consultations/slots", &bad).await).await;
    assert_eq!(p["field"], "minutes");

    let c = open_consultation(&app, &anna).await;
    let id = c["id"].as_i64().unwrap();
    assert_eq!(c["status"], "open");
    assert_eq!(c["booking_deadline"], "2026-11-26T09:00:00Z", "three days from now");
    assert_eq!(c["patient_name"], "Tolvan Tolvansson");
    let audit = app.storage.audit_for_patient(app.fixture.tolvan, 10).await.unwrap();
    assert!(audit.iter().any(|a| a.action == "consultation.create" && a.reason.as_str() == "care_relationship"));

    let free: Value =
        app.get(&anna, "/api/v1/consultations/slots?service_code=expectation_call").await.json().await.unwrap();
    assert_eq!(free["slots"].as_array().unwrap().len(), 2);

    let resp = book(&app, &anna, id, first).await;
    assert_eq!(resp.status(), 201);
    let c: Value = resp.json().await.unwrap();
    assert_eq!(c["status"], "booked");
    assert_eq!(c["booking"]["slot"]["id"], first);
    let messages = c["messages"].as_array().unwrap();
    let recipients: Vec<_> = messages.iter().map(|m| m["recipient"].as_str().unwrap()).collect();
    assert_eq!(recipients, vec!["anna", "konsulent"], "confirmations to the prescriber and the consultant");
    for m in messages {
        assert!(m["subject"].as_str().unwrap().starts_with("Bokningsbekräftelse: Förväntningssamtal 2026-11-24 10:00"));
        let body = m["body"].as_str().unwrap();
        assert!(body.contains("Hjälpmedelscentralen Solna, rum 3") && body.contains("Karl Konsulent"), "{body}");
        assert!(!body.contains("Tolvan") && !body.contains("1212"), "no patient data in a message: {body}");
        assert!(m["sent_at"].is_null());
    }
    let free: Value = app.get(&anna, "/api/v1/consultations/slots").await.json().await.unwrap();
    assert_eq!(free["slots"].as_array().unwrap().len(), 1, "the booked slot is no longer offered");
    let p = problem(book(&app, &anna, id, second).await).await;
    assert_eq!((p["code"].as_str(), p["field"].as_str()), (Some("already_booked"), Some("consultation_id")));

    let resp = send(
        &app,
        reqwest::Method::PUT,
        &anna,
        &format!("/api/v1/consultations/{id}/booking"),
        Some(json!({ "slot_id": second })),
    )
    .await;
    assert_eq!(resp.status(), 200);
    let c: Value = resp.json().await.unwrap();
    assert_eq!(c["booking"]["slot"]["id"], second);
    assert_eq!(c["bookings"].as_array().unwrap().len(), 2);
    assert!(c["bookings"][1]["cancelled_at"].is_string(), "the first booking is kept, cancelled");
    let subjects: Vec<_> =
        c["messages"].as_array().unwrap()[2..].iter().map(|m| (m["recipient"].clone(), m["subject"].clone())).collect();
    assert_eq!(subjects.len(), 3, "{subjects:?}");
    assert_eq!(subjects[0].0, "anna");
    assert!(subjects[0].1.as_str().unwrap().starts_with("Ombokning"));
    assert_eq!((subjects[1].0.as_str(), subjects[2].0.as_str()), (Some("konsulent"), Some("konsulent2")));
    assert!(subjects[1].1.as_str().unwrap().starts_with("Avbokning"));

    app.clock.advance(Duration::hours(2));
    let resp = send(&app, reqwest::Method::DELETE, &anna, &format!("/api/v1/consultations/{id}/booking"), None).await;
    assert_eq!(resp.status(), 200);
    let c: Value = resp.json().await.unwrap();
    assert_eq!(c["status"], "open");
    assert!(c["booking"].is_null());
    assert_eq!(c["booking_deadline"], "2026-11-26T11:00:00Z", "three new days from the cancellation");
    assert_eq!(c["messages"].as_array().unwrap().len(), 7);
    assert_eq!(kinds(&c), vec!["created", "booked", "rebooked", "cancelled"]);
    let p =
        problem(send(&app, reqwest::Method::DELETE, &anna, &format!("/api/v1/consultations/{id}/booking"), None).await)
            .await;
    assert_eq!(p["code"], "not_booked");

    let list: Value = app.get(&anna, "/api/v1/consultations").await.json().await.unwrap();
    assert_eq!(list["consultations"][0]["id"], id);
    assert!(list["consultations"][0].get("patient_name").is_none(), "lists carry no patient data");
}

async fn a_booking_is_exported_as_an_icalendar_entry(app: TestApp) {
    fixture_consult::load(app.storage.as_ref()).await.unwrap();
    let karl = app.token_for("konsulent").await;
    let anna = app.token_for("anna").await;
    let slot = slot_id(&app, &karl, "2026-11-24T10:00:00+01:00", "Hjälpmedelscentralen Solna, rum 3").await;
    let c = open_consultation(&app, &anna).await;
    let c: Value = book(&app, &anna, c["id"].as_i64().unwrap(), slot).await.json().await.unwrap();
    let booking = c["booking"]["id"].as_i64().unwrap();
    let url = c["booking"]["calendar_url"].as_str().unwrap().to_string();
    assert_eq!(url, format!("/api/v1/consultations/bookings/{booking}/calendar"));

    let resp = app.get(&anna, &url).await;
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "text/calendar; charset=utf-8");
    assert!(resp.headers()["content-disposition"].to_str().unwrap().contains(".ics"));
    let ics = resp.text().await.unwrap();
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"), "{ics}");
    assert!(ics.ends_with("END:VEVENT\r\nEND:VCALENDAR\r\n"), "{ics}");
    for expected in [
        format!("\r\nUID:consultation-booking-{booking}@ramp\r\n"),
        "\r\nDTSTAMP:20261123T090000Z\r\n".to_string(),
        "\r\nDTSTART:20261124T090000Z\r\n".to_string(),
        "\r\nDTEND:20261124T094500Z\r\n".to_string(),
        "\r\nLOCATION:Hjälpmedelscentralen Solna\\, rum 3\r\n".to_string(),
        "\r\nSTATUS:CONFIRMED\r\n".to_string(),
    ] {
        assert!(ics.contains(&expected), "missing {expected:?} in\n{ics}");
    }
    assert!(ics
        .replace("\r\n ", "")
        .contains(&format!("\r\nSUMMARY:Förväntningssamtal (konsultation {})\r\n", c["id"])));
    for line in ics.split("\r\n") {
        assert!(line.len() <= 75, "a line longer than 75 octets: {line:?}");
    }
    assert!(!ics.replace("\r\n", "").contains('\n'), "CRLF line endings only");
    assert!(!ics.contains("Tolvan"), "no patient in a calendar");
    let audit = app.storage.audit_for_patient(app.fixture.tolvan, 20).await.unwrap();
    assert!(audit.iter().any(|a| a.action == "consultation.calendar"));

    let lars = app.token_for("lars").await;
    let p = problem(app.get(&lars, &url).await).await;
    assert_eq!(p["code"], "care_relationship_required");
    let p = problem(app.get(&anna, "/api/v1/consultations/bookings/999/calendar").await).await;
    assert_eq!((p["code"].as_str(), p["field"].as_str()), (Some("booking_not_found"), Some("booking_id")));
}

async fn a_consultation_not_booked_within_three_days_closes_by_itself(app: TestApp) {
    fixture_consult::load(app.storage.as_ref()).await.unwrap();
    let karl = app.token_for("konsulent").await;
    let anna = app.token_for("anna").await;
    let slot = slot_id(&app, &karl, "2026-12-01T10:00:00+01:00", "Videomöte").await;
    let id = open_consultation(&app, &anna).await["id"].as_i64().unwrap();
    let listed_only = open_consultation(&app, &anna).await["id"].as_i64().unwrap();

    app.clock.advance(Duration::days(3) - Duration::seconds(1));
    let c: Value = app.get(&anna, &format!("/api/v1/consultations/{id}")).await.json().await.unwrap();
    assert_eq!(c["status"], "open", "one second before the deadline");

    app.clock.advance(Duration::seconds(1));
    let list: Value = app.get(&anna, "/api/v1/consultations").await.json().await.unwrap();
    let other = list["consultations"].as_array().unwrap().iter().find(|c| c["id"] == listed_only).unwrap();
    assert_eq!(other["status"], "closed_unbooked", "the list closes overdue ones too");
    let c: Value = app.get(&anna, &format!("/api/v1/consultations/{id}")).await.json().await.unwrap();
    assert_eq!(c["status"], "closed_unbooked", "closed on read, nobody swept");
    assert_eq!(c["closed_at"], "2026-11-26T09:00:00Z");
    assert_eq!(kinds(&c), vec!["created", "closed_unbooked"]);
    assert_eq!(c["events"][1]["occurred_at"], "2026-11-26T09:00:00Z", "dated at the deadline");
    let p = problem(book(&app, &anna, id, slot).await).await;
    assert_eq!((p["code"].as_str(), p["field"].as_str()), (Some("consultation_closed"), Some("consultation_id")));
    let s = app.storage.slot(slot).await.unwrap().unwrap();
    assert!(s.booked_consultation_id.is_none());
}

async fn the_sweeper_closes_an_unbooked_consultation_without_anyone_reading_it(app: TestApp) {
    fixture_consult::load(app.storage.as_ref()).await.unwrap();
    let anna = app.token_for("anna").await;
    let id = open_consultation(&app, &anna).await["id"].as_i64().unwrap();
    app.clock.advance(Duration::days(3));
    let sweeper = ramp_app::consult::spawn_consultation_sweeper(app.app.clone(), std::time::Duration::from_millis(20));
    let mut status = String::new();
    for _ in 0..250 {
        status = app.storage.consultation(id).await.unwrap().unwrap().status.as_str().to_string();
        if status == "closed_unbooked" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    sweeper.abort();
    assert_eq!(status, "closed_unbooked");
    let c = app.storage.consultation(id).await.unwrap().unwrap();
    assert_eq!(c.events.iter().filter(|e| e.kind.as_str() == "closed_unbooked").count(), 1, "closed once");
}

async fn a_cancelled_booking_gets_three_new_days_to_be_booked_again(app: TestApp) {
    fixture_consult::load(app.storage.as_ref()).await.unwrap();
    let karl = app.token_for("konsulent").await;
    let anna = app.token_for("anna").await;
    let slot = slot_id(&app, &karl, "2026-12-10T10:00:00+01:00", "Videomöte").await;
    let id = open_consultation(&app, &anna).await["id"].as_i64().unwrap();
    app.clock.advance(Duration::days(2));
    assert_eq!(book(&app, &anna, id, slot).await.status(), 201);
    app.clock.advance(Duration::days(2));
    let c: Value = app.get(&anna, &format!("/api/v1/consultations/{id}")).await.json().await.unwrap();
    assert_eq!(c["status"], "booked", "a booked consultation never closes by the rule");
    let resp = send(&app, reqwest::Method::DELETE, &karl, &format!("/api/v1/consultations/{id}/booking"), None).await;
    assert_eq!(resp.status(), 200, "the consultant may cancel too");

    app.clock.advance(Duration::days(3) - Duration::minutes(1));
    assert_eq!(book(&app, &anna, id, slot).await.status(), 201, "rebooked within the new three days");
    let c: Value = app.get(&anna, &format!("/api/v1/consultations/{id}")).await.json().await.unwrap();
    assert_eq!(kinds(&c), vec!["created", "booked", "cancelled", "booked"]);
}

async fn sixteen_bookings_of_one_slot_at_once_and_exactly_one_wins(app: TestApp) {
    fixture_consult::load(app.storage.as_ref()).await.unwrap();
    let karl = app.token_for("konsulent").await;
    let anna = app.token_for("anna").await;
    let slot = slot_id(&app, &karl, "2026-11-24T10:00:00+01:00", "Videomöte").await;
    let mut ids = Vec::new();
    for _ in 0..16 {
        ids.push(open_consultation(&app, &anna).await["id"].as_i64().unwrap());
    }
    let start = std::sync::Arc::new(tokio::sync::Barrier::new(ids.len()));
    let tasks: Vec<_> = ids
        .iter()
        .map(|id| {
            let (client, url, token, start) = (
                reqwest::Client::new(),
                app.url(&format!("/api/v1/consultations/{id}/booking")),
                anna.clone(),
                start.clone(),
            );
            tokio::spawn(async move {
                start.wait().await;
                let resp = client.post(url).bearer_auth(token).json(&json!({ "slot_id": slot })).send().await.unwrap();
                (resp.status().as_u16(), resp.json::<Value>().await.unwrap())
            })
        })
        .collect();
    let mut won = 0;
    for t in tasks {
        let (status, body) = t.await.unwrap();
        match status {
            201 => won += 1,
            409 => assert_eq!((body["code"].as_str(), body["field"].as_str()), (Some("slot_taken"), Some("slot_id"))),
            other => panic!("unexpected {other}: {body}"),
        }
    }
    assert_eq!(won, 1, "exactly one booking wins the slot");
    let mut booked = 0;
    let mut messages = 0;
    for id in ids {
        let c = app.storage.consultation(id).await.unwrap().unwrap();
        booked += usize::from(c.status.as_str() == "booked");
        assert!(c.bookings.len() <= 1);
        messages += app.storage.outbox_for_consultation(id).await.unwrap().len();
    }
    assert_eq!(booked, 1);
    assert_eq!(messages, 2, "only the winner's confirmations were written");
    assert!(app.storage.slot(slot).await.unwrap().unwrap().booked_consultation_id.is_some());
}

async fn consultations_need_a_prescriber_with_a_care_relationship_and_reads_are_audited(app: TestApp) {
    fixture_consult::load(app.storage.as_ref()).await.unwrap();
    let karl = app.token_for("konsulent").await;
    let anna = app.token_for("anna").await;
    let lars = app.token_for("lars").await;
    let body = |service: &str, question: &str| json!({ "personal_id": "19121212-1212", "service_code": service, "question": question });
    let p =
        problem(app.post_json(&lars, "/api/v1/consultations", &body("expectation_call", "Behöver hjälp")).await).await;
    assert_eq!(p["code"], "care_relationship_required");
    let audit = app.storage.audit_for_patient(app.fixture.tolvan, 10).await.unwrap();
    assert!(audit
        .iter()
        .any(|a| a.action == "consultation.create.refused" && a.user_id == app.fixture.other_prescriber));
    let p =
        problem(app.post_json(&karl, "/api/v1/consultations", &body("expectation_call", "Behöver hjälp")).await).await;
    assert_eq!(p["code"], "prescriber_role_required");
    let p = problem(app.post_json(&anna, "/api/v1/consultations", &body("massage", "Behöver hjälp")).await).await;
    assert_eq!((p["code"].as_str(), p["field"].as_str()), (Some("unknown_service"), Some("service_code")));
    let p = problem(app.post_json(&anna, "/api/v1/consultations", &body("expectation_call", "Hj")).await).await;
    assert_eq!(p["field"], "question");

    let id = open_consultation(&app, &anna).await["id"].as_i64().unwrap();
    let p = problem(app.get(&lars, &format!("/api/v1/consultations/{id}")).await).await;
    assert_eq!(p["code"], "care_relationship_required");
    let c: Value = app.get(&karl, &format!("/api/v1/consultations/{id}")).await.json().await.unwrap();
    assert_eq!(c["access"], "hmc_role", "the centre's consultants see every consultation");

    let other = json!({ "service_code": "consultation", "location": "Videomöte", "starts_at": "2026-11-30T10:00:00+01:00", "minutes": 30 });
    let resp = app.post_json(&karl, "/api/v1/consultations/slots", &other).await;
    let wrong = resp.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let p = problem(book(&app, &anna, id, wrong).await).await;
    assert_eq!((p["code"].as_str(), p["field"].as_str()), (Some("slot_wrong_service"), Some("slot_id")));
    let p = problem(book(&app, &anna, id, 9999).await).await;
    assert_eq!((p["code"].as_str(), p["field"].as_str()), (Some("slot_not_found"), Some("slot_id")));

    let withdrawn = slot_id(&app, &karl, "2026-12-01T10:00:00+01:00", "Videomöte").await;
    let resp =
        send(&app, reqwest::Method::DELETE, &karl, &format!("/api/v1/consultations/slots/{withdrawn}"), None).await;
    assert_eq!(resp.status(), 204);
    let p = problem(book(&app, &anna, id, withdrawn).await).await;
    assert_eq!(p["code"], "slot_withdrawn");
    let mine: Value = app.get(&karl, "/api/v1/consultations/slots/mine").await.json().await.unwrap();
    assert!(mine["slots"].as_array().unwrap().iter().any(|s| s["id"] == withdrawn && s["withdrawn"] == true));
}

async fn sell(app: &TestApp, token: &str, device: &str, municipality: &str) -> reqwest::Response {
    app.post_json(token, "/api/v1/surplus/sales", &json!({ "device_number": device, "municipality": municipality }))
        .await
}

async fn surplus_of_earlier_assortment_is_sold_to_a_municipality_at_thirty_percent(app: TestApp) {
    let f = fixture_consult::load(app.storage.as_ref()).await.unwrap();
    let lager = app.token_for("lager").await;
    let o: Value = app.get(&lager, "/api/v1/surplus").await.json().await.unwrap();
    let offers = o["offers"].as_array().unwrap();
    let numbers: Vec<_> = offers.iter().map(|a| a["article_number"].as_str().unwrap()).collect();
    assert_eq!(numbers, vec!["R-050", "W-090"], "only earlier assortment; R-060 is in the assortment");
    let r = &offers[0];
    assert_eq!((r["in_stock"].as_i64(), r["demand"].as_i64(), r["surplus"].as_i64()), (Some(4), Some(0), Some(4)));
    assert!(r["blocked_by"].is_null());
    let devices: Vec<_> =
        r["devices"].as_array().unwrap().iter().map(|d| d["device_number"].as_str().unwrap()).collect();
    assert!(!devices.contains(&f.buffer_device), "a buffer store's device is not offered: {devices:?}");
    assert_eq!(r["devices"][0]["price_ore"], 75_002, "30 % of 2 500,05 kr = 750,015 kr, rounded half up");
    assert_eq!(offers[1]["blocked_by"], "spare_parts_ending");
    assert_eq!(o["spare_parts_needed_until"], "2026-12-23");

    let resp = sell(&app, &lager, f.odd_price_device, f.lidingo_code).await;
    assert_eq!(resp.status(), 201);
    let sale: Value = resp.json().await.unwrap();
    assert_eq!(sale["price_ore"], 75_002);
    assert_eq!(sale["purchase_price_ore"], 250_005);
    assert_eq!((sale["buyer"].as_str(), sale["customer_number"].as_str()), (Some("Lidingö stad"), Some("300001")));
    assert_eq!(sale["sold_on"], "2026-11-23");
    assert_eq!((&sale["delivered_on"], &sale["complaint_deadline"]), (&Value::Null, &Value::Null), "not delivered yet");
    let card = app.storage.device_card(f.odd_price_device).await.unwrap().unwrap();
    assert_eq!(card.device.state.as_str(), "sold", "the device left the fleet");
    assert!(card.device.warehouse_id.is_none());
    let last = card.events.last().unwrap();
    assert_eq!((last.kind.as_str(), last.from_state.map(|s| s.as_str())), ("sold", Some("in_stock")));
    assert_eq!(last.warehouse_id, Some(app.fixture.central_warehouse));

    let p = problem(sell(&app, &lager, f.odd_price_device, f.lidingo_code).await).await;
    assert_eq!((p["code"].as_str(), p["field"].as_str()), (Some("device_not_in_stock"), Some("device_number")));
    let p = problem(sell(&app, &lager, f.short_parts_device, f.lidingo_code).await).await;
    assert_eq!((p["code"].as_str(), p["field"].as_str()), (Some("spare_parts_ending"), Some("spare_parts_until")));
    let p = problem(sell(&app, &lager, f.surplus_devices[1], "region").await).await;
    assert_eq!((p["code"].as_str(), p["field"].as_str()), (Some("not_a_municipality"), Some("municipality")));
    let p = problem(sell(&app, &lager, f.surplus_devices[1], "0180").await).await;
    assert_eq!((p["code"].as_str(), p["field"].as_str()), (Some("no_customer_number"), Some("municipality")));
    let p = problem(sell(&app, &lager, f.buffer_device, f.lidingo_code).await).await;
    assert_eq!(p["code"], "device_not_in_stock");
    let p = problem(sell(&app, &lager, "D-0002", f.lidingo_code).await).await;
    assert_eq!((p["code"].as_str(), p["field"].as_str()), (Some("not_earlier_assortment"), Some("device_number")));

    let anna = app.token_for("anna").await;
    assert_eq!(problem(app.get(&anna, "/api/v1/surplus").await).await["code"], "role_required");
    assert_eq!(problem(sell(&app, &anna, f.surplus_devices[1], f.lidingo_code).await).await["code"], "role_required");

    let put = send(
        &app,
        reqwest::Method::PUT,
        &lager,
        &format!("/api/v1/surplus/articles/{}/spare-parts", f.short_parts_article),
        Some(json!({ "spare_parts_until": "2027-06-30" })),
    )
    .await;
    assert_eq!(put.status(), 204);
    let sale: Value = sell(&app, &lager, f.short_parts_device, f.lidingo_code).await.json().await.unwrap();
    assert_eq!(sale["price_ore"], 240_000, "now that spare parts last");
}

/// Seed 003: the sale "kommer gälla alla kommuner som har avtal om
/// grundutrustning" (issue 22: it was offered to any municipality).
async fn surplus_is_sold_only_to_a_municipality_with_an_agreement_on_basic_equipment(app: TestApp) {
    let f = fixture_consult::load(app.storage.as_ref()).await.unwrap();
    let (lager, admin) = (app.token_for("lager").await, app.token_for("admin").await);
    let lidingo = app.storage.principal_by_code(f.lidingo_code).await.unwrap().unwrap();
    let agreement = format!("/api/v1/admin/principals/{}/basic-equipment-agreement", lidingo.id);
    let buyers = |o: Value| -> Vec<String> {
        o["municipalities"].as_array().unwrap().iter().map(|m| m["name"].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(buyers(app.get(&lager, "/api/v1/surplus").await.json().await.unwrap()), ["Lidingö stad"]);

    assert_eq!(app.put_json(&admin, &agreement, &json!({ "since": null })).await.status(), 204, "the agreement ended");
    let p = problem(sell(&app, &lager, f.surplus_devices[1], f.lidingo_code).await).await;
    assert_eq!((p["code"].as_str(), p["field"].as_str()), (Some("no_basic_equipment_agreement"), Some("municipality")));
    assert!(buyers(app.get(&lager, "/api/v1/surplus").await.json().await.unwrap()).is_empty());
    assert_eq!(
        app.put_json(&admin, &agreement, &json!({ "since": "2026-12-01" })).await.status(),
        204,
        "an agreement that begins next month"
    );
    let p = problem(sell(&app, &lager, f.surplus_devices[1], f.lidingo_code).await).await;
    assert_eq!(p["code"], "no_basic_equipment_agreement", "not yet in force on 2026-11-23");

    let p = problem(app.put_json(&admin, &agreement, &json!({ "since": "1 dec" })).await).await;
    assert_eq!((p["status"].as_u64(), p["field"].as_str()), (Some(422), Some("basic_equipment_since")));
    let region = format!("/api/v1/admin/principals/{}/basic-equipment-agreement", app.fixture.region);
    let p = problem(app.put_json(&admin, &region, &json!({ "since": "2021-01-01" })).await).await;
    assert_eq!((p["code"].as_str(), p["field"].as_str()), (Some("not_a_municipality"), Some("basic_equipment_since")));
    assert_eq!(
        problem(app.put_json(&lager, &agreement, &json!({ "since": null })).await).await["code"],
        "role_required"
    );

    assert_eq!(app.put_json(&admin, &agreement, &json!({ "since": "2021-01-01" })).await.status(), 204);
    assert_eq!(sell(&app, &lager, f.surplus_devices[1], f.lidingo_code).await.status(), 201);
    let changes: Value = app.get(&admin, "/api/v1/admin/changes?entity=principal").await.json().await.unwrap();
    let actions: Vec<&str> =
        changes["changes"].as_array().map_or(vec![], |c| c.iter().filter_map(|c| c["action"].as_str()).collect());
    assert_eq!(
        actions.iter().filter(|a| **a == "basic_equipment_agreement").count(),
        3,
        "each change is in the change log: {changes}"
    );
}

async fn demand_from_recent_orders_limits_what_may_be_sold(app: TestApp) {
    let o = fixture_ordering::load(app.storage.as_ref()).await.unwrap();
    let f = fixture_consult::load(app.storage.as_ref()).await.unwrap();
    let anna = app.token_for("anna").await;
    // Ordering the newer rollator hands out the older one (a fixed group): demand for R-050.
    let item = app
        .post_json(
            &anna,
            "/api/v1/cart/items",
            &json!({ "personal_id": o.sven_pnr, "article_number": f.newer_article }),
        )
        .await;
    let item: Value = item.json().await.unwrap();
    assert_eq!(
        (item["article_number"].as_str(), item["device_number"].as_str()),
        (Some("R-050"), Some("D-0060")),
        "{item}"
    );
    let form = json!({ "personal_id": o.sven_pnr, "goal": "Gå ute", "evaluation_date": "2027-03-01" });
    assert_eq!(app.post_json(&anna, "/api/v1/orders", &form).await.status(), 201);

    let lager = app.token_for("lager").await;
    let ov: Value = app.get(&lager, "/api/v1/surplus").await.json().await.unwrap();
    let r = &ov["offers"][0];
    assert_eq!((r["in_stock"].as_i64(), r["demand"].as_i64(), r["surplus"].as_i64()), (Some(3), Some(1), Some(2)));
    assert_eq!(sell(&app, &lager, "D-0061", f.lidingo_code).await.status(), 201);
    assert_eq!(sell(&app, &lager, "D-0062", f.lidingo_code).await.status(), 201);
    let p = problem(sell(&app, &lager, "D-0063", f.lidingo_code).await).await;
    assert_eq!((p["code"].as_str(), p["field"].as_str()), (Some("no_surplus"), Some("device_number")));

    app.clock.advance(Duration::days(91));
    assert_eq!(sell(&app, &lager, "D-0063", f.lidingo_code).await.status(), 201, "the order is older than 90 days");
}

/// Seed 003: "Hjälpmedlen ska vara fullt funktionella vid leverans ...
/// reklamation ska kunna göras inom 30 dagar" — the 30 days run from
/// delivery (issue 22: they used to run from the sale).
async fn a_complaint_is_accepted_from_delivery_through_the_thirtieth_day_after_it_and_refused_after(app: TestApp) {
    let f = fixture_consult::load(app.storage.as_ref()).await.unwrap();
    let lager = app.token_for("lager").await;
    let sale: Value = sell(&app, &lager, f.surplus_devices[1], f.lidingo_code).await.json().await.unwrap();
    let id = sale["id"].as_i64().unwrap();
    let path = format!("/api/v1/surplus/sales/{id}/complaints");
    let kim = app.token_for("kommun").await;
    let p = problem(app.post_json(&kim, &path, &json!({ "description": "" })).await).await;
    assert_eq!(p["field"], "description");
    let anna = app.token_for("anna").await;
    let p = problem(app.post_json(&anna, &path, &json!({ "description": "Bromsen tar inte" })).await).await;
    assert_eq!(p["code"], "other_principal", "a region prescriber is not the buyer");
    let p = problem(app.post_json(&kim, &path, &json!({ "description": "Bromsen tar inte" })).await).await;
    assert_eq!((p["code"].as_str(), p["field"].as_str()), (Some("not_delivered"), Some("sale_id")));

    // Delivered ten days after the sale: the window runs to 30 days after that.
    app.clock.advance(Duration::days(10));
    let delivery = format!("/api/v1/surplus/sales/{id}/delivery");
    assert_eq!(problem(app.post_json(&kim, &delivery, &json!({})).await).await["code"], "role_required");
    let resp = app.post_json(&lager, &delivery, &json!({})).await;
    assert_eq!(resp.status(), 200);
    let s: Value = resp.json().await.unwrap();
    assert_eq!(
        (s["delivered_on"].as_str(), s["complaint_deadline"].as_str()),
        (Some("2026-12-03"), Some("2027-01-02"))
    );
    let p = problem(app.post_json(&lager, &delivery, &json!({})).await).await;
    assert_eq!((p["code"].as_str(), p["field"].as_str()), (Some("already_delivered"), Some("sale_id")));

    app.clock.advance(Duration::days(30));
    let resp = app.post_json(&kim, &path, &json!({ "description": "Bromsen tar inte på vänster sida" })).await;
    assert_eq!(resp.status(), 201, "the 30th day after delivery (40 after the sale) is within the window");
    let s: Value = resp.json().await.unwrap();
    assert_eq!(s["complaints"][0]["registered_on"], "2027-01-02");
    let card = app.storage.device_card(f.surplus_devices[1]).await.unwrap().unwrap();
    assert_eq!(card.events.last().unwrap().kind.as_str(), "complaint_registered");
    assert_eq!(card.device.state.as_str(), "sold");

    app.clock.advance(Duration::days(1));
    let p = problem(app.post_json(&lager, &path, &json!({ "description": "Ytterligare fel på hjulet" })).await).await;
    assert_eq!((p["code"].as_str(), p["field"].as_str()), (Some("complaint_window_closed"), Some("sale_id")));
    assert_eq!(
        (p["delivered_on"].as_str(), p["complaint_deadline"].as_str()),
        (Some("2026-12-03"), Some("2027-01-02"))
    );
    assert!(p["detail"].as_str().unwrap().contains("30 days"));
    let s: Value = app.get(&kim, &format!("/api/v1/surplus/sales/{id}")).await.json().await.unwrap();
    assert_eq!(s["complaints"].as_array().unwrap().len(), 1, "the late complaint was not written");
}

async fn the_openapi_document_describes_consultations_and_surplus_sales(app: TestApp) {
    let doc: Value = app.client.get(app.url("/api/openapi.json")).send().await.unwrap().json().await.unwrap();
    let paths = doc["paths"].as_object().unwrap();
    for expected in [
        "/api/v1/consultations",
        "/api/v1/consultations/{id}",
        "/api/v1/consultations/{id}/booking",
        "/api/v1/consultations/slots",
        "/api/v1/consultations/bookings/{booking_id}/calendar",
        "/api/v1/surplus",
        "/api/v1/surplus/sales",
        "/api/v1/surplus/sales/{id}/delivery",
        "/api/v1/surplus/sales/{id}/complaints",
    ] {
        assert!(paths.contains_key(expected), "{expected} missing from the OpenAPI document");
    }
    let booking = &doc["paths"]["/api/v1/consultations/{id}/booking"];
    assert!(booking["post"].is_object() && booking["put"].is_object() && booking["delete"].is_object());
}

async fn a_device_under_a_safety_notice_is_neither_offered_nor_sold(app: TestApp) {
    let f = fixture_consult::load(app.storage.as_ref()).await.unwrap();
    let lager = app.token_for("lager").await;
    let parts = json!({ "spare_parts_until": "2029-12-31" });
    let path = format!("/api/v1/surplus/articles/{}/spare-parts", f.short_parts_article);
    assert_eq!(send(&app, reqwest::Method::PUT, &lager, &path, Some(parts)).await.status(), 204);
    assert_eq!(sell(&app, &lager, "D-0065", f.lidingo_code).await.status(), 201);
    let notice = json!({ "reference": "FSN-2026-099", "title": "Bromsvajer kan brista", "article_numbers": [f.short_parts_article] });
    assert_eq!(app.post_json(&lager, "/api/v1/safety-notices", &notice).await.status(), 201);

    let o: Value = app.get(&lager, "/api/v1/surplus").await.json().await.unwrap();
    let numbers: Vec<_> =
        o["offers"].as_array().unwrap().iter().map(|a| a["article_number"].as_str().unwrap()).collect();
    assert_eq!(numbers, vec!["R-050"], "blocked devices are not surplus stock");
    let p = problem(sell(&app, &lager, f.short_parts_device, f.lidingo_code).await).await;
    assert_eq!(
        (p["code"].as_str(), p["field"].as_str(), p["reason"].as_str()),
        (Some("device_blocked"), Some("device_number"), Some("safety_notice"))
    );
    let card = app.storage.device_card(f.short_parts_device).await.unwrap().unwrap();
    assert_eq!(card.device.state.as_str(), "in_stock");
    let sold = app.storage.device_card("D-0065").await.unwrap().unwrap();
    let recalls = app.storage.work_orders_for_device(sold.device.id).await.unwrap();
    assert!(
        recalls.iter().any(|w| w.kind == WorkOrderKind::Recall),
        "a sold device is still reached by a safety notice"
    );
}

async fn log_in(b: &Browser, app: &TestApp, username: &str) {
    b.goto(&app.url("/login")).await;
    let user = b.labelled("Användarnamn").await;
    b.type_into(&user, username).await;
    let pw = b.labelled("Lösenord").await;
    b.type_into(&pw, ramp_storage::fixture::PASSWORD).await;
    b.press(ENTER).await;
    b.wait_for_text("Välkommen").await;
}

async fn clear(b: &Browser, id: &str) {
    b.execute(&format!("document.getElementById('{id}').value = '';"), json!([])).await;
}

async fn a_consultant_publishes_a_slot_and_a_prescriber_books_it_in_the_browser(app: TestApp) {
    fixture_consult::load(app.storage.as_ref()).await.unwrap();
    let b = Browser::start().await;
    log_in(&b, &app, "konsulent").await;
    b.click(&b.by_text("a", "Konsultationer").await).await;
    b.wait_for_text("Publicera tid").await;
    b.assert_accessible("the consultant's consultations page").await;
    b.type_into(&b.labelled("Plats").await, "Hjälpmedelscentralen Solna").await;
    b.type_into(&b.labelled("Datum").await, "2026-11-24").await;
    let time = b.labelled("Starttid (svensk tid)").await;
    b.type_into(&time, "25:00").await;
    b.press(ENTER).await;
    b.wait_for_text("Skriv tiden som TT:MM").await;
    let field = b.find("#slot-time").await;
    assert_eq!(b.attribute(&field, "aria-invalid").await.as_deref(), Some("true"));
    b.assert_accessible("the slot form with an error").await;
    clear(&b, "slot-time").await;
    b.type_into(&b.labelled("Starttid (svensk tid)").await, "10:00").await;
    b.press(ENTER).await;
    b.wait_for_text("2026-11-24 10:00–10:45").await;
    assert!(b.page_text().await.contains("Ledig"));
    b.click(&b.by_text("button", "Logga ut").await).await;

    log_in(&b, &app, "anna").await;
    b.click(&b.by_text("a", "Konsultationer").await).await;
    b.wait_for_text("Begär konsultation").await;
    b.type_into(&b.labelled("Personnummer eller samordningsnummer").await, "19121212-1212").await;
    b.type_into(&b.labelled("Vad behöver du hjälp med?").await, "Val av rollator inför hemgång").await;
    b.click(&b.by_text("button", "Begär konsultation").await).await;
    b.wait_for_text("Väntar på bokning").await;
    assert!(b.page_text().await.contains("Tolvan Tolvansson"));
    b.assert_accessible("a consultation waiting for a booking").await;
    b.click(&b.find("input[name='slot_id']").await).await;
    b.press(ENTER).await;
    b.wait_for_text("Bokad tid").await;
    let text = b.page_text().await;
    for expected in ["2026-11-24 10:00–10:45", "Karl Konsulent", "Bokningsbekräftelse", "Ladda ner kalenderfil (.ics)"]
    {
        assert!(text.contains(expected), "the booked consultation lacks '{expected}':\n{text}");
    }
    b.assert_accessible("a booked consultation").await;
    b.click(&b.by_text("a", "In English").await).await;
    b.wait_for_text("Booked time").await;
    b.assert_accessible("a booked consultation in English").await;
    b.quit().await;
}

async fn hmc_staff_sell_a_surplus_device_record_its_delivery_and_register_a_complaint_in_the_browser(app: TestApp) {
    fixture_consult::load(app.storage.as_ref()).await.unwrap();
    let b = Browser::start().await;
    log_in(&b, &app, "lager").await;
    b.click(&b.by_text("a", "Överskott").await).await;
    b.wait_for_text("Till salu").await;
    assert!(b.page_text().await.contains("Rollator Klassiker (utgången)"));
    b.assert_accessible("the surplus page").await;
    b.type_into(&b.labelled("Individnr").await, "D-0064").await;
    b.press(ENTER).await;
    b.wait_for_text("Reservdelar finns inte tillräckligt länge efter leveransen.").await;
    b.assert_accessible("the surplus page with an error").await;
    clear(&b, "device_number").await;
    b.type_into(&b.labelled("Individnr").await, "D-0060").await;
    b.type_into(&b.labelled("Köpare (kommun)").await, "Lidingö stad").await;
    b.click(&b.by_text("button", "Sälj").await).await;
    b.wait_for_text("Lidingö stad (300001)").await;
    assert!(b.page_text().await.contains("750,02"), "30 % of 2 500,05 kr");
    assert!(b.page_text().await.contains("30 dagar från leverans"), "no deadline before delivery");
    b.click(&b.by_text("button", "Registrera leverans").await).await;
    b.wait_for_text("2026-12-23").await; // delivered today: complaints until 30 days later
    b.type_into(&b.labelled("Vad är fel?").await, "Bromsen tar inte på vänster sida").await;
    b.click(&b.by_text("button", "Registrera reklamation").await).await;
    b.wait_for_text("2026-11-23: Bromsen tar inte på vänster sida").await;
    b.assert_accessible("the surplus page with a sale and a complaint").await;
    b.quit().await;
}

ramp_testkit::on_both_engines!(
    a_consultant_publishes_slots_and_a_prescriber_books_rebooks_and_cancels_with_confirmations,
    a_booking_is_exported_as_an_icalendar_entry,
    a_consultation_not_booked_within_three_days_closes_by_itself,
    the_sweeper_closes_an_unbooked_consultation_without_anyone_reading_it,
    a_cancelled_booking_gets_three_new_days_to_be_booked_again,
    sixteen_bookings_of_one_slot_at_once_and_exactly_one_wins,
    consultations_need_a_prescriber_with_a_care_relationship_and_reads_are_audited,
    surplus_of_earlier_assortment_is_sold_to_a_municipality_at_thirty_percent,
    demand_from_recent_orders_limits_what_may_be_sold,
    surplus_is_sold_only_to_a_municipality_with_an_agreement_on_basic_equipment,
    a_complaint_is_accepted_from_delivery_through_the_thirtieth_day_after_it_and_refused_after,
    the_openapi_document_describes_consultations_and_surplus_sales,
    a_device_under_a_safety_notice_is_neither_offered_nor_sold,
    a_consultant_publishes_a_slot_and_a_prescriber_books_it_in_the_browser,
    hmc_staff_sell_a_surplus_device_record_its_delivery_and_register_a_complaint_in_the_browser,
);
