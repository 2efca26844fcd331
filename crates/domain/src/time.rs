//! Civil time in Sweden. Instants are stored in UTC; dates a user sees and
//! rules reason about are Europe/Stockholm civil dates. The EU summer-time
//! rule (last Sunday of March to last Sunday of October, 01:00 UTC) is
//! computed here so no time-zone database is needed.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};

fn last_sunday(year: i32, month: u32) -> NaiveDate {
    let first_next =
        if month == 12 { NaiveDate::from_ymd_opt(year + 1, 1, 1) } else { NaiveDate::from_ymd_opt(year, month + 1, 1) }
            .expect("valid month");
    let last = first_next.pred_opt().expect("has a previous day");
    let back = last.weekday().num_days_from_sunday();
    last - Duration::days(i64::from(back))
}

/// Whether Swedish summer time (CEST, UTC+2) is in force at `at`.
pub fn is_summer_time(at: DateTime<Utc>) -> bool {
    let y = at.year();
    let start = Utc.from_utc_datetime(&last_sunday(y, 3).and_hms_opt(1, 0, 0).expect("valid time"));
    let end = Utc.from_utc_datetime(&last_sunday(y, 10).and_hms_opt(1, 0, 0).expect("valid time"));
    at >= start && at < end
}

/// The Stockholm wall-clock time of an instant.
pub fn stockholm(at: DateTime<Utc>) -> NaiveDateTime {
    let hours = if is_summer_time(at) { 2 } else { 1 };
    (at + Duration::hours(hours)).naive_utc()
}

/// The Stockholm civil date of an instant.
pub fn stockholm_date(at: DateTime<Utc>) -> NaiveDate {
    stockholm(at).date()
}

/// Age in whole years on `on` for someone born on `birth`.
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> u32 {
    let mut years = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    years.max(0) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
    }

    #[test]
    fn summer_time_starts_on_the_last_sunday_of_march_at_one_utc() {
        assert!(!is_summer_time(utc(2026, 3, 29, 0)));
        assert!(is_summer_time(utc(2026, 3, 29, 1)));
        assert!(is_summer_time(utc(2026, 10, 25, 0)));
        assert!(!is_summer_time(utc(2026, 10, 25, 1)));
    }

    #[test]
    fn late_evening_utc_is_already_the_next_day_in_stockholm() {
        assert_eq!(stockholm_date(utc(2026, 6, 30, 23)), NaiveDate::from_ymd_opt(2026, 7, 1).unwrap());
        assert_eq!(stockholm_date(utc(2026, 12, 31, 22)), NaiveDate::from_ymd_opt(2026, 12, 31).unwrap());
    }

    #[test]
    fn age_counts_whole_years_from_the_birthday() {
        let birth = NaiveDate::from_ymd_opt(1939, 3, 2).unwrap();
        assert_eq!(age_on(birth, NaiveDate::from_ymd_opt(2024, 3, 1).unwrap()), 84);
        assert_eq!(age_on(birth, NaiveDate::from_ymd_opt(2024, 3, 2).unwrap()), 85);
    }
}
