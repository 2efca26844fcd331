//! The economy follow-up (the tertial report's economy section): costs per
//! principal against budget with a forecast for the year, as JSON, as CSV
//! for Swedish Excel (like the figures) and as XLSX; budgets; and the
//! costly-treatment applications of a month. Finance and administrators.

use super::figures::Csv;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiUser, RequestId};
use crate::xlsx::{self, Cell, Xlsx};
use crate::AppState;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::Json;
use ramp_app::economy::{self as uc, CostlyApplicationView, EconomyReport};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct YearParams {
    /// The calendar year, e.g. `2026` (default: this year).
    pub year: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MonthParams {
    /// The invoiced month, `YYYY-MM` (default: the last complete month).
    pub month: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BudgetBody {
    /// The principal's code, e.g. `region` or a municipality code.
    pub principal: String,
    pub year: i32,
    /// The budget in öre, at least 0.
    pub amount_ore: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PrincipalCostsDto {
    pub principal: String,
    pub name: String,
    pub budget_ore: Option<i64>,
    /// Invoiced cost per month, January first; credit notes netted.
    pub monthly_ore: Vec<i64>,
    /// Actual over the complete months.
    pub actual_ore: i64,
    /// Per tertial (Jan–Apr, May–Aug, Sep–Dec), complete months only.
    pub tertials_ore: Vec<i64>,
    /// Actual + average of the complete months × the months left.
    pub forecast_ore: Option<i64>,
    /// Forecast − budget: positive is an overrun.
    pub deviation_ore: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EconomyDto {
    pub year: i32,
    pub complete_months: u32,
    pub principals: Vec<PrincipalCostsDto>,
}

impl From<&EconomyReport> for EconomyDto {
    fn from(r: &EconomyReport) -> Self {
        Self {
            year: r.year,
            complete_months: r.complete_months,
            principals: r
                .principals
                .iter()
                .map(|p| PrincipalCostsDto {
                    principal: p.principal.code.clone(),
                    name: p.principal.name.clone(),
                    budget_ore: p.follow_up.budget.map(|b| b.0),
                    monthly_ore: p.monthly.iter().map(|m| m.0).collect(),
                    actual_ore: p.follow_up.actual.0,
                    tertials_ore: p.follow_up.tertials.iter().map(|t| t.0).collect(),
                    forecast_ore: p.follow_up.forecast.map(|f| f.0),
                    deviation_ore: p.follow_up.deviation.map(|d| d.0),
                })
                .collect(),
        }
    }
}

/// Öre as a Swedish decimal number for Excel: `1234,50`, `-12,00`.
pub(crate) fn kr_cell(ore: i64) -> String {
    let sign = if ore < 0 { "-" } else { "" };
    format!("{sign}{},{:02}", ore.unsigned_abs() / 100, ore.unsigned_abs() % 100)
}

const MONTHS_SV: [&str; 12] = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"];

fn header() -> Vec<String> {
    let mut h: Vec<String> = ["Huvudman", "Namn", "Budget (kr)"].iter().map(|s| s.to_string()).collect();
    h.extend(MONTHS_SV.iter().map(|m| format!("{m} (kr)")));
    h.extend(
        ["Utfall (kr)", "Tertial 1 (kr)", "Tertial 2 (kr)", "Tertial 3 (kr)", "Prognos (kr)", "Avvikelse (kr)"]
            .map(String::from),
    );
    h
}

fn opt(o: Option<ramp_domain::money::Ore>) -> Option<i64> {
    o.map(|v| v.0)
}

fn economy_csv(r: &EconomyReport) -> Csv {
    let h = header();
    let mut csv =
        Csv::new(format!("kostnader-per-huvudman-{}.csv", r.year), &h.iter().map(String::as_str).collect::<Vec<_>>());
    for p in &r.principals {
        let mut row = vec![
            p.principal.code.clone(),
            p.principal.name.clone(),
            opt(p.follow_up.budget).map(kr_cell).unwrap_or_default(),
        ];
        row.extend(p.monthly.iter().map(|m| kr_cell(m.0)));
        row.push(kr_cell(p.follow_up.actual.0));
        row.extend(p.follow_up.tertials.iter().map(|t| kr_cell(t.0)));
        row.push(opt(p.follow_up.forecast).map(kr_cell).unwrap_or_default());
        row.push(opt(p.follow_up.deviation).map(kr_cell).unwrap_or_default());
        csv.row(row);
    }
    csv
}

fn economy_xlsx(r: &EconomyReport) -> Vec<Vec<Cell>> {
    let mut rows = vec![header().into_iter().map(Cell::Text).collect::<Vec<_>>()];
    let money = |o: Option<i64>| o.map(xlsx::kronor).unwrap_or(Cell::Text(String::new()));
    for p in &r.principals {
        let mut row = vec![
            Cell::Text(p.principal.code.clone()),
            Cell::Text(p.principal.name.clone()),
            money(opt(p.follow_up.budget)),
        ];
        row.extend(p.monthly.iter().map(|m| xlsx::kronor(m.0)));
        row.push(xlsx::kronor(p.follow_up.actual.0));
        row.extend(p.follow_up.tertials.iter().map(|t| xlsx::kronor(t.0)));
        row.push(money(opt(p.follow_up.forecast)));
        row.push(money(opt(p.follow_up.deviation)));
        rows.push(row);
    }
    rows
}

async fn report(state: &AppState, user: &ramp_app::model::User, p: &YearParams) -> Result<EconomyReport, ApiError> {
    Ok(uc::costs_against_budget(&state.app, user, p.year.as_deref()).await?)
}

/// Costs per principal against budget, with the forecast for the year.
#[utoipa::path(get, path = "/api/v1/economy/costs", tag = "economy", params(YearParams), security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "per principal: budget, monthly cost, actual, tertials, forecast, deviation", body = EconomyDto),
    (status = 403, description = "not finance or admin (code role_required)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "invalid year (field year)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn costs(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(p): Query<YearParams>,
) -> Result<Json<EconomyDto>, ApiError> {
    Ok(Json(EconomyDto::from(&report(&state, &user, &p).await?)))
}

/// The same as CSV for Swedish Excel (`;`, decimal comma, BOM, CRLF).
#[utoipa::path(get, path = "/api/v1/economy/costs.csv", tag = "economy", params(YearParams), security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "CSV", content_type = "text/csv"),
    (status = 422, description = "invalid year", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn costs_csv(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(p): Query<YearParams>,
) -> Result<Csv, ApiError> {
    Ok(economy_csv(&report(&state, &user, &p).await?))
}

/// The same as an XLSX workbook (amounts as numbers in kronor).
#[utoipa::path(get, path = "/api/v1/economy/costs.xlsx", tag = "economy", params(YearParams), security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "XLSX", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    (status = 422, description = "invalid year", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn costs_xlsx(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(p): Query<YearParams>,
) -> Result<Xlsx, ApiError> {
    let r = report(&state, &user, &p).await?;
    let mut book = Xlsx::new(format!("kostnader-per-huvudman-{}.xlsx", r.year));
    book.cells(&format!("Kostnader {}", r.year), economy_xlsx(&r));
    Ok(book)
}

/// Sets a principal's budget for a year; the change is kept as an event.
#[utoipa::path(put, path = "/api/v1/economy/budgets", tag = "economy", request_body = BudgetBody, security(("token" = []), ("session" = [])), responses(
    (status = 204, description = "set"),
    (status = 404, description = "no such principal (field principal)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "invalid year or amount", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn set_budget(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(b): ApiJson<BudgetBody>,
) -> Result<StatusCode, ApiError> {
    uc::set_budget(&state.app, &user, &b.principal, b.year, b.amount_ore).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CostlyApplicationDto {
    pub customer_number: String,
    pub customer_name: String,
    pub personal_id: String,
    pub patient_name: String,
    pub lines: usize,
    pub monthly_cost_ore: i64,
    pub threshold_ore: i64,
    pub share_percent: i64,
    pub reimbursement_ore: i64,
}

impl From<&CostlyApplicationView> for CostlyApplicationDto {
    fn from(a: &CostlyApplicationView) -> Self {
        let c = &a.application.computation;
        Self {
            customer_number: a.customer_number.clone(),
            customer_name: a.customer_name.clone(),
            personal_id: a.personal_id.clone(),
            patient_name: a.patient_name.clone(),
            lines: a.application.lines,
            monthly_cost_ore: c.monthly_cost.0,
            threshold_ore: c.threshold.0,
            share_percent: c.share_percent,
            reimbursement_ore: c.reimbursement.0,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CostlyApplicationsDto {
    pub month: String,
    pub applications: Vec<CostlyApplicationDto>,
    pub total_reimbursement_ore: i64,
}

/// The costly-treatment applications of a month (Region Stockholm): per
/// care provider and patient whose invoiced month cost more than 10 000 kr,
/// 75 % of the excess. Each patient shown is an audited read.
#[utoipa::path(get, path = "/api/v1/economy/costly-treatment", tag = "economy", params(MonthParams), security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "the applications", body = CostlyApplicationsDto),
    (status = 422, description = "invalid month (field month)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn costly_treatment(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    Query(p): Query<MonthParams>,
) -> Result<Json<CostlyApplicationsDto>, ApiError> {
    let r = uc::costly_treatment_applications(&state.app, &user, p.month.as_deref(), Some(&rid)).await?;
    Ok(Json(CostlyApplicationsDto {
        month: r.month.clone(),
        total_reimbursement_ore: r.total_reimbursement.0,
        applications: r.applications.iter().map(CostlyApplicationDto::from).collect(),
    }))
}
