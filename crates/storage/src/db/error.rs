//! sqlx's errors as [`StorageError`]s: the classification the use-cases
//! rely on (a violated constraint by name, a database out of reach for
//! now) is made here, where sqlx is known; the model keeps the sqlx error
//! only as an opaque source.

use crate::StorageError;

/// The [`StorageError`] an sqlx error means: a unique, check or foreign-key
/// violation is a [`StorageError::Conflict`] naming the constraint; a
/// connection, pool or disk failure (see [`is_unavailable`]) is
/// [`StorageError::Unavailable`]; anything else is [`StorageError::Database`].
pub fn storage_error(e: sqlx::Error) -> StorageError {
    if let sqlx::Error::Database(db) = &e {
        use sqlx::error::ErrorKind;
        if matches!(db.kind(), ErrorKind::UniqueViolation | ErrorKind::CheckViolation | ErrorKind::ForeignKeyViolation)
        {
            let constraint = db.constraint().map(str::to_string).unwrap_or_else(|| db.message().to_string());
            return StorageError::Conflict { constraint };
        }
    }
    if is_unavailable(&e) {
        return StorageError::Unavailable(Box::new(e));
    }
    StorageError::Database(Box::new(e))
}

/// The engine's code of the database error behind `e` (a SQLSTATE on
/// PostgreSQL, a result code on SQLite), if `e` came from one.
pub fn error_code(e: &StorageError) -> Option<String> {
    let (StorageError::Database(source) | StorageError::Unavailable(source)) = e else {
        return None;
    };
    match source.downcast_ref::<sqlx::Error>()? {
        sqlx::Error::Database(db) => db.code().map(|code| code.into_owned()),
        _ => None,
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

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn a_lost_connection_is_unavailable_and_a_missing_row_a_database_error() {
        assert!(storage_error(sqlx::Error::PoolTimedOut).is_unavailable());
        assert!(storage_error(sqlx::Error::Io(std::io::Error::other("reset"))).is_unavailable());
        assert!(matches!(storage_error(sqlx::Error::RowNotFound), StorageError::Database(_)));
        assert_eq!(error_code(&storage_error(sqlx::Error::RowNotFound)), None);
    }
}
