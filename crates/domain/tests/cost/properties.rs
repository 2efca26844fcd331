//! Properties over generated requests: every answer names a rule of the
//! agreement in force; the same input gives the same answer; a fact that
//! would change the answer is asked for, never guessed.

use crate::support::shipped;
use chrono::NaiveDate;
use proptest::prelude::*;
use ramp_domain::cost::{Answer, DecisionRequest, Kind, Need, Outcome, Patient, Product};
use ramp_domain::ids::IsoCode;
use ramp_domain::setting::Setting;
use ramp_domain::Term;
use std::collections::BTreeMap;

const ISO: &[&str] = &[
    "120606", "122306", "122203", "122218", "122409", "122430", "123603", "123621", "043303", "044818", "042718",
    "090303", "091806", "093006", "093303", "061206", "063018", "220606", "220303", "222103", "241303", "242103",
    "181210", "181803", "121203", "053306", "150903", "273003",
];

const FACTS: &[&str] = &[
    "special_adapted",
    "carer_controlled",
    "staff_operated",
    "frequently_stays_with_relatives",
    "accessory_to_prescribed_wheelchair",
    "bought_by_residence",
    "work_technical",
    "pharmaceutical_benefit",
    "diabetes_self_test",
    "region_cost_listed",
    "hearing",
    "vision",
    "orthopedic",
    "cosmetic",
    "qualified_mobility",
    "environmental_control",
];

fn request() -> impl Strategy<Value = DecisionRequest> {
    let patient = prop_oneof![
        (0u32..100).prop_map(Patient::Age),
        (1920i32..2025, 1u32..13, 1u32..29)
            .prop_map(|(y, m, d)| Patient::BirthDate(NaiveDate::from_ymd_opt(y, m, d).unwrap())),
    ];
    let facts = proptest::collection::btree_map(proptest::sample::select(FACTS), any::<bool>(), 0..5)
        .prop_map(|m| m.into_iter().map(|(k, v)| (k.to_string(), v)).collect::<BTreeMap<_, _>>());
    (
        proptest::sample::select(&["stockholm", "sormland"][..]),
        (2021i32..2027, 1u32..13, 1u32..29),
        patient,
        proptest::sample::select(Setting::ALL),
        proptest::sample::select(ISO),
        proptest::sample::select(Kind::ALL),
        facts,
        proptest::sample::select(Need::ALL),
    )
        .prop_map(|(region, (y, m, d), patient, setting, iso, kind, facts, need)| {
            let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            let patient = match patient {
                Patient::BirthDate(b) if b > date => Patient::Age(40),
                p => p,
            };
            let product = Product { iso: Some(IsoCode::parse(iso).unwrap()), kind, facts };
            DecisionRequest { region: region.into(), date, patient, setting, product, need }
        })
}

/// Facts the agreement in force reads off the ISO code are never "missing".
fn derived_from_iso(req: &DecisionRequest, name: &str) -> bool {
    let Some(agreement) = shipped().in_force(&req.region, req.date) else {
        return false;
    };
    agreement.facts().iter().any(|f| {
        f.name == name
            && (f.iso_only
                || f.iso.iter().any(|p| req.product.iso.as_ref().is_some_and(|c| c.as_str().starts_with(p.as_str()))))
    })
}

fn answer(o: &Outcome) -> Option<Answer> {
    o.decision().map(|d| Answer {
        payer: d.payer,
        channel: d.channel,
        trust_prescription_allowed: d.trust_prescription_allowed,
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn every_answer_names_a_rule_of_the_agreement_in_force_on_its_date(req in request()) {
        if let Ok(Outcome::Decision(d)) = shipped().decide(&req) {
            let agreement = shipped().in_force(&req.region, req.date).unwrap();
            prop_assert_eq!(&d.agreement.version, agreement.version());
            prop_assert!(agreement.rule(&d.rule).is_some(), "unknown rule {}", d.rule);
        }
    }

    #[test]
    fn the_same_input_always_gives_the_same_answer(req in request()) {
        let first = shipped().decide(&req);
        let again = shipped().decide(&DecisionRequest::from_json(&serde_json::to_string(&req).unwrap()).unwrap());
        prop_assert_eq!(first, again);
    }

    #[test]
    fn a_missing_fact_that_would_change_the_answer_always_yields_needs(req in request(), pick in 0usize..16) {
        let name = FACTS[pick].to_string();
        prop_assume!(!derived_from_iso(&req, &name));
        let with = |value: Option<bool>| {
            let mut r = req.clone();
            match value {
                Some(v) => r.product.facts.insert(name.clone(), v),
                None => r.product.facts.remove(&name),
            };
            shipped().decide(&r)
        };
        if let (Ok(yes), Ok(no), Ok(unknown)) = (with(Some(true)), with(Some(false)), with(None)) {
            if answer(&yes).is_some() && answer(&no).is_some() && answer(&yes) != answer(&no) {
                prop_assert!(unknown.needs().iter().any(|f| f.fact == name), "{} not asked: {:?}", name, unknown);
            }
            if let Some(a) = answer(&unknown) {
                // Answering without the fact means the answer holds either way.
                for known in [&yes, &no] {
                    if let Some(k) = answer(known) { prop_assert_eq!(a, k); }
                }
            }
        }
    }

    #[test]
    fn a_fact_the_request_answers_is_never_asked_for(req in request()) {
        if let Ok(Outcome::Needs(needs)) = shipped().decide(&req) {
            prop_assert!(!needs.is_empty());
            for f in needs {
                prop_assert!(!req.product.facts.contains_key(&f.fact), "asked again for {}", f.fact);
            }
        }
    }

    #[test]
    fn the_borrowed_outcome_serializes_exactly_like_the_owned_one(req in request()) {
        if let Ok(borrowed) = shipped().decide_ref(&req) {
            let owned = shipped().decide(&req).unwrap();
            prop_assert_eq!(serde_json::to_value(borrowed).unwrap(), serde_json::to_value(&owned).unwrap());
            let back: Outcome = serde_json::from_value(serde_json::to_value(&owned).unwrap()).unwrap();
            prop_assert_eq!(back, owned);
        }
    }
}

#[test]
fn the_decision_json_has_the_contracts_shape() {
    let req = crate::support::stockholm("saebo", "122306", "device")
        .fact("carer_controlled", true)
        .fact("special_adapted", false)
        .request();
    let json = serde_json::to_value(shipped().decide(&req).unwrap()).unwrap();
    let keys: Vec<&str> = json.as_object().unwrap().keys().map(|k| k.as_str()).collect();
    assert_eq!(keys.len(), 7, "{json}");
    assert_eq!(json["payer"], "municipality");
    assert_eq!(json["channel"], "municipal_procurement");
    assert_eq!(json["trust_prescription_allowed"], false);
    assert_eq!(json["agreement"], serde_json::json!({"region": "stockholm", "version": "2021-01-01"}));
    assert!(json["explanation"]["sv"].is_string() && json["source"].is_string());
}

#[test]
fn the_needs_json_has_the_contracts_shape() {
    let req = crate::support::stockholm("saebo", "122306", "device").fact("special_adapted", false).request();
    let json = serde_json::to_value(shipped().decide(&req).unwrap()).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"needs": [{"fact": "carer_controlled", "question": {
            "sv": "Är rullstolen försedd med vårdarstyrning?",
            "en": "Is the wheelchair fitted with carer control?"}}]})
    );
}
