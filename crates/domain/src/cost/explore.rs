//! Enumerating representative cases of one or more agreements, for `check`
//! (gaps) and `diff` (changed answers). Base cases are ISO codes mentioned
//! in the files (and "something else" in each class) × settings × kinds ×
//! needs × ages around every age boundary; facts are then branched on only
//! where an agreement asks for them.

use super::decide::{Eval, Query};
use super::model::{setting_bit, AgeCond, Agreement, IsoPrefix, Kind, Need};
use crate::setting::Setting;
use crate::Term;
use chrono::Datelike;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// The ISO 9999 classes (two-digit level), used when a file names no scope.
pub(crate) const ISO_CLASSES: [&str; 12] = ["04", "05", "06", "09", "12", "15", "18", "22", "24", "27", "28", "30"];

/// One fully specified case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Case {
    /// Six digits; `99` stands for "any other code under this prefix";
    /// empty for a nutrition product without an ISO code.
    pub iso: String,
    pub setting: Setting,
    pub kind: Kind,
    pub need: Need,
    pub age: u32,
    /// Set when an age rule needed the calendar year of birth.
    pub birth_year: Option<i32>,
    pub facts: BTreeMap<String, bool>,
}

impl fmt::Display for Case {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.iso.is_empty() {
            write!(f, "no ISO code")?;
        } else {
            write!(f, "ISO {}", self.iso)?;
        }
        write!(f, " {} in {}, need {}, age {}", self.kind, self.setting, self.need, self.age)?;
        if let Some(y) = self.birth_year {
            write!(f, " (born {y})")?;
        }
        for (name, value) in &self.facts {
            write!(f, ", {name}={value}")?;
        }
        Ok(())
    }
}

/// What one agreement says about a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Leaf {
    Rule(usize),
    NotCovered,
    OutOfScope,
}

/// Calls `visit` for every fully specified case, with each agreement's leaf.
pub(crate) fn explore(
    agreements: &[&Agreement],
    in_scope_of: Option<&Agreement>,
    mut visit: impl FnMut(&Case, &[Leaf]),
) {
    let year = agreements.iter().map(|a| a.effective_from().year()).max().unwrap_or(2000);
    for case in base_cases(agreements, in_scope_of) {
        branch(agreements, case, year, &mut visit);
    }
}

fn branch(agreements: &[&Agreement], mut case: Case, year: i32, visit: &mut impl FnMut(&Case, &[Leaf])) {
    let mut leaves = Vec::with_capacity(agreements.len());
    for a in agreements {
        if !a.covers(&case) {
            leaves.push(Leaf::OutOfScope);
            continue;
        }
        match a.evaluate(&a.case_query(&case, year)) {
            Eval::Rule(i) => leaves.push(Leaf::Rule(i)),
            Eval::NotCovered => leaves.push(Leaf::NotCovered),
            Eval::Needs { birth_date: true, .. } if case.birth_year.is_none() => {
                for born in [year - case.age as i32, year - case.age as i32 - 1] {
                    case.birth_year = Some(born);
                    branch(agreements, case.clone(), year, visit);
                }
                return;
            }
            Eval::Needs { facts, .. } if facts != 0 => {
                let name = a.facts()[facts.trailing_zeros() as usize].name.clone();
                for value in [true, false] {
                    case.facts.insert(name.clone(), value);
                    branch(agreements, case.clone(), year, visit);
                }
                return;
            }
            Eval::Needs { .. } => leaves.push(Leaf::NotCovered),
        }
    }
    visit(&case, &leaves);
}

impl Agreement {
    fn covers(&self, case: &Case) -> bool {
        let iso = super::decide::iso_number(&case.iso);
        self.scope.settings & setting_bit(case.setting) != 0
            && self.scope.kinds & case.kind.bit() != 0
            && (case.iso.is_empty() || self.scope.iso.is_empty() || self.scope.iso.iter().any(|p| p.matches(iso)))
    }

    pub(crate) fn case_query(&self, case: &Case, year: i32) -> Query {
        let iso = super::decide::iso_number(&case.iso);
        let (mut known, mut values) = (0u64, 0u64);
        for (name, value) in &case.facts {
            if let Some(i) = self.fact_index(name) {
                known |= 1 << i;
                values |= u64::from(*value) << i;
            }
        }
        let (known, values) = self.implied_from_iso(iso, known, values);
        Query {
            setting: case.setting,
            kind_bit: case.kind.bit(),
            need_bit: case.need.bit(),
            iso,
            age: case.age,
            birth_year: case.birth_year,
            year,
            known,
            values,
        }
    }
}

pub(crate) fn base_cases(agreements: &[&Agreement], in_scope_of: Option<&Agreement>) -> Vec<Case> {
    let mut isos = representative_isos(agreements);
    isos.push(String::new()); // a nutrition product without a code
    let ages = representative_ages(agreements);
    let mut out = Vec::new();
    for iso in &isos {
        for &setting in Setting::ALL {
            for &kind in Kind::ALL.iter().filter(|&&k| !iso.is_empty() || k == Kind::Nutrition) {
                for &need in Need::ALL {
                    for &age in &ages {
                        let facts = BTreeMap::new();
                        let case = Case { iso: iso.clone(), setting, kind, need, age, birth_year: None, facts };
                        if in_scope_of.is_none_or(|a| a.covers(&case)) {
                            out.push(case);
                        }
                    }
                }
            }
        }
    }
    out
}

/// Every prefix mentioned, padded with `9`s, plus "something else" in each class.
fn representative_isos(agreements: &[&Agreement]) -> Vec<String> {
    let mut prefixes: BTreeSet<String> = ISO_CLASSES.iter().map(|c| c.to_string()).collect();
    for a in agreements {
        let rules = a.rules.iter().flat_map(|r| r.iso.iter().copied());
        let facts = a.implied.iter().map(|(_, p)| *p);
        for p in rules.chain(facts).chain(a.scope.iso.iter().copied()) {
            let digits = p.digits();
            for len in [2, 4, 6] {
                if len <= digits.len() {
                    prefixes.insert(digits[..len].to_string());
                }
            }
        }
    }
    prefixes.into_iter().map(|p| format!("{p:9<6}")).collect::<BTreeSet<_>>().into_iter().collect()
}

/// Ages on both sides of every boundary the rules draw, plus a working-age
/// adult and an old person.
fn representative_ages(agreements: &[&Agreement]) -> Vec<u32> {
    let mut ages: BTreeSet<u32> = [40, 85].into();
    for rule in agreements.iter().flat_map(|a| &a.rules) {
        let n = match rule.age {
            AgeCond::Any => continue,
            AgeCond::Below(n) | AgeCond::AtLeast(n) => u32::from(n),
            AgeCond::UntilCalendarYearTurns(n) | AgeCond::AfterCalendarYearTurns(n) => {
                ages.insert(u32::from(n) + 1);
                u32::from(n)
            }
        };
        ages.insert(n);
        ages.insert(n.saturating_sub(1));
    }
    ages.into_iter().collect()
}

/// Can two prefix lists (empty = everything) share a code?
pub(crate) fn isos_overlap(a: &[IsoPrefix], b: &[IsoPrefix]) -> bool {
    a.is_empty() || b.is_empty() || a.iter().any(|x| b.iter().any(|y| x.overlaps(*y)))
}
