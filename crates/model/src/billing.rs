//! The billing side of the storage: principals as invoice parties, the
//! price list, the billable facts of a month (see `ramp_domain::billing`,
//! which owns the rules), and invoices that are written once and never
//! updated. A supertrait of [`crate::Storage`], implemented once for both
//! engines by `ramp_storage::SqlStorage` (`sql/billing.rs`).
//!
//! The database refuses to bill twice: one current invoice per customer
//! number, month and revision, and each `source_key` once per revision
//! among invoices (migration 0007).

use crate::{Id, Result};
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use ramp_domain::billing::Facts;
use ramp_domain::figures::Month;
use serde::Serialize;

/// Who a principal is on an invoice: organisation number, address, PEPPOL id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrincipalBilling {
    pub principal_id: Id,
    /// Ten digits, e.g. `2321000016`.
    pub organisation_number: String,
    /// `SE` + organisation number + `01`.
    pub vat_number: String,
    pub street: String,
    pub postal_code: String,
    pub city: String,
    /// The PEPPOL participant id (scheme 0007 and the organisation number).
    pub peppol_id: Option<String>,
    pub invoice_email: Option<String>,
}

/// A price-list row: `acute_delivery_fee` (each) or `work_order.<kind>` (hour).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BillingPrice {
    pub code: String,
    pub amount_ore: i64,
    /// `each` or `hour`.
    pub unit: String,
    pub description: String,
}

/// An invoice or credit note to create, with its lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewInvoice {
    /// `invoice` or `credit_note`.
    pub kind: String,
    pub month: String,
    pub revision: i32,
    pub customer_number_id: Id,
    pub principal_id: Id,
    pub issue_date: NaiveDate,
    pub due_date: NaiveDate,
    pub credited_invoice_id: Option<Id>,
    pub reason: Option<String>,
    pub created_by: Id,
    pub created_at: DateTime<Utc>,
    pub run_id: Option<Id>,
    pub lines: Vec<NewInvoiceLine>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewInvoiceLine {
    pub kind: String,
    pub source_key: String,
    pub device_id: Option<Id>,
    pub article_id: Option<Id>,
    pub patient_id: Option<Id>,
    pub description: String,
    pub quantity: i64,
    pub unit_price_ore: i64,
    pub amount_ore: i64,
    pub period_from: Option<NaiveDate>,
    pub period_to: Option<NaiveDate>,
    pub computation: String,
    pub credited_line_id: Option<Id>,
}

/// An invoice as stored, with its customer number and principal named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InvoiceRow {
    pub id: Id,
    pub number: String,
    pub kind: String,
    pub month: String,
    pub revision: i32,
    pub customer_number_id: Id,
    pub customer_number: String,
    pub customer_name: String,
    pub principal_id: Id,
    pub principal_name: String,
    pub issue_date: NaiveDate,
    pub due_date: NaiveDate,
    pub total_ore: i64,
    pub credited_invoice_id: Option<Id>,
    /// The number of the invoice this credit note credits.
    pub credited_number: Option<String>,
    /// The number of the credit note that credits this invoice.
    pub credited_by: Option<String>,
    pub reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub run_id: Option<Id>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InvoiceLineRow {
    pub id: Id,
    pub line_no: i32,
    pub kind: String,
    pub source_key: String,
    pub device_id: Option<Id>,
    pub article_id: Option<Id>,
    pub patient_id: Option<Id>,
    pub description: String,
    pub quantity: i64,
    pub unit_price_ore: i64,
    pub amount_ore: i64,
    pub period_from: Option<NaiveDate>,
    pub period_to: Option<NaiveDate>,
    pub computation: String,
    pub credited_line_id: Option<Id>,
}

/// The latest invoice of a customer number's month and whether it is credited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthInvoiceState {
    pub customer_number_id: Id,
    pub revision: i32,
    pub credited: bool,
}

/// A customer number with its principal: whom an invoice is addressed to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub customer_number_id: Id,
    pub number: String,
    /// The customer number's name, e.g. the unit's.
    pub name: String,
    pub principal_id: Id,
}

/// The invoices a listing asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InvoiceFilter {
    pub month: Option<String>,
    pub customer_number: Option<String>,
    pub limit: i64,
}

#[async_trait]
pub trait BillingStore: Send + Sync {
    /// Sets principals' invoice-party data (demo data, imports), one transaction.
    async fn set_principal_billing(&self, rows: &[PrincipalBilling]) -> Result<()>;
    async fn principal_billing(&self, principal_id: Id) -> Result<Option<PrincipalBilling>>;
    /// Inserts or replaces a price-list row.
    async fn set_billing_price(&self, price: &BillingPrice) -> Result<()>;
    async fn billing_prices(&self) -> Result<Vec<BillingPrice>>;
    /// Every billable fact of `month`, with the price list and accounts.
    async fn billing_facts(&self, month: Month) -> Result<Facts>;
    /// Every customer number with its principal.
    async fn accounts(&self) -> Result<Vec<Account>>;
    /// Records that `user` started a final run for `month` (state
    /// `running`); returns its id. A running run of the month whose
    /// heartbeat is older than `stale_before` is first marked `interrupted`;
    /// `Conflict` (`invoice_runs_one_running_per_month`) while another runs.
    async fn start_invoice_run(
        &self,
        month: &str,
        user: Id,
        at: DateTime<Utc>,
        stale_before: DateTime<Utc>,
    ) -> Result<Id>;
    /// `running`: the run's heartbeat; `finished`, `cancelled` or `failed`:
    /// how it ended (a run no longer running is left as it is).
    async fn mark_invoice_run(&self, run_id: Id, state: &str, at: DateTime<Utc>) -> Result<()>;
    /// Per customer number invoiced for `month`: its latest revision and whether it is credited.
    async fn month_invoice_states(&self, month: &str) -> Result<Vec<MonthInvoiceState>>;
    /// Creates an invoice or credit note with its lines and `created` event
    /// (or `credited` on the credited invoice) in one transaction, taking the
    /// next number of the issue date's year. `Conflict` when the customer
    /// number's month (revision) is already invoiced, an event already
    /// billed, or the invoice already credited; then nothing is written.
    async fn create_invoice(&self, invoice: &NewInvoice) -> Result<(Id, String)>;
    /// Creates several invoices as [`Self::create_invoice`] does, all in one
    /// transaction (numbers in order): all of them, or none on any error.
    async fn create_invoices(&self, invoices: &[NewInvoice]) -> Result<Vec<(Id, String)>>;
    async fn invoices(&self, filter: &InvoiceFilter) -> Result<Vec<InvoiceRow>>;
    async fn invoice_by_number(&self, number: &str) -> Result<Option<InvoiceRow>>;
    async fn invoice_lines(&self, invoice_id: Id) -> Result<Vec<InvoiceLineRow>>;
}
