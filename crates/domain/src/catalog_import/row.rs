//! One row of an import file: its values checked and converted, each
//! error named by row and column.

use super::columns::{Columns, Field};
use super::{RowError, ISO_9999_CLASSES};
use crate::article::{ArticleKind, Billing, LeadTimeClass};
use crate::ids::{Gtin, IsoCode};
use crate::Term;
use chrono::NaiveDate;
use std::collections::HashMap;

/// What a row says about one article. `None`: the file has no such column
/// (or the cell is empty where that is allowed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedArticle {
    /// The spreadsheet row it came from.
    pub row: usize,
    pub article_number: String,
    pub name: String,
    pub iso_code: IsoCode,
    pub gtin: Option<String>,
    pub supplier: String,
    pub kind: ArticleKind,
    pub purchase_price_ore: Option<i64>,
    pub monthly_rent_ore: Option<i64>,
    pub billing: Option<Billing>,
    pub lead_time_class: Option<LeadTimeClass>,
    pub service_life_months: Option<i32>,
    pub reconditionable: Option<bool>,
    pub product_area: Option<String>,
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
}

/// Reads cells of one row, collecting errors instead of stopping at the first.
struct Cells<'a> {
    cols: &'a Columns,
    row: usize,
    record: &'a [&'a str],
    errors: Vec<RowError>,
}

impl<'a> Cells<'a> {
    /// The trimmed cell of a field, `None` when the file has no such column or it is empty.
    fn text(&self, field: Field) -> Option<&'a str> {
        let (i, _) = self.cols.of(field)?;
        self.record.get(i).map(|s| s.trim()).filter(|s| !s.is_empty())
    }

    fn fail(&mut self, field: Field, code: &'static str, message: impl Into<String>) {
        let (i, name) = self.cols.of(field).map_or((0, "?"), |(i, n)| (i + 1, n));
        self.errors.push(RowError::new(self.row, i, name, code, message));
    }

    fn required(&mut self, field: Field) -> Option<&'a str> {
        let v = self.text(field);
        if v.is_none() {
            self.fail(field, "required", "this column must have a value");
        }
        v
    }

    fn parse<T>(&mut self, field: Field, f: impl Fn(&str) -> Result<T, (&'static str, String)>) -> Option<T> {
        let v = self.text(field)?;
        match f(v) {
            Ok(x) => Some(x),
            Err((code, m)) => {
                self.fail(field, code, m);
                None
            }
        }
    }
}

fn iso_code(s: &str) -> Result<IsoCode, (&'static str, String)> {
    let code = IsoCode::parse(s).map_err(|e| (e.code, e.message))?;
    if code.as_str().len() != 6 {
        return Err((
            "invalid_iso_code",
            format!("'{s}' is a class or subclass; an article has a six-digit ISO 9999 code"),
        ));
    }
    if !ISO_9999_CLASSES.contains(&code.class()) {
        return Err((
            "unknown_iso_code",
            format!("'{s}' is in no ISO 9999 class (class {} does not exist)", code.class()),
        ));
    }
    Ok(code)
}

/// Kronor as written in a Swedish or English file (`1 234,50`, `1234.50`) in öre.
fn kronor(s: &str) -> Result<i64, (&'static str, String)> {
    let clean: String =
        s.chars().filter(|c| !c.is_whitespace() && *c != '\u{a0}').collect::<String>().replace(',', ".");
    let bad = || ("invalid_amount", format!("'{s}' is not an amount in kronor (e.g. 1234,50)"));
    let (whole, frac) = clean.split_once('.').unwrap_or((&clean, ""));
    if whole.is_empty()
        || frac.len() > 2
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(bad());
    }
    let kr: i64 = whole.parse().map_err(|_| bad())?;
    let ore: i64 = format!("{frac:0<2}").parse().unwrap_or(0);
    kr.checked_mul(100).and_then(|k| k.checked_add(ore)).filter(|v| *v <= 100_000_000_000).ok_or_else(bad)
}

fn kind(s: &str) -> Result<ArticleKind, (&'static str, String)> {
    let lower = s.to_lowercase();
    ArticleKind::ALL.iter().copied().find(|k| k.as_str() == lower || k.name_sv().to_lowercase() == lower).ok_or_else(
        || ("invalid_kind", format!("'{s}' is no article type Ramp lends or sells (e.g. Huvudhjälpmedel, Tillbehör)")),
    )
}

fn term<T: Term>(s: &str) -> Result<T, (&'static str, String)> {
    T::parse(&s.to_lowercase()).map_err(|e| (e.code, e.message))
}

fn date(s: &str) -> Result<NaiveDate, (&'static str, String)> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| ("invalid_date", format!("'{s}' is not a date (YYYY-MM-DD)")))
}

fn boolean(s: &str) -> Result<bool, (&'static str, String)> {
    match s.to_lowercase().as_str() {
        "true" | "ja" | "yes" | "1" => Ok(true),
        "false" | "nej" | "no" | "0" => Ok(false),
        _ => Err(("invalid_boolean", format!("'{s}' is not ja/nej (true/false)"))),
    }
}

fn months(s: &str) -> Result<i32, (&'static str, String)> {
    s.parse::<i32>()
        .ok()
        .filter(|m| (1..=600).contains(m))
        .ok_or(("invalid_service_life", format!("'{s}' is not a service life in months (1–600)")))
}

/// Reads one data row (`row` is its spreadsheet row). Every error of the
/// row is returned, each naming its column.
pub fn parse_row(cols: &Columns, row: usize, record: &[&str]) -> Result<ImportedArticle, Vec<RowError>> {
    let mut c = Cells { cols, row, record, errors: Vec::new() };
    let number = c.required(Field::ArticleNumber);
    if number.is_some_and(|n| n.chars().count() > 40) {
        c.fail(Field::ArticleNumber, "too_long", "an article number has at most 40 characters");
    }
    let name = c.required(Field::Name);
    let iso = c.required(Field::IsoCode).and_then(|_| c.parse(Field::IsoCode, iso_code));
    let supplier = c.required(Field::Supplier);
    let kind = c.required(Field::Kind).and_then(|_| c.parse(Field::Kind, kind));
    let gtin =
        c.parse(Field::Gtin, |s| Gtin::parse(s).map(|g| g.as_str().to_string()).map_err(|e| (e.code, e.message)));
    let article = ImportedArticle {
        row,
        article_number: number.unwrap_or_default().to_string(),
        name: name.unwrap_or_default().to_string(),
        iso_code: iso.clone().unwrap_or_else(|| IsoCode::parse("120606").expect("a code")),
        gtin,
        supplier: supplier.unwrap_or_default().to_string(),
        kind: kind.unwrap_or(ArticleKind::MainDevice),
        purchase_price_ore: c.parse(Field::PurchasePrice, kronor),
        monthly_rent_ore: c.parse(Field::MonthlyRent, kronor),
        billing: c.parse(Field::Billing, term::<Billing>),
        lead_time_class: c.parse(Field::LeadTime, term::<LeadTimeClass>),
        service_life_months: c.parse(Field::ServiceLife, months),
        reconditionable: c.parse(Field::Reconditionable, boolean),
        product_area: c.text(Field::ProductArea).map(str::to_string),
        valid_from: c.parse(Field::ValidFrom, date),
        valid_to: c.parse(Field::ValidTo, date),
    };
    if let (Some(from), Some(to)) = (article.valid_from, article.valid_to) {
        if to < from {
            c.fail(Field::ValidTo, "ends_before_start", "the article's validity ends before it starts");
        }
    }
    if c.errors.is_empty() {
        Ok(article)
    } else {
        Err(c.errors)
    }
}

/// The articles and GTINs seen so far in a file: a second row with the
/// same article number or GTIN is an error naming the first.
#[derive(Debug, Default)]
pub struct Duplicates {
    numbers: HashMap<String, usize>,
    gtins: HashMap<String, usize>,
}

impl Duplicates {
    pub fn check(&mut self, cols: &Columns, a: &ImportedArticle) -> Vec<RowError> {
        let mut errors = Vec::new();
        let mut seen = |map: &mut HashMap<String, usize>, key: &str, field: Field, what: &str| {
            if let Some(first) = map.get(key) {
                let (i, name) = cols.of(field).map_or((0, "?"), |(i, n)| (i + 1, n));
                let message = format!("{what} {key} is already on row {first}");
                errors.push(RowError::new(a.row, i, name, "duplicate", message));
            } else {
                map.insert(key.to_string(), a.row);
            }
        };
        seen(&mut self.numbers, &a.article_number, Field::ArticleNumber, "article number");
        if let Some(g) = &a.gtin {
            seen(&mut self.gtins, g, Field::Gtin, "GTIN");
        }
        errors
    }
}
