//! One view per patient of their digital devices: each device with its
//! latest values, a chart over time per kind with the limits in force
//! drawn on it and the table beside it, the limits, the alarm history,
//! and (for prescribers) the threshold form. The patient is posted, never
//! in the URL; the read is `ramp_app::digital::patient_measurements`, the
//! same use-case, care-relationship rules and audit as `POST
//! /api/v1/patients/measurements`. A GET goes back to the patient form.

use super::chart::{section, values_of, KindSection};
use super::{alarm_text, kind_label, reason_label, state_label, value_label, with_unit};
use crate::extract::{CsrfForm, CsrfToken, RequestId, UiUser};
use crate::i18n::Lang;
use crate::ui::page::{render, Page};
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Redirect, Response};
use ramp_app::digital::{PatientMeasurements, ThresholdInput};
use ramp_app::model::User;
use ramp_app::{AppError, ErrorKind};
use ramp_domain::measurement::MeasurementKind;
use ramp_domain::Term;
use serde::Deserialize;

/// A device with its latest report.
pub struct DeviceLine {
    pub device_number: String,
    pub model: String,
    pub latest_at: Option<String>,
    pub latest: String,
}

/// One value's limits in force, worded.
pub struct LimitLine {
    pub key: String,
    pub label: String,
    pub low: String,
    pub high: String,
    pub own: bool,
}

pub struct AlarmLine {
    pub raised: String,
    pub device: String,
    pub reason: &'static str,
    pub what: String,
    pub state: &'static str,
    pub escalated: bool,
    pub note: Option<String>,
}

#[derive(Template)]
#[template(path = "patient_digital.html")]
struct DigitalTemplate {
    page: Page,
    personal_id: String,
    name: String,
    shown: bool,
    devices: Vec<DeviceLine>,
    sections: Vec<KindSection>,
    limits: Vec<LimitLine>,
    alarms: Vec<AlarmLine>,
    /// The threshold form: (value key `kind:value`, label) and what was typed.
    options: Vec<(String, String)>,
    value: String,
    low: String,
    high: String,
    notice: Option<&'static str>,
}

impl DigitalTemplate {
    fn chosen(&self, key: &str) -> bool {
        self.value == key
    }

    fn error(&self, field: &str) -> Option<&str> {
        self.page.error_for(field)
    }
}

fn empty(page: Page, personal_id: &str) -> DigitalTemplate {
    DigitalTemplate {
        page,
        personal_id: personal_id.to_string(),
        name: String::new(),
        shown: false,
        devices: vec![],
        sections: vec![],
        limits: vec![],
        alarms: vec![],
        options: vec![],
        value: String::new(),
        low: String::new(),
        high: String::new(),
        notice: None,
    }
}

/// Every value a threshold may be set for, as (key, "Blodtryck – Systoliskt tryck").
fn options(lang: Lang) -> Vec<(String, String)> {
    MeasurementKind::ALL
        .iter()
        .filter(|k| **k != MeasurementKind::Dose)
        .flat_map(|k| {
            k.values().iter().map(move |s| {
                (
                    format!("{}:{}", k.as_str(), s.name),
                    format!("{} – {}", kind_label(lang, *k), value_label(lang, s.name)),
                )
            })
        })
        .collect()
}

fn fill(t: &mut DigitalTemplate, v: PatientMeasurements) {
    let lang = t.page.lang;
    t.shown = true;
    t.personal_id = v.patient.personal_id.as_str().to_string();
    t.name = format!("{} {}", v.patient.given_name, v.patient.family_name);
    t.devices = v
        .devices
        .iter()
        .map(|d| {
            let latest = v.measurements.iter().find(|m| m.device_number == d.device_number);
            let worded = latest.map(|m| {
                let values = values_of(m);
                m.kind
                    .values()
                    .iter()
                    .filter_map(|s| values.get(s.name).map(|x| (s.name, *x)))
                    .map(|(name, x)| match m.kind {
                        MeasurementKind::Dose => format!(
                            "{}: {}",
                            value_label(lang, name),
                            lang.t(if x >= 1.0 { "digital.taken" } else { "digital.missed" })
                        ),
                        _ => format!("{} {}", value_label(lang, name), with_unit(lang, name, x)),
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            });
            DeviceLine {
                device_number: d.device_number.clone(),
                model: d.model.clone(),
                latest_at: latest.map(|m| t.page.datetime(&m.measured_at)),
                latest: worded.unwrap_or_else(|| lang.t("digital.never").to_string()),
            }
        })
        .collect();
    t.sections = MeasurementKind::ALL.iter().filter_map(|k| section(lang, *k, &v.measurements, &v.limits)).collect();
    t.limits = v
        .limits
        .iter()
        .map(|l| LimitLine {
            key: format!("{}:{}", l.kind.as_str(), l.value_name),
            label: format!("{} – {}", kind_label(lang, l.kind), value_label(lang, l.value_name)),
            low: l.low.map(|x| with_unit(lang, l.value_name, x)).unwrap_or_else(|| "–".into()),
            high: l.high.map(|x| with_unit(lang, l.value_name, x)).unwrap_or_else(|| "–".into()),
            own: l.own,
        })
        .collect();
    t.alarms = v
        .alarms
        .iter()
        .map(|a| AlarmLine {
            raised: t.page.datetime(&a.raised_at),
            device: format!("{} ({})", a.model, a.device_number),
            reason: reason_label(lang, a.reason),
            what: alarm_text(lang, a.reason, &a.detail),
            state: state_label(lang, a.state),
            escalated: a.escalated_at.is_some(),
            note: a.acknowledgement_note.clone(),
        })
        .collect();
    t.options = options(lang);
    t.page.emergency_until = v.emergency_until;
    t.page.title = format!("{} – {}", t.name, lang.t("digital.title"));
}

async fn show(state: &AppState, user: &User, rid: &str, mut t: DigitalTemplate, mut status: StatusCode) -> Response {
    let pid = t.personal_id.clone();
    match ramp_app::digital::patient_measurements(&state.app, user, &pid, Some(rid)).await {
        Ok(v) => fill(&mut t, v),
        Err(e) => {
            crate::ui::desk::log_if_internal(&e);
            t.page.add_error(&e);
            status = crate::error::status_of(e.kind);
        }
    }
    render(&t, status)
}

#[derive(Deserialize)]
pub struct OpenForm {
    #[serde(default)]
    personal_id: String,
}

/// `POST /patient/digital`: the view of the posted patient.
pub async fn open(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    RequestId(rid): RequestId,
    CsrfForm(f): CsrfForm<OpenForm>,
) -> Response {
    let page = Page::new(lang, "digital.title", Some(&user), &csrf, "patient");
    show(&state, &user, &rid, empty(page, f.personal_id.trim()), StatusCode::OK).await
}

pub async fn back() -> Redirect {
    Redirect::to("/patient")
}

#[derive(Deserialize)]
pub struct ThresholdForm {
    #[serde(default)]
    personal_id: String,
    /// `kind:value`, e.g. `blood_pressure:systolic`.
    #[serde(default)]
    value: String,
    #[serde(default)]
    low: String,
    #[serde(default)]
    high: String,
}

/// A limit as typed: empty is none; a decimal comma is a point.
fn limit(field: &str, typed: &str) -> Result<Option<f64>, AppError> {
    let t: String =
        typed.chars().filter(|c| !c.is_whitespace()).collect::<String>().replace(',', ".").replace('−', "-");
    if t.is_empty() {
        return Ok(None);
    }
    t.parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
        .map(Some)
        .ok_or_else(|| AppError::invalid(field, "not_a_number", format!("{field} must be a number")))
}

async fn set(state: &AppState, user: &User, rid: &str, f: &ThresholdForm) -> Result<(), AppError> {
    let (kind, value) = f.value.split_once(':').unwrap_or((f.value.as_str(), ""));
    let low = limit("low", &f.low)?;
    let high = limit("high", &f.high)?;
    let input = ThresholdInput { personal_id: f.personal_id.trim(), kind, value, low, high };
    ramp_app::digital::set_threshold(&state.app, user, &input, Some(rid)).await.map_err(|mut e| {
        // The form has one select for kind and value.
        if e.field.as_deref() == Some("kind") {
            e.field = Some("value".into());
        }
        e
    })
}

/// `POST /patient/digital/threshold`: sets (or, both empty, restores) one
/// value's limits, and shows the view again with a notice or the error
/// beside its field.
pub async fn threshold(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    RequestId(rid): RequestId,
    CsrfForm(f): CsrfForm<ThresholdForm>,
) -> Response {
    let page = Page::new(lang, "digital.title", Some(&user), &csrf, "patient");
    let mut t = empty(page, f.personal_id.trim());
    match set(&state, &user, &rid, &f).await {
        Ok(()) => {
            t.notice = Some(lang.t("digital.threshold_saved"));
            show(&state, &user, &rid, t, StatusCode::OK).await
        }
        Err(e) => {
            crate::ui::desk::log_if_internal(&e);
            let status = crate::error::status_of(e.kind);
            t.page.add_error(&e);
            (t.value, t.low, t.high) = (f.value, f.low, f.high);
            if e.kind == ErrorKind::Forbidden || e.kind == ErrorKind::NotFound {
                return render(&t, status);
            }
            show(&state, &user, &rid, t, status).await
        }
    }
}
