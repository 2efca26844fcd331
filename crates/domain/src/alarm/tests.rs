//! Which measurements alarm, as a table.

use super::*;
use chrono::TimeZone;
use std::collections::BTreeMap;

fn m(kind: MeasurementKind, values: &[(&str, f64)]) -> Measurement {
    Measurement {
        client_id: "0b6f3c3e-5d0a-4c8e-9a43-2f1f7c7d9e01".into(),
        kind,
        at: Utc.with_ymd_and_hms(2026, 11, 23, 8, 0, 0).unwrap(),
        values: values.iter().map(|(k, v)| (k.to_string(), *v)).collect::<BTreeMap<_, _>>(),
    }
}

fn bp(sys: f64, dia: f64, pulse: f64) -> Measurement {
    m(MeasurementKind::BloodPressure, &[("systolic", sys), ("diastolic", dia), ("pulse", pulse)])
}

#[test]
fn a_dangerous_value_alarms_by_the_clinical_default_before_any_threshold_is_set() {
    let rows = [
        (bp(128.0, 82.0, 64.0), None),
        (bp(180.0, 82.0, 64.0), Some("systolic 180 ≥ 180")),
        (bp(150.0, 112.0, 64.0), Some("diastolic 112 ≥ 110")),
        (bp(190.0, 115.0, 64.0), Some("systolic 190 ≥ 180; diastolic 115 ≥ 110")),
        (m(MeasurementKind::Spo2, &[("percent", 88.0), ("pulse", 80.0)]), Some("percent 88 ≤ 90")),
        (m(MeasurementKind::Glucose, &[("mmol_per_l", 2.8)]), Some("mmol_per_l 2.8 ≤ 3")),
        (m(MeasurementKind::Temperature, &[("celsius", 37.2)]), None),
        (m(MeasurementKind::Weight, &[("kg", 150.0)]), None),
    ];
    for (measurement, detail) in rows {
        let got = cause(&measurement, &[]);
        assert_eq!(got.as_ref().map(|c| c.detail.as_str()), detail, "{measurement:?}");
        if let Some(c) = got {
            assert_eq!(c.reason, AlarmReason::Threshold);
        }
    }
}

#[test]
fn the_patients_own_threshold_replaces_the_default_for_that_value_only() {
    let own =
        [Threshold { kind: MeasurementKind::BloodPressure, value_name: "systolic", low: None, high: Some(150.0) }];
    assert_eq!(cause(&bp(155.0, 80.0, 60.0), &own).unwrap().detail, "systolic 155 ≥ 150");
    let lenient =
        [Threshold { kind: MeasurementKind::BloodPressure, value_name: "systolic", low: None, high: Some(200.0) }];
    assert_eq!(cause(&bp(185.0, 80.0, 60.0), &lenient), None);
    assert_eq!(cause(&bp(185.0, 115.0, 60.0), &lenient).unwrap().detail, "diastolic 115 ≥ 110");
    let weight = [Threshold { kind: MeasurementKind::Weight, value_name: "kg", low: Some(50.0), high: None }];
    assert_eq!(cause(&m(MeasurementKind::Weight, &[("kg", 49.5)]), &weight).unwrap().detail, "kg 49.5 ≤ 50");
}

#[test]
fn a_missed_dose_alarms_and_a_taken_one_does_not() {
    assert_eq!(cause(&m(MeasurementKind::Dose, &[("taken", 0.0)]), &[]).unwrap().reason, AlarmReason::MissedDose);
    assert_eq!(cause(&m(MeasurementKind::Dose, &[("taken", 1.0)]), &[]), None);
}

#[test]
fn an_alarm_is_due_for_escalation_once_the_configured_time_has_passed() {
    let raised = Utc.with_ymd_and_hms(2026, 11, 23, 8, 0, 0).unwrap();
    let after = Duration::minutes(30);
    assert!(!escalation_due(raised, raised + Duration::minutes(29), after));
    assert!(escalation_due(raised, raised + after, after));
}

#[test]
fn a_dispenser_is_silent_after_more_than_a_day_and_a_monitor_after_more_than_a_week() {
    use crate::alarm::{expected_interval, is_silent, silent_detail};
    let last = chrono::Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
    let dose = MeasurementKind::Dose;
    assert!(!is_silent(dose, last, last + Duration::hours(24)), "exactly the interval is not silent");
    assert!(is_silent(dose, last, last + Duration::hours(24) + Duration::seconds(1)));
    assert!(!is_silent(MeasurementKind::BloodPressure, last, last + Duration::days(7)));
    assert!(is_silent(MeasurementKind::BloodPressure, last, last + Duration::days(8)));
    assert_eq!(expected_interval(MeasurementKind::Spo2), Duration::days(3));
    assert_eq!(silent_detail(dose), "silent 24 h");
}
