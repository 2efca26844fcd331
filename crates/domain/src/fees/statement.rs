//! A patient's fee statement ("avgiftsspecifikation"): which fees fall due
//! for the patient's prescriptions, what the age exemptions and the fee cap
//! ("högkostnadsskydd") leave of them, and where the cap period stands.
//!
//! The rules, in the order they are applied to each fee in date order:
//!
//! 1. **Due dates.** A short-term prescription ("korttidsförskrivning", an
//!    order with an end date) costs its fee on delivery and again at the start
//!    of every further month (or quarter) the prescription runs, up to its end
//!    date — "per påbörjad period". A yearly fee falls due on delivery and on
//!    every anniversary of it; a one-off fee on delivery. Nothing falls due on
//!    or after the day the device came back. Adding months keeps the day of
//!    the month, clamped to the month's end (31 Jan → 28 Feb).
//! 2. **Table.** The region's fee table in force on the due date prices the
//!    fee (the first fee of that kind whose ISO prefix matches the article).
//! 3. **Age.** A patient whose age on the due date is under the table's
//!    lower exemption age, or at least its upper one, pays nothing; such a fee
//!    neither starts nor fills a cap period.
//! 4. **Cap.** A cap period starts with the first fee to pay and lasts the
//!    table's months (12): fees in it are charged until the cap is reached —
//!    the fee that reaches it is charged only up to the cap — and after that
//!    the patient has a free card ("frikort") until the period ends. The next
//!    fee after the period starts a new one. This is the 12-month rule of the
//!    Swedish högkostnadsskydd, counted from the first payment, not a
//!    calendar year.
//!
//! The computation always runs from the patient's first prescription, so a
//! statement of any period is the same whichever period was asked before.

use super::table::{FeeKind, FeeTables};
use crate::money::Ore;
use crate::time::age_on;
use chrono::{Months, NaiveDate};
use serde::Serialize;

/// What the fee rules need to know of one prescription line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeePrescription {
    /// The order line; part of each charge's source key.
    pub line_id: i64,
    pub article_name: String,
    /// Six digits, e.g. `122203`.
    pub iso_code: String,
    /// The Stockholm date of the delivery.
    pub delivered_on: NaiveDate,
    /// The last day of a short-term prescription; `None` for a long-term one.
    pub short_term_end: Option<NaiveDate>,
    /// The day the device came back, if it did.
    pub returned_on: Option<NaiveDate>,
}

/// Why a fee was charged as it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FeeOutcome {
    /// The full fee.
    Charged,
    /// Charged up to the cap; the free card starts.
    CapReached,
    /// Nothing: the cap was reached earlier in the period.
    FreeCard,
    /// Nothing: the patient's age on the due date is exempt.
    ExemptAge,
}

impl FeeOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            FeeOutcome::Charged => "charged",
            FeeOutcome::CapReached => "cap_reached",
            FeeOutcome::FreeCard => "free_card",
            FeeOutcome::ExemptAge => "exempt_age",
        }
    }
}

/// One fee that fell due, with what was charged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FeeCharge {
    /// `fee:line:<line>:<fee id>:<due date>`: the same fee is charged once.
    pub source_key: String,
    pub line_id: i64,
    pub due_on: NaiveDate,
    pub fee_id: String,
    pub kind: FeeKind,
    pub name_sv: String,
    pub name_en: String,
    pub article_name: String,
    /// `stockholm 2026-01-01`: the table version that priced it.
    pub table: String,
    /// The fee in the table.
    pub list_amount: Ore,
    /// What the patient pays.
    pub amount: Ore,
    pub outcome: FeeOutcome,
}

/// A cap period and how much of it is used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CapPeriod {
    pub from: NaiveDate,
    /// The last day of the period.
    pub to: NaiveDate,
    pub cap: Ore,
    pub paid: Ore,
    /// The due date of the fee that reached the cap.
    pub free_card_from: Option<NaiveDate>,
}

/// Every fee due through a day, and the cap period in force on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FeeComputation {
    /// Date order (then line, then fee id).
    pub charges: Vec<FeeCharge>,
    /// The cap period covering `through`, if one does.
    pub cap_period: Option<CapPeriod>,
}

struct Due<'a> {
    on: NaiveDate,
    kind: FeeKind,
    line: &'a FeePrescription,
}

/// Computes every fee due for the prescriptions from the first delivery
/// through `through` (inclusive), for a patient born on `birth_date`.
pub fn compute_fees(
    tables: &FeeTables,
    region: &str,
    birth_date: NaiveDate,
    prescriptions: &[FeePrescription],
    through: NaiveDate,
) -> FeeComputation {
    let mut dues: Vec<Due> =
        prescriptions.iter().flat_map(|p| due_dates(p, short_term_step(tables, region, p), through)).collect();
    dues.sort_by_key(|d| (d.on, d.line.line_id));
    let mut cap = CapState::default();
    let mut charges = Vec::new();
    for due in dues {
        let Some(table) = tables.in_force(region, due.on) else { continue };
        let Some(fee) = table.fee_for(due.kind, &due.line.iso_code) else { continue };
        let (amount, outcome) = if table.exempt_at_age(age_on(birth_date, due.on)) {
            (Ore(0), FeeOutcome::ExemptAge)
        } else if fee.amount.0 == 0 {
            (Ore(0), FeeOutcome::Charged)
        } else {
            cap.charge(due.on, fee.amount, table.cap, table.cap_months)
        };
        charges.push(FeeCharge {
            source_key: format!("fee:line:{}:{}:{}", due.line.line_id, fee.id, due.on),
            line_id: due.line.line_id,
            due_on: due.on,
            fee_id: fee.id.clone(),
            kind: fee.kind,
            name_sv: fee.name_sv.clone(),
            name_en: fee.name_en.clone(),
            article_name: due.line.article_name.clone(),
            table: format!("{} {}", table.region, table.effective_from),
            list_amount: fee.amount,
            amount,
            outcome,
        });
    }
    FeeComputation { charges, cap_period: cap.period.filter(|p| p.from <= through && through <= p.to) }
}

/// Months between the charges of a short-term prescription: the period of
/// the fee in force on its delivery (a month when no fee applies).
fn short_term_step(tables: &FeeTables, region: &str, p: &FeePrescription) -> u32 {
    let fee = tables.in_force(region, p.delivered_on).and_then(|t| t.fee_for(FeeKind::ShortTerm, &p.iso_code));
    fee.and_then(|f| f.per).map_or(1, |per| per.months())
}

/// The due dates of one prescription line through `through`.
fn due_dates(p: &FeePrescription, step: u32, through: NaiveDate) -> Vec<Due<'_>> {
    let in_use = |d: NaiveDate| d <= through && p.returned_on.is_none_or(|r| d < r);
    let every = |kind: FeeKind, months: u32, last: Option<NaiveDate>| {
        (0u32..)
            .map(move |k| p.delivered_on.checked_add_months(Months::new(k * months)))
            .map_while(move |d| d.filter(|&d| in_use(d) && last.is_none_or(|l| d <= l)))
            .map(move |on| Due { on, kind, line: p })
    };
    match p.short_term_end {
        Some(end) => every(FeeKind::ShortTerm, step, Some(end)).collect(),
        None => {
            let mut v: Vec<Due> = Vec::new();
            if in_use(p.delivered_on) {
                v.push(Due { on: p.delivered_on, kind: FeeKind::OneOff, line: p });
            }
            v.extend(every(FeeKind::Yearly, 12, None));
            v
        }
    }
}

#[derive(Default)]
struct CapState {
    period: Option<CapPeriod>,
}

impl CapState {
    /// Charges `fee` due on `on` against the cap period, opening a new
    /// period when none covers `on`.
    fn charge(&mut self, on: NaiveDate, fee: Ore, cap: Ore, months: u32) -> (Ore, FeeOutcome) {
        if self.period.as_ref().is_none_or(|p| on > p.to) {
            let to = on.checked_add_months(Months::new(months)).and_then(|d| d.pred_opt()).expect("date in range");
            self.period = Some(CapPeriod { from: on, to, cap, paid: Ore(0), free_card_from: None });
        }
        let period = self.period.as_mut().expect("a period is open");
        let left = Ore((period.cap.0 - period.paid.0).max(0));
        if left.0 == 0 {
            return (Ore(0), FeeOutcome::FreeCard);
        }
        let amount = fee.min(left);
        period.paid = Ore(period.paid.0 + amount.0);
        if period.paid >= period.cap {
            period.free_card_from = Some(on);
            return (amount, FeeOutcome::CapReached);
        }
        (amount, FeeOutcome::Charged)
    }
}
