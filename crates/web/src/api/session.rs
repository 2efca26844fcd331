//! Logging in over the API (for browser-based clients), logging out (a
//! bearer token is revoked by it), who am I, and the caller's own API
//! tokens (listed and revoked).

use super::dto::UserDto;
use crate::error::ApiError;
use crate::extract::{bearer, cookie, set_cookie, ApiJson, ApiUser, ClientAddress, SESSION_COOKIE};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use cookie::{Cookie, SameSite};
use ramp_app::model::ApiTokenRow;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginBody {
    pub username: String,
    pub password: String,
}

/// The `Set-Cookie` value of a session.
pub fn session_cookie(token: &str, secure: bool, max_age_seconds: i64) -> HeaderValue {
    let c = Cookie::build((SESSION_COOKIE, token.to_string()))
        .http_only(true)
        .max_age(cookie::time::Duration::seconds(max_age_seconds))
        .build();
    set_cookie(c, SameSite::Lax, secure)
}

/// Logs in with a local account; sets the session cookie. Repeated
/// failures of an account or a client address are throttled: 429
/// `too_many_attempts` with `Retry-After` (and `retry_after` in the body).
#[utoipa::path(post, path = "/api/v1/session", tag = "session", request_body = LoginBody, responses(
    (status = 200, description = "logged in", body = UserDto),
    (status = 401, description = "wrong username or password", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "a field is missing", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 429, description = "too_many_attempts: wait the Retry-After seconds", body = crate::error::Problem, content_type = "application/problem+json",
        headers(("Retry-After" = i64, description = "seconds to wait")))))]
pub async fn login(
    State(state): State<AppState>,
    ClientAddress(client): ClientAddress,
    body: ApiJson<LoginBody>,
) -> Result<Response, ApiError> {
    let ApiJson(body) = body;
    let session = ramp_app::auth::login(&state.app, &body.username, &body.password, client.as_deref()).await?;
    let mut resp = Json(UserDto::from(&session.user)).into_response();
    let ttl = state.app.config().session_ttl.num_seconds();
    resp.headers_mut().insert(header::SET_COOKIE, session_cookie(&session.token, state.cookie_secure, ttl));
    Ok(resp)
}

/// Ends the browser session; called with `Authorization: Bearer`, revokes
/// that API token (it answers 401 from then on).
#[utoipa::path(delete, path = "/api/v1/session", tag = "session", security((), ("token" = []), ("session" = [])), responses((status = 204, description = "logged out, or the token revoked"),
    (status = 503, description = "unavailable: the database cannot be reached (retry later)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    if let Some(token) = bearer(&headers) {
        ramp_app::auth::revoke_bearer(&state.app, token).await?;
    }
    if let Some(token) = cookie(&headers, SESSION_COOKIE) {
        ramp_app::auth::logout(&state.app, &token).await?;
    }
    let mut resp = StatusCode::NO_CONTENT.into_response();
    resp.headers_mut().insert(header::SET_COOKIE, session_cookie("", state.cookie_secure, 0));
    Ok(resp)
}

/// The calling user.
#[utoipa::path(get, path = "/api/v1/me", tag = "session", security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "the caller", body = UserDto),
    (status = 401, description = "not logged in", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn me(ApiUser(user): ApiUser) -> Json<UserDto> {
    Json(UserDto::from(&user))
}

/// An API token as its owner sees it: never the secret.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiTokenDto {
    pub id: i64,
    /// What the token is for.
    pub name: String,
    pub created_at: DateTime<Utc>,
    /// When it was revoked; a revoked token answers 401.
    pub revoked_at: Option<DateTime<Utc>>,
}

impl From<&ApiTokenRow> for ApiTokenDto {
    fn from(t: &ApiTokenRow) -> Self {
        ApiTokenDto { id: t.id, name: t.name.clone(), created_at: t.created_at, revoked_at: t.revoked_at }
    }
}

/// The caller's own API tokens, newest first, revoked ones included.
#[utoipa::path(get, path = "/api/v1/tokens", tag = "session", security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "the caller's tokens", body = [ApiTokenDto]),
    (status = 401, description = "not logged in", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn tokens(State(state): State<AppState>, ApiUser(user): ApiUser) -> Result<Json<Vec<ApiTokenDto>>, ApiError> {
    let tokens = ramp_app::auth::my_api_tokens(&state.app, &user).await?;
    Ok(Json(tokens.iter().map(ApiTokenDto::from).collect()))
}

/// Revokes one of the caller's own API tokens; it answers 401 from then on.
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "session", params(("id" = i64, Path, description = "the token's id")), security(("token" = []), ("session" = [])), responses(
    (status = 204, description = "revoked"),
    (status = 404, description = "token_not_found: no live token of yours with that id", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn revoke_token(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    ramp_app::auth::revoke_my_api_token(&state.app, &user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
