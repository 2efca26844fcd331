//! HTTP: the JSON API under `/api/v1` (documented at `/api/openapi.json`)
//! and the server-rendered Swedish/English UI. Handlers are thin: extract,
//! call one use-case, map the result. Errors become problem+json in
//! `error.rs` and HTML in `ui/page.rs`, nowhere else.

pub mod api;
mod cells;
mod error;
mod extract;
mod fhir;
mod i18n;
mod metrics;
mod middleware;
pub mod pdf;
mod ui;
pub mod xlsx;

pub use error::ApiError;
pub use metrics::Metrics;

use axum::Router;
use ramp_app::agreements::Agreements;
use ramp_app::App;
use std::future::Future;
use std::sync::Arc;
use std::time::Instant;
use tokio::net::TcpListener;

/// Largest request body accepted (JSON or form).
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// Shared state of every handler.
#[derive(Clone)]
pub struct AppState {
    pub app: App,
    pub agreements: Arc<Agreements>,
    pub metrics: Arc<Metrics>,
    /// Whether cookies get the `Secure` attribute (on unless serving plain HTTP on loopback).
    pub cookie_secure: bool,
    pub started: Instant,
    /// The `Content-Security-Policy` of every answer (see [`middleware::content_security_policy`]).
    pub csp: axum::http::HeaderValue,
}

impl AppState {
    pub fn new(app: App, agreements: Arc<Agreements>, cookie_secure: bool) -> Self {
        let app = app.with_agreements(agreements.clone());
        let csp = middleware::content_security_policy(app.oidc_origin().as_deref());
        Self { app, agreements, metrics: Arc::new(Metrics::default()), cookie_secure, started: Instant::now(), csp }
    }
}

/// The whole HTTP surface.
pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(api::routes())
        .merge(ui::routes())
        .merge(fhir::routes())
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::stock_changes))
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::api_problems))
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::observe))
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::security_headers))
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(state)
}

/// Serves until `shutdown` completes, then drains in-flight requests.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app).with_graceful_shutdown(shutdown).await
}
