//! When a measurement raises an alarm (issue 21): a value beyond the
//! patient's own limit for it, or beyond the clinical default when the
//! prescriber has set none, or a missed dose. Also the alarm's states and
//! when an unacknowledged alarm is escalated. Pure: the caller passes the
//! thresholds and the time.

use crate::measurement::{Measurement, MeasurementKind};
use crate::Term;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use strum::{IntoStaticStr, VariantArray};

/// Limits for one value of one kind: alarm at or below `low`, at or above `high`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Threshold {
    pub kind: MeasurementKind,
    pub value_name: &'static str,
    pub low: Option<f64>,
    pub high: Option<f64>,
}

/// Clinical defaults that alarm before anyone has set a threshold: values
/// that need a call the same day whoever the patient is (hypertensive
/// crisis from 180/110, hypoxaemia at 90 %, hypoglycaemia at 3.0 mmol/l,
/// fever at 39.5 °C). Weight has none: only a change is telling, and that
/// is the prescriber's call.
pub fn default_thresholds() -> &'static [Threshold] {
    use MeasurementKind::*;
    const fn t(kind: MeasurementKind, value_name: &'static str, low: Option<f64>, high: Option<f64>) -> Threshold {
        Threshold { kind, value_name, low, high }
    }
    const DEFAULTS: &[Threshold] = &[
        t(BloodPressure, "systolic", Some(85.0), Some(180.0)),
        t(BloodPressure, "diastolic", None, Some(110.0)),
        t(BloodPressure, "pulse", Some(40.0), Some(130.0)),
        t(Spo2, "percent", Some(90.0), None),
        t(Spo2, "pulse", Some(40.0), Some(130.0)),
        t(Glucose, "mmol_per_l", Some(3.0), Some(20.0)),
        t(Temperature, "celsius", Some(35.0), Some(39.5)),
    ];
    DEFAULTS
}

/// Why an alarm was raised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[derive(IntoStaticStr, VariantArray)]
#[strum(serialize_all = "snake_case")]
pub enum AlarmReason {
    Threshold,
    MissedDose,
    /// The device has not reported for longer than its expected interval.
    Silent,
}

impl Term for AlarmReason {
    const FIELD: &'static str = "reason";
    const CODE: &'static str = "invalid_reason";
}

/// Where an alarm is in its handling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[derive(IntoStaticStr, VariantArray)]
#[strum(serialize_all = "snake_case")]
pub enum AlarmState {
    /// Raised; nobody has acknowledged it yet.
    Open,
    /// Somebody took it on, with a note.
    Acknowledged,
    /// Handled.
    Closed,
}

impl Term for AlarmState {
    const FIELD: &'static str = "state";
    const CODE: &'static str = "invalid_state";
}

impl AlarmState {
    pub fn name_sv(self) -> &'static str {
        match self {
            AlarmState::Open => "Ej kvitterat",
            AlarmState::Acknowledged => "Kvitterat",
            AlarmState::Closed => "Avslutat",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            AlarmState::Open => "Not acknowledged",
            AlarmState::Acknowledged => "Acknowledged",
            AlarmState::Closed => "Closed",
        }
    }
}

/// What a measurement breached, enough to raise one alarm.
#[derive(Debug, Clone, PartialEq)]
pub struct Cause {
    pub reason: AlarmReason,
    /// Every breach, e.g. `systolic 185 ≥ 180`, joined by `; `.
    pub detail: String,
}

/// The alarm `m` raises, if any. The patient's own limit for a value
/// replaces the default for that value (`own`: the patient's thresholds);
/// a missed dose always alarms.
pub fn cause(m: &Measurement, own: &[Threshold]) -> Option<Cause> {
    if m.kind == MeasurementKind::Dose {
        return (m.get("taken") == Some(0.0))
            .then(|| Cause { reason: AlarmReason::MissedDose, detail: "taken 0".into() });
    }
    let mut breaches = Vec::new();
    for spec in m.kind.values() {
        let Some(x) = m.get(spec.name) else { continue };
        let limit = own.iter().chain(default_thresholds()).find(|t| t.kind == m.kind && t.value_name == spec.name);
        let Some(limit) = limit else { continue };
        if let Some(high) = limit.high.filter(|h| x >= *h) {
            breaches.push(format!("{} {x} ≥ {high}", spec.name));
        } else if let Some(low) = limit.low.filter(|l| x <= *l) {
            breaches.push(format!("{} {x} ≤ {low}", spec.name));
        }
    }
    (!breaches.is_empty()).then(|| Cause { reason: AlarmReason::Threshold, detail: breaches.join("; ") })
}

/// How long a device reporting `kind` may stay quiet before it raises a
/// silent-device alarm. A medication dispenser reports every dose, so a
/// day without a report means doses nobody knows about; a blood-pressure
/// monitor or a scale is used a few times a week, so a week without a
/// report is when the unit should call; pulse oximeters, glucose meters
/// and thermometers are lent for close follow-up (several times a day),
/// so three days. The kind stands for the device model: every model in
/// the demo's digital area reports exactly one kind.
pub fn expected_interval(kind: MeasurementKind) -> Duration {
    match kind {
        MeasurementKind::Dose => Duration::hours(24),
        MeasurementKind::BloodPressure | MeasurementKind::Weight => Duration::days(7),
        MeasurementKind::Spo2 | MeasurementKind::Glucose | MeasurementKind::Temperature => Duration::days(3),
    }
}

/// The stored detail of a silent-device alarm: the interval in hours
/// (`silent 24 h`); the UI words it.
pub fn silent_detail(kind: MeasurementKind) -> String {
    silent_detail_hours(expected_interval(kind).num_hours())
}

/// [`silent_detail`] for an interval of `hours` (a model's own).
pub fn silent_detail_hours(hours: i64) -> String {
    format!("silent {hours} h")
}

/// The range of a device model's own expected reporting interval, in
/// whole hours (an administrator sets it; without it the kind's
/// [`expected_interval`] applies): an hour to 90 days.
pub const MODEL_INTERVAL_HOURS: std::ops::RangeInclusive<i64> = 1..=2160;

/// Is a device whose last report arrived at `last_report` silent at `now`?
/// Strictly longer than the interval: a dispenser reporting once a day on
/// the dot is not silent.
pub fn is_silent(kind: MeasurementKind, last_report: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now - last_report > expected_interval(kind)
}

/// Is an alarm raised at `raised_at` and still open at `now` due for
/// escalation after `after`?
pub fn escalation_due(raised_at: DateTime<Utc>, now: DateTime<Utc>, after: Duration) -> bool {
    now - raised_at >= after
}

#[cfg(test)]
mod tests;
