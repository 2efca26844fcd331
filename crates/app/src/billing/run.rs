//! A month's invoice run, preliminary or final (issue 19). Both read the
//! month's facts and compute the same drafts; a preliminary run stops
//! there and writes nothing, reporting what a final run would invoice per
//! principal and customer number. A final run records itself as running
//! (the database lets one final run of a month run at a time), writes its
//! invoices in batches of whole invoices, each batch one transaction, and
//! checks between batches whether it was asked to stop: a cancelled run
//! leaves whole invoices only, and the next run of the month invoices the
//! rest, since a customer number's month is invoiced once.

use super::{authorize, billing_facts, closed_month, PAYMENT_TERMS_DAYS};
use crate::error::{AppError, Result};
use crate::App;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use ramp_domain::billing::{invoice_drafts, Draft, Line};
use ramp_domain::Term;
use ramp_model::{Account, NewInvoice, NewInvoiceLine, StorageError, User};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};

/// A batch closes once it holds this many lines (or [`BATCH_INVOICES`]
/// invoices): few transactions, yet a cancellation is heard within a
/// second or so at region scale.
const BATCH_LINES: usize = 20_000;
const BATCH_INVOICES: usize = 100;
/// A running run whose heartbeat is older than this was stopped (the
/// process ended) and the next run of the month may take over.
pub const RUN_LEASE_SECONDS: i64 = 120;

/// Where a run is, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RunStage {
    /// Reading the month's facts and computing the invoices.
    Reading,
    /// Writing invoices (`done` of `total`).
    Writing,
    Done,
}

/// How a run reports progress and hears that it should stop.
pub struct RunControl<'a> {
    pub progress: &'a (dyn Fn(RunStage, usize, usize) + Send + Sync),
    pub cancel: &'a AtomicBool,
}

/// One customer number's invoice in a run: created, or (preliminary) to create.
#[derive(Debug, Clone, Serialize)]
pub struct CustomerTotal {
    pub customer_number: String,
    pub customer_name: String,
    pub principal: String,
    pub lines: usize,
    pub total_ore: i64,
    /// The invoice's number once created (never on a preliminary run).
    pub invoice: Option<String>,
}

/// A principal's sum over its customer numbers' invoices in a run.
#[derive(Debug, Clone, Serialize)]
pub struct PrincipalTotal {
    pub principal: String,
    pub invoices: usize,
    pub lines: usize,
    pub total_ore: i64,
}

/// What one run did, or (preliminary) would do.
#[derive(Debug, Clone, Serialize)]
pub struct RunSummary {
    /// The recorded run; `None` for a preliminary run, which records nothing.
    pub run_id: Option<i64>,
    pub month: String,
    pub preliminary: bool,
    /// The run was cancelled before it had written every invoice.
    pub cancelled: bool,
    /// Numbers of the invoices this run created.
    pub created: Vec<String>,
    pub lines: usize,
    pub total_ore: i64,
    /// Customer numbers whose month was already invoiced (and not credited).
    pub already_invoiced: usize,
    /// Per customer number: created (final) or to be created (preliminary).
    pub customers: Vec<CustomerTotal>,
    /// The same summed per principal, by name.
    pub principals: Vec<PrincipalTotal>,
}

/// An invoice the run is to write.
struct Pending<'a> {
    draft: &'a Draft,
    revision: i32,
    principal_id: i64,
}

/// Who the customer numbers and principals are, for the totals.
struct Names {
    customers: HashMap<i64, Account>,
    principals: HashMap<i64, String>,
}

/// Runs `month` (`YYYY-MM`, ended): preliminary (writes nothing) or final.
pub async fn run_month(
    app: &App,
    user: &User,
    month: &str,
    preliminary: bool,
    ctl: &RunControl<'_>,
) -> Result<RunSummary> {
    authorize(user)?;
    let m = closed_month(app, month)?;
    let key = m.to_string();
    (ctl.progress)(RunStage::Reading, 0, 0);
    let run_id = if preliminary { None } else { Some(start_run(app, user, &key).await?) };
    let outcome = plan_and_write(app, user, &key, m, run_id, ctl).await;
    if let Some(id) = run_id {
        let state = match &outcome {
            Ok(s) if s.cancelled => "cancelled",
            Ok(_) => "finished",
            Err(_) => "failed",
        };
        app.storage.mark_invoice_run(id, state, app.clock.now()).await?;
    }
    let summary = outcome?;
    (ctl.progress)(RunStage::Done, summary.customers.len(), summary.customers.len());
    Ok(summary)
}

async fn start_run(app: &App, user: &User, month: &str) -> Result<i64> {
    let now = app.clock.now();
    let stale = now - Duration::seconds(RUN_LEASE_SECONDS);
    app.storage.start_invoice_run(month, user.id, now, stale).await.map_err(|e| {
        if e.is_conflict_on("invoice_runs_one_running_per_month", "invoice_runs.month") {
            AppError::conflict("run_in_progress", format!("a final invoice run of {month} is already running"))
                .with_field("month")
        } else {
            e.into()
        }
    })
}

async fn plan_and_write(
    app: &App,
    user: &User,
    key: &str,
    m: ramp_domain::figures::Month,
    run_id: Option<i64>,
    ctl: &RunControl<'_>,
) -> Result<RunSummary> {
    let started = std::time::Instant::now();
    let facts = billing_facts(app, m).await?;
    let read_ms = started.elapsed().as_millis();
    let drafts = invoice_drafts(&facts);
    drop(facts);
    let computed_ms = started.elapsed().as_millis();
    let states: HashMap<i64, (i32, bool)> = app
        .storage
        .month_invoice_states(key)
        .await?
        .into_iter()
        .map(|s| (s.customer_number_id, (s.revision, s.credited)))
        .collect();
    let names = names(app).await?;
    let mut summary = RunSummary {
        run_id,
        month: key.to_string(),
        preliminary: run_id.is_none(),
        cancelled: false,
        created: Vec::new(),
        lines: 0,
        total_ore: 0,
        already_invoiced: 0,
        customers: Vec::new(),
        principals: Vec::new(),
    };
    let mut pending = Vec::new();
    for draft in drafts.iter().filter(|d| !d.lines.is_empty()) {
        let revision = match states.get(&draft.customer_number_id) {
            None => 0,
            Some(&(r, true)) => r + 1,
            Some(_) => {
                summary.already_invoiced += 1;
                continue;
            }
        };
        let account = names
            .customers
            .get(&draft.customer_number_id)
            .ok_or_else(|| AppError::conflict("no_customer_number", "a billed customer number does not exist"))?;
        pending.push(Pending { draft, revision, principal_id: account.principal_id });
    }
    match run_id {
        None => {
            for p in &pending {
                record(&mut summary, &names, p.draft, None);
            }
        }
        Some(run_id) => write(app, user, run_id, &pending, &names, &mut summary, ctl).await?,
    }
    summary.principals = principal_totals(&summary.customers);
    tracing::info!(
        month = key,
        read_ms,
        computed_ms,
        total_ms = started.elapsed().as_millis(),
        invoices = summary.customers.len(),
        "invoice run: the stages' times since the start"
    );
    Ok(summary)
}

async fn names(app: &App) -> Result<Names> {
    let principals: HashMap<i64, String> =
        app.storage.principals().await?.into_iter().map(|p| (p.id, p.name)).collect();
    let customers = app.storage.accounts().await?.into_iter().map(|a| (a.customer_number_id, a)).collect();
    Ok(Names { customers, principals })
}

fn record(summary: &mut RunSummary, names: &Names, draft: &Draft, invoice: Option<String>) {
    let account = names.customers.get(&draft.customer_number_id);
    let principal = account.and_then(|a| names.principals.get(&a.principal_id)).cloned().unwrap_or_default();
    summary.lines += draft.lines.len();
    summary.total_ore += draft.total.0;
    if let Some(n) = &invoice {
        summary.created.push(n.clone());
    }
    summary.customers.push(CustomerTotal {
        customer_number: account.map(|a| a.number.clone()).unwrap_or_default(),
        customer_name: account.map(|a| a.name.clone()).unwrap_or_default(),
        principal,
        lines: draft.lines.len(),
        total_ore: draft.total.0,
        invoice,
    });
}

fn principal_totals(customers: &[CustomerTotal]) -> Vec<PrincipalTotal> {
    let mut per: BTreeMap<&str, PrincipalTotal> = BTreeMap::new();
    for c in customers {
        let t = per.entry(&c.principal).or_insert_with(|| PrincipalTotal {
            principal: c.principal.clone(),
            invoices: 0,
            lines: 0,
            total_ore: 0,
        });
        t.invoices += 1;
        t.lines += c.lines;
        t.total_ore += c.total_ore;
    }
    per.into_values().collect()
}

/// Writes the pending invoices batch by batch, stopping between batches when cancelled.
async fn write(
    app: &App,
    user: &User,
    run_id: i64,
    pending: &[Pending<'_>],
    names: &Names,
    summary: &mut RunSummary,
    ctl: &RunControl<'_>,
) -> Result<()> {
    let (now, today) = (app.clock.now(), app.today());
    let total = pending.len();
    (ctl.progress)(RunStage::Writing, 0, total);
    let mut done = 0;
    for batch in batches(pending) {
        if ctl.cancel.load(Ordering::Relaxed) {
            summary.cancelled = true;
            break;
        }
        let invoices: Vec<NewInvoice> =
            batch.iter().map(|p| new_invoice(p, &summary.month, today, user.id, now, run_id)).collect();
        match app.storage.create_invoices(&invoices).await {
            Ok(created) => {
                for (p, (_, number)) in batch.iter().zip(created) {
                    record(summary, names, p.draft, Some(number));
                }
            }
            Err(e) if already_invoiced(&e) => one_by_one(app, batch, &invoices, names, summary).await?,
            Err(e) => return Err(e.into()),
        }
        done += batch.len();
        (ctl.progress)(RunStage::Writing, done, total);
        app.storage.mark_invoice_run(run_id, "running", app.clock.now()).await?;
    }
    Ok(())
}

/// Another run invoiced one of the batch's customer numbers first: each
/// invoice on its own, those already invoiced counted as such.
async fn one_by_one(
    app: &App,
    batch: &[Pending<'_>],
    invoices: &[NewInvoice],
    names: &Names,
    summary: &mut RunSummary,
) -> Result<()> {
    for (p, invoice) in batch.iter().zip(invoices) {
        match app.storage.create_invoice(invoice).await {
            Ok((_, number)) => record(summary, names, p.draft, Some(number)),
            Err(e) if already_invoiced(&e) => summary.already_invoiced += 1,
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

fn already_invoiced(e: &StorageError) -> bool {
    e.is_conflict_on("invoices_one_per_customer_month", "invoices.customer_number_id")
        || e.is_conflict_on("invoice_lines_billed_once", "invoice_lines.source_key")
}

/// The pending invoices in batches of whole invoices.
fn batches<'p, 'a>(pending: &'p [Pending<'a>]) -> Vec<&'p [Pending<'a>]> {
    let mut out = Vec::new();
    let (mut start, mut lines) = (0, 0);
    for (i, p) in pending.iter().enumerate() {
        lines += p.draft.lines.len();
        if lines >= BATCH_LINES || i + 1 - start >= BATCH_INVOICES {
            out.push(&pending[start..=i]);
            (start, lines) = (i + 1, 0);
        }
    }
    if start < pending.len() {
        out.push(&pending[start..]);
    }
    out
}

fn new_invoice(
    p: &Pending<'_>,
    month: &str,
    today: NaiveDate,
    user: i64,
    now: DateTime<Utc>,
    run_id: i64,
) -> NewInvoice {
    NewInvoice {
        kind: "invoice".into(),
        month: month.into(),
        revision: p.revision,
        customer_number_id: p.draft.customer_number_id,
        principal_id: p.principal_id,
        issue_date: today,
        due_date: today + Duration::days(PAYMENT_TERMS_DAYS),
        credited_invoice_id: None,
        reason: None,
        created_by: user,
        created_at: now,
        run_id: Some(run_id),
        lines: p.draft.lines.iter().map(line_of).collect(),
    }
}

fn line_of(l: &Line) -> NewInvoiceLine {
    NewInvoiceLine {
        kind: l.kind.as_str().into(),
        source_key: l.source_key.clone(),
        device_id: l.device_id,
        article_id: l.article_id,
        patient_id: l.patient_id,
        description: l.description.clone(),
        quantity: l.quantity,
        unit_price_ore: l.unit_price.0,
        amount_ore: l.amount.0,
        period_from: l.period.map(|p| p.0),
        period_to: l.period.map(|p| p.1),
        computation: l.computation.clone(),
        credited_line_id: None,
    }
}
