//! Slots: a consultant publishes (and may withdraw) time slots per location
//! and service product; prescribers list the free ones.

use crate::error::{AppError, Result};
use crate::App;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use ramp_domain::consult::{stockholm_to_utc, MAX_SLOT_MINUTES, MIN_SLOT_MINUTES};
use ramp_domain::role::Role;
use ramp_model::{ConsultationLocation, ConsultationService, Id, NewSlot, Slot, SlotQuery, StorageError, User};

/// A slot to publish.
#[derive(Debug, Clone)]
pub struct SlotRequest {
    pub service_code: String,
    pub location: String,
    pub starts_at: DateTime<Utc>,
    pub minutes: i64,
}

/// Which free slots to list; all upcoming ones by default.
#[derive(Debug, Clone, Default)]
pub struct SlotFilter {
    pub service_code: Option<String>,
    pub location_id: Option<Id>,
    /// From this Stockholm date (never before now).
    pub from: Option<NaiveDate>,
}

/// How far ahead a slot may be published.
const MAX_AHEAD: Duration = Duration::days(366);

pub async fn services(app: &App) -> Result<Vec<ConsultationService>> {
    Ok(app.storage.consultation_services().await?)
}

pub async fn locations(app: &App) -> Result<Vec<ConsultationLocation>> {
    Ok(app.storage.consultation_locations().await?)
}

/// The service product with this code, or an error naming `field`.
pub(crate) async fn service(app: &App, code: &str, field: &str) -> Result<ConsultationService> {
    let code = code.trim();
    if code.is_empty() {
        return Err(AppError::invalid(field, "required", "choose a service product"));
    }
    services(app)
        .await?
        .into_iter()
        .find(|s| s.code == code)
        .ok_or_else(|| AppError::invalid(field, "unknown_service", format!("no service product '{code}'")))
}

fn consultant(user: &User) -> Result<()> {
    if user.has_role(Role::Consultant) {
        Ok(())
    } else {
        Err(AppError::forbidden("consultant_role_required", "only the centre's consultants publish slots"))
    }
}

fn overlaps(a: &Slot, start: DateTime<Utc>, end: DateTime<Utc>) -> bool {
    a.withdrawn_at.is_none() && a.starts_at < end && start < a.ends_at
}

/// Publishes a slot. It must start in the future, last 15 minutes to 8
/// hours, and not overlap another slot of the same consultant.
pub async fn publish_slot(app: &App, user: &User, req: &SlotRequest) -> Result<Slot> {
    consultant(user)?;
    let service = service(app, &req.service_code, "service_code").await?;
    let location = req.location.trim();
    if location.chars().count() < 2 {
        return Err(AppError::invalid(
            "location",
            "required",
            "name the place (a room, an address or a video meeting)",
        ));
    }
    if location.chars().count() > 100 {
        return Err(AppError::invalid("location", "too_long", "at most 100 characters"));
    }
    if !(MIN_SLOT_MINUTES..=MAX_SLOT_MINUTES).contains(&req.minutes) {
        return Err(AppError::invalid(
            "minutes",
            "invalid_duration",
            format!("a slot lasts {MIN_SLOT_MINUTES} to {MAX_SLOT_MINUTES} minutes"),
        ));
    }
    let now = app.clock.now();
    if req.starts_at <= now {
        return Err(AppError::invalid("starts_at", "slot_in_past", "a slot must start in the future"));
    }
    if req.starts_at > now + MAX_AHEAD {
        return Err(AppError::invalid("starts_at", "too_far_ahead", "publish slots at most a year ahead"));
    }
    let ends_at = req.starts_at + Duration::minutes(req.minutes);
    let nearby = app
        .storage
        .slots(&SlotQuery {
            from: Some(req.starts_at - Duration::minutes(MAX_SLOT_MINUTES)),
            to: Some(ends_at),
            consultant_id: Some(user.id),
            limit: 1000,
            ..SlotQuery::default()
        })
        .await?;
    let overlap =
        || AppError::conflict("slot_overlaps", "you already have a slot at that time").with_field("starts_at");
    if nearby.iter().any(|s| overlaps(s, req.starts_at, ends_at)) {
        return Err(overlap());
    }
    let slot = NewSlot {
        consultant_id: user.id,
        location: location.to_string(),
        service_code: service.code,
        starts_at: req.starts_at,
        ends_at,
        at: now,
    };
    match app.storage.publish_slot(&slot).await {
        Ok(s) => Ok(s),
        Err(e) if e.is_conflict_on("consultation_slots_consultant_start_key", "consultation_slots.consultant_id") => {
            Err(overlap())
        }
        Err(e) => Err(e.into()),
    }
}

/// Withdraws one of the consultant's own slots that nobody has booked.
pub async fn withdraw_slot(app: &App, user: &User, slot_id: Id) -> Result<()> {
    consultant(user)?;
    let slot =
        app.storage.slot(slot_id).await?.filter(|s| s.consultant_id == user.id).ok_or_else(|| {
            AppError::not_found(Some("slot_id"), "slot_not_found", format!("you have no slot {slot_id}"))
        })?;
    if slot.booked_consultation_id.is_some() {
        return Err(AppError::conflict("slot_booked", "the slot is booked; the booking must be cancelled first")
            .with_field("slot_id"));
    }
    match app.storage.withdraw_slot(slot_id, user.id, app.clock.now()).await {
        Ok(()) => Ok(()),
        Err(StorageError::StateMismatch(_)) => {
            Err(AppError::conflict("slot_booked", "the slot was booked or withdrawn meanwhile").with_field("slot_id"))
        }
        Err(e) => Err(e.into()),
    }
}

/// Free slots from now (or from `filter.from`), soonest first.
pub async fn available_slots(app: &App, filter: &SlotFilter) -> Result<Vec<Slot>> {
    let now = app.clock.now();
    let from = match filter.from {
        Some(day) => stockholm_to_utc(day.and_hms_opt(0, 0, 0).unwrap_or_default(), "from")?.max(now),
        None => now,
    };
    Ok(app
        .storage
        .slots(&SlotQuery {
            from: Some(from),
            service_code: filter.service_code.clone().filter(|s| !s.is_empty()),
            location_id: filter.location_id,
            free_only: true,
            limit: 200,
            ..SlotQuery::default()
        })
        .await?)
}

/// The consultant's own slots from the start of today, booked or not.
pub async fn my_slots(app: &App, user: &User) -> Result<Vec<Slot>> {
    consultant(user)?;
    let today = app.today().and_hms_opt(0, 0, 0).unwrap_or_default();
    let from = stockholm_to_utc(today, "from")?;
    Ok(app
        .storage
        .slots(&SlotQuery { from: Some(from), consultant_id: Some(user.id), limit: 500, ..SlotQuery::default() })
        .await?)
}
