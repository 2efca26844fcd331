//! Patient fees ("egenavgifter"): the regions' fee tables as versioned data
//! (`table`), a patient's fee statement under the fee cap and the age
//! exemptions (`statement`), and what a month's patient invoice carries
//! (`invoice`). Pure: dates are arguments.

mod invoice;
mod statement;
mod table;

pub use invoice::{invoice_lines, invoice_total, InvoiceLine, RecordedCharge};
pub use statement::{compute_fees, CapPeriod, FeeCharge, FeeComputation, FeeOutcome, FeePrescription};
pub use table::{Fee, FeeKind, FeePer, FeeTable, FeeTableError, FeeTables};

#[cfg(test)]
mod invoice_tests;
#[cfg(test)]
mod tests;
