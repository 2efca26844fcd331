//! What changes between two versions: every representative case (see
//! `explore.rs`) whose answer — payer, channel or trust-prescription — differs.

use super::explore::{explore, Case, Leaf};
use super::model::{Agreement, Answer};
use serde::Serialize;
use std::fmt;

/// What one version answers for a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum Verdict {
    Decided {
        #[serde(flatten)]
        answer: Answer,
        rule: String,
    },
    /// In scope, but no rule answers.
    NotCovered,
    /// Outside the version's scope.
    OutOfScope,
}

/// A case whose answer differs between the two versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub case: Case,
    pub before: Verdict,
    pub after: Verdict,
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Verdict::Decided { answer, rule } => write!(
                f,
                "{} via {}{} ({rule})",
                answer.payer,
                answer.channel,
                if answer.trust_prescription_allowed { ", trust-prescription allowed" } else { "" }
            ),
            Verdict::NotCovered => f.write_str("no rule"),
            Verdict::OutOfScope => f.write_str("not covered by the agreement"),
        }
    }
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} -> {}", self.case, self.before, self.after)
    }
}

/// The cases whose answer changes from `a` to `b`, in enumeration order.
pub fn diff(a: &Agreement, b: &Agreement) -> Vec<Change> {
    let mut out = Vec::new();
    explore(&[a, b], None, |case, leaves| {
        let (before, after) = (verdict(a, leaves[0]), verdict(b, leaves[1]));
        if answer(&before) != answer(&after) {
            out.push(Change { case: case.clone(), before, after });
        }
    });
    out
}

fn verdict(a: &Agreement, leaf: Leaf) -> Verdict {
    match leaf {
        Leaf::Rule(i) => Verdict::Decided { answer: a.rules[i].answer, rule: a.rules[i].id.clone() },
        Leaf::NotCovered => Verdict::NotCovered,
        Leaf::OutOfScope => Verdict::OutOfScope,
    }
}

/// The part that counts as "the answer": a different rule id alone is no change.
fn answer(v: &Verdict) -> Option<Answer> {
    match v {
        Verdict::Decided { answer, .. } => Some(*answer),
        _ => None,
    }
}
