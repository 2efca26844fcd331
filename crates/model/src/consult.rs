//! The HMC-service side of the storage (issue 5): consultation booking
//! (slots, activities, bookings, the outbox) and the sale of surplus used
//! basic equipment (sales and complaints). A supertrait of
//! [`crate::Storage`], implemented once for both engines by
//! `ramp_storage::SqlStorage` (`sql/consult.rs`).
//!
//! As in `orders.rs`, every write is one transaction whose first statement
//! is a write, and races are decided by the database: a slot is booked at
//! most once and an activity has at most one booking in force (partial
//! unique indexes); bookings, cancellations and sales are conditional
//! writes (`... WHERE status = 'open' AND booking_deadline > $now`,
//! `... WHERE state = 'in_stock'`).

use crate::{Id, Result};
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use ramp_domain::consult::{ConsultationEventKind, ConsultationStatus};
use serde::Serialize;

/// A service product a consultant offers ("tjänsteprodukt").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConsultationService {
    pub code: String,
    pub name_sv: String,
    pub name_en: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConsultationLocation {
    pub id: Id,
    pub name: String,
}

/// A slot a consultant publishes. The location is named; a new name
/// becomes a new location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSlot {
    pub consultant_id: Id,
    pub location: String,
    pub service_code: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub at: DateTime<Utc>,
}

/// A published slot, with its booking in force if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Slot {
    pub id: Id,
    pub consultant_id: Id,
    pub consultant_name: String,
    pub consultant_username: String,
    pub location_id: Id,
    pub location: String,
    pub service_code: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub withdrawn_at: Option<DateTime<Utc>>,
    /// The activity booked in this slot, when a booking is in force.
    pub booked_consultation_id: Option<Id>,
}

/// Which slots to list. Slots starting before `from` are left out.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SlotQuery {
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub service_code: Option<String>,
    pub location_id: Option<Id>,
    pub consultant_id: Option<Id>,
    /// Only slots nobody has booked and the consultant has not withdrawn.
    pub free_only: bool,
    pub limit: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewConsultation {
    pub patient_id: Id,
    pub prescriber_id: Id,
    pub unit_id: Option<Id>,
    pub service_code: String,
    pub question: String,
    pub at: DateTime<Utc>,
    pub booking_deadline: DateTime<Utc>,
}

/// A booking, in force or cancelled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Booking {
    pub id: Id,
    pub consultation_id: Id,
    pub slot: Slot,
    pub booked_by: Id,
    pub booked_at: DateTime<Utc>,
    pub cancelled_by: Option<Id>,
    pub cancelled_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConsultationEvent {
    pub occurred_at: DateTime<Utc>,
    pub kind: ConsultationEventKind,
    pub booking_id: Option<Id>,
    pub actor_user_id: Option<Id>,
}

/// A consultation activity with its bookings (newest first) and history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Consultation {
    pub id: Id,
    pub patient_id: Id,
    pub prescriber_id: Id,
    pub prescriber_name: String,
    pub prescriber_username: String,
    pub unit_id: Option<Id>,
    pub service_code: String,
    pub question: String,
    pub status: ConsultationStatus,
    pub created_at: DateTime<Utc>,
    pub booking_deadline: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    pub bookings: Vec<Booking>,
    pub events: Vec<ConsultationEvent>,
}

impl Consultation {
    /// The booking in force, if any.
    pub fn booking(&self) -> Option<&Booking> {
        self.bookings.iter().find(|b| b.cancelled_at.is_none())
    }
}

/// One row of a list of activities: no patient data, so listing needs no audit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConsultationSummary {
    pub id: Id,
    pub service_code: String,
    pub status: ConsultationStatus,
    pub created_at: DateTime<Utc>,
    pub booking_deadline: DateTime<Utc>,
    pub slot_starts_at: Option<DateTime<Utc>>,
    pub location: Option<String>,
}

/// A message to send, written in the same transaction as what it confirms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewMessage {
    /// A Ramp username; the dispatcher maps it to an address.
    pub recipient: String,
    pub subject: String,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutboxMessage {
    pub id: Id,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub consultation_id: Option<Id>,
}

/// Books `slot_id` for an open activity whose deadline has not passed at
/// `at`. With `replace`, the activity is booked already and its booking in
/// force is cancelled in the same transaction (a rebooking).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewBooking {
    pub consultation_id: Id,
    pub slot_id: Id,
    pub actor_user_id: Id,
    pub at: DateTime<Utc>,
    pub replace: bool,
    pub messages: Vec<NewMessage>,
}

/// Cancels the booking in force; the activity is open again until `new_deadline`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookingCancellation {
    pub consultation_id: Id,
    pub actor_user_id: Id,
    pub at: DateTime<Utc>,
    pub new_deadline: DateTime<Utc>,
    pub messages: Vec<NewMessage>,
}

/// An article of earlier assortment with more devices in central stock than demand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SurplusArticle {
    pub article_id: Id,
    pub article_number: String,
    pub article_name: String,
    pub iso_code: String,
    pub valid_to: NaiveDate,
    pub spare_parts_until: Option<NaiveDate>,
    /// Devices on the shelf in central warehouses.
    pub in_stock: i64,
    /// Quantity ordered in the demand window (order lines not cancelled).
    pub demand: i64,
    pub devices: Vec<SurplusDevice>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SurplusDevice {
    pub device_id: Id,
    pub device_number: String,
    pub purchase_date: NaiveDate,
    pub purchase_price_ore: i64,
    pub warehouse_name: String,
}

/// A sale to write. The storage re-checks, with the article row locked,
/// that the article is still of earlier assortment, its spare parts last
/// until `spare_parts_needed_until`, and stock still exceeds the demand
/// since `demand_since`; the device must still be in central stock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSurplusSale {
    pub device_id: Id,
    pub buyer_principal_id: Id,
    pub customer_number_id: Id,
    pub price_ore: i64,
    pub sold_by: Id,
    pub at: DateTime<Utc>,
    pub on: NaiveDate,
    pub spare_parts_needed_until: NaiveDate,
    pub demand_since: DateTime<Utc>,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SurplusComplaint {
    pub id: Id,
    pub registered_by: Id,
    pub registered_at: DateTime<Utc>,
    pub registered_on: NaiveDate,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SurplusSale {
    pub id: Id,
    pub device_id: Id,
    pub device_number: String,
    pub article_number: String,
    pub article_name: String,
    pub buyer_principal_id: Id,
    pub buyer_name: String,
    pub customer_number: String,
    pub purchase_price_ore: i64,
    pub price_ore: i64,
    pub sold_by: Id,
    pub sold_at: DateTime<Utc>,
    pub sold_on: NaiveDate,
    /// The day the buyer received the device; `None` until delivered.
    pub delivered_on: Option<NaiveDate>,
    /// The last day of the complaint window (30 days from delivery);
    /// `None` until delivered.
    pub complaint_deadline: Option<NaiveDate>,
    pub spare_parts_until: NaiveDate,
    pub complaints: Vec<SurplusComplaint>,
}

/// A delivery of a sold surplus device to its buyer: starts the complaint
/// window. Refused (`StateMismatch`) when already delivered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurplusDelivery {
    pub sale_id: Id,
    pub delivered_by: Id,
    pub on: NaiveDate,
    pub complaint_deadline: NaiveDate,
}

/// A complaint to write; refused (`StateMismatch`) before delivery or after
/// the sale's deadline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSurplusComplaint {
    pub sale_id: Id,
    pub registered_by: Id,
    pub at: DateTime<Utc>,
    pub on: NaiveDate,
    pub description: String,
}

/// Consultation booking and surplus sales; see the module documentation.
#[async_trait]
pub trait ConsultStore: Send + Sync {
    async fn consultation_services(&self) -> Result<Vec<ConsultationService>>;
    async fn consultation_locations(&self) -> Result<Vec<ConsultationLocation>>;
    /// Publishes a slot; `Conflict` on `consultation_slots_consultant_start_key`
    /// when the consultant already has a slot starting then.
    async fn publish_slot(&self, slot: &NewSlot) -> Result<Slot>;
    async fn slot(&self, id: Id) -> Result<Option<Slot>>;
    async fn slots(&self, query: &SlotQuery) -> Result<Vec<Slot>>;
    /// Withdraws a slot nobody has booked. `StateMismatch` when booked,
    /// withdrawn already or not the consultant's.
    async fn withdraw_slot(&self, slot_id: Id, consultant_id: Id, at: DateTime<Utc>) -> Result<()>;

    async fn create_consultation(&self, c: &NewConsultation) -> Result<Id>;
    async fn consultation(&self, id: Id) -> Result<Option<Consultation>>;
    async fn consultations_by_prescriber(&self, user_id: Id, limit: i64) -> Result<Vec<ConsultationSummary>>;
    /// Activities booked in the consultant's slots, soonest first.
    async fn consultations_for_consultant(&self, user_id: Id, limit: i64) -> Result<Vec<ConsultationSummary>>;
    /// Closes every open activity whose deadline has come, with its event.
    /// Returns how many closed.
    async fn close_unbooked_consultations(&self, now: DateTime<Utc>) -> Result<u64>;
    /// Books a slot (see [`NewBooking`]) and writes its events and messages.
    /// `StateMismatch` when the activity is not open (not booked, for a
    /// rebooking) or past its deadline, or the slot is not bookable;
    /// `Conflict` on `consultation_bookings_one_per_slot` when taken.
    async fn book_slot(&self, b: &NewBooking) -> Result<Id>;
    async fn cancel_booking(&self, c: &BookingCancellation) -> Result<Id>;
    async fn booking(&self, id: Id) -> Result<Option<Booking>>;
    async fn outbox_for_consultation(&self, consultation_id: Id) -> Result<Vec<OutboxMessage>>;

    async fn set_spare_parts_until(&self, article_id: Id, until: Option<NaiveDate>) -> Result<()>;
    async fn spare_parts_until(&self, article_id: Id) -> Result<Option<NaiveDate>>;
    /// Articles whose assortment ended before `today` with more devices in
    /// central stock than ordered since `demand_since`, with those devices.
    async fn surplus_articles(&self, today: NaiveDate, demand_since: DateTime<Utc>) -> Result<Vec<SurplusArticle>>;
    /// Sells a device (see [`NewSurplusSale`]): the sale row, the device
    /// `sold` and its event in one transaction. `StateMismatch` naming
    /// what no longer holds.
    async fn sell_surplus_device(&self, s: &NewSurplusSale) -> Result<Id>;
    async fn surplus_sale(&self, id: Id) -> Result<Option<SurplusSale>>;
    async fn surplus_sales(&self, limit: i64) -> Result<Vec<SurplusSale>>;
    /// Registers a complaint on or before the sale's deadline, with a device event.
    /// Records the delivery of a sold device (see [`SurplusDelivery`]).
    async fn deliver_surplus_sale(&self, d: &SurplusDelivery) -> Result<()>;
    async fn register_surplus_complaint(&self, c: &NewSurplusComplaint) -> Result<Id>;
}
