//! Errors as `application/problem+json` (RFC 9457): the one place where an
//! `AppError` becomes an HTTP answer for the API. A 500 is opaque to the
//! client and logged with its cause chain and request id.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use ramp_app::{AppError, ErrorKind};
use serde::Serialize;
use utoipa::ToSchema;

/// The problem document every API error returns.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// `urn:ramp:problem:<code>`.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// Stable machine-readable code, e.g. `invalid_personal_id`.
    pub code: String,
    /// The offending input field, when there is one (e.g. `personal_id`, `product.iso`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Extension members some problems carry: `alternatives` (no longer
    /// available), `proposal` (replacement answer required), `needs` (facts to answer).
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub details: Option<serde_json::Map<String, serde_json::Value>>,
}

pub fn status_of(kind: ErrorKind) -> StatusCode {
    match kind {
        ErrorKind::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorKind::Unauthenticated => StatusCode::UNAUTHORIZED,
        ErrorKind::Forbidden => StatusCode::FORBIDDEN,
        ErrorKind::NotFound => StatusCode::NOT_FOUND,
        ErrorKind::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
        ErrorKind::Conflict => StatusCode::CONFLICT,
        ErrorKind::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        ErrorKind::UnsupportedType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ErrorKind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// Builds a problem response.
pub fn problem(status: StatusCode, code: &str, detail: &str, field: Option<&str>) -> Response {
    problem_with(status, code, detail, field, None)
}

/// Builds a problem response with extension members.
pub fn problem_with(
    status: StatusCode,
    code: &str,
    detail: &str,
    field: Option<&str>,
    details: Option<serde_json::Map<String, serde_json::Value>>,
) -> Response {
    let body = Problem {
        kind: format!("urn:ramp:problem:{code}"),
        title: status.canonical_reason().unwrap_or("Error").to_string(),
        status: status.as_u16(),
        detail: detail.to_string(),
        code: code.to_string(),
        field: field.map(str::to_string),
        details,
    };
    let mut resp = (status, axum::Json(body)).into_response();
    resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
    resp
}

/// An `AppError` on its way out of an API handler.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        ApiError(e)
    }
}

/// How long a client should wait before retrying a 503 (`Retry-After`).
pub const RETRY_AFTER_SECONDS: &str = "5";

/// An error with its cause chain, for the log.
fn cause_chain(e: &AppError) -> String {
    let mut chain = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        chain.push_str(&format!(": {s}"));
        source = s.source();
    }
    chain
}

/// Logs an internal error with its cause chain.
pub fn log_internal(e: &AppError) {
    tracing::error!(code = e.code, error = %cause_chain(e), "internal error");
}

/// Logs a request refused because the database is unavailable: an
/// operator's matter (disk, server), not a bug.
pub fn log_unavailable(e: &AppError) {
    tracing::warn!(code = e.code, error = %cause_chain(e), "storage unavailable");
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let e = self.0;
        if e.kind == ErrorKind::Internal {
            log_internal(&e);
            return problem(StatusCode::INTERNAL_SERVER_ERROR, "internal", "internal error; see the server log", None);
        }
        if e.kind == ErrorKind::Unavailable {
            log_unavailable(&e);
        }
        let retry_after = e.retry_after();
        let mut resp = problem_with(status_of(e.kind), e.code, &e.message, e.field.as_deref(), e.details.map(|d| *d));
        match e.kind {
            ErrorKind::Unauthenticated => {
                resp.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"ramp\""));
            }
            ErrorKind::Unavailable => {
                resp.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static(RETRY_AFTER_SECONDS));
            }
            ErrorKind::TooManyRequests => {
                if let Some(seconds) = retry_after {
                    resp.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(seconds.max(1)));
                }
            }
            _ => {}
        }
        resp
    }
}

impl From<ramp_domain::FieldError> for ApiError {
    fn from(e: ramp_domain::FieldError) -> Self {
        ApiError(AppError::from(e))
    }
}
