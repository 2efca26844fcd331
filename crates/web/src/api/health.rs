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

/// Readiness: the database answers and takes writes, and, when MQTT ingest
/// is on (`--mqtt-url`), Ramp is connected and subscribed to the broker.
#[utoipa::path(get, path = "/readyz", tag = "operations", responses(
    (status = 200, description = "ready", body = String),
    (status = 503, description = "database or MQTT broker unavailable", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn readyz(State(state): State<AppState>) -> Response {
    match state.app.readiness().await {
        Ok(()) if state.app.digital_stats().mqtt_ready() == Some(false) => problem(
            StatusCode::SERVICE_UNAVAILABLE,
            "broker_unavailable",
            "Ramp is not connected to the MQTT broker now; devices' MQTT reports wait at the broker",
            None,
        ),
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
    let mut body = state.metrics.render(state.started.elapsed().as_secs_f64(), crate::metrics::resident_bytes());
    let open_alarms = match state.app.open_alarm_count().await {
        Ok(n) => Some(n),
        Err(e) => {
            tracing::warn!(error = %e, "open alarms not counted for /metrics");
            None
        }
    };
    crate::metrics::render_digital(&mut body, state.app.digital_stats(), open_alarms);
    crate::metrics::render_replica(&mut body, state.app.check_read_replica().await.as_ref());
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], body).into_response()
}
