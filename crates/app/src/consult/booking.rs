//! Booking, cancelling and rebooking a slot for an activity, and the
//! booking as a calendar entry. The checks here give the user a precise
//! reason; the database decides races (a slot is booked at most once).

use super::activity::{assemble, load, view, view_to_act, ConsultationView};
use super::ics::{calendar, IcsEvent};
use super::messages::{for_change, Change};
use crate::access::authorize_patient_read;
use crate::error::{AppError, Result};
use crate::App;
use ramp_domain::consult::{booking_deadline, ConsultationStatus};
use ramp_model::{BookingCancellation, Id, NewBooking, Slot, StorageError, User};
use serde::Serialize;

/// A booking as an iCalendar document.
#[derive(Debug, Clone, Serialize)]
pub struct BookingCalendar {
    pub filename: String,
    pub body: String,
}

fn slot_taken() -> AppError {
    AppError::conflict("slot_taken", "someone else booked this slot; choose another").with_field("slot_id")
}

fn closed() -> AppError {
    AppError::conflict(
        "consultation_closed",
        "no slot was booked within three days, so the consultation closed; open a new one",
    )
    .with_field("consultation_id")
}

fn not_booked() -> AppError {
    AppError::conflict("not_booked", "the consultation has no booking").with_field("consultation_id")
}

/// Checks the activity and the slot before writing; the same checks
/// explain a write the database refused.
async fn check(app: &App, view: &ConsultationView, slot_id: Id, rebooking: bool) -> Result<Slot> {
    let c = &view.consultation;
    match (c.status, rebooking) {
        (ConsultationStatus::ClosedUnbooked, _) => return Err(closed()),
        (ConsultationStatus::Booked, false) => {
            return Err(AppError::conflict(
                "already_booked",
                "the consultation is booked already; rebook it to move it to another slot",
            )
            .with_field("consultation_id"))
        }
        (ConsultationStatus::Open, true) => return Err(not_booked()),
        _ => {}
    }
    let slot = app
        .storage
        .slot(slot_id)
        .await?
        .ok_or_else(|| AppError::not_found(Some("slot_id"), "slot_not_found", format!("no slot {slot_id}")))?;
    if slot.service_code != c.service_code {
        return Err(AppError::invalid(
            "slot_id",
            "slot_wrong_service",
            format!("the slot is for another service product than '{}'", view.service.name_en),
        ));
    }
    if slot.withdrawn_at.is_some() {
        return Err(AppError::conflict("slot_withdrawn", "the consultant withdrew this slot").with_field("slot_id"));
    }
    if slot.starts_at <= app.clock.now() {
        return Err(AppError::conflict("slot_in_past", "the slot has already begun").with_field("slot_id"));
    }
    match slot.booked_consultation_id {
        Some(other) if other == c.id => {
            Err(AppError::invalid("slot_id", "same_slot", "the consultation is booked in this slot already"))
        }
        Some(_) => Err(slot_taken()),
        None => Ok(slot),
    }
}

async fn book_or_rebook(
    app: &App,
    user: &User,
    id: Id,
    slot_id: Id,
    rebooking: bool,
    request_id: Option<&str>,
) -> Result<ConsultationView> {
    let action = if rebooking { "consultation.rebook" } else { "consultation.book" };
    let v = view_to_act(app, user, id, action, request_id).await?;
    let slot = check(app, &v, slot_id, rebooking).await?;
    let previous = v.consultation.booking().map(|b| b.slot.clone());
    let change = if rebooking { Change::Rebooked } else { Change::Booked };
    let booking = NewBooking {
        consultation_id: id,
        slot_id,
        actor_user_id: user.id,
        at: app.clock.now(),
        replace: rebooking,
        messages: for_change(change, &v.consultation, &v.service, &slot, previous.as_ref()),
    };
    match app.storage.book_slot(&booking).await {
        Ok(_) => {}
        Err(e) if e.is_conflict_on("consultation_bookings_one_per_slot", "consultation_bookings.slot_id") => {
            return Err(slot_taken())
        }
        Err(StorageError::StateMismatch(m)) | Err(StorageError::Conflict { constraint: m }) => {
            // Someone changed the activity or the slot meanwhile: say what.
            let now = view(app, user, id, action, request_id).await?;
            check(app, &now, slot_id, rebooking).await?;
            return Err(AppError::conflict("state_changed", m));
        }
        Err(e) => return Err(e.into()),
    }
    assemble(app, load(app, id).await?, v.access).await
}

/// Books a free slot of the activity's service product. Refused once the
/// activity closed (three days without a booking) or when booked already.
pub async fn book(app: &App, user: &User, id: Id, slot_id: Id, request_id: Option<&str>) -> Result<ConsultationView> {
    book_or_rebook(app, user, id, slot_id, false, request_id).await
}

/// Moves a booked activity to another free slot in one step: if the new
/// slot is taken, the old booking stands.
pub async fn rebook(app: &App, user: &User, id: Id, slot_id: Id, request_id: Option<&str>) -> Result<ConsultationView> {
    book_or_rebook(app, user, id, slot_id, true, request_id).await
}

/// Cancels the booking: the slot is free again and the activity has three
/// new days to be booked.
pub async fn cancel(app: &App, user: &User, id: Id, request_id: Option<&str>) -> Result<ConsultationView> {
    let v = view_to_act(app, user, id, "consultation.cancel", request_id).await?;
    let Some(current) = v.consultation.booking() else { return Err(not_booked()) };
    let now = app.clock.now();
    let cancellation = BookingCancellation {
        consultation_id: id,
        actor_user_id: user.id,
        at: now,
        new_deadline: booking_deadline(now),
        messages: for_change(Change::Cancelled, &v.consultation, &v.service, &current.slot, None),
    };
    match app.storage.cancel_booking(&cancellation).await {
        Ok(_) => assemble(app, load(app, id).await?, v.access).await,
        Err(StorageError::StateMismatch(_)) => Err(not_booked()),
        Err(e) => Err(e.into()),
    }
}

/// A booking (in force or cancelled) as an iCalendar entry, for whoever
/// may read its activity (audited as `consultation.calendar`). The entry
/// names no patient: calendars are synchronised to places patient data
/// must not go.
pub async fn booking_calendar(
    app: &App,
    user: &User,
    booking_id: Id,
    request_id: Option<&str>,
) -> Result<BookingCalendar> {
    let booking = app.storage.booking(booking_id).await?.ok_or_else(|| {
        AppError::not_found(Some("booking_id"), "booking_not_found", format!("no booking {booking_id}"))
    })?;
    let c = load(app, booking.consultation_id).await?;
    authorize_patient_read(app, user, c.patient_id, "consultation.calendar", request_id).await?;
    let service = super::slots::service(app, &c.service_code, "service_code").await?;
    let slot = &booking.slot;
    let event = IcsEvent {
        uid: format!("consultation-booking-{booking_id}@ramp"),
        stamp: booking.cancelled_at.unwrap_or(booking.booked_at),
        start: slot.starts_at,
        end: slot.ends_at,
        summary: format!("{} (konsultation {})", service.name_sv, c.id),
        location: slot.location.clone(),
        description: format!("Konsulent: {}\nFörskrivare: {}", slot.consultant_name, c.prescriber_name),
        cancelled: booking.cancelled_at.is_some(),
    };
    Ok(BookingCalendar { filename: format!("konsultation-{}-bokning-{booking_id}.ics", c.id), body: calendar(&event) })
}
