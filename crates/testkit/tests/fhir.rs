//! FHIR R5 under `/fhir` on both engines (issue 20): every resource type
//! Ramp serves is validated by the `fhir.resources` R5 models
//! (`scripts/fhir-validate`, installed by `scripts/fhir-venv`); a patient
//! is found by personnummer through `POST /fhir/Patient/_search`; a
//! `DeviceRequest` posted becomes an order under the API's rules and
//! idempotency; a refused read is an `OperationOutcome` and audited;
//! searches page with `Bundle` links.

use ramp_testkit::TestApp;
use reqwest::header::{CONTENT_TYPE, LOCATION};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Command;

const PNR_SYSTEM: &str = "http://electronichealth.se/identifier/personnummer";
const FHIR_JSON: &str = "application/fhir+json; charset=utf-8";

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A GET under `/fhir`: the status and the body, which is always FHIR JSON.
async fn read(app: &TestApp, token: &str, path: &str) -> (u16, Value) {
    let resp = app.get(token, path).await;
    let status = resp.status().as_u16();
    assert_eq!(resp.headers()[CONTENT_TYPE], FHIR_JSON, "{path}");
    (status, resp.json().await.unwrap())
}

async fn read_ok(app: &TestApp, token: &str, path: &str) -> Value {
    let (status, body) = read(app, token, path).await;
    assert_eq!(status, 200, "{path}: {body}");
    body
}

async fn search_patient(app: &TestApp, token: &str, identifier: &str) -> (u16, Value) {
    let form = format!("identifier={}", identifier.replace('|', "%7C").replace(':', "%3A").replace('/', "%2F"));
    let resp = app
        .client
        .post(app.url("/fhir/Patient/_search"))
        .bearer_auth(token)
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(form)
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap())
}

/// The ordering fixture: Sven (ordinary housing, Anna's unit's patient) and rollator R-200 in stock.
async fn ordering(app: &TestApp) -> ramp_storage::fixture_ordering::OrderingFixture {
    ramp_storage::fixture_ordering::load(app.storage.as_ref()).await.expect("ordering fixture")
}

/// A DeviceRequest for Sven of a rollator, as a record system would post it.
fn rollator_request() -> Value {
    json!({
        "resourceType": "DeviceRequest",
        "status": "active",
        "intent": "order",
        "subject": {"identifier": {"system": PNR_SYSTEM, "value": "193903031239"}},
        "code": {"concept": {"coding": [{"system": "urn:ramp:article-number", "code": "R-200"}]}},
        "reason": [{"concept": {"text": "Gå ute på egen hand"}}],
        "extension": [{"url": "urn:ramp:fhir:evaluation-date", "valueDate": "2027-02-01"}],
    })
}

async fn create(app: &TestApp, token: &str, body: &Value, key: Option<&str>) -> reqwest::Response {
    let mut req = app
        .client
        .post(app.url("/fhir/DeviceRequest"))
        .bearer_auth(token)
        .header(CONTENT_TYPE, "application/fhir+json")
        .body(body.to_string());
    if let Some(k) = key {
        req = req.header("Idempotency-Key", k);
    }
    req.send().await.unwrap()
}

fn resource_types(bundle: &Value) -> Vec<String> {
    bundle["entry"].as_array().unwrap().iter().map(|e| e["resource"]["resourceType"].as_str().unwrap().into()).collect()
}

/// Validates every document with fhir.resources in one run.
fn validate(run: &str, docs: &[(&str, Value)]) {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("fhir-{run}"));
    std::fs::create_dir_all(&dir).unwrap();
    let files: Vec<PathBuf> = docs
        .iter()
        .enumerate()
        .map(|(i, (name, doc))| {
            let path = dir.join(format!("{i:02}-{name}.json"));
            std::fs::write(&path, serde_json::to_vec_pretty(doc).unwrap()).unwrap();
            path
        })
        .collect();
    let out =
        Command::new(repo_root().join("scripts/fhir-validate")).args(&files).output().expect("the validator runs");
    let report = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert_ne!(out.status.code(), Some(3), "the validator is not installed (run scripts/fhir-venv): {report}");
    assert!(out.status.success(), "{report}");
    assert_eq!(report.matches(": valid ").count(), docs.len(), "{report}");
}

async fn orders_and_deliveries_are_valid_fhir_r5_resources(app: TestApp) {
    // Arrange: an order posted as a DeviceRequest, then picked and delivered.
    let (anna, lager, lars) = (app.token_for("anna").await, app.token_for("lager").await, app.token_for("lars").await);
    let sven = ordering(&app).await.sven;
    let created: Value = create(&app, &anna, &rollator_request(), None).await.json().await.unwrap();
    let order = created["groupIdentifier"]["value"].as_str().unwrap().to_string();
    for s in ["picked", "out_for_delivery", "delivered"] {
        let resp = app.post_json(&lager, &format!("/api/v1/orders/{order}/status"), &json!({"status": s})).await;
        assert_eq!(resp.status(), 200, "{s}");
    }
    let line = created["id"].as_str().unwrap().to_string();

    // Act: read and search as Sven's prescriber; the catalog; a refused read.
    let metadata = read_ok(&app, "", "/fhir/metadata").await;
    let patient = read_ok(&app, &anna, &format!("/fhir/Patient/{sven}")).await;
    let found = search_patient(&app, &anna, &format!("{PNR_SYSTEM}|193903031239")).await.1;
    let devices = read_ok(&app, &anna, &format!("/fhir/Device?patient=Patient/{sven}")).await;
    let delivered = devices["entry"][0]["resource"]["id"].as_str().unwrap().to_string();
    let device = read_ok(&app, &anna, &format!("/fhir/Device/{delivered}")).await;
    let definitions = read_ok(&app, &anna, "/fhir/DeviceDefinition?classification=12").await;
    let definition = read_ok(&app, &anna, "/fhir/DeviceDefinition/1").await;
    let requests = read_ok(&app, &anna, &format!("/fhir/DeviceRequest?patient={sven}")).await;
    let request = read_ok(&app, &anna, &format!("/fhir/DeviceRequest/{line}")).await;
    let dispenses = read_ok(&app, &anna, &format!("/fhir/DeviceDispense?subject=Patient/{sven}")).await;
    let dispense = read_ok(&app, &anna, &format!("/fhir/DeviceDispense/{line}")).await;
    let (status, refused) = read(&app, &lars, &format!("/fhir/DeviceRequest/{line}")).await;

    // Assert: what each says, then every document against the R5 models.
    assert_eq!(patient["identifier"][0]["value"], "193903031239");
    assert_eq!(found["entry"][0]["resource"]["id"], sven.to_string());
    assert!(resource_types(&devices).iter().all(|t| t == "Device"), "{devices}");
    assert_eq!(device["definition"]["reference"]["reference"], request["code"]["reference"]["reference"]);
    assert_eq!(definition["classification"][0]["type"]["coding"][0]["code"], "120606");
    assert!(definitions["total"].as_i64().unwrap() >= 3);
    assert_eq!((request["status"].as_str(), created["status"].as_str()), (Some("completed"), Some("active")));
    assert_eq!(request["subject"]["reference"], format!("Patient/{sven}"));
    assert!(resource_types(&requests).contains(&"DeviceRequest".to_string()));
    assert_eq!(dispense["basedOn"][0]["reference"], format!("DeviceRequest/{line}"));
    assert_eq!(dispense["device"]["reference"]["reference"], format!("Device/{delivered}"));
    assert_eq!(
        dispenses["entry"].as_array().unwrap().iter().filter(|e| e["resource"]["id"] == line.as_str()).count(),
        1
    );
    assert_eq!((status, refused["resourceType"].as_str()), (403, Some("OperationOutcome")));
    let docs = [
        ("metadata", metadata),
        ("patient", patient),
        ("patient-search", found),
        ("devices", devices),
        ("device", device),
        ("definitions", definitions),
        ("definition", definition),
        ("requests", requests),
        ("request", request),
        ("created-request", created),
        ("dispenses", dispenses),
        ("dispense", dispense),
        ("refused", refused),
    ];
    validate(&format!("orders-{:?}", app.engine), &docs);
}

async fn charges_and_measurements_are_valid_fhir_r5_resources(app: TestApp) {
    // Arrange: a month of a bed's rent billed for Tolvan; a measurement from her blood-pressure monitor.
    let anna = app.token_for("anna").await;
    let finance = crate::billing::setup(&app).await;
    let (bought, lent) = (crate::billing::d(2025, 1, 1), crate::billing::d(2026, 9, 1));
    let bed = crate::billing::lend(&app, 900, crate::billing::BED, 1_200_000, bought, lent).await;
    crate::billing::run(&app, &finance, "2026-10").await;
    let f = crate::digital::setup(&app).await;
    let secret = crate::digital::secret_for(&app, f.monitor).await;
    assert_eq!(crate::digital::report(&app, &secret, &crate::digital::bp(crate::digital::ID, 190)).await.status(), 202);
    let tolvan = app.fixture.tolvan;

    // Act
    let charges = read_ok(&app, &anna, &format!("/fhir/ChargeItem?patient=Patient/{tolvan}")).await;
    let bed_charge = charges["entry"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["resource"]["product"][0]["reference"]["reference"] == format!("Device/{bed}"));
    let charge_id = bed_charge.expect("the bed's rent").clone()["resource"]["id"].as_str().unwrap().to_string();
    let charge = read_ok(&app, &anna, &format!("/fhir/ChargeItem/{charge_id}")).await;
    let observations = read_ok(&app, &anna, &format!("/fhir/Observation?patient=Patient/{tolvan}")).await;
    let monitor = read_ok(&app, &anna, &format!("/fhir/Device?identifier=urn:ramp:device-number|{}", f.monitor)).await;

    // Assert
    assert_eq!(charge["status"], "billed");
    assert_eq!(charge["code"]["coding"][0]["code"], "rent");
    assert_eq!(
        charge["totalPriceComponent"]["amount"],
        json!({"value": 450.0, "currency": "SEK"}),
        "a month of 450 kr"
    );
    assert_eq!(charge["occurrencePeriod"], json!({"start": "2026-10-01", "end": "2026-10-31"}));
    let bp = &observations["entry"][0]["resource"];
    assert_eq!(bp["code"]["coding"][0]["code"], "85354-9", "LOINC blood pressure panel");
    assert_eq!(bp["component"][0]["code"]["coding"][0]["code"], "8480-6");
    assert_eq!(bp["component"][0]["valueQuantity"]["value"], 190.0);
    assert_eq!(bp["component"][0]["valueQuantity"]["code"], "mm[Hg]");
    assert_eq!(bp["device"]["reference"], format!("Device/{}", f.monitor));
    assert_eq!(monitor["total"], 1);
    let docs = [("charges", charges), ("charge", charge), ("observations", observations), ("monitor", monitor)];
    validate(&format!("charges-{:?}", app.engine), &docs);
}

async fn a_patient_is_found_by_personnummer_only_in_a_post_body_and_refusals_are_audited(app: TestApp) {
    let (anna, lars, lager) = (app.token_for("anna").await, app.token_for("lars").await, app.token_for("lager").await);
    let tolvan = app.fixture.tolvan;

    // Found by the prescriber with a care relationship, with or without the system.
    let (status, bundle) = search_patient(&app, &anna, &format!("{PNR_SYSTEM}|191212121212")).await;
    assert_eq!((status, bundle["total"].as_i64()), (200, Some(1)), "{bundle}");
    assert_eq!(bundle["entry"][0]["resource"]["id"], tolvan.to_string());
    assert_eq!(bundle["entry"][0]["resource"]["identifier"][0]["system"], PNR_SYSTEM);
    assert!(!bundle["link"].to_string().contains("19121212"), "no identity in the links: {}", bundle["link"]);
    assert_eq!(search_patient(&app, &anna, "19121212-1212").await.0, 200);

    // In a URL it is refused, naming the parameter; another system is refused.
    let (status, outcome) = read(&app, &anna, "/fhir/Patient?identifier=191212121212").await;
    assert_eq!((status, outcome["issue"][0]["expression"][0].as_str()), (422, Some("identifier")), "{outcome}");
    let (status, outcome) = search_patient(&app, &anna, "urn:other|191212121212").await;
    assert_eq!(
        (status, outcome["issue"][0]["details"]["coding"][0]["code"].as_str()),
        (422, Some("unknown_identifier_system"))
    );

    // Without a care relationship: refused and audited; an unknown number gets the same answer.
    let (status, outcome) = search_patient(&app, &lars, &format!("{PNR_SYSTEM}|191212121212")).await;
    assert_eq!((status, outcome["issue"][0]["code"].as_str()), (403, Some("forbidden")), "{outcome}");
    let (status, _) = read(&app, &lars, &format!("/fhir/DeviceRequest?patient=Patient/{tolvan}")).await;
    assert_eq!(status, 403);
    assert_eq!(search_patient(&app, &lars, &format!("{PNR_SYSTEM}|195001012383")).await.0, 403);
    let audit: Vec<_> = app
        .storage
        .audit_recent(100)
        .await
        .unwrap()
        .into_iter()
        .filter(|a| a.user_id == app.fixture.other_prescriber)
        .collect();
    let actions: Vec<(&str, Option<i64>)> = audit.iter().rev().map(|a| (a.action.as_str(), a.patient_id)).collect();
    assert_eq!(
        actions,
        [
            ("fhir.patient.refused", Some(tolvan)),
            ("fhir.device_request.refused", Some(tolvan)),
            ("fhir.patient.refused", None)
        ]
    );
    let granted = app.storage.audit_recent(100).await.unwrap();
    assert!(granted
        .iter()
        .any(|a| a.user_id == app.fixture.prescriber && a.action == "fhir.patient" && a.patient_id == Some(tolvan)));

    // The centre's staff, who see every patient, are told there is none.
    let (status, bundle) = search_patient(&app, &lager, &format!("{PNR_SYSTEM}|195001012383")).await;
    assert_eq!((status, bundle["total"].as_i64()), (200, Some(0)), "{bundle}");

    // Not logged in, an unknown type, an unknown id: OperationOutcomes too.
    let (status, outcome) = read(&app, "", &format!("/fhir/Patient/{tolvan}")).await;
    assert_eq!((status, outcome["issue"][0]["code"].as_str()), (401, Some("login")));
    let (status, outcome) = read(&app, &anna, "/fhir/Practitioner/1").await;
    assert_eq!((status, outcome["resourceType"].as_str()), (404, Some("OperationOutcome")));
    let (status, _) = read(&app, &lager, "/fhir/Patient/999999").await;
    assert_eq!(status, 404);
}

async fn a_posted_device_request_is_an_order_under_the_apis_rules_and_idempotent(app: TestApp) {
    let (anna, lars) = (app.token_for("anna").await, app.token_for("lars").await);
    let sven = ordering(&app).await.sven;

    // Created once for a key; the retry returns the same request.
    let first = create(&app, &anna, &rollator_request(), Some("ehr-4711")).await;
    assert_eq!(first.status(), 201);
    let location = first.headers()[LOCATION].to_str().unwrap().to_string();
    let first: Value = first.json().await.unwrap();
    assert!(location.ends_with(&format!("/fhir/DeviceRequest/{}", first["id"].as_str().unwrap())), "{location}");
    let again = create(&app, &anna, &rollator_request(), Some("ehr-4711")).await;
    assert_eq!(again.status(), 200);
    assert_eq!(again.json::<Value>().await.unwrap()["id"], first["id"]);

    // The order is there, as the API shows it, decided by the agreement.
    let order = first["groupIdentifier"]["value"].as_str().unwrap();
    let api: Value = app.get(&anna, &format!("/api/v1/orders/{order}")).await.json().await.unwrap();
    assert_eq!(api["status"], "registered");
    assert_eq!(api["lines"][0]["article_number"], "R-200");
    assert!(api["lines"][0]["payer"].is_string(), "{api}");
    assert_eq!(first["status"], "active");
    assert_eq!(first["reason"][0]["concept"]["text"], "Gå ute på egen hand");

    // Refusals: no care relationship; bad input named; nothing half-written.
    let resp = create(&app, &lars, &rollator_request(), None).await;
    assert_eq!(resp.status(), 403);
    assert_eq!(resp.headers()[CONTENT_TYPE], FHIR_JSON);
    let cases = [
        ("/subject/identifier/system", json!("urn:x"), "subject.identifier.system"),
        ("/reason/0/concept/text", json!("Gå ute"), "-"),
        ("/intent", json!("plan"), "intent"),
        ("/resourceType", json!("Patient"), "resourceType"),
        ("/extension/0/valueDate", json!("1 februari"), "extension.valueDate"),
    ];
    for (pointer, value, field) in cases {
        let mut body = rollator_request();
        *body.pointer_mut(pointer).unwrap() = value;
        if field == "-" {
            body["quantity"] = json!("två");
        }
        let field = if field == "-" { "quantity" } else { field };
        let resp = create(&app, &anna, &body, None).await;
        let status = resp.status().as_u16();
        let outcome: Value = resp.json().await.unwrap();
        assert_eq!((status, outcome["issue"][0]["expression"][0].as_str()), (422, Some(field)), "{outcome}");
    }
    let mut body = rollator_request();
    body["reason"] = json!([]);
    let outcome: Value = create(&app, &anna, &body, None).await.json().await.unwrap();
    assert_eq!(outcome["issue"][0]["expression"][0], "goal", "a patient's order needs its goal: {outcome}");
    let requests = read_ok(&app, &anna, &format!("/fhir/DeviceRequest?patient={sven}")).await;
    assert_eq!(requests["total"], 1, "only the first order exists");
}

async fn searches_page_with_bundle_links_and_refuse_unknown_parameters(app: TestApp) {
    let anna = app.token_for("anna").await;
    let first = read_ok(&app, &anna, "/fhir/DeviceDefinition?_count=2").await;
    let total = first["total"].as_i64().unwrap();
    assert_eq!(total, 3, "the fixture's catalog");
    let link = |b: &Value, rel: &str| {
        b["link"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["relation"] == rel)
            .map(|l| l["url"].as_str().unwrap().to_string())
    };
    assert_eq!(resource_types(&first).len(), 2);
    assert_eq!(link(&first, "previous"), None);
    let next = link(&first, "next").expect("a next page");
    let path = &next[next.find("/fhir/").unwrap()..];
    let second = read_ok(&app, &anna, path).await;
    assert_eq!(resource_types(&second).len(), 1);
    assert_eq!(link(&second, "next"), None);
    assert!(link(&second, "previous").is_some());
    let ids =
        |b: &Value| b["entry"].as_array().unwrap().iter().map(|e| e["resource"]["id"].clone()).collect::<Vec<_>>();
    assert!(ids(&second).iter().all(|id| !ids(&first).contains(id)), "pages never repeat an entry");

    let only = read_ok(&app, &anna, "/fhir/DeviceDefinition?identifier=urn:ramp:article-number|W-200").await;
    assert_eq!((only["total"].as_i64(), only["entry"][0]["resource"]["partNumber"].as_str()), (Some(1), Some("W-200")));
    for (query, field) in
        [("foo=1", "foo"), ("_count=0", "_count"), ("_count=x", "_count"), ("classification=12ab", "classification")]
    {
        let (status, outcome) = read(&app, &anna, &format!("/fhir/DeviceDefinition?{query}")).await;
        assert_eq!((status, outcome["issue"][0]["expression"][0].as_str()), (422, Some(field)), "{query}: {outcome}");
    }
    let (status, outcome) = read(&app, &anna, "/fhir/DeviceRequest").await;
    assert_eq!((status, outcome["issue"][0]["expression"][0].as_str()), (422, Some("patient")));
}

ramp_testkit::on_both_engines!(
    orders_and_deliveries_are_valid_fhir_r5_resources,
    charges_and_measurements_are_valid_fhir_r5_resources,
    a_patient_is_found_by_personnummer_only_in_a_post_body_and_refusals_are_audited,
    a_posted_device_request_is_an_order_under_the_apis_rules_and_idempotent,
    searches_page_with_bundle_links_and_refuse_unknown_parameters,
);
