//! The record of administrative changes, filtered and paged.

use super::caller;
use super::dto::ChangePageDto;
use crate::error::ApiError;
use crate::extract::{ApiUser, RequestId};
use crate::AppState;
use axum::extract::{Query, State};
use axum::Json;
use ramp_app::admin as uc;
use ramp_app::dates::parse_optional_date;
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ChangeParams {
    /// principal | customer_number | unit | user | api_token | article | product_area
    pub entity: Option<String>,
    /// The changed row's id (with `entity`).
    pub entity_id: Option<i64>,
    /// Changes made by this user.
    pub actor_user_id: Option<i64>,
    /// e.g. `create`, `deactivate`, `set_roles`.
    pub action: Option<String>,
    /// done | refused
    pub outcome: Option<String>,
    /// First day, `YYYY-MM-DD` (Stockholm).
    pub from: Option<String>,
    /// Last day, `YYYY-MM-DD` (Stockholm), included.
    pub to: Option<String>,
    /// Rows older than this id: the previous page's `next_before`.
    pub before: Option<i64>,
    /// 1 to 500, default 50.
    pub limit: Option<i64>,
}

/// Every administrative change (and refused attempt), newest first: who,
/// when, what, and the row before and after. For administrators and audit
/// reviewers (a reviewer's reading is written to the audit log).
#[utoipa::path(get, path = "/api/v1/admin/changes", tag = "admin", params(ChangeParams), security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "one page of changes", body = ChangePageDto),
    (status = 403, description = "role_required", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "invalid_entity (entity), invalid_outcome (outcome), invalid_date (from, to), after_to (to), invalid_limit (limit)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    Query(p): Query<ChangeParams>,
) -> Result<Json<ChangePageDto>, ApiError> {
    let filter = uc::ChangeFilter {
        from: parse_optional_date("from", p.from.as_deref(), "2026-01-01")?,
        to: parse_optional_date("to", p.to.as_deref(), "2026-12-31")?,
        entity: p.entity,
        entity_id: p.entity_id,
        actor_user_id: p.actor_user_id,
        action: p.action,
        outcome: p.outcome,
        before_id: p.before,
        limit: p.limit,
    };
    let page = uc::list_changes(&state.app, caller(&user, &rid), &filter).await?;
    Ok(Json(ChangePageDto::from(&page)))
}
