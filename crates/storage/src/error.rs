//! Storage errors. A violated constraint is reported by name so the use-case
//! can tell the user which field is wrong; anything else is opaque.

use thiserror::Error;

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
    #[error("database error: {0}")]
    Database(#[source] sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl From<sqlx::Error> for StorageError {
    fn from(e: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &e {
            use sqlx::error::ErrorKind;
            if matches!(
                db.kind(),
                ErrorKind::UniqueViolation | ErrorKind::CheckViolation | ErrorKind::ForeignKeyViolation
            ) {
                let constraint = db.constraint().map(str::to_string).unwrap_or_else(|| db.message().to_string());
                return StorageError::Conflict { constraint };
            }
        }
        StorageError::Database(e)
    }
}

impl StorageError {
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
