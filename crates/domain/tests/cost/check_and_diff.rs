//! `check` finds gaps and conflicts with their lines; `diff` lists the cases
//! whose answer changes between two versions.

use crate::support::{shipped, stockholm_2023, stockholm_text, MINI};
use ramp_domain::cost::{check, diff, Agreement, FindingKind, Payer, Verdict};
use ramp_domain::Term;

#[test]
fn the_shipped_agreements_have_no_gaps_no_conflicts_and_no_unreachable_rules() {
    for a in shipped().agreements() {
        let findings = check(a);
        assert!(
            findings.is_empty(),
            "{}:\n{}",
            a.file(),
            findings.iter().map(|f| f.to_string() + "\n").collect::<String>()
        );
    }
}

/// A fixture with a scope of SÄBO devices, one rule for class 12 only, and
/// two equal-priority rules that disagree about lifts.
const BROKEN: &str = include_str!("../fixtures/testland-broken.toml");

fn broken() -> Agreement {
    Agreement::parse("agreements/testland/2022-01-01.toml", BROKEN).unwrap()
}

#[test]
fn a_class_the_scope_covers_but_no_rule_answers_is_a_gap_at_the_scope_line() {
    let findings = check(&broken());
    let gap = findings.iter().find(|f| f.kind == FindingKind::Gap).expect("a gap");
    assert_eq!((gap.file.as_str(), gap.line), ("agreements/testland/2022-01-01.toml", 6));
    let gapped: Vec<&str> = findings.iter().filter_map(|f| f.case.as_ref()).map(|c| c.iso.as_str()).collect();
    // "12 99 99" stands for every class-12 code outside 12 06 and 12 36.
    assert_eq!(gapped, ["129999"]);
}

#[test]
fn two_rules_of_equal_priority_that_disagree_are_a_conflict_at_the_second_rules_line() {
    let findings = check(&broken());
    let conflicts: Vec<_> = findings.iter().filter(|f| f.kind == FindingKind::Conflict).collect();
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    assert_eq!(conflicts[0].line, 40);
    assert!(conflicts[0].message.contains("lifts_region") && conflicts[0].message.contains("line 27"));
}

#[test]
fn rules_of_different_priority_do_not_conflict() {
    let fixed = BROKEN.replacen(
        "priority = 10\nbasis = \"seed\"\niso = [\"12 36 03\"]",
        "priority = 11\nbasis = \"seed\"\niso = [\"12 36 03\"]",
        1,
    );
    let a = Agreement::parse("agreements/testland/2022-01-01.toml", &fixed).unwrap();
    assert!(check(&a).iter().all(|f| f.kind != FindingKind::Conflict));
}

#[test]
fn a_catch_all_rule_leaves_no_gap() {
    let a = Agreement::parse("agreements/testland/2022-01-01.toml", MINI).unwrap();
    assert!(check(&a).is_empty());
}

/// MINI plus a rule of lower priority than its catch-all (`never`, line 26),
/// and a fact that follows from ISO 06 30 with a rule (`cosmetic`) that a
/// rule of the same priority for all of class 06, earlier in the file,
/// shadows there.
fn shadowing() -> Agreement {
    let text = MINI.to_string()
        + r#"
[[rule]]
id = "never"
priority = 0
basis = "seed"
facts = { carer_controlled = true }
payer = "municipality"
channel = "municipal_procurement"
trust_prescription = false
explanation_sv = "Aldrig."
explanation_en = "Never."
source = "doc"
quote = "Aldrig."

[[fact]]
name = "cosmetic"
sv = "Är det ett kosmetiskt hjälpmedel?"
en = "Is it a cosmetic aid?"
iso = ["06 30"]
iso_only = true

[[rule]]
id = "orthopedic"
priority = 5
basis = "seed"
iso = ["06"]
payer = "region"
channel = "region_prescription"
trust_prescription = true
explanation_sv = "Ortopedteknik."
explanation_en = "Orthopaedics."
source = "doc"
quote = "Ortopedteknik."

[[rule]]
id = "cosmetic"
priority = 5
basis = "seed"
facts = { cosmetic = true }
payer = "region"
channel = "region_prescription"
trust_prescription = true
explanation_sv = "Kosmetiskt."
explanation_en = "Cosmetic."
source = "doc"
quote = "Kosmetiskt."
"#;
    Agreement::parse("agreements/testland/2022-01-01.toml", &text).unwrap()
}

#[test]
fn a_rule_that_rules_before_it_always_answer_first_is_reported_unreachable_at_its_line() {
    let findings = check(&shadowing());
    let unreachable: Vec<_> = findings.iter().filter(|f| f.kind == FindingKind::Unreachable).collect();
    let never = unreachable.iter().find(|f| f.message.contains("'never'")).expect("the rule below the catch-all");
    assert_eq!(never.line, 26);
    assert!(never.message.contains("can never decide any case") && never.message.contains("'everything'"), "{never}");
}

#[test]
fn a_rule_shadowed_only_for_the_codes_its_fact_follows_from_is_reported_for_those_codes() {
    let findings = check(&shadowing());
    let cosmetic: Vec<_> = findings.iter().filter(|f| f.message.contains("'cosmetic'")).collect();
    assert_eq!(cosmetic.len(), 1, "{findings:?}");
    assert_eq!(cosmetic[0].kind, FindingKind::Unreachable);
    assert!(cosmetic[0].message.contains("never decides ISO 06 30") && cosmetic[0].message.contains("'orthopedic'"));
    assert!(
        findings.iter().all(|f| !f.message.contains("'orthopedic'") || f.message.contains("'cosmetic'")),
        "the orthopaedic rule itself is reachable: {findings:?}"
    );
}

#[test]
fn diff_lists_exactly_the_cases_whose_answer_changes() {
    let old = Agreement::parse("agreements/stockholm/2021-01-01.toml", stockholm_text()).unwrap();
    let new = Agreement::parse("agreements/stockholm/2023-01-01.toml", &stockholm_2023()).unwrap();
    let changes = diff(&old, &new);
    assert!(!changes.is_empty());
    for c in &changes {
        assert!(c.case.iso.starts_with("1206"), "unexpected change {c}");
        assert!(matches!(c.case.setting.as_str(), "saebo" | "lss_housing"), "{c}");
        let payer = |v: &Verdict| match v {
            Verdict::Decided { answer, .. } => Some(answer.payer),
            _ => None,
        };
        assert_eq!((payer(&c.before), payer(&c.after)), (Some(Payer::Municipality), Some(Payer::Region)), "{c}");
    }
}

#[test]
fn diff_of_a_version_with_itself_is_empty() {
    let a = Agreement::parse("agreements/stockholm/2021-01-01.toml", stockholm_text()).unwrap();
    assert!(diff(&a, &a).is_empty());
}
