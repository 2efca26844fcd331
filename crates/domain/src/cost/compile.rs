//! From the raw file to precompiled rules: every name is resolved and every
//! semantic error (unknown setting, undeclared fact, bad ISO prefix) is
//! refused at the line where it is written.

use super::load::{
    parse_raw, AgreementError, RawAge, RawAgreement, RawFact, RawLostDevice, RawRule, RawScope, SpannedStr,
};
use super::model::{
    setting_bit, AgeCond, Agreement, Answer, Channel, Fact, IsoPrefix, Kind, Need, Payer, Rule, Scope, Text,
};
use crate::charges::LostDeviceRules;
use crate::money::Ore;
use crate::setting::Setting;
use crate::unit::UnitKind;
use crate::Term;
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashSet};
use toml::Spanned;

/// The most facts one agreement may declare (they are bits of a `u64`).
pub const MAX_FACTS: usize = 64;

const BASES: [&str; 4] = ["seed", "public", "interpretation", "reconstructed"];

impl Agreement {
    /// Parses and compiles one agreement file. `file_name` is used in errors
    /// and, when its stem is a date, must equal `effective_from`.
    pub fn parse(file_name: &str, text: &str) -> Result<Agreement, AgreementError> {
        let raw = parse_raw(file_name, text)?;
        Compiler { file: file_name, text }.agreement(raw)
    }
}

struct Compiler<'a> {
    file: &'a str,
    text: &'a str,
}

impl Compiler<'_> {
    fn err<T>(&self, offset: usize, message: impl Into<String>) -> Result<T, AgreementError> {
        Err(AgreementError::at(self.file, self.text, offset, message))
    }

    fn agreement(&self, raw: RawAgreement) -> Result<Agreement, AgreementError> {
        let region = self.region(&raw.region)?;
        let effective_from = self.effective_from(&raw.effective_from)?;
        let facts = self.facts(&raw.fact)?;
        let scope = self.scope(raw.scope.as_ref())?;
        let mut rules = self.rules(&raw.rule, &facts, &raw.sources)?;
        // Stable: equal priorities keep file order.
        rules.sort_by_key(|r| std::cmp::Reverse(r.priority));
        let by_setting = index_by_setting(&rules);
        let (implied, iso_only_mask) = implied_facts(&facts);
        let lost_device = self.lost_device(&raw.lost_device, &raw.sources)?;
        Ok(Agreement {
            file: self.file.to_string(),
            region,
            region_name: raw.region_name,
            title: raw.title,
            version: effective_from.format("%Y-%m-%d").to_string(),
            effective_from,
            facts,
            implied,
            iso_only_mask,
            scope,
            rules,
            by_setting,
            lost_device,
        })
    }

    /// The lost-device rule sets, checked: percentages 0–100, a limit of at
    /// least 0 kr, known unit kinds, a declared source.
    fn lost_device(
        &self,
        raw: &[Spanned<RawLostDevice>],
        sources: &BTreeMap<String, String>,
    ) -> Result<Vec<LostDeviceRules>, AgreementError> {
        let mut out = Vec::new();
        for r in raw {
            let r = r.get_ref();
            for p in [&r.main_device_minimum_percent, &r.accessory_percent] {
                if !(0..=100).contains(p.get_ref()) {
                    return self.err(p.span().start, "a percentage must be 0 to 100");
                }
            }
            if *r.minimum_charge_kr.get_ref() < 0 {
                return self.err(r.minimum_charge_kr.span().start, "minimum_charge_kr must be 0 or more");
            }
            for k in &r.unit_kinds {
                if UnitKind::parse(k.get_ref()).is_err() {
                    return self.err(k.span().start, format!("unknown unit kind '{}'", k.get_ref()));
                }
            }
            let source = self.source(&r.source, &r.quote, sources)?;
            if !BASES.contains(&r.basis.as_str()) {
                return self.err(r.source.span().start, format!("basis must be one of {}", BASES.join(", ")));
            }
            out.push(LostDeviceRules {
                id: r.id.clone(),
                pilot: r.pilot,
                unit_kinds: r.unit_kinds.iter().map(|k| k.get_ref().clone()).collect(),
                main_device_minimum_percent: *r.main_device_minimum_percent.get_ref(),
                accessory_percent: *r.accessory_percent.get_ref(),
                minimum_charge: Ore(r.minimum_charge_kr.get_ref().saturating_mul(100)),
                only_in_assortment: r.only_in_assortment,
                source,
            });
        }
        Ok(out)
    }

    fn region(&self, s: &SpannedStr) -> Result<String, AgreementError> {
        let ok = !s.get_ref().is_empty()
            && s.get_ref().bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !ok {
            return self.err(s.span().start, "region must be a lower-case code such as \"stockholm\"");
        }
        Ok(s.get_ref().clone())
    }

    fn effective_from(&self, v: &Spanned<toml::Value>) -> Result<NaiveDate, AgreementError> {
        let text = match v.get_ref() {
            toml::Value::Datetime(d) => d.to_string(),
            toml::Value::String(s) => s.clone(),
            _ => String::new(),
        };
        let Ok(date) = NaiveDate::parse_from_str(&text, "%Y-%m-%d") else {
            return self.err(v.span().start, "effective_from must be a date such as 2021-01-01");
        };
        if let Some(stem) = file_stem_date(self.file) {
            if stem != date {
                return self
                    .err(v.span().start, format!("effective_from {date} differs from the file name's date {stem}"));
            }
        }
        Ok(date)
    }

    fn facts(&self, raw: &[Spanned<RawFact>]) -> Result<Vec<Fact>, AgreementError> {
        if raw.len() > MAX_FACTS {
            return self.err(raw[MAX_FACTS].span().start, format!("at most {MAX_FACTS} facts may be declared"));
        }
        let mut seen = HashSet::new();
        raw.iter().map(|f| self.fact(f.get_ref(), &mut seen)).collect()
    }

    fn fact(&self, f: &RawFact, seen: &mut HashSet<String>) -> Result<Fact, AgreementError> {
        let name = f.name.get_ref();
        if !is_identifier(name) {
            return self.err(f.name.span().start, format!("fact name '{name}' must be snake_case"));
        }
        if !seen.insert(name.clone()) {
            return self.err(f.name.span().start, format!("fact '{name}' is declared twice"));
        }
        let iso = f.iso.iter().map(|p| self.iso(p).map(|p| p.digits())).collect::<Result<_, _>>()?;
        let question = Text { sv: f.sv.clone(), en: f.en.clone() };
        Ok(Fact { name: name.clone(), question, iso, iso_only: f.iso_only })
    }

    fn scope(&self, raw: Option<&Spanned<RawScope>>) -> Result<Scope, AgreementError> {
        let Some(raw) = raw else {
            return Ok(Scope { settings: 0x7f, kinds: all_bits(Kind::ALL.len()), iso: vec![], line: 1 });
        };
        let s = raw.get_ref();
        Ok(Scope {
            settings: self.settings(s.settings.as_deref(), raw.span().start)?,
            kinds: self.mask(s.kinds.as_deref(), Kind::parse, Kind::bit, Kind::ALL.len(), raw.span().start)?,
            iso: self.isos(s.iso.as_deref())?,
            line: super::load::line_column(self.text, raw.span().start).0,
        })
    }

    fn rules(
        &self,
        raw: &[Spanned<RawRule>],
        facts: &[Fact],
        sources: &BTreeMap<String, String>,
    ) -> Result<Vec<Rule>, AgreementError> {
        let mut ids = HashSet::new();
        let mut rules = Vec::with_capacity(raw.len());
        for r in raw {
            let line = super::load::line_column(self.text, r.span().start).0;
            let rule = self.rule(r.get_ref(), line, r.span().start, facts, sources)?;
            if !ids.insert(rule.id.clone()) {
                return self.err(r.get_ref().id.span().start, format!("rule id '{}' is used twice", rule.id));
            }
            rules.push(rule);
        }
        if rules.len() > u16::MAX as usize {
            return self.err(0, "too many rules");
        }
        Ok(rules)
    }

    fn rule(
        &self,
        r: &RawRule,
        line: usize,
        start: usize,
        facts: &[Fact],
        sources: &BTreeMap<String, String>,
    ) -> Result<Rule, AgreementError> {
        if !is_identifier(r.id.get_ref().replace('.', "_").as_str()) {
            return self.err(r.id.span().start, "rule id must be snake_case words separated by dots");
        }
        if !BASES.contains(&r.basis.get_ref().as_str()) {
            return self.err(r.basis.span().start, format!("basis must be one of: {}", BASES.join(", ")));
        }
        let (fact_mask, fact_values) = self.rule_facts(&r.facts, facts, start, r.id.get_ref())?;
        let answer = Answer {
            payer: self.one(&r.payer, Payer::parse)?,
            channel: self.one(&r.channel, Channel::parse)?,
            trust_prescription_allowed: r.trust_prescription,
        };
        Ok(Rule {
            id: r.id.get_ref().clone(),
            priority: r.priority,
            line,
            answer,
            explanation: Text { sv: r.explanation_sv.clone(), en: r.explanation_en.clone() },
            source: self.source(&r.source, &r.quote, sources)?,
            basis: r.basis.get_ref().clone(),
            settings: self.settings(r.settings.as_deref(), start)?,
            kinds: self.mask(r.kinds.as_deref(), Kind::parse, Kind::bit, Kind::ALL.len(), start)?,
            needs: self.mask(r.needs.as_deref(), Need::parse, Need::bit, Need::ALL.len(), start)?,
            iso: self.isos(r.iso.as_deref())?,
            age: self.age(r.age.as_ref())?,
            fact_mask,
            fact_values,
        })
    }

    fn rule_facts(
        &self,
        raw: &BTreeMap<String, bool>,
        facts: &[Fact],
        start: usize,
        id: &str,
    ) -> Result<(u64, u64), AgreementError> {
        let (mut mask, mut values) = (0u64, 0u64);
        for (name, value) in raw {
            let Some(i) = facts.iter().position(|f| &f.name == name) else {
                return self.err(start, format!("rule '{id}' uses fact '{name}', which no [[fact]] declares"));
            };
            mask |= 1 << i;
            if *value {
                values |= 1 << i;
            }
        }
        Ok((mask, values))
    }

    fn source(
        &self,
        key: &SpannedStr,
        quote: &str,
        sources: &BTreeMap<String, String>,
    ) -> Result<String, AgreementError> {
        let Some(document) = sources.get(key.get_ref()) else {
            return self.err(key.span().start, format!("source '{}' is not listed under [sources]", key.get_ref()));
        };
        Ok(format!("{document}: \u{201d}{}\u{201d}", quote.trim()))
    }

    fn one<T>(&self, s: &SpannedStr, parse: fn(&str) -> Result<T, crate::FieldError>) -> Result<T, AgreementError> {
        parse(s.get_ref()).or_else(|e| self.err(s.span().start, e.message))
    }

    fn settings(&self, list: Option<&[SpannedStr]>, at: usize) -> Result<u8, AgreementError> {
        self.mask(list, Setting::parse, setting_bit, Setting::ALL.len(), at)
    }

    /// A bit set over a vocabulary; absent means "all".
    fn mask<T>(
        &self,
        list: Option<&[SpannedStr]>,
        parse: impl Fn(&str) -> Result<T, crate::FieldError>,
        bit: fn(T) -> u8,
        count: usize,
        at: usize,
    ) -> Result<u8, AgreementError> {
        let Some(list) = list else {
            return Ok(all_bits(count));
        };
        if list.is_empty() {
            return self.err(at, "an empty list matches nothing; leave the key out to match everything");
        }
        let mut mask = 0;
        for s in list {
            mask |= bit(parse(s.get_ref()).or_else(|e| self.err(s.span().start, e.message))?);
        }
        Ok(mask)
    }

    fn isos(&self, list: Option<&[SpannedStr]>) -> Result<Vec<IsoPrefix>, AgreementError> {
        list.unwrap_or_default().iter().map(|s| self.iso(s)).collect()
    }

    fn iso(&self, s: &SpannedStr) -> Result<IsoPrefix, AgreementError> {
        IsoPrefix::parse(s.get_ref()).map_or_else(
            || self.err(s.span().start, format!("'{}' is not an ISO 9999 prefix (2, 4 or 6 digits)", s.get_ref())),
            Ok,
        )
    }

    fn age(&self, raw: Option<&Spanned<RawAge>>) -> Result<AgeCond, AgreementError> {
        let Some(raw) = raw else {
            return Ok(AgeCond::Any);
        };
        let a = raw.get_ref();
        let set = [a.below, a.at_least, a.until_calendar_year_turns, a.after_calendar_year_turns];
        let conds = [
            a.below.map(AgeCond::Below),
            a.at_least.map(AgeCond::AtLeast),
            a.until_calendar_year_turns.map(AgeCond::UntilCalendarYearTurns),
            a.after_calendar_year_turns.map(AgeCond::AfterCalendarYearTurns),
        ];
        match (set.iter().flatten().count(), conds.into_iter().flatten().next()) {
            (1, Some(c)) if !matches!(c, AgeCond::Below(0)) => Ok(c),
            _ => self.err(
                raw.span().start,
                "age takes exactly one of: below, at_least, until_calendar_year_turns, after_calendar_year_turns",
            ),
        }
    }
}

fn all_bits(count: usize) -> u8 {
    ((1u16 << count) - 1) as u8
}

fn is_identifier(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

fn file_stem_date(file: &str) -> Option<NaiveDate> {
    let name = file.rsplit(['/', '\\']).next()?;
    let stem = name.strip_suffix(".toml")?;
    NaiveDate::parse_from_str(stem, "%Y-%m-%d").ok()
}

fn index_by_setting(rules: &[Rule]) -> [Vec<u16>; 7] {
    let mut out: [Vec<u16>; 7] = Default::default();
    for (i, rule) in rules.iter().enumerate() {
        for &s in Setting::ALL {
            if rule.settings & setting_bit(s) != 0 {
                out[s as usize].push(i as u16);
            }
        }
    }
    out
}

fn implied_facts(facts: &[Fact]) -> (Vec<(u8, IsoPrefix)>, u64) {
    let mut implied = Vec::new();
    let mut iso_only = 0u64;
    for (i, f) in facts.iter().enumerate() {
        for p in f.iso.iter().filter_map(|p| IsoPrefix::parse(p)) {
            implied.push((i as u8, p));
        }
        if f.iso_only {
            iso_only |= 1 << i;
        }
    }
    (implied, iso_only)
}
