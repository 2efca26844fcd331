//! Warehouses and stock, for HMC staff.

use super::dto::{StockLineDto, WarehouseDto};
use crate::error::ApiError;
use crate::extract::ApiUser;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::Json;
use ramp_app::AppError;
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WarehousesQuery {
    /// `central` or `buffer`.
    pub kind: Option<String>,
    /// Words the name contains (case-insensitive).
    pub name: Option<String>,
}

/// Warehouses and buffer stores: central ones first, then by name in Swedish order (å ä ö after z), filtered by kind and name.
#[utoipa::path(get, path = "/api/v1/warehouses", tag = "stock", params(WarehousesQuery), security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "warehouses", body = Vec<WarehouseDto>),
    (status = 403, description = "not HMC staff", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "invalid_kind (field kind)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn warehouses(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<WarehousesQuery>,
) -> Result<Json<Vec<WarehouseDto>>, ApiError> {
    let filter = ramp_app::warehouse::WarehouseFilter { kind: q.kind, name: q.name };
    let ws = ramp_app::warehouse::warehouses(&state.app, &user, &filter).await?;
    Ok(Json(ws.into_iter().map(|w| WarehouseDto { id: w.id, code: w.code, name: w.name, kind: w.kind }).collect()))
}

/// Stock per article in one warehouse.
#[utoipa::path(get, path = "/api/v1/warehouses/{id}/stock", tag = "stock", params(("id" = i64, Path, description = "warehouse id")), security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "stock lines", body = Vec<StockLineDto>),
    (status = 404, description = "no such warehouse", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn stock(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<String>,
) -> Result<Json<Vec<StockLineDto>>, ApiError> {
    let id: i64 = id.parse().map_err(|_| AppError::invalid("id", "invalid_id", "the warehouse id is a number"))?;
    let o = ramp_app::stock::stock_overview(&state.app, &user, Some(id)).await?;
    Ok(Json(
        o.lines
            .into_iter()
            .map(|l| StockLineDto {
                article_number: l.article_number,
                article_name: l.article_name,
                iso_code: l.iso_code,
                in_stock: l.in_stock,
                reserved: l.reserved,
            })
            .collect(),
    ))
}
