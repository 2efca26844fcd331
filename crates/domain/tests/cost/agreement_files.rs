//! The agreement files: the shipped ones compile and agree with the
//! directory; a broken file is refused with file, line and column.

use crate::support::{load_dir, shipped, TempDir, MINI};
use chrono::NaiveDate;
use ramp_domain::cost::{Agreement, AgreementSet};
use std::path::PathBuf;

fn agreements_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../agreements")
}

fn refusal(text: &str) -> (usize, usize, String) {
    let e = Agreement::parse("agreements/testland/2022-01-01.toml", text).unwrap_err();
    assert_eq!(e.file, "agreements/testland/2022-01-01.toml");
    (e.line, e.column, e.message)
}

#[test]
fn the_shipped_agreements_always_compile() {
    let regions = AgreementSet::builtin().regions();
    let codes: Vec<&str> = regions.iter().map(|r| r.code.as_str()).collect();
    assert_eq!(codes, ["sormland", "stockholm", "vastra_gotaland"]);
}

#[test]
fn the_compiled_in_agreements_are_the_files_in_the_agreements_directory() {
    let from_disk = load_dir(&agreements_dir()).unwrap();
    assert_eq!(from_disk.regions(), shipped().regions());
    for (path, text) in AgreementSet::builtin_files() {
        let on_disk = std::fs::read_to_string(agreements_dir().join(path.trim_start_matches("agreements/"))).unwrap();
        assert_eq!(&on_disk, text, "{path} differs from the compiled-in copy");
    }
}

#[test]
fn every_shipped_rule_cites_its_source_and_explains_itself_in_both_languages() {
    for a in shipped().agreements() {
        for r in a.rules() {
            assert!(r.source.contains(": \u{201d}") && r.source.len() > 40, "{} has no quote", r.id);
            assert!(!r.explanation.sv.is_empty() && !r.explanation.en.is_empty(), "{}", r.id);
            assert!(["seed", "public", "interpretation", "reconstructed"].contains(&r.basis.as_str()));
        }
    }
}

#[test]
fn the_questions_are_the_facts_the_agreement_declares_in_swedish_and_english() {
    let q = shipped().questions("stockholm", NaiveDate::from_ymd_opt(2024, 5, 1).unwrap());
    let carer = q.iter().find(|f| f.name == "carer_controlled").unwrap();
    assert_eq!(carer.question.sv, "Är rullstolen försedd med vårdarstyrning?");
    assert!(!carer.question.en.is_empty());
}

#[test]
fn a_minimal_agreement_parses() {
    let a = Agreement::parse("agreements/testland/2022-01-01.toml", MINI).unwrap();
    assert_eq!((a.region(), a.version(), a.rules()[0].line), ("testland", "2022-01-01", 14));
}

#[test]
fn a_syntax_error_is_refused_with_file_line_and_column() {
    let broken = MINI.replace("priority = 1", "priority = = 1");
    let (line, column, _) = refusal(&broken);
    assert_eq!((line, column), (16, 12));
}

#[test]
fn an_unknown_setting_in_a_rule_is_refused_at_its_line_and_column() {
    let broken = MINI.replace("priority = 1\n", "priority = 1\nsettings = [\"saebo\", \"castle\"]\n");
    let (line, column, message) = refusal(&broken);
    assert_eq!((line, column), (17, 22));
    assert!(message.contains("castle"), "{message}");
}

#[test]
fn an_undeclared_fact_is_refused_at_the_line_of_its_rule() {
    let broken = MINI.replace("priority = 1\n", "priority = 1\nfacts = { sparkly = true }\n");
    let (line, _, message) = refusal(&broken);
    assert_eq!(line, 14);
    assert!(message.contains("sparkly"), "{message}");
}

#[test]
fn an_unknown_key_is_refused_so_typos_do_not_pass_silently() {
    let broken = MINI.replace("priority = 1\n", "priority = 1\nsetings = [\"saebo\"]\n");
    let (line, _, message) = refusal(&broken);
    assert_eq!(line, 17);
    assert!(message.contains("setings"), "{message}");
}

#[test]
fn a_malformed_iso_prefix_is_refused() {
    let broken = MINI.replace("priority = 1\n", "priority = 1\niso = [\"12 0\"]\n");
    assert_eq!(refusal(&broken).0, 17);
}

#[test]
fn an_effective_date_that_differs_from_the_file_name_is_refused() {
    let broken = MINI.replace("2022-01-01", "2022-02-01");
    let (line, _, message) = refusal(&broken);
    assert_eq!(line, 4);
    assert!(message.contains("file name"), "{message}");
}

#[test]
fn a_duplicate_rule_id_is_refused() {
    let rule = &MINI[MINI.find("[[rule]]").unwrap()..];
    let (line, _, message) = refusal(&format!("{MINI}\n{rule}"));
    assert_eq!(line, 27);
    assert!(message.contains("twice"), "{message}");
}

#[test]
fn an_error_displays_as_file_line_column_message() {
    let e = Agreement::parse("x/2022-01-01.toml", "region = ").unwrap_err();
    assert!(e.to_string().starts_with("x/2022-01-01.toml:1:"), "{e}");
}

#[test]
fn a_directory_with_one_broken_file_is_refused_as_a_whole() {
    let dir = TempDir::new("broken");
    dir.write("testland/2022-01-01.toml", MINI);
    dir.write(
        "testland/2023-01-01.toml",
        &MINI.replace("2022-01-01", "2023-01-01").replace("trust_prescription = true", "trust_prescription = maybe"),
    );
    let e = load_dir(&dir.0).unwrap_err();
    assert!(e.file.ends_with("testland/2023-01-01.toml"), "{e}");
    assert_eq!(e.line, 20);
}

#[test]
fn a_file_in_another_regions_directory_is_refused() {
    let dir = TempDir::new("wrong-region");
    dir.write("otherland/2022-01-01.toml", MINI);
    assert!(load_dir(&dir.0).unwrap_err().message.contains("otherland"));
}

#[test]
fn an_empty_list_is_refused_at_the_line_of_its_rule_since_it_would_match_nothing() {
    let broken = MINI.replace("priority = 1\n", "priority = 1\nkinds = []\n");
    let (line, _, message) = refusal(&broken);
    assert_eq!(line, 14);
    assert!(message.contains("empty"), "{message}");
}
