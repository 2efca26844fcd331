//! Boots the whole server on a free port against a fresh database, for
//! tests. Every test gets its own database: a new SQLite file, or a new
//! PostgreSQL database in the private cluster that `scripts/test` starts
//! (its URL in `RAMP_TEST_POSTGRES_URL`). `browser` drives Debian's
//! Chromium through chromedriver for the UI tests.

pub mod browser;
mod engine;
mod spawn;

pub use engine::{fresh_storage, fresh_url, Engine};
pub use spawn::{problem, spawn_app, spawn_app_with, test_now, TestApp, TEST_NOW};

/// Generates one `#[tokio::test]` per engine for each named async test
/// function `fn(TestApp)` in the calling module.
#[macro_export]
macro_rules! on_both_engines {
    ($($name:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::spawn_app($crate::Engine::Sqlite).await).await
                }
            )+
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::spawn_app($crate::Engine::Postgres).await).await
                }
            )+
        }
    };
}
