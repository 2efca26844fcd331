//! Logging in and out, the start page, and the language switch.

use super::page::{render, Page};
use crate::api::session_cookie as api_session_cookie;
use crate::extract::{cookie, set_cookie, CsrfForm, CsrfToken, UiUser, LANG_COOKIE, SESSION_COOKIE};
use crate::i18n::Lang;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use cookie::{Cookie, SameSite};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginTemplate {
    page: Page,
    username: String,
    next: String,
    /// Whether to offer login through the region's identity provider.
    oidc: bool,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomeTemplate {
    page: Page,
}

#[derive(Deserialize)]
pub struct NextParam {
    next: Option<String>,
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

/// The logout form: no fields of its own (its token is checked by `CsrfForm`).
#[derive(Deserialize)]
pub struct LogoutForm {}

/// Only local paths are followed after login (no open redirect).
pub(super) fn safe_next(next: &str) -> String {
    if next.starts_with('/') && !next.starts_with("//") {
        next.to_string()
    } else {
        "/".into()
    }
}

pub async fn form(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    Query(q): Query<NextParam>,
) -> Response {
    let page = Page::new(lang, "login.title", None, &csrf, "login");
    let next = safe_next(q.next.as_deref().unwrap_or("/"));
    render(&LoginTemplate { page, username: String::new(), next, oidc: state.app.oidc_enabled() }, StatusCode::OK)
}

pub async fn submit(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    CsrfForm(f): CsrfForm<LoginForm>,
) -> Response {
    let next = safe_next(&f.next);
    match ramp_app::auth::login(&state.app, &f.username, &f.password).await {
        Ok(session) => {
            let mut resp = Redirect::to(&next).into_response();
            let ttl = state.app.config().session_ttl.num_seconds();
            resp.headers_mut().insert(header::SET_COOKIE, api_session_cookie(&session.token, state.cookie_secure, ttl));
            resp
        }
        Err(e) => {
            let mut page = Page::new(lang, "login.title", None, &csrf, "login");
            page.add_error(&e);
            let status = if e.kind == ramp_app::ErrorKind::Invalid {
                StatusCode::UNPROCESSABLE_ENTITY
            } else {
                StatusCode::UNAUTHORIZED
            };
            render(&LoginTemplate { page, username: f.username, next, oidc: state.app.oidc_enabled() }, status)
        }
    }
}

/// Ends the session; the form carries nothing but its CSRF token. A
/// session that began at the region's identity provider ends there too
/// (RP-initiated logout), which then returns the browser to the login page.
pub async fn logout(State(state): State<AppState>, headers: HeaderMap, CsrfForm(_): CsrfForm<LogoutForm>) -> Response {
    if let Some(token) = cookie(&headers, SESSION_COOKIE) {
        if let Err(e) = ramp_app::auth::logout(&state.app, &token).await {
            return super::error_page(Lang::Sv, e);
        }
    }
    let mut resp = Redirect::to(&super::oidc::after_logout(&state, &headers).await).into_response();
    let h = resp.headers_mut();
    h.insert(header::SET_COOKIE, api_session_cookie("", state.cookie_secure, 0));
    h.append(header::SET_COOKIE, super::oidc::http_only(super::oidc::ID_TOKEN_COOKIE, "", state.cookie_secure, 0));
    resp
}

pub async fn home(lang: Lang, CsrfToken(csrf): CsrfToken, UiUser(user): UiUser) -> Response {
    render(&HomeTemplate { page: Page::new(lang, "home.title", Some(&user), &csrf, "home") }, StatusCode::OK)
}

pub async fn set_language(State(state): State<AppState>, Path(code): Path<String>, headers: HeaderMap) -> Response {
    let code = if code == "en" { "en" } else { "sv" };
    let back = headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| r.split_once("://").map(|(_, rest)| rest))
        .and_then(|rest| rest.find('/').map(|i| rest[i..].to_string()))
        .unwrap_or_else(|| "/".into());
    let mut resp = Redirect::to(&safe_next(&back)).into_response();
    let c = Cookie::build((LANG_COOKIE, code)).max_age(cookie::time::Duration::days(365)).build();
    resp.headers_mut().insert(header::SET_COOKIE, set_cookie(c, SameSite::Lax, state.cookie_secure));
    resp
}
