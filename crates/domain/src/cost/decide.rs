//! Evaluating one agreement: first match by priority over precompiled rules,
//! without allocating. A rule whose facts are unknown is "pending"; the
//! answer is given only if no pending rule could change it, otherwise the
//! unknown facts are asked for ("never a guess").

use super::model::{setting_bit, AgeCond, Agreement, Answer, Rule};
use super::request::DecisionRequest;
use crate::setting::Setting;
use crate::FieldError;
use chrono::Datelike;

/// A request resolved against one agreement: bits, numbers, no strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Query {
    pub setting: Setting,
    pub kind_bit: u8,
    pub need_bit: u8,
    /// The six-digit ISO code as a number (`120606`).
    pub iso: u32,
    pub age: u32,
    pub birth_year: Option<i32>,
    /// The year of the decision date.
    pub year: i32,
    /// Facts whose value is known, and their values (bits by fact index).
    pub known: u64,
    pub values: u64,
}

/// The result of evaluating a query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Eval {
    /// Index of the deciding rule.
    Rule(usize),
    /// Facts (bits) and whether the birth date is needed to decide.
    Needs { facts: u64, birth_date: bool },
    /// No rule matches.
    NotCovered,
}

impl Agreement {
    /// Resolves a request against this agreement. `known_fact` says whether a
    /// fact name this agreement does not declare is known elsewhere (it is
    /// then ignored rather than refused).
    pub(crate) fn query(&self, req: &DecisionRequest, known_fact: impl Fn(&str) -> bool) -> Result<Query, FieldError> {
        // No code (a nutrition product) matches no ISO condition.
        let iso = req.product.iso.as_ref().map_or(0, |c| iso_number(c.as_str()));
        self.in_scope(req, iso)?;
        let (mut known, mut values) = (0u64, 0u64);
        for (name, value) in &req.product.facts {
            match self.fact_index(name) {
                Some(i) => {
                    known |= 1 << i;
                    values |= u64::from(*value) << i;
                }
                None if known_fact(name) => {}
                None => {
                    let field = format!("product.facts.{name}");
                    return Err(FieldError::new(field, "unknown_fact", format!("unknown fact '{name}'")));
                }
            }
        }
        let (known, values) = self.implied_from_iso(iso, known, values);
        let birth_year = match req.patient {
            super::request::Patient::BirthDate(b) => Some(b.year()),
            super::request::Patient::Age(_) => None,
        };
        Ok(Query {
            setting: req.setting,
            kind_bit: req.product.kind.bit(),
            need_bit: req.need.bit(),
            iso,
            age: req.patient.age_on(req.date),
            birth_year,
            year: req.date.year(),
            known,
            values,
        })
    }

    fn in_scope(&self, req: &DecisionRequest, iso: u32) -> Result<(), FieldError> {
        let s = &self.scope;
        let not_covered = |field: &str, what: String| {
            let msg =
                format!("the agreement of {} in force ({}) does not cover {what}", self.region_name, self.version);
            Err(FieldError::new(field, "not_covered", msg))
        };
        if s.settings & setting_bit(req.setting) == 0 {
            return not_covered("setting", format!("the setting {}", req.setting));
        }
        if s.kinds & req.product.kind.bit() == 0 {
            return not_covered("product.kind", format!("the kind {}", req.product.kind));
        }
        match &req.product.iso {
            Some(code) if !s.iso.is_empty() && !s.iso.iter().any(|p| p.matches(iso)) => {
                not_covered("product.iso", format!("ISO class {}", &code.as_str()[..2]))
            }
            _ => Ok(()),
        }
    }

    /// Facts that follow from the ISO code, unless the request answered them.
    pub(crate) fn implied_from_iso(&self, iso: u32, mut known: u64, mut values: u64) -> (u64, u64) {
        for &(i, prefix) in &self.implied {
            let bit = 1u64 << i;
            if known & bit == 0 && prefix.matches(iso) {
                known |= bit;
                values |= bit;
            }
        }
        let unanswered_iso_only = self.iso_only_mask & !known;
        (known | unanswered_iso_only, values)
    }

    /// First match by priority; see the module comment for unknown facts.
    pub(crate) fn evaluate(&self, q: &Query) -> Eval {
        let mut pending = Pending::default();
        for &i in &self.by_setting[q.setting as usize] {
            let rule = &self.rules[i as usize];
            match rule.test(q) {
                Test::No => {}
                Test::Yes => return pending.settle(i as usize, rule.answer),
                Test::Unknown { facts, birth_date } => pending.add(rule.answer, facts, birth_date),
            }
        }
        pending.unsettled()
    }
}

/// Pending rules seen so far: what they would need, and whether they agree.
#[derive(Default)]
struct Pending {
    facts: u64,
    birth_date: bool,
    first: Option<Answer>,
    mixed: bool,
}

impl Pending {
    fn add(&mut self, answer: Answer, facts: u64, birth_date: bool) {
        self.facts |= facts;
        self.birth_date |= birth_date;
        match self.first {
            None => self.first = Some(answer),
            Some(a) if a != answer => self.mixed = true,
            Some(_) => {}
        }
    }

    fn settle(self, rule: usize, answer: Answer) -> Eval {
        match self.first {
            Some(a) if self.mixed || a != answer => self.needs(),
            _ => Eval::Rule(rule),
        }
    }

    fn unsettled(self) -> Eval {
        if self.first.is_some() {
            self.needs()
        } else {
            Eval::NotCovered
        }
    }

    fn needs(self) -> Eval {
        Eval::Needs { facts: self.facts, birth_date: self.birth_date }
    }
}

pub(crate) enum Test {
    No,
    Yes,
    Unknown { facts: u64, birth_date: bool },
}

impl Rule {
    /// Can the rule match this query at all, facts aside (setting, kind,
    /// need, ISO code, age)? `check`'s reachability asks it.
    pub(crate) fn admits(&self, q: &Query) -> bool {
        self.settings & super::model::setting_bit(q.setting) != 0
            && self.kinds & q.kind_bit != 0
            && self.needs & q.need_bit != 0
            && (self.iso.is_empty() || self.iso.iter().any(|p| p.matches(q.iso)))
            && self.age.test(q) != Some(false)
    }

    #[inline]
    pub(crate) fn test(&self, q: &Query) -> Test {
        if self.kinds & q.kind_bit == 0 || self.needs & q.need_bit == 0 {
            return Test::No;
        }
        if !self.iso.is_empty() && !self.iso.iter().any(|p| p.matches(q.iso)) {
            return Test::No;
        }
        let known = self.fact_mask & q.known;
        if (q.values ^ self.fact_values) & known != 0 {
            return Test::No;
        }
        let age = self.age.test(q);
        if age == Some(false) {
            return Test::No;
        }
        let facts = self.fact_mask & !q.known;
        if facts == 0 && age == Some(true) {
            Test::Yes
        } else {
            Test::Unknown { facts, birth_date: age.is_none() }
        }
    }
}

impl AgeCond {
    /// `None` when only the birth year can tell (age given, year-based rule).
    #[inline]
    fn test(self, q: &Query) -> Option<bool> {
        match self {
            AgeCond::Any => Some(true),
            AgeCond::Below(n) => Some(q.age < u32::from(n)),
            AgeCond::AtLeast(n) => Some(q.age >= u32::from(n)),
            AgeCond::UntilCalendarYearTurns(n) => until_year_turns(q, n),
            AgeCond::AfterCalendarYearTurns(n) => until_year_turns(q, n).map(|b| !b),
        }
    }
}

/// Is the decision year at most the year the patient turns `n`? With only an
/// age, the birth year is one of two; decided when both agree.
fn until_year_turns(q: &Query, n: u8) -> Option<bool> {
    let n = i64::from(n);
    match q.birth_year {
        Some(b) => Some(i64::from(b) + n >= i64::from(q.year)),
        None => {
            let age = i64::from(q.age);
            if age < n {
                Some(true)
            } else if age > n {
                Some(false)
            } else {
                None
            }
        }
    }
}

/// `"120606"` as `120606`; the request has already validated six digits.
#[inline]
pub(crate) fn iso_number(code: &str) -> u32 {
    code.bytes().fold(0, |n, b| n * 10 + u32::from(b.wrapping_sub(b'0')))
}
