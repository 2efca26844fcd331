//! Reports on a device out with a patient or unit: pickup order, fault, loss.

use crate::error::ApiError;
use crate::extract::{ApiJson, ApiUser, RequestId};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PickupBody {
    /// Where and when to collect, door code and the like.
    pub note: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PickupDto {
    pub id: i64,
    pub device_number: String,
    pub registered_on: NaiveDate,
    /// The last day of function rent: three working days after registration (Swedish public holidays computed).
    pub rent_end_date: NaiveDate,
    /// Deregistration from the holder is due by this day (seven working days).
    pub deregistration_due: NaiveDate,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FaultBody {
    /// What is wrong (at least 5 characters).
    pub description: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FaultDto {
    /// The repair work order created for the workshop.
    pub work_order_id: i64,
    pub device_number: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LostBody {
    /// How the device was lost (at least 5 characters).
    pub circumstances: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LostDto {
    pub id: i64,
    pub device_number: String,
    pub reported_on: NaiveDate,
}

/// Undoes the caller's pickup order of the device, the same day
/// (Europe/Stockholm) and only while nothing has happened to the device.
#[utoipa::path(delete, path = "/api/v1/devices/{device_number}/pickup-order", tag = "devices", params(("device_number" = String, Path, description = "the device number")), security(("token" = []), ("session" = [])), responses(
    (status = 204, description = "undone: the device stays with its holder and its rent goes on"),
    (status = 403, description = "no ground to act for the holder, or not_your_pickup", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "no_open_pickup", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 409, description = "undo_window_passed (registered another day) or pickup_in_progress (something happened to the device since)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn undo_pickup(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    Path(number): Path<String>,
) -> Result<StatusCode, ApiError> {
    ramp_app::orders::undo_pickup(&state.app, &user, &number, Some(&rid)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Registers a pickup order ("hämtorder"). A lost device cannot be picked up (409 device_lost).
#[utoipa::path(post, path = "/api/v1/devices/{device_number}/pickup-order", tag = "devices", request_body = PickupBody, params(("device_number" = String, Path, description = "the device number")), security(("token" = []), ("session" = [])), responses(
    (status = 201, description = "registered, with the rent end and deregistration dates", body = PickupDto),
    (status = 403, description = "no ground to act for the holder", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 409, description = "device_lost, device_not_out or pickup_already_registered", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn pickup(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    Path(number): Path<String>,
    ApiJson(body): ApiJson<PickupBody>,
) -> Result<(StatusCode, Json<PickupDto>), ApiError> {
    let p = ramp_app::orders::register_pickup(&state.app, &user, &number, body.note.as_deref(), Some(&rid)).await?;
    Ok((
        StatusCode::CREATED,
        Json(PickupDto {
            id: p.id,
            device_number: p.device_number,
            registered_on: p.registered_on,
            rent_end_date: p.rent_end_date,
            deregistration_due: p.deregistration_due,
        }),
    ))
}

/// Reports a fault: creates a repair work order for the workshop.
#[utoipa::path(post, path = "/api/v1/devices/{device_number}/fault-report", tag = "devices", request_body = FaultBody, params(("device_number" = String, Path, description = "the device number")), security(("token" = []), ("session" = [])), responses(
    (status = 201, description = "the work order", body = FaultDto),
    (status = 409, description = "the device cannot take a fault report in its state", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "description missing", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn fault(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    Path(number): Path<String>,
    ApiJson(body): ApiJson<FaultBody>,
) -> Result<(StatusCode, Json<FaultDto>), ApiError> {
    let id = ramp_app::orders::report_fault(&state.app, &user, &number, &body.description, Some(&rid)).await?;
    Ok((StatusCode::CREATED, Json(FaultDto { work_order_id: id, device_number: number.trim().to_string() })))
}

/// Reports a device lost: its loan ends today; the charge is computed by billing.
#[utoipa::path(post, path = "/api/v1/devices/{device_number}/lost-report", tag = "devices", request_body = LostBody, params(("device_number" = String, Path, description = "the device number")), security(("token" = []), ("session" = [])), responses(
    (status = 201, description = "recorded", body = LostDto),
    (status = 409, description = "the device is not out with a patient or unit", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "circumstances missing", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn lost(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    Path(number): Path<String>,
    ApiJson(body): ApiJson<LostBody>,
) -> Result<(StatusCode, Json<LostDto>), ApiError> {
    let l = ramp_app::orders::report_lost(&state.app, &user, &number, &body.circumstances, Some(&rid)).await?;
    Ok((StatusCode::CREATED, Json(LostDto { id: l.id, device_number: l.device_number, reported_on: l.reported_on })))
}
