//! Cost-responsibility decisions over HTTP: the same contract as `ramp decide`.

use crate::error::ApiError;
use crate::extract::ApiUser;
use crate::AppState;
use axum::extract::State;
use axum::Json;
use ramp_app::AppError;
use ramp_domain::cost::DecisionRequest;

/// Decides who pays. Body: the decision input object (region, date,
/// patient {age | birth_date}, setting, product {iso, kind, facts}, need;
/// `iso` may be left out for a nutrition product only).
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

#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CostlyTreatmentBody {
    /// The patient's cost for the month in öre (1 SEK = 100 öre).
    pub monthly_cost_ore: i64,
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct CostlyTreatmentDto {
    pub monthly_cost_ore: i64,
    pub threshold_ore: i64,
    pub share_percent: i64,
    /// What the region reimburses: the share of the cost above the threshold.
    pub reimbursement_ore: i64,
    pub source: String,
}

/// The costly-treatment application (Region Stockholm): the region
/// reimburses 75 % of a patient's monthly cost above 10,000 SEK.
#[utoipa::path(post, path = "/api/v1/cost-responsibility/costly-treatment", tag = "cost-responsibility", request_body = CostlyTreatmentBody, security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "the reimbursement and its basis", body = CostlyTreatmentDto),
    (status = 422, description = "a negative cost", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn costly_treatment(
    ApiUser(_): ApiUser,
    crate::extract::ApiJson(body): crate::extract::ApiJson<CostlyTreatmentBody>,
) -> Result<Json<CostlyTreatmentDto>, ApiError> {
    if body.monthly_cost_ore < 0 {
        return Err(
            AppError::invalid("monthly_cost_ore", "negative_amount", "the monthly cost cannot be negative").into()
        );
    }
    ramp_domain::money::check_amount("monthly_cost_ore", body.monthly_cost_ore)?;
    let c = ramp_domain::cost::CostlyTreatment::for_monthly_cost(ramp_domain::money::Ore(body.monthly_cost_ore));
    Ok(Json(CostlyTreatmentDto {
        monthly_cost_ore: c.monthly_cost.0,
        threshold_ore: c.threshold.0,
        share_percent: c.share_percent,
        reimbursement_ore: c.reimbursement.0,
        source: "Region Stockholm, särskild ansökan för kostsamma behandlingshjälpmedel (seed 000): \"Vårdgivaren ersätts i efterskott med 75% av kostnaden över 10 tkr.\"".into(),
    }))
}
