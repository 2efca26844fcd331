//! Reading an agreement file: TOML into raw structs that keep their spans,
//! so every refusal names file, line and column. `compile.rs` turns the raw
//! structs into rules.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use toml::Spanned;

/// Why an agreement file was refused, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgreementError {
    pub file: String,
    /// 1-based.
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    pub message: String,
}

impl AgreementError {
    /// An error at a byte offset of `text`.
    pub(crate) fn at(file: &str, text: &str, offset: usize, message: impl Into<String>) -> Self {
        let (line, column) = line_column(text, offset);
        AgreementError { file: file.to_string(), line, column, message: message.into() }
    }
}

impl fmt::Display for AgreementError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: {}", self.file, self.line, self.column, self.message)
    }
}

impl std::error::Error for AgreementError {}

/// 1-based line and character column of a byte offset.
pub(crate) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// A string with the byte range it was read from.
pub(crate) type SpannedStr = Spanned<String>;

/// The file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawAgreement {
    pub region: SpannedStr,
    pub region_name: String,
    pub title: String,
    pub effective_from: Spanned<toml::Value>,
    pub scope: Option<Spanned<RawScope>>,
    #[serde(default)]
    pub sources: BTreeMap<String, String>,
    #[serde(default)]
    pub fact: Vec<Spanned<RawFact>>,
    #[serde(default)]
    pub rule: Vec<Spanned<RawRule>>,
    #[serde(default)]
    pub lost_device: Vec<Spanned<RawLostDevice>>,
}

/// `[[lost_device]]`: what a lost device costs the care provider (seed 004,
/// "Debiterbart värde"), for the units it names.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawLostDevice {
    pub id: String,
    #[serde(default)]
    pub pilot: bool,
    #[serde(default)]
    pub unit_kinds: Vec<Spanned<String>>,
    pub main_device_minimum_percent: Spanned<i64>,
    pub accessory_percent: Spanned<i64>,
    pub minimum_charge_kr: Spanned<i64>,
    pub only_in_assortment: bool,
    pub basis: String,
    pub source: SpannedStr,
    pub quote: String,
}

/// `[scope]`: what the agreement covers.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawScope {
    pub settings: Option<Vec<SpannedStr>>,
    pub kinds: Option<Vec<SpannedStr>>,
    pub iso: Option<Vec<SpannedStr>>,
}

/// `[[fact]]`: a fact the rules use and its question.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawFact {
    pub name: SpannedStr,
    pub sv: String,
    pub en: String,
    #[serde(default)]
    pub iso: Vec<SpannedStr>,
    #[serde(default)]
    pub iso_only: bool,
}

/// `[[rule]]`: when it matches and what it yields.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRule {
    pub id: SpannedStr,
    pub priority: i32,
    pub basis: SpannedStr,
    pub settings: Option<Vec<SpannedStr>>,
    pub kinds: Option<Vec<SpannedStr>>,
    pub needs: Option<Vec<SpannedStr>>,
    pub iso: Option<Vec<SpannedStr>>,
    pub age: Option<Spanned<RawAge>>,
    #[serde(default)]
    pub facts: BTreeMap<String, bool>,
    pub payer: SpannedStr,
    pub channel: SpannedStr,
    pub trust_prescription: bool,
    pub explanation_sv: String,
    pub explanation_en: String,
    pub source: SpannedStr,
    pub quote: String,
}

/// `age = { below = 18 }` and the like: exactly one key.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawAge {
    pub below: Option<u8>,
    pub at_least: Option<u8>,
    pub until_calendar_year_turns: Option<u8>,
    pub after_calendar_year_turns: Option<u8>,
}

/// Parses the TOML; syntax and shape errors carry the parser's span.
pub(crate) fn parse_raw(file: &str, text: &str) -> Result<RawAgreement, AgreementError> {
    toml::from_str(text).map_err(|e| {
        let offset = e.span().map_or(0, |r: Range<usize>| r.start);
        AgreementError::at(file, text, offset, e.message().trim().to_string())
    })
}
