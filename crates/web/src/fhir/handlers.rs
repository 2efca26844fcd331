//! Read and search handlers. Each takes the caller as the API does
//! (`ApiUser`: token or session), asks `ramp_app::fhir` (which checks the
//! ground to read the patient and audits), and maps rows to resources.

use super::resources as r;
use super::search::{bundle, page_of, parse_id, Params};
use super::{base, observation, Fhir};
use crate::error::ApiError;
use crate::extract::{ApiUser, RequestId};
use crate::AppState;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use ramp_app::fhir as uc;
use ramp_app::model::ArticleFilter;
use ramp_app::AppError;
use serde_json::Value;

type Answer = Result<Fhir, ApiError>;

fn pairs(raw: Option<&str>) -> Vec<(String, String)> {
    form_urlencoded::parse(raw.unwrap_or("").as_bytes()).into_owned().collect()
}

fn id_of(raw: &str, kind: &str) -> Result<ramp_app::model::Id, ApiError> {
    parse_id(raw).ok_or_else(|| uc::resource_not_found(kind).into())
}

/// A search of one patient's resources: the rows, already read under
/// the access check, mapped and paged.
fn patient_bundle(state: &AppState, headers: &HeaderMap, kind: &str, params: &Params, all: Vec<Value>) -> Fhir {
    let base = base(headers, state.cookie_secure);
    let (total, page) = page_of(all, params);
    Fhir::ok(bundle(&base, &format!("{base}/{kind}"), params, total, page, true))
}

/// `token` search value `system|value` or `value`: the value, when the
/// system (if given) is `system`.
fn token<'a>(raw: &'a str, systems: &[&str], field: &str) -> Result<&'a str, ApiError> {
    match raw.split_once('|') {
        None => Ok(raw),
        Some((s, v)) if s.is_empty() || systems.contains(&s) => Ok(v),
        Some(_) => Err(AppError::invalid(
            field,
            "unknown_identifier_system",
            format!("{field} uses the system {}", systems.join(" or ")),
        )
        .into()),
    }
}

#[utoipa::path(get, path = "/fhir/Patient/{id}", tag = "fhir", params(("id" = String, Path, description = "Ramp's id of the patient (never a personal identity number)")), security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "the Patient", body = Object, content_type = "application/fhir+json"),
    (status = 401, description = "not logged in (OperationOutcome)", body = Object, content_type = "application/fhir+json"),
    (status = 403, description = "no care relationship, or no such patient (OperationOutcome, code care_relationship_required; audited)", body = Object, content_type = "application/fhir+json"),
    (status = 404, description = "no such patient (the centre's staff only)", body = Object, content_type = "application/fhir+json")))]
pub async fn patient_read(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    Path(id): Path<String>,
) -> Answer {
    let p = uc::patient(&state.app, &user, id_of(&id, "Patient")?, "fhir.patient", Some(&rid)).await?;
    Ok(Fhir::ok(r::patient(&p)))
}

/// A patient search by GET is refused: the identifier would be in the URL.
#[utoipa::path(get, path = "/fhir/Patient", tag = "fhir", params(("identifier" = Option<String>, Query, description = "refused here: search by identifier with POST /fhir/Patient/_search")), security(("token" = []), ("session" = [])), responses(
    (status = 422, description = "identifier_in_url: use POST /fhir/Patient/_search (OperationOutcome)", body = Object, content_type = "application/fhir+json"),
    (status = 401, description = "not logged in", body = Object, content_type = "application/fhir+json")))]
pub async fn patient_search_get(ApiUser(_user): ApiUser) -> Answer {
    Err(AppError::invalid(
        "identifier",
        "identifier_in_url",
        "a patient is searched by identifier with POST /fhir/Patient/_search (form body), so that the personal identity number stays out of URLs and logs",
    )
    .into())
}

/// Searches a patient by personal identity number (`identifier`,
/// `system|value`), sent as a form body.
#[utoipa::path(post, path = "/fhir/Patient/_search", tag = "fhir", request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "identifier=http://electronichealth.se/identifier/personnummer|191212121212"), security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "a searchset Bundle of 0 or 1 Patient (0 only to the centre's staff)", body = Object, content_type = "application/fhir+json"),
    (status = 403, description = "no care relationship, or no such patient (audited)", body = Object, content_type = "application/fhir+json"),
    (status = 422, description = "identifier missing or invalid (OperationOutcome naming it)", body = Object, content_type = "application/fhir+json")))]
pub async fn patient_search(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    headers: HeaderMap,
    body: Bytes,
) -> Answer {
    let params = Params::parse(form_urlencoded::parse(&body).into_owned().collect(), &["identifier"])?;
    let raw = params
        .get("identifier")
        .ok_or_else(|| AppError::invalid("identifier", "required", "search a patient by identifier"))?;
    let pnr = token(raw, &[r::PERSONNUMMER, r::SAMORDNINGSNUMMER], "identifier")?;
    let found = uc::patient_by_identifier(&state.app, &user, pnr, Some(&rid)).await?;
    let base = base(&headers, state.cookie_secure);
    let (total, page) = page_of(found.iter().map(r::patient).collect(), &params);
    Ok(Fhir::ok(bundle(&base, &format!("{base}/Patient/_search"), &params, total, page, false)))
}

#[utoipa::path(get, path = "/fhir/Device/{id}", tag = "fhir", params(("id" = String, Path, description = "the device number")), security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "the Device", body = Object, content_type = "application/fhir+json"),
    (status = 403, description = "lent to a patient you have no ground to read (audited)", body = Object, content_type = "application/fhir+json"),
    (status = 404, description = "no such device", body = Object, content_type = "application/fhir+json")))]
pub async fn device_read(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    Path(id): Path<String>,
) -> Answer {
    let card = ramp_app::devices::device_card(&state.app, &user, &id, Some(&rid)).await?;
    Ok(Fhir::ok(r::device_card(&card)))
}

/// Devices by `patient` (lent to them now) or by `identifier` (device number).
#[utoipa::path(get, path = "/fhir/Device", tag = "fhir", params(
    ("patient" = Option<String>, Query, description = "Patient/{id}: the devices lent to the patient now"),
    ("identifier" = Option<String>, Query, description = "urn:ramp:device-number|{number} or the number"),
    ("_count" = Option<i64>, Query, description = "entries per page, 1–200 (50)"), ("_offset" = Option<i64>, Query, description = "entries to skip")),
    security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "a searchset Bundle of Device", body = Object, content_type = "application/fhir+json"),
    (status = 403, description = "no ground to read the patient (audited)", body = Object, content_type = "application/fhir+json"),
    (status = 422, description = "a bad or unknown parameter, named (OperationOutcome)", body = Object, content_type = "application/fhir+json")))]
pub async fn device_search(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Answer {
    let params = Params::parse(pairs(q.as_deref()), &["patient", "subject", "identifier"])?;
    let all = match params.get("identifier") {
        Some(raw) => {
            let number = token(raw, &[r::DEVICE_NUMBER], "identifier")?;
            match ramp_app::devices::device_card(&state.app, &user, number, Some(&rid)).await {
                Ok(card) => vec![r::device_card(&card)],
                Err(e) if e.code == "device_not_found" => vec![],
                Err(e) => return Err(e.into()),
            }
        }
        None => {
            let held = uc::patient_devices(&state.app, &user, params.patient()?, Some(&rid)).await?;
            held.iter().map(|(d, article)| r::held_device(d, *article)).collect()
        }
    };
    Ok(patient_bundle(&state, &headers, "Device", &params, all))
}

#[utoipa::path(get, path = "/fhir/DeviceDefinition/{id}", tag = "fhir", params(("id" = String, Path, description = "Ramp's id of the catalog article")), security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "the DeviceDefinition", body = Object, content_type = "application/fhir+json"),
    (status = 401, description = "not logged in", body = Object, content_type = "application/fhir+json"),
    (status = 404, description = "no such article", body = Object, content_type = "application/fhir+json")))]
pub async fn definition_read(State(state): State<AppState>, ApiUser(_user): ApiUser, Path(id): Path<String>) -> Answer {
    let filter = ArticleFilter { id: Some(id_of(&id, "DeviceDefinition")?), limit: 1, ..ArticleFilter::default() };
    let (articles, _) = uc::definitions(&state.app, &filter).await?;
    let a = articles.first().ok_or_else(|| uc::resource_not_found("DeviceDefinition"))?;
    Ok(Fhir::ok(r::device_definition(a)))
}

/// The catalog, a page at a time, by article number, GTIN or ISO 9999 class.
#[utoipa::path(get, path = "/fhir/DeviceDefinition", tag = "fhir", params(
    ("identifier" = Option<String>, Query, description = "urn:ramp:article-number|{number} or the number"),
    ("udi-di" = Option<String>, Query, description = "the GTIN"),
    ("classification" = Option<String>, Query, description = "an ISO 9999 code or class (2, 4 or 6 digits)"),
    ("_count" = Option<i64>, Query, description = "entries per page, 1–200 (50)"), ("_offset" = Option<i64>, Query, description = "entries to skip")),
    security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "a searchset Bundle of DeviceDefinition with paging links", body = Object, content_type = "application/fhir+json"),
    (status = 401, description = "not logged in", body = Object, content_type = "application/fhir+json"),
    (status = 422, description = "a bad or unknown parameter, named", body = Object, content_type = "application/fhir+json")))]
pub async fn definition_search(
    State(state): State<AppState>,
    ApiUser(_user): ApiUser,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Answer {
    let params = Params::parse(pairs(q.as_deref()), &["identifier", "udi-di", "classification"])?;
    let filter = ArticleFilter {
        id: None,
        article_number: params
            .get("identifier")
            .map(|v| token(v, &[r::ARTICLE_NUMBER], "identifier"))
            .transpose()?
            .map(str::to_string),
        gtin: params.get("udi-di").map(str::to_string),
        iso_prefix: params
            .get("classification")
            .map(|v| token(v, &[r::ISO_9999], "classification"))
            .transpose()?
            .map(str::to_string),
        offset: params.offset,
        limit: params.count,
    };
    let (articles, total) = uc::definitions(&state.app, &filter).await?;
    let base = base(&headers, state.cookie_secure);
    let page = articles.iter().map(r::device_definition).collect();
    Ok(Fhir::ok(bundle(&base, &format!("{base}/DeviceDefinition"), &params, total, page, true)))
}

#[utoipa::path(get, path = "/fhir/DeviceRequest/{id}", tag = "fhir", params(("id" = String, Path, description = "Ramp's id of the order line")), security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "the DeviceRequest", body = Object, content_type = "application/fhir+json"),
    (status = 403, description = "no ground to read the patient (audited)", body = Object, content_type = "application/fhir+json"),
    (status = 404, description = "no such line of a patient's order", body = Object, content_type = "application/fhir+json")))]
pub async fn request_read(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    Path(id): Path<String>,
) -> Answer {
    let line =
        uc::request_line(&state.app, &user, id_of(&id, "DeviceRequest")?, "fhir.device_request", Some(&rid)).await?;
    Ok(Fhir::ok(r::device_request(&line)))
}

#[utoipa::path(get, path = "/fhir/DeviceRequest", tag = "fhir", params(
    ("patient" = Option<String>, Query, description = "Patient/{id} (required; or subject)"),
    ("_count" = Option<i64>, Query, description = "entries per page, 1–200 (50)"), ("_offset" = Option<i64>, Query, description = "entries to skip")),
    security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "a searchset Bundle of the patient's DeviceRequests (order lines)", body = Object, content_type = "application/fhir+json"),
    (status = 403, description = "no ground to read the patient (audited)", body = Object, content_type = "application/fhir+json"),
    (status = 422, description = "patient missing, or a bad or unknown parameter, named", body = Object, content_type = "application/fhir+json")))]
pub async fn request_search(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Answer {
    let params = Params::parse(pairs(q.as_deref()), &["patient", "subject"])?;
    let lines = uc::patient_requests(&state.app, &user, params.patient()?, Some(&rid)).await?;
    Ok(patient_bundle(&state, &headers, "DeviceRequest", &params, lines.iter().map(r::device_request).collect()))
}

#[utoipa::path(get, path = "/fhir/DeviceDispense/{id}", tag = "fhir", params(("id" = String, Path, description = "Ramp's id of the delivered order line")), security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "the DeviceDispense", body = Object, content_type = "application/fhir+json"),
    (status = 403, description = "no ground to read the patient (audited)", body = Object, content_type = "application/fhir+json"),
    (status = 404, description = "no such delivered line", body = Object, content_type = "application/fhir+json")))]
pub async fn dispense_read(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    Path(id): Path<String>,
) -> Answer {
    let line = uc::dispense(&state.app, &user, id_of(&id, "DeviceDispense")?, Some(&rid)).await?;
    Ok(Fhir::ok(r::device_dispense(&line)))
}

#[utoipa::path(get, path = "/fhir/DeviceDispense", tag = "fhir", params(
    ("patient" = Option<String>, Query, description = "Patient/{id} (required; or subject)"),
    ("_count" = Option<i64>, Query, description = "entries per page, 1–200 (50)"), ("_offset" = Option<i64>, Query, description = "entries to skip")),
    security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "a searchset Bundle of the patient's deliveries", body = Object, content_type = "application/fhir+json"),
    (status = 403, description = "no ground to read the patient (audited)", body = Object, content_type = "application/fhir+json"),
    (status = 422, description = "patient missing, or a bad or unknown parameter, named", body = Object, content_type = "application/fhir+json")))]
pub async fn dispense_search(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Answer {
    let params = Params::parse(pairs(q.as_deref()), &["patient", "subject"])?;
    let lines = uc::patient_dispenses(&state.app, &user, params.patient()?, Some(&rid)).await?;
    Ok(patient_bundle(&state, &headers, "DeviceDispense", &params, lines.iter().map(r::device_dispense).collect()))
}

#[utoipa::path(get, path = "/fhir/ChargeItem/{id}", tag = "fhir", params(("id" = String, Path, description = "Ramp's id of the invoice line")), security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "the ChargeItem", body = Object, content_type = "application/fhir+json"),
    (status = 403, description = "no ground to read the patient (audited)", body = Object, content_type = "application/fhir+json"),
    (status = 404, description = "no such billed line naming a patient", body = Object, content_type = "application/fhir+json")))]
pub async fn charge_read(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    Path(id): Path<String>,
) -> Answer {
    let line = uc::charge(&state.app, &user, id_of(&id, "ChargeItem")?, Some(&rid)).await?;
    Ok(Fhir::ok(r::charge_item(&line)))
}

#[utoipa::path(get, path = "/fhir/ChargeItem", tag = "fhir", params(
    ("patient" = Option<String>, Query, description = "Patient/{id} (required; or subject)"),
    ("_count" = Option<i64>, Query, description = "entries per page, 1–200 (50)"), ("_offset" = Option<i64>, Query, description = "entries to skip")),
    security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "a searchset Bundle of the patient's billed rent and charges", body = Object, content_type = "application/fhir+json"),
    (status = 403, description = "no ground to read the patient (audited)", body = Object, content_type = "application/fhir+json"),
    (status = 422, description = "patient missing, or a bad or unknown parameter, named", body = Object, content_type = "application/fhir+json")))]
pub async fn charge_search(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Answer {
    let params = Params::parse(pairs(q.as_deref()), &["patient", "subject"])?;
    let lines = uc::patient_charges(&state.app, &user, params.patient()?, Some(&rid)).await?;
    Ok(patient_bundle(&state, &headers, "ChargeItem", &params, lines.iter().map(r::charge_item).collect()))
}

#[utoipa::path(get, path = "/fhir/Observation", tag = "fhir", params(
    ("patient" = Option<String>, Query, description = "Patient/{id} (required; or subject)"),
    ("_count" = Option<i64>, Query, description = "entries per page, 1–200 (50)"), ("_offset" = Option<i64>, Query, description = "entries to skip")),
    security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "a searchset Bundle of the patient's digital-device measurements, newest first", body = Object, content_type = "application/fhir+json"),
    (status = 403, description = "no ground to read the patient (audited)", body = Object, content_type = "application/fhir+json"),
    (status = 422, description = "patient missing, or a bad or unknown parameter, named", body = Object, content_type = "application/fhir+json")))]
pub async fn observation_search(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Answer {
    let params = Params::parse(pairs(q.as_deref()), &["patient", "subject"])?;
    let patient = params.patient()?;
    let rows = uc::patient_observations(&state.app, &user, patient, Some(&rid)).await?;
    let all = rows.iter().map(|m| observation::observation(patient, m)).collect();
    Ok(patient_bundle(&state, &headers, "Observation", &params, all))
}
