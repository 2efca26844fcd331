//! "Vårdgivaren ersätts i efterskott med 75% av kostnaden över 10 tkr."
//! (seeds/000, särskild ansökan för kostsamma behandlingshjälpmedel)

use ramp_domain::cost::{costly_treatment_reimbursement, CostlyTreatment};
use ramp_domain::money::Ore;

#[test]
fn nothing_is_reimbursed_up_to_ten_thousand_kronor_a_month() {
    assert_eq!(costly_treatment_reimbursement(Ore::from_sek(0)), Ore(0));
    assert_eq!(costly_treatment_reimbursement(Ore::from_sek(10_000)), Ore(0));
    assert_eq!(costly_treatment_reimbursement(Ore(-500)), Ore(0));
}

#[test]
fn seventy_five_percent_of_the_cost_above_ten_thousand_kronor_is_reimbursed() {
    assert_eq!(costly_treatment_reimbursement(Ore::from_sek(14_000)), Ore::from_sek(3_000));
    assert_eq!(costly_treatment_reimbursement(Ore::from_sek(110_000)), Ore::from_sek(75_000));
}

#[test]
fn fractions_of_an_ore_are_rounded_to_the_nearest_ore_halves_up() {
    // 75 % of 1 öre = 0.75 -> 1; of 2 öre = 1.5 -> 2; of 3 öre = 2.25 -> 2.
    let above = |ore: i64| costly_treatment_reimbursement(Ore(1_000_000 + ore));
    assert_eq!((above(1), above(2), above(3)), (Ore(1), Ore(2), Ore(2)));
}

#[test]
fn the_working_is_shown_with_the_amount() {
    let c = CostlyTreatment::for_monthly_cost(Ore::from_sek(12_000));
    assert_eq!((c.threshold, c.share_percent, c.reimbursement), (Ore::from_sek(10_000), 75, Ore::from_sek(1_500)));
}
