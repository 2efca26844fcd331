//! Opening a patient by personal identity number (posted, never in the
//! URL) and the device overview; emergency access when there is no care
//! relationship; recording a move (a change of setting), which says whose
//! devices change payer from that day (issue 22).

use super::page::{render, Page};
use crate::extract::{CsrfForm, CsrfToken, RequestId, UiUser};
use crate::i18n::Lang;
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use ramp_app::patients::PatientOverview;
use ramp_app::ErrorKind;
use ramp_domain::access::EmergencyCategory;
use ramp_domain::Term;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "patient.html")]
struct PatientTemplate {
    page: Page,
    personal_id: String,
    overview: Option<PatientOverview>,
    /// Show the emergency-access form (no care relationship, and the
    /// user's role may declare it).
    offer_emergency: bool,
    category: String,
    reason: String,
    /// What the last recorded move did to the patient's loans.
    changed: Option<ramp_app::patient_register::SettingChanged>,
    /// The move form as sent (kept when it is refused or needs facts).
    new_setting: String,
    valid_from: String,
}

impl PatientTemplate {
    /// The settings a patient may move to, as (value, name in the page's language).
    fn settings(&self) -> Vec<(&'static str, &'static str)> {
        ramp_domain::setting::Setting::ALL.iter().map(|s| (s.as_str(), self.page.setting(s))).collect()
    }

    /// Whether `value` is the setting the move form was sent with.
    fn moved_to(&self, value: &str) -> bool {
        self.new_setting == value
    }

    /// The emergency categories as (value, name in the page's language).
    fn categories(&self) -> Vec<(&'static str, &'static str)> {
        EmergencyCategory::ALL
            .iter()
            .map(|c| (c.as_str(), super::audit_text::category_label(self.page.lang, *c)))
            .collect()
    }

    /// Whether `value` is the category the form was sent with.
    fn chosen(&self, value: &str) -> bool {
        self.category == value
    }
}

#[derive(Deserialize)]
pub struct PatientForm {
    #[serde(default)]
    personal_id: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    reason: String,
}

fn template(page: Page, personal_id: String) -> PatientTemplate {
    PatientTemplate {
        page,
        personal_id,
        overview: None,
        offer_emergency: false,
        category: String::new(),
        reason: String::new(),
        changed: None,
        new_setting: String::new(),
        valid_from: String::new(),
    }
}

#[derive(Deserialize)]
pub struct MoveForm {
    #[serde(default)]
    personal_id: String,
    #[serde(default)]
    setting: String,
    #[serde(default)]
    valid_from: String,
    /// `fact_<name>` = `yes` | `no`: answers to the questions a loan's new decision needs.
    #[serde(flatten)]
    answers: std::collections::BTreeMap<String, String>,
}

/// The answered facts of the move form (`fact_<name>`; an unanswered one is left out).
fn answered_facts(answers: &std::collections::BTreeMap<String, String>) -> std::collections::BTreeMap<String, bool> {
    answers
        .iter()
        .filter_map(|(k, v)| Some((k.strip_prefix("fact_")?.to_string(), v.as_str())))
        .filter_map(|(k, v)| match v {
            "yes" => Some((k, true)),
            "no" => Some((k, false)),
            _ => None,
        })
        .collect()
}

/// `POST /patient/setting`: records a move and shows the overview with whose
/// devices change payer from that day, or the questions still to answer.
pub async fn change_setting(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    RequestId(rid): RequestId,
    CsrfForm(f): CsrfForm<MoveForm>,
) -> Response {
    let page = Page::new(lang, "patient.title", Some(&user), &csrf, "patient");
    let mut t = template(page, f.personal_id.clone());
    let facts = answered_facts(&f.answers);
    let moved = ramp_app::patient_register::change_setting(
        &state.app,
        &user,
        &f.personal_id,
        &f.setting,
        &f.valid_from,
        &facts,
        Some(&rid),
    )
    .await;
    t.new_setting = f.setting;
    t.valid_from = f.valid_from;
    match moved {
        Ok(changed) => {
            t.changed = Some(changed);
            show(&state, lang, &csrf, &user, &rid, f.personal_id, t).await
        }
        Err(e) => {
            if e.kind == ErrorKind::Internal {
                crate::error::log_internal(&e);
            }
            t.page.add_error(&e);
            // The overview again (its read is audited as any), the move form with the error.
            let mut shown = show(&state, lang, &csrf, &user, &rid, f.personal_id, t).await;
            if shown.status() == StatusCode::OK {
                *shown.status_mut() = crate::error::status_of(e.kind);
            }
            shown
        }
    }
}

pub async fn form(lang: Lang, CsrfToken(csrf): CsrfToken, UiUser(user): UiUser) -> Response {
    render(&template(Page::new(lang, "patient.title", Some(&user), &csrf, "patient"), String::new()), StatusCode::OK)
}

async fn show(
    state: &AppState,
    lang: Lang,
    csrf: &str,
    user: &ramp_app::model::User,
    rid: &str,
    pid: String,
    mut t: PatientTemplate,
) -> Response {
    match ramp_app::patients::open_patient(&state.app, user, &pid, Some(rid)).await {
        Ok(o) => {
            t.page.title =
                format!("{} {} – {}", o.patient.given_name, o.patient.family_name, lang.t("patient.overview"));
            t.page.emergency_until = o.emergency_until;
            t.overview = Some(o);
            render(&t, StatusCode::OK)
        }
        Err(e) => {
            let status = crate::error::status_of(e.kind);
            t.offer_emergency =
                e.code == "care_relationship_required" && ramp_app::patients::may_declare_emergency(&state.app, user);
            if e.kind == ErrorKind::Internal {
                crate::error::log_internal(&e);
            }
            let mut page = Page::new(lang, "patient.title", Some(user), csrf, "patient");
            page.add_error(&e);
            t.page = page;
            render(&t, status)
        }
    }
}

pub async fn open(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    RequestId(rid): RequestId,
    CsrfForm(f): CsrfForm<PatientForm>,
) -> Response {
    let page = Page::new(lang, "patient.title", Some(&user), &csrf, "patient");
    let t = template(page, f.personal_id.clone());
    show(&state, lang, &csrf, &user, &rid, f.personal_id, t).await
}

pub async fn emergency(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    RequestId(rid): RequestId,
    CsrfForm(f): CsrfForm<PatientForm>,
) -> Response {
    let page = Page::new(lang, "patient.title", Some(&user), &csrf, "patient");
    let mut t = template(page, f.personal_id.clone());
    let (pnr, category, reason) = (&f.personal_id, &f.category, &f.reason);
    let declared =
        ramp_app::patients::declare_emergency_access(&state.app, &user, pnr, category, reason, Some(&rid)).await;
    match declared {
        Ok(_) => show(&state, lang, &csrf, &user, &rid, f.personal_id, t).await,
        Err(e) => {
            if e.kind == ErrorKind::Internal {
                crate::error::log_internal(&e);
            }
            t.page.add_error(&e);
            t.offer_emergency = ramp_app::patients::may_declare_emergency(&state.app, &user);
            t.category = f.category;
            t.reason = f.reason;
            render(&t, crate::error::status_of(e.kind))
        }
    }
}
