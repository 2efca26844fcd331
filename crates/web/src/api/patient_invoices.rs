//! Patient-fee invoicing over HTTP for finance staff (issues 19 and 22):
//! run or preview a month, list its invoices, one invoice, and the month's
//! export (CSV, XLSX) for the region's patient-invoice print and financial
//! system. No personal identity number is ever in a URL: invoices are
//! found by month or by invoice number.

use super::billing::ore_cell;
use super::figures::Csv;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiUser, RequestId};
use crate::xlsx::Xlsx;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use ramp_app::model::{PatientInvoiceLineRow, PatientInvoiceRow};
use ramp_app::patient_invoices::{self as uc, PatientInvoiceDetail, PatientRunSummary};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RunBody {
    /// The month to invoice, `YYYY-MM`; it must have ended.
    pub month: String,
    /// Only compute what would be invoiced; nothing is written.
    #[serde(default)]
    pub preliminary: bool,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MonthParams {
    /// `YYYY-MM` (required).
    pub month: Option<String>,
}

/// What a run did or would do; names no patient.
#[derive(Debug, Serialize, ToSchema)]
pub struct PatientRunDto {
    pub month: String,
    /// True: nothing was written.
    pub preliminary: bool,
    /// Invoices created (or that would be).
    pub invoices: usize,
    /// Their numbers (empty for a preliminary run).
    pub created: Vec<String>,
    pub total_ore: i64,
    /// Fee charges on those invoices, 0-lines included.
    pub charges: usize,
    /// The month's fees the fee cap (högkostnadsskydd) made cheaper than the table.
    pub cap_limited: usize,
    /// What the cap spared patients of those fees.
    pub cap_relief_ore: i64,
    /// Patients whose month already has an invoice: their new fees go on next month's.
    pub already_invoiced: usize,
}

impl From<PatientRunSummary> for PatientRunDto {
    fn from(s: PatientRunSummary) -> Self {
        PatientRunDto {
            month: s.month,
            preliminary: s.preliminary,
            invoices: s.invoices,
            created: s.created,
            total_ore: s.total_ore,
            charges: s.charges,
            cap_limited: s.cap_limited,
            cap_relief_ore: s.cap_relief_ore,
            already_invoiced: s.already_invoiced,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PatientInvoiceDto {
    pub number: String,
    pub patient_id: i64,
    /// `YYYYMMDD-NNNN`.
    pub personal_id: String,
    pub given_name: String,
    pub family_name: String,
    pub month: String,
    pub issue_date: String,
    pub due_date: String,
    pub total_ore: i64,
}

impl From<&PatientInvoiceRow> for PatientInvoiceDto {
    fn from(i: &PatientInvoiceRow) -> Self {
        PatientInvoiceDto {
            number: i.number.clone(),
            patient_id: i.patient_id,
            personal_id: i.personal_id.display(),
            given_name: i.given_name.clone(),
            family_name: i.family_name.clone(),
            month: i.month.clone(),
            issue_date: i.issue_date.to_string(),
            due_date: i.due_date.to_string(),
            total_ore: i.total_ore,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PatientInvoiceLineDto {
    pub line_no: i32,
    /// The fee charge billed, e.g. `fee:line:12:korttid-manad:2026-03-15`; billed once.
    pub source_key: String,
    pub due_on: String,
    pub description: String,
    pub list_amount_ore: i64,
    pub amount_ore: i64,
    /// charged | cap_reached | free_card | exempt_age
    pub outcome: String,
}

impl From<&PatientInvoiceLineRow> for PatientInvoiceLineDto {
    fn from(l: &PatientInvoiceLineRow) -> Self {
        PatientInvoiceLineDto {
            line_no: l.line_no,
            source_key: l.source_key.clone(),
            due_on: l.due_on.to_string(),
            description: l.description.clone(),
            list_amount_ore: l.list_amount_ore,
            amount_ore: l.amount_ore,
            outcome: l.outcome.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PatientInvoiceDetailDto {
    #[serde(flatten)]
    pub invoice: PatientInvoiceDto,
    pub lines: Vec<PatientInvoiceLineDto>,
}

impl From<&PatientInvoiceDetail> for PatientInvoiceDetailDto {
    fn from(d: &PatientInvoiceDetail) -> Self {
        PatientInvoiceDetailDto {
            invoice: PatientInvoiceDto::from(&d.invoice),
            lines: d.lines.iter().map(PatientInvoiceLineDto::from).collect(),
        }
    }
}

/// Runs the patient-fee invoicing of an ended month: one invoice per
/// patient whose unbilled fees cost something, under the fee cap and the
/// age exemptions, due in 30 days. `preliminary` writes nothing and
/// answers what would be invoiced. Rerunning creates nothing twice.
#[utoipa::path(post, path = "/api/v1/patient-invoices/runs", tag = "billing", request_body = RunBody, security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "the preliminary run: nothing written", body = PatientRunDto),
    (status = 201, description = "the run", body = PatientRunDto),
    (status = 403, description = "role_required (finance)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "invalid_month, month_not_closed, month_out_of_range (field month)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn run(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(body): ApiJson<RunBody>,
) -> Result<(StatusCode, Json<PatientRunDto>), ApiError> {
    let s = uc::run_patient_invoices(&state.app, &user, &body.month, body.preliminary).await?;
    let status = if s.preliminary { StatusCode::OK } else { StatusCode::CREATED };
    Ok((status, Json(PatientRunDto::from(s))))
}

/// The patient invoices of a month. Each patient listed is an audited read.
#[utoipa::path(get, path = "/api/v1/patient-invoices", tag = "billing", params(MonthParams), security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "the invoices", body = Vec<PatientInvoiceDto>),
    (status = 403, description = "role_required (finance)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "invalid_month (field month)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    Query(p): Query<MonthParams>,
) -> Result<Json<Vec<PatientInvoiceDto>>, ApiError> {
    let rows = uc::patient_invoices(&state.app, &user, p.month.as_deref(), Some(&rid)).await?;
    Ok(Json(rows.iter().map(PatientInvoiceDto::from).collect()))
}

/// One patient invoice with its lines: a read of the patient's data,
/// audited like the fee statement.
#[utoipa::path(get, path = "/api/v1/patient-invoices/{number}", tag = "billing", params(("number" = String, Path, description = "the invoice number, e.g. P2026000001")), security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "the invoice", body = PatientInvoiceDetailDto),
    (status = 403, description = "role_required (finance)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "invoice_not_found (field number)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn get_one(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    Path(number): Path<String>,
) -> Result<Json<PatientInvoiceDetailDto>, ApiError> {
    let d = uc::patient_invoice(&state.app, &user, &number, Some(&rid)).await?;
    Ok(Json(PatientInvoiceDetailDto::from(&d)))
}

/// The month's patient invoices, one row per invoice line, as CSV for the
/// region's patient-invoice print and financial system (UTF-8 with BOM,
/// `;`, decimal comma). Ramp holds no patient addresses: the print system
/// addresses each invoice from the population register by personal id.
#[utoipa::path(get, path = "/api/v1/patient-invoices.csv", tag = "billing", params(MonthParams), security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "Fakturanummer;Fakturadatum;Förfallodatum;Personnummer;…", body = String, content_type = "text/csv"),
    (status = 403, description = "role_required (finance)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "invalid_month (field month)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn export_csv(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    Query(p): Query<MonthParams>,
) -> Result<Csv, ApiError> {
    let month = p.month.clone().unwrap_or_default();
    Ok(export(&month, &uc::patient_invoice_export(&state.app, &user, p.month.as_deref(), Some(&rid)).await?))
}

/// The same as an XLSX workbook.
#[utoipa::path(get, path = "/api/v1/patient-invoices.xlsx", tag = "billing", params(MonthParams), security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "XLSX", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    (status = 403, description = "role_required (finance)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "invalid_month (field month)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn export_xlsx(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    Query(p): Query<MonthParams>,
) -> Result<Xlsx, ApiError> {
    let month = p.month.clone().unwrap_or_default();
    Ok(export(&month, &uc::patient_invoice_export(&state.app, &user, p.month.as_deref(), Some(&rid)).await?)
        .into_xlsx())
}

/// One row per invoice line, the invoice's columns repeated.
fn export(month: &str, invoices: &[PatientInvoiceDetail]) -> Csv {
    let header = [
        "Fakturanummer",
        "Fakturadatum",
        "Förfallodatum",
        "Personnummer",
        "Efternamn",
        "Förnamn",
        "Fakturabelopp (kr)",
        "Rad",
        "Avgiftens förfallodag",
        "Beskrivning",
        "Enligt tabell (kr)",
        "Belopp (kr)",
        "Anmärkning",
    ];
    let mut csv = Csv::new(format!("patientfakturor-{}.csv", month.trim()), &header);
    for d in invoices {
        let i = &d.invoice;
        for l in &d.lines {
            csv.row([
                i.number.clone(),
                i.issue_date.to_string(),
                i.due_date.to_string(),
                i.personal_id.display(),
                i.family_name.clone(),
                i.given_name.clone(),
                ore_cell(i.total_ore),
                l.line_no.to_string(),
                l.due_on.to_string(),
                l.description.clone(),
                ore_cell(l.list_amount_ore),
                ore_cell(l.amount_ore),
                outcome_sv(&l.outcome).into(),
            ]);
        }
    }
    csv
}

/// The outcome as the invoice says it.
fn outcome_sv(outcome: &str) -> &'static str {
    match outcome {
        "cap_reached" => "Högkostnadsskyddet nås",
        "free_card" => "Inom högkostnadsskydd (frikort)",
        "exempt_age" => "Avgiftsfri på grund av ålder",
        _ => "Debiteras",
    }
}
