//! The one parser of dates typed by people and API clients: `YYYY-MM-DD`,
//! blank meaning none, years from 1900 to 2200. The error names the field.

use crate::error::AppError;
use chrono::{DateTime, NaiveDate, Utc};

/// The years a date may fall in; anything else is a typo (0000, 9999).
pub const YEARS: std::ops::RangeInclusive<i32> = ramp_domain::time::YEARS;

/// A date as typed in `field`; `example` shows the expected form in the error.
pub fn parse_date(field: &str, value: &str, example: &str) -> Result<NaiveDate, AppError> {
    let date = NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::invalid(field, "invalid_date", format!("expected a date such as {example}")))?;
    check_date(field, date)
}

/// A date that arrived already typed (a `NaiveDate` in a JSON body, a
/// date a client computed): the same year range as [`parse_date`].
pub fn check_date(field: &str, date: NaiveDate) -> Result<NaiveDate, AppError> {
    Ok(ramp_domain::time::check_plausible(field, date)?)
}

/// An instant as a client sent it: its Stockholm date in the same range.
pub fn check_instant(field: &str, at: DateTime<Utc>) -> Result<DateTime<Utc>, AppError> {
    check_date(field, ramp_domain::time::stockholm_date(at)).map(|_| at)
}

/// Like [`parse_date`], but a missing or blank value is `None`.
pub fn parse_optional_date(field: &str, value: Option<&str>, example: &str) -> Result<Option<NaiveDate>, AppError> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => parse_date(field, v, example).map(Some),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typed_date_is_read_and_a_blank_one_is_none() {
        let d = parse_date("from", " 2027-02-01 ", "2027-02-01").unwrap();
        assert_eq!(d, NaiveDate::from_ymd_opt(2027, 2, 1).unwrap());
        assert_eq!(parse_optional_date("from", Some("  "), "2027-02-01").unwrap(), None);
        assert_eq!(parse_optional_date("from", None, "2027-02-01").unwrap(), None);
    }

    #[test]
    fn a_malformed_date_names_its_field_and_the_expected_form() {
        let e = parse_date("end_date", "1/2/2027", "2027-02-01").unwrap_err();
        assert_eq!((e.code, e.field.as_deref()), ("invalid_date", Some("end_date")));
        assert_eq!(e.message, "expected a date such as 2027-02-01");
    }

    #[test]
    fn years_outside_1900_to_2200_are_refused() {
        for typed in ["0000-01-01", "1899-12-31", "2201-01-01", "9999-12-31"] {
            let e = parse_date("until", typed, "2027-02-01").unwrap_err();
            assert_eq!((e.code, e.field.as_deref()), ("invalid_date", Some("until")), "{typed}");
        }
        assert!(parse_date("until", "1900-01-01", "x").is_ok());
        assert!(parse_date("until", "2200-12-31", "x").is_ok());
    }
}
