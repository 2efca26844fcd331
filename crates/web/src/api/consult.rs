//! Consultation booking over HTTP: service products and locations, slots
//! (published by consultants), consultation activities (opened by
//! prescribers, audited reads), booking, rebooking and cancelling, and a
//! booking as an iCalendar entry. Personal identity numbers travel in
//! bodies only.

use super::consult_dto::{
    ConsultationDto, ConsultationListDto, ConsultationSummaryDto, LocationDto, ServiceDto, ServicesDto, SlotDto,
    SlotListDto,
};
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiUser, RequestId};
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use ramp_app::consult::{NewConsultationRequest, SlotFilter, SlotRequest};
use ramp_app::dates::parse_optional_date;
use ramp_app::AppError;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SlotBody {
    /// The service product's code (see `/api/v1/consultations/services`).
    pub service_code: String,
    /// Where: a room, an address or "Videomöte". A new name becomes a new location.
    pub location: String,
    /// RFC 3339 with an offset, e.g. `2026-11-24T10:00:00+01:00`.
    pub starts_at: String,
    /// 15 to 480.
    pub minutes: i64,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SlotParams {
    /// Only slots of this service product.
    pub service_code: Option<String>,
    /// Only slots at this location.
    pub location_id: Option<i64>,
    /// `YYYY-MM-DD` (Stockholm): from this day on (never before now).
    pub from: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsultationBody {
    /// The patient's personnummer or samordningsnummer.
    pub personal_id: String,
    pub service_code: String,
    /// What the prescriber needs help with (5 to 2,000 characters).
    pub question: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BookingBody {
    /// A free slot of the activity's service product.
    pub slot_id: i64,
}

fn instant(field: &str, s: &str) -> Result<DateTime<Utc>, ApiError> {
    let at = DateTime::parse_from_rfc3339(s.trim()).map(|t| t.with_timezone(&Utc)).map_err(|_| {
        AppError::invalid(field, "invalid_datetime", "expected a time such as 2026-11-24T10:00:00+01:00")
    })?;
    Ok(ramp_app::dates::check_instant(field, at)?)
}

/// The service products consultants offer, and the locations in use.
#[utoipa::path(get, path = "/api/v1/consultations/services", tag = "consultations", security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "service products and locations", body = ServicesDto),
    (status = 401, description = "not logged in", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 503, description = "unavailable: the database cannot be reached (retry later)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn services(State(state): State<AppState>, ApiUser(_): ApiUser) -> Result<Json<ServicesDto>, ApiError> {
    let services = ramp_app::consult::services(&state.app).await?;
    let locations = ramp_app::consult::locations(&state.app).await?;
    Ok(Json(ServicesDto {
        services: services.iter().map(ServiceDto::from).collect(),
        locations: locations.into_iter().map(|l| LocationDto { id: l.id, name: l.name }).collect(),
    }))
}

/// Free slots from now on, soonest first; filter by service product, location and day.
#[utoipa::path(get, path = "/api/v1/consultations/slots", tag = "consultations", params(SlotParams), security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "free slots", body = SlotListDto),
    (status = 422, description = "invalid `from`", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn free_slots(
    State(state): State<AppState>,
    ApiUser(_): ApiUser,
    Query(p): Query<SlotParams>,
) -> Result<Json<SlotListDto>, ApiError> {
    let filter = SlotFilter {
        service_code: p.service_code,
        location_id: p.location_id,
        from: parse_optional_date("from", p.from.as_deref(), "2026-11-24")?,
    };
    let slots = ramp_app::consult::available_slots(&state.app, &filter).await?;
    Ok(Json(SlotListDto { slots: slots.iter().map(SlotDto::from).collect() }))
}

/// A consultant's own slots from today on, booked or not.
#[utoipa::path(get, path = "/api/v1/consultations/slots/mine", tag = "consultations", security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "the consultant's slots", body = SlotListDto),
    (status = 403, description = "consultant_role_required", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn my_slots(State(state): State<AppState>, ApiUser(user): ApiUser) -> Result<Json<SlotListDto>, ApiError> {
    let slots = ramp_app::consult::my_slots(&state.app, &user).await?;
    Ok(Json(SlotListDto { slots: slots.iter().map(SlotDto::from).collect() }))
}

/// Publishes a slot (consultants only).
#[utoipa::path(post, path = "/api/v1/consultations/slots", tag = "consultations", request_body = SlotBody, security(("token" = []), ("session" = [])), responses(
    (status = 201, description = "published", body = SlotDto),
    (status = 403, description = "consultant_role_required", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 409, description = "slot_overlaps (field starts_at)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "invalid input naming the field (service_code, location, starts_at, minutes)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn publish_slot(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(body): ApiJson<SlotBody>,
) -> Result<(StatusCode, Json<SlotDto>), ApiError> {
    let req = SlotRequest {
        service_code: body.service_code,
        location: body.location,
        starts_at: instant("starts_at", &body.starts_at)?,
        minutes: body.minutes,
    };
    let slot = ramp_app::consult::publish_slot(&state.app, &user, &req).await?;
    Ok((StatusCode::CREATED, Json(SlotDto::from(&slot))))
}

/// Withdraws one of the consultant's own slots that nobody has booked.
#[utoipa::path(delete, path = "/api/v1/consultations/slots/{id}", tag = "consultations", params(("id" = i64, Path, description = "the slot")), security(("token" = []), ("session" = [])), responses(
    (status = 204, description = "withdrawn"),
    (status = 404, description = "no such slot of yours", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 409, description = "slot_booked", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn withdraw_slot(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    ramp_app::consult::withdraw_slot(&state.app, &user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Opens a consultation activity for a patient (prescribers, with a care
/// relationship; audited). It must be booked within three days or it closes by itself.
#[utoipa::path(post, path = "/api/v1/consultations", tag = "consultations", request_body = ConsultationBody, security(("token" = []), ("session" = [])), responses(
    (status = 201, description = "opened, waiting for a booking", body = ConsultationDto),
    (status = 403, description = "care_relationship_required or prescriber_role_required", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "invalid input naming the field (personal_id, service_code, question)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn create(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    ApiJson(body): ApiJson<ConsultationBody>,
) -> Result<(StatusCode, Json<ConsultationDto>), ApiError> {
    let req = NewConsultationRequest {
        personal_id: body.personal_id,
        service_code: body.service_code,
        question: body.question,
    };
    let v = ramp_app::consult::create_consultation(&state.app, &user, &req, Some(&rid)).await?;
    Ok((StatusCode::CREATED, Json(ConsultationDto::from(&v))))
}

/// The caller's activities: a prescriber's own, a consultant's booked ones. No patient data.
#[utoipa::path(get, path = "/api/v1/consultations", tag = "consultations", security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "the activities", body = ConsultationListDto),
    (status = 401, description = "not logged in", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 503, description = "unavailable: the database cannot be reached (retry later)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<ConsultationListDto>, ApiError> {
    let list = ramp_app::consult::my_consultations(&state.app, &user).await?;
    Ok(Json(ConsultationListDto { consultations: list.iter().map(ConsultationSummaryDto::from).collect() }))
}

/// One activity with its bookings, history and confirmation messages (audited).
#[utoipa::path(get, path = "/api/v1/consultations/{id}", tag = "consultations", params(("id" = i64, Path, description = "the activity")), security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "the activity", body = ConsultationDto),
    (status = 403, description = "care_relationship_required", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "consultation_not_found", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn get_one(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    Path(id): Path<i64>,
) -> Result<Json<ConsultationDto>, ApiError> {
    let v = ramp_app::consult::consultation(&state.app, &user, id, Some(&rid)).await?;
    Ok(Json(ConsultationDto::from(&v)))
}

/// Books a free slot. Confirmations to the prescriber and the consultant
/// go to the outbox in the same transaction.
#[utoipa::path(post, path = "/api/v1/consultations/{id}/booking", tag = "consultations", request_body = BookingBody, params(("id" = i64, Path, description = "the activity")), security(("token" = []), ("session" = [])), responses(
    (status = 201, description = "booked", body = ConsultationDto),
    (status = 403, description = "not_your_consultation or care_relationship_required", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "consultation_not_found or slot_not_found", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 409, description = "slot_taken, slot_withdrawn, slot_in_past (field slot_id); consultation_closed, already_booked (field consultation_id)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "slot_wrong_service, same_slot (field slot_id)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn book(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<BookingBody>,
) -> Result<(StatusCode, Json<ConsultationDto>), ApiError> {
    let v = ramp_app::consult::book(&state.app, &user, id, body.slot_id, Some(&rid)).await?;
    Ok((StatusCode::CREATED, Json(ConsultationDto::from(&v))))
}

/// Moves the booking to another free slot in one step (the old one stands if the new is taken).
#[utoipa::path(put, path = "/api/v1/consultations/{id}/booking", tag = "consultations", request_body = BookingBody, params(("id" = i64, Path, description = "the activity")), security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "rebooked", body = ConsultationDto),
    (status = 409, description = "slot_taken, slot_withdrawn, slot_in_past, not_booked", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "slot_wrong_service, same_slot (field slot_id)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn rebook(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<BookingBody>,
) -> Result<Json<ConsultationDto>, ApiError> {
    let v = ramp_app::consult::rebook(&state.app, &user, id, body.slot_id, Some(&rid)).await?;
    Ok(Json(ConsultationDto::from(&v)))
}

/// Cancels the booking; the activity has three new days to be booked.
#[utoipa::path(delete, path = "/api/v1/consultations/{id}/booking", tag = "consultations", params(("id" = i64, Path, description = "the activity")), security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "cancelled; open again", body = ConsultationDto),
    (status = 409, description = "not_booked", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn cancel(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    Path(id): Path<i64>,
) -> Result<Json<ConsultationDto>, ApiError> {
    let v = ramp_app::consult::cancel(&state.app, &user, id, Some(&rid)).await?;
    Ok(Json(ConsultationDto::from(&v)))
}

/// A booking as an iCalendar entry (RFC 5545, `text/calendar`); a
/// cancelled booking comes as `STATUS:CANCELLED`. Audited as a read.
#[utoipa::path(get, path = "/api/v1/consultations/bookings/{booking_id}/calendar", tag = "consultations", params(("booking_id" = i64, Path, description = "the booking")), security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "the calendar entry", content_type = "text/calendar", body = String),
    (status = 404, description = "booking_not_found", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn calendar(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    Path(booking_id): Path<i64>,
) -> Result<Response, ApiError> {
    let cal = ramp_app::consult::booking_calendar(&state.app, &user, booking_id, Some(&rid)).await?;
    Ok(calendar_response(cal))
}

/// The `text/calendar` answer, offered as a file download.
pub(crate) fn calendar_response(cal: ramp_app::consult::BookingCalendar) -> Response {
    let mut resp = cal.body.into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ramp_app::consult::ics::CONTENT_TYPE));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{}\"", cal.filename)) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    resp
}
