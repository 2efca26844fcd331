//! "Ekonomi": costs per principal against budget with the forecast for the
//! year (the tertial report's economy section) — a bar chart of the chosen
//! principal's months with the table of every principal beside it, CSV and
//! XLSX downloads (the API's endpoints, which accept the session cookie for
//! GET) — and the month's costly-treatment applications.

use super::figures::chart::{Chart, Series};
use super::form::kronor_to_ore;
use super::page::{error_page, render, Page};
use crate::extract::{CsrfForm, CsrfToken, RequestId, UiUser};
use crate::i18n::Lang;
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use ramp_app::economy::{CostlyApplications, EconomyReport, PrincipalEconomy};
use ramp_app::model::User;
use ramp_app::{AppError, ErrorKind};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "economy.html")]
struct EconomyTemplate {
    page: Page,
    year: String,
    principal: String,
    report: Option<EconomyReport>,
    chart: Option<Chart>,
    /// The budget form's value after a refusal (what was typed stays).
    budget: String,
    saved: bool,
}

impl EconomyTemplate {
    fn opt_sek(&self, v: &Option<ramp_domain::money::Ore>) -> String {
        v.map(|o| self.page.sek(&o.0)).unwrap_or_else(|| "–".into())
    }

    fn selected(&self, code: &str) -> bool {
        self.principal == code
    }
}

#[derive(Deserialize)]
pub struct EconomyParams {
    year: Option<String>,
    principal: Option<String>,
    #[serde(default)]
    saved: Option<String>,
}

/// The budget form: a principal's budget for the year, in kronor.
#[derive(Debug, Default, Deserialize)]
pub struct BudgetForm {
    #[serde(default)]
    year: String,
    #[serde(default)]
    principal: String,
    #[serde(default)]
    budget: String,
}

const MONTHS_SV: [&str; 12] = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"];
const MONTHS_EN: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// Thousands of kronor, for the chart's axis.
fn tkr(ore: i64) -> f64 {
    ore as f64 / 100_000.0
}

/// The principal's months: actual (complete months), the forecast's run
/// rate (the months left) and the budget spread evenly over the year.
fn chart(lang: Lang, p: &PrincipalEconomy, complete: u32) -> Chart {
    let months = if lang == Lang::Sv { MONTHS_SV } else { MONTHS_EN };
    let categories: Vec<String> = months.iter().map(|m| m.to_string()).collect();
    let m = complete as usize;
    let run_rate = p.follow_up.forecast.map(|f| (f.0 - p.follow_up.actual.0) / (12 - m as i64).max(1));
    let actual = (0..12).map(|i| (i < m).then(|| tkr(p.monthly[i].0))).collect();
    let forecast = (0..12).map(|i| if i >= m { run_rate.map(tkr) } else { None }).collect();
    let budget = (0..12).map(|_| p.follow_up.budget.map(|b| tkr(b.0) / 12.0)).collect();
    let series = [
        Series { name: lang.t("economy.actual").into(), values: actual },
        Series { name: lang.t("economy.forecast").into(), values: forecast },
        Series { name: lang.t("economy.budget_month").into(), values: budget },
    ];
    let label = format!("{} – {}", lang.t("economy.chart_label"), p.principal.name);
    Chart::bars("economy-chart", label, &categories, &series, false, false)
}

pub async fn page(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    Query(q): Query<EconomyParams>,
) -> Response {
    let shown = Shown { year: q.year.unwrap_or_default(), principal: q.principal, saved: q.saved.is_some() };
    economy_page(&state, lang, &csrf, &user, shown, None).await
}

/// What the page shows: the year and principal asked for, and whether a budget was just saved.
struct Shown {
    year: String,
    principal: Option<String>,
    saved: bool,
}

async fn economy_page(
    state: &AppState,
    lang: Lang,
    csrf: &str,
    user: &User,
    shown: Shown,
    refused: Option<(AppError, String)>,
) -> Response {
    let mut page = Page::new(lang, "economy.title", Some(user), csrf, "economy");
    let (status, budget) = match refused {
        Some((e, typed)) => {
            page.add_error(&e);
            (StatusCode::UNPROCESSABLE_ENTITY, typed)
        }
        None => (StatusCode::OK, String::new()),
    };
    match ramp_app::economy::costs_against_budget(&state.app, user, Some(&shown.year)).await {
        Ok(r) => {
            let principal = shown.principal.filter(|c| r.principals.iter().any(|p| &p.principal.code == c));
            let chosen = principal.as_ref().and_then(|c| r.principals.iter().find(|p| &p.principal.code == c));
            let chosen = chosen.or_else(|| r.principals.first());
            let chart = chosen.map(|p| chart(lang, p, r.complete_months));
            let principal = chosen.map(|p| p.principal.code.clone()).unwrap_or_default();
            let year = r.year.to_string();
            let t = EconomyTemplate { page, year, principal, chart, report: Some(r), budget, saved: shown.saved };
            render(&t, status)
        }
        Err(e) if e.kind == ErrorKind::Invalid => {
            page.add_error(&e);
            let t = EconomyTemplate {
                page,
                year: shown.year,
                principal: String::new(),
                report: None,
                chart: None,
                budget,
                saved: false,
            };
            render(&t, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(e) => error_page(lang, e),
    }
}

/// Sets a principal's budget for the year from the page (finance staff and
/// administrators); a refusal is shown beside the field, what was typed kept.
pub async fn set_budget(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    CsrfForm(f): CsrfForm<BudgetForm>,
) -> Response {
    let year = f.year.trim().parse::<i32>();
    let done = match (year, kronor_to_ore(&f.budget)) {
        (Err(_), _) => Err(AppError::invalid("year", "invalid_year", "write the year with four digits")),
        (_, None) => Err(AppError::invalid("budget", "invalid_amount", "write the budget in kronor")),
        (Ok(y), Some(ore)) => ramp_app::economy::set_budget(&state.app, &user, &f.principal, y, ore)
            .await
            .map_err(|e| if e.field.as_deref() == Some("amount_ore") { e.with_field("budget") } else { e }),
    };
    let shown = Shown { year: f.year.trim().to_string(), principal: Some(f.principal.clone()), saved: false };
    match done {
        Ok(()) => {
            let code = percent_encoding::utf8_percent_encode(&f.principal, percent_encoding::NON_ALPHANUMERIC);
            let to = format!("/economy?year={}&principal={code}&saved=1", shown.year);
            Redirect::to(&to).into_response()
        }
        Err(e) if e.kind == ErrorKind::Invalid || e.kind == ErrorKind::NotFound => {
            economy_page(&state, lang, &csrf, &user, shown, Some((e, f.budget))).await
        }
        Err(e) => error_page(lang, e),
    }
}

#[derive(Template)]
#[template(path = "economy_costly.html")]
struct CostlyTemplate {
    page: Page,
    month: String,
    result: Option<CostlyApplications>,
}

#[derive(Deserialize)]
pub struct MonthParams {
    month: Option<String>,
}

pub async fn costly(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    RequestId(rid): RequestId,
    Query(q): Query<MonthParams>,
) -> Response {
    let mut page = Page::new(lang, "economy.costly_title", Some(&user), &csrf, "economy");
    let month = q.month.unwrap_or_default();
    match ramp_app::economy::costly_treatment_applications(&state.app, &user, Some(&month), Some(&rid)).await {
        Ok(r) => render(&CostlyTemplate { page, month: r.month.clone(), result: Some(r) }, StatusCode::OK),
        Err(e) if e.kind == ErrorKind::Invalid => {
            page.add_error(&e);
            render(&CostlyTemplate { page, month, result: None }, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(e) => error_page(lang, e),
    }
}
