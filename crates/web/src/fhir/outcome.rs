//! FHIR errors are `OperationOutcome`s. The handlers return the same
//! [`crate::error::ApiError`] as the rest of the API (one error model);
//! this layer turns every problem+json answer under `/fhir` — refusals,
//! bad input, a failed login, 503 while the database is away — into an
//! `OperationOutcome` with the same status and headers, keeping Ramp's
//! stable code (`urn:ramp:error-code`) and the offending field
//! (`expression`).

use axum::body::{to_bytes, Body};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use serde_json::{json, Value};

pub const FHIR_JSON: &str = "application/fhir+json; charset=utf-8";

/// The FHIR issue type of an HTTP status.
fn issue_code(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 | 422 => "invalid",
        401 => "login",
        403 => "forbidden",
        404 | 410 => "not-found",
        405 | 406 | 415 => "not-supported",
        409 | 412 => "conflict",
        429 => "throttled",
        503 => "transient",
        _ => "exception",
    }
}

/// One `OperationOutcome` with one error issue.
pub fn outcome(status: StatusCode, code: &str, detail: &str, field: Option<&str>) -> Value {
    let mut issue = json!({
        "severity": if status.is_server_error() && status != StatusCode::SERVICE_UNAVAILABLE { "fatal" } else { "error" },
        "code": issue_code(status),
        "details": {"coding": [{"system": "urn:ramp:error-code", "code": code}], "text": detail},
    });
    if let Some(f) = field {
        issue["expression"] = json!([f]);
    }
    json!({"resourceType": "OperationOutcome", "issue": [issue]})
}

fn is_problem(resp: &Response) -> bool {
    resp.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/problem+json"))
}

/// Rewrites a problem+json answer as an `OperationOutcome`; others pass.
pub async fn problems_as_outcomes(resp: Response) -> Response {
    if !is_problem(&resp) {
        return resp;
    }
    let (mut parts, body) = resp.into_parts();
    let bytes = to_bytes(body, 1 << 20).await.unwrap_or_default();
    let problem: Value = serde_json::from_slice(&bytes).unwrap_or_default();
    let text = |k: &str| problem.get(k).and_then(Value::as_str).map(str::to_string);
    let body = outcome(
        parts.status,
        &text("code").unwrap_or_else(|| "error".into()),
        &text("detail").unwrap_or_default(),
        text("field").as_deref(),
    );
    parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(FHIR_JSON));
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(body.to_string()))
}
