//! Bad input is named: every refusal says which field.

use crate::support::{shipped, sormland, stockholm};
use ramp_domain::cost::DecisionRequest;

fn field_of_parse_error(json: &str) -> String {
    DecisionRequest::from_json(json).unwrap_err().field
}

fn field_of_decide_error(json: &str) -> String {
    let req = DecisionRequest::from_json(json).unwrap();
    shipped().decide(&req).unwrap_err().field
}

fn with(from: &str, to: &str) -> String {
    let json = stockholm("saebo", "120606", "device").json();
    assert!(json.contains(from), "{json} lacks {from}");
    json.replacen(from, to, 1)
}

#[test]
fn malformed_json_is_refused_as_json() {
    assert_eq!(field_of_parse_error(r#"{"region": "stockholm""#), "json");
}

#[test]
fn an_unknown_region_names_the_region_field() {
    assert_eq!(field_of_decide_error(&with(r#""stockholm""#, r#""atlantis""#)), "region");
}

#[test]
fn an_unknown_setting_names_the_setting_field() {
    assert_eq!(field_of_parse_error(&with(r#""saebo""#, r#""castle""#)), "setting");
}

#[test]
fn an_unknown_kind_names_the_product_kind_field() {
    assert_eq!(field_of_parse_error(&with(r#""device""#, r#""gadget""#)), "product.kind");
}

#[test]
fn an_unknown_need_names_the_need_field() {
    assert_eq!(field_of_parse_error(&with(r#""lasting""#, r#""forever""#)), "need");
}

#[test]
fn an_unknown_fact_names_the_fact() {
    let json = stockholm("saebo", "120606", "device").fact("sparkly", true).json();
    assert_eq!(field_of_decide_error(&json), "product.facts.sparkly");
}

#[test]
fn a_fact_that_is_not_a_boolean_names_the_fact() {
    let json = with(r#""facts": {}"#, r#""facts": {"carer_controlled": "yes"}"#);
    assert_eq!(field_of_parse_error(&json), "product.facts.carer_controlled");
}

#[test]
fn a_fact_known_only_to_another_region_is_ignored_not_refused() {
    let ask = stockholm("saebo", "220606", "device").fact("qualified_mobility", true);
    assert_eq!(ask.decision().rule, "special.hearing");
}

#[test]
fn a_malformed_iso_code_names_the_product_iso_field() {
    assert_eq!(field_of_parse_error(&with(r#""120606""#, r#""12a606""#)), "product.iso");
    assert_eq!(field_of_parse_error(&with(r#""120606""#, r#""1206""#)), "product.iso");
}

#[test]
fn only_a_nutrition_product_may_leave_out_its_iso_code() {
    let device = DecisionRequest::from_json(&stockholm("saebo", "", "device").json()).unwrap_err();
    assert_eq!((device.field.as_str(), device.code), ("product.iso", "required"));
    assert!(device.message.contains("nutrition"), "{}", device.message);
    assert_eq!(stockholm("saebo", "", "nutrition").request().product.iso, None);
    let with_code = stockholm("saebo", "120606", "nutrition").request().product.iso;
    assert_eq!(with_code.map(|c| c.as_str().to_string()).as_deref(), Some("120606"));
}

#[test]
fn a_nutrition_product_without_a_code_outside_the_agreements_kinds_names_the_kind() {
    // Sörmland's agreement covers devices and accessories only.
    let req = DecisionRequest::from_json(&sormland("").kind("nutrition").json()).unwrap();
    assert_eq!(shipped().decide(&req).unwrap_err().field, "product.kind");
}

#[test]
fn a_malformed_date_names_the_date_field() {
    assert_eq!(field_of_parse_error(&with(r#""2024-05-01""#, r#""2024-13-01""#)), "date");
}

#[test]
fn a_date_before_any_agreement_names_the_date_field() {
    assert_eq!(field_of_decide_error(&with(r#""2024-05-01""#, r#""2019-05-01""#)), "date");
}

#[test]
fn a_patient_without_age_or_birth_date_names_the_patient_field() {
    assert_eq!(field_of_parse_error(&with(r#"{"age": 85}"#, "{}")), "patient");
}

#[test]
fn an_impossible_age_names_the_patient_age_field() {
    assert_eq!(field_of_parse_error(&with(r#"{"age": 85}"#, r#"{"age": -3}"#)), "patient.age");
}

#[test]
fn a_birth_date_after_the_decision_date_is_refused() {
    let json = with(r#"{"age": 85}"#, r#"{"birth_date": "2030-01-01"}"#);
    assert_eq!(field_of_parse_error(&json), "patient.birth_date");
}

#[test]
fn an_unknown_top_level_field_is_named() {
    assert_eq!(field_of_parse_error(&with(r#""need""#, r#""nede""#)), "nede");
}

#[test]
fn a_missing_field_is_named() {
    let json = with(r#", "need": "lasting""#, "");
    assert_eq!(field_of_parse_error(&json), "need");
}

#[test]
fn the_age_is_computed_from_the_birth_date_on_the_decision_date() {
    // 17 on the decision date: the under-18 rule applies; 18 the day after the birthday.
    let young = stockholm("saebo", "120606", "device").on("2024-05-01").born("2006-05-02");
    assert_eq!(young.decision().rule, "special.under_18");
    let adult = stockholm("saebo", "120606", "device").on("2024-05-02").born("2006-05-02");
    assert_eq!(adult.fact("special_adapted", false).decision().rule, "bilaga1.not_at_region_expense");
}

#[test]
fn a_request_round_trips_through_serde() {
    let req = stockholm("saebo", "122306", "device").fact("carer_controlled", true).request();
    let json = serde_json::to_string(&req).unwrap();
    let back: DecisionRequest = serde_json::from_str(&json).unwrap();
    assert_eq!(back, req);
}
