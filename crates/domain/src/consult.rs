//! Consultation booking rules: a consultation activity must get a booked
//! slot within three days or it closes by itself; slots are published in
//! Stockholm wall-clock time and stored as UTC instants.

use crate::time::stockholm;
use crate::FieldError;
use crate::Term;
use chrono::{DateTime, Duration, NaiveDateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use strum::{IntoStaticStr, VariantArray};

/// Where a consultation activity stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[derive(IntoStaticStr, VariantArray, strum::Display)]
#[strum(serialize_all = "snake_case")]
pub enum ConsultationStatus {
    /// Waiting for a booking; closes by itself at its booking deadline.
    Open,
    /// A slot is booked.
    Booked,
    /// No slot was booked in time ("stängd utan bokning").
    ClosedUnbooked,
}

impl Term for ConsultationStatus {
    const FIELD: &'static str = "status";
    const CODE: &'static str = "invalid_status";
}

/// What happened to a consultation; one row per change, never rewritten.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[derive(IntoStaticStr, VariantArray, strum::Display)]
#[strum(serialize_all = "snake_case")]
pub enum ConsultationEventKind {
    Created,
    Booked,
    Cancelled,
    /// Moved from one slot to another in one step.
    Rebooked,
    ClosedUnbooked,
}

impl Term for ConsultationEventKind {
    const FIELD: &'static str = "event";
    const CODE: &'static str = "invalid_event";
}

/// How long an activity may wait for a booking: from its creation, and
/// again from the cancellation of its booking.
pub const BOOKING_WINDOW: Duration = Duration::days(3);

/// Shortest and longest slot a consultant may publish.
pub const MIN_SLOT_MINUTES: i64 = 15;
pub const MAX_SLOT_MINUTES: i64 = 480;

impl ConsultationStatus {
    pub fn name_sv(self) -> &'static str {
        match self {
            ConsultationStatus::Open => "Väntar på bokning",
            ConsultationStatus::Booked => "Bokad",
            ConsultationStatus::ClosedUnbooked => "Stängd utan bokning",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            ConsultationStatus::Open => "Awaiting booking",
            ConsultationStatus::Booked => "Booked",
            ConsultationStatus::ClosedUnbooked => "Closed without booking",
        }
    }
}

/// The instant by which an activity without a booking must get one.
pub fn booking_deadline(since: DateTime<Utc>) -> DateTime<Utc> {
    since + BOOKING_WINDOW
}

/// Whether an open activity has passed its deadline at `now` (the deadline
/// itself is already too late).
pub fn is_overdue(deadline: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now >= deadline
}

/// The UTC instant of a Stockholm wall-clock time. A time in the hour the
/// clocks skip in March does not exist and is refused under `field`; in the
/// hour repeated in October the first (summer-time) occurrence is meant.
pub fn stockholm_to_utc(local: NaiveDateTime, field: &str) -> Result<DateTime<Utc>, FieldError> {
    [2, 1]
        .into_iter()
        .map(|hours| Utc.from_utc_datetime(&(local - Duration::hours(hours))))
        .find(|at| stockholm(*at) == local)
        .ok_or_else(|| {
            FieldError::new(field, "nonexistent_time", "this time does not exist in Sweden (the clocks go forward)")
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn local(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(h, min, 0).unwrap()
    }

    #[test]
    fn the_deadline_is_three_days_after_creation_and_the_deadline_itself_is_too_late() {
        let created = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
        let deadline = booking_deadline(created);
        assert_eq!(deadline, Utc.with_ymd_and_hms(2026, 11, 26, 9, 0, 0).unwrap());
        assert!(!is_overdue(deadline, deadline - Duration::seconds(1)));
        assert!(is_overdue(deadline, deadline));
    }

    #[test]
    fn stockholm_times_become_utc_in_winter_and_summer() {
        assert_eq!(
            stockholm_to_utc(local(2026, 11, 24, 10, 0), "starts_at").unwrap(),
            Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0).unwrap()
        );
        assert_eq!(
            stockholm_to_utc(local(2026, 6, 24, 10, 0), "starts_at").unwrap(),
            Utc.with_ymd_and_hms(2026, 6, 24, 8, 0, 0).unwrap()
        );
    }

    #[test]
    fn the_skipped_hour_in_march_is_refused_and_the_repeated_hour_in_october_is_the_first() {
        let e = stockholm_to_utc(local(2026, 3, 29, 2, 30), "starts_at").unwrap_err();
        assert_eq!((e.field.as_str(), e.code), ("starts_at", "nonexistent_time"));
        assert_eq!(
            stockholm_to_utc(local(2026, 10, 25, 2, 30), "starts_at").unwrap(),
            Utc.with_ymd_and_hms(2026, 10, 25, 0, 30, 0).unwrap()
        );
    }

    #[test]
    fn every_status_parses_from_its_own_name() {
        for s in ConsultationStatus::ALL {
            assert_eq!(ConsultationStatus::parse(s.as_str()).unwrap(), *s);
        }
    }
}
