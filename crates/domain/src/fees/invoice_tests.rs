//! What a month's patient invoice carries, on the test table of `tests`
//! (cap 1 000 kr per 12 months, short-term wheelchair 150 kr a month, any
//! other short-term 300 kr a quarter, no fee under 20).

use super::tests::{d, line, tables};
use super::*;
use crate::money::Ore;
use std::collections::HashMap;

/// Monthly 150 + quarterly 300 from 10 Jan: Jan 450, Feb 150, Mar 150, Apr 450 → 1 200 > 1 000.
fn charges_through(through: &str) -> Vec<FeeCharge> {
    let lines = [
        line(1, "122203", "2026-01-10", Some("2026-12-31"), None),
        line(2, "120606", "2026-01-10", Some("2026-12-31"), None),
    ];
    compute_fees(&tables(), "testland", d("1950-01-01"), &lines, d(through)).charges
}

fn billed(charges: &[FeeCharge], through: &str) -> HashMap<String, RecordedCharge> {
    charges
        .iter()
        .filter(|c| c.due_on <= d(through))
        .map(|c| (c.source_key.clone(), RecordedCharge { amount: c.amount, billed: true }))
        .collect()
}

#[test]
fn the_april_invoice_carries_only_what_is_left_under_the_cap_and_the_may_fees_are_zero_lines() {
    // Jan 450 + Feb 150 + Mar 150 = 750 billed; April: 10 Apr monthly 150 (900) and quarterly 300 → 100 (cap).
    let charges = charges_through("2026-05-31");
    let april = invoice_lines(&charges, &billed(&charges, "2026-03-31"), d("2026-04-01"), d("2026-04-30"));
    let amounts: Vec<i64> = april.iter().map(|l| l.amount.0 / 100).collect();
    assert_eq!(amounts, vec![150, 100]);
    assert_eq!(invoice_total(&april), Ore(25_000));
    assert_eq!(april.iter().filter(|l| l.cap_limited()).count(), 1);

    let may = invoice_lines(&charges, &billed(&charges, "2026-04-30"), d("2026-05-01"), d("2026-05-31"));
    assert_eq!(may.iter().map(|l| (l.amount.0, l.outcome)).collect::<Vec<_>>(), vec![(0, FeeOutcome::FreeCard)]);
    assert_eq!(invoice_total(&may), Ore(0), "a free card makes no invoice");
}

#[test]
fn an_unbilled_fee_of_an_earlier_month_is_billed_next_but_an_earlier_zero_fee_is_not_shown_again() {
    // Nothing billed: February's invoice also carries January's two fees; a January 0-line would not.
    let charges = charges_through("2026-02-28");
    let feb = invoice_lines(&charges, &HashMap::new(), d("2026-02-01"), d("2026-02-28"));
    assert_eq!(
        feb.iter().map(|l| l.due_on.to_string()).collect::<Vec<_>>(),
        ["2026-01-10", "2026-01-10", "2026-02-10"]
    );
    let young = compute_fees(
        &tables(),
        "testland",
        d("2010-01-01"),
        &[line(1, "122203", "2026-01-10", Some("2026-03-31"), None)],
        d("2026-02-28"),
    )
    .charges;
    let lines = invoice_lines(&young, &HashMap::new(), d("2026-02-01"), d("2026-02-28"));
    assert_eq!(lines.iter().map(|l| (l.amount.0, l.outcome)).collect::<Vec<_>>(), vec![(0, FeeOutcome::ExemptAge)]);
}

#[test]
fn a_recorded_fee_keeps_its_recorded_amount_and_a_billed_one_is_left_out() {
    let charges = charges_through("2026-01-31");
    let mut recorded = HashMap::new();
    recorded.insert(charges[0].source_key.clone(), RecordedCharge { amount: Ore(12_000), billed: false });
    recorded.insert(charges[1].source_key.clone(), RecordedCharge { amount: charges[1].amount, billed: true });
    let lines = invoice_lines(&charges, &recorded, d("2026-01-01"), d("2026-01-31"));
    assert_eq!(lines.iter().map(|l| l.amount).collect::<Vec<_>>(), vec![Ore(12_000)]);
}
