//! Where a patient lives or spends the day: the "setting" the cost
//! agreements are written against.

use crate::FieldError;
use crate::Term;
use serde::{Deserialize, Serialize};
use strum::{IntoStaticStr, VariantArray};

/// The patient's setting. Names follow the glossary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[derive(IntoStaticStr, VariantArray, strum::Display)]
#[strum(serialize_all = "snake_case")]
pub enum Setting {
    /// Own home ("eget/ordinärt boende").
    Ordinary,
    /// Special housing for the elderly (SÄBO).
    Saebo,
    /// Housing with special service under LSS.
    LssHousing,
    /// Social-psychiatry housing (SoL 5 kap 7 § 3 st).
    SocialpsychiatryHousing,
    /// Short-term stay ("korttidsboende").
    ShortTermStay,
    /// Day care for the elderly ("dagverksamhet").
    DayCare,
    /// Daily activity under LSS ("daglig verksamhet").
    DailyActivity,
}

impl Term for Setting {
    const FIELD: &'static str = "setting";
    const CODE: &'static str = "invalid_setting";

    /// As [`Term::parse`], without the list of allowed values.
    fn parse(s: &str) -> Result<Self, FieldError> {
        Self::ALL
            .iter()
            .copied()
            .find(|x| x.as_str() == s)
            .ok_or_else(|| FieldError::new(Self::FIELD, Self::CODE, format!("unknown setting '{s}'")))
    }
}

impl Setting {
    /// Swedish name as shown in the UI.
    pub fn name_sv(self) -> &'static str {
        match self {
            Setting::Ordinary => "Ordinärt boende",
            Setting::Saebo => "Särskilt boende för äldre (SÄBO)",
            Setting::LssHousing => "Bostad med särskild service (LSS)",
            Setting::SocialpsychiatryHousing => "Socialpsykiatriskt boende",
            Setting::ShortTermStay => "Korttidsboende",
            Setting::DayCare => "Dagverksamhet",
            Setting::DailyActivity => "Daglig verksamhet (LSS)",
        }
    }

    /// English name as shown in the UI.
    pub fn name_en(self) -> &'static str {
        match self {
            Setting::Ordinary => "Ordinary housing",
            Setting::Saebo => "Special housing for the elderly",
            Setting::LssHousing => "LSS housing",
            Setting::SocialpsychiatryHousing => "Social-psychiatry housing",
            Setting::ShortTermStay => "Short-term stay",
            Setting::DayCare => "Day care",
            Setting::DailyActivity => "Daily activity (LSS)",
        }
    }
}
