//! The one error type of the use-cases, with stable codes. The web layer
//! turns it into `application/problem+json` in one place and into an HTML
//! message in one other; the CLI prints it and exits non-zero.

use ramp_domain::FieldError;
use ramp_model::StorageError;
use std::fmt;

/// What went wrong, as far as the caller needs to know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Bad input: a field is missing or invalid (HTTP 422 / 400).
    Invalid,
    /// Not logged in, or wrong credentials (401).
    Unauthenticated,
    /// Logged in but not allowed (403).
    Forbidden,
    /// No such thing (404).
    NotFound,
    /// Too many tries: wait the seconds in `details.retry_after` (429).
    TooManyRequests,
    /// The request conflicts with stored state (409).
    Conflict,
    /// An upload larger than allowed (413).
    TooLarge,
    /// An upload of a type not taken (415).
    UnsupportedType,
    /// The database cannot take requests now (a full or read-only disk, a
    /// server restarting): nothing was committed; retry later (503).
    Unavailable,
    /// A bug or a failing database (500); details are logged, not shown.
    Internal,
}

#[derive(Debug)]
pub struct AppError {
    pub kind: ErrorKind,
    /// Stable, machine-readable code (e.g. `invalid_personal_id`).
    pub code: &'static str,
    /// The offending input field, when there is one.
    pub field: Option<String>,
    /// English message; the UI translates by `code`.
    pub message: String,
    /// Extra members for the problem document (e.g. `alternatives` when a
    /// device is no longer available), so the client can offer a way on.
    /// Boxed: an `AppError` travels in every `Result` of the use-cases.
    pub details: Option<Box<serde_json::Map<String, serde_json::Value>>>,
    /// A refused order line, typed, for the UI to show what to do next;
    /// its members are also in `details` for the problem document.
    pub refusal: Option<Box<crate::orders::Refusal>>,
    pub source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl AppError {
    pub fn new(kind: ErrorKind, code: &'static str, message: impl Into<String>) -> Self {
        Self { kind, code, field: None, message: message.into(), details: None, refusal: None, source: None }
    }

    pub fn invalid(field: impl Into<String>, code: &'static str, message: impl Into<String>) -> Self {
        Self { field: Some(field.into()), ..Self::new(ErrorKind::Invalid, code, message) }
    }

    pub fn not_found(field: Option<&str>, code: &'static str, message: impl Into<String>) -> Self {
        Self { field: field.map(str::to_string), ..Self::new(ErrorKind::NotFound, code, message) }
    }

    pub fn forbidden(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Forbidden, code, message)
    }

    pub fn unauthenticated(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Unauthenticated, code, message)
    }

    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Conflict, code, message)
    }

    /// Too many tries: come back in `retry_after_seconds` (carried in
    /// `details.retry_after`, and in `Retry-After` over HTTP).
    pub fn too_many_requests(code: &'static str, retry_after_seconds: i64, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::TooManyRequests, code, message).with_detail("retry_after", retry_after_seconds)
    }

    /// The seconds to wait before trying again, when the error says so.
    pub fn retry_after(&self) -> Option<i64> {
        self.details.as_ref()?.get("retry_after")?.as_i64()
    }

    /// Adds an extra member to the problem document.
    pub fn with_detail(mut self, key: &str, value: impl serde::Serialize) -> Self {
        let value = serde_json::to_value(value).unwrap_or(serde_json::Value::Null);
        self.details.get_or_insert_with(Default::default).insert(key.to_string(), value);
        self
    }

    /// Carries a typed refusal of an order line (and its members in `details`).
    pub fn with_refusal(mut self, refusal: crate::orders::Refusal) -> Self {
        self.details.get_or_insert_with(Default::default).extend(refusal.details());
        self.refusal = Some(Box::new(refusal));
        self
    }

    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// The same error about line `index` (from 0) of a list named `list`:
    /// `article_number` becomes `lines[0].article_number`, no field `lines[0]`.
    pub fn within(mut self, list: &str, index: usize) -> Self {
        if let Some(r) = self.refusal.as_mut() {
            r.line = Some(index);
        }
        self.field = Some(match self.field.take() {
            Some(f) => format!("{list}[{index}].{f}"),
            None => format!("{list}[{index}]"),
        });
        self
    }

    /// The database is out of reach or out of space: nothing was written.
    pub fn unavailable(source: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        Self {
            source: Some(source.into()),
            ..Self::new(
                ErrorKind::Unavailable,
                "storage_unavailable",
                "the database cannot take requests right now; nothing was saved, try again shortly",
            )
        }
    }

    pub fn internal(message: impl Into<String>, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self { source: Some(Box::new(source)), ..Self::new(ErrorKind::Internal, "internal", message) }
    }
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.field {
            Some(field) => write!(f, "{field}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for AppError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_deref().map(|e| e as &(dyn std::error::Error + 'static))
    }
}

impl From<FieldError> for AppError {
    fn from(e: FieldError) -> Self {
        AppError::invalid(e.field, e.code, e.message)
    }
}

impl From<ramp_search::SearchError> for AppError {
    fn from(e: ramp_search::SearchError) -> Self {
        AppError::internal("the search index failed", e)
    }
}

impl From<StorageError> for AppError {
    fn from(e: StorageError) -> Self {
        match e {
            StorageError::StateMismatch(m) => AppError::new(ErrorKind::Conflict, "state_changed", m),
            StorageError::NotFound(m) => AppError::not_found(None, "not_found", m),
            StorageError::Blocked { device_id, reason } => AppError::conflict(
                "device_blocked",
                match reason.as_str() {
                    "safety_notice" => format!("device {device_id} is blocked by a safety notice until its recall work order is done"),
                    "adaptation_unsigned" => format!(
                        "device {device_id} is specially adapted and the prescriber has not yet approved and signed the adaptation"
                    ),
                    other => format!("device {device_id} is blocked: {other}"),
                },
            )
            .with_detail("reason", reason),
            StorageError::Conflict { constraint } => {
                AppError::new(ErrorKind::Conflict, "conflict", format!("conflicts with stored data ({constraint})"))
            }
            StorageError::Unavailable(e) => AppError::unavailable(e),
            other => AppError::internal("storage failure", other),
        }
    }
}

pub type Result<T> = std::result::Result<T, AppError>;
