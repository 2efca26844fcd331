//! The economy side of the storage: budgets per principal and year (with
//! their history), and the invoice-line sums the follow-up and the
//! costly-treatment applications are computed from (see
//! `ramp_domain::budget` and `ramp_domain::costly_applications`, which own
//! the rules). A supertrait of [`crate::Storage`], implemented once for both
//! engines by `ramp_storage::SqlStorage` (`sql/economy.rs`).

use crate::{Id, Result};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// A principal's invoiced cost in one month (`YYYY-MM`), credit notes netted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrincipalMonthCost {
    pub principal_id: Id,
    pub month: String,
    pub amount_ore: i64,
}

/// An invoice line of a month that names a patient, with its customer number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatientCostRow {
    pub customer_number_id: Id,
    pub customer_number: String,
    pub customer_name: String,
    pub patient_id: Id,
    pub amount_ore: i64,
}

#[async_trait]
pub trait EconomyStore: Send + Sync {
    /// Sets a principal's budget for a year and writes its event row, in one transaction.
    async fn set_budget(&self, principal_id: Id, year: i32, amount_ore: i64, at: DateTime<Utc>, by: Id) -> Result<()>;
    /// Every budget of the year: (principal, amount).
    async fn budgets(&self, year: i32) -> Result<Vec<(Id, i64)>>;
    /// Invoiced cost per principal and month of the year.
    async fn principal_month_costs(&self, year: i32) -> Result<Vec<PrincipalMonthCost>>;
    /// The month's invoice lines (and credit-note lines) naming a patient, of
    /// articles in a drug-adjacent product area, on invoices to principals of
    /// kind `principal_kind` (`region`).
    async fn patient_cost_lines(&self, month: &str, principal_kind: &str) -> Result<Vec<PatientCostRow>>;
}
