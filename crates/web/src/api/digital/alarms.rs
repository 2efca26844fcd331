//! The unit's alarms, and one patient's measurements and thresholds.

use crate::error::ApiError;
use crate::extract::{ApiJson, ApiUser, RequestId};
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, Utc};
use ramp_app::digital::{self as uc, PatientMeasurements, ThresholdInput};
use ramp_app::model::{AlarmRow, MeasurementRow};
use ramp_domain::Term;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Serialize, ToSchema)]
pub struct AlarmDto {
    pub id: i64,
    /// Ramp's internal patient id (see `DigitalDeviceDto.patient_ref`).
    pub patient_ref: i64,
    pub device_number: String,
    pub model: String,
    /// The responsible unit the alarm is routed to.
    pub unit_id: i64,
    pub unit_name: String,
    /// threshold | missed_dose | silent (the device stopped reporting)
    pub reason: String,
    /// What breached, e.g. `systolic 185 ≥ 180`; for a silent device the
    /// expected interval, e.g. `silent 24 h`.
    pub detail: String,
    /// open | acknowledged | closed
    pub state: String,
    pub raised_at: DateTime<Utc>,
    /// The breaching measurement's time (none for a silent device).
    pub measured_at: Option<DateTime<Utc>>,
    /// Set when nobody acknowledged it within the configured time.
    pub escalated_at: Option<DateTime<Utc>>,
    pub escalated_to_unit_id: Option<i64>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub acknowledged_by: Option<String>,
    pub note: Option<String>,
    pub closed_at: Option<DateTime<Utc>>,
}

impl From<&AlarmRow> for AlarmDto {
    fn from(a: &AlarmRow) -> Self {
        Self {
            id: a.id,
            patient_ref: a.patient_id,
            device_number: a.device_number.clone(),
            model: a.model.clone(),
            unit_id: a.unit_id,
            unit_name: a.unit_name.clone(),
            reason: a.reason.as_str().into(),
            detail: a.detail.clone(),
            state: a.state.as_str().into(),
            raised_at: a.raised_at,
            measured_at: a.measured_at,
            escalated_at: a.escalated_at,
            escalated_to_unit_id: a.escalated_to_unit_id,
            acknowledged_at: a.acknowledged_at,
            acknowledged_by: a.acknowledged_by_name.clone(),
            note: a.acknowledgement_note.clone(),
            closed_at: a.closed_at,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AlarmQuery {
    /// Include closed alarms (default false).
    #[serde(default)]
    pub include_closed: bool,
}

/// The alarms routed or escalated to the caller's unit (every unit's for
/// the centre's staff), newest first, of patients the caller may read;
/// each patient shown is audited. Escalates alarms that are due first.
#[utoipa::path(get, path = "/api/v1/digital/alarms", tag = "digital", params(AlarmQuery), security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "the alarms", body = [AlarmDto]),
    (status = 403, description = "no unit and no centre role (code unit_required)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    Query(q): Query<AlarmQuery>,
) -> Result<Json<Vec<AlarmDto>>, ApiError> {
    let alarms = uc::unit_alarms(&state.app, &user, q.include_closed, Some(&rid)).await?;
    Ok(Json(alarms.iter().map(AlarmDto::from).collect()))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcknowledgeBody {
    /// What was done, e.g. "Ringt patienten, ommätning 145/90".
    pub note: String,
}

/// Acknowledges an open alarm with a note.
#[utoipa::path(post, path = "/api/v1/digital/alarms/{id}/acknowledgement", tag = "digital", params(("id" = i64, Path, description = "the alarm")), request_body = AcknowledgeBody, security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "the acknowledged alarm", body = AlarmDto),
    (status = 403, description = "no ground to read the patient (code care_relationship_required)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "no alarm of the caller's unit has this id", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 409, description = "already acknowledged or closed (code alarm_not_open)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "empty or too long note (field note)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn acknowledge(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<AcknowledgeBody>,
) -> Result<Json<AlarmDto>, ApiError> {
    let alarm = uc::acknowledge(&state.app, &user, id, &body.note, Some(&rid)).await?;
    Ok(Json(AlarmDto::from(&alarm)))
}

/// Closes an alarm (acknowledging it too if nobody had).
#[utoipa::path(post, path = "/api/v1/digital/alarms/{id}/close", tag = "digital", params(("id" = i64, Path, description = "the alarm")), security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "the closed alarm", body = AlarmDto),
    (status = 403, description = "no ground to read the patient (code care_relationship_required)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "no alarm of the caller's unit has this id", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 409, description = "already closed (code alarm_closed)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn close(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    Path(id): Path<i64>,
) -> Result<Json<AlarmDto>, ApiError> {
    let alarm = uc::close(&state.app, &user, id, Some(&rid)).await?;
    Ok(Json(AlarmDto::from(&alarm)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PatientBody {
    /// Personnummer or samordningsnummer, e.g. `19121212-1212`.
    pub personal_id: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MeasurementDto {
    pub device_number: String,
    /// The device's own id of the report.
    pub id: String,
    /// blood_pressure | weight | spo2 | glucose | temperature | dose
    pub kind: String,
    pub at: DateTime<Utc>,
    pub received_at: DateTime<Utc>,
    /// http | mqtt
    pub channel: String,
    pub values: serde_json::Value,
}

impl From<&MeasurementRow> for MeasurementDto {
    fn from(m: &MeasurementRow) -> Self {
        Self {
            device_number: m.device_number.clone(),
            id: m.client_id.clone(),
            kind: m.kind.as_str().into(),
            at: m.measured_at,
            received_at: m.received_at,
            channel: m.channel.clone(),
            values: serde_json::from_str(&m.values_json).unwrap_or(serde_json::Value::Null),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LimitDto {
    pub kind: String,
    pub value: String,
    /// Alarm at or below.
    pub low: Option<f64>,
    /// Alarm at or above.
    pub high: Option<f64>,
    /// `patient` when a prescriber set it, `default` for the clinical default.
    pub source: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PatientMeasurementsDto {
    /// Newest first, at most 200.
    pub measurements: Vec<MeasurementDto>,
    pub limits: Vec<LimitDto>,
    /// Newest first.
    pub alarms: Vec<AlarmDto>,
}

impl From<&PatientMeasurements> for PatientMeasurementsDto {
    fn from(p: &PatientMeasurements) -> Self {
        Self {
            measurements: p.measurements.iter().map(MeasurementDto::from).collect(),
            limits: p
                .limits
                .iter()
                .map(|l| LimitDto {
                    kind: l.kind.as_str().into(),
                    value: l.value_name.into(),
                    low: l.low,
                    high: l.high,
                    source: if l.own { "patient" } else { "default" }.into(),
                })
                .collect(),
            alarms: p.alarms.iter().map(AlarmDto::from).collect(),
        }
    }
}

/// One patient's measurements, the limits in force and the alarm history.
/// Needs a care relationship, a declared emergency access or a centre
/// role; every call writes an audit row.
#[utoipa::path(post, path = "/api/v1/patients/measurements", tag = "digital", request_body = PatientBody, security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "the patient's digital view", body = PatientMeasurementsDto),
    (status = 403, description = "no care relationship (code care_relationship_required)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "invalid personal identity number (field personal_id)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn patient_measurements(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    ApiJson(body): ApiJson<PatientBody>,
) -> Result<Json<PatientMeasurementsDto>, ApiError> {
    let view = uc::patient_measurements(&state.app, &user, &body.personal_id, Some(&rid)).await?;
    Ok(Json(PatientMeasurementsDto::from(&view)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ThresholdBody {
    pub personal_id: String,
    /// blood_pressure | weight | spo2 | glucose | temperature
    pub kind: String,
    /// The value's name, e.g. `systolic`.
    pub value: String,
    /// Alarm at or below; null for no lower limit.
    pub low: Option<f64>,
    /// Alarm at or above; null for no upper limit. Both null restores the default.
    pub high: Option<f64>,
}

/// A prescriber sets the patient's own limits for one value (replacing the
/// clinical default for it). Needs a care relationship; audited.
#[utoipa::path(put, path = "/api/v1/patients/thresholds", tag = "digital", request_body = ThresholdBody, security(("token" = []), ("session" = [])), responses(
    (status = 204, description = "set"),
    (status = 403, description = "not a prescriber (code prescriber_required) or no care relationship (code care_relationship_required)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "the field that is wrong: personal_id, kind, value, low or high (outside physical limits, or high not above low)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn set_threshold(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    ApiJson(b): ApiJson<ThresholdBody>,
) -> Result<StatusCode, ApiError> {
    let input =
        ThresholdInput { personal_id: &b.personal_id, kind: &b.kind, value: &b.value, low: b.low, high: b.high };
    uc::set_threshold(&state.app, &user, &input, Some(&rid)).await?;
    Ok(StatusCode::NO_CONTENT)
}
