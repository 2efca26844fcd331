//! Measurements from digital assistive devices (issue 21, M10): the kinds a
//! device may report, the values each kind carries with their physical
//! limits, and the validation of one report as it arrives over HTTP or
//! MQTT. A report is accepted whole or refused with the one field that is
//! wrong (`kind`, `at`, `values.systolic`, ...), so a device learns what to
//! fix and nothing half-valid is stored.
//!
//! Physical limits are what a body or a device can produce, not what is
//! healthy: a systolic pressure of 400 mmHg is a broken cuff, 185 mmHg is a
//! patient to call (see [`crate::alarm`] for the latter).

use crate::{FieldError, Term};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use strum::{IntoStaticStr, VariantArray};

/// What a device measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[derive(IntoStaticStr, VariantArray)]
#[strum(serialize_all = "snake_case")]
pub enum MeasurementKind {
    /// Blood-pressure monitor: `systolic`, `diastolic` (mmHg), `pulse` (/min).
    BloodPressure,
    /// Scale: `kg`.
    Weight,
    /// Pulse oximeter: `percent` (oxygen saturation), `pulse` (/min).
    Spo2,
    /// Glucose meter: `mmol_per_l`.
    Glucose,
    /// Thermometer: `celsius`.
    Temperature,
    /// Medication dispenser: `taken`, 1 when the dose was taken, 0 when missed.
    Dose,
}

impl Term for MeasurementKind {
    const FIELD: &'static str = "kind";
    const CODE: &'static str = "invalid_kind";
    const NOUN: &'static str = "kind";
}

/// One value a kind carries and the range a real measurement can have.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ValueSpec {
    pub name: &'static str,
    /// The unit shown beside the number.
    pub unit: &'static str,
    pub min: f64,
    pub max: f64,
    /// Whether only whole numbers make sense (a dose is taken or not).
    pub whole: bool,
}

const fn spec(name: &'static str, unit: &'static str, min: f64, max: f64) -> ValueSpec {
    ValueSpec { name, unit, min, max, whole: false }
}

impl MeasurementKind {
    /// The values a report of this kind must carry, all of them, in display order.
    pub fn values(self) -> &'static [ValueSpec] {
        const BLOOD_PRESSURE: &[ValueSpec] = &[
            spec("systolic", "mmHg", 40.0, 300.0),
            spec("diastolic", "mmHg", 20.0, 200.0),
            spec("pulse", "/min", 20.0, 250.0),
        ];
        const WEIGHT: &[ValueSpec] = &[spec("kg", "kg", 0.5, 400.0)];
        const SPO2: &[ValueSpec] = &[spec("percent", "%", 50.0, 100.0), spec("pulse", "/min", 20.0, 250.0)];
        const GLUCOSE: &[ValueSpec] = &[spec("mmol_per_l", "mmol/l", 0.5, 50.0)];
        const TEMPERATURE: &[ValueSpec] = &[spec("celsius", "°C", 25.0, 45.0)];
        const DOSE: &[ValueSpec] = &[ValueSpec { name: "taken", unit: "", min: 0.0, max: 1.0, whole: true }];
        match self {
            MeasurementKind::BloodPressure => BLOOD_PRESSURE,
            MeasurementKind::Weight => WEIGHT,
            MeasurementKind::Spo2 => SPO2,
            MeasurementKind::Glucose => GLUCOSE,
            MeasurementKind::Temperature => TEMPERATURE,
            MeasurementKind::Dose => DOSE,
        }
    }

    /// The spec of the value `name`, if this kind carries it.
    pub fn value(self, name: &str) -> Option<&'static ValueSpec> {
        self.values().iter().find(|v| v.name == name)
    }

    pub fn name_sv(self) -> &'static str {
        match self {
            MeasurementKind::BloodPressure => "Blodtryck",
            MeasurementKind::Weight => "Vikt",
            MeasurementKind::Spo2 => "Syremättnad",
            MeasurementKind::Glucose => "Blodsocker",
            MeasurementKind::Temperature => "Temperatur",
            MeasurementKind::Dose => "Läkemedelsdos",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            MeasurementKind::BloodPressure => "Blood pressure",
            MeasurementKind::Weight => "Weight",
            MeasurementKind::Spo2 => "Oxygen saturation",
            MeasurementKind::Glucose => "Blood glucose",
            MeasurementKind::Temperature => "Temperature",
            MeasurementKind::Dose => "Medication dose",
        }
    }
}

/// How far ahead of the receiver's clock a device's time may be.
pub const MAX_FUTURE: Duration = Duration::minutes(10);

/// A report as it arrives, before validation: the JSON body of
/// `POST /api/v1/digital/measurements` and of an MQTT message.
#[derive(Debug, Clone, Deserialize)]
pub struct RawMeasurement {
    pub id: Option<serde_json::Value>,
    pub kind: Option<serde_json::Value>,
    pub at: Option<serde_json::Value>,
    pub values: Option<serde_json::Value>,
}

/// A validated measurement.
#[derive(Debug, Clone, PartialEq)]
pub struct Measurement {
    /// The device's own id of this report (a UUID, lower case).
    pub client_id: String,
    pub kind: MeasurementKind,
    pub at: DateTime<Utc>,
    /// Every value of the kind, by name.
    pub values: BTreeMap<String, f64>,
}

impl Measurement {
    /// The value `name` (present for every name of the kind).
    pub fn get(&self, name: &str) -> Option<f64> {
        self.values.get(name).copied()
    }

    /// Validates a report received at `now`: a UUID `id`, a known `kind`,
    /// an RFC 3339 `at` no more than [`MAX_FUTURE`] ahead, and exactly the
    /// kind's values, each a number within its physical limits.
    pub fn parse(raw: &RawMeasurement, now: DateTime<Utc>) -> Result<Measurement, FieldError> {
        let client_id = parse_id(raw.id.as_ref())?;
        let kind = match raw.kind.as_ref() {
            Some(serde_json::Value::String(s)) => MeasurementKind::parse(s)?,
            Some(_) => return Err(FieldError::new("kind", "invalid_kind", "kind must be a string")),
            None => return Err(missing("kind")),
        };
        let at = parse_at(raw.at.as_ref(), now)?;
        let values = parse_values(kind, raw.values.as_ref())?;
        Ok(Measurement { client_id, kind, at, values })
    }

    /// [`Measurement::parse`] of a JSON document (an MQTT payload): a
    /// document that is no JSON object is refused under `body`.
    pub fn parse_json(bytes: &[u8], now: DateTime<Utc>) -> Result<Measurement, FieldError> {
        let raw: RawMeasurement = serde_json::from_slice(bytes)
            .map_err(|e| FieldError::new("body", "invalid_json", format!("not a JSON object: {e}")))?;
        Measurement::parse(&raw, now)
    }

    /// The values as a JSON object (what is stored).
    pub fn values_json(&self) -> String {
        serde_json::to_string(&self.values).expect("numbers serialize")
    }
}

fn missing(field: &str) -> FieldError {
    FieldError::new(field, "required", format!("{field} is required"))
}

fn parse_id(v: Option<&serde_json::Value>) -> Result<String, FieldError> {
    let s = match v {
        Some(serde_json::Value::String(s)) => s,
        Some(_) => return Err(FieldError::new("id", "invalid_id", "id must be a UUID string")),
        None => return Err(missing("id")),
    };
    if is_uuid(s) {
        Ok(s.to_ascii_lowercase())
    } else {
        Err(FieldError::new("id", "invalid_id", "id must be a UUID (8-4-4-4-12 hexadecimal digits)"))
    }
}

/// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, hexadecimal, any version.
fn is_uuid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    let lengths = [8, 4, 4, 4, 12];
    groups.len() == 5
        && groups.iter().zip(lengths).all(|(g, n)| g.len() == n && g.chars().all(|c| c.is_ascii_hexdigit()))
}

fn parse_at(v: Option<&serde_json::Value>, now: DateTime<Utc>) -> Result<DateTime<Utc>, FieldError> {
    let s = match v {
        Some(serde_json::Value::String(s)) => s,
        Some(_) => return Err(FieldError::new("at", "invalid_time", "at must be an RFC 3339 string")),
        None => return Err(missing("at")),
    };
    let at = DateTime::parse_from_rfc3339(s)
        .map_err(|_| FieldError::new("at", "invalid_time", "at must be an RFC 3339 time, e.g. 2026-11-23T09:00:00Z"))?
        .with_timezone(&Utc);
    if at > now + MAX_FUTURE {
        return Err(FieldError::new("at", "in_future", "at is more than 10 minutes ahead of the receiver's clock"));
    }
    Ok(at)
}

fn parse_values(kind: MeasurementKind, v: Option<&serde_json::Value>) -> Result<BTreeMap<String, f64>, FieldError> {
    let map = match v {
        Some(serde_json::Value::Object(m)) => m,
        Some(_) => return Err(FieldError::new("values", "invalid_values", "values must be an object of numbers")),
        None => return Err(missing("values")),
    };
    if let Some(unknown) = map.keys().find(|k| kind.value(k).is_none()) {
        let names: Vec<&str> = kind.values().iter().map(|s| s.name).collect();
        let message = format!("{} has no value '{unknown}' (expected: {})", kind.as_str(), names.join(", "));
        return Err(FieldError::new(format!("values.{unknown}"), "unknown_value", message));
    }
    let mut out = BTreeMap::new();
    for spec in kind.values() {
        let field = format!("values.{}", spec.name);
        let x = match map.get(spec.name) {
            Some(serde_json::Value::Number(n)) => n.as_f64().unwrap_or(f64::NAN),
            Some(_) => return Err(FieldError::new(field, "not_a_number", format!("{} must be a number", spec.name))),
            None => return Err(FieldError::new(field, "required", format!("{} is required", spec.name))),
        };
        if !(spec.min..=spec.max).contains(&x) || (spec.whole && x.fract() != 0.0) {
            let message = format!("{} = {x} is outside the physical limits {}–{}", spec.name, spec.min, spec.max);
            return Err(FieldError::new(field, "out_of_range", message));
        }
        out.insert(spec.name.to_string(), x);
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
