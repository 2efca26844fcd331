//! Catalog search.

use super::dto::{ArticleDto, ArticleHitDto};
use crate::error::ApiError;
use crate::extract::ApiUser;
use crate::AppState;
use axum::extract::{Query, State};
use axum::Json;
use ramp_app::AppError;
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Debug, Deserialize, IntoParams)]
pub struct SearchParams {
    /// Name words, an article number, or an ISO 9999 code or prefix ("12 06 06", "1206").
    pub q: Option<String>,
    /// At most this many hits (1–200, default 50).
    pub limit: Option<String>,
}

/// Searches the catalog by name, article number or ISO 9999 code.
#[utoipa::path(get, path = "/api/v1/articles", tag = "catalog", params(SearchParams), security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "matching articles with stock counts", body = Vec<ArticleHitDto>),
    (status = 422, description = "q or limit invalid", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn search(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(p): Query<SearchParams>,
) -> Result<Json<Vec<ArticleHitDto>>, ApiError> {
    let limit = match p.limit.as_deref() {
        None => 50,
        Some(s) => s
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=200).contains(n))
            .ok_or_else(|| AppError::invalid("limit", "invalid_limit", "limit must be a number from 1 to 200"))?,
    };
    let hits = ramp_app::catalog::search(&state.app, &user, p.q.as_deref().unwrap_or(""), limit).await?;
    Ok(Json(
        hits.iter().map(|h| ArticleHitDto { article: ArticleDto::from(&h.article), in_stock: h.in_stock }).collect(),
    ))
}
