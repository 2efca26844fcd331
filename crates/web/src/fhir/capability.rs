//! `GET /fhir/metadata`: what this server does, as a `CapabilityStatement`
//! built from the same list the router serves. Open without login, as
//! FHIR clients expect to read it before they authenticate.

use super::Fhir;
use serde_json::{json, Value};

/// A search parameter: its name and FHIR type.
type SearchParam = (&'static str, &'static str);

/// (type, interactions, search parameters).
const RESOURCES: &[(&str, &[&str], &[SearchParam])] = &[
    ("Patient", &["read", "search-type"], &[("identifier", "token")]),
    ("Device", &["read", "search-type"], &[("patient", "reference"), ("identifier", "token")]),
    (
        "DeviceDefinition",
        &["read", "search-type"],
        &[("identifier", "token"), ("udi-di", "string"), ("classification", "token")],
    ),
    ("DeviceRequest", &["read", "search-type", "create"], &[("patient", "reference"), ("subject", "reference")]),
    ("DeviceDispense", &["read", "search-type"], &[("patient", "reference"), ("subject", "reference")]),
    ("ChargeItem", &["read", "search-type"], &[("patient", "reference"), ("subject", "reference")]),
    ("Observation", &["search-type"], &[("patient", "reference"), ("subject", "reference")]),
];

fn resource((kind, interactions, params): &(&str, &[&str], &[SearchParam])) -> Value {
    json!({
        "type": kind,
        "interaction": interactions.iter().map(|c| json!({"code": c})).collect::<Vec<_>>(),
        "searchParam": params.iter().map(|(n, t)| json!({"name": n, "type": t})).collect::<Vec<_>>(),
    })
}

#[utoipa::path(get, path = "/fhir/metadata", tag = "fhir", responses(
    (status = 200, description = "the CapabilityStatement (FHIR R5, JSON)", body = Object, content_type = "application/fhir+json"),
    (status = 503, description = "unavailable while the server shuts down or starts (OperationOutcome)", body = Object, content_type = "application/fhir+json")))]
pub async fn metadata() -> Fhir {
    Fhir::ok(json!({
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": "2026-12-07",
        "publisher": "Ramp",
        "kind": "instance",
        "software": {"name": "Ramp", "version": env!("CARGO_PKG_VERSION")},
        "implementation": {"description": "Ramp: assistive-device supply (hjälpmedelsförsörjning)"},
        "fhirVersion": "5.0.0",
        "format": ["json"],
        "rest": [{
            "mode": "server",
            "documentation": "Same login as the API (Bearer token or session). Patient data needs a care relationship, a declared emergency access or a centre role, and every read is audited. Search a Patient by identifier with POST /fhir/Patient/_search; a personal identity number never goes in a URL.",
            "security": {"description": "Bearer API token (POST /api/v1/session) or the UI session cookie"},
            "resource": RESOURCES.iter().map(resource).collect::<Vec<_>>(),
        }],
    }))
}
