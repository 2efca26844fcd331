//! Request extractors: who is calling (API token or session cookie), the
//! request id, the UI language, UI forms with their CSRF check, and JSON
//! bodies whose errors are problems.

use crate::error::{problem, ApiError};
use crate::i18n::Lang;
use crate::AppState;
use axum::body::{Body, Bytes};
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, RawForm, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use cookie::{Cookie, SameSite};
use ramp_app::model::User;
use ramp_app::AppError;
use serde::de::DeserializeOwned;

pub const SESSION_COOKIE: &str = "ramp_session";
pub const CSRF_COOKIE: &str = "ramp_csrf";
pub const LANG_COOKIE: &str = "ramp_lang";

/// The value of one cookie of the request.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .map(|c| c.value().to_string())
}

/// A `Set-Cookie` value for one of our cookies: `Path=/`, the given
/// `SameSite`, and `Secure` when the server is reached over HTTPS.
pub fn set_cookie(mut c: Cookie<'static>, same_site: SameSite, secure: bool) -> HeaderValue {
    c.set_path("/");
    c.set_same_site(same_site);
    if secure {
        c.set_secure(true);
    }
    HeaderValue::from_str(&c.to_string()).expect("our cookies are ASCII")
}

/// The id of this request, for logs and audit rows.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

impl<S: Send + Sync> FromRequestParts<S> for RequestId {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(parts.extensions.get::<RequestId>().cloned().unwrap_or_else(|| RequestId("-".into())))
    }
}

/// The client's address as the connection shows it (login throttling).
/// Behind a reverse proxy this is the proxy: see docs/SECURITY.md.
#[derive(Debug, Clone)]
pub struct ClientAddress(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let info = parts.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>();
        Ok(ClientAddress(info.map(|i| i.0.ip().to_string())))
    }
}

/// The API token an `Authorization: Bearer` header carries, if any.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers.get(header::AUTHORIZATION)?.to_str().ok()?.strip_prefix("Bearer ").map(str::trim)
}

/// The caller of an API endpoint: an API token (`Authorization: Bearer`)
/// or a browser session. A browser session must send the CSRF cookie's
/// value in `X-CSRF-Token` on anything but GET.
pub struct ApiUser(pub User);

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let unauthenticated =
            || ApiError(AppError::unauthenticated("authentication_required", "log in or send an API token"));
        if let Some(token) = bearer(&parts.headers) {
            return ramp_app::auth::token_user(&state.app, token).await?.map(ApiUser).ok_or_else(unauthenticated);
        }
        let session = cookie(&parts.headers, SESSION_COOKIE).ok_or_else(unauthenticated)?;
        if parts.method != Method::GET && parts.method != Method::HEAD {
            let sent = parts.headers.get("x-csrf-token").and_then(|v| v.to_str().ok());
            if sent.is_none() || sent.map(str::to_string) != cookie(&parts.headers, CSRF_COOKIE) {
                return Err(ApiError(AppError::forbidden("csrf_failed", "missing or wrong X-CSRF-Token header")));
            }
        }
        ramp_app::auth::session_user(&state.app, &session).await?.map(ApiUser).ok_or_else(unauthenticated)
    }
}

/// The logged-in user of a UI page; anyone else is sent to the login page.
pub struct UiUser(pub User);

impl FromRequestParts<AppState> for UiUser {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let to_login = || {
            let next = parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
            Redirect::to(&format!("/login?next={}", crate::ui::url_encode(next))).into_response()
        };
        let Some(session) = cookie(&parts.headers, SESSION_COOKIE) else { return Err(to_login()) };
        match ramp_app::auth::session_user(&state.app, &session).await {
            Ok(Some(user)) => Ok(UiUser(user)),
            Ok(None) => Err(to_login()),
            Err(e) => Err(crate::ui::error_page(Lang::Sv, e)),
        }
    }
}

/// The UI language: the `ramp_lang` cookie, Swedish by default.
impl<S: Send + Sync> FromRequestParts<S> for Lang {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(if cookie(&parts.headers, LANG_COOKIE).as_deref() == Some("en") { Lang::En } else { Lang::Sv })
    }
}

/// The CSRF token of this browser (set by the middleware when missing).
#[derive(Debug, Clone)]
pub struct CsrfToken(pub String);

impl<S: Send + Sync> FromRequestParts<S> for CsrfToken {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(parts.extensions.get::<CsrfToken>().cloned().unwrap_or_else(|| CsrfToken(String::new())))
    }
}

/// A UI form whose double-submitted CSRF token (the `csrf` field) matches
/// the `ramp_csrf` cookie; anything else is refused with the HTML error
/// page (403 `csrf_failed`) before the form is read. Every state-changing
/// UI route takes its form through this extractor.
pub struct CsrfForm<T>(pub T);

#[derive(serde::Deserialize)]
struct SubmittedToken {
    #[serde(default)]
    csrf: String,
}

/// Reads `bytes` as a urlencoded form, with axum's own rejections.
async fn read_form<T: DeserializeOwned, S: Send + Sync>(bytes: &Bytes, state: &S) -> Result<T, Response> {
    let req = Request::builder()
        .method(Method::POST)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(bytes.clone()))
        .map_err(|_| StatusCode::BAD_REQUEST.into_response())?;
    Form::<T>::from_request(req, state).await.map(|Form(v)| v).map_err(IntoResponse::into_response)
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for CsrfForm<T> {
    type Rejection = Response;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let expected = cookie(req.headers(), CSRF_COOKIE);
        let (mut parts, body) = req.into_parts();
        let Ok(lang) = Lang::from_request_parts(&mut parts, state).await;
        let RawForm(bytes) = RawForm::from_request(Request::from_parts(parts, body), state)
            .await
            .map_err(IntoResponse::into_response)?;
        let submitted = read_form::<SubmittedToken, S>(&bytes, state).await.map(|t| t.csrf).unwrap_or_default();
        if submitted.is_empty() || expected.as_deref() != Some(submitted.as_str()) {
            return Err(crate::ui::error_page(lang, AppError::forbidden("csrf_failed", "form expired")));
        }
        read_form(&bytes, state).await.map(CsrfForm)
    }
}

/// A JSON body; malformed JSON is 400, a body of the wrong shape is 422
/// naming the field when serde says which, an oversize body 413.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = Response;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(rejection) => Err(json_problem(rejection)),
        }
    }
}

/// The field a serde message names (`missing field `x``, `unknown field `x``).
pub fn field_of_serde_message(msg: &str) -> Option<String> {
    let start = msg.find('`')? + 1;
    let end = start + msg[start..].find('`')?;
    (msg.contains("field")).then(|| msg[start..end].to_string())
}

fn json_problem(rejection: JsonRejection) -> Response {
    let text = rejection.body_text();
    match rejection {
        JsonRejection::JsonDataError(_) => {
            let field = field_of_serde_message(&text);
            problem(StatusCode::UNPROCESSABLE_ENTITY, "invalid_body", &text, field.as_deref().or(Some("body")))
        }
        JsonRejection::JsonSyntaxError(_) => problem(StatusCode::BAD_REQUEST, "malformed_json", &text, Some("body")),
        JsonRejection::MissingJsonContentType(_) => problem(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send the body as application/json",
            Some("content-type"),
        ),
        other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => problem(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
            &format!("the body is larger than {} bytes", crate::MAX_BODY_BYTES),
            Some("body"),
        ),
        other => problem(other.status(), "invalid_body", &text, Some("body")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_field_is_read_from_serde_messages() {
        assert_eq!(field_of_serde_message("missing field `personal_id` at line 1").as_deref(), Some("personal_id"));
        assert_eq!(field_of_serde_message("invalid type: string, expected u32"), None);
    }

    #[test]
    fn cookies_are_found_among_several() {
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, "a=1; ramp_session=abc; b=2".parse().unwrap());
        assert_eq!(cookie(&h, SESSION_COOKIE).as_deref(), Some("abc"));
        assert_eq!(cookie(&h, "c"), None);
    }

    #[test]
    fn a_set_cookie_has_path_same_site_and_secure_only_when_asked() {
        let c = Cookie::build(("n", "v")).http_only(true).build();
        let plain = set_cookie(c.clone(), SameSite::Lax, false);
        let mut attrs: Vec<_> = plain.to_str().unwrap().split("; ").map(str::to_string).collect();
        attrs.sort();
        assert_eq!(attrs, ["HttpOnly", "Path=/", "SameSite=Lax", "n=v"]);
        assert!(set_cookie(c, SameSite::Strict, true).to_str().unwrap().contains("; Secure"));
    }
}
