//! Health, readiness, metrics and the OpenAPI document.

use ramp_testkit::TestApp;
use serde_json::Value;

async fn health_readiness_and_metrics_answer(app: TestApp) {
    let r = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!((r.status().as_u16(), r.text().await.unwrap()), (200, "ok".to_string()));
    let r = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let m = app.client.get(app.url("/metrics")).send().await.unwrap();
    assert!(m.headers()["content-type"].to_str().unwrap().starts_with("text/plain"));
    let text = m.text().await.unwrap();
    assert!(text.contains("# TYPE ramp_http_requests_total counter"));
    assert!(text.contains("ramp_http_requests_total{status=\"2xx\"} 2"), "{text}");
}

async fn the_openapi_document_describes_every_api_route(app: TestApp) {
    let doc: Value = app.client.get(app.url("/api/openapi.json")).send().await.unwrap().json().await.unwrap();
    assert_eq!(doc["openapi"].as_str().map(|v| v.starts_with("3.")), Some(true));
    let paths: Vec<&str> = doc["paths"].as_object().unwrap().keys().map(String::as_str).collect();
    for expected in [
        "/api/v1/session",
        "/api/v1/me",
        "/api/v1/tokens",
        "/api/v1/tokens/{id}",
        "/api/v1/adaptation-documents/{id}",
        "/api/v1/articles",
        "/api/v1/patients/overview",
        "/api/v1/patients/emergency-access",
        "/api/v1/devices/{device_number}",
        "/api/v1/warehouses",
        "/api/v1/warehouses/{id}/stock",
        "/api/v1/cost-responsibility/decisions",
        "/api/v1/cost-responsibility/costly-treatment",
        "/api/v1/invoice-runs",
        "/api/v1/invoices",
        "/api/v1/invoices/{number}",
        "/api/v1/invoices/{number}.csv",
        "/api/v1/invoices/{number}.xml",
        "/api/v1/invoices/{number}/credit-note",
        "/api/v1/admin/principals",
        "/api/v1/admin/units",
        "/api/v1/admin/users",
        "/api/v1/admin/users/{id}/roles",
        "/api/v1/admin/tokens/{id}/revoke",
        "/api/v1/admin/articles",
        "/api/v1/admin/changes",
        "/healthz",
        "/readyz",
        "/metrics",
    ] {
        assert!(paths.contains(&expected), "{expected} missing from the OpenAPI document");
    }
    // Every documented path answers with something other than "no such endpoint".
    for path in paths {
        let concrete = path.replace("{device_number}", "D-0001").replace("{id}", "1");
        let r = app.client.get(app.url(&concrete)).send().await.unwrap();
        assert_ne!(r.status(), 404, "{path} is documented but not routed");
    }
    assert!(doc["components"]["schemas"]["Problem"].is_object());
}

ramp_testkit::on_both_engines!(health_readiness_and_metrics_answer, the_openapi_document_describes_every_api_route);
