//! The cost-responsibility engine: who pays for a product — the region, the
//! municipality (or the residence it finances) or the patient — under the
//! agreement in force on the decision date, with the rule and the sentence
//! it rests on.
//!
//! Agreements are data (`agreements/<region>/<YYYY-MM-DD>.toml`, see
//! `agreements/README.md`): `load`/`compile` turn a file into precompiled
//! rules, `decide` evaluates them without allocating, `check` (gaps,
//! conflicts, unreachable rules) and `diff` keep the files right.

mod check;
mod compile;
mod costly;
mod decide;
mod diff;
mod explore;
mod impact;
mod load;
mod model;
mod outcome;
mod periods;
mod reach;
mod request;
mod set;

pub use check::{check, Finding, FindingKind};
pub use compile::MAX_FACTS;
pub use costly::{
    costly_treatment_reimbursement, CostlyTreatment, COSTLY_TREATMENT_SHARE_PERCENT, COSTLY_TREATMENT_THRESHOLD,
};
pub use diff::{diff, Change, Verdict};
pub use explore::Case;
pub use impact::{impact, HistoryLine, ImpactReport, Shift};
pub use load::AgreementError;
pub use model::{AgeCond, Agreement, Answer, Channel, Fact, Kind, Need, Payer, Rule, Text};
pub use outcome::{AgreementRef, Decision, NeededFact, Outcome, OutcomeRef, BIRTH_DATE_FACT};
pub use periods::{payer_periods, setting_changes, PayerPeriod, SettingChange};
pub use request::{DecisionRequest, Patient, Product};
pub use set::{AgreementFile, AgreementSet, RegionInfo};
