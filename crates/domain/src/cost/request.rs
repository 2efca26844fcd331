//! The decision input, as JSON. Parsing is by hand over `serde_json::Value`
//! so that every refusal names its field (`product.facts.foo`, `patient.age`).

use super::model::{Kind, Need};
use crate::ids::IsoCode;
use crate::setting::Setting;
use crate::FieldError;
use crate::Term;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// One question to the engine: who pays for this product, for this patient,
/// in this setting, on this date?
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Value")]
pub struct DecisionRequest {
    pub region: String,
    pub date: NaiveDate,
    pub patient: Patient,
    pub setting: Setting,
    pub product: Product,
    pub need: Need,
}

/// The patient's age, given directly or as a birth date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Patient {
    Age(u32),
    BirthDate(NaiveDate),
}

/// The product: ISO 9999 code (six digits), kind and the facts known about it.
/// A fact left out (or `null`) is unknown; the engine asks for it if it matters.
/// Only a nutrition product may come without an ISO code: nutrition is not
/// an assistive product in ISO 9999, and the agreements decide it by setting
/// alone (issue 22).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Product {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iso: Option<IsoCode>,
    pub kind: Kind,
    #[serde(default)]
    pub facts: BTreeMap<String, bool>,
}

impl Patient {
    /// Whole years on `date`.
    pub fn age_on(self, date: NaiveDate) -> u32 {
        match self {
            Patient::Age(a) => a,
            Patient::BirthDate(b) => date.years_since(b).unwrap_or(0),
        }
    }
}

impl DecisionRequest {
    /// Parses the JSON object of the decision contract.
    pub fn from_json(s: &str) -> Result<DecisionRequest, FieldError> {
        let value: Value = serde_json::from_str(s).map_err(|e| {
            FieldError::new(
                "json",
                "malformed_json",
                format!("not valid JSON (line {}, column {}): {e}", e.line(), e.column()),
            )
        })?;
        DecisionRequest::try_from(value)
    }
}

impl TryFrom<Value> for DecisionRequest {
    type Error = FieldError;
    fn try_from(value: Value) -> Result<Self, FieldError> {
        let root = object(&value, "")?;
        only_keys(root, "", &["region", "date", "patient", "setting", "product", "need"])?;
        let date = date(required(root, "", "date")?, "date")?;
        Ok(DecisionRequest {
            region: string(required(root, "", "region")?, "region")?.to_string(),
            patient: patient(required(root, "", "patient")?, date)?,
            date,
            setting: Setting::parse(string(required(root, "", "setting")?, "setting")?)?,
            product: product(required(root, "", "product")?)?,
            need: Need::parse(string(required(root, "", "need")?, "need")?)?,
        })
    }
}

fn patient(v: &Value, on: NaiveDate) -> Result<Patient, FieldError> {
    let o = object(v, "patient")?;
    only_keys(o, "patient", &["age", "birth_date"])?;
    match (o.get("age").filter(|v| !v.is_null()), o.get("birth_date").filter(|v| !v.is_null())) {
        (Some(_), Some(_)) => Err(FieldError::new("patient", "ambiguous", "give either age or birth_date, not both")),
        (Some(a), None) => {
            let age = a.as_u64().filter(|a| *a <= 130);
            age.map(|a| Patient::Age(a as u32)).ok_or_else(|| {
                FieldError::new("patient.age", "invalid_age", "age must be a whole number of years, 0 to 130")
            })
        }
        (None, Some(b)) => {
            let birth = date(b, "patient.birth_date")?;
            if birth > on {
                return Err(FieldError::new(
                    "patient.birth_date",
                    "after_date",
                    "the birth date is after the decision date",
                ));
            }
            Ok(Patient::BirthDate(birth))
        }
        (None, None) => Err(FieldError::new("patient", "required", "give the patient's age or birth_date")),
    }
}

fn product(v: &Value) -> Result<Product, FieldError> {
    let o = object(v, "product")?;
    only_keys(o, "product", &["iso", "kind", "facts"])?;
    let kind = Kind::parse(string(required(o, "product", "kind")?, "product.kind")?)?;
    let iso = match o.get("iso").filter(|v| !v.is_null()) {
        None if kind == Kind::Nutrition => None,
        None => {
            let msg = "a decision needs the full six-digit ISO 9999 code (only a nutrition product may leave it out)";
            return Err(FieldError::new("product.iso", "required", msg));
        }
        Some(v) => Some(iso_code(string(v, "product.iso")?)?),
    };
    let facts = match o.get("facts") {
        None | Some(Value::Null) => BTreeMap::new(),
        Some(f) => facts(f)?,
    };
    Ok(Product { iso, kind, facts })
}

fn iso_code(text: &str) -> Result<IsoCode, FieldError> {
    let iso = IsoCode::parse(text).map_err(|e| e.at("product.iso"))?;
    if iso.as_str().len() != 6 {
        return Err(FieldError::new(
            "product.iso",
            "invalid_iso_code",
            "a decision needs the full six-digit ISO 9999 code",
        ));
    }
    Ok(iso)
}

fn facts(v: &Value) -> Result<BTreeMap<String, bool>, FieldError> {
    let mut out = BTreeMap::new();
    for (name, value) in object(v, "product.facts")? {
        match value {
            Value::Bool(b) => {
                out.insert(name.clone(), *b);
            }
            Value::Null => {}
            _ => {
                let field = format!("product.facts.{name}");
                return Err(FieldError::new(field, "invalid_fact", "a fact is true, false or null (unknown)"));
            }
        }
    }
    Ok(out)
}

fn object<'a>(v: &'a Value, field: &str) -> Result<&'a Map<String, Value>, FieldError> {
    v.as_object().ok_or_else(|| {
        let name = if field.is_empty() { "json" } else { field };
        FieldError::new(name, "invalid_type", "expected a JSON object")
    })
}

fn only_keys(o: &Map<String, Value>, parent: &str, allowed: &[&str]) -> Result<(), FieldError> {
    match o.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(k) => Err(FieldError::new(path(parent, k), "unknown_field", format!("unknown field '{k}'"))),
        None => Ok(()),
    }
}

fn required<'a>(o: &'a Map<String, Value>, parent: &str, key: &str) -> Result<&'a Value, FieldError> {
    o.get(key)
        .filter(|v| !v.is_null())
        .ok_or_else(|| FieldError::new(path(parent, key), "required", format!("'{key}' is required")))
}

fn string<'a>(v: &'a Value, field: &str) -> Result<&'a str, FieldError> {
    v.as_str().ok_or_else(|| FieldError::new(field, "invalid_type", "expected a string"))
}

fn date(v: &Value, field: &str) -> Result<NaiveDate, FieldError> {
    let date = string(v, field)
        .ok()
        .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
        .ok_or_else(|| FieldError::new(field, "invalid_date", "expected a date such as 2024-05-01"))?;
    crate::time::check_plausible(field, date)
}

fn path(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_string()
    } else {
        format!("{parent}.{key}")
    }
}
