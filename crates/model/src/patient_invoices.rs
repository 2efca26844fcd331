//! The patient-invoice side of the storage (issues 19 and 22): which
//! patients have fees to look at, the recorded fee charges with the
//! invoice that bills each, and patient-fee invoices written once. A
//! supertrait of [`crate::Storage`], implemented once for both engines by
//! `ramp_storage::SqlStorage` (`sql/patient_invoices.rs`).
//!
//! The database refuses to bill twice: one invoice per patient and month,
//! and one invoice line per fee charge (migration 0030).

use crate::{Id, Result};
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use ramp_domain::ids::PersonalId;
use serde::Serialize;

/// A patient with a delivered order line: whose fees a run computes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeePatient {
    pub patient_id: Id,
    pub birth_date: NaiveDate,
}

/// A recorded fee charge and, once billed, its invoice's number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChargeBilling {
    pub source_key: String,
    pub amount_ore: i64,
    pub invoice_number: Option<String>,
}

/// A patient-fee invoice to create; each line names a recorded charge by
/// its source key and carries the charge's recorded amount.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPatientInvoice {
    pub patient_id: Id,
    /// `YYYY-MM`.
    pub month: String,
    pub issue_date: NaiveDate,
    pub due_date: NaiveDate,
    pub created_by: Id,
    pub created_at: DateTime<Utc>,
    /// (source key, amount in öre), in line order.
    pub lines: Vec<(String, i64)>,
}

/// A patient-fee invoice as stored, with the patient named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PatientInvoiceRow {
    pub id: Id,
    pub number: String,
    pub patient_id: Id,
    pub personal_id: PersonalId,
    pub given_name: String,
    pub family_name: String,
    pub month: String,
    pub issue_date: NaiveDate,
    pub due_date: NaiveDate,
    pub total_ore: i64,
    pub created_at: DateTime<Utc>,
}

/// A line of a patient-fee invoice, with the charge it bills.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PatientInvoiceLineRow {
    pub line_no: i32,
    pub source_key: String,
    pub due_on: NaiveDate,
    pub description: String,
    pub list_amount_ore: i64,
    pub amount_ore: i64,
    /// `charged`, `cap_reached`, `free_card` or `exempt_age`.
    pub outcome: String,
}

#[async_trait]
pub trait PatientInvoiceStore: Send + Sync {
    /// Patients with an order line delivered before `before`, by id.
    async fn fee_patients(&self, before: DateTime<Utc>) -> Result<Vec<FeePatient>>;
    /// The patient's recorded charges, each with the number of the invoice
    /// that bills it, if one does.
    async fn charge_billing(&self, patient_id: Id) -> Result<Vec<ChargeBilling>>;
    /// Creates the invoice, numbered next in its issue year's series, and
    /// its lines in one transaction. `Conflict` when the patient's month is
    /// already invoiced or a charge already billed; then nothing is written.
    async fn create_patient_invoice(&self, invoice: &NewPatientInvoice) -> Result<(Id, String)>;
    /// The invoices of `month` (`YYYY-MM`), by number.
    async fn patient_invoices(&self, month: &str) -> Result<Vec<PatientInvoiceRow>>;
    async fn patient_invoice_by_number(&self, number: &str) -> Result<Option<PatientInvoiceRow>>;
    async fn patient_invoice_lines(&self, invoice_id: Id) -> Result<Vec<PatientInvoiceLineRow>>;
}
