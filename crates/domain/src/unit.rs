//! What kind of care unit an "enhet" is: a closed vocabulary with its
//! Swedish and English names, and whether the region or a municipality
//! runs such units.

use crate::Term;
use serde::{Deserialize, Serialize};
use strum::{IntoStaticStr, VariantArray};

/// The kind of a care unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[derive(IntoStaticStr, VariantArray, strum::Display)]
#[strum(serialize_all = "snake_case")]
pub enum UnitKind {
    PrimaryCare,
    HospitalWard,
    Habilitation,
    VisionClinic,
    HearingClinic,
    HomeCare,
    HomeHealthCare,
    Saebo,
    LssHousing,
    ShortTermStay,
    DailyActivity,
}

impl Term for UnitKind {
    const FIELD: &'static str = "kind";
    const CODE: &'static str = "invalid_unit_kind";
}

impl UnitKind {
    pub fn name_sv(self) -> &'static str {
        match self {
            UnitKind::PrimaryCare => "Vårdcentral",
            UnitKind::HospitalWard => "Vårdavdelning",
            UnitKind::Habilitation => "Habilitering",
            UnitKind::VisionClinic => "Syncentral",
            UnitKind::HearingClinic => "Hörselvård",
            UnitKind::HomeCare => "Hemtjänst",
            UnitKind::HomeHealthCare => "Hemsjukvård",
            UnitKind::Saebo => "Särskilt boende (SÄBO)",
            UnitKind::LssHousing => "LSS-boende",
            UnitKind::ShortTermStay => "Korttidsboende",
            UnitKind::DailyActivity => "Daglig verksamhet",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            UnitKind::PrimaryCare => "Primary care centre",
            UnitKind::HospitalWard => "Hospital ward",
            UnitKind::Habilitation => "Habilitation",
            UnitKind::VisionClinic => "Vision clinic",
            UnitKind::HearingClinic => "Hearing clinic",
            UnitKind::HomeCare => "Home care",
            UnitKind::HomeHealthCare => "Home health care",
            UnitKind::Saebo => "Special housing for the elderly",
            UnitKind::LssHousing => "LSS housing",
            UnitKind::ShortTermStay => "Short-term stay",
            UnitKind::DailyActivity => "Daily activity",
        }
    }
}
