//! Cross-cutting layers: request ids, one structured log line and metrics
//! per request, the CSRF cookie, the security headers of every answer, and
//! problem+json for API errors that never reached a handler (unknown
//! route, wrong method).

use crate::error::problem;
use crate::extract::{cookie, set_cookie, CsrfToken, RequestId, CSRF_COOKIE};
use crate::AppState;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use cookie::{Cookie, SameSite};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::Instant;

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// A new request id: a random prefix drawn once per process, then a
/// counter, so ids are unique across processes and restarts. Always made
/// here: a client cannot choose the id its audit rows are filed under.
fn new_request_id() -> String {
    static PREFIX: OnceLock<String> = OnceLock::new();
    let prefix = PREFIX.get_or_init(|| ramp_app::auth::random_token()[..12].to_string());
    format!("r{prefix}-{}", NEXT_ID.fetch_add(1, Ordering::Relaxed))
}

/// The client's own `X-Request-Id`, when it is short and plain: logged as
/// `client_request_id` to help correlate, never stored or trusted.
fn client_request_id(req: &Request) -> Option<String> {
    req.headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| v.len() <= 64 && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
        .map(str::to_string)
}

/// Request id, CSRF cookie, access log and metrics.
pub async fn observe(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let started = Instant::now();
    let id = new_request_id();
    let client_id = client_request_id(&req);
    let existing_csrf = cookie(req.headers(), CSRF_COOKIE).filter(|c| c.len() == 64);
    let csrf = existing_csrf.clone().unwrap_or_else(ramp_app::auth::random_token);
    req.extensions_mut().insert(RequestId(id.clone()));
    req.extensions_mut().insert(CsrfToken(csrf.clone()));
    let method = req.method().clone();
    // The path only: queries may hold search text, never logged.
    let path = req.uri().path().to_string();
    let mut resp = next.run(req).await;
    let elapsed = started.elapsed().as_secs_f64();
    state.metrics.observe(resp.status().as_u16(), elapsed);
    let status = resp.status().as_u16();
    match &client_id {
        Some(client) => {
            tracing::info!(request_id = %id, client_request_id = %client, %method, %path, status, ms = elapsed * 1000.0, "request")
        }
        None => tracing::info!(request_id = %id, %method, %path, status, ms = elapsed * 1000.0, "request"),
    }
    if let Ok(v) = HeaderValue::from_str(&id) {
        resp.headers_mut().insert("x-request-id", v);
    }
    if existing_csrf.is_none() {
        let c = Cookie::build((CSRF_COOKIE, csrf)).http_only(true).build();
        resp.headers_mut().append(header::SET_COOKIE, set_cookie(c, SameSite::Strict, state.cookie_secure));
    }
    resp
}

/// After a successful write request, tells the search that stock may have
/// moved, so the next search reads it again (`App::stock_may_have_changed`).
pub async fn stock_changes(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let write = !req.method().is_safe();
    let resp = next.run(req).await;
    if write && resp.status().as_u16() < 400 {
        state.app.stock_may_have_changed();
    }
    resp
}

/// Under `/api`, any error answer that is not already problem+json becomes
/// one; under `/fhir` it then becomes an `OperationOutcome` (unknown
/// routes and methods included), so FHIR clients see one error format.
pub async fn api_problems(State(_): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let is_fhir = path.starts_with("/fhir/");
    let is_api = path.starts_with("/api/") || is_fhir;
    let resp = next.run(req).await;
    let status = resp.status();
    if !is_api || status.as_u16() < 400 {
        return resp;
    }
    let is_problem = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/problem+json"));
    let resp = if is_problem { resp } else { plain_error_as_problem(status) };
    if is_fhir {
        crate::fhir::outcome::problems_as_outcomes(resp).await
    } else {
        resp
    }
}

fn plain_error_as_problem(status: StatusCode) -> Response {
    let (code, detail) = match status {
        StatusCode::NOT_FOUND => ("no_such_endpoint", "no such endpoint; see /api/openapi.json"),
        StatusCode::METHOD_NOT_ALLOWED => ("method_not_allowed", "this endpoint does not accept that method"),
        StatusCode::PAYLOAD_TOO_LARGE => ("body_too_large", "the request body is too large"),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ("unsupported_media_type", "send application/json"),
        s if s.is_server_error() => ("internal", "internal error; see the server log"),
        _ => ("bad_request", "the request could not be read"),
    };
    problem(status, code, detail, None)
}

/// The policy every page runs under: scripts, styles and images from this
/// server only (no inline script or style anywhere in the templates;
/// htmx's own indicator style is switched off in `base.html` and lives
/// in `style.css`), no plugins, no framing, forms posted here only.
/// With OIDC on, forms may also lead to the identity provider (the login
/// button and logout redirect there, and browsers check a form's
/// redirects against `form-action`).
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
    img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// [`CONTENT_SECURITY_POLICY`] with the identity provider's origin, if any, among the form targets.
pub fn content_security_policy(oidc_origin: Option<&str>) -> HeaderValue {
    let policy = match oidc_origin {
        Some(origin) => CONTENT_SECURITY_POLICY.replace("form-action 'self'", &format!("form-action 'self' {origin}")),
        None => CONTENT_SECURITY_POLICY.to_string(),
    };
    HeaderValue::from_str(&policy).unwrap_or(HeaderValue::from_static(CONTENT_SECURITY_POLICY))
}

/// Security headers on every answer. Anything without its own
/// `Cache-Control` (every page and API answer, which may carry patient
/// data; the embedded assets set theirs) is `no-store`.
pub async fn security_headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, state.csp.clone());
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    resp
}
