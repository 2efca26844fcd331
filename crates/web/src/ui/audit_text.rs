//! How the audit-log review words its codes, in the page's language: the
//! logged actions, legal grounds, outcomes, flags and verdicts, so no raw
//! code reaches the screen, the printed log extract or its CSV.

use crate::i18n::Lang;
use ramp_app::audit_review::Flag;
use ramp_app::model::AccessReason;
use ramp_domain::access::EmergencyCategory;
use ramp_domain::audit::{AuditOutcome, Verdict};
use ramp_domain::Term;

/// What a logged action did, e.g. "Öppnade hjälpmedelsbilden". A refusal
/// is worded as the action tried (the outcome says it was refused). An
/// action this version does not know is named as "other" with its code.
pub fn action_label(lang: Lang, action: &str) -> String {
    let base = action.strip_suffix(AuditOutcome::REFUSED_SUFFIX).unwrap_or(action);
    match lang.t(&format!("audit.action.{base}")) {
        "[?]" => format!("{} ({base})", lang.t("audit.action.other")),
        text => text.to_string(),
    }
}

pub fn legal_ground_label(lang: Lang, reason: AccessReason) -> &'static str {
    lang.t(&format!("audit.ground.{}", reason.as_str()))
}

pub fn outcome_label(lang: Lang, outcome: AuditOutcome) -> &'static str {
    lang.t(&format!("audit.outcome.{}", outcome.as_str()))
}

pub fn flag_label(lang: Lang, flag: Flag) -> &'static str {
    lang.t(&format!("audit.flag.{}", flag.as_str()))
}

pub fn verdict_label(lang: Lang, verdict: Verdict) -> &'static str {
    lang.t(&format!("audit.verdict.{}", verdict.as_str()))
}

/// Why an emergency access was declared, in `lang`.
pub fn category_label(lang: Lang, category: EmergencyCategory) -> &'static str {
    match lang {
        Lang::Sv => category.name_sv(),
        Lang::En => category.name_en(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every action the use-cases write today.
    const ACTIONS: &[&str] = &[
        "patient.overview",
        "patient.emergency_access_declared",
        "patient.fee_statement",
        "device.card",
        "device.pickup_order",
        "device.fault_report",
        "device.lost_report",
        "order.create",
        "order.prepare",
        "order.read",
        "cart.add",
        "consultation.create",
        "consultation.read",
        "consultation.book",
        "consultation.rebook",
        "consultation.cancel",
        "consultation.calendar",
        "economy.costly_treatment",
        "adaptation.sign",
        "audit.search",
        "audit.log_extract",
        "audit.emergency_accesses",
        "audit.emergency_access_signed_off",
        "audit.admin_changes",
        "session.login",
        "patient.list_mine",
        "order.choose",
        "patient.register",
        "patient.setting_change",
        "catalog.product",
        "pick_list.read",
        "pickups.read",
    ];

    #[test]
    fn every_known_action_ground_outcome_flag_and_verdict_has_words_in_both_languages() {
        for lang in [Lang::Sv, Lang::En] {
            for a in ACTIONS {
                let label = action_label(lang, a);
                assert!(!label.contains('('), "{a} has no {lang:?} text: {label}");
                assert_eq!(action_label(lang, &format!("{a}.refused")), label);
            }
            for r in [
                AccessReason::CareRelationship,
                AccessReason::EmergencyAccess,
                AccessReason::HmcRole,
                AccessReason::None,
            ] {
                assert_ne!(legal_ground_label(lang, r), "[?]", "{r:?}");
            }
            for o in AuditOutcome::ALL {
                assert_ne!(outcome_label(lang, *o), "[?]");
            }
            for f in [Flag::NoCareRelationship, Flag::EmergencyAccess] {
                assert_ne!(flag_label(lang, f), "[?]");
            }
            for v in Verdict::ALL {
                assert_ne!(verdict_label(lang, *v), "[?]");
            }
        }
    }

    #[test]
    fn an_unknown_action_is_named_other_with_its_code() {
        assert_eq!(action_label(Lang::Sv, "admin.user_created"), "Annan händelse (admin.user_created)");
    }
}
