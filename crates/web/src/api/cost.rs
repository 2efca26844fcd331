//! Cost-responsibility decisions over HTTP: the same contract as `ramp decide`.

use crate::error::ApiError;
use crate::extract::ApiUser;
use crate::AppState;
use axum::extract::State;
use axum::Json;
use ramp_app::AppError;
use ramp_domain::cost::DecisionRequest;

/// Decides who pays. Body: the decision input object (region, date,
/// patient {age | birth_date}, setting, product {iso, kind, facts}, need).
/// Answer: a decision with payer, channel, trust-prescription, rule,
/// agreement version, explanation (sv/en) and source — or `needs` listing
/// the facts to ask. Invalid input is 422 naming the field.
#[utoipa::path(post, path = "/api/v1/cost-responsibility/decisions", tag = "cost-responsibility", request_body(content = Object, description = "decision input, see `ramp decide`"), security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "a decision or the facts needed", body = Object),
    (status = 422, description = "invalid input, naming the field", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn decide(
    State(state): State<AppState>,
    ApiUser(_): ApiUser,
    body: String,
) -> Result<Json<serde_json::Value>, ApiError> {
    let req = DecisionRequest::from_json(&body)?;
    let outcome = state.agreements.current().decide(&req)?;
    let value = serde_json::to_value(&outcome).map_err(|e| AppError::internal("serialize decision", e))?;
    Ok(Json(value))
}
