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

/// How an order reached the assistive-device centre (migration 0022). The
/// council follows the share placed by patients through 1177 (seed 003:
/// "När det gäller andelen digitala beställningar via 1177 ses en ökning på
/// totalen från 20 % till 25 %").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[derive(IntoStaticStr, VariantArray, strum::Display)]
#[strum(serialize_all = "snake_case")]
pub enum OrderChannel {
    /// Placed by a prescriber or orderer in Ramp's ordering portal (the UI).
    Portal,
    /// Sent by another system through the API.
    Api,
    /// Placed by the patient through the 1177 e-service, relayed through the API.
    #[strum(serialize = "patient_1177")]
    #[serde(rename = "patient_1177")]
    Patient1177,
    /// Registered by the centre's own staff in the portal (e.g. customer
    /// service taking an order over the phone).
    HmcStaff,
}

impl Term for OrderChannel {
    const FIELD: &'static str = "channel";
    const CODE: &'static str = "invalid_channel";
}

impl OrderChannel {
    /// The channel an order is recorded with: an order placed in the portal
    /// by the centre's own staff is staff-registered, whatever screen was used.
    pub fn recorded(self, placed_by_hmc_staff: bool) -> OrderChannel {
        match self {
            OrderChannel::Portal if placed_by_hmc_staff => OrderChannel::HmcStaff,
            other => other,
        }
    }

    /// Whether the order counts as a digital order placed by the patient
    /// (the seed's "digitala beställningar via 1177").
    pub fn is_digital(self) -> bool {
        self == OrderChannel::Patient1177
    }

    /// What the channel is called on screen and in the CSV.
    pub fn name_sv(self) -> &'static str {
        match self {
            OrderChannel::Portal => "Beställningsportalen",
            OrderChannel::Api => "Annat system (API)",
            OrderChannel::Patient1177 => "Patienten via 1177",
            OrderChannel::HmcStaff => "Registrerad av Hjälpmedelscentralen",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            OrderChannel::Portal => "Ordering portal",
            OrderChannel::Api => "Other system (API)",
            OrderChannel::Patient1177 => "Patient via 1177",
            OrderChannel::HmcStaff => "Registered by the centre",
        }
    }
}

/// A channel a client may claim through the API: the API itself, or 1177
/// relaying a patient's own order (patient orders only). The portal and the
/// centre's staff are recorded by Ramp, never claimed.
pub fn api_channel(claimed: Option<&str>, target: OrderTarget) -> Result<OrderChannel, FieldError> {
    let channel = match claimed.map(str::trim).filter(|s| !s.is_empty()) {
        None => return Ok(OrderChannel::Api),
        Some(s) => OrderChannel::parse(s)?,
    };
    match channel {
        OrderChannel::Api => Ok(channel),
        OrderChannel::Patient1177 if target == OrderTarget::Patient => Ok(channel),
        OrderChannel::Patient1177 => Err(FieldError::new(
            "channel",
            "channel_not_allowed",
            "a 1177 order is a patient's own order (target patient)",
        )),
        OrderChannel::Portal | OrderChannel::HmcStaff => Err(FieldError::new(
            "channel",
            "channel_not_allowed",
            format!("'{channel}' is recorded by Ramp; through the API say 'api' or 'patient_1177'"),
        )),
    }
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
    /// Forward only; delivered only after it is picked (the database refuses
    /// otherwise, migration 0033); cancelling is possible until the order
    /// leaves the house.
    pub fn may_become(self, to: OrderStatus) -> bool {
        use OrderStatus as S;
        matches!(
            (self, to),
            (S::Registered, S::Picked)
                | (S::Picked, S::OutForDelivery)
                | (S::Picked | S::OutForDelivery, S::Delivered)
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
