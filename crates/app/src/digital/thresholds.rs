//! A patient's measurements, thresholds and alarm history (the patient's
//! digital view), and the prescriber setting a threshold. Both are reads
//! or writes of patient data: they go through `access.rs` (care
//! relationship, emergency access or HMC role; audited), with the patient
//! named by personal identity number in the body, never in a URL.

use crate::access::{authorize_patient_read, patient_to_read};
use crate::error::{AppError, Result};
use crate::App;
use ramp_domain::alarm::{default_thresholds, Threshold};
use ramp_domain::measurement::MeasurementKind;
use ramp_domain::role::Role;
use ramp_domain::Term;
use ramp_model::{AlarmRow, MeasurementRow, Patient, User};

/// How many measurements the view shows.
pub const VIEW_LIMIT: i64 = 200;

/// The limits in force for one value: the patient's own, else the default.
#[derive(Debug, Clone, PartialEq)]
pub struct LimitInForce {
    pub kind: MeasurementKind,
    pub value_name: &'static str,
    pub low: Option<f64>,
    pub high: Option<f64>,
    /// Set for this patient by a prescriber (else the clinical default).
    pub own: bool,
}

/// One patient's digital view.
#[derive(Debug, Clone)]
pub struct PatientMeasurements {
    pub patient: Patient,
    /// The digital devices lent to the patient now.
    pub devices: Vec<ramp_model::DigitalDevice>,
    /// Newest first, at most [`VIEW_LIMIT`].
    pub measurements: Vec<MeasurementRow>,
    pub limits: Vec<LimitInForce>,
    /// Newest first.
    pub alarms: Vec<AlarmRow>,
    /// Until when the user reads under emergency access, when that is the ground (the banner).
    pub emergency_until: Option<chrono::DateTime<chrono::Utc>>,
}

/// Opens a patient's measurements, limits and alarms.
pub async fn patient_measurements(
    app: &App,
    user: &User,
    personal_id: &str,
    request_id: Option<&str>,
) -> Result<PatientMeasurements> {
    let patient = patient_to_read(app, user, personal_id, "digital.measurements", request_id).await?;
    let access = authorize_patient_read(app, user, patient.id, "digital.measurements", request_id).await?;
    let emergency_until = crate::patients::emergency_until(app, user, patient.id, access).await?;
    let measurements = app.storage.patient_measurements(patient.id, VIEW_LIMIT).await?;
    let own = super::ingest::own_thresholds(&app.storage.thresholds(patient.id).await?);
    let alarms = app.storage.patient_alarms(patient.id).await?;
    let devices = app.storage.patient_digital_devices(patient.id, app.today()).await?;
    Ok(PatientMeasurements { patient, devices, measurements, limits: limits_in_force(&own), alarms, emergency_until })
}

/// Every value with a limit, own ones replacing defaults, by kind and value.
pub fn limits_in_force(own: &[Threshold]) -> Vec<LimitInForce> {
    let mut out = Vec::new();
    for kind in MeasurementKind::ALL {
        for spec in kind.values() {
            let mine = own.iter().find(|t| t.kind == *kind && t.value_name == spec.name);
            let default = default_thresholds().iter().find(|t| t.kind == *kind && t.value_name == spec.name);
            if let Some(t) = mine.or(default) {
                out.push(LimitInForce {
                    kind: *kind,
                    value_name: spec.name,
                    low: t.low,
                    high: t.high,
                    own: mine.is_some(),
                });
            }
        }
    }
    out
}

/// A threshold as typed: kind, value and limits (either may be empty;
/// both empty returns the value to its default).
#[derive(Debug, Clone)]
pub struct ThresholdInput<'a> {
    pub personal_id: &'a str,
    pub kind: &'a str,
    pub value: &'a str,
    pub low: Option<f64>,
    pub high: Option<f64>,
}

/// A prescriber sets the patient's own limits for one value.
pub async fn set_threshold(app: &App, user: &User, input: &ThresholdInput<'_>, request_id: Option<&str>) -> Result<()> {
    if !user.has_role(Role::Prescriber) {
        return Err(AppError::forbidden("prescriber_required", "only a prescriber sets a patient's thresholds"));
    }
    let kind = MeasurementKind::parse(input.kind)?;
    let spec = kind.value(input.value).ok_or_else(|| {
        let names: Vec<&str> = kind.values().iter().map(|s| s.name).collect();
        AppError::invalid("value", "unknown_value", format!("{} has the values {}", kind.as_str(), names.join(", ")))
    })?;
    for (field, x) in [("low", input.low), ("high", input.high)] {
        if let Some(x) = x {
            if !x.is_finite() || x < spec.min || x > spec.max {
                let msg = format!("{field} must lie within the physical limits {}–{}", spec.min, spec.max);
                return Err(AppError::invalid(field, "out_of_range", msg));
            }
        }
    }
    if let (Some(low), Some(high)) = (input.low, input.high) {
        if low >= high {
            return Err(AppError::invalid("high", "not_above_low", "high must be above low"));
        }
    }
    let patient = patient_to_read(app, user, input.personal_id, "digital.threshold", request_id).await?;
    authorize_patient_read(app, user, patient.id, "digital.threshold", request_id).await?;
    app.storage.set_threshold(patient.id, kind, spec.name, input.low, input.high, user.id, app.now()).await?;
    Ok(())
}
