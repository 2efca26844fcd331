//! The economy follow-up (the tertial report's economy section): each
//! principal's invoiced cost against its budget with a forecast for the
//! year, budgets set by finance, and the costly-treatment applications of a
//! month (`ramp_domain::budget` and `ramp_domain::costly_applications` own
//! the rules). For the centre's staff; budgets are set by finance.

use crate::access::authorize_patient_read;
use crate::error::{AppError, Result};
use crate::App;
use chrono::Datelike;
use ramp_domain::budget::{follow_up, BudgetFollowUp, PrincipalYear};
use ramp_domain::costly_applications::{costly_applications, CostlyApplication, PatientCostLine};
use ramp_domain::figures::Month;
use ramp_domain::money::Ore;
use ramp_domain::role::Role;
use ramp_model::{Principal, User};
use serde::Serialize;

/// Budgets are set by finance staff and administrators.
fn require_finance(user: &User) -> Result<()> {
    if user.has_role(Role::Finance) || user.has_role(Role::Admin) {
        return Ok(());
    }
    Err(AppError::forbidden("role_required", "budgets are set by finance staff and administrators"))
}

/// The follow-up is for the centre's staff (HMC roles).
fn require_hmc(user: &User) -> Result<()> {
    if user.is_hmc() {
        return Ok(());
    }
    Err(AppError::forbidden("role_required", "the economy follow-up is for the assistive-device centre's staff"))
}

fn check_year(year: i32) -> Result<i32> {
    if (2000..=2100).contains(&year) {
        Ok(year)
    } else {
        Err(AppError::invalid("year", "invalid_year", "the year is between 2000 and 2100"))
    }
}

/// A year as typed; empty is this year.
fn year_input(app: &App, s: Option<&str>) -> Result<i32> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(app.today().year()),
        Some(s) => check_year(
            s.parse().map_err(|_| AppError::invalid("year", "invalid_year", "the year is four digits, e.g. 2026"))?,
        ),
    }
}

/// One principal's row of the report.
#[derive(Debug, Clone, Serialize)]
pub struct PrincipalEconomy {
    pub principal: Principal,
    pub monthly: [Ore; 12],
    #[serde(flatten)]
    pub follow_up: BudgetFollowUp,
}

#[derive(Debug, Clone, Serialize)]
pub struct EconomyReport {
    pub year: i32,
    pub complete_months: u32,
    pub principals: Vec<PrincipalEconomy>,
}

/// Complete months of `year` on `today`: all 12 of a past year, none of a future one.
pub(crate) fn complete_months(year: i32, today: chrono::NaiveDate) -> u32 {
    match year.cmp(&today.year()) {
        std::cmp::Ordering::Less => 12,
        std::cmp::Ordering::Equal => today.month() - 1,
        std::cmp::Ordering::Greater => 0,
    }
}

/// Costs per principal against budget, with the forecast, for `year`.
pub async fn costs_against_budget(app: &App, user: &User, year: Option<&str>) -> Result<EconomyReport> {
    require_hmc(user)?;
    let year = year_input(app, year)?;
    let m = complete_months(year, app.today());
    let principals = principal_years(app, year)
        .await?
        .into_iter()
        .map(|(principal, y)| {
            let follow_up = follow_up(&y, m);
            PrincipalEconomy { principal, monthly: y.monthly, follow_up }
        })
        .collect();
    Ok(EconomyReport { year, complete_months: m, principals })
}

/// Every principal with its budget and invoiced cost per month of `year`
/// (credit notes netted): what the follow-up and the tertial report read.
pub(crate) async fn principal_years(app: &App, year: i32) -> Result<Vec<(Principal, PrincipalYear)>> {
    let budgets = app.storage.budgets(year).await?;
    let costs = app.storage.principal_month_costs(year).await?;
    Ok(app
        .storage
        .principals()
        .await?
        .into_iter()
        .map(|p| {
            let mut monthly = [Ore(0); 12];
            for c in costs.iter().filter(|c| c.principal_id == p.id) {
                if let Some(i) =
                    c.month.get(5..7).and_then(|s| s.parse::<usize>().ok()).filter(|i| (1..=12).contains(i))
                {
                    monthly[i - 1].0 += c.amount_ore;
                }
            }
            let budget = budgets.iter().find(|(id, _)| *id == p.id).map(|(_, a)| Ore(*a));
            let year = PrincipalYear { principal_id: p.id, budget, monthly };
            (p, year)
        })
        .collect())
}

/// Sets a principal's budget for a year (kronor as öre, at least 0).
pub async fn set_budget(app: &App, user: &User, principal_code: &str, year: i32, amount_ore: i64) -> Result<()> {
    require_finance(user)?;
    let year = check_year(year)?;
    if amount_ore < 0 {
        return Err(AppError::invalid("amount_ore", "negative_budget", "a budget is at least 0"));
    }
    ramp_domain::money::check_amount("amount_ore", amount_ore)?;
    let principal = app.storage.principal_by_code(principal_code).await?.ok_or_else(|| {
        AppError::not_found(Some("principal"), "principal_not_found", format!("no principal {principal_code}"))
    })?;
    app.storage.set_budget(principal.id, year, amount_ore, app.clock.now(), user.id).await?;
    Ok(())
}

/// One application with who it is for (read under the HMC role, audited).
#[derive(Debug, Clone, Serialize)]
pub struct CostlyApplicationView {
    pub customer_number: String,
    pub customer_name: String,
    pub personal_id: String,
    pub patient_name: String,
    pub application: CostlyApplication,
}

#[derive(Debug, Clone, Serialize)]
pub struct CostlyApplications {
    pub month: String,
    pub applications: Vec<CostlyApplicationView>,
    pub total_reimbursement: Ore,
}

/// The costly-treatment applications of a month (default: the last complete
/// month) from the invoice lines to the region's customer numbers that name
/// a patient. Showing a patient is a read of patient data: audited.
pub async fn costly_treatment_applications(
    app: &App,
    user: &User,
    month: Option<&str>,
    request_id: Option<&str>,
) -> Result<CostlyApplications> {
    require_hmc(user)?;
    let month = match month.map(str::trim).filter(|s| !s.is_empty()) {
        Some(m) => Month::parse("month", m)?,
        None => Month::of(app.today()).prev(),
    };
    let rows = app.storage.patient_cost_lines(&month.to_string(), "region").await?;
    let lines: Vec<PatientCostLine> = rows
        .iter()
        .map(|r| PatientCostLine {
            customer_number_id: r.customer_number_id,
            patient_id: r.patient_id,
            amount: Ore(r.amount_ore),
        })
        .collect();
    let mut applications = Vec::new();
    for a in costly_applications(&lines) {
        let row = rows.iter().find(|r| r.customer_number_id == a.customer_number_id).expect("the row behind the sum");
        let patient = app.storage.patient_by_id(a.patient_id).await?;
        authorize_patient_read(app, user, a.patient_id, "economy.costly_treatment", request_id).await?;
        applications.push(CostlyApplicationView {
            customer_number: row.customer_number.clone(),
            customer_name: row.customer_name.clone(),
            personal_id: patient.as_ref().map(|p| p.personal_id.display()).unwrap_or_default(),
            patient_name: patient.map(|p| format!("{} {}", p.given_name, p.family_name)).unwrap_or_default(),
            application: a,
        });
    }
    let total_reimbursement = Ore(applications.iter().map(|a| a.application.computation.reimbursement.0).sum());
    Ok(CostlyApplications { month: month.to_string(), applications, total_reimbursement })
}

/// A principal's budget for `year` (if set) and its invoiced cost so far
/// that year, credit notes netted: the same figures as the follow-up, for
/// one principal. Not authorized here: the caller shows it only to whom
/// may see it (the unit orderer sees their own unit's principal).
pub(crate) async fn principal_spent(app: &App, principal_id: i64, year: i32) -> Result<(Option<Ore>, Ore)> {
    let budget = app.storage.budgets(year).await?.into_iter().find(|(id, _)| *id == principal_id).map(|(_, a)| Ore(a));
    let spent = app
        .storage
        .principal_month_costs(year)
        .await?
        .iter()
        .filter(|c| c.principal_id == principal_id)
        .map(|c| c.amount_ore)
        .sum();
    Ok((budget, Ore(spent)))
}
