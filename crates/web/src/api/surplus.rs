//! Sale of surplus used basic equipment over HTTP: what may be sold, a
//! sale to a municipality at 30 % of the purchase price, complaints within
//! 30 days, and recording until when spare parts are available.

use super::consult_dto::{SaleDto, SurplusOverviewDto};
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiUser};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use ramp_app::dates::parse_optional_date;
use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SaleBody {
    pub device_number: String,
    /// The buying municipality's code, e.g. `0186`.
    pub municipality: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ComplaintBody {
    /// What is wrong with the device (5 to 2,000 characters).
    pub description: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SparePartsBody {
    /// `YYYY-MM-DD`, or null when unknown (which blocks sales).
    pub spare_parts_until: Option<String>,
}

/// Articles of earlier assortment whose central stock exceeds the demand
/// of the last 90 days, with their devices and prices; the municipalities
/// that may buy; the sales so far. HMC staff only.
#[utoipa::path(get, path = "/api/v1/surplus", tag = "surplus", security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "the surplus overview", body = SurplusOverviewDto),
    (status = 403, description = "role_required", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn overview(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<SurplusOverviewDto>, ApiError> {
    let o = ramp_app::surplus::overview(&state.app, &user).await?;
    Ok(Json(SurplusOverviewDto::from(&o)))
}

/// Sells a surplus device to a municipality as basic equipment at 30 % of
/// its purchase price (rounded half up to the öre). The device leaves the
/// fleet (state `sold`); a complaint may be made within 30 days.
#[utoipa::path(post, path = "/api/v1/surplus/sales", tag = "surplus", request_body = SaleBody, security(("token" = []), ("session" = [])), responses(
    (status = 201, description = "sold", body = SaleDto),
    (status = 403, description = "role_required (warehouse, finance, admin)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "device_not_found, principal_not_found", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 409, description = "device_not_in_stock, not_earlier_assortment, no_surplus, not_for_sale (field device_number); spare_parts_unknown, spare_parts_ending (field spare_parts_until)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "not_a_municipality, no_customer_number (field municipality)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn sell(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(body): ApiJson<SaleBody>,
) -> Result<(StatusCode, Json<SaleDto>), ApiError> {
    let s = ramp_app::surplus::sell(&state.app, &user, &body.device_number, &body.municipality).await?;
    Ok((StatusCode::CREATED, Json(SaleDto::from(&s))))
}

/// One sale with its complaints: HMC staff and the buyer's users.
#[utoipa::path(get, path = "/api/v1/surplus/sales/{id}", tag = "surplus", params(("id" = i64, Path, description = "the sale")), security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "the sale", body = SaleDto),
    (status = 403, description = "other_principal", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "sale_not_found", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn sale(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<SaleDto>, ApiError> {
    let s = ramp_app::surplus::sale(&state.app, &user, id).await?;
    Ok(Json(SaleDto::from(&s)))
}

/// Records that the buyer received the device today: the 30 days for
/// complaints start. The warehouse, finance or an administrator.
#[utoipa::path(post, path = "/api/v1/surplus/sales/{id}/delivery", tag = "surplus", params(("id" = i64, Path, description = "the sale")), security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "delivered; the sale with its complaint deadline", body = SaleDto),
    (status = 403, description = "role_required", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "sale_not_found", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 409, description = "already_delivered (field sale_id)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn deliver(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<SaleDto>, ApiError> {
    let s = ramp_app::surplus::deliver(&state.app, &user, id).await?;
    Ok(Json(SaleDto::from(&s)))
}

/// Registers a complaint ("reklamation"): accepted from delivery through
/// the 30th day after it; refused before delivery (409 not_delivered) and
/// later (409 complaint_window_closed), field `sale_id`, with `sold_on`,
/// `delivered_on` and `complaint_deadline`.
#[utoipa::path(post, path = "/api/v1/surplus/sales/{id}/complaints", tag = "surplus", request_body = ComplaintBody, params(("id" = i64, Path, description = "the sale")), security(("token" = []), ("session" = [])), responses(
    (status = 201, description = "registered; the sale with its complaints", body = SaleDto),
    (status = 409, description = "not_delivered, complaint_window_closed", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "description missing", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn complain(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<ComplaintBody>,
) -> Result<(StatusCode, Json<SaleDto>), ApiError> {
    let s = ramp_app::surplus::register_complaint(&state.app, &user, id, &body.description).await?;
    Ok((StatusCode::CREATED, Json(SaleDto::from(&s))))
}

/// Records until when the supplier keeps spare parts for an article.
#[utoipa::path(put, path = "/api/v1/surplus/articles/{article_number}/spare-parts", tag = "surplus", request_body = SparePartsBody, params(("article_number" = String, Path, description = "the article")), security(("token" = []), ("session" = [])), responses(
    (status = 204, description = "recorded"),
    (status = 404, description = "article_not_found", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "invalid_date (field spare_parts_until)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn spare_parts(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(article_number): Path<String>,
    ApiJson(body): ApiJson<SparePartsBody>,
) -> Result<StatusCode, ApiError> {
    let until = parse_optional_date("spare_parts_until", body.spare_parts_until.as_deref(), "2029-12-31")?;
    ramp_app::surplus::set_spare_parts_until(&state.app, &user, &article_number, until).await?;
    Ok(StatusCode::NO_CONTENT)
}
