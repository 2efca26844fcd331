//! The Swedish working-day calendar: public holidays computed from the date
//! (Easter by the anonymous Gregorian algorithm, the movable Midsummer and All
//! Saints' days by weekday), never listed per year, and the deadlines built on
//! working days: pickup rent end, deregistration due and promised delivery.
//!
//! The rules are today's (since 2005, when National Day became a holiday and
//! Whit Monday stopped being one) and are applied to every year.

use crate::article::LeadTimeClass;
use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

/// A day on which nobody works: the legal public holidays ("allmänna
/// helgdagar") plus three eves that are not legal holidays but are days off in
/// practice for the regions, municipalities and the assistive-device centre.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Holiday {
    NewYearsDay,
    Epiphany,
    GoodFriday,
    EasterSunday,
    EasterMonday,
    MayDay,
    AscensionDay,
    WhitSunday,
    NationalDay,
    /// Not a legal holiday; a non-working day in practice.
    MidsummerEve,
    MidsummerDay,
    AllSaintsDay,
    /// Not a legal holiday; a non-working day in practice.
    ChristmasEve,
    ChristmasDay,
    BoxingDay,
    /// Not a legal holiday; a non-working day in practice.
    NewYearsEve,
}

impl Holiday {
    /// The Swedish name, shown first in the UI.
    pub fn name_sv(self) -> &'static str {
        match self {
            Holiday::NewYearsDay => "Nyårsdagen",
            Holiday::Epiphany => "Trettondedag jul",
            Holiday::GoodFriday => "Långfredagen",
            Holiday::EasterSunday => "Påskdagen",
            Holiday::EasterMonday => "Annandag påsk",
            Holiday::MayDay => "Första maj",
            Holiday::AscensionDay => "Kristi himmelsfärdsdag",
            Holiday::WhitSunday => "Pingstdagen",
            Holiday::NationalDay => "Sveriges nationaldag",
            Holiday::MidsummerEve => "Midsommarafton",
            Holiday::MidsummerDay => "Midsommardagen",
            Holiday::AllSaintsDay => "Alla helgons dag",
            Holiday::ChristmasEve => "Julafton",
            Holiday::ChristmasDay => "Juldagen",
            Holiday::BoxingDay => "Annandag jul",
            Holiday::NewYearsEve => "Nyårsafton",
        }
    }

    /// The English name.
    pub fn name_en(self) -> &'static str {
        match self {
            Holiday::NewYearsDay => "New Year's Day",
            Holiday::Epiphany => "Epiphany",
            Holiday::GoodFriday => "Good Friday",
            Holiday::EasterSunday => "Easter Sunday",
            Holiday::EasterMonday => "Easter Monday",
            Holiday::MayDay => "May Day",
            Holiday::AscensionDay => "Ascension Day",
            Holiday::WhitSunday => "Whit Sunday",
            Holiday::NationalDay => "National Day of Sweden",
            Holiday::MidsummerEve => "Midsummer Eve",
            Holiday::MidsummerDay => "Midsummer Day",
            Holiday::AllSaintsDay => "All Saints' Day",
            Holiday::ChristmasEve => "Christmas Eve",
            Holiday::ChristmasDay => "Christmas Day",
            Holiday::BoxingDay => "Boxing Day",
            Holiday::NewYearsEve => "New Year's Eve",
        }
    }

    /// Whether the day is a legal public holiday; the three eves are not,
    /// although they are non-working days here.
    pub fn is_legal_holiday(self) -> bool {
        !matches!(self, Holiday::MidsummerEve | Holiday::ChristmasEve | Holiday::NewYearsEve)
    }
}

/// Easter Sunday of `year` in the Gregorian calendar (the anonymous
/// "Meeus/Jones/Butcher" algorithm).
pub fn easter_sunday(year: i32) -> NaiveDate {
    let a = year.rem_euclid(19);
    let b = year.div_euclid(100);
    let c = year.rem_euclid(100);
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32).expect("Easter is a valid date")
}

/// The holiday or non-working eve that `d` is, if any.
pub fn is_holiday(d: NaiveDate) -> Option<Holiday> {
    if let Some(h) = fixed_holiday(d.month(), d.day()) {
        return Some(h);
    }
    if let Some(h) = weekday_holiday(d) {
        return Some(h);
    }
    match (d - easter_sunday(d.year())).num_days() {
        -2 => Some(Holiday::GoodFriday),
        0 => Some(Holiday::EasterSunday),
        1 => Some(Holiday::EasterMonday),
        39 => Some(Holiday::AscensionDay),
        49 => Some(Holiday::WhitSunday),
        _ => None,
    }
}

fn fixed_holiday(month: u32, day: u32) -> Option<Holiday> {
    match (month, day) {
        (1, 1) => Some(Holiday::NewYearsDay),
        (1, 6) => Some(Holiday::Epiphany),
        (5, 1) => Some(Holiday::MayDay),
        (6, 6) => Some(Holiday::NationalDay),
        (12, 24) => Some(Holiday::ChristmasEve),
        (12, 25) => Some(Holiday::ChristmasDay),
        (12, 26) => Some(Holiday::BoxingDay),
        (12, 31) => Some(Holiday::NewYearsEve),
        _ => None,
    }
}

/// Holidays defined as "the Friday/Saturday in a window of seven days".
fn weekday_holiday(d: NaiveDate) -> Option<Holiday> {
    match (d.weekday(), d.month(), d.day()) {
        (Weekday::Fri, 6, 19..=25) => Some(Holiday::MidsummerEve),
        (Weekday::Sat, 6, 20..=26) => Some(Holiday::MidsummerDay),
        (Weekday::Sat, 10, 31) | (Weekday::Sat, 11, 1..=6) => Some(Holiday::AllSaintsDay),
        _ => None,
    }
}

/// Monday to Friday and neither a holiday nor a non-working eve.
pub fn is_working_day(d: NaiveDate) -> bool {
    !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) && is_holiday(d).is_none()
}

/// The first working day strictly after `d`.
pub fn next_working_day(d: NaiveDate) -> NaiveDate {
    add_working_days(d, 1)
}

/// The `n`-th working day after `d` (so `d` itself never counts, even when it
/// is a working day). `n == 0` returns `d` unchanged.
pub fn add_working_days(d: NaiveDate, n: u32) -> NaiveDate {
    let mut day = d;
    let mut left = n;
    while left > 0 {
        day = day.checked_add_days(Days::new(1)).expect("date within chrono's range");
        if is_working_day(day) {
            left -= 1;
        }
    }
    day
}

/// The number of working days in the half-open interval `(a, b]`: the inverse
/// of [`add_working_days`]. Zero when `b` is not after `a`.
pub fn working_days_between(a: NaiveDate, b: NaiveDate) -> u32 {
    a.iter_days().skip(1).take_while(|d| *d <= b).filter(|d| is_working_day(*d)).count() as u32
}

/// Working days from a pickup order's registration to the end of function rent.
pub const PICKUP_RENT_END_WORKING_DAYS: u32 = 3;
/// Working days within which a picked-up device must be deregistered.
pub const DEREGISTRATION_WORKING_DAYS: u32 = 7;

/// The last day of function rent for a device on a pickup order ("hämtorder")
/// registered on `registered`: the third working day after, so the holder is
/// not billed for the time the centre needs to collect it.
pub fn pickup_rent_end(registered: NaiveDate) -> NaiveDate {
    add_working_days(registered, PICKUP_RENT_END_WORKING_DAYS)
}

/// The day by which a device on a pickup order registered on `registered`
/// must be deregistered from the patient: the seventh working day after.
pub fn deregistration_due(registered: NaiveDate) -> NaiveDate {
    add_working_days(registered, DEREGISTRATION_WORKING_DAYS)
}

/// The delivery date promised for an order line placed on `ordered`: 4
/// working days for drug-adjacent stock items, 7 for stock items, 17 for
/// order items, the next working day for acute ones. Delivery reliability is measured against this date.
pub fn promised_date(ordered: NaiveDate, class: LeadTimeClass) -> NaiveDate {
    match class {
        LeadTimeClass::Stock4 => add_working_days(ordered, 4),
        LeadTimeClass::Stock7 => add_working_days(ordered, 7),
        LeadTimeClass::Order17 => add_working_days(ordered, 17),
        LeadTimeClass::Acute => next_working_day(ordered),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Term;
    use proptest::prelude::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().expect("test date")
    }

    #[test]
    fn easter_sunday_matches_the_almanac() {
        let table = [
            (2000, "2000-04-23"),
            (2008, "2008-03-23"),
            (2011, "2011-04-24"),
            (2019, "2019-04-21"),
            (2024, "2024-03-31"),
            (2025, "2025-04-20"),
            (2026, "2026-04-05"),
            (2027, "2027-03-28"),
            (2038, "2038-04-25"),
            (2285, "2285-03-22"),
        ];
        for (year, expected) in table {
            assert_eq!(easter_sunday(year), date(expected), "Easter {year}");
        }
    }

    #[test]
    fn every_holiday_of_2026_is_found_with_its_swedish_name() {
        let table = [
            ("2026-01-01", "Nyårsdagen"),
            ("2026-01-06", "Trettondedag jul"),
            ("2026-04-03", "Långfredagen"),
            ("2026-04-05", "Påskdagen"),
            ("2026-04-06", "Annandag påsk"),
            ("2026-05-01", "Första maj"),
            ("2026-05-14", "Kristi himmelsfärdsdag"),
            ("2026-05-24", "Pingstdagen"),
            ("2026-06-06", "Sveriges nationaldag"),
            ("2026-06-19", "Midsommarafton"),
            ("2026-06-20", "Midsommardagen"),
            ("2026-10-31", "Alla helgons dag"),
            ("2026-12-24", "Julafton"),
            ("2026-12-25", "Juldagen"),
            ("2026-12-26", "Annandag jul"),
            ("2026-12-31", "Nyårsafton"),
        ];
        for (d, name) in table {
            assert_eq!(is_holiday(date(d)).map(Holiday::name_sv), Some(name), "{d}");
        }
        let count = date("2026-01-01").iter_days().take(365).filter(|d| is_holiday(*d).is_some()).count();
        assert_eq!(count, table.len());
    }

    #[test]
    fn midsummer_eve_is_the_friday_between_june_19_and_25() {
        let table = [
            (2024, "2024-06-21", "2024-06-22"),
            (2025, "2025-06-20", "2025-06-21"),
            (2026, "2026-06-19", "2026-06-20"),
            (2027, "2027-06-25", "2027-06-26"),
        ];
        for (year, eve, day) in table {
            assert_eq!(is_holiday(date(eve)), Some(Holiday::MidsummerEve), "{year}");
            assert_eq!(is_holiday(date(day)), Some(Holiday::MidsummerDay), "{year}");
            assert!(!is_working_day(date(eve)));
        }
    }

    #[test]
    fn all_saints_day_may_fall_in_november() {
        assert_eq!(is_holiday(date("2025-11-01")), Some(Holiday::AllSaintsDay));
        assert_eq!(is_holiday(date("2025-10-31")), None);
        assert!(is_working_day(date("2025-10-31")));
    }

    #[test]
    fn the_three_eves_are_days_off_but_not_legal_holidays() {
        for eve in [Holiday::MidsummerEve, Holiday::ChristmasEve, Holiday::NewYearsEve] {
            assert!(!eve.is_legal_holiday(), "{}", eve.name_en());
        }
        assert!(Holiday::ChristmasDay.is_legal_holiday());
        assert!(!is_working_day(date("2025-12-24")), "Christmas Eve 2025 is a Wednesday");
    }

    #[test]
    fn weekends_and_maundy_thursday_are_as_expected() {
        assert!(!is_working_day(date("2026-04-04")), "Saturday");
        assert!(!is_working_day(date("2026-04-12")), "Sunday");
        assert!(is_working_day(date("2026-04-02")), "Maundy Thursday is a working day");
    }

    #[test]
    fn pickup_registered_on_maundy_thursday_ends_rent_after_easter() {
        let registered = date("2026-04-02");
        assert_eq!(pickup_rent_end(registered), date("2026-04-09"));
        assert_eq!(deregistration_due(registered), date("2026-04-15"));
    }

    #[test]
    fn pickup_registered_before_christmas_skips_the_holidays_and_epiphany() {
        let registered = date("2026-12-23");
        assert_eq!(pickup_rent_end(registered), date("2026-12-30"));
        assert_eq!(deregistration_due(registered), date("2027-01-08"));
    }

    #[test]
    fn pickup_order_ends_rent_three_working_days_later() {
        assert_eq!(pickup_rent_end(date("2026-03-09")), date("2026-03-12"), "Monday to Thursday");
        assert_eq!(pickup_rent_end(date("2026-03-12")), date("2026-03-17"), "over a weekend");
        assert_eq!(pickup_rent_end(date("2026-03-14")), date("2026-03-18"), "registered on a Saturday");
    }

    #[test]
    fn promised_date_follows_the_lead_time_class() {
        let table = [
            ("2026-03-02", LeadTimeClass::Stock4, "2026-03-06"),
            ("2026-04-02", LeadTimeClass::Stock4, "2026-04-10"),
            ("2026-03-02", LeadTimeClass::Stock7, "2026-03-11"),
            ("2026-03-02", LeadTimeClass::Order17, "2026-03-25"),
            ("2026-03-02", LeadTimeClass::Acute, "2026-03-03"),
            ("2026-03-06", LeadTimeClass::Acute, "2026-03-09"),
            ("2026-04-02", LeadTimeClass::Acute, "2026-04-07"),
            ("2026-06-18", LeadTimeClass::Stock7, "2026-06-30"),
            ("2026-12-18", LeadTimeClass::Order17, "2027-01-19"),
        ];
        for (ordered, class, expected) in table {
            assert_eq!(promised_date(date(ordered), class), date(expected), "{ordered} {class}");
        }
    }

    #[test]
    fn working_days_between_counts_the_half_open_interval() {
        assert_eq!(working_days_between(date("2026-04-02"), date("2026-04-09")), 3);
        assert_eq!(working_days_between(date("2026-03-02"), date("2026-03-02")), 0);
        assert_eq!(working_days_between(date("2026-03-09"), date("2026-03-02")), 0);
        assert_eq!(working_days_between(date("2025-12-31"), date("2026-12-31")), 251);
    }

    #[test]
    fn adding_zero_working_days_keeps_the_date() {
        assert_eq!(add_working_days(date("2026-04-04"), 0), date("2026-04-04"));
    }

    fn any_date() -> impl Strategy<Value = NaiveDate> {
        (1900i32..2200, 1u32..=366).prop_map(|(y, ord)| {
            NaiveDate::from_yo_opt(y, ord).unwrap_or_else(|| NaiveDate::from_yo_opt(y, 365).expect("day 365"))
        })
    }

    proptest! {
        #[test]
        fn adding_working_days_lands_on_a_working_day(d in any_date(), n in 1u32..400) {
            prop_assert!(is_working_day(add_working_days(d, n)));
        }

        #[test]
        fn adding_n_working_days_passes_exactly_n_working_days(d in any_date(), n in 0u32..400) {
            let end = add_working_days(d, n);
            prop_assert_eq!(working_days_between(d, end), n);
        }

        #[test]
        fn adding_working_days_is_monotonic(a in any_date(), b in any_date(), n in 0u32..60, m in 0u32..60) {
            let (a, b) = if a <= b { (a, b) } else { (b, a) };
            prop_assert!(add_working_days(a, n) <= add_working_days(b, n));
            let (n, m) = if n <= m { (n, m) } else { (m, n) };
            prop_assert!(add_working_days(a, n) <= add_working_days(a, m));
        }

        #[test]
        fn promised_dates_are_working_days_after_the_order(d in any_date()) {
            for class in LeadTimeClass::ALL {
                let p = promised_date(d, *class);
                prop_assert!(p > d && is_working_day(p));
            }
        }

        #[test]
        fn rent_ends_before_deregistration_is_due(d in any_date()) {
            let end = pickup_rent_end(d);
            prop_assert!(d < end && end < deregistration_due(d));
        }

        #[test]
        fn easter_sunday_is_a_sunday_between_march_22_and_april_25(y in 1583i32..5000) {
            let e = easter_sunday(y);
            prop_assert_eq!(e.weekday(), Weekday::Sun);
            let lo = NaiveDate::from_ymd_opt(y, 3, 22).expect("valid");
            let hi = NaiveDate::from_ymd_opt(y, 4, 25).expect("valid");
            prop_assert!(lo <= e && e <= hi);
        }
    }
}
