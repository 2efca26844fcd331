//! The workshop over HTTP beyond the work order itself (issue 19): spare
//! parts per model, checklist items checked off, attachments (stored in
//! the database, checked by their bytes, served as downloads), the
//! adaptation document as PDF, and the workshop's notifications.

use crate::error::ApiError;
use crate::extract::{ApiJson, ApiUser, RequestId};
use crate::AppState;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use ramp_app::supply as s;
use ramp_app::{AppError, ErrorKind};
use serde::Deserialize;
use serde_json::{json, Value};
use utoipa::{IntoParams, ToSchema};

/// The largest body the attachment route reads: above the 10 MiB limit,
/// so a slightly larger file is still refused with the use-case's 413.
pub const ATTACHMENT_BODY_LIMIT: usize = 11 * 1024 * 1024;

fn to_json(v: impl serde::Serialize) -> Result<Json<Value>, ApiError> {
    Ok(Json(serde_json::to_value(v).map_err(|e| AppError::internal("serialize", e))?))
}

/// A file download: its type, `attachment` with a safe name, and `nosniff`.
pub fn download(content: Vec<u8>, content_type: &str, filename: &str) -> Response {
    let mut resp = content.into_response();
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(content_type).unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    let ascii: String =
        filename.chars().map(|c| if c.is_ascii_alphanumeric() || "-_.".contains(c) { c } else { '_' }).collect();
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{ascii}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    resp
}

/// The spare parts that fit a model, with the stock of each in every warehouse.
#[utoipa::path(get, path = "/api/v1/models/{article_number}/spare-parts", tag = "supply", params(("article_number" = String, Path, description = "the model's article number")), security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "`[{\"article_number\", \"name\", \"stock\"}]`", body = Object),
    (status = 401, description = "not logged in", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 403, description = "role_required", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "article_not_found", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn spare_parts(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(model): Path<String>,
) -> Result<Json<Value>, ApiError> {
    to_json(s::spare_parts(&state.app, &user, &model).await?)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SparePartBody {
    pub part_article_number: String,
}

/// Links a spare part to a model (technicians, administrators); linking again changes nothing.
#[utoipa::path(post, path = "/api/v1/models/{article_number}/spare-parts", tag = "supply", request_body = SparePartBody, params(("article_number" = String, Path, description = "the model's article number")), security(("token" = []), ("session" = [])), responses(
    (status = 204, description = "linked"),
    (status = 401, description = "not logged in", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 403, description = "role_required", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "article_not_found (field named)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "same_article", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn add_spare_part(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(model): Path<String>,
    ApiJson(b): ApiJson<SparePartBody>,
) -> Result<StatusCode, ApiError> {
    s::add_spare_part(&state.app, &user, &model, &b.part_article_number).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Checks an item of the work order's checklist off (who and when are recorded).
#[utoipa::path(post, path = "/api/v1/work-orders/{id}/checklist/{item}", tag = "supply", params(("id" = i64, Path, description = "the work order"), ("item" = i64, Path, description = "the checklist item")), security(("token" = []), ("session" = [])), responses(
    (status = 204, description = "checked"),
    (status = 401, description = "not logged in", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 403, description = "role_required", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 409, description = "checklist_item_refused: not an item of the order's kind, or the order is not active", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn check_item(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path((id, item)): Path<(i64, i64)>,
) -> Result<StatusCode, ApiError> {
    s::check_item(&state.app, &user, id, item).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AttachmentQuery {
    /// The file's name (made safe; the extension follows the content).
    pub filename: Option<String>,
}

/// Attaches a photo (JPEG, PNG) or PDF to a work order: the body is the
/// file. The type is told by the file's first bytes, not its name.
#[utoipa::path(post, path = "/api/v1/work-orders/{id}/attachments", tag = "supply", params(("id" = i64, Path, description = "the work order"), AttachmentQuery), request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "the file, at most 10 MB"), security(("token" = []), ("session" = [])), responses(
    (status = 201, description = "`{\"id\": n}`", body = Object),
    (status = 401, description = "not logged in", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 403, description = "role_required", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "work_order_not_found", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 413, description = "attachment_too_large (field file)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 415, description = "attachment_type (field file): not a JPEG, PNG or PDF", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn add_attachment(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Query(q): Query<AttachmentQuery>,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let body = body.map_err(|_| too_large())?;
    let name = q.filename.unwrap_or_default();
    let a = s::add_attachment(&state.app, &user, id, &name, body.to_vec()).await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": a }))))
}

/// A body the server would not read whole: too large, naming the field.
pub fn too_large() -> AppError {
    AppError::new(ErrorKind::TooLarge, "attachment_too_large", "an attachment is at most 10 MB").with_field("file")
}

/// Downloads an attachment with its type, as `attachment`, `nosniff`.
#[utoipa::path(get, path = "/api/v1/work-orders/{id}/attachments/{attachment}", tag = "supply", params(("id" = i64, Path, description = "the work order"), ("attachment" = i64, Path, description = "the attachment")), security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "the file (image/jpeg, image/png or application/pdf)", content_type = "application/octet-stream"),
    (status = 401, description = "not logged in", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 403, description = "role_required", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "attachment_not_found", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn attachment(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path((id, attachment)): Path<(i64, i64)>,
) -> Result<Response, ApiError> {
    let (meta, content) = s::attachment(&state.app, &user, id, attachment).await?;
    Ok(download(content, &meta.content_type, &meta.filename))
}

/// The adaptation document as a PDF, read as the document is (audited as `adaptation.read`).
#[utoipa::path(get, path = "/api/v1/adaptation-documents/{id}/pdf", tag = "supply", params(("id" = String, Path, description = "the document's public id")), security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "the PDF", content_type = "application/pdf"),
    (status = 401, description = "not logged in", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 403, description = "role_required or not_your_prescription (audited)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "document_not_found", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn document_pdf(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let (pdf, name) = adaptation_pdf(&state, &user, &id, &rid).await?;
    Ok(download(pdf, "application/pdf", &name))
}

/// The PDF of a document the user may read, and its file name.
pub async fn adaptation_pdf(
    state: &AppState,
    user: &ramp_app::model::User,
    public_id: &str,
    request_id: &str,
) -> Result<(Vec<u8>, String), AppError> {
    let p = s::printable_adaptation(&state.app, user, public_id, Some(request_id)).await?;
    let facts = crate::pdf::adaptation::Facts {
        device_number: p.device_number.as_deref(),
        uploaded_by: &p.uploaded_by,
        signed_by: p.signed_by.as_deref(),
    };
    let pdf = crate::pdf::adaptation::render(&p.doc, &facts);
    let doc = p.doc;
    Ok((pdf, format!("anpassningsdokument-{}.pdf", doc.work_order_id)))
}

/// The caller's workshop notifications (a signed adaptation of a device they ordered, or for the warehouse).
#[utoipa::path(get, path = "/api/v1/workshop-notifications", tag = "supply", security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "`[{\"id\", \"kind\", \"work_order_id\", \"device_number\", \"occurred_at\", \"read_at\"}]`, newest first", body = Object),
    (status = 401, description = "not logged in", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn notifications(State(state): State<AppState>, ApiUser(user): ApiUser) -> Result<Json<Value>, ApiError> {
    to_json(s::workshop_notifications(&state.app, &user).await?)
}
