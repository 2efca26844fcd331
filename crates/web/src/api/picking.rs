//! Picking, delivering and collecting by route over HTTP: the pick list,
//! a scan that picks one line, a scan at the door that delivers an order,
//! and the devices waiting to be collected. What a keyboard-wedge scanner
//! reads is sent as `code`, exactly as typed.

use super::supply::to_json;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiUser, RequestId};
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::Json;
use ramp_app::dates::parse_optional_date;
use ramp_app::supply as s;
use serde::Deserialize;
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PickQuery {
    /// Lines promised by this date (`YYYY-MM-DD`); default 7 working days ahead.
    pub until: Option<String>,
}

/// The pick list: open lines whose device is in this warehouse (and, on the first central warehouse, counted
/// consumables), by delivery route and promised date, with the address each goes to. Showing a patient's
/// delivery address is audited.
#[utoipa::path(get, path = "/api/v1/warehouses/{id}/pick-list", tag = "supply", params(("id" = i64, Path, description = "the warehouse"), PickQuery), security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "lines to pick, with whether each is picked and any blocking reason", body = Object),
    (status = 401, description = "not logged in", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 403, description = "role_required", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "warehouse_not_found", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "invalid_date (field until)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 503, description = "unavailable: the database cannot be reached (retry later)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn pick_list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    Path(id): Path<i64>,
    Query(q): Query<PickQuery>,
) -> Result<Json<Value>, ApiError> {
    let until = parse_optional_date("until", q.until.as_deref(), "2027-02-01")?;
    to_json(s::pick_list(&state.app, &user, id, until, Some(&rid)).await?)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PickScanBody {
    /// What the scanner read: a device number, an article's GTIN (GS1-128 `01…` or EAN-13) or article number.
    pub code: String,
    /// The pick list's last promised date (`YYYY-MM-DD`); default 7 working days ahead.
    pub until: Option<String>,
}

/// Picks the line the scanned code names on this warehouse's pick list; the order becomes picked with its last line.
#[utoipa::path(post, path = "/api/v1/warehouses/{id}/pick-scans", tag = "supply", request_body = PickScanBody, params(("id" = i64, Path, description = "the warehouse")), security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "the line picked, and whether its order is now picked", body = Object),
    (status = 401, description = "not logged in", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 403, description = "role_required", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "warehouse_not_found; not_on_pick_list (field code)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 409, description = "already_picked or blocked (field code)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "required, scan_a_line, scan_the_device (field code); invalid_date (field until)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 503, description = "unavailable: the database cannot be reached (retry later)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn pick_scan(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<PickScanBody>,
) -> Result<Json<Value>, ApiError> {
    let until = parse_optional_date("until", b.until.as_deref(), "2027-02-01")?;
    to_json(s::pick_scan(&state.app, &user, id, until, &b.code).await?)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeliveryScanBody {
    /// What the scanner read: the delivery note's order code (`ORD-<id>`) or a device of the order.
    pub code: String,
    /// Who took the delivery (at most 100 characters).
    pub received_by: Option<String>,
}

/// Delivers the picked order the scanned code names (its delivery note or one of its devices).
#[utoipa::path(post, path = "/api/v1/delivery-scans", tag = "supply", request_body = DeliveryScanBody, security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "the order, delivered", body = Object),
    (status = 401, description = "not logged in", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 403, description = "role_required", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "nothing_to_deliver (field code)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 409, description = "order_not_picked (field code); blocked; state_changed", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "required, scan_the_device (field code); too_long (field received_by)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 503, description = "unavailable: the database cannot be reached (retry later)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn delivery_scan(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(b): ApiJson<DeliveryScanBody>,
) -> Result<Json<Value>, ApiError> {
    let order = s::deliver_scan(&state.app, &user, &b.code, b.received_by.as_deref()).await?;
    Ok(Json(serde_json::json!({ "order_id": order.id, "status": order.status })))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PickupQuery {
    /// Only this delivery route.
    pub route: Option<String>,
}

/// Devices waiting to be collected (open pickup orders), by delivery route, with the address; showing a
/// patient's address is audited.
#[utoipa::path(get, path = "/api/v1/pickups", tag = "supply", params(PickupQuery), security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "pending pickups by route", body = Object),
    (status = 401, description = "not logged in", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 403, description = "role_required", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 503, description = "unavailable: the database cannot be reached (retry later)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn pickups(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    Query(q): Query<PickupQuery>,
) -> Result<Json<Value>, ApiError> {
    to_json(s::pending_pickups(&state.app, &user, q.route.as_deref(), Some(&rid)).await?)
}
