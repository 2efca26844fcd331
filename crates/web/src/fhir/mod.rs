//! FHIR R5 REST under `/fhir` (issue 20): JSON (`application/fhir+json`),
//! a `CapabilityStatement` at `/fhir/metadata`, read and search for
//! `Patient`, `Device`, `DeviceDefinition`, `DeviceRequest`,
//! `DeviceDispense`, `ChargeItem` and `Observation`, and creating a
//! `DeviceRequest` as an order. Authentication, care-relationship rules
//! and audit are the API's (the use-cases are `ramp_app::fhir`); errors
//! are `OperationOutcome`s ([`outcome`]). A personal identity number is
//! searched by `POST /fhir/Patient/_search`, never in a URL.

pub(crate) mod capability;
pub(crate) mod create;
pub(crate) mod handlers;
mod observation;
pub(crate) mod outcome;
mod resources;
mod search;

use crate::AppState;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde_json::Value;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/fhir/metadata", get(capability::metadata))
        .route("/fhir/Patient", get(handlers::patient_search_get))
        .route("/fhir/Patient/_search", post(handlers::patient_search))
        .route("/fhir/Patient/{id}", get(handlers::patient_read))
        .route("/fhir/Device", get(handlers::device_search))
        .route("/fhir/Device/{id}", get(handlers::device_read))
        .route("/fhir/DeviceDefinition", get(handlers::definition_search))
        .route("/fhir/DeviceDefinition/{id}", get(handlers::definition_read))
        .route("/fhir/DeviceRequest", get(handlers::request_search).post(create::request_create))
        .route("/fhir/DeviceRequest/{id}", get(handlers::request_read))
        .route("/fhir/DeviceDispense", get(handlers::dispense_search))
        .route("/fhir/DeviceDispense/{id}", get(handlers::dispense_read))
        .route("/fhir/ChargeItem", get(handlers::charge_search))
        .route("/fhir/ChargeItem/{id}", get(handlers::charge_read))
        .route("/fhir/Observation", get(handlers::observation_search))
}

/// The server's FHIR base as the client reached it (`Host`), for
/// `fullUrl`s and links.
pub(crate) fn base(headers: &HeaderMap, secure: bool) -> String {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
    format!("{}://{host}/fhir", if secure { "https" } else { "http" })
}

/// A FHIR answer: the resource (nulls dropped: FHIR has no null), its
/// status and, for a created resource, its `Location`.
pub(crate) struct Fhir {
    pub status: StatusCode,
    pub body: Value,
    pub location: Option<String>,
}

impl Fhir {
    pub fn ok(body: Value) -> Self {
        Fhir { status: StatusCode::OK, body, location: None }
    }
}

fn without_nulls(v: Value) -> Value {
    match v {
        Value::Object(m) => {
            Value::Object(m.into_iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k, without_nulls(v))).collect())
        }
        Value::Array(a) => Value::Array(a.into_iter().filter(|v| !v.is_null()).map(without_nulls).collect()),
        other => other,
    }
}

impl IntoResponse for Fhir {
    fn into_response(self) -> Response {
        let mut resp = (self.status, without_nulls(self.body).to_string()).into_response();
        resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(outcome::FHIR_JSON));
        if let Some(loc) = self.location.and_then(|l| HeaderValue::from_str(&l).ok()) {
            resp.headers_mut().insert(header::LOCATION, loc);
        }
        resp
    }
}
