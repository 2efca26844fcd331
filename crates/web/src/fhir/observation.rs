//! Measurements as FHIR R5 `Observation`s: LOINC codes for the kinds and
//! values, UCUM units, the reporting device and the patient. A missed or
//! taken dose has no LOINC code that says it: it carries Ramp's own code
//! (`urn:ramp:measurement`) and a boolean.

use super::resources::{instant, patient_ref};
use ramp_app::model::{Id, MeasurementRow};
use ramp_domain::measurement::MeasurementKind;
use serde_json::{json, Map, Value};

const LOINC: &str = "http://loinc.org";
const UCUM: &str = "http://unitsofmeasure.org";
const CATEGORY: &str = "http://terminology.hl7.org/CodeSystem/observation-category";

/// LOINC code and display of a measurement kind as a whole.
fn kind_code(kind: MeasurementKind) -> Option<(&'static str, &'static str)> {
    match kind {
        MeasurementKind::BloodPressure => Some(("85354-9", "Blood pressure panel with all children optional")),
        MeasurementKind::Weight => Some(("29463-7", "Body weight")),
        MeasurementKind::Spo2 => Some(("59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry")),
        MeasurementKind::Glucose => Some(("15074-8", "Glucose [Moles/volume] in Blood")),
        MeasurementKind::Temperature => Some(("8310-5", "Body temperature")),
        MeasurementKind::Dose => None,
    }
}

/// LOINC code, display and UCUM unit of one value of a kind.
fn value_code(kind: MeasurementKind, name: &str) -> Option<(&'static str, &'static str, &'static str)> {
    Some(match (kind, name) {
        (MeasurementKind::BloodPressure, "systolic") => ("8480-6", "Systolic blood pressure", "mm[Hg]"),
        (MeasurementKind::BloodPressure, "diastolic") => ("8462-4", "Diastolic blood pressure", "mm[Hg]"),
        (_, "pulse") => ("8867-4", "Heart rate", "/min"),
        (MeasurementKind::Weight, "kg") => ("29463-7", "Body weight", "kg"),
        (MeasurementKind::Spo2, "percent") => ("59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry", "%"),
        (MeasurementKind::Glucose, "mmol_per_l") => ("15074-8", "Glucose [Moles/volume] in Blood", "mmol/L"),
        (MeasurementKind::Temperature, "celsius") => ("8310-5", "Body temperature", "Cel"),
        _ => return None,
    })
}

fn category(kind: MeasurementKind) -> &'static str {
    match kind {
        MeasurementKind::Glucose => "laboratory",
        MeasurementKind::Dose => "therapy",
        _ => "vital-signs",
    }
}

fn quantity(value: f64, unit: &str) -> Value {
    json!({"value": value, "unit": unit, "system": UCUM, "code": unit})
}

fn coding(code: &str, display: &str) -> Value {
    json!({"coding": [{"system": LOINC, "code": code, "display": display}], "text": display})
}

/// The kind's main value: the one a single-value kind reports, or
/// SpO₂'s percentage; a blood pressure has only components.
fn main_value(kind: MeasurementKind) -> Option<&'static str> {
    match kind {
        MeasurementKind::BloodPressure | MeasurementKind::Dose => None,
        MeasurementKind::Spo2 => Some("percent"),
        other => other.values().first().map(|v| v.name),
    }
}

pub fn observation(patient_id: Id, m: &MeasurementRow) -> Value {
    let values: Map<String, Value> = serde_json::from_str(&m.values_json).unwrap_or_default();
    let number = |name: &str| values.get(name).and_then(Value::as_f64);
    let code = match kind_code(m.kind) {
        Some((c, d)) => coding(c, d),
        None => {
            json!({"coding": [{"system": "urn:ramp:measurement", "code": "dose", "display": "Medication dose taken"}],
                      "text": "Medication dose taken"})
        }
    };
    let mut v = json!({
        "resourceType": "Observation",
        "id": m.id.to_string(),
        "identifier": [{"system": "urn:ramp:measurement-id", "value": m.client_id}],
        "status": "final",
        "category": [{"coding": [{"system": CATEGORY, "code": category(m.kind)}]}],
        "code": code,
        "subject": patient_ref(patient_id),
        "effectiveDateTime": instant(m.measured_at),
        "issued": instant(m.received_at),
        "device": {"reference": format!("Device/{}", m.device_number)},
    });
    let main = main_value(m.kind);
    if m.kind == MeasurementKind::Dose {
        v["valueBoolean"] = json!(number("taken") == Some(1.0));
    } else if let (Some(name), Some((_, _, unit))) = (main, main.and_then(|n| value_code(m.kind, n))) {
        if let Some(x) = number(name) {
            v["valueQuantity"] = quantity(x, unit);
        }
    }
    let components: Vec<Value> = m
        .kind
        .values()
        .iter()
        .filter(|spec| Some(spec.name) != main && m.kind != MeasurementKind::Dose)
        .filter_map(|spec| {
            let (c, d, unit) = value_code(m.kind, spec.name)?;
            Some(json!({"code": coding(c, d), "valueQuantity": quantity(number(spec.name)?, unit)}))
        })
        .collect();
    if !components.is_empty() {
        v["component"] = json!(components);
    }
    v
}
