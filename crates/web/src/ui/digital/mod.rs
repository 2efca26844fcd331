//! The digital assistive devices' pages (issue 21): the unit's alarm list
//! ("Larm"), one view per patient with charts over time and the threshold
//! form, and the administrators' device secrets. All patient reads go
//! through the app's use-cases (`ramp_app::digital`), which check the care
//! relationship and audit; the patient is posted, never in a URL.
//!
//! Alarms and measurements are stored with machine words (`systolic 185 ≥
//! 180`, `silent 24 h`); this module words them in the page's language.

pub(crate) mod alarms;
pub(crate) mod chart;
pub(crate) mod patient;
pub(crate) mod secrets;

use crate::i18n::Lang;
use ramp_domain::alarm::{AlarmReason, AlarmState};
use ramp_domain::measurement::MeasurementKind;
use ramp_domain::Term;

/// The reason in words ("Värde utanför gräns").
pub fn reason_label(lang: Lang, r: AlarmReason) -> &'static str {
    lang.t(&format!("alarm.reason.{}", r.as_str()))
}

pub fn state_label(lang: Lang, s: AlarmState) -> &'static str {
    match lang {
        Lang::Sv => s.name_sv(),
        Lang::En => s.name_en(),
    }
}

pub fn kind_label(lang: Lang, k: MeasurementKind) -> &'static str {
    match lang {
        Lang::Sv => k.name_sv(),
        Lang::En => k.name_en(),
    }
}

/// A value's name ("Systoliskt tryck"); the name itself if unknown.
pub fn value_label(lang: Lang, name: &str) -> String {
    let t = lang.t(&format!("value.{name}"));
    if t == "[?]" {
        name.to_string()
    } else {
        t.to_string()
    }
}

/// The unit of a value by its name (the same for every kind carrying it).
fn unit_of(name: &str) -> &'static str {
    MeasurementKind::ALL.iter().find_map(|k| k.value(name)).map(|s| s.unit).unwrap_or("")
}

/// A number as the language writes it: no trailing zeros, a decimal comma in Swedish.
pub fn number(lang: Lang, x: f64) -> String {
    let s = if x.fract() == 0.0 { format!("{x:.0}") } else { format!("{}", (x * 100.0).round() / 100.0) };
    match lang {
        Lang::Sv => s.replace('.', ",").replace('-', "−"),
        Lang::En => s,
    }
}

/// A value with its unit ("185 mmHg").
pub fn with_unit(lang: Lang, name: &str, x: f64) -> String {
    let unit = unit_of(name);
    if unit.is_empty() {
        number(lang, x)
    } else {
        format!("{} {unit}", number(lang, x))
    }
}

/// What an alarm's stored detail says, in words: "Systoliskt tryck 185
/// mmHg, vid eller över övre gränsen 180 mmHg"; "Dosen togs inte"; "Ingen
/// rapport på mer än 1 dygn". An unreadable detail is shown as stored.
pub fn alarm_text(lang: Lang, reason: AlarmReason, detail: &str) -> String {
    match reason {
        AlarmReason::MissedDose => lang.t("alarm.missed_dose").to_string(),
        AlarmReason::Silent => silent_text(lang, detail).unwrap_or_else(|| detail.to_string()),
        AlarmReason::Threshold => detail
            .split("; ")
            .map(|b| breach_text(lang, b).unwrap_or_else(|| b.to_string()))
            .collect::<Vec<_>>()
            .join("; "),
    }
}

fn silent_text(lang: Lang, detail: &str) -> Option<String> {
    let hours: i64 = detail.strip_prefix("silent ")?.strip_suffix(" h")?.parse().ok()?;
    let span = if hours % 24 == 0 {
        format!("{} {}", hours / 24, lang.t("alarm.days"))
    } else {
        format!("{hours} {}", lang.t("alarm.hours"))
    };
    Some(format!("{} {span}", lang.t("alarm.silent_for")))
}

/// `systolic 185 ≥ 180` in words.
fn breach_text(lang: Lang, breach: &str) -> Option<String> {
    let mut parts = breach.split(' ');
    let (name, value, op, limit) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    let (value, limit): (f64, f64) = (value.parse().ok()?, limit.parse().ok()?);
    let side = match op {
        "≥" => lang.t("alarm.at_or_above"),
        "≤" => lang.t("alarm.at_or_below"),
        _ => return None,
    };
    Some(format!(
        "{} {}, {side} {}",
        value_label(lang, name),
        with_unit(lang, name, value),
        with_unit(lang, name, limit)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alarm_details_are_worded_in_swedish_and_english() {
        let t = alarm_text(Lang::Sv, AlarmReason::Threshold, "systolic 185 ≥ 180; pulse 35 ≤ 40");
        assert_eq!(t, "Systoliskt tryck 185 mmHg, vid eller över övre gränsen 180 mmHg; Puls 35 /min, vid eller under nedre gränsen 40 /min");
        assert_eq!(
            alarm_text(Lang::Sv, AlarmReason::Threshold, "celsius 39.5 ≥ 39.5"),
            "Kroppstemperatur 39,5 °C, vid eller över övre gränsen 39,5 °C"
        );
        assert_eq!(alarm_text(Lang::Sv, AlarmReason::Silent, "silent 24 h"), "Ingen rapport på mer än 1 dygn");
        assert_eq!(alarm_text(Lang::En, AlarmReason::Silent, "silent 168 h"), "No report for more than 7 days");
        assert_eq!(alarm_text(Lang::Sv, AlarmReason::MissedDose, "taken 0"), "Dosen togs inte");
        assert_eq!(reason_label(Lang::Sv, AlarmReason::Silent), "Tyst hjälpmedel");
    }
}
