//! Digital assistive devices (issue 21, `docs/DIGITAL.md`): the list of
//! lent digital devices, device secrets, measurements in (the device's
//! own `Authorization: Bearer <secret>`), the unit's alarm list with
//! acknowledge and close, and a patient's measurements and thresholds
//! (personal identity number in the body, never in the URL).

mod alarms;
mod devices;
mod models;

use axum::routing::{get, post, put};
use axum::Router;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    paths(
        devices::list, devices::issue_secret, devices::revoke_secret, devices::ingest,
        alarms::list, alarms::acknowledge, alarms::close, alarms::patient_measurements, alarms::set_threshold,
        models::list, models::set_interval,
    ),
    tags((name = "digital", description = "Digital assistive devices: measurements in over HTTP (and MQTT, see docs/DIGITAL.md), thresholds, and alarms routed to the responsible unit."))
)]
pub struct DigitalApi;

/// The routes of this module (one line each: `openapi_tests` reads them).
pub fn routes() -> Router<crate::AppState> {
    use devices::{issue_secret, revoke_secret};
    Router::new()
        .route("/api/v1/digital/devices", get(devices::list))
        .route("/api/v1/digital/devices/{device_number}/secret", post(issue_secret).delete(revoke_secret))
        .route("/api/v1/digital/measurements", post(devices::ingest))
        .route("/api/v1/digital/alarms", get(alarms::list))
        .route("/api/v1/digital/alarms/{id}/acknowledgement", post(alarms::acknowledge))
        .route("/api/v1/digital/alarms/{id}/close", post(alarms::close))
        .route("/api/v1/patients/measurements", post(alarms::patient_measurements))
        .route("/api/v1/patients/thresholds", put(alarms::set_threshold))
        .route("/api/v1/digital/models", get(models::list))
        .route("/api/v1/digital/models/{article_number}/expected-interval", put(models::set_interval))
}
