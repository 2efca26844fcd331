//! The prescriber's inbox over HTTP: notifications of their orders'
//! status changes, and marking one read.

use crate::error::ApiError;
use crate::extract::ApiUser;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, Utc};
use ramp_app::model::Notification;
use ramp_domain::Term;
use serde::Serialize;
use utoipa::ToSchema;

/// One notification: an order of the caller's changed status.
#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationDto {
    pub id: i64,
    pub order_id: i64,
    /// picked | out_for_delivery | delivered | cancelled
    pub to_status: String,
    pub occurred_at: DateTime<Utc>,
    /// Absent while unread.
    pub read_at: Option<DateTime<Utc>>,
    /// The order's first article, to say which order it is.
    pub first_article: String,
}

impl From<&Notification> for NotificationDto {
    fn from(n: &Notification) -> Self {
        Self {
            id: n.id,
            order_id: n.order_id,
            to_status: n.to_status.as_str().into(),
            occurred_at: n.occurred_at,
            read_at: n.read_at,
            first_article: n.first_article.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InboxDto {
    pub unread: i64,
    /// Newest first, at most 100.
    pub notifications: Vec<NotificationDto>,
}

/// The caller's inbox: their orders' status changes, newest first.
#[utoipa::path(get, path = "/api/v1/notifications", tag = "ordering", security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "the inbox", body = InboxDto),
    (status = 401, description = "not logged in", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 503, description = "unavailable: the database cannot be reached (retry later)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn list(State(state): State<AppState>, ApiUser(user): ApiUser) -> Result<Json<InboxDto>, ApiError> {
    let (list, unread) = ramp_app::notifications::inbox(&state.app, &user).await?;
    Ok(Json(InboxDto { unread, notifications: list.iter().map(NotificationDto::from).collect() }))
}

/// Marks one of the caller's notifications read.
#[utoipa::path(post, path = "/api/v1/notifications/{id}/read", tag = "ordering", params(("id" = i64, Path, description = "the notification")), security(("token" = []), ("session" = [])), responses(
    (status = 204, description = "read"),
    (status = 404, description = "no such notification in your inbox", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn read(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    ramp_app::notifications::mark_read(&state.app, &user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
