//! Emergency access ("nödåtkomst"): who may declare it, with what reason.
//! A user without a care relationship may open a patient's record in an
//! emergency, declaring why; every declaration is listed for review.

use crate::role::Role;
use crate::FieldError;
use crate::Term;
use serde::{Deserialize, Serialize};
use strum::{IntoStaticStr, VariantArray};

/// Why emergency access is declared, chosen from a fixed list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[derive(IntoStaticStr, VariantArray, strum::Display)]
#[strum(serialize_all = "snake_case")]
pub enum EmergencyCategory {
    /// Acute care: the patient needs help now and cannot consent.
    UrgentCare,
    /// The care relationship exists but is not registered in Ramp yet.
    UnregisteredCareRelationship,
    /// A device risks the patient's safety (a safety notice, a fault).
    DeviceSafety,
    /// Something else, told in the reason.
    Other,
}

impl Term for EmergencyCategory {
    const FIELD: &'static str = "category";
    const CODE: &'static str = "invalid_category";
}

impl EmergencyCategory {
    pub fn name_sv(self) -> &'static str {
        match self {
            EmergencyCategory::UrgentCare => "Akut vårdsituation, patienten kan inte samtycka",
            EmergencyCategory::UnregisteredCareRelationship => "Vårdrelationen finns men är inte registrerad ännu",
            EmergencyCategory::DeviceSafety => "Ett hjälpmedel hotar patientens säkerhet",
            EmergencyCategory::Other => "Annat (beskriv i skälet)",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            EmergencyCategory::UrgentCare => "Acute care, the patient cannot consent",
            EmergencyCategory::UnregisteredCareRelationship => "The care relationship exists but is not registered yet",
            EmergencyCategory::DeviceSafety => "A device threatens the patient's safety",
            EmergencyCategory::Other => "Other (describe in the reason)",
        }
    }
}

/// The fewest characters a reason for emergency access has.
pub const MIN_REASON_CHARS: usize = 20;
/// The most characters a reason for emergency access has.
pub const MAX_REASON_CHARS: usize = 2000;

/// The roles a region lets declare emergency access by default: the
/// prescribers, who meet patients.
pub const DEFAULT_EMERGENCY_ROLES: &[Role] = &[Role::Prescriber];

/// Roles that never declare emergency access, whatever a region
/// configures: they order for units, invoice or administer, and meet no
/// patient in care.
pub const NEVER_EMERGENCY_ROLES: &[Role] = &[Role::UnitOrderer, Role::Finance, Role::Admin];

/// Checks a region's list of roles allowed emergency access.
pub fn check_emergency_roles(roles: &[Role]) -> Result<(), FieldError> {
    match roles.iter().find(|r| NEVER_EMERGENCY_ROLES.contains(r)) {
        Some(r) => Err(FieldError::new(
            "emergency_access_roles",
            "role_never_allowed",
            format!("the role {r} never declares emergency access"),
        )),
        None => Ok(()),
    }
}

/// May a user with `roles`, placed at a unit of care (`has_unit`: the
/// patient contact), declare emergency access when the region allows
/// `allowed`? Never for a user who also holds a role of
/// [`NEVER_EMERGENCY_ROLES`] only.
pub fn may_declare_emergency(roles: &[Role], has_unit: bool, allowed: &[Role]) -> bool {
    has_unit && roles.iter().any(|r| allowed.contains(r) && !NEVER_EMERGENCY_ROLES.contains(r))
}

/// A reason as typed: trimmed, between the minimum and maximum length.
pub fn check_reason(reason: &str) -> Result<String, FieldError> {
    let reason = reason.trim();
    let n = reason.chars().count();
    if n < MIN_REASON_CHARS {
        return Err(FieldError::new(
            "reason",
            "reason_too_short",
            format!("state why you need emergency access (at least {MIN_REASON_CHARS} characters)"),
        ));
    }
    if n > MAX_REASON_CHARS {
        return Err(FieldError::new("reason", "too_long", format!("at most {MAX_REASON_CHARS} characters")));
    }
    Ok(reason.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_default_prescribers_at_a_unit_may_declare_and_orderers_finance_and_admins_never() {
        let allowed = DEFAULT_EMERGENCY_ROLES;
        assert!(may_declare_emergency(&[Role::Prescriber], true, allowed));
        assert!(!may_declare_emergency(&[Role::Prescriber], false, allowed), "no unit: no patient contact");
        for role in [Role::UnitOrderer, Role::Finance, Role::Admin, Role::Warehouse, Role::Consultant] {
            assert!(!may_declare_emergency(&[role], true, allowed), "{role}");
        }
        let everyone: Vec<Role> = Role::ALL.to_vec();
        assert!(!may_declare_emergency(&[Role::UnitOrderer, Role::Finance], true, &everyone));
        assert!(may_declare_emergency(&[Role::PersonalOrdererHealth], true, &everyone));
    }

    #[test]
    fn a_region_cannot_allow_a_role_that_never_declares() {
        assert!(check_emergency_roles(&[Role::Prescriber, Role::PersonalOrdererHealth]).is_ok());
        let e = check_emergency_roles(&[Role::Prescriber, Role::UnitOrderer]).unwrap_err();
        assert_eq!((e.field.as_str(), e.code), ("emergency_access_roles", "role_never_allowed"));
    }

    #[test]
    fn a_reason_has_twenty_to_two_thousand_characters() {
        assert_eq!(check_reason("  akut  ").unwrap_err().code, "reason_too_short");
        assert_eq!(check_reason(&"x".repeat(19)).unwrap_err().field, "reason");
        assert_eq!(check_reason(&format!(" {} ", "å".repeat(20))).unwrap(), "å".repeat(20));
        assert_eq!(check_reason(&"x".repeat(2001)).unwrap_err().code, "too_long");
    }
}
