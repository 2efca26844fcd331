//! Login through the region's identity provider (OIDC): the button's
//! target, which sends the browser to the provider with a signed cookie of
//! the login in progress, and the callback the provider sends it back to.
//! The protocol and the HSA-id mapping are `ramp_app::oidc`'s.

use super::login::safe_next;
use super::page::error_page_with_status;
use crate::api::session_cookie;
use crate::error::status_of;
use crate::extract::{cookie, set_cookie};
use crate::i18n::Lang;
use crate::AppState;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use cookie::{Cookie, SameSite};
use ramp_app::oidc::{Callback, Finished};
use serde::Deserialize;

/// The login in progress (state, nonce, PKCE verifier), signed by the server.
pub const PENDING_COOKIE: &str = "ramp_oidc";
/// The ID token of an OIDC session: the hint for logging out at the provider.
pub const ID_TOKEN_COOKIE: &str = "ramp_oidc_id";

/// An HttpOnly cookie; `SameSite=Lax` so that it comes back with the
/// provider's top-level redirect to the callback.
pub fn http_only(name: &'static str, value: &str, secure: bool, max_age_seconds: i64) -> HeaderValue {
    let c = Cookie::build((name, value.to_string()))
        .http_only(true)
        .max_age(cookie::time::Duration::seconds(max_age_seconds))
        .build();
    set_cookie(c, SameSite::Lax, secure)
}

#[derive(Deserialize)]
pub struct Start {
    next: Option<String>,
}

/// `GET /login/oidc`: to the provider's login, remembering the attempt.
pub async fn start(State(state): State<AppState>, lang: Lang, Query(q): Query<Start>) -> Response {
    let next = safe_next(q.next.as_deref().unwrap_or("/"));
    match ramp_app::oidc::begin(&state.app, &next).await {
        Ok(begin) => {
            let mut resp = Redirect::to(&begin.authorize_url).into_response();
            let c = http_only(PENDING_COOKIE, &begin.cookie, state.cookie_secure, begin.max_age_seconds);
            resp.headers_mut().append(header::SET_COOKIE, c);
            resp
        }
        Err(e) => super::error_page(lang, e),
    }
}

/// `GET /login/oidc/callback`: the provider's answer. A session starts only
/// when everything checks out; the pending cookie is spent either way.
pub async fn callback(
    State(state): State<AppState>,
    lang: Lang,
    headers: HeaderMap,
    Query(answer): Query<Callback>,
) -> Response {
    let pending = cookie(&headers, PENDING_COOKIE);
    let spent = http_only(PENDING_COOKIE, "", state.cookie_secure, 0);
    let mut resp = match ramp_app::oidc::finish(&state.app, pending.as_deref(), answer).await {
        Ok(Finished::Signed { next }) => Redirect::to(&safe_next(&next)).into_response(),
        Ok(Finished::Login(login)) => {
            let mut resp = Redirect::to(&safe_next(&login.next)).into_response();
            let ttl = state.app.config().session_ttl.num_seconds();
            let h = resp.headers_mut();
            h.append(header::SET_COOKIE, session_cookie(&login.session.token, state.cookie_secure, ttl));
            h.append(header::SET_COOKIE, http_only(ID_TOKEN_COOKIE, &login.id_token, state.cookie_secure, ttl));
            resp
        }
        Err(e) => {
            let status = match e.code {
                "oidc_state_mismatch" | "oidc_login_expired" | "oidc_bad_callback" => StatusCode::BAD_REQUEST,
                _ => status_of(e.kind),
            };
            error_page_with_status(lang, e, status)
        }
    };
    resp.headers_mut().append(header::SET_COOKIE, spent);
    resp
}

/// Sends the browser to the provider to authenticate again before signing
/// (a step-up), remembering the document and hash in the signed pending
/// cookie; the callback signs. Returns to the device card.
pub fn step_up_redirect(state: &AppState, begin: ramp_app::oidc::Begin) -> Response {
    let mut resp = Redirect::to(&begin.authorize_url).into_response();
    let c = http_only(PENDING_COOKIE, &begin.cookie, state.cookie_secure, begin.max_age_seconds);
    resp.headers_mut().append(header::SET_COOKIE, c);
    resp
}

/// Where logging out ends: the provider's end-session page for an OIDC
/// session (it returns the browser to the login page), else the login page.
/// The local session is already gone; a provider that does not answer
/// only costs the single sign-out.
pub async fn after_logout(state: &AppState, headers: &HeaderMap) -> String {
    let Some(id_token) = cookie(headers, ID_TOKEN_COOKIE) else { return "/login".into() };
    match ramp_app::oidc::logout_url(&state.app, Some(&id_token)).await {
        Ok(Some(url)) => url,
        Ok(None) => "/login".into(),
        Err(e) => {
            tracing::warn!(error = %e, "no logout at the identity provider");
            "/login".into()
        }
    }
}
