//! Patients: the device overview and emergency access. The personal
//! identity number travels in the body, never in the URL, so it does not
//! end up in access logs or browser history.

use super::dto::PatientOverviewDto;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiUser, RequestId};
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PatientRef {
    /// Personnummer or samordningsnummer, e.g. `19121212-1212`.
    pub personal_id: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmergencyAccessBody {
    pub personal_id: String,
    /// urgent_care | unregistered_care_relationship | device_safety | other
    pub category: String,
    /// Why the record must be opened without a care relationship, 20 to
    /// 2,000 characters (stored, reviewed).
    pub reason: String,
}

/// The patient's device overview ("hjälpmedelsbild"). Needs a care
/// relationship, a declared emergency access or an HMC role; every call
/// writes an audit row, refusals too. A personal identity number that is
/// no patient here gets the same answer as a patient without a ground
/// (403 `care_relationship_required`), so the answer reveals nothing.
#[utoipa::path(post, path = "/api/v1/patients/overview", tag = "patients", request_body = PatientRef, security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "the overview", body = PatientOverviewDto),
    (status = 403, description = "no care relationship, or no such patient (code care_relationship_required)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "no such patient (HMC staff only, who see every patient)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "invalid personal identity number", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn overview(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    ApiJson(body): ApiJson<PatientRef>,
) -> Result<Json<PatientOverviewDto>, ApiError> {
    let o = ramp_app::patients::open_patient(&state.app, &user, &body.personal_id, Some(&rid)).await?;
    Ok(Json(PatientOverviewDto::from(&o)))
}

/// Declares emergency access ("nödåtkomst") to a patient for four hours:
/// only roles the region allows (by default prescribers at a unit), with a
/// category and a reason; stored and listed for review. A refused
/// declaration is audited as refused.
#[utoipa::path(post, path = "/api/v1/patients/emergency-access", tag = "patients", request_body = EmergencyAccessBody, security(("token" = []), ("session" = [])), responses(
    (status = 204, description = "granted for a limited time"),
    (status = 403, description = "emergency_access_not_allowed: the role may not declare it (audited)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "patient_not_found (audited)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "reason too short (field reason), category unknown (field category) or personal id invalid", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn emergency_access(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    ApiJson(body): ApiJson<EmergencyAccessBody>,
) -> Result<StatusCode, ApiError> {
    let b = &body;
    ramp_app::patients::declare_emergency_access(&state.app, &user, &b.personal_id, &b.category, &b.reason, Some(&rid))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
