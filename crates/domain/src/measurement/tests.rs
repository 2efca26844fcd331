//! Table tests of report validation: each row is a body and the field the
//! refusal must name (or none when it is accepted).

use super::*;
use chrono::TimeZone;
use serde_json::json;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap()
}

const ID: &str = "0b6f3c3e-5d0a-4c8e-9a43-2f1f7c7d9e01";

fn parse(body: serde_json::Value) -> Result<Measurement, FieldError> {
    Measurement::parse_json(body.to_string().as_bytes(), now())
}

#[test]
fn each_kind_with_its_values_is_accepted() {
    let ok = [
        ("blood_pressure", json!({"systolic": 128, "diastolic": 82, "pulse": 64})),
        ("weight", json!({"kg": 71.4})),
        ("spo2", json!({"percent": 96, "pulse": 70})),
        ("glucose", json!({"mmol_per_l": 6.2})),
        ("temperature", json!({"celsius": 37.1})),
        ("dose", json!({"taken": 0})),
        ("dose", json!({"taken": 1})),
    ];
    for (kind, values) in ok {
        let m = parse(json!({"id": ID, "kind": kind, "at": "2026-11-23T08:30:00Z", "values": values}))
            .unwrap_or_else(|e| panic!("{kind}: {e}"));
        assert_eq!(m.kind.as_str(), kind);
        assert_eq!(m.values.len(), m.kind.values().len());
    }
}

#[test]
fn a_bad_report_is_refused_naming_the_field() {
    let at = "2026-11-23T08:30:00Z";
    let bp = json!({"systolic": 128, "diastolic": 82, "pulse": 64});
    let rows = [
        (json!({"kind": "weight", "at": at, "values": {"kg": 70}}), "id", "required"),
        (json!({"id": "not-a-uuid", "kind": "weight", "at": at, "values": {"kg": 70}}), "id", "invalid_id"),
        (json!({"id": ID, "kind": "spirometry", "at": at, "values": {}}), "kind", "invalid_kind"),
        (json!({"id": ID, "at": at, "values": bp}), "kind", "required"),
        (json!({"id": ID, "kind": "blood_pressure", "values": bp}), "at", "required"),
        (json!({"id": ID, "kind": "blood_pressure", "at": "yesterday", "values": bp}), "at", "invalid_time"),
        (json!({"id": ID, "kind": "blood_pressure", "at": "2026-11-23T09:10:01Z", "values": bp}), "at", "in_future"),
        (json!({"id": ID, "kind": "blood_pressure", "at": at}), "values", "required"),
        (json!({"id": ID, "kind": "blood_pressure", "at": at, "values": [1, 2]}), "values", "invalid_values"),
        (
            json!({"id": ID, "kind": "blood_pressure", "at": at, "values": {"systolic": 400, "diastolic": 82, "pulse": 64}}),
            "values.systolic",
            "out_of_range",
        ),
        (
            json!({"id": ID, "kind": "blood_pressure", "at": at, "values": {"systolic": 120, "pulse": 64}}),
            "values.diastolic",
            "required",
        ),
        (
            json!({"id": ID, "kind": "blood_pressure", "at": at, "values": {"systolic": "120", "diastolic": 80, "pulse": 64}}),
            "values.systolic",
            "not_a_number",
        ),
        (
            json!({"id": ID, "kind": "weight", "at": at, "values": {"kg": 70, "lbs": 154}}),
            "values.lbs",
            "unknown_value",
        ),
        (json!({"id": ID, "kind": "dose", "at": at, "values": {"taken": 0.5}}), "values.taken", "out_of_range"),
        (
            json!({"id": ID, "kind": "spo2", "at": at, "values": {"percent": 101, "pulse": 70}}),
            "values.percent",
            "out_of_range",
        ),
    ];
    for (body, field, code) in rows {
        let e = parse(body.clone()).expect_err(&body.to_string());
        assert_eq!((e.field.as_str(), e.code), (field, code), "{body}: {e}");
    }
}

#[test]
fn a_time_up_to_ten_minutes_ahead_is_accepted_as_clocks_drift() {
    let body = json!({"id": ID, "kind": "weight", "at": "2026-11-23T10:10:00+01:00", "values": {"kg": 70}});
    assert_eq!(parse(body).unwrap().at, now() + MAX_FUTURE);
}

#[test]
fn the_id_is_kept_in_lower_case_so_a_retry_in_upper_case_is_the_same_report() {
    let body = json!({"id": ID.to_uppercase(), "kind": "weight", "at": "2026-11-23T08:00:00Z", "values": {"kg": 70}});
    assert_eq!(parse(body).unwrap().client_id, ID);
}

#[test]
fn a_payload_that_is_no_json_object_is_refused_under_body() {
    let e = Measurement::parse_json(b"systolic=120", now()).unwrap_err();
    assert_eq!(e.field, "body");
}
