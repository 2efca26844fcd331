//! The prescriber's own patients ("Mina patienter") and registering a new
//! patient with a setting and a care relationship.

use crate::{Id, Result};
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use ramp_domain::ids::PersonalId;
use ramp_domain::setting::Setting;
use serde::Serialize;

/// A patient of the unit with what a prescriber looks at first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MyPatient {
    pub id: Id,
    pub personal_id: PersonalId,
    pub given_name: String,
    pub family_name: String,
    /// The setting on the day asked for, if one is registered.
    pub setting: Option<Setting>,
    /// Orders not yet delivered or cancelled.
    pub open_orders: i64,
    /// Delivered orders whose evaluation date is on or before the day asked for.
    pub evaluations_due: i64,
    /// Devices with the patient now.
    pub devices_lent: i64,
}

/// A patient to register, with their first setting and the care
/// relationship of the registering user's unit (both from `on`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPatientRegistration {
    pub personal_id: PersonalId,
    pub birth_date: NaiveDate,
    pub given_name: String,
    pub family_name: String,
    pub municipality_id: Id,
    pub setting: Setting,
    pub unit_id: Id,
    pub on: NaiveDate,
    pub at: DateTime<Utc>,
}

/// A loan open on a day, with what a new cost decision for it needs and the
/// payer in force the day before (issue 22: a move re-decides who pays).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenLoanPayer {
    pub loan_id: Id,
    pub device_number: String,
    pub article_name: String,
    pub start_date: NaiveDate,
    pub iso_code: Option<String>,
    pub kind: ramp_domain::article::ArticleKind,
    /// The payer and rule in force the day before the change.
    pub payer: ramp_domain::cost::Payer,
    pub rule_id: String,
}

/// From `from` on, the loan's payer is `payer` (billed on `customer_number_id`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LoanPayerChange {
    pub loan_id: Id,
    pub from: NaiveDate,
    pub setting: Setting,
    pub payer: ramp_domain::cost::Payer,
    pub customer_number_id: Id,
    pub rule_id: String,
    pub agreement_version: String,
}

/// The customer numbers a patient's rent is billed to when the region or
/// the patient's municipality pays (the first of each by number).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PayerAccounts {
    pub region: Option<Id>,
    pub municipality: Option<Id>,
}

#[async_trait]
pub trait PatientRegisterStore: Send + Sync {
    /// The patients `unit_id` has a care relationship with on `on`, by
    /// family and given name.
    async fn my_patients(&self, unit_id: Id, on: NaiveDate) -> Result<Vec<MyPatient>>;
    /// Registers the patient, their setting, the care relationship and the
    /// `audit` row (its patient set to the new one) in one transaction;
    /// `None` when the personal id is registered already (nothing written).
    async fn register_patient(&self, p: &NewPatientRegistration, audit: &crate::NewAuditEntry) -> Result<Option<Id>>;
    /// Ends the setting open on `from` the day before and opens `setting`
    /// from `from`, in one transaction; settings starting on or after
    /// `from` are replaced by it, and so are the payer periods of the
    /// patient's loans from `from` on: `payers` are the new ones.
    async fn change_setting(
        &self,
        patient_id: Id,
        setting: Setting,
        from: NaiveDate,
        payers: &[LoanPayerChange],
    ) -> Result<()>;
    /// The patient's loans open on `from` that began before it, with the
    /// payer in force the day before.
    async fn open_loan_payers(&self, patient_id: Id, from: NaiveDate) -> Result<Vec<OpenLoanPayer>>;
    /// Where the patient's rent goes when the region or their municipality pays.
    async fn payer_accounts(&self, patient_id: Id) -> Result<PayerAccounts>;
}
