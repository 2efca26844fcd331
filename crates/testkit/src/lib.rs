//! Boots the whole server on a free port against a fresh database, for
//! tests. Every test gets its own database: a new SQLite file, or a new
//! PostgreSQL database in the private cluster that `scripts/test` starts
//! (its URL in `RAMP_TEST_POSTGRES_URL`).

mod engine;

pub use engine::{fresh_storage, Engine};
