//! The version in force on the decision date is used; older versions stay,
//! so an old decision is still explained by the rules it was made under.

use crate::support::{load_dir, stockholm, stockholm_2023, stockholm_text, TempDir};
use chrono::NaiveDate;
use ramp_domain::cost::{AgreementSet, Outcome};

fn two_stockholm_versions() -> (TempDir, AgreementSet) {
    let dir = TempDir::new("versions");
    dir.write("stockholm/2021-01-01.toml", stockholm_text());
    dir.write("stockholm/2023-01-01.toml", &stockholm_2023());
    let set = load_dir(&dir.0).unwrap();
    (dir, set)
}

fn decide(set: &AgreementSet, date: &'static str) -> (String, String) {
    let ask = stockholm("saebo", "120606", "device").on(date).fact("special_adapted", false);
    match set.decide(&ask.request()).unwrap() {
        Outcome::Decision(d) => (d.agreement.version, d.rule),
        Outcome::Needs(n) => panic!("needs {n:?}"),
    }
}

#[test]
fn the_version_in_force_on_the_decision_date_is_used() {
    let (_dir, set) = two_stockholm_versions();
    assert_eq!(decide(&set, "2024-05-01"), ("2023-01-01".into(), "housing.region_prescription".into()));
}

#[test]
fn an_old_decision_is_still_explained_by_the_version_it_was_made_under() {
    let (_dir, set) = two_stockholm_versions();
    assert_eq!(decide(&set, "2022-06-30"), ("2021-01-01".into(), "bilaga1.not_at_region_expense".into()));
}

#[test]
fn a_new_version_takes_effect_on_its_first_day() {
    let (_dir, set) = two_stockholm_versions();
    assert_eq!(decide(&set, "2022-12-31").0, "2021-01-01");
    assert_eq!(decide(&set, "2023-01-01").0, "2023-01-01");
}

#[test]
fn regions_list_every_version_oldest_first() {
    let (_dir, set) = two_stockholm_versions();
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    assert_eq!(set.regions()[0].versions, [day(2021, 1, 1), day(2023, 1, 1)]);
    assert_eq!(set.in_force("stockholm", day(2022, 1, 1)).unwrap().version(), "2021-01-01");
    assert!(set.in_force("stockholm", day(2020, 1, 1)).is_none());
}

#[test]
fn a_broken_new_version_leaves_the_loaded_set_unchanged() {
    // The caller keeps the set it has; from_files refuses the whole directory.
    let (dir, set) = two_stockholm_versions();
    dir.write("stockholm/2024-01-01.toml", "region = \"stockholm\"\nthis is not toml");
    assert!(load_dir(&dir.0).is_err());
    assert_eq!(decide(&set, "2024-05-01").0, "2023-01-01");
}
