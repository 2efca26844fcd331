//! The patient-fee side of the storage: the prescription lines the fee
//! rules read, the loans that tell when a device came back, and the fee
//! charges recorded once each (see `ramp_domain::fees`, which owns the
//! rules). A supertrait of [`crate::Storage`], implemented once for both
//! engines by `ramp_storage::SqlStorage` (`sql/fees.rs`).

use crate::{Id, Result};
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};

/// A delivered order line of a patient's order, with what the fee rules need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeeLineRow {
    pub line_id: Id,
    pub order_id: Id,
    pub article_number: String,
    pub article_name: String,
    pub iso_code: String,
    pub device_id: Option<Id>,
    pub delivered_at: DateTime<Utc>,
    /// The order's end date: set for a short-term prescription.
    pub end_date: Option<NaiveDate>,
}

/// A loan of a device to the patient.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatientLoan {
    pub device_id: Id,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
}

/// A fee charge to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFeeCharge {
    pub patient_id: Id,
    pub source_key: String,
    pub order_line_id: Id,
    pub fee_id: String,
    /// `short_term`, `yearly` or `one_off`.
    pub kind: String,
    pub due_on: NaiveDate,
    pub fee_table: String,
    pub description: String,
    pub list_amount_ore: i64,
    pub amount_ore: i64,
    /// `charged`, `cap_reached`, `free_card` or `exempt_age`.
    pub outcome: String,
    pub recorded_at: DateTime<Utc>,
    pub recorded_by: Id,
}

/// A recorded fee charge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeeChargeRow {
    pub id: Id,
    pub source_key: String,
    pub due_on: NaiveDate,
    pub amount_ore: i64,
    pub recorded_at: DateTime<Utc>,
}

#[async_trait]
pub trait FeesStore: Send + Sync {
    /// The patient's delivered order lines, oldest delivery first.
    async fn fee_lines(&self, patient_id: Id) -> Result<Vec<FeeLineRow>>;
    /// Every loan of a device to the patient, oldest first.
    async fn patient_loans(&self, patient_id: Id) -> Result<Vec<PatientLoan>>;
    /// The patient's recorded charges, by due date.
    async fn fee_charges(&self, patient_id: Id) -> Result<Vec<FeeChargeRow>>;
    /// Records the charges whose source key is not yet recorded, in one
    /// transaction; returns how many were new.
    async fn record_fee_charges(&self, charges: &[NewFeeCharge]) -> Result<u64>;
}
