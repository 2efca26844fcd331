//! Users (find, create, deactivate, reactivate, roles, unit, competences)
//! and API tokens of any user (list, revoke).

use super::caller;
use super::dto::*;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiUser, RequestId};
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use ramp_app::admin as uc;
use ramp_app::model::{TokenQuery, UserQuery};
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserParams {
    /// Part of the username or name, in any case.
    pub q: Option<String>,
    /// Only active (true) or deactivated (false) users.
    pub active: Option<bool>,
    pub unit_id: Option<i64>,
    /// 1 to 500, default 50.
    pub limit: Option<i64>,
    /// Rows to skip, default 0.
    pub offset: Option<i64>,
}

/// Users matching the query, by username.
#[utoipa::path(get, path = "/api/v1/admin/users", tag = "admin", params(UserParams), security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "the users", body = Vec<AdminUserDto>),
    (status = 403, description = "role_required", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    Query(p): Query<UserParams>,
) -> Result<Json<Vec<AdminUserDto>>, ApiError> {
    let q = UserQuery {
        text: p.q,
        active: p.active,
        unit_id: p.unit_id,
        limit: p.limit.unwrap_or(50),
        offset: p.offset.unwrap_or(0),
    };
    let list = uc::list_users(&state.app, caller(&user, &rid), &q).await?;
    Ok(Json(list.iter().map(AdminUserDto::from).collect()))
}

/// Creates a user with roles, a unit and competences.
#[utoipa::path(post, path = "/api/v1/admin/users", tag = "admin", request_body = UserBody, security(("token" = []), ("session" = [])), responses(
    (status = 201, description = "created", body = CreatedDto),
    (status = 403, description = "role_required", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "principal_not_found (field principal_id), unit_not_found (field unit_id)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "invalid_username, username_taken (username); required (display_name, roles); password_too_short (password); invalid_role (roles); unit_inactive, unit_of_other_principal (unit_id); unknown_competence, duplicate_competence, invalid_date, after_to (competences[i].…)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn create(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    ApiJson(b): ApiJson<UserBody>,
) -> Result<(StatusCode, Json<CreatedDto>), ApiError> {
    let input = uc::NewUserInput {
        competences: competences(&b.competences)?,
        username: b.username,
        display_name: b.display_name,
        password: b.password,
        hsa_id: b.hsa_id,
        principal_id: b.principal_id,
        unit_id: b.unit_id,
        roles: b.roles,
    };
    let id = uc::create_user(&state.app, caller(&user, &rid), &input).await?;
    Ok((StatusCode::CREATED, Json(CreatedDto { id })))
}

/// One user.
#[utoipa::path(get, path = "/api/v1/admin/users/{id}", tag = "admin", params(("id" = i64, Path, description = "the user")), security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "the user", body = AdminUserDto),
    (status = 403, description = "role_required", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "user_not_found", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn one(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    Path(id): Path<i64>,
) -> Result<Json<AdminUserDto>, ApiError> {
    let u = uc::user(&state.app, caller(&user, &rid), id).await?;
    Ok(Json(AdminUserDto::from(&u)))
}

/// Deactivates a user: they cannot log in, their sessions end and their
/// API tokens stop working. Not one's own account.
#[utoipa::path(post, path = "/api/v1/admin/users/{id}/deactivate", tag = "admin", params(("id" = i64, Path, description = "the user")), security(("token" = []), ("session" = [])), responses(
    (status = 204, description = "deactivated (or already so)"),
    (status = 403, description = "role_required", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "user_not_found", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "cannot_deactivate_self (field id)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn deactivate(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    uc::deactivate_user(&state.app, caller(&user, &rid), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Reactivates a user.
#[utoipa::path(post, path = "/api/v1/admin/users/{id}/reactivate", tag = "admin", params(("id" = i64, Path, description = "the user")), security(("token" = []), ("session" = [])), responses(
    (status = 204, description = "reactivated (or already active)"),
    (status = 403, description = "role_required", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "user_not_found", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn reactivate(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    uc::reactivate_user(&state.app, caller(&user, &rid), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Replaces a user's roles.
#[utoipa::path(put, path = "/api/v1/admin/users/{id}/roles", tag = "admin", request_body = RolesBody, params(("id" = i64, Path, description = "the user")), security(("token" = []), ("session" = [])), responses(
    (status = 204, description = "changed"),
    (status = 403, description = "role_required", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "user_not_found", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "required, invalid_role, cannot_remove_own_admin (field roles)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn set_roles(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<RolesBody>,
) -> Result<StatusCode, ApiError> {
    uc::set_roles(&state.app, caller(&user, &rid), id, &b.roles).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Moves a user to a unit of their principal, or to none.
#[utoipa::path(put, path = "/api/v1/admin/users/{id}/unit", tag = "admin", request_body = UserUnitBody, params(("id" = i64, Path, description = "the user")), security(("token" = []), ("session" = [])), responses(
    (status = 204, description = "changed"),
    (status = 403, description = "role_required", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "user_not_found, unit_not_found (field unit_id)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "unit_inactive, unit_of_other_principal (field unit_id)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn set_unit(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<UserUnitBody>,
) -> Result<StatusCode, ApiError> {
    uc::set_unit(&state.app, caller(&user, &rid), id, b.unit_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Replaces a user's competences, each valid from and to a day.
#[utoipa::path(put, path = "/api/v1/admin/users/{id}/competences", tag = "admin", request_body = CompetencesBody, params(("id" = i64, Path, description = "the user")), security(("token" = []), ("session" = [])), responses(
    (status = 204, description = "changed"),
    (status = 403, description = "role_required", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "user_not_found", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "unknown_competence, duplicate_competence (competences[i].competence); invalid_date (competences[i].valid_from / valid_to); after_to (competences[i].valid_to)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn set_competences(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<CompetencesBody>,
) -> Result<StatusCode, ApiError> {
    let list = competences(&b.competences)?;
    uc::set_competences(&state.app, caller(&user, &rid), id, &list).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TokenParams {
    /// Only this user's tokens.
    pub user_id: Option<i64>,
    /// Also revoked tokens (default false).
    pub include_revoked: Option<bool>,
    /// 1 to 500, default 100.
    pub limit: Option<i64>,
}

/// API tokens of any user, newest first (never the secret or its hash).
#[utoipa::path(get, path = "/api/v1/admin/tokens", tag = "admin", params(TokenParams), security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "the tokens", body = Vec<TokenDto>),
    (status = 403, description = "role_required", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn tokens(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    Query(p): Query<TokenParams>,
) -> Result<Json<Vec<TokenDto>>, ApiError> {
    let q = TokenQuery {
        user_id: p.user_id,
        include_revoked: p.include_revoked.unwrap_or(false),
        limit: p.limit.unwrap_or(100),
    };
    let list = uc::list_tokens(&state.app, caller(&user, &rid), &q).await?;
    Ok(Json(list.iter().map(TokenDto::from).collect()))
}

/// Revokes any user's API token; it stops working at once.
#[utoipa::path(post, path = "/api/v1/admin/tokens/{id}/revoke", tag = "admin", params(("id" = i64, Path, description = "the token's id")), security(("token" = []), ("session" = [])), responses(
    (status = 204, description = "revoked (or already so)"),
    (status = 403, description = "role_required", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "token_not_found", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn revoke_token(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    uc::revoke_token(&state.app, caller(&user, &rid), id).await?;
    Ok(StatusCode::NO_CONTENT)
}
