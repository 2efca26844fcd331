//! Boots the whole server on a free port against a fresh database, for
//! tests. Every test gets its own database: a new SQLite file, or a new
//! PostgreSQL database in the private cluster that `scripts/test` starts
//! (its URL in `RAMP_TEST_POSTGRES_URL`). `browser` drives Debian's
//! Chromium through chromedriver for the UI tests.

pub mod barcodes;
pub mod browser;
mod demo;
mod engine;
pub mod mosquitto;
pub mod oidc;
mod spawn;

pub use demo::{spawn_demo_app, DemoApp};
pub use engine::{fresh_storage, fresh_url, Engine};
pub use spawn::{
    password_hash, problem, spawn_app, spawn_app_in_demo_region, spawn_app_with, spawn_app_with_config,
    spawn_app_with_oidc, test_now, TestApp, TEST_NOW,
};

/// Generates one `#[tokio::test]` per engine for each named async test
/// function `fn(TestApp)` in the calling module; `with SPAWN;` first takes
/// the app from `async fn SPAWN(Engine) -> TestApp` instead of `spawn_app`.
#[macro_export]
macro_rules! on_both_engines {
    (with $spawn:path; $($name:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($spawn($crate::Engine::Sqlite).await).await
                }
            )+
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($spawn($crate::Engine::Postgres).await).await
                }
            )+
        }
    };
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
