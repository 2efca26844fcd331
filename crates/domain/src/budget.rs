//! Costs per principal against budget, with a forecast for the year (the
//! tertial report's economy section).
//!
//! Actual cost is the sum of a principal's invoice lines per month. The
//! forecast is **actual to date plus the run rate**: the average of the
//! complete months so far, times the months left of the year —
//! `forecast = actual + round(actual × (12 − m) / m)`, `m` the number of
//! complete months (half-up to whole öre). It assumes the rest of the year
//! costs what the months so far did on average; rents dominate and change
//! slowly, so the run rate is a fair first estimate, and it is simple enough
//! to check by hand. With no complete month there is no forecast.

use crate::money::Ore;
use crate::rent::mul_div_half_up;
use serde::Serialize;

/// A principal's year: budget and actual cost per month (index 0 = January).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrincipalYear {
    pub principal_id: i64,
    pub budget: Option<Ore>,
    pub monthly: [Ore; 12],
}

/// The economy figures of one principal as of a number of complete months.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BudgetFollowUp {
    pub principal_id: i64,
    pub budget: Option<Ore>,
    /// Months counted (1–12).
    pub complete_months: u32,
    pub actual: Ore,
    /// `None` before the first complete month.
    pub forecast: Option<Ore>,
    /// Forecast minus budget: positive is an overrun.
    pub deviation: Option<Ore>,
    /// Actual per tertial (Jan–Apr, May–Aug, Sep–Dec), complete months only.
    pub tertials: [Ore; 3],
    /// Cumulative actual per complete month, for the chart.
    pub cumulative: Vec<Ore>,
}

/// The follow-up of `year` after `complete_months` (0–12) complete months.
pub fn follow_up(year: &PrincipalYear, complete_months: u32) -> BudgetFollowUp {
    let m = complete_months.min(12) as usize;
    let mut cumulative = Vec::with_capacity(m);
    let mut tertials = [Ore(0); 3];
    let mut sum = 0i64;
    for (i, cost) in year.monthly.iter().take(m).enumerate() {
        sum += cost.0;
        cumulative.push(Ore(sum));
        tertials[i / 4].0 += cost.0;
    }
    let actual = Ore(sum);
    let forecast = (m > 0).then(|| Ore(sum + mul_div_half_up(actual, 12 - m as i64, m as i64).0));
    let deviation = forecast.zip(year.budget).map(|(f, b)| Ore(f.0 - b.0));
    BudgetFollowUp {
        principal_id: year.principal_id,
        budget: year.budget,
        complete_months: m as u32,
        actual,
        forecast,
        deviation,
        tertials,
        cumulative,
    }
}

/// What an order placed in `month` (1–12) adds to its principal's cost in
/// that calendar year: the purchases once, and the monthly rent for every
/// month from the order's own to December. Rent runs from delivery, which
/// for a stock item falls in the order's month or the next, so counting
/// the order's month errs on the side of the budget; it is a figure for
/// the orderer to weigh, not an invoice.
pub fn order_cost_in_year(purchase: Ore, monthly_rent: Ore, month: u32) -> Ore {
    let months = 13 - i64::from(month.clamp(1, 12));
    Ore(purchase.0 + monthly_rent.0 * months)
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_order_adds_its_purchases_and_the_rent_for_the_rest_of_the_year() {
        assert_eq!(super::order_cost_in_year(Ore(1_000), Ore(100), 1), Ore(2_200));
        assert_eq!(super::order_cost_in_year(Ore(1_000), Ore(100), 11), Ore(1_200));
        assert_eq!(super::order_cost_in_year(Ore(0), Ore(100), 12), Ore(100));
    }

    use super::*;

    fn year(budget_kr: Option<i64>, months_kr: &[i64]) -> PrincipalYear {
        let mut monthly = [Ore(0); 12];
        for (i, kr) in months_kr.iter().enumerate() {
            monthly[i] = Ore::from_sek(*kr);
        }
        PrincipalYear { principal_id: 3, budget: budget_kr.map(Ore::from_sek), monthly }
    }

    #[test]
    fn the_forecast_adds_the_average_of_the_complete_months_for_the_rest_of_the_year() {
        // Jan–Apr: 100 + 110 + 90 + 100 = 400 kr; average 100 × 8 months = 800; forecast 1 200 kr;
        // budget 1 000 kr → overrun 200 kr. First tertial 400 kr.
        let f = follow_up(&year(Some(1_000), &[100, 110, 90, 100, 999]), 4);
        assert_eq!(f.actual, Ore::from_sek(400));
        assert_eq!(f.forecast, Some(Ore::from_sek(1_200)));
        assert_eq!(f.deviation, Some(Ore::from_sek(200)));
        assert_eq!(f.tertials, [Ore::from_sek(400), Ore(0), Ore(0)]);
        assert_eq!(f.cumulative.last(), Some(&Ore::from_sek(400)));
    }

    #[test]
    fn the_projection_is_rounded_half_up_to_whole_ore() {
        // 100,00 kr in 7 months: 10 000 öre × 5 / 7 = 7 142,857… → 7 143; forecast 17 143 öre.
        let f = follow_up(&year(None, &[100, 0, 0, 0, 0, 0, 0]), 7);
        assert_eq!(f.forecast, Some(Ore(17_143)));
        assert_eq!(f.deviation, None);
    }

    #[test]
    fn with_no_complete_month_there_is_no_forecast_and_a_full_year_forecasts_its_actual() {
        assert_eq!(follow_up(&year(Some(5), &[1]), 0).forecast, None);
        let full = follow_up(&year(Some(1_200), &[100; 12]), 12);
        assert_eq!((full.forecast, full.deviation), (Some(Ore::from_sek(1_200)), Some(Ore(0))));
        assert_eq!(full.tertials, [Ore::from_sek(400); 3]);
    }
}
