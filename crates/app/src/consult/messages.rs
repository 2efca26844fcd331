//! Confirmation messages for the outbox, in Swedish (the recipients are
//! staff in Swedish health care). They name the activity, time, place and
//! people, never the patient: a message may travel by e-mail.

use chrono::{DateTime, Utc};
use ramp_domain::time::stockholm;
use ramp_model::{Consultation, ConsultationService, NewMessage, Slot};

/// Which change a message confirms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Booked,
    Cancelled,
    /// Sent to the prescriber when moved from one slot to another.
    Rebooked,
}

fn when(start: DateTime<Utc>, end: DateTime<Utc>) -> String {
    format!("{}–{}", stockholm(start).format("%Y-%m-%d %H:%M"), stockholm(end).format("%H:%M"))
}

/// One message about `slot` to `recipient`.
pub fn message(
    change: Change,
    recipient: &str,
    c: &Consultation,
    service: &ConsultationService,
    slot: &Slot,
) -> NewMessage {
    let (verb, lead) = match change {
        Change::Booked => ("Bokningsbekräftelse", "är bokad"),
        Change::Cancelled => ("Avbokning", "är avbokad"),
        Change::Rebooked => ("Ombokning", "är ombokad till"),
    };
    let time = when(slot.starts_at, slot.ends_at);
    NewMessage {
        recipient: recipient.to_string(),
        subject: format!("{verb}: {} {time}", service.name_sv),
        body: format!(
            "{} (konsultation {}) {lead} {time} (svensk tid).\n\
             Plats: {}\nKonsulent: {}\nFörskrivare: {}\n\n\
             Öppna konsultationen i Ramp för detaljer och kalenderfil.",
            service.name_sv, c.id, slot.location, slot.consultant_name, c.prescriber_name
        ),
    }
}

/// The messages a booking, cancellation or rebooking writes: to the
/// prescriber and to each consultant concerned.
pub fn for_change(
    change: Change,
    c: &Consultation,
    service: &ConsultationService,
    slot: &Slot,
    previous: Option<&Slot>,
) -> Vec<NewMessage> {
    let mut out = vec![message(change, &c.prescriber_username, c, service, slot)];
    match (change, previous) {
        (Change::Rebooked, Some(old)) => {
            out.push(message(Change::Cancelled, &old.consultant_username, c, service, old));
            out.push(message(Change::Booked, &slot.consultant_username, c, service, slot));
        }
        _ => out.push(message(change, &slot.consultant_username, c, service, slot)),
    }
    out
}
