//! Device cards.

use super::dto::DeviceCardDto;
use crate::error::ApiError;
use crate::extract::{ApiUser, RequestId};
use crate::AppState;
use axum::extract::{Path, State};
use axum::Json;

/// A device's card ("individkort"): article, loan and full history.
#[utoipa::path(get, path = "/api/v1/devices/{device_number}", tag = "devices", params(("device_number" = String, Path, description = "the device number")), security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "the card", body = DeviceCardDto),
    (status = 403, description = "the device is with a patient you have no care relationship with", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "no such device", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn card(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    Path(number): Path<String>,
) -> Result<Json<DeviceCardDto>, ApiError> {
    let card = ramp_app::devices::device_card(&state.app, &user, &number, Some(&rid)).await?;
    Ok(Json(DeviceCardDto::from(&card)))
}
