//! Keeping an agreement right: gaps (a reachable case inside the file's
//! scope that no rule answers), conflicts (two rules of equal priority
//! that can match the same case and answer differently) and unreachable
//! rules (rules before it always answer first; `reach.rs`).

use super::explore::{explore, isos_overlap, Case, Leaf};
use super::model::{AgeCond, Agreement, Rule};
use serde::Serialize;
use std::collections::BTreeSet;
use std::fmt;

/// What kind of problem a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    Gap,
    Conflict,
    /// A rule that never decides (anything, or the ISO codes one of its
    /// facts follows from): rules before it always answer first.
    Unreachable,
}

/// One problem, at a line of the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub kind: FindingKind,
    pub file: String,
    pub line: usize,
    pub message: String,
    /// For a gap, an example case no rule answers.
    pub case: Option<Case>,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.kind {
            FindingKind::Gap => "gap",
            FindingKind::Conflict => "conflict",
            FindingKind::Unreachable => "unreachable",
        };
        write!(f, "{}:{}: {kind}: {}", self.file, self.line, self.message)
    }
}

/// Gaps, then conflicts, then unreachable rules. An empty list means the
/// file is complete and unambiguous over its scope, and every rule in it
/// can decide what it names.
pub fn check(agreement: &Agreement) -> Vec<Finding> {
    let mut findings = gaps(agreement);
    findings.extend(conflicts(agreement));
    findings.extend(unreachable(agreement));
    findings
}

fn unreachable(a: &Agreement) -> Vec<Finding> {
    let mut out: Vec<Finding> = super::reach::shadowed(a)
        .into_iter()
        .map(|s| {
            let rule = &a.rules[s.rule];
            let instead = s.by.map_or(String::new(), |b| {
                let by = &a.rules[b];
                format!(": rule '{}' (line {}, priority {}) answers first", by.id, by.line, by.priority)
            });
            let what = match (&s.iso, &s.fact) {
                (Some(iso), Some(fact)) => {
                    format!("rule '{}' never decides ISO {iso}, where its fact '{fact}' follows from the code", rule.id)
                }
                _ => format!("rule '{}' can never decide any case", rule.id),
            };
            Finding {
                kind: FindingKind::Unreachable,
                file: a.file().to_string(),
                line: rule.line,
                message: what + &instead,
                case: None,
            }
        })
        .collect();
    out.sort_by_key(|f| f.line);
    out
}

/// One finding per (ISO code, setting, kind) with no rule, at the scope's line.
fn gaps(a: &Agreement) -> Vec<Finding> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    explore(&[a], Some(a), |case, leaves| {
        if leaves[0] == Leaf::NotCovered && seen.insert((case.iso.clone(), case.setting, case.kind)) {
            out.push(Finding {
                kind: FindingKind::Gap,
                file: a.file().to_string(),
                line: a.scope.line,
                message: format!("no rule answers {case}"),
                case: Some(case.clone()),
            });
        }
    });
    out
}

fn conflicts(a: &Agreement) -> Vec<Finding> {
    let mut out = Vec::new();
    for (i, r) in a.rules.iter().enumerate() {
        for s in &a.rules[i + 1..] {
            if r.priority == s.priority && r.answer != s.answer && can_overlap(r, s) {
                let (first, second) = if r.line <= s.line { (r, s) } else { (s, r) };
                out.push(Finding {
                    kind: FindingKind::Conflict,
                    file: a.file().to_string(),
                    line: second.line,
                    message: format!(
                        "rule '{}' and rule '{}' (line {}) have priority {} and can match the same case with different answers",
                        second.id, first.id, first.line, r.priority
                    ),
                    case: None,
                });
            }
        }
    }
    out.sort_by_key(|f| f.line);
    out
}

fn can_overlap(r: &Rule, s: &Rule) -> bool {
    r.settings & s.settings != 0
        && r.kinds & s.kinds != 0
        && r.needs & s.needs != 0
        && isos_overlap(&r.iso, &s.iso)
        && ages_overlap(r.age, s.age)
        && (r.fact_values ^ s.fact_values) & (r.fact_mask & s.fact_mask) == 0
}

/// Age conditions as inclusive ranges of whole years; a year-based rule
/// reaches one year further, since its boundary depends on the birthday.
fn ages_overlap(a: AgeCond, b: AgeCond) -> bool {
    let (lo1, hi1) = age_range(a);
    let (lo2, hi2) = age_range(b);
    lo1 <= hi2 && lo2 <= hi1
}

fn age_range(a: AgeCond) -> (u32, u32) {
    match a {
        AgeCond::Any => (0, u32::MAX),
        AgeCond::Below(n) => (0, u32::from(n).saturating_sub(1)),
        AgeCond::AtLeast(n) => (u32::from(n), u32::MAX),
        AgeCond::UntilCalendarYearTurns(n) => (0, u32::from(n)),
        AgeCond::AfterCalendarYearTurns(n) => (u32::from(n), u32::MAX),
    }
}
