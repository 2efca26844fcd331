use super::*;
use crate::cost::Payer;
use crate::figures::UtcSlot;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn group(area: Agreement, class: LeadTimeClass, day: NaiveDate, lines: i64, on_time: i64) -> DeliveryGroup {
    DeliveryGroup {
        payer: Payer::Region,
        class,
        area,
        principal: "1480".into(),
        slot: UtcSlot::new(day, 9),
        lines,
        promised_from_day: on_time,
        promised_after_day: on_time,
        device_lines: lines,
        reconditioned: on_time,
    }
}

#[test]
fn a_tertial_is_four_stockholm_months_and_the_default_is_the_last_complete_one() {
    // Seed 003: "Försörjningsförvaltningen har tagit fram två rapporter för tertiär 2 2024."
    let t2 = Tertial::parse(Some("2024"), Some("2"), d(2026, 11, 23)).unwrap();
    assert_eq!(t2.range().months().first().map(ToString::to_string), Some("2024-05".into()));
    assert_eq!(t2.range().to.to_string(), "2024-08");
    assert_eq!(t2.label_sv(), "T2 2024 (maj–aug)");
    assert_eq!(Tertial::parse(None, None, d(2026, 11, 23)).unwrap(), Tertial::new(2026, 2).unwrap());
    assert_eq!(Tertial::parse(None, None, d(2026, 2, 1)).unwrap(), Tertial::new(2025, 3).unwrap());
    assert_eq!(Tertial::new(2026, 1).unwrap().prev(), Tertial::new(2025, 3).unwrap());
}

#[test]
fn a_bad_year_or_tertial_is_named() {
    let today = d(2026, 11, 23);
    assert_eq!(Tertial::parse(Some("20x6"), Some("1"), today).unwrap_err().field, "year");
    assert_eq!(Tertial::parse(Some("2026"), Some("4"), today).unwrap_err().field, "tertial");
    assert_eq!(Tertial::parse(Some("2026"), Some("T1"), today).unwrap_err().code, "invalid_tertial");
}

#[test]
fn quality_adds_up_the_four_months_per_agreement_area_and_compares_targets_exactly() {
    // Seed 003: "Leveranssäkerhet på 4 ledtidsdagar, överstiger målet på 98 %" — targets compared as fractions.
    let range = Tertial::new(2026, 2).unwrap().range();
    let groups = [
        group(Agreement::Cooperation, LeadTimeClass::Stock7, d(2026, 5, 4), 60, 59),
        group(Agreement::Cooperation, LeadTimeClass::Stock7, d(2026, 8, 4), 40, 39),
        group(Agreement::Cooperation, LeadTimeClass::Stock7, d(2026, 9, 4), 1000, 0), // T3: not counted
        group(Agreement::Overenskommelsen, LeadTimeClass::Acute, d(2026, 6, 4), 20_000, 19_999),
        group(Agreement::Digital, LeadTimeClass::Stock7, d(2026, 6, 4), 7, 7),
    ];
    let q = area_quality(&range, &groups);
    let coop = &q[0];
    assert_eq!((coop.agreement, coop.delivered), (Agreement::Cooperation, 100));
    assert_eq!(coop.reliability[0].share, Share { part: 98, whole: 100 });
    assert_eq!(coop.reliability[0].meets_target(), Some(true));
    assert_eq!(coop.reliability[2].meets_target(), None);
    let region = &q[1];
    let acute = region.reliability.iter().find(|r| r.class == LeadTimeClass::Acute).unwrap();
    assert_eq!(acute.share.percent().map(Percent::hundredths), Some(10_000));
    assert_eq!(acute.meets_target(), Some(false));
    let digital = &q[2];
    assert_eq!((digital.agreement, digital.delivered), (Agreement::Digital, 7));
    assert_eq!(digital.reliability.len(), 1, "no seed rows for digital devices: only the class delivered");
    assert_eq!(reuse_share(&range, &groups), Share { part: 98 + 19_999 + 7, whole: 100 + 20_000 + 7 });
}

#[test]
fn the_tertial_economy_is_its_four_months_against_a_third_of_the_budget() {
    // Seed 003: "Rapporten visar ett positivt resultat mot budget … Prognosen visar ett överskott".
    let mut monthly = [Ore(0); 12];
    for (i, m) in monthly.iter_mut().enumerate() {
        *m = Ore::from_sek(100 + i as i64);
    }
    let year = PrincipalYear { principal_id: 1, budget: Some(Ore::from_sek(1_000)), monthly };
    let t2 = tertial_economy(Tertial::new(2026, 2).unwrap(), &year, 10);
    assert_eq!(t2.actual, Ore::from_sek(104 + 105 + 106 + 107));
    assert_eq!(t2.budget, Some(Ore(33_333)));
    assert_eq!(t2.year.complete_months, 8);
    // Not yet complete: the third tertial counts the months complete today.
    let t3 = tertial_economy(Tertial::new(2026, 3).unwrap(), &year, 10);
    assert_eq!(t3.actual, Ore::from_sek(108 + 109));
    let total = sum_economy([&t2, &t2]);
    assert_eq!(total.actual, Ore(2 * t2.actual.0));
    assert_eq!(total.budget, Some(Ore(66_666)));
}

#[test]
fn acceptance_counts_questions_only() {
    let range = Tertial::new(2026, 1).unwrap().range();
    let slot = UtcSlot::new(d(2026, 3, 2), 9);
    let answers = [
        AnswerGroup { slot, principal_id: 1, answer: Substitution::Accepted, count: 3 },
        AnswerGroup { slot, principal_id: 1, answer: Substitution::Declined, count: 1 },
        AnswerGroup { slot, principal_id: 1, answer: Substitution::Automatic, count: 9 },
    ];
    assert_eq!(acceptance_share(&range, &answers), Share { part: 3, whole: 4 });
}
