//! Invoicing for the centre's finance staff: a month's invoice run, the
//! invoices per customer number, and credit notes. The rules are the
//! domain's (`ramp_domain::billing`); this module authorizes, takes `today`
//! from the clock and writes whole invoices in batches, each batch one
//! transaction (`run.rs`), so a run that stops half-way leaves whole
//! invoices and a rerun completes it. The UI and the API run it in the
//! background with progress, preliminary or final (`jobs.rs`).
//!
//! An invoice is never edited. A correction is a credit note referencing it
//! (with every line negated); the next run may then invoice that customer
//! number's month again, as the next revision.

pub mod jobs;
mod run;
mod ubl;

pub use run::{run_month, CustomerTotal, PrincipalTotal, RunControl, RunStage, RunSummary, RUN_LEASE_SECONDS};
pub use ubl::{einvoice_of, invoice_ubl, SELLER_BANKGIRO, VAT_EXEMPTION};

use crate::error::{AppError, Result};
use crate::App;
use chrono::NaiveDate;
use ramp_domain::billing::Facts;
use ramp_domain::charges::LostDeviceRules;
use ramp_domain::figures::Month;
use ramp_domain::role::Role;
use ramp_model::{
    InvoiceFilter, InvoiceLineRow, InvoiceRow, NewInvoice, NewInvoiceLine, PrincipalBilling, StorageError, User,
};
use serde::Serialize;
use std::sync::atomic::AtomicBool;

/// Days from issue to due date.
pub const PAYMENT_TERMS_DAYS: i64 = 30;

/// Invoicing is for finance staff.
pub(crate) fn authorize(user: &User) -> Result<()> {
    if user.has_role(Role::Finance) {
        Ok(())
    } else {
        Err(AppError::forbidden("role_required", "invoicing is for the centre's finance staff (role finance)"))
    }
}

/// The first month an invoice run may be for: Ramp holds nothing older.
const FIRST_RUN_MONTH: (i32, u32) = (2000, 1);

/// A month that has ended: rent is billed for days that have passed. Not
/// before January 2000.
pub(crate) fn closed_month(app: &App, month: &str) -> Result<Month> {
    let m = Month::parse("month", month)?;
    let first = Month::new(FIRST_RUN_MONTH.0, FIRST_RUN_MONTH.1).expect("a valid month");
    if m < first {
        return Err(AppError::invalid(
            "month",
            "month_out_of_range",
            format!("an invoice run is for {first} or later"),
        ));
    }
    if m >= Month::of(app.today()) {
        return Err(AppError::invalid(
            "month",
            "month_not_closed",
            format!("{m} has not ended yet; a month is invoiced after its last day"),
        ));
    }
    Ok(m)
}

/// The month's billing facts, each lost device with the lost-device rules of
/// the agreement in force on the day it was reported, for the reporting
/// unit's kind (issue 22: a pilot's scope and dates are agreement data).
pub async fn billing_facts(app: &App, m: Month) -> Result<Facts> {
    let mut facts = app.storage.billing_facts(m).await?;
    for lost in &mut facts.lost {
        lost.rules = lost_device_rules(app, lost.reported_on, lost.unit_kind.as_deref());
    }
    Ok(facts)
}

/// The lost-device rules for a loss reported on `on` by a unit of
/// `unit_kind`: the first rule set of the agreement version in force that
/// day that applies to the unit (`None`: the agreement has none). Billing
/// and the lost-device figure both value a loss by this.
pub fn lost_device_rules(app: &App, on: NaiveDate, unit_kind: Option<&str>) -> Option<LostDeviceRules> {
    let agreements = app.agreements.current();
    agreements.in_force(&app.config.agreement_region, on).and_then(|a| a.lost_device_rules(unit_kind)).cloned()
}

/// Runs the final invoicing of `month` (`YYYY-MM`, ended) while the
/// caller waits: one invoice per customer number with billable events.
/// Rerunning creates nothing twice. The UI and the API's job resource run
/// the same in the background ([`jobs`]).
pub async fn run_invoices(app: &App, user: &User, month: &str) -> Result<RunSummary> {
    let never = AtomicBool::new(false);
    run_month(app, user, month, false, &RunControl { progress: &|_, _, _| {}, cancel: &never }).await
}

/// An invoice with its lines and the parties' invoice data.
#[derive(Debug, Clone, Serialize)]
pub struct InvoiceDetail {
    pub invoice: InvoiceRow,
    pub lines: Vec<InvoiceLineRow>,
    /// The buyer's organisation number, address and PEPPOL id, when recorded.
    pub buyer: Option<PrincipalBilling>,
}

/// Invoices and credit notes, newest month first; `month` (`YYYY-MM`) and
/// `customer_number` narrow the list.
pub async fn invoices(
    app: &App,
    user: &User,
    month: Option<&str>,
    customer_number: Option<&str>,
) -> Result<Vec<InvoiceRow>> {
    authorize(user)?;
    let month = month.map(str::trim).filter(|s| !s.is_empty()).map(|s| Month::parse("month", s)).transpose()?;
    let customer_number = customer_number.map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
    let filter = InvoiceFilter { month: month.map(|m| m.to_string()), customer_number, limit: 5_000 };
    Ok(app.storage.invoices(&filter).await?)
}

/// One invoice or credit note by its number.
pub async fn invoice(app: &App, user: &User, number: &str) -> Result<InvoiceDetail> {
    authorize(user)?;
    let invoice = app.storage.invoice_by_number(number.trim()).await?.ok_or_else(|| {
        AppError::not_found(Some("number"), "invoice_not_found", format!("no invoice numbered '{number}'"))
    })?;
    let lines = app.storage.invoice_lines(invoice.id).await?;
    let buyer = app.storage.principal_billing(invoice.principal_id).await?;
    Ok(InvoiceDetail { invoice, lines, buyer })
}

/// Credits invoice `number` in full with a credit note referencing it; the
/// invoice itself is left as sent. Returns the credit note.
pub async fn credit_invoice(app: &App, user: &User, number: &str, reason: &str) -> Result<InvoiceDetail> {
    authorize(user)?;
    let reason = reason.trim();
    if reason.chars().count() < 3 || reason.chars().count() > 1_000 {
        return Err(AppError::invalid(
            "reason",
            "invalid_reason",
            "say why the invoice is credited (3 to 1,000 characters)",
        ));
    }
    let original = invoice(app, user, number).await?;
    let inv = &original.invoice;
    if inv.kind != "invoice" {
        return Err(AppError::conflict("not_an_invoice", "a credit note cannot be credited").with_field("number"));
    }
    if let Some(by) = &inv.credited_by {
        return Err(AppError::conflict(
            "already_credited",
            format!("invoice {} is already credited by {by}", inv.number),
        )
        .with_field("number"));
    }
    let today = app.today();
    let note = NewInvoice {
        kind: "credit_note".into(),
        month: inv.month.clone(),
        revision: inv.revision,
        customer_number_id: inv.customer_number_id,
        principal_id: inv.principal_id,
        issue_date: today,
        due_date: today,
        credited_invoice_id: Some(inv.id),
        reason: Some(reason.to_string()),
        created_by: user.id,
        created_at: app.clock.now(),
        run_id: None,
        lines: original.lines.iter().map(|l| credit_line(l, &inv.number)).collect(),
    };
    let (_, credit_number) = app.storage.create_invoice(&note).await.map_err(|e| match e {
        e if e.is_conflict_on("invoices_one_credit_note_per_invoice", "invoices.credited_invoice_id") => {
            AppError::conflict("already_credited", format!("invoice {} is already credited", inv.number))
                .with_field("number")
        }
        StorageError::Conflict { constraint } => AppError::conflict("conflict", constraint),
        other => other.into(),
    })?;
    invoice(app, user, &credit_number).await
}

fn credit_line(l: &InvoiceLineRow, number: &str) -> NewInvoiceLine {
    NewInvoiceLine {
        kind: l.kind.clone(),
        source_key: l.source_key.clone(),
        device_id: l.device_id,
        article_id: l.article_id,
        patient_id: l.patient_id,
        description: format!("Kredit av faktura {number} rad {}: {}", l.line_no, l.description),
        quantity: l.quantity,
        unit_price_ore: -l.unit_price_ore,
        amount_ore: -l.amount_ore,
        period_from: l.period_from,
        period_to: l.period_to,
        computation: format!("Krediterar {}", l.computation),
        credited_line_id: Some(l.id),
    }
}
