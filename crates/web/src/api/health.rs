//! Liveness, readiness and metrics.

use crate::error::problem;
use crate::AppState;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

/// Liveness: the process answers.
#[utoipa::path(get, path = "/healthz", tag = "operations", responses((status = 200, description = "alive", body = String)))]
pub async fn healthz() -> &'static str {
    "ok"
}

/// Readiness: the database answers and takes writes.
#[utoipa::path(get, path = "/readyz", tag = "operations", responses(
    (status = 200, description = "ready", body = String),
    (status = 503, description = "database unavailable", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn readyz(State(state): State<AppState>) -> Response {
    match state.app.readiness().await {
        Ok(()) => "ready".into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "readiness check failed");
            problem(
                StatusCode::SERVICE_UNAVAILABLE,
                "storage_unavailable",
                "the database does not take writes now",
                None,
            )
        }
    }
}

/// Prometheus metrics (text exposition format).
#[utoipa::path(get, path = "/metrics", tag = "operations", responses((status = 200, description = "Prometheus text format", body = String)))]
pub async fn metrics(State(state): State<AppState>) -> Response {
    let body = state.metrics.render(state.started.elapsed().as_secs_f64(), crate::metrics::resident_bytes());
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], body).into_response()
}
