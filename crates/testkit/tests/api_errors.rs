//! Bad input gets a clear 4xx problem naming the field, never a 5xx, and
//! nothing stored changes.

use ramp_testkit::{problem, TestApp};
use serde_json::json;

async fn malformed_json_is_400_problem_json(app: TestApp) {
    let token = app.token_for("anna").await;
    let resp = app.post_raw(&token, "/api/v1/patients/overview", "application/json", "{\"personal_id\": ").await;
    assert_eq!(resp.status(), 400);
    let p = problem(resp).await;
    assert_eq!(p["code"], "malformed_json");
    assert_eq!(p["field"], "body");
}

async fn a_missing_or_unknown_field_is_422_naming_it(app: TestApp) {
    let token = app.token_for("anna").await;
    let p = problem(app.post_json(&token, "/api/v1/patients/overview", &json!({})).await).await;
    assert_eq!((p["status"].as_u64(), p["field"].as_str()), (Some(422), Some("personal_id")));
    let p = problem(
        app.post_json(&token, "/api/v1/patients/overview", &json!({"personal_id": "19121212-1212", "pnr": 1})).await,
    )
    .await;
    assert_eq!(p["field"], "pnr");
}

async fn an_oversize_body_is_413_problem_json(app: TestApp) {
    let token = app.token_for("anna").await;
    let big = format!("{{\"personal_id\": \"{}\"}}", "1".repeat(ramp_web_limit() + 10));
    let resp = app.post_raw(&token, "/api/v1/patients/overview", "application/json", big).await;
    assert_eq!(resp.status(), 413);
    assert_eq!(problem(resp).await["code"], "body_too_large");
}

fn ramp_web_limit() -> usize {
    ramp_web::MAX_BODY_BYTES
}

async fn a_wrong_content_type_is_415_problem_json(app: TestApp) {
    let token = app.token_for("anna").await;
    let resp = app.post_raw(&token, "/api/v1/patients/overview", "text/plain", "personal_id=1").await;
    assert_eq!(resp.status(), 415);
    assert_eq!(problem(resp).await["field"], "content-type");
}

async fn unknown_endpoints_and_methods_answer_with_problems(app: TestApp) {
    let token = app.token_for("anna").await;
    let p = problem(app.get(&token, "/api/v1/nothing-here").await).await;
    assert_eq!(p["status"], 404);
    let resp = app.client.put(app.url("/api/v1/me")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(resp.status(), 405);
    assert_eq!(problem(resp).await["code"], "method_not_allowed");
    let resp = app.client.get(app.url("/no-such-page")).send().await.unwrap();
    assert_eq!(resp.status(), 404);
    assert!(resp.headers()["content-type"].to_str().unwrap().starts_with("text/html"), "outside /api an HTML page");
}

async fn a_cost_decision_names_payer_and_rule_and_bad_input_names_the_field(app: TestApp) {
    let token = app.token_for("anna").await;
    let input = json!({"region": "stockholm", "date": "2024-05-01", "patient": {"age": 12}, "setting": "ordinary",
        "product": {"iso": "120606", "kind": "device", "facts": {}}, "need": "lasting"});
    let resp = app.post_json(&token, "/api/v1/cost-responsibility/decisions", &input).await;
    assert_eq!(resp.status(), 200);
    let d: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(d["payer"], "region", "{d}");
    assert!(d["rule"].as_str().is_some_and(|r| !r.is_empty()));
    assert_eq!(d["agreement"]["region"], "stockholm");
    let mut bad = input.clone();
    bad["product"]["iso"] = json!("12x606");
    let p = problem(app.post_json(&token, "/api/v1/cost-responsibility/decisions", &bad).await).await;
    assert_eq!((p["status"].as_u64(), p["field"].as_str()), (Some(422), Some("product.iso")));
    let mut bad = input;
    bad["region"] = json!("atlantis");
    let p = problem(app.post_json(&token, "/api/v1/cost-responsibility/decisions", &bad).await).await;
    assert_eq!(p["field"], "region");
}

/// Seed 000: "Vårdgivaren ersätts i efterskott med 75% av kostnaden över 10 tkr."
async fn the_costly_treatment_reimbursement_is_75_percent_above_10000_sek(app: TestApp) {
    let token = app.token_for("anna").await;
    let path = "/api/v1/cost-responsibility/costly-treatment";
    let r: serde_json::Value =
        app.post_json(&token, path, &json!({"monthly_cost_ore": 1_500_000})).await.json().await.unwrap();
    assert_eq!(r["reimbursement_ore"], 375_000, "75 % of 5,000 SEK");
    let r: serde_json::Value =
        app.post_json(&token, path, &json!({"monthly_cost_ore": 900_000})).await.json().await.unwrap();
    assert_eq!(r["reimbursement_ore"], 0, "nothing below the threshold");
    let p = problem(app.post_json(&token, path, &json!({"monthly_cost_ore": -1})).await).await;
    assert_eq!(p["field"], "monthly_cost_ore");
}

async fn a_date_that_is_no_date_or_outside_1900_to_2200_is_422_naming_the_field(app: TestApp) {
    let token = app.token_for("lager").await;
    for until in ["2027-13-01", "0000-01-01", "9999-12-31", "1899-12-31", "2201-01-01"] {
        let resp = app.get(&token, &format!("/api/v1/warehouses/1/pick-list?until={until}")).await;
        assert_eq!(resp.status(), 422, "{until}");
        let p = problem(resp).await;
        assert_eq!((p["code"].as_str(), p["field"].as_str()), (Some("invalid_date"), Some("until")), "{until}");
    }
    let resp = app.get(&token, "/api/v1/warehouses/1/pick-list?until=2200-12-31").await;
    assert_eq!(resp.status(), 200);
}

ramp_testkit::on_both_engines!(
    a_date_that_is_no_date_or_outside_1900_to_2200_is_422_naming_the_field,
    the_costly_treatment_reimbursement_is_75_percent_above_10000_sek,
    malformed_json_is_400_problem_json,
    a_missing_or_unknown_field_is_422_naming_it,
    an_oversize_body_is_413_problem_json,
    a_wrong_content_type_is_415_problem_json,
    unknown_endpoints_and_methods_answer_with_problems,
    a_cost_decision_names_payer_and_rule_and_bad_input_names_the_field,
);
