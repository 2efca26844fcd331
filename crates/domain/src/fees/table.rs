//! A region's fee table ("avgiftstabell") as versioned data: one TOML file
//! per region and effective date under `fees/<region>/<YYYY-MM-DD>.toml`,
//! compiled into the binary like the agreements. A file is checked whole on
//! load, so a broken table is refused with its file name and the reason.

use crate::money::Ore;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The tables compiled into the binary (path, text). Kept apart from
/// `agreements/`: the agreement loader reads every `.toml` it finds there.
const BUILTIN: &[(&str, &str)] = &[
    ("fees/stockholm/2026-01-01.toml", include_str!("../../../../fees/stockholm/2026-01-01.toml")),
    ("fees/vastra_gotaland/2026-01-01.toml", include_str!("../../../../fees/vastra_gotaland/2026-01-01.toml")),
];

/// Why a fee table was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeeTableError {
    pub file: String,
    pub message: String,
}

impl fmt::Display for FeeTableError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.file, self.message)
    }
}

impl std::error::Error for FeeTableError {}

/// What a fee is charged for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeeKind {
    /// A short-term prescription ("korttidsförskrivning"): per started month or quarter.
    ShortTerm,
    /// A yearly fee ("årsavgift"): on delivery and each anniversary while lent.
    Yearly,
    /// A one-off fee ("engångsavgift"): on delivery.
    OneOff,
}

impl FeeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FeeKind::ShortTerm => "short_term",
            FeeKind::Yearly => "yearly",
            FeeKind::OneOff => "one_off",
        }
    }
}

/// How often a short-term fee recurs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeePer {
    Month,
    Quarter,
}

impl FeePer {
    /// Months between two charges.
    pub fn months(self) -> u32 {
        match self {
            FeePer::Month => 1,
            FeePer::Quarter => 3,
        }
    }
}

/// One fee of a table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fee {
    pub id: String,
    pub kind: FeeKind,
    /// Only for short-term fees.
    pub per: Option<FeePer>,
    pub amount: Ore,
    /// ISO 9999 code prefixes (digits, e.g. `1222`); empty matches every article.
    pub iso: Vec<String>,
    pub name_sv: String,
    pub name_en: String,
}

impl Fee {
    /// Whether this fee applies to an article of ISO code `iso` (six digits).
    pub fn matches(&self, iso: &str) -> bool {
        self.iso.is_empty() || self.iso.iter().any(|p| iso.starts_with(p.as_str()))
    }
}

/// A region's fee table from its effective date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FeeTable {
    pub region: String,
    pub region_name: String,
    pub title: String,
    pub effective_from: NaiveDate,
    pub source: String,
    /// The fee cap ("högkostnadsskydd") per cap period.
    pub cap: Ore,
    /// The length of a cap period in months (12).
    pub cap_months: u32,
    /// No fee below this age on the charge date.
    pub exempt_below_age: Option<u32>,
    /// No fee from this age on the charge date.
    pub exempt_from_age: Option<u32>,
    pub fees: Vec<Fee>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTable {
    region: String,
    region_name: String,
    title: String,
    effective_from: toml::value::Datetime,
    source: String,
    cap: RawCap,
    exempt: Option<RawExempt>,
    #[serde(default)]
    fee: Vec<RawFee>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCap {
    kr: i64,
    months: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExempt {
    below_age: Option<u32>,
    from_age: Option<u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFee {
    id: String,
    kind: FeeKind,
    per: Option<FeePer>,
    kr: i64,
    iso: Vec<String>,
    name_sv: String,
    name_en: String,
}

impl FeeTable {
    /// Parses and checks one file. `file` is `fees/<region>/<YYYY-MM-DD>.toml`:
    /// its region and date must be the ones inside.
    pub fn parse(file: &str, text: &str) -> Result<FeeTable, FeeTableError> {
        let err = |message: String| FeeTableError { file: file.to_string(), message };
        let raw: RawTable = toml::from_str(text).map_err(|e| err(e.message().trim().to_string()))?;
        let effective_from = NaiveDate::parse_from_str(&raw.effective_from.to_string(), "%Y-%m-%d")
            .map_err(|_| err("effective_from is a date, YYYY-MM-DD".into()))?;
        let expected = format!("{}/{}.toml", raw.region, effective_from);
        if !file.ends_with(&expected) {
            return Err(err(format!("the file of region {} from {effective_from} is named …/{expected}", raw.region)));
        }
        if raw.cap.kr < 0 || raw.cap.months == 0 {
            return Err(err("cap: kr is at least 0 and months at least 1".into()));
        }
        let fees = raw.fee.into_iter().map(|f| compile_fee(f).map_err(&err)).collect::<Result<Vec<_>, _>>()?;
        let mut ids: Vec<&str> = fees.iter().map(|f| f.id.as_str()).collect();
        ids.sort_unstable();
        if let Some(w) = ids.windows(2).find(|w| w[0] == w[1]) {
            return Err(err(format!("fee id {} is used twice", w[0])));
        }
        let exempt = raw.exempt.unwrap_or(RawExempt { below_age: None, from_age: None });
        Ok(FeeTable {
            region: raw.region,
            region_name: raw.region_name,
            title: raw.title,
            effective_from,
            source: raw.source,
            cap: Ore::from_sek(raw.cap.kr),
            cap_months: raw.cap.months,
            exempt_below_age: exempt.below_age,
            exempt_from_age: exempt.from_age,
            fees,
        })
    }

    /// Whether a patient of `age` on the charge date pays no fee.
    pub fn exempt_at_age(&self, age: u32) -> bool {
        self.exempt_below_age.is_some_and(|b| age < b) || self.exempt_from_age.is_some_and(|f| age >= f)
    }

    /// The first fee of `kind` (in file order) matching the ISO code.
    pub fn fee_for(&self, kind: FeeKind, iso: &str) -> Option<&Fee> {
        self.fees.iter().find(|f| f.kind == kind && f.matches(iso))
    }
}

fn compile_fee(f: RawFee) -> Result<Fee, String> {
    if f.id.trim().is_empty() {
        return Err("a fee needs an id".into());
    }
    if f.kr < 0 {
        return Err(format!("fee {}: kr is at least 0", f.id));
    }
    match (f.kind, f.per) {
        (FeeKind::ShortTerm, None) => {
            return Err(format!("fee {}: a short-term fee says per = month or quarter", f.id))
        }
        (FeeKind::Yearly | FeeKind::OneOff, Some(_)) => {
            return Err(format!("fee {}: only a short-term fee has per", f.id));
        }
        _ => {}
    }
    if let Some(p) = f.iso.iter().find(|p| p.is_empty() || p.len() > 6 || !p.bytes().all(|b| b.is_ascii_digit())) {
        return Err(format!("fee {}: ISO prefix {p:?} is 1 to 6 digits", f.id));
    }
    Ok(Fee {
        id: f.id,
        kind: f.kind,
        per: f.per,
        amount: Ore::from_sek(f.kr),
        iso: f.iso,
        name_sv: f.name_sv,
        name_en: f.name_en,
    })
}

/// Every region's fee tables, each region's versions in date order.
#[derive(Debug, Clone, Default)]
pub struct FeeTables {
    tables: Vec<FeeTable>,
}

impl FeeTables {
    /// The tables compiled into the binary; they were checked by the tests.
    pub fn builtin() -> FeeTables {
        let tables = BUILTIN.iter().map(|(f, t)| FeeTable::parse(f, t).expect("built-in fee table")).collect();
        FeeTables::new(tables)
    }

    pub fn new(mut tables: Vec<FeeTable>) -> FeeTables {
        tables.sort_by(|a, b| (a.region.as_str(), a.effective_from).cmp(&(b.region.as_str(), b.effective_from)));
        FeeTables { tables }
    }

    /// The region's table in force on `day`: the latest effective on or before it.
    pub fn in_force(&self, region: &str, day: NaiveDate) -> Option<&FeeTable> {
        self.tables.iter().rev().find(|t| t.region == region && t.effective_from <= day)
    }

    pub fn tables(&self) -> &[FeeTable] {
        &self.tables
    }
}
