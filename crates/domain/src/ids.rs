//! Validated identifiers: personal identity numbers, HSA ids, ISO 9999
//! codes, GTINs and article numbers. Each `parse` returns `Result`, so an
//! invalid value can never be constructed.

use crate::FieldError;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Luhn check over ASCII digits (the last digit is the check digit).
fn luhn_ok(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| {
            let v = u32::from(d - b'0');
            if i % 2 != 0 {
                let x = v * 2;
                if x > 9 {
                    x - 9
                } else {
                    x
                }
            } else {
                v
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// Whether a personal id is a personnummer or a samordningsnummer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PersonalIdKind {
    Personnummer,
    Samordningsnummer,
}

impl PersonalIdKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PersonalIdKind::Personnummer => "personnummer",
            PersonalIdKind::Samordningsnummer => "samordningsnummer",
        }
    }
}

/// A Swedish personnummer or samordningsnummer, stored as twelve digits
/// `YYYYMMDDNNNC`. Samordningsnummer add 60 to the day.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PersonalId(String);

impl PersonalId {
    /// Parses `YYYYMMDD-NNNC`, `YYYYMMDDNNNC`, `YYMMDD-NNNC` or `YYMMDD+NNNC`.
    /// Ten-digit forms get their century from `today`: `-` means under 100
    /// years old, `+` means 100 or older.
    pub fn parse(input: &str, today: NaiveDate) -> Result<Self, FieldError> {
        let err = |msg: &str| FieldError::new("personal_id", "invalid_personal_id", msg);
        let s = input.trim();
        let plus = s.contains('+');
        let digits: String = s.chars().filter(|c| *c != '-' && *c != '+').collect();
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err("a personal identity number has only digits and '-' or '+'"));
        }
        let full = match digits.len() {
            12 => digits,
            10 => {
                let yy: i32 = digits[0..2].parse().unwrap_or(0);
                let mut year = today.year() - (today.year() - yy).rem_euclid(100);
                if plus {
                    year -= 100;
                }
                // Born "this year" but later in the year than today: a century earlier.
                let candidate = format!("{year:04}{}", &digits[2..]);
                if !plus && birth_date_of(&candidate).is_some_and(|d| d > today) {
                    format!("{:04}{}", year - 100, &digits[2..])
                } else {
                    candidate
                }
            }
            _ => return Err(err("a personal identity number has 10 or 12 digits (YYYYMMDD-NNNC)")),
        };
        if !luhn_ok(&full.as_bytes()[2..]) {
            return Err(err("the check digit is wrong"));
        }
        let Some(born) = birth_date_of(&full) else {
            return Err(err("the date part is not a valid date"));
        };
        if born > today {
            return Err(err("the birth date is in the future"));
        }
        if !crate::time::YEARS.contains(&born.year()) {
            return Err(err("the birth year must be 1900 or later"));
        }
        Ok(PersonalId(full))
    }

    /// Parses the canonical twelve-digit form as stored in the database.
    pub fn from_canonical(s: &str) -> Result<Self, FieldError> {
        if s.len() != 12 {
            return Err(FieldError::new("personal_id", "invalid_personal_id", "expected 12 digits"));
        }
        Self::parse(s, NaiveDate::from_ymd_opt(2100, 1, 1).expect("valid date"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn kind(&self) -> PersonalIdKind {
        let day: u32 = self.0[6..8].parse().unwrap_or(0);
        if day > 60 {
            PersonalIdKind::Samordningsnummer
        } else {
            PersonalIdKind::Personnummer
        }
    }

    pub fn birth_date(&self) -> NaiveDate {
        birth_date_of(&self.0).expect("validated on construction")
    }

    /// `YYYYMMDD-NNNC`, the form shown to users.
    pub fn display(&self) -> String {
        format!("{}-{}", &self.0[..8], &self.0[8..])
    }
}

fn birth_date_of(twelve: &str) -> Option<NaiveDate> {
    let y: i32 = twelve.get(0..4)?.parse().ok()?;
    let m: u32 = twelve.get(4..6)?.parse().ok()?;
    let mut d: u32 = twelve.get(6..8)?.parse().ok()?;
    if d > 60 {
        d -= 60;
    }
    NaiveDate::from_ymd_opt(y, m, d)
}

impl fmt::Display for PersonalId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display())
    }
}

impl TryFrom<String> for PersonalId {
    type Error = FieldError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::from_canonical(&s.replace('-', ""))
    }
}

impl From<PersonalId> for String {
    fn from(p: PersonalId) -> String {
        p.0
    }
}

/// An ISO 9999 code: class, subclass and division, two digits each
/// (`120606` = rollators). Shorter prefixes (`12`, `1206`) are valid codes
/// of a class or subclass.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct IsoCode(String);

impl IsoCode {
    /// Accepts `120606`, `12 06 06`, `12.06.06` and prefixes of 2 or 4 digits.
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let digits: String = input.chars().filter(|c| !matches!(c, ' ' | '.' | '-')).collect();
        let ok = matches!(digits.len(), 2 | 4 | 6) && digits.bytes().all(|b| b.is_ascii_digit());
        if !ok {
            return Err(FieldError::new(
                "iso_code",
                "invalid_iso_code",
                format!("'{input}' is not an ISO 9999 code (2, 4 or 6 digits, e.g. 12 06 06)"),
            ));
        }
        Ok(IsoCode(digits))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The two-digit class (`12` for personal mobility).
    pub fn class(&self) -> &str {
        &self.0[..2]
    }

    pub fn starts_with(&self, prefix: &str) -> bool {
        self.0.starts_with(prefix)
    }

    /// `12 06 06`, the form shown to users.
    pub fn display(&self) -> String {
        self.0.as_bytes().chunks(2).map(|c| std::str::from_utf8(c).unwrap_or("")).collect::<Vec<_>>().join(" ")
    }
}

impl fmt::Display for IsoCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display())
    }
}

impl TryFrom<String> for IsoCode {
    type Error = FieldError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<IsoCode> for String {
    fn from(c: IsoCode) -> String {
        c.0
    }
}

/// A GTIN (8, 12, 13 or 14 digits) with a valid GS1 check digit.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Gtin(String);

impl Gtin {
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let s = input.trim();
        let err = |m: &str| FieldError::new("gtin", "invalid_gtin", m);
        if !matches!(s.len(), 8 | 12 | 13 | 14) || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err("a GTIN has 8, 12, 13 or 14 digits"));
        }
        let bytes = s.as_bytes();
        let (body, check) = bytes.split_at(bytes.len() - 1);
        let sum: u32 =
            body.iter().rev().enumerate().map(|(i, d)| u32::from(d - b'0') * if i % 2 == 0 { 3 } else { 1 }).sum();
        if (10 - sum % 10) % 10 != u32::from(check[0] - b'0') {
            return Err(err("the GTIN check digit is wrong"));
        }
        Ok(Gtin(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Gtin {
    type Error = FieldError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<Gtin> for String {
    fn from(g: Gtin) -> String {
        g.0
    }
}

/// An HSA id: the issuing county or organisation prefix (`SE` followed by
/// the organisation number) then `-` and a local part, e.g.
/// `SE2321000016-15CQ`. Letters are upper-cased.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct HsaId(String);

impl HsaId {
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let s = input.trim().to_ascii_uppercase();
        let err = || {
            FieldError::new("hsa_id", "invalid_hsa_id", format!("'{input}' is not an HSA id (e.g. SE2321000016-15CQ)"))
        };
        let (prefix, local) = s.split_once('-').ok_or_else(err)?;
        let prefix_ok =
            prefix.len() == 12 && prefix.starts_with("SE") && prefix[2..].bytes().all(|b| b.is_ascii_digit());
        let local_ok = !local.is_empty() && local.len() <= 19 && local.bytes().all(|b| b.is_ascii_alphanumeric());
        if prefix_ok && local_ok {
            Ok(HsaId(s))
        } else {
            Err(err())
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for HsaId {
    type Error = FieldError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<HsaId> for String {
    fn from(h: HsaId) -> String {
        h.0
    }
}

/// An article number in the region's catalog: 1–20 letters, digits or `-`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ArticleNumber(String);

impl ArticleNumber {
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let s = input.trim();
        if s.is_empty() || s.len() > 20 || !s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
            return Err(FieldError::new(
                "article_number",
                "invalid_article_number",
                "an article number has 1 to 20 letters, digits or '-'",
            ));
        }
        Ok(ArticleNumber(s.to_ascii_uppercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for ArticleNumber {
    type Error = FieldError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<ArticleNumber> for String {
    fn from(a: ArticleNumber) -> String {
        a.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    #[test]
    fn a_valid_personnummer_is_accepted_in_every_written_form() {
        for form in ["19121212-1212", "191212121212", "121212+1212"] {
            let p = PersonalId::parse(form, today()).unwrap();
            assert_eq!(p.as_str(), "191212121212", "{form}");
        }
    }

    #[test]
    fn ten_digit_form_with_a_dash_means_under_one_hundred_years() {
        let p = PersonalId::parse("121212-1212", today()).unwrap();
        assert_eq!(p.as_str(), "201212121212");
        assert_eq!(p.kind(), PersonalIdKind::Personnummer);
    }

    #[test]
    fn a_wrong_check_digit_is_refused_naming_the_field() {
        let e = PersonalId::parse("19121212-1213", today()).unwrap_err();
        assert_eq!(e.field, "personal_id");
        assert!(e.message.contains("check digit"));
    }

    #[test]
    fn a_birth_date_in_the_future_or_before_1900_is_refused_naming_the_field() {
        for typed in ["29121212-1212", "20261224-1212", "18121212-1212"] {
            let e = PersonalId::parse(typed, today()).unwrap_err();
            assert_eq!((e.field.as_str(), e.code), ("personal_id", "invalid_personal_id"), "{typed}");
        }
        assert!(PersonalId::parse("29121212-1212", today()).unwrap_err().message.contains("future"));
    }

    #[test]
    fn a_samordningsnummer_adds_sixty_to_the_day() {
        // 1990-01-01 as coordination number: day 61.
        let body = "9001610000";
        let check = (0..10).find(|c| luhn_ok(format!("{}{c}", &body[..9]).as_bytes())).unwrap();
        let s = format!("19{}{}", &body[..9], check);
        let p = PersonalId::parse(&s, today()).unwrap();
        assert_eq!(p.kind(), PersonalIdKind::Samordningsnummer);
        assert_eq!(p.birth_date(), NaiveDate::from_ymd_opt(1990, 1, 1).unwrap());
    }

    #[test]
    fn iso_codes_accept_spaces_and_refuse_odd_lengths() {
        assert_eq!(IsoCode::parse("12 06 06").unwrap().as_str(), "120606");
        assert_eq!(IsoCode::parse("120606").unwrap().display(), "12 06 06");
        assert!(IsoCode::parse("12060").is_err());
        assert!(IsoCode::parse("12a606").is_err());
    }

    #[test]
    fn gtin_check_digit_is_verified() {
        assert!(Gtin::parse("7310865004703").is_ok());
        assert!(Gtin::parse("7310865004704").is_err());
        assert!(Gtin::parse("12345").is_err());
    }

    #[test]
    fn hsa_ids_need_the_se_prefix_and_a_local_part() {
        assert_eq!(HsaId::parse("se2321000016-15cq").unwrap().as_str(), "SE2321000016-15CQ");
        assert!(HsaId::parse("2321000016-15CQ").is_err());
        assert!(HsaId::parse("SE2321000016").is_err());
    }
}
