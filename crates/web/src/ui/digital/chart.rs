//! One kind's measurements as a chart and the table beside it: the last
//! [`POINTS`] measurements in time order, a line per value, the limits in
//! force as dashed rules across the chart (`ui::figures::chart`), and the
//! same numbers in a table with a caption and header cells, so nothing is
//! only in the picture.

use super::{kind_label, number, value_label};
use crate::i18n::Lang;
use crate::ui::figures::chart::{Chart, Series};
use ramp_app::digital::LimitInForce;
use ramp_app::model::MeasurementRow;
use ramp_domain::measurement::MeasurementKind;
use ramp_domain::Term;
use std::collections::BTreeMap;

/// How many measurements of a kind the chart and its table show.
pub const POINTS: usize = 30;

/// A kind's chart (none for doses: taken or not is a table) and table.
pub struct KindSection {
    pub id: String,
    pub title: String,
    pub chart: Option<Chart>,
    /// Column headings: each value with its unit.
    pub columns: Vec<String>,
    /// Time and the values in the columns' order, oldest first.
    pub rows: Vec<(String, Vec<String>)>,
}

/// The values of a stored measurement.
pub fn values_of(m: &MeasurementRow) -> BTreeMap<String, f64> {
    serde_json::from_str(&m.values_json).unwrap_or_default()
}

fn short_time(at: &chrono::DateTime<chrono::Utc>) -> String {
    ramp_domain::time::stockholm(*at).format("%-d/%-m %H:%M").to_string()
}

fn long_time(at: &chrono::DateTime<chrono::Utc>) -> String {
    ramp_domain::time::stockholm(*at).format("%Y-%m-%d %H:%M").to_string()
}

/// A cell: the number in the language's way, "Tagen"/"Missad" for a dose.
fn cell(lang: Lang, kind: MeasurementKind, x: Option<f64>) -> String {
    match (kind, x) {
        (_, None) => "–".into(),
        (MeasurementKind::Dose, Some(v)) => lang.t(if v >= 1.0 { "digital.taken" } else { "digital.missed" }).into(),
        (_, Some(v)) => number(lang, v),
    }
}

/// The section of `kind` from the patient's measurements (newest first,
/// as stored) and the limits in force; `None` when there is none of it.
pub fn section(
    lang: Lang,
    kind: MeasurementKind,
    measurements: &[MeasurementRow],
    limits: &[LimitInForce],
) -> Option<KindSection> {
    let mut ms: Vec<&MeasurementRow> = measurements.iter().filter(|m| m.kind == kind).take(POINTS).collect();
    if ms.is_empty() {
        return None;
    }
    ms.reverse();
    let specs = kind.values();
    let values: Vec<BTreeMap<String, f64>> = ms.iter().map(|m| values_of(m)).collect();
    let columns = specs
        .iter()
        .map(|s| {
            if s.unit.is_empty() {
                value_label(lang, s.name)
            } else {
                format!("{} ({})", value_label(lang, s.name), s.unit)
            }
        })
        .collect();
    let rows = ms
        .iter()
        .zip(&values)
        .map(|(m, v)| {
            (long_time(&m.measured_at), specs.iter().map(|s| cell(lang, kind, v.get(s.name).copied())).collect())
        })
        .collect();
    let title = kind_label(lang, kind).to_string();
    let chart = (kind != MeasurementKind::Dose).then(|| {
        let every = ms.len().div_ceil(6).max(1);
        let categories: Vec<String> = ms
            .iter()
            .enumerate()
            .map(|(i, m)| if i % every == 0 { short_time(&m.measured_at) } else { String::new() })
            .collect();
        let series: Vec<Series> = specs
            .iter()
            .map(|s| Series {
                name: value_label(lang, s.name),
                values: values.iter().map(|v| v.get(s.name).copied()).collect(),
            })
            .collect();
        let rules = rules(lang, kind, limits);
        let label = format!(
            "{} {}: {} {}. {}",
            lang.t("digital.chart_of"),
            title.to_lowercase(),
            ms.len(),
            lang.t("digital.points"),
            lang.t("digital.chart_table"),
        );
        Chart::value_lines(&format!("chart-{}", kind.as_str()), label, &categories, &series, &rules)
    });
    Some(KindSection { id: kind.as_str().to_string(), title, chart, columns, rows })
}

/// The limits in force for the kind's values, as the chart's rules.
fn rules(lang: Lang, kind: MeasurementKind, limits: &[LimitInForce]) -> Vec<(f64, String)> {
    let mut out = vec![];
    for l in limits.iter().filter(|l| l.kind == kind) {
        let name = value_label(lang, l.value_name);
        if let Some(high) = l.high {
            out.push((high, format!("{name}, {} {}", lang.t("digital.limit_high"), number(lang, high))));
        }
        if let Some(low) = l.low {
            out.push((low, format!("{name}, {} {}", lang.t("digital.limit_low"), number(lang, low))));
        }
    }
    out
}
