//! Lent digital devices, their secrets, and measurements in over HTTP.

use crate::error::ApiError;
use crate::extract::{bearer, ApiUser, RequestId};
use crate::AppState;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use ramp_app::model::DigitalDevice;
use ramp_app::AppError;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct DigitalDeviceDto {
    pub device_number: String,
    pub article_number: String,
    /// The article's name.
    pub model: String,
    /// Ramp's internal patient id: a reference, not an identity (the
    /// personal identity number is read through `/api/v1/patients/...`
    /// under the care-relationship rules).
    pub patient_ref: Option<i64>,
    pub unit_id: Option<i64>,
    pub unit_name: Option<String>,
    /// Whether the device holds a live secret.
    pub has_secret: bool,
}

impl From<&DigitalDevice> for DigitalDeviceDto {
    fn from(d: &DigitalDevice) -> Self {
        Self {
            device_number: d.device_number.clone(),
            article_number: d.article_number.clone(),
            model: d.model.clone(),
            patient_ref: d.patient_id,
            unit_id: d.unit_id,
            unit_name: d.unit_name.clone(),
            has_secret: d.has_credential,
        }
    }
}

/// Digital devices lent to patients now, with the unit responsible for
/// each (the ordering unit of the last delivery, else the patient's care
/// unit). The centre's staff (administrators among them) see all; care
/// staff see their own unit's. Audited as one read.
#[utoipa::path(get, path = "/api/v1/digital/devices", tag = "digital", security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "the devices, by device number", body = [DigitalDeviceDto]),
    (status = 403, description = "no unit and no centre role (code unit_required)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
) -> Result<Json<Vec<DigitalDeviceDto>>, ApiError> {
    let devices = ramp_app::digital::lent_devices(&state.app, &user, Some(&rid)).await?;
    Ok(Json(devices.iter().map(DigitalDeviceDto::from).collect()))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SecretDto {
    pub device_number: String,
    /// Shown once: only its hash is stored. Any earlier secret of the device is revoked.
    pub secret: String,
}

/// A new secret for a lent digital device (administrators). The device
/// sends it as `Authorization: Bearer` over HTTP and as its MQTT password.
#[utoipa::path(post, path = "/api/v1/digital/devices/{device_number}/secret", tag = "digital", params(("device_number" = String, Path, description = "the device number")), security(("token" = []), ("session" = [])), responses(
    (status = 201, description = "the secret, shown once", body = SecretDto),
    (status = 403, description = "not an administrator (code admin_required)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "no digital device has this number", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 409, description = "the device is not lent to a patient (code device_not_lent)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn issue_secret(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(number): Path<String>,
) -> Result<(StatusCode, Json<SecretDto>), ApiError> {
    let secret = ramp_app::digital::issue_token(&state.app, &number, Some(&user)).await?;
    Ok((StatusCode::CREATED, Json(SecretDto { device_number: number, secret })))
}

/// Revokes the device's secret (administrators): it can no longer report.
#[utoipa::path(delete, path = "/api/v1/digital/devices/{device_number}/secret", tag = "digital", params(("device_number" = String, Path, description = "the device number")), security(("token" = []), ("session" = [])), responses(
    (status = 204, description = "revoked"),
    (status = 403, description = "not an administrator (code admin_required)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "no digital device has this number", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 409, description = "the device has no live secret (code no_live_secret)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn revoke_secret(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(number): Path<String>,
) -> Result<StatusCode, ApiError> {
    ramp_app::digital::revoke_token(&state.app, &number, Some(&user)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A measurement, as `{"id": "<uuid>", "kind": "...", "at": "<RFC 3339>",
/// "values": {"<name>": <number>, ...}}`.
/// Only the OpenAPI schema: the handler passes the raw bytes to the one
/// parser HTTP and MQTT share (`ramp_domain::measurement`).
#[allow(dead_code)]
#[derive(Debug, ToSchema)]
pub struct MeasurementBody {
    /// Chosen by the device; the same id again is accepted and stored once.
    pub id: String,
    /// blood_pressure | weight | spo2 | glucose | temperature | dose
    pub kind: String,
    /// When it was measured (RFC 3339), at most 10 minutes ahead of Ramp's clock.
    pub at: String,
    /// blood_pressure: systolic, diastolic (mmHg), pulse (/min); weight: kg; spo2: percent, pulse;
    /// glucose: mmol_per_l; temperature: celsius; dose: taken (1 taken, 0 missed).
    pub values: std::collections::BTreeMap<String, f64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AcceptedDto {
    /// False when the device had sent this id before: nothing new was stored.
    pub new: bool,
    /// Whether the measurement raised an alarm.
    pub alarm: bool,
}

/// A device reports a measurement with its own secret. 202 means stored
/// (committed); a repeated `id` is accepted and stored once.
#[utoipa::path(post, path = "/api/v1/digital/measurements", tag = "digital", request_body = MeasurementBody, security(("device_secret" = [])), responses(
    (status = 202, description = "stored (or stored before)", body = AcceptedDto),
    (status = 401, description = "missing, unknown or revoked device secret (code invalid_device_secret)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 403, description = "the device is not lent to a patient now (code device_not_lent)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "the field that is wrong: id, kind, at (invalid or more than 10 minutes ahead), values or values.<name> (missing, unknown, not a number, outside physical limits), or body (not JSON)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn ingest(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, Json<AcceptedDto>), ApiError> {
    let secret = bearer(&headers).ok_or_else(|| {
        AppError::unauthenticated("invalid_device_secret", "send the device secret as Authorization: Bearer")
    })?;
    let done = ramp_app::digital::ingest_http(&state.app, secret, &body).await?;
    Ok((StatusCode::ACCEPTED, Json(AcceptedDto { new: done.new, alarm: done.alarmed })))
}
