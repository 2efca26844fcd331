//! The costly-treatment application (Region Stockholm): a care provider whose
//! patient's treatment aids cost more than 10,000 SEK in a month is
//! reimbursed afterwards with 75 % of the part above 10,000 SEK.
//!
//! Source: seeds/000, "Vad gäller vid särskild ansökan för kostsamma
//! behandlingshjälpmedel?": "Vårdgivaren ersätts i efterskott med 75% av
//! kostnaden över 10 tkr."

use crate::money::Ore;
use serde::Serialize;

/// 10,000 SEK per patient and month.
pub const COSTLY_TREATMENT_THRESHOLD: Ore = Ore(1_000_000);

/// The reimbursed share of the cost above the threshold, in percent.
pub const COSTLY_TREATMENT_SHARE_PERCENT: i64 = 75;

/// The amount the region reimburses for one patient's month.
///
/// Rounding: 75 % of a whole number of öre can end in a quarter, half or
/// three quarters of an öre; it is rounded to the nearest öre, halves up
/// (in the care provider's favour). Costs at or below the threshold, and
/// negative amounts, give nothing.
pub fn costly_treatment_reimbursement(monthly_cost: Ore) -> Ore {
    let above = (monthly_cost.0 - COSTLY_TREATMENT_THRESHOLD.0).max(0);
    Ore(((i128::from(above) * i128::from(COSTLY_TREATMENT_SHARE_PERCENT) + 50) / 100) as i64)
}

/// The reimbursement with its working, for the CLI and the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CostlyTreatment {
    pub monthly_cost: Ore,
    pub threshold: Ore,
    pub share_percent: i64,
    pub reimbursement: Ore,
}

impl CostlyTreatment {
    /// Computes the application for one patient's monthly cost.
    pub fn for_monthly_cost(monthly_cost: Ore) -> CostlyTreatment {
        CostlyTreatment {
            monthly_cost,
            threshold: COSTLY_TREATMENT_THRESHOLD,
            share_percent: COSTLY_TREATMENT_SHARE_PERCENT,
            reimbursement: costly_treatment_reimbursement(monthly_cost),
        }
    }
}
