//! `POST /fhir/DeviceRequest`: an order of one line for a patient, placed
//! by `ramp_app::fhir::create_request` under the same rules as
//! `POST /api/v1/orders` — the agreement decides who pays, the competence
//! gate and the care relationship apply, and an `Idempotency-Key` makes a
//! retry return the same request instead of a second order.
//!
//! What Ramp reads from the resource: `subject.identifier` (the personal
//! identity number, in the body and never in a URL), `code` (a
//! `DeviceDefinition` reference or an `urn:ramp:article-number` coding),
//! `quantity`, `reason[0].concept.text` (the prescription's goal) and the
//! extension `urn:ramp:fhir:evaluation-date` (`valueDate`, the follow-up).

use super::resources as r;
use super::{base, Fhir};
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiUser, RequestId};
use crate::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use ramp_app::fhir::NewDeviceRequest;
use ramp_app::model::ArticleFilter;
use ramp_app::AppError;
use serde_json::Value;

pub const EVALUATION_DATE: &str = "urn:ramp:fhir:evaluation-date";

fn invalid(field: &str, code: &'static str, message: &str) -> ApiError {
    AppError::invalid(field, code, message).into()
}

fn text<'a>(v: &'a Value, pointer: &str) -> Option<&'a str> {
    v.pointer(pointer).and_then(Value::as_str)
}

fn personal_id(v: &Value) -> Result<String, ApiError> {
    let system = text(v, "/subject/identifier/system");
    if !matches!(system, Some(r::PERSONNUMMER) | Some(r::SAMORDNINGSNUMMER)) {
        return Err(invalid(
            "subject.identifier.system",
            "unknown_identifier_system",
            "the subject is identified by personnummer or samordningsnummer (http://electronichealth.se/identifier/…)",
        ));
    }
    text(v, "/subject/identifier/value")
        .map(str::to_string)
        .ok_or_else(|| invalid("subject.identifier.value", "required", "the patient's personal identity number"))
}

/// The article: from `code.reference` (`DeviceDefinition/{id}`) or from a
/// `code.concept` coding of Ramp's article numbers.
async fn article_number(state: &AppState, v: &Value) -> Result<String, ApiError> {
    if let Some(reference) = text(v, "/code/reference/reference") {
        let id = reference.strip_prefix("DeviceDefinition/").and_then(|s| s.parse::<i64>().ok());
        let id = id.ok_or_else(|| invalid("code.reference", "invalid_reference", "refer to DeviceDefinition/{id}"))?;
        let filter = ArticleFilter { id: Some(id), limit: 1, ..ArticleFilter::default() };
        let (found, _) = ramp_app::fhir::definitions(&state.app, &filter).await?;
        return found.into_iter().next().map(|a| a.article_number).ok_or_else(|| {
            AppError::not_found(Some("code.reference"), "article_not_found", "no DeviceDefinition with this id").into()
        });
    }
    let codings = v.pointer("/code/concept/coding").and_then(Value::as_array);
    codings
        .into_iter()
        .flatten()
        .find(|c| text(c, "/system") == Some(r::ARTICLE_NUMBER))
        .and_then(|c| text(c, "/code"))
        .map(str::to_string)
        .ok_or_else(|| {
            invalid(
                "code",
                "required",
                "name the device: code.reference DeviceDefinition/{id} or an urn:ramp:article-number coding",
            )
        })
}

fn evaluation_date(v: &Value) -> Result<Option<chrono::NaiveDate>, ApiError> {
    let ext = v.get("extension").and_then(Value::as_array).into_iter().flatten();
    let Some(e) = ext.into_iter().find(|e| text(e, "/url") == Some(EVALUATION_DATE)) else { return Ok(None) };
    let raw = text(e, "/valueDate").unwrap_or("");
    Ok(Some(
        ramp_app::dates::parse_optional_date("extension.valueDate", Some(raw), "2027-02-01")?
            .ok_or_else(|| invalid("extension.valueDate", "required", "the evaluation date as YYYY-MM-DD"))?,
    ))
}

fn quantity(v: &Value) -> Result<Option<i32>, ApiError> {
    match v.get("quantity") {
        None => Ok(None),
        Some(q) => q
            .as_i64()
            .and_then(|n| i32::try_from(n).ok())
            .filter(|n| *n > 0)
            .map(Some)
            .ok_or_else(|| invalid("quantity", "invalid_quantity", "quantity is a positive whole number")),
    }
}

async fn read(state: &AppState, v: &Value) -> Result<NewDeviceRequest, ApiError> {
    if text(v, "/resourceType") != Some("DeviceRequest") {
        return Err(invalid("resourceType", "wrong_resource_type", "post a DeviceRequest"));
    }
    if text(v, "/intent") != Some("order") {
        return Err(invalid("intent", "invalid_intent", "Ramp takes DeviceRequests with intent order"));
    }
    if !matches!(text(v, "/status"), None | Some("active")) {
        return Err(invalid("status", "invalid_status", "a new DeviceRequest is active"));
    }
    Ok(NewDeviceRequest {
        personal_id: personal_id(v)?,
        article_number: article_number(state, v).await?,
        quantity: quantity(v)?,
        goal: text(v, "/reason/0/concept/text").map(str::to_string),
        evaluation_date: evaluation_date(v)?,
    })
}

#[utoipa::path(post, path = "/fhir/DeviceRequest", tag = "fhir", request_body(content = Object, content_type = "application/fhir+json", description = "a DeviceRequest: subject.identifier, code, quantity, reason[0].concept.text (goal), extension urn:ramp:fhir:evaluation-date"),
    params(("Idempotency-Key" = Option<String>, Header, description = "1–100 visible ASCII characters; the same key returns the same request")),
    security(("token" = []), ("session" = [])), responses(
    (status = 201, description = "the order is placed; the DeviceRequest of its line, with Location", body = Object, content_type = "application/fhir+json"),
    (status = 200, description = "a retry with the same Idempotency-Key: the request it created", body = Object, content_type = "application/fhir+json"),
    (status = 403, description = "no care relationship or competence_required (OperationOutcome; audited)", body = Object, content_type = "application/fhir+json"),
    (status = 404, description = "no such article", body = Object, content_type = "application/fhir+json"),
    (status = 409, description = "no_longer_available, replacement_answer_required", body = Object, content_type = "application/fhir+json"),
    (status = 422, description = "invalid input naming the field (resourceType, intent, status, subject.identifier.*, code, quantity, goal, evaluation_date, …)", body = Object, content_type = "application/fhir+json")))]
pub async fn request_create(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    headers: HeaderMap,
    ApiJson(body): ApiJson<Value>,
) -> Result<Fhir, ApiError> {
    let req = read(&state, &body).await?;
    let key = match headers.get("idempotency-key") {
        None => None,
        Some(v) => {
            Some(v.to_str().map_err(|_| invalid("Idempotency-Key", "invalid_idempotency_key", "visible ASCII"))?)
        }
    };
    let (line, replayed) = ramp_app::fhir::create_request(&state.app, &user, &req, key, Some(&rid)).await?;
    let location = format!("{}/DeviceRequest/{}", base(&headers, state.cookie_secure), line.line_id);
    let status = if replayed { StatusCode::OK } else { StatusCode::CREATED };
    Ok(Fhir { status, body: r::device_request(&line), location: Some(location) })
}
