//! Storage errors. A violated constraint is reported by name so the use-case
//! can tell the user which field is wrong; anything else is opaque.
//!
//! The database's own error is kept as the source, boxed, so this crate
//! does not depend on the database library: `ramp_storage::db::storage_error`
//! classifies an sqlx error into these variants.

use thiserror::Error;

/// The database's own error, as the source of a [`StorageError`].
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

#[derive(Debug, Error)]
pub enum StorageError {
    /// A unique or check constraint refused the write. `constraint` is the
    /// constraint's name (PostgreSQL) or the engine's message naming the
    /// columns (SQLite), e.g. `users.username`.
    #[error("constraint violated: {constraint}")]
    Conflict { constraint: String },
    /// A conditional update found the row in another state than expected
    /// (someone else changed it first).
    #[error("the row was changed by someone else: {0}")]
    StateMismatch(String),
    #[error("not found: {0}")]
    NotFound(String),
    /// The device may not go out: `reason` is `safety_notice` or `adaptation_unsigned`.
    #[error("device {device_id} is blocked: {reason}")]
    Blocked { device_id: i64, reason: String },
    /// A stored value that does not parse: a bug or a hand-edited database.
    #[error("stored data is invalid: {0}")]
    Corrupt(String),
    /// The database cannot take the request now: its disk is full or
    /// read-only, its server is stopped or restarting, or no connection
    /// came in time. Nothing of the request was committed and the same
    /// request may succeed later (HTTP 503), unlike [`StorageError::Database`].
    #[error("storage unavailable: {0}")]
    Unavailable(#[source] BoxError),
    #[error("database error: {0}")]
    Database(#[source] BoxError),
    #[error("migration failed: {0}")]
    Migrate(#[source] BoxError),
}

impl StorageError {
    /// Whether the database is out of reach for now (see [`StorageError::Unavailable`]).
    pub fn is_unavailable(&self) -> bool {
        matches!(self, StorageError::Unavailable(_))
    }

    pub fn corrupt(what: impl std::fmt::Display) -> Self {
        StorageError::Corrupt(what.to_string())
    }

    /// Whether a conflict concerns the named constraint (PostgreSQL) or
    /// columns (SQLite, e.g. `users.username`).
    pub fn is_conflict_on(&self, constraint: &str, columns: &str) -> bool {
        matches!(self, StorageError::Conflict { constraint: c } if c == constraint || c.contains(columns))
    }
}

pub type Result<T> = std::result::Result<T, StorageError>;
