//! Opening a patient by personal identity number (posted, never in the
//! URL) and the device overview; emergency access when there is no care
//! relationship.

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
}

impl PatientTemplate {
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
