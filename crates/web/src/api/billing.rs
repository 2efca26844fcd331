//! Invoicing over HTTP for finance staff: run a month, list invoices, one
//! invoice as JSON (with each line's computation) or as CSV for Swedish
//! Excel, and credit notes. `GET /api/v1/invoices/{number}.csv` is served by
//! the same route as the JSON (axum matches whole path segments).

use super::figures::Csv;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiUser};
use crate::xlsx::{kronor, Cell, Xlsx};
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use ramp_app::billing::{self as uc, InvoiceDetail, RunSummary};
use ramp_app::model::{InvoiceLineRow, InvoiceRow};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RunBody {
    /// The month to invoice, `YYYY-MM`; it must have ended.
    pub month: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreditBody {
    /// Why the invoice is credited (3 to 1,000 characters).
    pub reason: String,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// `YYYY-MM`.
    pub month: Option<String>,
    /// The customer number ("kundnummer"), e.g. `100001`.
    pub customer_number: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RunDto {
    pub run_id: i64,
    pub month: String,
    /// The invoices this run created, by number.
    pub created: Vec<String>,
    pub lines: usize,
    pub total_ore: i64,
    /// Customer numbers whose month was already invoiced: nothing is created twice.
    pub already_invoiced: usize,
}

impl From<RunSummary> for RunDto {
    fn from(s: RunSummary) -> Self {
        RunDto {
            run_id: s.run_id.unwrap_or_default(),
            month: s.month,
            created: s.created,
            lines: s.lines,
            total_ore: s.total_ore,
            already_invoiced: s.already_invoiced,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InvoiceDto {
    pub number: String,
    /// `invoice` or `credit_note`.
    pub kind: String,
    pub month: String,
    /// 0 for the first invoice of a customer number's month; a corrected invoice after a credit note is 1, ….
    pub revision: i32,
    pub customer_number: String,
    pub customer_name: String,
    pub principal: String,
    /// `YYYY-MM-DD`.
    pub issue_date: String,
    pub due_date: String,
    pub total_ore: i64,
    /// On a credit note: the invoice it credits.
    pub credits: Option<String>,
    /// On an invoice: the credit note that credits it.
    pub credited_by: Option<String>,
    pub reason: Option<String>,
}

impl From<&InvoiceRow> for InvoiceDto {
    fn from(i: &InvoiceRow) -> Self {
        InvoiceDto {
            number: i.number.clone(),
            kind: i.kind.clone(),
            month: i.month.clone(),
            revision: i.revision,
            customer_number: i.customer_number.clone(),
            customer_name: i.customer_name.clone(),
            principal: i.principal_name.clone(),
            issue_date: i.issue_date.to_string(),
            due_date: i.due_date.to_string(),
            total_ore: i.total_ore,
            credits: i.credited_number.clone(),
            credited_by: i.credited_by.clone(),
            reason: i.reason.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InvoiceLineDto {
    pub line_no: i32,
    /// `rent`, `sale`, `service`, `acute_fee`, `lost_device` or `reinvoice`.
    pub kind: String,
    /// The billed event, e.g. `rent:loan:123:2026-10`; billed once.
    pub source_key: String,
    pub description: String,
    pub quantity: i64,
    pub unit_price_ore: i64,
    pub amount_ore: i64,
    pub period_from: Option<String>,
    pub period_to: Option<String>,
    /// How the amount was computed (Swedish).
    pub computation: String,
}

impl From<&InvoiceLineRow> for InvoiceLineDto {
    fn from(l: &InvoiceLineRow) -> Self {
        InvoiceLineDto {
            line_no: l.line_no,
            kind: l.kind.clone(),
            source_key: l.source_key.clone(),
            description: l.description.clone(),
            quantity: l.quantity,
            unit_price_ore: l.unit_price_ore,
            amount_ore: l.amount_ore,
            period_from: l.period_from.map(|d| d.to_string()),
            period_to: l.period_to.map(|d| d.to_string()),
            computation: l.computation.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InvoiceDetailDto {
    #[serde(flatten)]
    pub invoice: InvoiceDto,
    pub lines: Vec<InvoiceLineDto>,
}

impl From<&InvoiceDetail> for InvoiceDetailDto {
    fn from(d: &InvoiceDetail) -> Self {
        InvoiceDetailDto {
            invoice: InvoiceDto::from(&d.invoice),
            lines: d.lines.iter().map(InvoiceLineDto::from).collect(),
        }
    }
}

/// Runs the invoicing of a month: one invoice per customer number with
/// billable events (rent, sales, services, acute fees, lost devices,
/// re-invoicing). Rerunning creates nothing twice.
#[utoipa::path(post, path = "/api/v1/invoice-runs", tag = "billing", request_body = RunBody, security(("token" = []), ("session" = [])), responses(
    (status = 201, description = "the run", body = RunDto),
    (status = 403, description = "role_required (finance)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 409, description = "run_in_progress (field month): a final run of the month is running", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "invalid_month, month_not_closed (field month)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn run(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(body): ApiJson<RunBody>,
) -> Result<(StatusCode, Json<RunDto>), ApiError> {
    let s = uc::run_invoices(&state.app, &user, &body.month).await?;
    Ok((StatusCode::CREATED, Json(RunDto::from(s))))
}

/// Invoices and credit notes, newest month first.
#[utoipa::path(get, path = "/api/v1/invoices", tag = "billing", params(ListParams), security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "the invoices", body = Vec<InvoiceDto>),
    (status = 403, description = "role_required (finance)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "invalid_month (field month)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(p): Query<ListParams>,
) -> Result<Json<Vec<InvoiceDto>>, ApiError> {
    let rows = uc::invoices(&state.app, &user, p.month.as_deref(), p.customer_number.as_deref()).await?;
    Ok(Json(rows.iter().map(InvoiceDto::from).collect()))
}

/// One invoice or credit note with its lines and their computations. The
/// same path with `.csv` appended answers CSV.
#[utoipa::path(get, path = "/api/v1/invoices/{number}", tag = "billing", params(("number" = String, Path, description = "the invoice number")), security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "the invoice", body = InvoiceDetailDto),
    (status = 403, description = "role_required (finance)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "invoice_not_found", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn get_one(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(number): Path<String>,
) -> Result<Response, ApiError> {
    if let Some(n) = number.strip_suffix(".csv") {
        return get_csv(State(state), ApiUser(user), Path(n.to_string())).await;
    }
    if let Some(n) = number.strip_suffix(".xlsx") {
        return get_xlsx(State(state), ApiUser(user), Path(n.to_string())).await;
    }
    if let Some(n) = number.strip_suffix(".xml") {
        return get_xml(State(state), ApiUser(user), Path(n.to_string())).await;
    }
    let d = uc::invoice(&state.app, &user, &number).await?;
    Ok(Json(InvoiceDetailDto::from(&d)).into_response())
}

/// One invoice as CSV for Swedish Excel: UTF-8 with BOM, `;`, decimal comma.
#[utoipa::path(get, path = "/api/v1/invoices/{number}.csv", tag = "billing", params(("number" = String, Path, description = "the invoice number")), security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "Fakturanummer;Kundnummer;Rad;Typ;…", body = String, content_type = "text/csv"),
    (status = 404, description = "invoice_not_found", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn get_csv(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(number): Path<String>,
) -> Result<Response, ApiError> {
    Ok(invoice_csv(&uc::invoice(&state.app, &user, &number).await?).into_response())
}

/// One invoice's specification as an XLSX workbook: one row per line
/// (line, kind, device or article as described, period, quantity, unit
/// price, amount in kronor as numbers) and a last row with the total, which
/// is the invoice's. No patient data: the lines name devices, not people.
#[utoipa::path(get, path = "/api/v1/invoices/{number}.xlsx", tag = "billing", params(("number" = String, Path, description = "the invoice number")), security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "the specification", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    (status = 403, description = "role_required (finance)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "invoice_not_found", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn get_xlsx(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(number): Path<String>,
) -> Result<Response, ApiError> {
    Ok(invoice_xlsx(&uc::invoice(&state.app, &user, &number).await?).into_response())
}

/// A line kind in Swedish, as the specification names it.
fn kind_sv(kind: &str) -> &'static str {
    match kind {
        "rent" => "Hyra",
        "sale" => "Försäljning",
        "service" => "Tjänst",
        "acute_fee" => "Akutavgift",
        "lost_device" => "Förkommet hjälpmedel",
        "reinvoice" => "Vidarefakturering",
        _ => "Övrigt",
    }
}

fn invoice_xlsx(d: &InvoiceDetail) -> Xlsx {
    let i = &d.invoice;
    let text = |s: &str| Cell::Text(s.to_string());
    let head = |label: &str, value: String| vec![text(label), Cell::Text(value)];
    let mut rows = vec![
        head("Fakturanummer", i.number.clone()),
        head("Kundnummer", format!("{} {}", i.customer_number, i.customer_name)),
        head("Huvudman", i.principal_name.clone()),
        head("Månad", i.month.clone()),
        head("Fakturadatum", i.issue_date.to_string()),
        vec![],
        ["Rad", "Typ", "Hjälpmedel / artikel", "Från", "Till", "Antal", "À-pris (kr)", "Belopp (kr)"]
            .iter()
            .map(|h| text(h))
            .collect(),
    ];
    for l in &d.lines {
        rows.push(vec![
            Cell::Number(f64::from(l.line_no)),
            text(kind_sv(&l.kind)),
            text(&l.description),
            Cell::Text(l.period_from.map(|d| d.to_string()).unwrap_or_default()),
            Cell::Text(l.period_to.map(|d| d.to_string()).unwrap_or_default()),
            Cell::Number(l.quantity as f64),
            kronor(l.unit_price_ore),
            kronor(l.amount_ore),
        ]);
    }
    let total: i64 = d.lines.iter().map(|l| l.amount_ore).sum();
    let blank = || text("");
    rows.push(vec![text("Summa"), blank(), blank(), blank(), blank(), blank(), blank(), kronor(total)]);
    let mut book = Xlsx::new(format!("fakturaspecifikation-{}.xlsx", i.number));
    book.cells("Specifikation", rows);
    book
}

/// One invoice or credit note as PEPPOL BIS Billing 3 (UBL 2.1) XML.
#[utoipa::path(get, path = "/api/v1/invoices/{number}.xml", tag = "billing", params(("number" = String, Path, description = "the invoice number")), security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "the UBL Invoice or CreditNote", body = String, content_type = "application/xml"),
    (status = 404, description = "invoice_not_found", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 409, description = "party_data_missing, or a field the PEPPOL rules would reject (named)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn get_xml(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(number): Path<String>,
) -> Result<Response, ApiError> {
    let xml = uc::invoice_ubl(&state.app, &user, &number).await?;
    let mut resp = xml.into_response();
    resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/xml; charset=utf-8"));
    Ok(resp)
}

/// Credits an invoice in full with a credit note referencing it; the
/// invoice is never edited. A corrected invoice may follow in a later run.
#[utoipa::path(post, path = "/api/v1/invoices/{number}/credit-note", tag = "billing", request_body = CreditBody, params(("number" = String, Path, description = "the invoice to credit")), security(("token" = []), ("session" = [])), responses(
    (status = 201, description = "the credit note", body = InvoiceDetailDto),
    (status = 403, description = "role_required (finance)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "invoice_not_found", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 409, description = "already_credited, not_an_invoice (field number)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "invalid_reason (field reason)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn credit(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(number): Path<String>,
    ApiJson(body): ApiJson<CreditBody>,
) -> Result<(StatusCode, Json<InvoiceDetailDto>), ApiError> {
    let d = uc::credit_invoice(&state.app, &user, &number, &body.reason).await?;
    Ok((StatusCode::CREATED, Json(InvoiceDetailDto::from(&d))))
}

/// Öre as a Swedish decimal number without grouping: `-1234,50`.
pub fn ore_cell(ore: i64) -> String {
    let sign = if ore < 0 { "-" } else { "" };
    format!("{sign}{},{:02}", ore.unsigned_abs() / 100, ore.unsigned_abs() % 100)
}

fn invoice_csv(d: &InvoiceDetail) -> Csv {
    let i = &d.invoice;
    let header = [
        "Fakturanummer",
        "Typ",
        "Månad",
        "Kundnummer",
        "Kund",
        "Fakturadatum",
        "Förfallodatum",
        "Rad",
        "Radtyp",
        "Beskrivning",
        "Från",
        "Till",
        "Antal",
        "À-pris (kr)",
        "Belopp (kr)",
        "Beräkning",
    ];
    let mut csv = Csv::new(format!("faktura-{}.csv", i.number), &header);
    let kind = if i.kind == "credit_note" { "Kreditfaktura" } else { "Faktura" };
    for l in &d.lines {
        csv.row([
            i.number.clone(),
            kind.into(),
            i.month.clone(),
            i.customer_number.clone(),
            i.customer_name.clone(),
            i.issue_date.to_string(),
            i.due_date.to_string(),
            l.line_no.to_string(),
            l.kind.clone(),
            l.description.clone(),
            l.period_from.map(|d| d.to_string()).unwrap_or_default(),
            l.period_to.map(|d| d.to_string()).unwrap_or_default(),
            l.quantity.to_string(),
            ore_cell(l.unit_price_ore),
            ore_cell(l.amount_ore),
            l.computation.clone(),
        ]);
    }
    csv
}

#[cfg(test)]
mod tests {
    #[test]
    fn ore_cells_use_a_decimal_comma_and_keep_the_sign() {
        assert_eq!(super::ore_cell(17_419), "174,19");
        assert_eq!(super::ore_cell(-5), "-0,05");
        assert_eq!(super::ore_cell(100_000_000), "1000000,00");
    }
}
