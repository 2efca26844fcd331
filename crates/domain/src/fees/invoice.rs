//! What a patient's invoice for a month carries ("patientfaktura"): the
//! fees due through the month's last day that are not yet billed. The
//! amounts are the fee rules' (`statement`), never computed again here.
//!
//! - A fee that costs something is billed on the first invoice after it
//!   fell due, so a fee recorded late is billed the month after.
//! - A fee the cap or the age left at 0 is shown as a 0-line on the invoice
//!   of the month it fell due ("inom högkostnadsskydd", "avgiftsfri"), so
//!   the patient sees why; it never makes an invoice by itself.
//! - A fee already recorded keeps its recorded amount: what the statement
//!   showed the patient is what is billed.

use super::statement::{FeeCharge, FeeOutcome};
use crate::money::Ore;
use chrono::NaiveDate;
use std::collections::HashMap;

/// A recorded fee as the billing sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordedCharge {
    pub amount: Ore,
    pub billed: bool,
}

/// One line of a patient's invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceLine {
    pub source_key: String,
    pub due_on: NaiveDate,
    pub amount: Ore,
    pub list_amount: Ore,
    pub outcome: FeeOutcome,
}

impl InvoiceLine {
    /// The fee cap made it cheaper than the table ("begränsat av högkostnadsskydd").
    pub fn cap_limited(&self) -> bool {
        matches!(self.outcome, FeeOutcome::CapReached | FeeOutcome::FreeCard) && self.amount < self.list_amount
    }
}

/// The lines of a patient's invoice for the month `first..=last`, by due
/// date; `recorded` maps source keys to what was recorded of them.
pub fn invoice_lines(
    charges: &[FeeCharge],
    recorded: &HashMap<String, RecordedCharge>,
    first: NaiveDate,
    last: NaiveDate,
) -> Vec<InvoiceLine> {
    charges
        .iter()
        .filter(|c| c.due_on <= last)
        .filter_map(|c| {
            let r = recorded.get(&c.source_key);
            if r.is_some_and(|r| r.billed) {
                return None;
            }
            let amount = r.map_or(c.amount, |r| r.amount);
            (amount.0 > 0 || c.due_on >= first).then(|| InvoiceLine {
                source_key: c.source_key.clone(),
                due_on: c.due_on,
                amount,
                list_amount: c.list_amount,
                outcome: c.outcome,
            })
        })
        .collect()
}

/// What the lines cost; an invoice is sent only when this is above 0.
pub fn invoice_total(lines: &[InvoiceLine]) -> Ore {
    Ore(lines.iter().map(|l| l.amount.0).sum())
}
