//! Unreachable rules: a rule that can never decide any case, or never
//! decides the ISO codes one of its facts follows from, because rules
//! evaluated before it always answer first.
//!
//! Why: the gap and conflict checks cannot see a shadowed rule, since the
//! case still gets an answer (often the same payer). But the answer's
//! explanation, source and channel are the shadowing rule's, not the one
//! the agreement's text meant; issue 22 found the cosmetic rule silenced
//! for ISO 06 30 (prostheses) by the orthopaedic rule.
//!
//! How: for each rule, every representative case the rule's own conditions
//! allow (its facts set to the values it requires) is evaluated against the
//! rules before it; a fact neither the case nor the ISO code fixes is
//! branched on both values, so the rule is reachable when *some* product
//! reaches it.

use super::decide::{Query, Test};
use super::explore::{base_cases, Case};
use super::model::{Agreement, IsoPrefix};
use chrono::Datelike;

/// Why a rule is unreachable: where, and which rule answers instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Shadowed {
    pub rule: usize,
    /// `None`: no case at all; `Some(prefix)`: the codes a fact follows from.
    pub iso: Option<String>,
    pub fact: Option<String>,
    /// The rule that answered first in most of the cases tried.
    pub by: Option<usize>,
}

/// Every unreachable rule, and every rule unreachable for the ISO codes
/// one of its required facts follows from.
pub(crate) fn shadowed(a: &Agreement) -> Vec<Shadowed> {
    let year = a.effective_from().year();
    let cases = base_cases(&[a], Some(a));
    let mut out = Vec::new();
    for r in 0..a.rules.len() {
        let mine: Vec<Query> = cases.iter().filter_map(|c| own_query(a, r, c, year)).collect();
        let outcomes: Vec<Result<(), Option<usize>>> = mine.iter().map(|q| decides(a, r, *q)).collect();
        if outcomes.iter().all(Result::is_err) {
            out.push(Shadowed { rule: r, iso: None, fact: None, by: most_often(outcomes.iter()) });
            continue;
        }
        for (fact, prefix) in implied_true_facts(a, r) {
            let under: Vec<_> =
                (0..mine.len()).filter(|&i| prefix.matches(mine[i].iso)).map(|i| &outcomes[i]).collect();
            if !under.is_empty() && under.iter().all(|o| o.is_err()) {
                let by = most_often(under.into_iter());
                out.push(Shadowed { rule: r, iso: Some(spaced(&prefix.digits())), fact: Some(fact), by });
            }
        }
    }
    out
}

/// The rule that answered first in most of the cases: the one to name.
fn most_often<'a>(outcomes: impl Iterator<Item = &'a Result<(), Option<usize>>>) -> Option<usize> {
    let mut counts = std::collections::BTreeMap::<usize, usize>::new();
    for by in outcomes.filter_map(|o| o.err().flatten()) {
        *counts.entry(by).or_default() += 1;
    }
    counts.into_iter().max_by_key(|&(rule, n)| (n, std::cmp::Reverse(rule))).map(|(rule, _)| rule)
}

/// The facts rule `r` requires to be true that follow from ISO prefixes.
fn implied_true_facts(a: &Agreement, r: usize) -> Vec<(String, IsoPrefix)> {
    let rule = &a.rules[r];
    a.implied
        .iter()
        .filter(|(i, _)| {
            let bit = 1u64 << i;
            rule.fact_mask & bit != 0 && rule.fact_values & bit != 0
        })
        .map(|(i, p)| (a.facts[*i as usize].name.clone(), *p))
        .collect()
}

/// The case as a query with rule `r`'s facts set as it requires, or `None`
/// when the rule's setting, kind, need or ISO condition excludes it.
fn own_query(a: &Agreement, r: usize, case: &Case, year: i32) -> Option<Query> {
    let rule = &a.rules[r];
    let mut q = a.case_query(case, year);
    if !rule.admits(&q) {
        return None;
    }
    q.known |= rule.fact_mask;
    q.values = (q.values & !rule.fact_mask) | rule.fact_values;
    Some(q)
}

/// `Ok` when some choice of the facts still open lets rule `r` decide the
/// query; otherwise the rule that answered first (if one did).
fn decides(a: &Agreement, r: usize, q: Query) -> Result<(), Option<usize>> {
    for &i in &a.by_setting[q.setting as usize] {
        let i = i as usize;
        let test = a.rules[i].test(&q);
        if i == r {
            return match test {
                Test::Yes => Ok(()),
                Test::No => Err(None),
                Test::Unknown { .. } => branch(a, r, q, test),
            };
        }
        match test {
            Test::No => {}
            Test::Yes => return Err(Some(i)),
            Test::Unknown { .. } => return branch(a, r, q, test),
        }
    }
    Err(None)
}

/// Tries both values of the first open fact (or both possible birth years).
/// The blocker named is the last branch's: with the open facts false, the
/// rule that answers is the one that shadows in general, not a special case
/// such as a special adaptation.
fn branch(a: &Agreement, r: usize, q: Query, test: Test) -> Result<(), Option<usize>> {
    let Test::Unknown { facts, .. } = test else { return Err(None) };
    let mut last = None;
    if facts != 0 {
        let bit = 1u64 << facts.trailing_zeros();
        for value in [true, false] {
            let mut q = q;
            q.known |= bit;
            q.values = if value { q.values | bit } else { q.values & !bit };
            match decides(a, r, q) {
                Ok(()) => return Ok(()),
                Err(b) => last = b.or(last),
            }
        }
        return Err(last);
    }
    for born in [q.year - q.age as i32, q.year - q.age as i32 - 1] {
        let q = Query { birth_year: Some(born), ..q };
        match decides(a, r, q) {
            Ok(()) => return Ok(()),
            Err(b) => last = b.or(last),
        }
    }
    Err(last)
}

/// `"0630"` as `"06 30"`, the way the agreements write ISO codes.
fn spaced(digits: &str) -> String {
    let pairs: Vec<&str> = digits.as_bytes().chunks(2).map(|c| std::str::from_utf8(c).unwrap_or_default()).collect();
    pairs.join(" ")
}
