//! Table tests of the fee rules, each amount computed by hand in the comment
//! next to it. The test table ("testland") has round figures: cap 1 000 kr
//! per 12 months, no fee under 20 or from 85, short-term wheelchair 150 kr
//! per started month, other short-term 300 kr per started quarter, hearing
//! aid 500 kr a year, orthopaedic 400 kr once.

use super::*;
use crate::money::Ore;
use chrono::NaiveDate;

const TESTLAND: &str = r#"
region = "testland"
region_name = "Region Testland"
title = "Egenavgifter"
effective_from = 2025-01-01
source = "test"
[cap]
kr = 1000
months = 12
[exempt]
below_age = 20
from_age = 85
[[fee]]
id = "korttid-manad"
kind = "short_term"
per = "month"
kr = 150
iso = ["1222"]
name_sv = "Korttid rullstol"
name_en = "Short-term wheelchair"
[[fee]]
id = "korttid-kvartal"
kind = "short_term"
per = "quarter"
kr = 300
iso = []
name_sv = "Korttid"
name_en = "Short-term"
[[fee]]
id = "ar-horsel"
kind = "yearly"
kr = 500
iso = ["2206"]
name_sv = "Årsavgift hörapparat"
name_en = "Yearly hearing aid"
[[fee]]
id = "engang-orto"
kind = "one_off"
kr = 400
iso = ["0612"]
name_sv = "Engångsavgift ortopedi"
name_en = "One-off orthopaedic"
"#;

pub(super) fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

pub(super) fn tables() -> FeeTables {
    FeeTables::new(vec![FeeTable::parse("fees/testland/2025-01-01.toml", TESTLAND).unwrap()])
}

pub(super) fn line(id: i64, iso: &str, delivered: &str, end: Option<&str>, returned: Option<&str>) -> FeePrescription {
    FeePrescription {
        line_id: id,
        article_name: format!("artikel {id}"),
        iso_code: iso.into(),
        delivered_on: d(delivered),
        short_term_end: end.map(d),
        returned_on: returned.map(d),
    }
}

/// (due date, amount in kr, outcome) of each charge.
fn run(born: &str, lines: &[FeePrescription], through: &str) -> (Vec<(String, i64, FeeOutcome)>, FeeComputation) {
    let c = compute_fees(&tables(), "testland", d(born), lines, d(through));
    let rows = c.charges.iter().map(|c| (c.due_on.to_string(), c.amount.0 / 100, c.outcome)).collect();
    (rows, c)
}

use FeeOutcome::*;

#[test]
fn a_short_term_wheelchair_costs_its_fee_per_started_month_until_the_end_date() {
    // Delivered 15 Jan, ends 10 Apr: months starting 15 Jan, 15 Feb, 15 Mar; 15 Apr is after the end.
    let (rows, c) = run("1960-05-01", &[line(1, "122203", "2026-01-15", Some("2026-04-10"), None)], "2026-12-31");
    assert_eq!(
        rows,
        vec![
            ("2026-01-15".into(), 150, Charged),
            ("2026-02-15".into(), 150, Charged),
            ("2026-03-15".into(), 150, Charged)
        ]
    );
    assert_eq!(c.charges[0].source_key, "fee:line:1:korttid-manad:2026-01-15");
}

#[test]
fn a_quarterly_short_term_fee_recurs_every_three_months_clamped_to_the_month_end() {
    // 31 Jan + 3 months = 30 Apr (clamped), + 6 months = 31 Jul; ends 31 Jul: 3 × 300 = 900 kr.
    let (rows, _) = run("1960-05-01", &[line(1, "120606", "2026-01-31", Some("2026-07-31"), None)], "2026-12-31");
    let dates: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(dates, ["2026-01-31", "2026-04-30", "2026-07-31"]);
    assert_eq!(rows.iter().map(|r| r.1).sum::<i64>(), 900);
}

#[test]
fn the_fee_that_reaches_the_cap_is_charged_up_to_it_and_a_free_card_follows_until_the_period_ends() {
    // 1 Feb hearing aid 500 (paid 500), 1 Mar orthopaedic 400 (900), 1 Apr short-term 300 → 100 (cap
    // 1 000 reached), 1 Jul short-term → free card. Period 2026-02-01..2027-01-31; the hearing aid's
    // anniversary 1 Feb 2027 opens a new period and costs the full 500.
    let lines = [
        line(1, "220612", "2026-02-01", None, None),
        line(2, "061203", "2026-03-01", None, None),
        line(3, "120606", "2026-04-01", Some("2026-09-30"), None),
    ];
    let (rows, c) = run("1950-01-01", &lines, "2027-03-01");
    assert_eq!(
        rows,
        vec![
            ("2026-02-01".into(), 500, Charged),
            ("2026-03-01".into(), 400, Charged),
            ("2026-04-01".into(), 100, CapReached),
            ("2026-07-01".into(), 0, FreeCard),
            ("2027-02-01".into(), 500, Charged)
        ]
    );
    let period = c.cap_period.unwrap();
    assert_eq!(
        (period.from, period.to, period.paid, period.free_card_from),
        (d("2027-02-01"), d("2028-01-31"), Ore(50_000), None)
    );
}

#[test]
fn the_cap_counts_twelve_months_from_the_first_fee_not_the_calendar_year() {
    // Monthly 150 from 10 Sep 2026: Sep–Jan = 5 × 150 = 750; 20 Jan one-off 400 → 250 reaches 1 000;
    // 10 Feb is free. A calendar-year cap would have started again on 1 Jan.
    let lines =
        [line(1, "122203", "2026-09-10", Some("2027-03-09"), None), line(2, "061203", "2027-01-20", None, None)];
    let (rows, c) = run("1950-01-01", &lines, "2027-03-31");
    let amounts: Vec<(i64, FeeOutcome)> = rows.iter().map(|r| (r.1, r.2)).collect();
    assert_eq!(
        amounts,
        vec![
            (150, Charged),
            (150, Charged),
            (150, Charged),
            (150, Charged),
            (150, Charged),
            (250, CapReached),
            (0, FreeCard)
        ]
    );
    let period = c.cap_period.unwrap();
    assert_eq!(
        (period.from, period.to, period.free_card_from),
        (d("2026-09-10"), d("2027-09-09"), Some(d("2027-01-20")))
    );
}

#[test]
fn a_patient_under_twenty_on_the_due_date_pays_nothing_and_the_cap_period_starts_at_the_first_paid_fee() {
    // Born 15 Mar 2006: 19 on 20 Jan and 20 Feb (exempt), 20 on 20 Mar and 20 Apr (150 each).
    let (rows, c) = run("2006-03-15", &[line(1, "122203", "2026-01-20", Some("2026-05-19"), None)], "2026-04-30");
    assert_eq!(
        rows,
        vec![
            ("2026-01-20".into(), 0, ExemptAge),
            ("2026-02-20".into(), 0, ExemptAge),
            ("2026-03-20".into(), 150, Charged),
            ("2026-04-20".into(), 150, Charged)
        ]
    );
    assert_eq!(c.cap_period.unwrap().from, d("2026-03-20"));
}

#[test]
fn a_patient_who_turns_85_pays_nothing_from_that_day() {
    // Born 10 Feb 1941: 84 on 20 Jan (150), 85 on 20 Feb and 20 Mar (exempt).
    let (rows, _) = run("1941-02-10", &[line(1, "122203", "2026-01-20", Some("2026-03-31"), None)], "2026-12-31");
    assert_eq!(
        rows,
        vec![
            ("2026-01-20".into(), 150, Charged),
            ("2026-02-20".into(), 0, ExemptAge),
            ("2026-03-20".into(), 0, ExemptAge)
        ]
    );
}

#[test]
fn nothing_falls_due_on_or_after_the_day_the_device_came_back() {
    // Returned 15 Mar: the month starting 15 Mar is not charged; a yearly fee stops too.
    let lines = [
        line(1, "122203", "2026-01-15", Some("2026-06-30"), Some("2026-03-15")),
        line(2, "220612", "2026-01-15", None, Some("2027-01-15")),
    ];
    let (rows, _) = run("1950-01-01", &lines, "2027-12-31");
    assert_eq!(
        rows,
        vec![
            ("2026-01-15".into(), 150, Charged),
            ("2026-01-15".into(), 500, Charged),
            ("2026-02-15".into(), 150, Charged)
        ]
    );
}

#[test]
fn fees_after_the_statement_day_are_not_yet_due() {
    let (rows, c) = run("1950-01-01", &[line(1, "220612", "2026-01-15", None, None)], "2026-06-30");
    assert_eq!(rows, vec![("2026-01-15".into(), 500, Charged)]);
    assert_eq!(c.cap_period.unwrap().paid, Ore(50_000));
}

#[test]
fn an_article_no_fee_matches_costs_nothing() {
    let (rows, c) = run("1950-01-01", &[line(1, "120606", "2026-01-15", None, None)], "2026-06-30");
    assert!(rows.is_empty());
    assert_eq!(c.cap_period, None);
}

#[test]
fn the_table_in_force_on_the_due_date_prices_the_fee() {
    let newer = TESTLAND.replace("2025-01-01", "2026-03-01").replace("kr = 150", "kr = 200");
    let tables = FeeTables::new(vec![
        FeeTable::parse("fees/testland/2025-01-01.toml", TESTLAND).unwrap(),
        FeeTable::parse("fees/testland/2026-03-01.toml", &newer).unwrap(),
    ]);
    let lines = [line(1, "122203", "2026-01-15", Some("2026-03-31"), None)];
    let c = compute_fees(&tables, "testland", d("1950-01-01"), &lines, d("2026-12-31"));
    // 15 Jan and 15 Feb under the 2025 table (150), 15 Mar under the 2026 one (200).
    let got: Vec<(i64, &str)> = c.charges.iter().map(|c| (c.amount.0 / 100, c.table.as_str())).collect();
    assert_eq!(got, vec![(150, "testland 2025-01-01"), (150, "testland 2025-01-01"), (200, "testland 2026-03-01")]);
}

#[test]
fn a_fee_table_named_after_another_region_or_date_is_refused() {
    let e = FeeTable::parse("fees/testland/2025-02-01.toml", TESTLAND).unwrap_err();
    assert!(e.message.contains("testland/2025-01-01.toml"), "{e}");
}

#[test]
fn a_short_term_fee_without_its_period_is_refused() {
    let broken = TESTLAND.replacen("per = \"month\"\n", "", 1);
    let e = FeeTable::parse("fees/testland/2025-01-01.toml", &broken).unwrap_err();
    assert!(e.message.contains("korttid-manad") && e.message.contains("per"), "{e}");
}

#[test]
fn a_fee_id_used_twice_or_an_unknown_key_is_refused() {
    let twice = TESTLAND.replace("id = \"engang-orto\"", "id = \"ar-horsel\"");
    assert!(FeeTable::parse("fees/testland/2025-01-01.toml", &twice).unwrap_err().message.contains("twice"));
    let unknown = TESTLAND.replace("months = 12", "months = 12\nyears = 1");
    assert!(FeeTable::parse("fees/testland/2025-01-01.toml", &unknown).unwrap_err().message.contains("years"));
}

#[test]
fn the_built_in_stockholm_table_has_a_cap_and_the_age_exemptions() {
    let tables = FeeTables::builtin();
    let t = tables.in_force("stockholm", d("2026-06-01")).unwrap();
    assert_eq!((t.cap, t.cap_months), (Ore::from_sek(1400), 12));
    assert!(t.exempt_at_age(19) && !t.exempt_at_age(20) && !t.exempt_at_age(84) && t.exempt_at_age(85));
    assert!(tables.in_force("stockholm", d("2025-12-31")).is_none());
}
