//! Function rent ("funktionshyra") for a period: one line per calendar month,
//! a full month at the monthly rent and a part month pro rata by day.
//!
//! Rounding: each part-month line is `monthly_rent × days / days_in_month`
//! rounded to whole öre, half up (half away from zero, so a credit mirrors its
//! debit). Rounding per line, not over the period, means that splitting a
//! period at a month boundary never changes the total, and an invoice line
//! always equals its own shown computation.

use crate::money::Ore;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// The rent for the days of one calendar month within a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RentLine {
    /// First day billed in this month.
    pub from: NaiveDate,
    /// Last day billed in this month (inclusive).
    pub to: NaiveDate,
    /// Days billed: `to - from + 1`.
    pub days: u32,
    /// Days in the calendar month (28–31), the denominator of a part month.
    pub days_in_month: u32,
    /// Whether the whole month is billed (then `amount` is the monthly rent).
    pub full_month: bool,
    pub amount: Ore,
}

/// The rent lines for `from..=to_inclusive`, one per calendar month touched,
/// in date order. Empty when `to_inclusive` is before `from`.
pub fn rent_for_period(monthly_rent: Ore, from: NaiveDate, to_inclusive: NaiveDate) -> Vec<RentLine> {
    let mut lines = Vec::new();
    let mut start = from;
    while start <= to_inclusive {
        let month_end = last_day_of_month(start);
        let end = month_end.min(to_inclusive);
        let days = (end - start).num_days() as u32 + 1;
        let days_in_month = month_end.day();
        let full_month = days == days_in_month;
        let amount = if full_month {
            monthly_rent
        } else {
            mul_div_half_up(monthly_rent, i64::from(days), i64::from(days_in_month))
        };
        lines.push(RentLine { from: start, to: end, days, days_in_month, full_month, amount });
        match month_end.succ_opt() {
            Some(next) => start = next,
            None => break,
        }
    }
    lines
}

/// The sum of a period's rent lines.
pub fn total(lines: &[RentLine]) -> Ore {
    Ore(lines.iter().map(|l| l.amount.0).sum())
}

fn last_day_of_month(d: NaiveDate) -> NaiveDate {
    let first = d.with_day(1).expect("day 1 exists");
    first.checked_add_months(chrono::Months::new(1)).and_then(|n| n.pred_opt()).unwrap_or(NaiveDate::MAX)
}

/// `amount × numer / denom` in whole öre, rounded half away from zero. Computed
/// in `i128` so no product of a realistic amount and ratio can overflow.
/// `denom` must be positive.
pub(crate) fn mul_div_half_up(amount: Ore, numer: i64, denom: i64) -> Ore {
    assert!(denom > 0, "denominator must be positive");
    let p = i128::from(amount.0) * i128::from(numer);
    let d = i128::from(denom);
    let q = (p.abs() * 2 + d) / (2 * d);
    Ore(i64::try_from(if p < 0 { -q } else { q }).expect("result fits in i64 öre"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().expect("test date")
    }

    fn amounts(lines: &[RentLine]) -> Vec<i64> {
        lines.iter().map(|l| l.amount.0).collect()
    }

    #[test]
    fn a_period_is_split_by_calendar_month_and_part_months_are_pro_rata() {
        // (monthly rent öre, from, to, expected amounts per month)
        let table: &[(i64, &str, &str, &[i64])] = &[
            // 17 of 31 January days: 31 000 × 17 / 31 = 17 000; February full; 3 of 31 March days = 3 000.
            (31_000, "2026-01-15", "2026-03-03", &[17_000, 31_000, 3_000]),
            // 100 kr × 17 / 31 = 54,838… → 54,84 kr; 100 × 3 / 31 = 9,677… → 9,68 kr.
            (10_000, "2026-01-15", "2026-03-03", &[5_484, 10_000, 968]),
            // One day of a 28-day February: 280 kr / 28.
            (28_000, "2026-02-10", "2026-02-10", &[1_000]),
            // Leap-year February has 29 days: 29 kr × 1 / 29.
            (2_900, "2028-02-29", "2028-02-29", &[100]),
            // A whole month from the first to the last day is the monthly rent, not 31/31 of it.
            (12_345, "2026-03-01", "2026-03-31", &[12_345]),
            // Half a 30-day month of 0,01 kr: 0,005 kr rounds half up to 0,01 kr.
            (1, "2026-04-01", "2026-04-15", &[1]),
            // Across the new year.
            (15_500, "2025-12-17", "2026-01-16", &[7_500, 8_000]),
        ];
        for (rent, from, to, expected) in table {
            let lines = rent_for_period(Ore(*rent), date(from), date(to));
            assert_eq!(amounts(&lines), *expected, "{rent} öre {from}..={to}");
        }
    }

    #[test]
    fn each_line_shows_its_days_and_month_length() {
        let lines = rent_for_period(Ore(31_000), date("2026-01-15"), date("2026-03-03"));
        let shown: Vec<_> = lines.iter().map(|l| (l.from, l.to, l.days, l.days_in_month, l.full_month)).collect();
        assert_eq!(
            shown,
            vec![
                (date("2026-01-15"), date("2026-01-31"), 17, 31, false),
                (date("2026-02-01"), date("2026-02-28"), 28, 28, true),
                (date("2026-03-01"), date("2026-03-03"), 3, 31, false),
            ]
        );
        assert_eq!(total(&lines), Ore(51_000));
    }

    #[test]
    fn a_period_that_ends_before_it_starts_has_no_rent() {
        assert!(rent_for_period(Ore(10_000), date("2026-03-02"), date("2026-03-01")).is_empty());
    }

    #[test]
    fn a_credit_rounds_like_its_debit() {
        assert_eq!(mul_div_half_up(Ore(-10_000), 17, 31), Ore(-5_484));
        assert_eq!(mul_div_half_up(Ore(-1), 1, 2), Ore(-1));
        assert_eq!(mul_div_half_up(Ore(1), 1, 3), Ore(0));
    }

    fn any_date() -> impl Strategy<Value = NaiveDate> {
        (2000i32..2100, 1u32..=365).prop_map(|(y, ord)| NaiveDate::from_yo_opt(y, ord).expect("day <= 365"))
    }

    proptest! {
        #[test]
        fn splitting_a_period_at_a_month_boundary_keeps_the_total(
            rent in 0i64..10_000_000, from in any_date(), len in 0i64..1500, cut in 0i64..1500,
        ) {
            let to = from + chrono::Duration::days(len);
            let cut_day = from + chrono::Duration::days(cut.min(len));
            let first_part_end = last_day_of_month(cut_day).min(to);
            let whole = rent_for_period(Ore(rent), from, to);
            let mut parts = rent_for_period(Ore(rent), from, first_part_end);
            if let Some(next) = first_part_end.succ_opt() {
                parts.extend(rent_for_period(Ore(rent), next, to));
            }
            prop_assert_eq!(total(&whole), total(&parts));
            prop_assert_eq!(whole, parts);
        }

        #[test]
        fn lines_cover_the_period_without_gaps_or_overlaps(from in any_date(), len in 0i64..1500) {
            let to = from + chrono::Duration::days(len);
            let lines = rent_for_period(Ore(10_000), from, to);
            prop_assert_eq!(lines.first().map(|l| l.from), Some(from));
            prop_assert_eq!(lines.last().map(|l| l.to), Some(to));
            for pair in lines.windows(2) {
                prop_assert_eq!(pair[0].to.succ_opt(), Some(pair[1].from));
            }
            prop_assert_eq!(lines.iter().map(|l| i64::from(l.days)).sum::<i64>(), len + 1);
        }

        #[test]
        fn no_line_exceeds_the_monthly_rent(rent in 0i64..10_000_000, from in any_date(), len in 0i64..800) {
            let to = from + chrono::Duration::days(len);
            for line in rent_for_period(Ore(rent), from, to) {
                prop_assert!(0 <= line.amount.0 && line.amount.0 <= rent);
                prop_assert_eq!(line.full_month, line.days == line.days_in_month);
            }
        }

        #[test]
        fn whole_months_cost_the_monthly_rent_times_the_number_of_months(
            rent in 0i64..10_000_000, y in 2000i32..2100, m in 1u32..=12, months in 1u32..36,
        ) {
            let from = NaiveDate::from_ymd_opt(y, m, 1).expect("valid");
            let to = from.checked_add_months(chrono::Months::new(months)).and_then(|d| d.pred_opt()).expect("valid");
            prop_assert_eq!(total(&rent_for_period(Ore(rent), from, to)), Ore(rent * i64::from(months)));
        }
    }
}
