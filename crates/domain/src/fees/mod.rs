//! Patient fees ("egenavgifter"): the regions' fee tables as versioned data
//! (`table`), and a patient's fee statement under the fee cap and the age
//! exemptions (`statement`). Pure: dates are arguments.

mod statement;
mod table;

pub use statement::{compute_fees, CapPeriod, FeeCharge, FeeComputation, FeeOutcome, FeePrescription};
pub use table::{Fee, FeeKind, FeePer, FeeTable, FeeTableError, FeeTables};

#[cfg(test)]
mod tests;
