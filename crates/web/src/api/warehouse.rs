//! The warehouse's goods in over HTTP (issue 19): purchase orders to
//! suppliers, on-hand stock per article with reorder thresholds, what is
//! below its threshold, and consumables per batch. Receipts themselves are
//! `POST /api/v1/receipts` (with `purchase_order_id` to receive against an order).

use crate::error::ApiError;
use crate::extract::{ApiJson, ApiUser};
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, put};
use axum::{Json, Router};
use ramp_app::dates::parse_optional_date;
use ramp_app::supply as s;
use ramp_app::warehouse as w;
use ramp_app::AppError;
use serde::Deserialize;
use serde_json::{json, Value};
use utoipa::{IntoParams, OpenApi, ToSchema};

#[derive(OpenApi)]
#[openapi(
    paths(purchase_orders, create_purchase_order, purchase_order, on_hand, batches, set_threshold, below_threshold),
    tags((name = "warehouse", description = "Goods in: purchase orders to suppliers, on-hand stock against reorder thresholds, consumables per batch. Warehouse staff (reading also finance)."))
)]
pub struct WarehouseApi;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/purchase-orders", get(purchase_orders).post(create_purchase_order))
        .route("/api/v1/purchase-orders/{id}", get(purchase_order))
        .route("/api/v1/warehouses/{id}/on-hand", get(on_hand))
        .route("/api/v1/warehouses/{id}/batches", get(batches))
        .route("/api/v1/warehouses/{id}/thresholds/{article_number}", put(set_threshold))
        .route("/api/v1/stock/below-threshold", get(below_threshold))
}

fn to_json(v: impl serde::Serialize) -> Result<Json<Value>, ApiError> {
    Ok(Json(serde_json::to_value(v).map_err(|e| AppError::internal("serialize", e))?))
}

fn id_of(raw: &str, field: &str) -> Result<i64, AppError> {
    raw.trim().parse().map_err(|_| AppError::invalid(field.to_string(), "invalid_id", "an id is a number"))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PurchaseOrdersQuery {
    /// `open` (default) or `all`.
    pub status: Option<String>,
}

/// Purchase orders by expected delivery date; `overdue` marks open ones expected before today.
#[utoipa::path(get, path = "/api/v1/purchase-orders", tag = "warehouse", params(PurchaseOrdersQuery), security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "purchase orders with their lines (ordered, received)", body = Object),
    (status = 401, description = "not logged in", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 403, description = "role_required", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "invalid_status (field status)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn purchase_orders(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<PurchaseOrdersQuery>,
) -> Result<Json<Value>, ApiError> {
    let open_only = match q.status.as_deref() {
        None | Some("open") => true,
        Some("all") => false,
        Some(_) => return Err(AppError::invalid("status", "invalid_status", "open or all").into()),
    };
    to_json(s::purchase_orders(&state.app, &user, open_only).await?)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PurchaseLineBody {
    pub article_number: String,
    pub quantity: i32,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PurchaseOrderBody {
    pub supplier_id: i64,
    pub warehouse_id: i64,
    /// `YYYY-MM-DD`, today or later.
    pub expected_on: String,
    pub lines: Vec<PurchaseLineBody>,
}

/// Orders articles from a supplier into a warehouse, expected on a date. Each article once, from that supplier.
#[utoipa::path(post, path = "/api/v1/purchase-orders", tag = "warehouse", request_body = PurchaseOrderBody, security(("token" = []), ("session" = [])), responses(
    (status = 201, description = "created: `{\"purchase_order_id\": n}`", body = Object),
    (status = 401, description = "not logged in", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 403, description = "role_required", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "invalid field or line, naming it (e.g. `lines[1].article_number`)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn create_purchase_order(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(b): ApiJson<PurchaseOrderBody>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let req = s::PurchaseOrderRequest {
        supplier_id: b.supplier_id,
        warehouse_id: b.warehouse_id,
        expected_on: parse_optional_date("expected_on", Some(&b.expected_on), "2027-02-01")?,
        lines: b
            .lines
            .into_iter()
            .map(|l| s::PurchaseLineRequest { article_number: l.article_number, quantity: l.quantity })
            .collect(),
    };
    let id = s::create_purchase_order(&state.app, &user, &req).await?;
    Ok((StatusCode::CREATED, Json(json!({ "purchase_order_id": id }))))
}

/// One purchase order with what is received of each line.
#[utoipa::path(get, path = "/api/v1/purchase-orders/{id}", tag = "warehouse", params(("id" = i64, Path, description = "the purchase order")), security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "the purchase order", body = Object),
    (status = 401, description = "not logged in", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 403, description = "role_required", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "purchase_order_not_found", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn purchase_order(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id = id_of(&id, "id")?;
    to_json(s::purchase_order(&state.app, &user, id).await?)
}

/// On hand per article in a warehouse (devices in stock plus counted consumables) with its reorder threshold.
#[utoipa::path(get, path = "/api/v1/warehouses/{id}/on-hand", tag = "warehouse", params(("id" = i64, Path, description = "the warehouse")), security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "article, on_hand, threshold", body = Object),
    (status = 401, description = "not logged in", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 403, description = "role_required", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "warehouse_not_found", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn on_hand(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id = id_of(&id, "id")?;
    to_json(w::on_hand(&state.app, &user, id).await?)
}

/// Counted consumables per batch in a warehouse, soonest expiry first.
#[utoipa::path(get, path = "/api/v1/warehouses/{id}/batches", tag = "warehouse", params(("id" = i64, Path, description = "the warehouse")), security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "article, batch, expiry_date, quantity", body = Object),
    (status = 401, description = "not logged in", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 403, description = "role_required", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "warehouse_not_found", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn batches(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id = id_of(&id, "id")?;
    to_json(w::batches(&state.app, &user, id).await?)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ThresholdBody {
    /// Reorder when on hand falls below this (0–1,000,000); `null` removes the threshold.
    pub threshold: Option<i32>,
}

/// Sets the reorder threshold of an article in a warehouse.
#[utoipa::path(put, path = "/api/v1/warehouses/{id}/thresholds/{article_number}", tag = "warehouse", request_body = ThresholdBody, params(("id" = i64, Path, description = "the warehouse"), ("article_number" = String, Path, description = "the article")), security(("token" = []), ("session" = [])), responses(
    (status = 204, description = "set"),
    (status = 401, description = "not logged in", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 403, description = "role_required", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "warehouse_not_found", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "article_not_found (field article_number), invalid_threshold (field threshold)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn set_threshold(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path((id, article_number)): Path<(String, String)>,
    ApiJson(b): ApiJson<ThresholdBody>,
) -> Result<StatusCode, ApiError> {
    let id = id_of(&id, "id")?;
    w::set_threshold(&state.app, &user, id, &article_number, b.threshold).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Every article and warehouse whose on-hand is below its reorder threshold.
#[utoipa::path(get, path = "/api/v1/stock/below-threshold", tag = "warehouse", security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "warehouse, article, on_hand, threshold", body = Object),
    (status = 401, description = "not logged in", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 403, description = "role_required", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn below_threshold(State(state): State<AppState>, ApiUser(user): ApiUser) -> Result<Json<Value>, ApiError> {
    to_json(w::below_threshold(&state.app, &user).await?)
}
