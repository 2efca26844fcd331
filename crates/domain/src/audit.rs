//! The vocabulary of the audit-log review ("logggranskning"): whether a
//! logged access was granted or refused, and a reviewer's verdict on an
//! emergency access.

use crate::Term;
use strum::{IntoStaticStr, VariantArray};

/// Whether a logged access was granted or refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, IntoStaticStr, VariantArray, strum::Display)]
#[strum(serialize_all = "snake_case")]
pub enum AuditOutcome {
    Granted,
    Refused,
}

impl Term for AuditOutcome {
    const FIELD: &'static str = "outcome";
    const CODE: &'static str = "invalid_outcome";
}

impl AuditOutcome {
    /// Suffix of the action of a refused access (`patient.overview.refused`).
    pub const REFUSED_SUFFIX: &'static str = ".refused";

    /// The outcome of a logged action, by its name.
    pub fn of_action(action: &str) -> AuditOutcome {
        if action.ends_with(Self::REFUSED_SUFFIX) {
            AuditOutcome::Refused
        } else {
            AuditOutcome::Granted
        }
    }
}

/// A reviewer's verdict on an emergency access.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, IntoStaticStr, VariantArray, strum::Display)]
#[strum(serialize_all = "snake_case")]
pub enum Verdict {
    /// The patient's care required it.
    Justified,
    /// Not justified: to be followed up with the user's manager.
    Unjustified,
}

impl Term for Verdict {
    const FIELD: &'static str = "verdict";
    const CODE: &'static str = "invalid_verdict";
}

/// Neutralises a CSV cell against formula injection: a cell that a
/// spreadsheet would read as a formula (starting with `=`, `+`, `-`, `@`,
/// a tab or a carriage return) gets a leading `'`.
pub fn csv_safe(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_action_ending_in_refused_is_a_refusal() {
        assert_eq!(AuditOutcome::of_action("patient.overview.refused"), AuditOutcome::Refused);
        assert_eq!(AuditOutcome::of_action("patient.overview"), AuditOutcome::Granted);
    }

    #[test]
    fn csv_cells_that_start_a_formula_are_neutralised() {
        for cell in ["=1+1", "+46", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(csv_safe(cell), format!("'{cell}"), "{cell:?}");
        }
        assert_eq!(csv_safe("Anna"), "Anna");
        assert_eq!(csv_safe(""), "");
    }

    #[test]
    fn only_the_audit_reviewer_reviews_the_audit_log() {
        use crate::role::Role;
        for r in Role::ALL {
            assert_eq!(r.reviews_audit_log(), *r == Role::AuditReviewer, "{r:?}");
            if *r == Role::AuditReviewer {
                assert!(!r.is_hmc(), "a reviewer gets no ground to read patient data");
            }
        }
    }
}
