//! Catalog import over HTTP (issue 20): the file is the request body (a
//! CSV, or an XLSX — told by its ZIP signature), the import runs in the
//! background, and its progress and report are read by id.

use super::caller;
use crate::error::ApiError;
use crate::extract::{ApiUser, RequestId};
use crate::AppState;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use ramp_app::catalog_import::{import_job, start_import, ImportJob, ImportOptions};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// The largest import file (a national export of 500,000 articles is about 60 MB).
pub const MAX_IMPORT_BYTES: usize = 256 * 1024 * 1024;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// true: report what would change, write nothing.
    #[serde(default)]
    pub dry_run: bool,
    /// true: leave articles that are not in the file as they are (a partial file).
    #[serde(default)]
    pub keep_missing: bool,
    /// The product area of new articles whose ISO subclass no article has yet.
    pub product_area: Option<String>,
    /// The file's name, for the progress page.
    pub file_name: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StartedDto {
    pub id: u64,
    /// Where its progress is read.
    pub status_url: String,
}

/// Starts an import of the body (CSV or XLSX) and answers at once.
#[utoipa::path(post, path = "/api/v1/admin/catalog-imports", tag = "admin", params(ImportQuery), request_body(content = String, content_type = "text/csv", description = "the file: CSV (Inera's export or Ramp's plain layout) or XLSX"), security(("token" = []), ("session" = [])), responses(
    (status = 202, description = "started", body = StartedDto),
    (status = 403, description = "role_required", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 413, description = "body_too_large: more than 256 MB", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "required (file): an empty body; invalid query parameters", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 503, description = "the file could not be stored (disk full); retry", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn start(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    Query(q): Query<ImportQuery>,
    body: Bytes,
) -> Result<(StatusCode, Json<StartedDto>), ApiError> {
    let opts = ImportOptions { dry_run: q.dry_run, keep_missing: q.keep_missing, default_area: q.product_area };
    let name = q.file_name.unwrap_or_else(|| "import".into());
    let id = start_import(&state.app, caller(&user, &rid), &name, body.to_vec(), opts).await?;
    Ok((StatusCode::ACCEPTED, Json(StartedDto { id, status_url: format!("/api/v1/admin/catalog-imports/{id}") })))
}

/// An import's phase (reading, comparing, writing, done), rows done of
/// all, and once done its report: rows new, changed, unchanged, retired,
/// and every error by row and column.
#[utoipa::path(get, path = "/api/v1/admin/catalog-imports/{id}", tag = "admin", params(("id" = u64, Path, description = "the import")), security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "the import's progress and report", body = Object),
    (status = 403, description = "role_required", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "import_not_found", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn status(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    Path(id): Path<u64>,
) -> Result<Json<ImportJob>, ApiError> {
    Ok(Json(import_job(&state.app, caller(&user, &rid), id).await?))
}
