//! Cost-effective prescribing (issue 22; seed 003, the handbook's new
//! concept "kostnadseffektiv förskrivning": "utvärdera och följa upp
//! förskrivningen, utifrån målet med förskrivningen, för att säkerställa att
//! hjälpmedlen används på ett sätt som motiverar fortsatt förskrivning" and
//! "återta hjälpmedel som inte används").
//!
//! What Ramp's data allows, each part with its definition:
//!
//! - **Evaluations due**: patient orders (not cancelled) whose evaluation
//!   date ("uppföljning", set when the order is placed) falls in the month.
//!   Ramp records no evaluation outcome, so a passed date is not proof of a
//!   missed evaluation: **passed with the device still lent** counts the
//!   orders due whose evaluation date is before today and where a device of
//!   the order is still lent to the patient — the prescriptions to follow
//!   up first.
//! - **Returned soon after delivery**: patient loans that ended (the device
//!   came back) in the month, and of those the ones that ended at most
//!   [`SOON_DAYS`] days after they began; loans ended by a lost report are
//!   not returns. A device back within a month suggests the need was not
//!   met or the device not used.
//! - **Devices not used**: Ramp records no use, so it is not counted.

use super::{Month, MonthRange, ShareCell};
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// A loan that ended at most this many days after it began is "returned soon".
pub const SOON_DAYS: i64 = 30;

/// Patient orders with one evaluation date, as the storage counts them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvaluationDay {
    pub date: NaiveDate,
    /// The code of the ordering unit's principal.
    pub principal: String,
    pub due: i64,
    /// Of those, with a device of the order still lent to the patient.
    pub still_lent: i64,
}

/// Patient loans that ended on one day, as the storage counts them: kept
/// as loans end (migration 0041), with "soon" decided by
/// [`is_returned_soon`], which the storage's triggers mirror.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnDay {
    pub end: NaiveDate,
    /// The code of the principal of the customer number the loan was on.
    pub principal: String,
    /// Loans that ended that day (lost ones not counted).
    pub returned: i64,
    /// Of those, loans that ended at most [`SOON_DAYS`] days after they began.
    pub returned_soon: i64,
}

/// One month of the figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PrescribingMonth {
    pub month: Month,
    /// Orders whose evaluation date is in the month.
    pub evaluations_due: i64,
    /// Of those, with the date passed (before today) and a device still lent.
    pub passed_still_lent: i64,
    /// `part`: loans ended within [`SOON_DAYS`] days; `whole`: loans ended in the month.
    pub returned_soon: ShareCell,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prescribing {
    pub months: Vec<PrescribingMonth>,
    pub total: PrescribingMonth,
}

/// Whether a loan from `start` to `end` was returned soon after delivery.
pub fn is_returned_soon(start: NaiveDate, end: NaiveDate) -> bool {
    (end - start).num_days() <= SOON_DAYS
}

/// The figure for `range`, seen on `today`.
pub fn cost_effective_prescribing(
    range: &MonthRange,
    today: NaiveDate,
    evaluations: &[EvaluationDay],
    returns: &[ReturnDay],
) -> Prescribing {
    // Per month: due, passed still lent, returned soon, returned.
    let mut counts: BTreeMap<Month, [i64; 4]> = BTreeMap::new();
    for e in evaluations.iter().filter(|e| range.contains(Month::of(e.date))) {
        let c = counts.entry(Month::of(e.date)).or_default();
        c[0] += e.due;
        c[1] += if e.date < today { e.still_lent } else { 0 };
    }
    for r in returns.iter().filter(|r| range.contains(Month::of(r.end))) {
        let c = counts.entry(Month::of(r.end)).or_default();
        c[2] += r.returned_soon;
        c[3] += r.returned;
    }
    let month = |m: Month, c: [i64; 4]| PrescribingMonth {
        month: m,
        evaluations_due: c[0],
        passed_still_lent: c[1],
        returned_soon: ShareCell::new(m, c[2], c[3]),
    };
    let months: Vec<PrescribingMonth> =
        range.months().into_iter().map(|m| month(m, counts.get(&m).copied().unwrap_or_default())).collect();
    let sum = months.iter().fold([0; 4], |t, m| {
        [
            t[0] + m.evaluations_due,
            t[1] + m.passed_still_lent,
            t[2] + m.returned_soon.part,
            t[3] + m.returned_soon.whole,
        ]
    });
    Prescribing { total: month(range.to, sum), months }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn figures_a_loan_back_within_30_days_is_returned_soon_and_31_days_is_not() {
        assert!(is_returned_soon(d(2026, 9, 1), d(2026, 10, 1)));
        assert!(!is_returned_soon(d(2026, 9, 1), d(2026, 10, 2)));
    }

    #[test]
    fn figures_evaluations_count_in_their_month_and_only_passed_dates_count_as_still_lent() {
        let range = MonthRange::new(Month::new(2026, 10).unwrap(), Month::new(2026, 11).unwrap()).unwrap();
        let evaluations = [
            EvaluationDay { principal: "01".into(), date: d(2026, 10, 5), due: 3, still_lent: 2 },
            // Today: not passed yet.
            EvaluationDay { principal: "01".into(), date: d(2026, 11, 23), due: 1, still_lent: 1 },
            EvaluationDay { principal: "01".into(), date: d(2026, 12, 1), due: 9, still_lent: 9 },
        ];
        let returns = [
            // Two of four back within 30 days, and one of one.
            ReturnDay { principal: "01".into(), end: d(2026, 10, 20), returned: 4, returned_soon: 2 },
            ReturnDay { principal: "01".into(), end: d(2026, 11, 14), returned: 1, returned_soon: 1 },
        ];
        let f = cost_effective_prescribing(&range, d(2026, 11, 23), &evaluations, &returns);
        assert_eq!((f.months[0].evaluations_due, f.months[0].passed_still_lent), (3, 2));
        assert_eq!((f.months[1].evaluations_due, f.months[1].passed_still_lent), (1, 0));
        assert_eq!((f.months[0].returned_soon.part, f.months[0].returned_soon.whole), (2, 4));
        assert_eq!(f.months[1].returned_soon.percent.unwrap().number_sv(), "100,00");
        assert_eq!((f.total.evaluations_due, f.total.returned_soon.part, f.total.returned_soon.whole), (4, 3, 5));
    }
}
