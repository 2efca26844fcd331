//! Invoice runs as background jobs over HTTP (issue 19): start a
//! preliminary run (writes nothing, answers what would be invoiced per
//! principal and customer number) or a final run, read its progress and
//! result, cancel it. `POST /api/v1/invoice-runs` still runs a final run
//! while the caller waits (`billing.rs`).

use crate::error::ApiError;
use crate::extract::{ApiJson, ApiUser};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use ramp_app::billing::jobs::{cancel_run, run_job, start_run, InvoiceRunJob};
use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StartBody {
    /// The month to invoice, `YYYY-MM`; it must have ended.
    pub month: String,
    /// true: compute what would be invoiced and write nothing.
    #[serde(default)]
    pub preliminary: bool,
}

fn accepted(job: InvoiceRunJob) -> Response {
    let location = format!("/api/v1/invoice-run-jobs/{}", job.id);
    let mut resp = (StatusCode::ACCEPTED, Json(job)).into_response();
    if let Ok(v) = HeaderValue::from_str(&location) {
        resp.headers_mut().insert(header::LOCATION, v);
    }
    resp
}

/// Starts a month's invoice run in the background and answers at once with
/// the job (its URL in `Location`). A final run creates one invoice per
/// customer number not yet invoiced for the month; a preliminary run
/// writes nothing. Only one final run of a month runs at a time.
#[utoipa::path(post, path = "/api/v1/invoice-run-jobs", tag = "billing", request_body = StartBody, security(("token" = []), ("session" = [])), responses(
    (status = 202, description = "started: id, month, preliminary, state (running, finished, cancelled, failed), stage (reading, writing, done), done, total, result once ended", body = Object),
    (status = 403, description = "role_required (finance)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "invalid_month, month_not_closed, month_out_of_range (field month)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn start(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(body): ApiJson<StartBody>,
) -> Result<Response, ApiError> {
    Ok(accepted(start_run(&state.app, &user, &body.month, body.preliminary).await?))
}

/// A run's state, stage and progress (invoices written of all) and, once
/// ended, its result: the invoices created (or, preliminary, to create)
/// with totals per customer number and per principal; a failed run's
/// error code (`run_in_progress` when another final run of the month runs).
#[utoipa::path(get, path = "/api/v1/invoice-run-jobs/{id}", tag = "billing", params(("id" = u64, Path, description = "the run job")), security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "the run's progress and result", body = Object),
    (status = 403, description = "role_required (finance)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "run_not_found (field id)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn status(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<u64>,
) -> Result<Json<InvoiceRunJob>, ApiError> {
    Ok(Json(run_job(&state.app, &user, id).await?))
}

/// Asks a run to stop after the batch of invoices it is writing: every
/// invoice is written whole or not at all, and a later final run of the
/// month invoices the rest. A run that has ended is answered as it is.
#[utoipa::path(post, path = "/api/v1/invoice-run-jobs/{id}/cancel", tag = "billing", params(("id" = u64, Path, description = "the run job")), security(("token" = []), ("session" = [])), responses(
    (status = 202, description = "cancellation asked for (cancel_requested); poll the job", body = Object),
    (status = 403, description = "role_required (finance)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "run_not_found (field id)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn cancel(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<u64>,
) -> Result<Response, ApiError> {
    Ok(accepted(cancel_run(&state.app, &user, id).await?))
}
