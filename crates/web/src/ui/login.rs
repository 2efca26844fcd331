//! Logging in and out, the start page, and the language switch.

use super::page::{render, Page};
use crate::api::session_cookie as api_session_cookie;
use crate::extract::{cookie, set_cookie, ClientAddress, CsrfForm, CsrfToken, UiUser, LANG_COOKIE, SESSION_COOKIE};
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

/// Only a path on this site is followed (no open redirect): it starts
/// with one `/` (not `//` or `/\`, which browsers read as another host),
/// holds no backslash and only visible ASCII (no scheme-relative tricks,
/// no header injection). Anything else goes to `/`.
pub(crate) fn safe_next(next: &str) -> String {
    let local = next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && next.bytes().all(|b| b.is_ascii_graphic());
    if local {
        next.to_string()
    } else {
        "/".into()
    }
}

/// Where the language switch returns to: the `Referer`'s path when the
/// page was on this site (same host as asked for), else `/`.
fn back_to(headers: &HeaderMap) -> String {
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let referer = headers.get(header::REFERER).and_then(|v| v.to_str().ok()).unwrap_or("/");
    let path = match referer.split_once("://") {
        Some(("http" | "https", rest)) => {
            let (authority, path) = rest.find('/').map_or((rest, "/"), |i| (&rest[..i], &rest[i..]));
            if Some(authority) != host {
                return "/".into();
            }
            path
        }
        Some(_) => return "/".into(),
        None => referer,
    };
    safe_next(path)
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
    ClientAddress(client): ClientAddress,
    CsrfForm(f): CsrfForm<LoginForm>,
) -> Response {
    let next = safe_next(&f.next);
    match ramp_app::auth::login(&state.app, &f.username, &f.password, client.as_deref()).await {
        Ok(session) => {
            let mut resp = Redirect::to(&next).into_response();
            let ttl = state.app.config().session_ttl.num_seconds();
            resp.headers_mut().insert(header::SET_COOKIE, api_session_cookie(&session.token, state.cookie_secure, ttl));
            resp
        }
        Err(e) => {
            let mut page = Page::new(lang, "login.title", None, &csrf, "login");
            page.add_error(&e);
            let status = match e.kind {
                ramp_app::ErrorKind::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
                ramp_app::ErrorKind::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
                ramp_app::ErrorKind::Internal | ramp_app::ErrorKind::Unavailable => crate::error::status_of(e.kind),
                _ => StatusCode::UNAUTHORIZED,
            };
            if e.kind == ramp_app::ErrorKind::Internal {
                crate::error::log_internal(&e);
            }
            let mut resp =
                render(&LoginTemplate { page, username: f.username, next, oidc: state.app.oidc_enabled() }, status);
            if let Some(seconds) = e.retry_after() {
                resp.headers_mut().insert(header::RETRY_AFTER, seconds.max(1).into());
            }
            resp
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
    let mut resp = Redirect::to(&back_to(&headers)).into_response();
    let c = Cookie::build((LANG_COOKIE, code)).max_age(cookie::time::Duration::days(365)).build();
    resp.headers_mut().insert(header::SET_COOKIE, set_cookie(c, SameSite::Lax, state.cookie_secure));
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_on_this_site_are_followed() {
        for ok in ["/", "/orders/12", "/catalog?q=rollator&x=1"] {
            assert_eq!(safe_next(ok), ok);
        }
        for bad in [
            "//evil.example",
            "/\\evil.example",
            "/x\\y",
            "https://evil.example/",
            "http:evil.example",
            "javascript:alert(1)",
            "evil.example",
            "",
            "/a b",
            "/a\r\nSet-Cookie: x=1",
            "/å",
        ] {
            assert_eq!(safe_next(bad), "/", "{bad:?}");
        }
    }

    #[test]
    fn the_language_switch_returns_only_to_a_page_of_this_site() {
        let with = |referer: &str| {
            let mut h = HeaderMap::new();
            h.insert(header::HOST, "ramp.example:8080".parse().unwrap());
            h.insert(header::REFERER, referer.parse().unwrap());
            back_to(&h)
        };
        assert_eq!(with("http://ramp.example:8080/orders/3?x=1"), "/orders/3?x=1");
        assert_eq!(with("https://ramp.example:8080"), "/");
        assert_eq!(with("https://evil.example/orders"), "/");
        assert_eq!(with("http://ramp.example:8080/\\evil.example"), "/");
        assert_eq!(with("http://ramp.example:8080//evil.example"), "/");
        assert_eq!(with("ftp://ramp.example:8080/x"), "/");
        assert_eq!(back_to(&HeaderMap::new()), "/");
    }
}
