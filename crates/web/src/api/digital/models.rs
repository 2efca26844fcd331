//! Each digital device model's expected reporting interval
//! (administrators): a device silent for longer than its model's interval
//! (or, when none is set, its kind's default) raises a silent-device alarm.

use crate::error::ApiError;
use crate::extract::{ApiJson, ApiUser};
use crate::AppState;
use axum::extract::{Path, State};
use axum::Json;
use ramp_app::model::DigitalModel;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct DigitalModelDto {
    pub article_number: String,
    /// The model's name (the article's).
    pub name: String,
    /// Whole hours; `null`: the default of the kind the device reports
    /// (medication dispenser 24 h; blood pressure, weight 168 h; the others 72 h).
    pub expected_interval_hours: Option<i64>,
}

impl From<&DigitalModel> for DigitalModelDto {
    fn from(m: &DigitalModel) -> Self {
        Self {
            article_number: m.article_number.clone(),
            name: m.name.clone(),
            expected_interval_hours: m.expected_interval_hours,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct IntervalBody {
    /// Whole hours from 1 to 2160 (90 days); `null` returns the model to its kind's default.
    pub hours: Option<i64>,
}

/// The digital device models and the reporting interval set for each (administrators).
#[utoipa::path(get, path = "/api/v1/digital/models", tag = "digital", security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "the models, by article number", body = [DigitalModelDto]),
    (status = 403, description = "not an administrator (code admin_required)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<Vec<DigitalModelDto>>, ApiError> {
    let models = ramp_app::digital::digital_models(&state.app, &user).await?;
    Ok(Json(models.iter().map(DigitalModelDto::from).collect()))
}

/// Sets a model's expected reporting interval (administrators); the next
/// silent-device sweep uses it.
#[utoipa::path(put, path = "/api/v1/digital/models/{article_number}/expected-interval", tag = "digital", params(("article_number" = String, Path, description = "the model's article number")), request_body = IntervalBody, security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "the model as stored", body = DigitalModelDto),
    (status = 403, description = "not an administrator (code admin_required)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "no digital device model has this article number (code digital_model_not_found)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "hours outside 1–2160 (code interval_out_of_range, field hours)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn set_interval(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(article_number): Path<String>,
    ApiJson(body): ApiJson<IntervalBody>,
) -> Result<Json<DigitalModelDto>, ApiError> {
    let model = ramp_app::digital::set_model_interval(&state.app, &user, &article_number, body.hours).await?;
    Ok(Json(DigitalModelDto::from(&model)))
}
