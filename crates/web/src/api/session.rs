//! Logging in over the API (for browser-based clients) and who am I.

use super::dto::UserDto;
use crate::error::ApiError;
use crate::extract::{cookie, set_cookie, ApiJson, ApiUser, SESSION_COOKIE};
use crate::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use cookie::{Cookie, SameSite};
use serde::Deserialize;
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

/// Logs in with a local account; sets the session cookie.
#[utoipa::path(post, path = "/api/v1/session", tag = "session", request_body = LoginBody, responses(
    (status = 200, description = "logged in", body = UserDto),
    (status = 401, description = "wrong username or password", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "a field is missing", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn login(State(state): State<AppState>, body: ApiJson<LoginBody>) -> Result<Response, ApiError> {
    let ApiJson(body) = body;
    let session = ramp_app::auth::login(&state.app, &body.username, &body.password).await?;
    let mut resp = Json(UserDto::from(&session.user)).into_response();
    let ttl = state.app.config().session_ttl.num_seconds();
    resp.headers_mut().insert(header::SET_COOKIE, session_cookie(&session.token, state.cookie_secure, ttl));
    Ok(resp)
}

/// Ends the browser session.
#[utoipa::path(delete, path = "/api/v1/session", tag = "session", responses((status = 204, description = "logged out")))]
pub async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
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
