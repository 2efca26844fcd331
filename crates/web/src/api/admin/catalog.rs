//! Catalog articles: create, edit, retire.

use super::caller;
use super::dto::*;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiUser, RequestId};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use ramp_app::admin as uc;
use ramp_app::dates::parse_date;

/// Creates a catalog article.
#[utoipa::path(post, path = "/api/v1/admin/articles", tag = "admin", request_body = ArticleBody, security(("token" = []), ("session" = [])), responses(
    (status = 201, description = "created", body = CreatedDto),
    (status = 403, description = "role_required", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "invalid_article_number, article_number_taken (article_number); invalid_iso_code (iso_code); invalid_gtin (gtin); required, too_long (name, supplier); invalid_amount (purchase_price_ore, monthly_rent_ore); invalid_kind, invalid_billing, invalid_lead_time_class; invalid_service_life; unknown_product_area; invalid_date (valid_from, valid_to); after_to (valid_to); unknown_technical_key, duplicate_key (technical_data[i].key); invalid_value (technical_data[i].value); too_many_rows (technical_data); too_long (handbook_text)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn create_article(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    ApiJson(b): ApiJson<ArticleBody>,
) -> Result<(StatusCode, Json<CreatedDto>), ApiError> {
    let id = uc::create_article(&state.app, caller(&user, &rid), &b.input()?).await?;
    Ok((StatusCode::CREATED, Json(CreatedDto { id })))
}

/// Changes an article; its number stays.
#[utoipa::path(put, path = "/api/v1/admin/articles/{article_number}", tag = "admin", request_body = ArticleBody, params(("article_number" = String, Path, description = "the article")), security(("token" = []), ("session" = [])), responses(
    (status = 204, description = "changed"),
    (status = 403, description = "role_required", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "article_not_found", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "as when creating", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn edit_article(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    Path(article_number): Path<String>,
    ApiJson(b): ApiJson<ArticleBody>,
) -> Result<StatusCode, ApiError> {
    uc::edit_article(&state.app, caller(&user, &rid), &article_number, &b.input()?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Retires an article: `valid_to` is its last day in the assortment.
#[utoipa::path(post, path = "/api/v1/admin/articles/{article_number}/retire", tag = "admin", request_body = RetireBody, params(("article_number" = String, Path, description = "the article")), security(("token" = []), ("session" = [])), responses(
    (status = 204, description = "retired"),
    (status = 403, description = "role_required", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "article_not_found", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "invalid_date, after_to (field valid_to)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn retire_article(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    Path(article_number): Path<String>,
    ApiJson(b): ApiJson<RetireBody>,
) -> Result<StatusCode, ApiError> {
    let last_day = parse_date("valid_to", &b.valid_to, "2027-12-31")?;
    uc::retire_article(&state.app, caller(&user, &rid), &article_number, last_day).await?;
    Ok(StatusCode::NO_CONTENT)
}
