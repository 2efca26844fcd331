//! The README's demo journeys on `ramp serve --demo` (issue 18, point 6):
//! the demo region's own agreement decides, so the prescriber's journey
//! with Tolvan Tolvansson goes through with the payer his devices since his
//! move show, a patient at home is asked the one question the agreement
//! has, and the warehouse and the unit orderer find what the README says.

use crate::support::*;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde_json::{json, Value};

const TOLVAN: &str = "19121212-1212";

async fn get(server: &Server, session: &HeaderMap, path: &str) -> Value {
    let resp = server.client.get(format!("{}{path}", server.base)).headers(session.clone()).send().await.expect("get");
    assert_eq!(resp.status(), StatusCode::OK, "GET {path}");
    resp.json().await.expect("JSON")
}

async fn post_json(server: &Server, session: &HeaderMap, path: &str, body: &Value) -> (StatusCode, Value) {
    post(&server.client, &format!("{}{path}", server.base), session, body, None).await.expect("post")
}

/// The first main device of a search that is in stock: (article number, name).
async fn in_stock(server: &Server, session: &HeaderMap, q: &str) -> (String, String) {
    let found = get(server, session, &format!("/api/v1/articles?q={q}&in_stock=true&kind=main_device")).await;
    let hit = &found[0];
    assert!(hit.is_object(), "a {q} in stock: {found}");
    (hit["article_number"].as_str().unwrap().to_string(), hit["name"].as_str().unwrap().to_string())
}

async fn the_prescriber_orders_a_rollator_for_tolvan(server: &Server) {
    let session = server.login_as("forskrivare").await;
    let (rollator, name) = in_stock(server, &session, "rollator").await;
    assert!(name.starts_with("Rollator"), "the first rollator hit is a rollator: {name}");
    let (status, overview) =
        post_json(server, &session, "/api/v1/patients/overview", &json!({"personal_id": TOLVAN})).await;
    assert_eq!(status, StatusCode::OK, "{overview}");
    assert!(overview.to_string().contains("Rollator"), "Tolvan holds a rollator: {overview}");

    let line = json!({"target": "patient", "personal_id": TOLVAN, "article_number": rollator, "need": "lasting"});
    let (status, preview) = post_json(server, &session, "/api/v1/cart/preview", &line).await;
    assert_eq!(status, StatusCode::OK, "{preview}");
    let decision = &preview["decision"];
    assert_eq!(
        (decision["payer"].as_str(), decision["rule"].as_str(), decision["trust_prescription"].as_bool()),
        (Some("municipality"), Some("municipality.housing"), Some(true)),
        "the municipality pays for a SÄBO resident's rollator, prescribed in trust: {preview}"
    );
    let order = json!({"target": "patient", "personal_id": TOLVAN, "goal": "Gå säkert inomhus på boendet",
        "evaluation_date": "2099-01-01", "lines": [{"article_number": rollator, "need": "lasting"}]});
    let url = format!("{}/api/v1/orders", server.base);
    let (status, placed) = post_accepting(
        &server.client,
        &url,
        &session,
        order,
        |o| o["lines"][0]["replacement"] = json!("accept"),
        (Some("demo-journey-1"), Some("demo-journey-2".into())),
    )
    .await
    .expect("order");
    assert_eq!(status, StatusCode::CREATED, "the order goes through: {placed}");
}

/// A patient at home: the agreement asks whether the patient is in
/// municipal home health care, and each answer decides (and explains).
async fn a_patient_at_home_is_asked_the_agreements_one_question(server: &Server, url: &str) {
    let session = server.login_as("forskrivare").await;
    let mut conn = Db::connect(url).await;
    let at_home = conn
        .strings(
            "SELECT p.personal_id FROM care_relationships c JOIN patients p ON p.id = c.patient_id \
             JOIN users u ON u.unit_id = c.unit_id JOIN patient_settings s ON s.patient_id = p.id AND s.valid_to IS NULL \
             WHERE u.username = 'forskrivare' AND c.valid_to IS NULL AND s.setting = 'ordinary' \
             AND p.birth_date < '1990-01-01' ORDER BY p.id LIMIT 1",
        )
        .await;
    let (rollator, _) = in_stock(server, &session, "rollator").await;
    let line = json!({"target": "patient", "personal_id": at_home[0], "article_number": rollator, "need": "lasting"});
    let (status, preview) = post_json(server, &session, "/api/v1/cart/preview", &line).await;
    assert_eq!(status, StatusCode::OK, "{preview}");
    assert!(preview["decision"].is_null(), "no guess: {preview}");
    assert!(preview.to_string().contains("municipal_home_health_care"), "the question is asked: {preview}");
    for (answer, payer) in [(true, "municipality"), (false, "region")] {
        let mut answered = line.clone();
        answered["facts"] = json!({"municipal_home_health_care": answer});
        let (status, preview) = post_json(server, &session, "/api/v1/cart/preview", &answered).await;
        assert_eq!((status, preview["decision"]["payer"].as_str()), (StatusCode::OK, Some(payer)), "{preview}");
        assert!(!preview["decision"]["explanation_sv"].as_str().unwrap_or_default().is_empty());
    }
}

async fn the_warehouse_and_the_unit_orderer_find_what_the_readme_says(server: &Server) {
    let lager = server.login_as("lager").await;
    let warehouses = get(server, &lager, "/api/v1/warehouses").await;
    assert!(warehouses.as_array().is_some_and(|w| !w.is_empty()), "stock per warehouse: {warehouses}");

    let orderer = server.login_as("bestallare").await;
    let (rollator, _) = in_stock(server, &orderer, "rollator").await;
    let list = json!({"name": "Veckobeställning", "lines": [{"article_number": rollator, "quantity": 5}]});
    let (status, saved) = post_json(server, &orderer, "/api/v1/order-lists", &list).await;
    assert_eq!(status, StatusCode::CREATED, "a saved list: {saved}");
}

async fn the_readmes_demo_journeys_go_through_with_the_demo_regions_rules(url: &str) {
    let server = Server::start(url).await;
    the_prescriber_orders_a_rollator_for_tolvan(&server).await;
    a_patient_at_home_is_asked_the_agreements_one_question(&server, url).await;
    the_warehouse_and_the_unit_orderer_find_what_the_readme_says(&server).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_the_readmes_demo_journeys_go_through_with_the_demo_regions_rules() {
    let url = format!("sqlite:{}", test_dir().join(format!("{}.db", unique_name())).display());
    the_readmes_demo_journeys_go_through_with_the_demo_regions_rules(&url).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_the_readmes_demo_journeys_go_through_with_the_demo_regions_rules() {
    let Some(db) = PgDatabase::create("demo journey test").await else { return };
    the_readmes_demo_journeys_go_through_with_the_demo_regions_rules(&db.url).await;
    db.drop().await;
}
