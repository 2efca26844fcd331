//! Civil time in Sweden. Instants are stored in UTC; dates a user sees and
//! rules reason about are Europe/Stockholm civil dates. The offset comes
//! from jiff's copy of the IANA time-zone database, compiled into the
//! binary (nothing is read from the OS); chrono types stay at the boundary.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, Utc};
use jiff::tz::TimeZone;
use std::sync::LazyLock;

/// The years a date typed by a person or client may fall in; anything
/// else is a typo (0000, 9999) or an attack on date arithmetic.
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2200;

/// Refuses a date outside [`YEARS`], naming `field`.
pub fn check_plausible(field: &str, date: NaiveDate) -> Result<NaiveDate, crate::FieldError> {
    if YEARS.contains(&date.year()) {
        Ok(date)
    } else {
        let msg = format!("the year must be between {} and {}", YEARS.start(), YEARS.end());
        Err(crate::FieldError::new(field, "invalid_date", msg))
    }
}

static STOCKHOLM: LazyLock<TimeZone> =
    LazyLock::new(|| TimeZone::get("Europe/Stockholm").expect("the bundled time-zone database has Europe/Stockholm"));

/// Stockholm's offset from UTC at `at`, in seconds (3600 or 7200).
fn offset_seconds(at: DateTime<Utc>) -> i32 {
    // jiff's instants span years -9999..=9999; chrono's reach further, and
    // nothing this far out has Stockholm time anyway: clamp into jiff's range.
    let ts = jiff::Timestamp::from_second(
        at.timestamp().clamp(jiff::Timestamp::MIN.as_second(), jiff::Timestamp::MAX.as_second()),
    )
    .expect("clamped into range");
    STOCKHOLM.to_offset(ts).seconds()
}

/// Whether Swedish summer time (CEST, UTC+2) is in force at `at`.
pub fn is_summer_time(at: DateTime<Utc>) -> bool {
    offset_seconds(at) == 2 * 3600
}

/// The Stockholm wall-clock time of an instant.
pub fn stockholm(at: DateTime<Utc>) -> NaiveDateTime {
    (at + Duration::seconds(i64::from(offset_seconds(at)))).naive_utc()
}

/// The Stockholm civil date of an instant.
pub fn stockholm_date(at: DateTime<Utc>) -> NaiveDate {
    stockholm(at).date()
}

/// The instant a Stockholm civil date begins. Sweden changes its clocks
/// at 01:00 UTC, so midnight is never skipped or repeated.
pub fn start_of_day(date: NaiveDate) -> DateTime<Utc> {
    let midnight_utc = date.and_time(chrono::NaiveTime::MIN).and_utc();
    midnight_utc - Duration::seconds(i64::from(offset_seconds(midnight_utc)))
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
    use chrono::TimeZone as _;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
    }

    fn local(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(h, min, 0).unwrap()
    }

    /// The EU rule since 1996, as an oracle: the last Sunday of the month.
    fn last_sunday(year: i32, month: u32) -> NaiveDate {
        let first_next = if month == 12 {
            NaiveDate::from_ymd_opt(year + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(year, month + 1, 1)
        };
        let last = first_next.unwrap().pred_opt().unwrap();
        last - Duration::days(i64::from(last.weekday().num_days_from_sunday()))
    }

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
    fn the_clocks_go_forward_and_back_at_one_utc_on_the_switch_days() {
        // March: 01:59 CET is followed by 03:00 CEST.
        assert_eq!(stockholm(at(2026, 3, 29, 0, 59)), local(2026, 3, 29, 1, 59));
        assert_eq!(stockholm(at(2026, 3, 29, 1, 0)), local(2026, 3, 29, 3, 0));
        // October: 02:59 CEST is followed by 02:00 CET (the hour repeats).
        assert_eq!(stockholm(at(2026, 10, 25, 0, 59)), local(2026, 10, 25, 2, 59));
        assert_eq!(stockholm(at(2026, 10, 25, 1, 0)), local(2026, 10, 25, 2, 0));
    }

    #[test]
    fn summer_time_in_2090_follows_the_same_rule() {
        assert!(!is_summer_time(at(2090, 3, 26, 0, 59)));
        assert!(is_summer_time(at(2090, 3, 26, 1, 0)));
        assert!(is_summer_time(at(2090, 10, 29, 0, 59)));
        assert!(!is_summer_time(at(2090, 10, 29, 1, 0)));
        assert_eq!(stockholm_date(at(2090, 7, 1, 22, 30)), NaiveDate::from_ymd_opt(2090, 7, 2).unwrap());
        assert_eq!(stockholm(at(2090, 12, 24, 12, 0)), local(2090, 12, 24, 13, 0));
    }

    #[test]
    fn the_database_agrees_with_the_eu_rule_from_1996_to_2200() {
        for y in 1996..=2200 {
            for (month, summer_after) in [(3, true), (10, false)] {
                let switch = Utc.from_utc_datetime(&last_sunday(y, month).and_hms_opt(1, 0, 0).unwrap());
                assert_eq!(is_summer_time(switch - Duration::seconds(1)), !summer_after, "{y}-{month}");
                assert_eq!(is_summer_time(switch), summer_after, "{y}-{month}");
            }
        }
    }

    #[test]
    fn instants_beyond_the_databases_range_still_have_a_stockholm_time() {
        let far = Utc.with_ymd_and_hms(20_000, 1, 1, 0, 0, 0).unwrap();
        assert_eq!(stockholm(far), (far + Duration::hours(1)).naive_utc());
    }

    #[test]
    fn age_counts_whole_years_from_the_birthday() {
        let birth = NaiveDate::from_ymd_opt(1939, 3, 2).unwrap();
        assert_eq!(age_on(birth, NaiveDate::from_ymd_opt(2024, 3, 1).unwrap()), 84);
        assert_eq!(age_on(birth, NaiveDate::from_ymd_opt(2024, 3, 2).unwrap()), 85);
    }
}
