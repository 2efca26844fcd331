//! Patient-fee invoicing ("patientfakturering", issues 19 and 22): a
//! month's run that invoices each patient the fees that fell due, under
//! the fee cap and the age exemptions, and the invoices it made.
//!
//! The fee rules are `ramp_domain::fees` and nothing here computes a fee:
//! the run records, for every patient with a delivered line, the charges
//! due through the month's last day exactly as opening the fee statement
//! does (`fees.rs`; same source keys, same amounts), then bills the
//! month's unbilled charges on one invoice per patient
//! (`ramp_domain::fees::invoice_lines`). Each invoice is written with its
//! lines in one transaction, and the database holds one invoice per
//! patient and month and one line per charge, so a second or a racing run
//! creates nothing twice. A preliminary run writes nothing at all.
//!
//! Running is for finance staff and its answer names no patient. Reading
//! an invoice or the month's list names patients, so each patient on it
//! is a patient-data read through `access.rs`, audited.

use crate::access::authorize_patient_read;
use crate::billing::{authorize, closed_month, PAYMENT_TERMS_DAYS};
use crate::error::{AppError, Result};
use crate::fees::{fee_tables, patient_prescriptions, to_new};
use crate::App;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use ramp_domain::fees::{compute_fees, invoice_lines, invoice_total, InvoiceLine, RecordedCharge};
use ramp_domain::figures::{stockholm_midnight_utc, Month};
use ramp_domain::money::Ore;
use ramp_model::{FeePatient, NewPatientInvoice, PatientInvoiceLineRow, PatientInvoiceRow, StorageError, User};
use serde::Serialize;
use std::collections::HashMap;

/// What a run did, or (preliminary) would do. Names no patient.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PatientRunSummary {
    pub month: String,
    /// Nothing was written.
    pub preliminary: bool,
    /// Invoices created (or that would be).
    pub invoices: usize,
    /// Their numbers; empty for a preliminary run.
    pub created: Vec<String>,
    pub total_ore: i64,
    /// Fee charges on those invoices, 0-lines included.
    pub charges: usize,
    /// The month's fees the cap made cheaper than the table (on an invoice or not).
    pub cap_limited: usize,
    /// What the cap spared patients of those fees.
    pub cap_relief_ore: i64,
    /// Patients with unbilled fees whose month already has an invoice (billed next month).
    pub already_invoiced: usize,
}

/// The first and last day of `m`, and the instant it ends.
fn bounds(m: Month) -> (NaiveDate, NaiveDate, DateTime<Utc>) {
    let next = m.next().first_day();
    (m.first_day(), next.pred_opt().expect("a month has a last day"), stockholm_midnight_utc(next))
}

/// The lines of `patient`'s invoice for `m`. With `record_as`, the fees due
/// through the month's end are recorded first (once each, like the
/// statement does); without, nothing is written.
async fn patient_lines(
    app: &App,
    patient: &FeePatient,
    m: Month,
    record_as: Option<(&User, DateTime<Utc>)>,
) -> Result<Vec<InvoiceLine>> {
    let (first, last, _) = bounds(m);
    let rx = patient_prescriptions(app, patient.patient_id).await?;
    let due = compute_fees(fee_tables(), &app.config.agreement_region, patient.birth_date, &rx, last);
    if let Some((user, at)) = record_as {
        let new: Vec<_> = due.charges.iter().map(|c| to_new(patient.patient_id, user, at, c)).collect();
        app.storage.record_fee_charges(&new).await?;
    }
    let recorded: HashMap<String, RecordedCharge> = app
        .storage
        .charge_billing(patient.patient_id)
        .await?
        .into_iter()
        .map(|c| (c.source_key, RecordedCharge { amount: Ore(c.amount_ore), billed: c.invoice_number.is_some() }))
        .collect();
    Ok(invoice_lines(&due.charges, &recorded, first, last))
}

impl PatientRunSummary {
    /// Counts the month's cap-limited fees among `lines`.
    fn count_cap(&mut self, lines: &[InvoiceLine], first: NaiveDate) {
        for l in lines.iter().filter(|l| l.due_on >= first && l.cap_limited()) {
            self.cap_limited += 1;
            self.cap_relief_ore += l.list_amount.0 - l.amount.0;
        }
    }

    fn count_invoice(&mut self, lines: &[InvoiceLine], number: Option<String>) {
        self.invoices += 1;
        self.charges += lines.len();
        self.total_ore += invoice_total(lines).0;
        self.created.extend(number);
    }
}

/// Runs (or, `preliminary`, previews) the patient-fee invoicing of `month`
/// (`YYYY-MM`, ended): one invoice per patient whose unbilled fees through
/// the month's end cost something, due in 30 days.
pub async fn run_patient_invoices(app: &App, user: &User, month: &str, preliminary: bool) -> Result<PatientRunSummary> {
    authorize(user)?;
    let m = closed_month(app, month)?;
    let (first, _, end) = bounds(m);
    let (now, today) = (app.clock.now(), app.today());
    let mut summary = PatientRunSummary { month: m.to_string(), preliminary, ..Default::default() };
    for patient in app.storage.fee_patients(end).await? {
        let lines = patient_lines(app, &patient, m, (!preliminary).then_some((user, now))).await?;
        summary.count_cap(&lines, first);
        if invoice_total(&lines).0 <= 0 {
            continue;
        }
        if preliminary {
            summary.count_invoice(&lines, None);
            continue;
        }
        let invoice = NewPatientInvoice {
            patient_id: patient.patient_id,
            month: summary.month.clone(),
            issue_date: today,
            due_date: today + Duration::days(PAYMENT_TERMS_DAYS),
            created_by: user.id,
            created_at: now,
            lines: lines.iter().map(|l| (l.source_key.clone(), l.amount.0)).collect(),
        };
        match app.storage.create_patient_invoice(&invoice).await {
            Ok((_, number)) => summary.count_invoice(&lines, Some(number)),
            // Another run got there first, or the month was invoiced before these fees were recorded.
            Err(e) if already_billed(&e) => summary.already_invoiced += 1,
            Err(e) => return Err(e.into()),
        }
    }
    Ok(summary)
}

fn already_billed(e: &StorageError) -> bool {
    e.is_conflict_on("patient_invoices_one_per_month", "patient_invoices.patient_id")
        || e.is_conflict_on("patient_invoice_lines_billed_once", "patient_invoice_lines.charge_id")
}

/// A patient invoice with its lines.
#[derive(Debug, Clone, Serialize)]
pub struct PatientInvoiceDetail {
    pub invoice: PatientInvoiceRow,
    pub lines: Vec<PatientInvoiceLineRow>,
}

/// Audits the read of each patient on `rows` (through `access.rs`).
async fn audit_each(
    app: &App,
    user: &User,
    rows: &[PatientInvoiceRow],
    action: &str,
    request_id: Option<&str>,
) -> Result<()> {
    let mut seen = std::collections::HashSet::new();
    for r in rows.iter().filter(|r| seen.insert(r.patient_id)) {
        authorize_patient_read(app, user, r.patient_id, action, request_id).await?;
    }
    Ok(())
}

/// The invoices of `month` (`YYYY-MM`, required) for finance staff, each
/// patient on them audited under `action`.
async fn month_invoices(
    app: &App,
    user: &User,
    month: Option<&str>,
    action: &str,
    request_id: Option<&str>,
) -> Result<Vec<PatientInvoiceRow>> {
    authorize(user)?;
    let month = month.map(str::trim).filter(|s| !s.is_empty());
    let month = month.ok_or_else(|| AppError::invalid("month", "invalid_month", "give the month as YYYY-MM"))?;
    let m = Month::parse("month", month)?;
    let rows = app.storage.patient_invoices(&m.to_string()).await?;
    audit_each(app, user, &rows, action, request_id).await?;
    Ok(rows)
}

/// The patient invoices of `month` (`YYYY-MM`, required), by number. Each
/// patient listed is an audited read.
pub async fn patient_invoices(
    app: &App,
    user: &User,
    month: Option<&str>,
    request_id: Option<&str>,
) -> Result<Vec<PatientInvoiceRow>> {
    month_invoices(app, user, month, "patient.invoice_list", request_id).await
}

/// Every invoice of `month` with its lines: the export to the region's
/// patient-invoice print and financial system. Each patient is an audited read.
pub async fn patient_invoice_export(
    app: &App,
    user: &User,
    month: Option<&str>,
    request_id: Option<&str>,
) -> Result<Vec<PatientInvoiceDetail>> {
    let rows = month_invoices(app, user, month, "patient.invoice_export", request_id).await?;
    let mut out = Vec::with_capacity(rows.len());
    for invoice in rows {
        let lines = app.storage.patient_invoice_lines(invoice.id).await?;
        out.push(PatientInvoiceDetail { invoice, lines });
    }
    Ok(out)
}

/// One patient invoice by its number: a read of the patient's data,
/// checked and audited by `access.rs` like the fee statement.
pub async fn patient_invoice(
    app: &App,
    user: &User,
    number: &str,
    request_id: Option<&str>,
) -> Result<PatientInvoiceDetail> {
    authorize(user)?;
    let invoice = app.storage.patient_invoice_by_number(number.trim()).await?.ok_or_else(|| {
        AppError::not_found(Some("number"), "invoice_not_found", format!("no patient invoice numbered '{number}'"))
    })?;
    authorize_patient_read(app, user, invoice.patient_id, "patient.invoice", request_id).await?;
    let lines = app.storage.patient_invoice_lines(invoice.id).await?;
    Ok(PatientInvoiceDetail { invoice, lines })
}
