//! Costly-treatment applications ("särskild ansökan för kostsamma
//! behandlingshjälpmedel", Region Stockholm), computed from a month's
//! invoice lines: per care provider (customer number) and patient, the
//! month's net cost — credit-note lines count negative — and, where it is
//! above 10 000 kr, the reimbursement the cost engine's rule gives
//! ([`crate::cost::costly_treatment_reimbursement`]).
//!
//! Seed 000: "Vårdgivaren till en patient som har ordinerats
//! behandlingshjälpmedel/läkemedelsnära produkter kan inkomma med en särskild
//! ansökan till HSF för den kostnad som överstiger 10tkr/månad och patient.
//! Vårdgivaren ersätts i efterskott med 75% av kostnaden över 10 tkr."

use crate::cost::{CostlyTreatment, COSTLY_TREATMENT_THRESHOLD};
use crate::money::Ore;
use serde::Serialize;
use std::collections::BTreeMap;

/// One invoice line of the month that names a patient.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatientCostLine {
    pub customer_number_id: i64,
    pub patient_id: i64,
    /// Negative on a credit note.
    pub amount: Ore,
}

/// One application: a care provider's patient whose month cost more than the threshold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CostlyApplication {
    pub customer_number_id: i64,
    pub patient_id: i64,
    /// How many invoice lines the cost is the sum of.
    pub lines: usize,
    #[serde(flatten)]
    pub computation: CostlyTreatment,
}

/// The applications of a month, ordered by customer number then patient.
/// A patient at or below 10 000 kr gets none.
pub fn costly_applications(lines: &[PatientCostLine]) -> Vec<CostlyApplication> {
    let mut sums: BTreeMap<(i64, i64), (i64, usize)> = BTreeMap::new();
    for l in lines {
        let e = sums.entry((l.customer_number_id, l.patient_id)).or_default();
        e.0 += l.amount.0;
        e.1 += 1;
    }
    sums.into_iter()
        .filter(|(_, (cost, _))| *cost > COSTLY_TREATMENT_THRESHOLD.0)
        .map(|((customer_number_id, patient_id), (cost, n))| CostlyApplication {
            customer_number_id,
            patient_id,
            lines: n,
            computation: CostlyTreatment::for_monthly_cost(Ore(cost)),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn l(customer: i64, patient: i64, kr: i64, ore: i64) -> PatientCostLine {
        PatientCostLine { customer_number_id: customer, patient_id: patient, amount: Ore(kr * 100 + ore) }
    }

    #[test]
    fn a_patient_whose_month_costs_more_than_10000_kr_is_reimbursed_75_percent_of_the_excess() {
        // 8 000 + 4 500 = 12 500 kr; 75 % of 2 500 kr = 1 875 kr.
        let apps = costly_applications(&[l(1, 7, 8_000, 0), l(1, 7, 4_500, 0)]);
        assert_eq!(apps.len(), 1);
        assert_eq!((apps[0].patient_id, apps[0].lines), (7, 2));
        assert_eq!(apps[0].computation.monthly_cost, Ore(1_250_000));
        assert_eq!(apps[0].computation.reimbursement, Ore(187_500));
    }

    #[test]
    fn exactly_10000_kr_gives_no_application_and_one_ore_more_gives_one_rounded_to_whole_ore() {
        assert!(costly_applications(&[l(1, 7, 10_000, 0)]).is_empty());
        // 1 öre above: 0.75 öre rounds half-up to 1 öre.
        let apps = costly_applications(&[l(1, 7, 10_000, 1)]);
        assert_eq!(apps[0].computation.reimbursement, Ore(1));
    }

    #[test]
    fn a_credit_note_line_lowers_the_month_below_the_threshold() {
        // 11 000 − 1 500 = 9 500 kr: nothing to apply for.
        assert!(costly_applications(&[l(1, 7, 11_000, 0), l(1, 7, -1_500, 0)]).is_empty());
    }

    #[test]
    fn each_care_provider_applies_for_its_own_cost_of_a_patient() {
        // Provider 1: 10 400 kr → 75 % of 400 = 300 kr; provider 2: 6 000 kr → none; patient 8: 20 000 → 7 500.
        let apps = costly_applications(&[l(1, 7, 10_400, 0), l(2, 7, 6_000, 0), l(1, 8, 20_000, 0)]);
        let got: Vec<(i64, i64, i64)> =
            apps.iter().map(|a| (a.customer_number_id, a.patient_id, a.computation.reimbursement.0 / 100)).collect();
        assert_eq!(got, vec![(1, 7, 300), (1, 8, 7_500)]);
    }
}
