//! Patient data against an attacker (docs/SECURITY.md): emergency access
//! only for the roles a region allows, with a category and a real reason,
//! a banner while it runs and every use listed; one answer for "no such
//! patient" and "not yours", both audited; refusals audited as refusals;
//! the legal ground of an order's creator; adaptation documents with
//! unguessable ids, read by the workshop and the patient's prescriber only.

use chrono::Duration;
use ramp_domain::access::EmergencyCategory;
use ramp_domain::role::Role;
use ramp_storage::{fixture_consult, fixture_ordering, AccessReason, AuditEntry, EmergencyQuery, User};
use ramp_testkit::{problem, test_now, TestApp};
use serde_json::{json, Value};

const TOLVAN: &str = "19121212-1212";
/// A valid personnummer that is no patient here.
const NOBODY: &str = "20000101-0008";
const REASON: &str = "Patienten inlagd akut, behöver se hjälpmedlen";

/// Adds a user with the fixture's password, for the roles the fixture lacks.
async fn add_user(app: &TestApp, id: i64, username: &str, roles: Vec<Role>, unit: Option<i64>) {
    let anna = app.storage.user_by_username("anna").await.unwrap().unwrap();
    let user = User {
        id,
        username: username.into(),
        display_name: username.into(),
        roles,
        unit_id: unit,
        competences: vec![],
        last_login_at: None,
        hsa_id: None,
        ..anna
    };
    app.storage.insert_users(&[user]).await.unwrap();
    app.storage.finish_bulk_load().await.unwrap();
}

async fn declare(app: &TestApp, who: &str, personal_id: &str, category: &str, reason: &str) -> reqwest::Response {
    let token = app.token_for(who).await;
    let body = json!({ "personal_id": personal_id, "category": category, "reason": reason });
    app.post_json(&token, "/api/v1/patients/emergency-access", &body).await
}

async fn audit_of(app: &TestApp, user: i64) -> Vec<AuditEntry> {
    let mut rows: Vec<AuditEntry> =
        app.storage.audit_recent(500).await.unwrap().into_iter().filter(|a| a.user_id == user).collect();
    rows.reverse();
    rows
}

async fn only_prescribers_at_a_unit_may_declare_emergency_access_and_every_refusal_is_audited(app: TestApp) {
    add_user(&app, 50, "orderer", vec![Role::UnitOrderer], Some(1)).await;
    add_user(&app, 51, "finance", vec![Role::Finance], None).await;
    add_user(&app, 52, "homeless", vec![Role::Prescriber], None).await;
    for (who, id) in [("orderer", 50), ("finance", 51), ("admin", app.fixture.admin), ("homeless", 52)] {
        let resp = declare(&app, who, TOLVAN, "urgent_care", REASON).await;
        assert_eq!(resp.status(), 403, "{who}");
        assert_eq!(problem(resp).await["code"], "emergency_access_not_allowed", "{who}");
        let audit = audit_of(&app, id).await;
        assert_eq!(audit.len(), 1, "{who}");
        assert_eq!(
            (audit[0].action.as_str(), audit[0].reason, audit[0].patient_id, audit[0].detail.as_deref()),
            (
                "patient.emergency_access.refused",
                AccessReason::None,
                Some(app.fixture.tolvan),
                Some("role_not_allowed")
            ),
            "{who}"
        );
        assert!(!app.storage.has_emergency_access(id, app.fixture.tolvan, test_now()).await.unwrap(), "{who}");
    }
    let (client, csrf) = app.ui_session("orderer").await;
    let page = client.post(app.url("/patient")).form(&[("csrf", csrf.as_str()), ("personal_id", TOLVAN)]).send();
    let html = page.await.unwrap().text().await.unwrap();
    assert!(!html.contains("/patient/emergency-access"), "no emergency form for a unit orderer");
    let (client, csrf) = app.ui_session("lars").await;
    let page = client.post(app.url("/patient")).form(&[("csrf", csrf.as_str()), ("personal_id", TOLVAN)]).send();
    let html = page.await.unwrap().text().await.unwrap();
    assert!(html.contains("action=\"/patient/emergency-access\""), "a prescriber is offered the form");
}

async fn emergency_access_needs_a_category_and_a_reason_of_twenty_characters_and_both_are_kept_for_review(
    app: TestApp,
) {
    for (category, reason, field, code) in [
        ("urgent_care", "Akut, måste se nu", "reason", "reason_too_short"),
        ("because", REASON, "category", "invalid_category"),
        ("", REASON, "category", "required"),
    ] {
        let p = problem(declare(&app, "lars", TOLVAN, category, reason).await).await;
        assert_eq!((p["field"].as_str(), p["code"].as_str()), (Some(field), Some(code)), "{category:?} {reason:?}");
    }
    let review = EmergencyQuery { unreviewed_only: false, after: None, limit: 10 };
    assert!(app.storage.emergency_access_review(&review).await.unwrap().is_empty());

    assert_eq!(declare(&app, "lars", TOLVAN, "device_safety", REASON).await.status(), 204);
    let listed = app.storage.emergency_access_review(&review).await.unwrap();
    assert_eq!(listed.len(), 1);
    let e = &listed[0];
    assert_eq!((e.username.as_str(), e.patient_id, e.uses), ("lars", app.fixture.tolvan, 0));
    assert_eq!((e.category, e.reason.as_str()), (EmergencyCategory::DeviceSafety, REASON));
    assert_eq!((e.granted_at, e.expires_at), (test_now(), test_now() + Duration::hours(4)));
    let audit = audit_of(&app, app.fixture.other_prescriber).await;
    let declared = audit.iter().find(|a| a.action == "patient.emergency_access_declared").expect("audited");
    assert_eq!(declared.detail.as_deref(), Some(format!("device_safety: {REASON}").as_str()));
}

async fn a_patient_page_read_under_emergency_access_shows_a_banner_until_it_ends(app: TestApp) {
    let (client, csrf) = app.ui_session("lars").await;
    let form = [("csrf", csrf.as_str()), ("personal_id", TOLVAN), ("category", "urgent_care"), ("reason", REASON)];
    let page = client.post(app.url("/patient/emergency-access")).form(&form).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("Tolvan") && html.contains("class=\"emergency-banner\""), "{html}");
    assert!(html.contains("Nödåtkomst.") && html.contains("till 2026-11-23 14:00"), "until 4 hours on, Stockholm time");

    let fees = client
        .post(app.url("/patient/fees"))
        .form(&[("csrf", csrf.as_str()), ("personal_id", TOLVAN)])
        .send()
        .await
        .unwrap();
    assert!(fees.text().await.unwrap().contains("class=\"emergency-banner\""), "the fee statement too");
    let card = client.get(app.url(&format!("/devices/{}", app.fixture.lent_device_number))).send().await.unwrap();
    assert!(card.text().await.unwrap().contains("class=\"emergency-banner\""), "the card of a device lent to her");
    fixture_ordering::load(app.storage.as_ref()).await.unwrap();
    let anna_token = app.token_for("anna").await;
    let order = json!({ "personal_id": TOLVAN, "goal": "Förflyttning", "evaluation_date": "2027-02-01",
        "lines": [{ "article_number": "W-200", "replacement": "decline" }] });
    let order = app.post_json(&anna_token, "/api/v1/orders", &order).await.json::<Value>().await.unwrap();
    let order_page = client.get(app.url(&format!("/orders/{}", order["id"]))).send().await.unwrap();
    assert!(order_page.text().await.unwrap().contains("class=\"emergency-banner\""), "her order: {order}");
    let api = app.open_patient("lars", TOLVAN).await.json::<Value>().await.unwrap();
    assert_eq!(
        (api["access"].as_str(), api["emergency_access_until"].as_str()),
        (Some("emergency_access"), Some("2026-11-23T13:00:00Z"))
    );

    let (anna, anna_csrf) = app.ui_session("anna").await;
    let own = anna.post(app.url("/patient")).form(&[("csrf", anna_csrf.as_str()), ("personal_id", TOLVAN)]).send();
    assert!(!own.await.unwrap().text().await.unwrap().contains("emergency-banner"), "no banner on a care relationship");

    app.clock.advance(Duration::hours(5));
    let later = client.post(app.url("/patient")).form(&[("csrf", csrf.as_str()), ("personal_id", TOLVAN)]).send();
    let later = later.await.unwrap();
    assert_eq!(later.status(), 403);
    assert!(!later.text().await.unwrap().contains("emergency-banner"), "gone when the access ended");
}

async fn an_unknown_personnummer_and_a_patient_not_yours_get_one_answer_and_both_are_audited(app: TestApp) {
    let lars = app.token_for("lars").await;
    for path in ["/api/v1/patients/overview", "/api/v1/patients/fee-statement"] {
        let known = app.post_json(&lars, path, &json!({ "personal_id": TOLVAN })).await;
        let unknown = app.post_json(&lars, path, &json!({ "personal_id": NOBODY })).await;
        assert_eq!((known.status().as_u16(), unknown.status().as_u16()), (403, 403), "{path}");
        let (known, unknown) = (problem(known).await, problem(unknown).await);
        assert_eq!(known, unknown, "{path}: the same body");
        assert_eq!(known["code"], "care_relationship_required");
    }
    let audit = audit_of(&app, app.fixture.other_prescriber).await;
    let rows: Vec<_> = audit.iter().map(|a| (a.action.as_str(), a.patient_id, a.reason, a.detail.as_deref())).collect();
    assert_eq!(
        rows,
        [
            ("patient.overview.refused", Some(app.fixture.tolvan), AccessReason::None, None),
            ("patient.overview.refused", None, AccessReason::None, Some("no_such_patient")),
            ("patient.fee_statement.refused", Some(app.fixture.tolvan), AccessReason::None, None),
            ("patient.fee_statement.refused", None, AccessReason::None, Some("no_such_patient")),
        ]
    );
    for a in &audit {
        let text = format!("{a:?}");
        assert!(!text.contains("20000101") && !text.contains("200001010008"), "the number is never stored: {text}");
    }
    let (client, csrf) = app.ui_session("lars").await;
    let page = |pnr: &'static str| {
        client.post(app.url("/patient")).form(&[("csrf", csrf.as_str()), ("personal_id", pnr)]).send()
    };
    let (known, unknown) = (page(TOLVAN).await.unwrap(), page(NOBODY).await.unwrap());
    assert_eq!((known.status().as_u16(), unknown.status().as_u16()), (403, 403));
    let message = "Du har ingen vårdrelation med en patient med det personnumret.";
    assert!(known.text().await.unwrap().contains(message));
    assert!(unknown.text().await.unwrap().contains(message));
}

async fn a_refused_consultation_action_is_audited_as_refused_not_granted(app: TestApp) {
    fixture_consult::load(app.storage.as_ref()).await.unwrap();
    let (karl, anna, lager) =
        (app.token_for("konsulent").await, app.token_for("anna").await, app.token_for("lager").await);
    let slot = json!({ "service_code": "expectation_call", "location": "Videomöte", "starts_at": "2026-12-01T10:00:00+01:00", "minutes": 45 });
    let slot = app.post_json(&karl, "/api/v1/consultations/slots", &slot).await.json::<Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    let open =
        json!({ "personal_id": TOLVAN, "service_code": "expectation_call", "question": "Stöd i val av rollator" });
    let id = app.post_json(&anna, "/api/v1/consultations", &open).await.json::<Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();

    let resp = app.post_json(&lager, &format!("/api/v1/consultations/{id}/booking"), &json!({ "slot_id": slot })).await;
    assert_eq!(problem(resp).await["code"], "not_your_consultation");
    let resp = app.client.delete(app.url(&format!("/api/v1/consultations/{id}/booking"))).bearer_auth(&lager);
    assert_eq!(problem(resp.send().await.unwrap()).await["code"], "not_your_consultation");
    let warehouse = app.fixture.warehouse_user;
    let rows: Vec<_> = audit_of(&app, warehouse).await.into_iter().map(|a| (a.action, a.reason, a.detail)).collect();
    assert_eq!(
        rows,
        [
            ("consultation.book.refused".to_string(), AccessReason::None, Some("not_your_consultation".to_string())),
            ("consultation.cancel.refused".to_string(), AccessReason::None, Some("not_your_consultation".to_string())),
        ],
        "refused, never logged as granted"
    );
    let resp = app.post_json(&anna, &format!("/api/v1/consultations/{id}/booking"), &json!({ "slot_id": slot })).await;
    assert!(resp.status().is_success(), "its prescriber books it");
    let granted = audit_of(&app, app.fixture.prescriber).await;
    assert!(granted.iter().any(|a| a.action == "consultation.book" && a.reason == AccessReason::CareRelationship));
}

async fn an_order_creator_reading_the_order_later_records_the_legal_ground(app: TestApp) {
    let f = fixture_ordering::load(app.storage.as_ref()).await.unwrap();
    assert_eq!(declare(&app, "lars", f.sven_pnr, "urgent_care", REASON).await.status(), 204);
    let lars = app.token_for("lars").await;
    let line = json!({ "personal_id": f.sven_pnr, "article_number": "W-200", "replacement": "decline" });
    assert_eq!(app.post_json(&lars, "/api/v1/cart/items", &line).await.status(), 201);
    let form = json!({ "personal_id": f.sven_pnr, "goal": "Förflyttning", "evaluation_date": "2027-03-01" });
    let resp = app.post_json(&lars, "/api/v1/orders", &form).await;
    assert_eq!(resp.status(), 201);
    let order = resp.json::<Value>().await.unwrap()["id"].as_i64().unwrap();

    app.clock.advance(Duration::hours(5));
    assert_eq!(app.get(&lars, &format!("/api/v1/orders/{order}")).await.status(), 200);
    let audit = app.storage.audit_for_patient(f.sven, 1).await.unwrap();
    assert_eq!(
        (audit[0].action.as_str(), audit[0].user_id, audit[0].reason),
        ("order.read", app.fixture.other_prescriber, AccessReason::OrderCreator),
        "the ground is recorded, not none"
    );
    assert_eq!(audit[0].detail, Some(order.to_string()));
}

async fn adaptation_documents_have_unguessable_ids_and_only_the_workshop_and_the_prescriber_read_them_audited(
    app: TestApp,
) {
    let f = fixture_ordering::load(app.storage.as_ref()).await.unwrap();
    let (anna, lars, tekniker, bestallare) = (
        app.token_for("anna").await,
        app.token_for("lars").await,
        app.token_for("tekniker").await,
        app.token_for("bestallare").await,
    );
    let line = json!({ "personal_id": f.sven_pnr, "article_number": "W-200", "replacement": "decline" });
    assert_eq!(app.post_json(&anna, "/api/v1/cart/items", &line).await.status(), 201);
    let form = json!({ "personal_id": f.sven_pnr, "goal": "Förflyttning", "evaluation_date": "2027-03-01" });
    assert_eq!(app.post_json(&anna, "/api/v1/orders", &form).await.status(), 201);
    let wo = json!({ "kind": "special_adaptation", "device_number": "D-0010", "description": "Förhöjt ryggstöd" });
    let wo = app.post_json(&tekniker, "/api/v1/work-orders", &wo).await.json::<Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    let mut ids = Vec::new();
    for title in ["Riskbedömning 1", "Riskbedömning 2"] {
        let doc =
            json!({ "title": title, "content": "Ryggstödet förhöjs 12 cm med svetsat fäste; tippskydd monteras." });
        let resp = app.post_json(&tekniker, &format!("/api/v1/work-orders/{wo}/adaptation-documents"), &doc).await;
        assert_eq!(resp.status(), 201);
        ids.push(resp.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string());
    }
    for id in &ids {
        assert!(id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()), "128 random bits: {id}");
    }
    assert_ne!(ids[0], ids[1]);
    let by_row = app.get(&anna, "/api/v1/adaptation-documents/1").await;
    assert_eq!(problem(by_row).await["code"], "document_not_found", "the row id does not address a document");

    let url = format!("/api/v1/adaptation-documents/{}", ids[0]);
    assert_eq!(problem(app.get(&lars, &url).await).await["code"], "not_your_prescription");
    assert_eq!(problem(app.get(&bestallare, &url).await).await["code"], "role_required");
    let read = app.get(&anna, &url).await;
    assert_eq!(read.status(), 200);
    assert_eq!(read.json::<Value>().await.unwrap()["id"], ids[0].as_str(), "the document shows its public id only");
    assert_eq!(app.get(&tekniker, &url).await.status(), 200);

    let detail = Some(format!("document {}", ids[0]));
    let rows = |user: i64| {
        let detail = detail.clone();
        let app = &app;
        async move {
            audit_of(app, user)
                .await
                .into_iter()
                .filter(|a| a.action.starts_with("adaptation.read"))
                .map(|a| (a.action, a.reason, a.detail == detail))
                .collect::<Vec<_>>()
        }
    };
    let refused = ("adaptation.read.refused".to_string(), AccessReason::None, true);
    assert_eq!(rows(app.fixture.other_prescriber).await, std::slice::from_ref(&refused));
    assert_eq!(rows(f.unit_orderer).await, [refused]);
    assert_eq!(rows(app.fixture.prescriber).await, [("adaptation.read".to_string(), AccessReason::OrderCreator, true)]);
    let tekniker_id = app.storage.user_by_username("tekniker").await.unwrap().unwrap().id;
    assert_eq!(rows(tekniker_id).await, [("adaptation.read".to_string(), AccessReason::HmcRole, true)]);
}

ramp_testkit::on_both_engines!(
    only_prescribers_at_a_unit_may_declare_emergency_access_and_every_refusal_is_audited,
    emergency_access_needs_a_category_and_a_reason_of_twenty_characters_and_both_are_kept_for_review,
    a_patient_page_read_under_emergency_access_shows_a_banner_until_it_ends,
    an_unknown_personnummer_and_a_patient_not_yours_get_one_answer_and_both_are_audited,
    a_refused_consultation_action_is_audited_as_refused_not_granted,
    an_order_creator_reading_the_order_later_records_the_legal_ground,
    adaptation_documents_have_unguessable_ids_and_only_the_workshop_and_the_prescriber_read_them_audited,
);
