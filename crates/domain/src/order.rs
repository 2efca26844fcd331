//! Ordering vocabulary: what an order is for, where it stands, and how a
//! replacement-chain proposal was answered. The rules that need no
//! database live here too: the short-term prescription limit and the
//! order-status moves.

use crate::FieldError;
use crate::Term;
use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};
use strum::{IntoStaticStr, VariantArray};

/// Whom an order is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[derive(IntoStaticStr, VariantArray, strum::Display)]
#[strum(serialize_all = "snake_case")]
pub enum OrderTarget {
    /// A prescription for one patient ("förskrivning").
    Patient,
    /// Basic equipment placed at a unit ("grundutrustning").
    Unit,
    /// Stock for a unit's buffer store ("buffertförråd").
    Buffer,
}

impl Term for OrderTarget {
    const FIELD: &'static str = "target";
    const CODE: &'static str = "invalid_target";
}

/// Where an order stands. Prescribers follow it; the warehouse moves it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[derive(IntoStaticStr, VariantArray, strum::Display)]
#[strum(serialize_all = "snake_case")]
pub enum OrderStatus {
    Registered,
    Picked,
    OutForDelivery,
    Delivered,
    Cancelled,
}

impl Term for OrderStatus {
    const FIELD: &'static str = "status";
    const CODE: &'static str = "invalid_status";
}

/// How an order line came to be for its article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[derive(IntoStaticStr, VariantArray, strum::Display)]
#[strum(serialize_all = "snake_case")]
pub enum Substitution {
    /// The article asked for; no older equivalent was in stock.
    None,
    /// A fixed replacement group: the oldest equivalent goes out, no question asked.
    Automatic,
    /// An ordinary replacement group: the orderer accepted the proposal.
    Accepted,
    /// An ordinary replacement group: the orderer declined the proposal.
    Declined,
}

impl Term for Substitution {
    const FIELD: &'static str = "substitution";
    const CODE: &'static str = "invalid_substitution";
}

/// Where an order line stands: open until its order is delivered or cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[derive(IntoStaticStr, VariantArray, strum::Display)]
#[strum(serialize_all = "snake_case")]
pub enum LineState {
    Open,
    Delivered,
    Cancelled,
}

impl Term for LineState {
    const FIELD: &'static str = "state";
    const CODE: &'static str = "invalid_state";
}

/// Where a pickup order stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[derive(IntoStaticStr, VariantArray, strum::Display)]
#[strum(serialize_all = "snake_case")]
pub enum PickupStatus {
    Open,
    Collected,
    Cancelled,
}

impl Term for PickupStatus {
    const FIELD: &'static str = "status";
    const CODE: &'static str = "invalid_status";
}

/// The orderer's answer to a replacement proposal in an ordinary group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[derive(IntoStaticStr, VariantArray, strum::Display)]
#[strum(serialize_all = "snake_case")]
pub enum ReplacementAnswer {
    Accept,
    Decline,
}

impl Term for ReplacementAnswer {
    const FIELD: &'static str = "replacement";
    const CODE: &'static str = "invalid_replacement";
}

/// The longest a short-term prescription ("korttidsförskrivning") may run.
pub const SHORT_TERM_MAX_MONTHS: u32 = 6;

/// Checks the end date of a short-term prescription: after `today` and at
/// most six months ahead ("Korttidsförskrivning används vid tillfälliga behov
/// av hjälpmedel", seed 000; the glossary: "a temporary need, at most 6 months").
pub fn check_short_term_end(today: NaiveDate, end: NaiveDate) -> Result<(), FieldError> {
    let latest = today.checked_add_months(Months::new(SHORT_TERM_MAX_MONTHS)).unwrap_or(NaiveDate::MAX);
    if end <= today {
        return Err(FieldError::new("end_date", "end_date_not_after_today", "the end date must be after today"));
    }
    if end > latest {
        return Err(FieldError::new(
            "end_date",
            "short_term_too_long",
            format!(
                "a short-term prescription runs at most {SHORT_TERM_MAX_MONTHS} months: end on {latest} at the latest"
            ),
        ));
    }
    Ok(())
}

impl OrderStatus {
    /// Whether the warehouse may move an order from this status to `to`.
    /// Forward only; cancelling is possible until the order leaves the house.
    pub fn may_become(self, to: OrderStatus) -> bool {
        use OrderStatus as S;
        matches!(
            (self, to),
            (S::Registered, S::Picked)
                | (S::Picked, S::OutForDelivery)
                | (S::Registered | S::Picked | S::OutForDelivery, S::Delivered)
                | (S::Registered | S::Picked, S::Cancelled)
        )
    }

    /// Swedish label for the UI.
    pub fn name_sv(self) -> &'static str {
        match self {
            OrderStatus::Registered => "Registrerad",
            OrderStatus::Picked => "Plockad",
            OrderStatus::OutForDelivery => "Under leverans",
            OrderStatus::Delivered => "Levererad",
            OrderStatus::Cancelled => "Makulerad",
        }
    }

    /// English label for the UI.
    pub fn name_en(self) -> &'static str {
        match self {
            OrderStatus::Registered => "Registered",
            OrderStatus::Picked => "Picked",
            OrderStatus::OutForDelivery => "Out for delivery",
            OrderStatus::Delivered => "Delivered",
            OrderStatus::Cancelled => "Cancelled",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_short_term_prescription_may_end_exactly_six_months_ahead_but_not_a_day_later() {
        assert!(check_short_term_end(d(2026, 11, 23), d(2027, 5, 23)).is_ok());
        let e = check_short_term_end(d(2026, 11, 23), d(2027, 5, 24)).unwrap_err();
        assert_eq!((e.field.as_str(), e.code), ("end_date", "short_term_too_long"));
    }

    #[test]
    fn a_short_term_prescription_ending_at_month_end_is_capped_at_the_shorter_month() {
        // 31 August + 6 months is 28 February (no 31 February).
        assert!(check_short_term_end(d(2026, 8, 31), d(2027, 2, 28)).is_ok());
        assert!(check_short_term_end(d(2026, 8, 31), d(2027, 3, 1)).is_err());
    }

    #[test]
    fn an_end_date_today_or_earlier_is_refused() {
        assert_eq!(
            check_short_term_end(d(2026, 11, 23), d(2026, 11, 23)).unwrap_err().code,
            "end_date_not_after_today"
        );
    }

    #[test]
    fn orders_move_forward_only_and_cannot_be_cancelled_once_out() {
        use OrderStatus as S;
        assert!(S::Registered.may_become(S::Picked));
        assert!(S::OutForDelivery.may_become(S::Delivered));
        assert!(!S::Delivered.may_become(S::Registered));
        assert!(!S::OutForDelivery.may_become(S::Cancelled));
        assert!(!S::Cancelled.may_become(S::Delivered));
        for s in S::ALL {
            assert!(!s.may_become(*s), "{s} to itself");
        }
    }
}
