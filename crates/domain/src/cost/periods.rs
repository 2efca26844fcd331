//! Who pays while a loan runs. A patient may move during a loan — into
//! special housing, to a short-term stay, back home — and from the day of the
//! move the agreement in force on that day, applied to the new setting,
//! decides the payer of the device (issue 22: "the rent and the device's
//! payer follow the setting history from that date"). The loan itself goes
//! on: the device stays with the patient; only the payer changes.

use super::model::Payer;
use super::outcome::Outcome;
use super::request::DecisionRequest;
use super::set::AgreementSet;
use crate::setting::Setting;
use crate::FieldError;
use crate::Term;
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value;

/// The patient's setting from a day on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SettingChange {
    pub from: NaiveDate,
    pub setting: Setting,
}

/// A stretch of a loan with one payer, from `from` until the next period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PayerPeriod {
    pub from: NaiveDate,
    pub setting: Setting,
    pub payer: Payer,
    pub rule: String,
    pub agreement_version: String,
}

/// The payer periods of a loan decided by `start` (its date is the loan's
/// first day) through the later setting `changes`. Each change is decided as
/// `start` with the new setting on the change's day, under the version in
/// force that day; a change that leaves payer and rule as they were adds no
/// period. A change that needs a fact the start did not give, or falls
/// outside the agreement, is refused naming `setting_changes[i]`.
pub fn payer_periods(
    set: &AgreementSet,
    start: &DecisionRequest,
    changes: &[SettingChange],
) -> Result<Vec<PayerPeriod>, FieldError> {
    let mut periods = vec![period(set, start, "")?];
    let mut sorted: Vec<(usize, &SettingChange)> = changes.iter().enumerate().collect();
    sorted.sort_by_key(|(_, c)| c.from);
    for (i, change) in sorted {
        let field = format!("setting_changes[{i}]");
        if change.from <= start.date {
            let msg = format!("a setting change must come after the loan's first day {}", start.date);
            return Err(FieldError::new(format!("{field}.from"), "not_after_start", msg));
        }
        let req = DecisionRequest { date: change.from, setting: change.setting, ..start.clone() };
        let next = period(set, &req, &field)?;
        let last = periods.last().expect("the start period");
        if (last.payer, &last.rule) != (next.payer, &next.rule) {
            periods.push(next);
        }
    }
    Ok(periods)
}

fn period(set: &AgreementSet, req: &DecisionRequest, field: &str) -> Result<PayerPeriod, FieldError> {
    let at = |e: FieldError| match field {
        "" => e,
        _ => {
            let inner = if e.field == "date" { "from".to_string() } else { e.field.clone() };
            e.at(format!("{field}.{inner}"))
        }
    };
    match set.decide(req).map_err(at)? {
        Outcome::Decision(d) => Ok(PayerPeriod {
            from: req.date,
            setting: req.setting,
            payer: d.payer,
            rule: d.rule,
            agreement_version: d.agreement.version,
        }),
        Outcome::Needs(needs) => {
            let facts: Vec<&str> = needs.iter().map(|n| n.fact.as_str()).collect();
            let msg = format!("the decision on {} needs facts that were not given: {}", req.date, facts.join(", "));
            Err(at(FieldError::new("product.facts", "needs_facts", msg)))
        }
    }
}

/// Parses `"setting_changes": [{"from": "YYYY-MM-DD", "setting": "saebo"}, …]`
/// of a decision line, naming the field of the first refusal.
pub fn setting_changes(v: &Value) -> Result<Vec<SettingChange>, FieldError> {
    let items = v.as_array().ok_or_else(|| {
        FieldError::new("setting_changes", "invalid_type", "a list of {\"from\": date, \"setting\": code}")
    })?;
    items.iter().enumerate().map(|(i, item)| setting_change(item, &format!("setting_changes[{i}]"))).collect()
}

fn setting_change(v: &Value, field: &str) -> Result<SettingChange, FieldError> {
    let o = v.as_object().ok_or_else(|| FieldError::new(field, "invalid_type", "an object with from and setting"))?;
    if let Some(k) = o.keys().find(|k| !["from", "setting"].contains(&k.as_str())) {
        return Err(FieldError::new(format!("{field}.{k}"), "unknown_field", "only from and setting"));
    }
    let text = |key: &str| {
        o.get(key)
            .and_then(Value::as_str)
            .ok_or_else(|| FieldError::new(format!("{field}.{key}"), "required", format!("give {key} as a string")))
    };
    let from = NaiveDate::parse_from_str(text("from")?, "%Y-%m-%d")
        .map_err(|_| FieldError::new(format!("{field}.from"), "invalid_date", "a date as YYYY-MM-DD"))?;
    let setting = Setting::parse(text("setting")?).map_err(|e| e.at(format!("{field}.setting")))?;
    Ok(SettingChange { from, setting })
}
