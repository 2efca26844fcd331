//! A patient's fee statement ("avgiftsspecifikation"): the fees the
//! patient's prescriptions cost under the region's fee table, the fee cap
//! and the age exemptions (`ramp_domain::fees` owns the rules).
//!
//! Opening the statement is a read of patient data, so it goes through
//! `access.rs` (care relationship, emergency access or HMC role; audited).
//! It also records the fees that have fallen due through today: a fee falls
//! due by the calendar whoever looks, and the record is what billing reads.
//! Each charge's source key is unique in the database, so opening the
//! statement again records nothing twice. The month's patient-invoice run
//! (`patient_invoices.rs`) records the same charges by the same rules, so
//! the two paths meet on the same source keys and the cap holds across
//! both.

use crate::access::{authorize_patient_read, patient_to_read};
use crate::dates::parse_optional_date;
use crate::error::{AppError, Result};
use crate::App;
use chrono::{DateTime, Months, NaiveDate, Utc};
use ramp_domain::fees::{compute_fees, CapPeriod, FeeCharge, FeePrescription, FeeTables};
use ramp_domain::money::Ore;
use ramp_domain::time::{age_on, stockholm_date};
use ramp_model::{AccessReason, FeeLineRow, NewFeeCharge, Patient, PatientLoan, User};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::OnceLock;

/// The built-in fee tables, parsed once.
pub fn fee_tables() -> &'static FeeTables {
    static TABLES: OnceLock<FeeTables> = OnceLock::new();
    TABLES.get_or_init(FeeTables::builtin)
}

/// A fee of the statement, and when it was recorded.
#[derive(Debug, Clone, Serialize)]
pub struct StatementLine {
    #[serde(flatten)]
    pub charge: FeeCharge,
    pub recorded_at: Option<DateTime<Utc>>,
    /// The patient invoice that bills it (`P2026000001`), once one does.
    pub invoice_number: Option<String>,
}

/// What the statement page and `POST /api/v1/patients/fee-statement` show.
#[derive(Debug, Clone, Serialize)]
pub struct FeeStatement {
    pub patient: Patient,
    pub age: u32,
    pub region: String,
    /// `None` when the region has no fee table in force on `to`.
    pub region_name: Option<String>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Fees due in `from..=to`, by due date.
    pub lines: Vec<StatementLine>,
    /// What the patient pays for them.
    pub total: Ore,
    /// The cap period in force on `to`.
    pub cap_period: Option<CapPeriod>,
    /// Charges recorded by this call (0 when opened again).
    pub newly_recorded: u64,
    pub access: AccessReason,
    /// Until when the caller's emergency access runs, when that is the ground.
    pub emergency_until: Option<DateTime<Utc>>,
}

/// The statement's period: by default the twelve months ending today.
fn period(app: &App, from: Option<&str>, to: Option<&str>) -> Result<(NaiveDate, NaiveDate)> {
    let (from, to) = (parse_optional_date("from", from, "2026-01-01")?, parse_optional_date("to", to, "2026-12-31")?);
    let today = app.today();
    let to = to.unwrap_or(today);
    if to > today {
        return Err(AppError::invalid("to", "statement_after_today", "the statement ends today at the latest"));
    }
    let from = from.unwrap_or_else(|| to.checked_sub_months(Months::new(12)).and_then(|d| d.succ_opt()).unwrap_or(to));
    if from > to {
        return Err(AppError::invalid("from", "after_to", "the statement starts on or before its end date"));
    }
    Ok((from, to))
}

/// The fee rules' view of the patient's delivered lines. A device's
/// return is the end of the loan that began with the delivery (a day's
/// slack: the loan date is civil, the delivery an instant).
fn prescriptions(lines: &[FeeLineRow], loans: &[PatientLoan]) -> Vec<FeePrescription> {
    lines
        .iter()
        .map(|l| {
            let delivered_on = stockholm_date(l.delivered_at);
            let returned_on = l.device_id.and_then(|device| {
                loans
                    .iter()
                    .filter(|loan| {
                        loan.device_id == device && loan.start_date >= delivered_on.pred_opt().unwrap_or(delivered_on)
                    })
                    .min_by_key(|loan| loan.start_date)
                    .and_then(|loan| loan.end_date)
            });
            FeePrescription {
                line_id: l.line_id,
                article_name: l.article_name.clone(),
                iso_code: l.iso_code.clone(),
                delivered_on,
                short_term_end: l.end_date,
                returned_on,
            }
        })
        .collect()
}

/// The record of a charge, by `user` at `at` (the statement's reader or the
/// invoice run's finance user).
pub(crate) fn to_new(patient_id: i64, user: &User, at: DateTime<Utc>, c: &FeeCharge) -> NewFeeCharge {
    NewFeeCharge {
        patient_id,
        source_key: c.source_key.clone(),
        order_line_id: c.line_id,
        fee_id: c.fee_id.clone(),
        kind: c.kind.as_str().into(),
        due_on: c.due_on,
        fee_table: c.table.clone(),
        description: format!("{} – {}", c.name_sv, c.article_name),
        list_amount_ore: c.list_amount.0,
        amount_ore: c.amount.0,
        outcome: c.outcome.as_str().into(),
        recorded_at: at,
        recorded_by: user.id,
    }
}

/// The fee rules' view of a patient's delivered lines, read from storage.
pub(crate) async fn patient_prescriptions(app: &App, patient_id: i64) -> Result<Vec<FeePrescription>> {
    let lines = app.storage.fee_lines(patient_id).await?;
    let loans = app.storage.patient_loans(patient_id).await?;
    Ok(prescriptions(&lines, &loans))
}

/// Opens a patient's fee statement for `from..=to` (dates as typed; default:
/// the twelve months ending today) and records the fees due through today.
pub async fn fee_statement(
    app: &App,
    user: &User,
    personal_id: &str,
    from: Option<&str>,
    to: Option<&str>,
    request_id: Option<&str>,
) -> Result<FeeStatement> {
    let (from, to) = period(app, from, to)?;
    let patient = patient_to_read(app, user, personal_id, "patient.fee_statement", request_id).await?;
    let access = authorize_patient_read(app, user, patient.id, "patient.fee_statement", request_id).await?;
    let emergency_until = crate::patients::emergency_until(app, user, patient.id, access).await?;
    let (today, now, region) = (app.today(), app.clock.now(), app.config.agreement_region.as_str());
    let rx = patient_prescriptions(app, patient.id).await?;
    let due = compute_fees(fee_tables(), region, patient.birth_date, &rx, today);
    let new: Vec<NewFeeCharge> = due.charges.iter().map(|c| to_new(patient.id, user, now, c)).collect();
    let newly_recorded = app.storage.record_fee_charges(&new).await?;
    let recorded: HashMap<String, DateTime<Utc>> =
        app.storage.fee_charges(patient.id).await?.into_iter().map(|r| (r.source_key, r.recorded_at)).collect();
    let invoiced: HashMap<String, String> = app
        .storage
        .charge_billing(patient.id)
        .await?
        .into_iter()
        .filter_map(|c| c.invoice_number.map(|n| (c.source_key, n)))
        .collect();
    let as_of = compute_fees(fee_tables(), region, patient.birth_date, &rx, to);
    let lines: Vec<StatementLine> = as_of
        .charges
        .into_iter()
        .filter(|c| c.due_on >= from)
        .map(|c| StatementLine {
            recorded_at: recorded.get(&c.source_key).copied(),
            invoice_number: invoiced.get(&c.source_key).cloned(),
            charge: c,
        })
        .collect();
    Ok(FeeStatement {
        age: age_on(patient.birth_date, today),
        region: region.to_string(),
        region_name: fee_tables().in_force(region, to).map(|t| t.region_name.clone()),
        from,
        to,
        total: Ore(lines.iter().map(|l| l.charge.amount.0).sum()),
        lines,
        cap_period: as_of.cap_period,
        newly_recorded,
        access,
        emergency_until,
        patient,
    })
}
