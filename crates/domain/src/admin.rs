//! Administration's vocabulary and its one rule: what an administrative
//! change is about ([`AdminEntity`]), how it ended ([`AdminOutcome`]), and
//! when an account counts as inactive (no login for 12 months).

use crate::Term;
use chrono::{DateTime, Months, Utc};
use serde::{Deserialize, Serialize};
use strum::{IntoStaticStr, VariantArray};

/// What an administrative change is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[derive(IntoStaticStr, VariantArray, strum::Display)]
#[strum(serialize_all = "snake_case")]
pub enum AdminEntity {
    /// Huvudman: the region or a municipality.
    Principal,
    /// Kundnummer: what a principal is invoiced under.
    CustomerNumber,
    /// Enhet: a care unit.
    Unit,
    /// Användare.
    User,
    /// API-nyckel.
    ApiToken,
    /// Artikel i sortimentet.
    Article,
    /// Produktområde.
    ProductArea,
}

impl Term for AdminEntity {
    const FIELD: &'static str = "entity";
    const CODE: &'static str = "invalid_entity";
}

impl AdminEntity {
    pub fn name_sv(self) -> &'static str {
        match self {
            AdminEntity::Principal => "Huvudman",
            AdminEntity::CustomerNumber => "Kundnummer",
            AdminEntity::Unit => "Enhet",
            AdminEntity::User => "Användare",
            AdminEntity::ApiToken => "API-nyckel",
            AdminEntity::Article => "Artikel",
            AdminEntity::ProductArea => "Produktområde",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            AdminEntity::Principal => "Principal",
            AdminEntity::CustomerNumber => "Customer number",
            AdminEntity::Unit => "Unit",
            AdminEntity::User => "User",
            AdminEntity::ApiToken => "API token",
            AdminEntity::Article => "Article",
            AdminEntity::ProductArea => "Product area",
        }
    }
}

/// Whether an administrative request was carried out or refused (a caller
/// without the admin role).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[derive(IntoStaticStr, VariantArray, strum::Display)]
#[strum(serialize_all = "snake_case")]
pub enum AdminOutcome {
    Done,
    Refused,
}

impl Term for AdminOutcome {
    const FIELD: &'static str = "outcome";
    const CODE: &'static str = "invalid_outcome";
}

/// How long an account may go without a login before it is deactivated.
pub const INACTIVITY_MONTHS: u32 = 12;

/// Accounts whose last login (or, never logged in, creation) is before
/// this instant are inactive at `now`.
pub fn inactivity_cutoff(now: DateTime<Utc>) -> DateTime<Utc> {
    now.checked_sub_months(Months::new(INACTIVITY_MONTHS)).unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// Whether an account last used at `last_login` (or created at `created`)
/// is inactive at `now`.
pub fn is_inactive(last_login: Option<DateTime<Utc>>, created: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    last_login.unwrap_or(created) < inactivity_cutoff(now)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(y: i32, m: u32, d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, 9, 0, 0).unwrap()
    }

    #[test]
    fn an_account_is_inactive_after_twelve_months_without_a_login() {
        let now = t(2026, 11, 23);
        assert!(!is_inactive(Some(t(2025, 11, 23)), t(2020, 1, 1), now), "exactly 12 months is still active");
        assert!(is_inactive(Some(t(2025, 11, 22)), t(2020, 1, 1), now));
        assert!(is_inactive(None, t(2025, 11, 1), now), "never logged in: counted from creation");
        assert!(!is_inactive(None, t(2026, 1, 1), now));
    }

    #[test]
    fn the_cutoff_of_a_leap_day_is_the_last_day_of_february() {
        assert_eq!(inactivity_cutoff(t(2028, 2, 29)), t(2027, 2, 28));
    }

    #[test]
    fn entities_parse_from_their_names_and_name_the_field_otherwise() {
        assert_eq!(AdminEntity::parse("api_token").unwrap(), AdminEntity::ApiToken);
        assert_eq!(AdminEntity::parse("device").unwrap_err().field, "entity");
    }
}
