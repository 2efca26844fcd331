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

/// A product area as administered: its agreement area and drug-adjacent flag.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ProductAreaDto {
    pub code: String,
    pub name_sv: String,
    pub name_en: String,
    /// `cooperation` ("Samarbetsavtal"), `overenskommelsen` (medical treatment) or `digital`:
    /// the agreement area its deliveries are followed up under.
    pub agreement_area: String,
    /// Treatment devices close to pharmaceuticals: counted in the costly-treatment application.
    pub drug_adjacent: bool,
}

/// What a product area's edit sends.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct ProductAreaBody {
    /// `cooperation`, `overenskommelsen` or `digital`.
    pub agreement_area: String,
    pub drug_adjacent: bool,
}

/// Every product area with its agreement area and drug-adjacent flag.
#[utoipa::path(get, path = "/api/v1/admin/product-areas", tag = "admin", security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "the product areas, by code", body = Vec<ProductAreaDto>),
    (status = 403, description = "role_required", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn product_areas(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
) -> Result<Json<Vec<ProductAreaDto>>, ApiError> {
    let areas = uc::list_product_areas(&state.app, caller(&user, &rid)).await?;
    Ok(Json(
        areas
            .into_iter()
            .map(|a| ProductAreaDto {
                agreement_area: ramp_domain::Term::as_str(a.agreement_area).into(),
                code: a.code,
                name_sv: a.name_sv,
                name_en: a.name_en,
                drug_adjacent: a.drug_adjacent,
            })
            .collect(),
    ))
}

/// Sets a product area's agreement area and drug-adjacent flag; deliveries
/// from then on are counted under the new area. Recorded in the change log.
#[utoipa::path(put, path = "/api/v1/admin/product-areas/{code}", tag = "admin", request_body = ProductAreaBody, params(("code" = String, Path, description = "the product area")), security(("token" = []), ("session" = [])), responses(
    (status = 204, description = "changed"),
    (status = 403, description = "role_required", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "product_area_not_found (field code)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "invalid_agreement_area (field agreement_area)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn edit_product_area(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    Path(code): Path<String>,
    ApiJson(b): ApiJson<ProductAreaBody>,
) -> Result<StatusCode, ApiError> {
    let input = uc::ProductAreaInput { agreement_area: b.agreement_area, drug_adjacent: b.drug_adjacent };
    uc::edit_product_area(&state.app, caller(&user, &rid), &code, &input).await?;
    Ok(StatusCode::NO_CONTENT)
}
