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
    /// The database cannot take the request now: its disk is full or
    /// read-only, its server is stopped or restarting, or no connection
    /// came in time. Nothing of the request was committed and the same
    /// request may succeed later (HTTP 503), unlike [`StorageError::Database`].
    #[error("storage unavailable: {0}")]
    Unavailable(#[source] sqlx::Error),
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
        if is_unavailable(&e) {
            return StorageError::Unavailable(e);
        }
        StorageError::Database(e)
    }
}

/// Whether an error says the database is out of reach or out of space for
/// now rather than that the request or the code is wrong: the connection
/// or its I/O failed, no connection came in time, or the engine reports a
/// full disk, a read-only or unopenable file, a lock held past the busy
/// timeout (SQLite), a server shutting down, out of resources or in I/O
/// trouble (PostgreSQL SQLSTATE classes 08, 53, 57P, 58 and 25006).
fn is_unavailable(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed
        | sqlx::Error::BeginFailed => true,
        sqlx::Error::Database(db) => db.code().is_some_and(|code| unavailable_code(&code)),
        _ => false,
    }
}

/// PostgreSQL's codes are five-character SQLSTATEs (often all digits, as
/// `53100`); SQLite's (extended) result codes are decimal numbers of at
/// most four digits whose low byte is the primary code.
fn unavailable_code(code: &str) -> bool {
    if code.len() < 5 {
        let Ok(extended) = code.parse::<u32>() else { return false };
        // BUSY, LOCKED, NOMEM, READONLY, IOERR, FULL, CANTOPEN, PROTOCOL.
        return matches!(extended & 0xff, 5 | 6 | 7 | 8 | 10 | 13 | 14 | 15);
    }
    code.starts_with("08")
        || code.starts_with("53")
        || code.starts_with("57P")
        || code.starts_with("58")
        || code == "25006"
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

#[cfg(test)]
mod tests {
    use super::unavailable_code;

    #[test]
    fn a_full_disk_a_read_only_file_and_a_stopping_server_are_unavailable_not_bugs() {
        // SQLITE_FULL, SQLITE_IOERR_WRITE (10 | 3 << 8), SQLITE_READONLY, SQLITE_BUSY.
        for code in ["13", "778", "8", "5", "53100", "57P01", "08006", "25006", "58030"] {
            assert!(unavailable_code(code), "{code}");
        }
    }

    #[test]
    fn constraint_and_syntax_errors_are_not_unavailable() {
        // SQLITE_CONSTRAINT_UNIQUE, SQLITE_ERROR, unique_violation, syntax_error.
        for code in ["2067", "1", "23505", "42601", "40001"] {
            assert!(!unavailable_code(code), "{code}");
        }
    }
}
