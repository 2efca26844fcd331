//! Consultation booking ("konsultation", "förväntningssamtal"): HMC
//! consultants publish time slots per location and service product; a
//! prescriber opens a consultation activity for a patient they have a
//! care relationship with; the activity must get a booked slot within
//! three days (`ramp_domain::consult::BOOKING_WINDOW`) or it closes by
//! itself. Bookings can be cancelled (three new days to book again) and
//! rebooked in one step; each booking and cancellation writes confirmation
//! messages to the outbox in its own transaction, and each booking is
//! exportable as an iCalendar entry.

mod activity;
mod booking;
pub mod ics;
mod messages;
mod slots;

pub use activity::{consultation, create_consultation, my_consultations, ConsultationView, NewConsultationRequest};
pub use booking::{book, booking_calendar, cancel, rebook, BookingCalendar};
pub use slots::{available_slots, locations, my_slots, publish_slot, services, withdraw_slot, SlotFilter, SlotRequest};

use crate::App;
use std::time::Duration;

/// Closes activities that passed their booking deadline without a
/// booking, every `every`. Correctness never waits for it: reads close
/// overdue activities first, and booking refuses one past its deadline.
pub fn spawn_consultation_sweeper(app: App, every: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        loop {
            tick.tick().await;
            match app.storage.close_unbooked_consultations(app.clock.now()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(consultations = n, "closed consultations never booked"),
                Err(e) => tracing::warn!(error = %e, "closing unbooked consultations failed"),
            }
        }
    })
}
