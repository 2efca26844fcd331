//! "Logggranskning" for audit reviewers: the log search (the patient's
//! personal identity number is posted, never put in a URL), a patient's
//! printable log extract and its CSV, and the emergency-access review
//! list with a sign-off form per access. Every page that shows the log
//! writes its own audit row (in the use-case).

use super::audit_text::{action_label, category_label, flag_label, legal_ground_label, outcome_label, verdict_label};
use super::form::Field;
use super::page::{error_page, render, Page};
use crate::extract::{CsrfForm, CsrfToken, RequestId, UiUser};
use crate::i18n::Lang;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use ramp_app::audit_review::{self as uc, AuditFilter, AuditPage, Flag, LogExtract};
use ramp_app::model::{AccessReason, EmergencyAccessRecord, Unit, User};
use ramp_app::AppError;
use ramp_domain::access::EmergencyCategory;
use ramp_domain::audit::{AuditOutcome, Verdict};
use ramp_domain::Term;
use serde::Deserialize;

const GROUNDS: [AccessReason; 4] =
    [AccessReason::CareRelationship, AccessReason::EmergencyAccess, AccessReason::HmcRole, AccessReason::None];

/// A choice in a select: value, text, whether chosen.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Debug, Default, Clone, Deserialize)]
pub struct SearchForm {
    #[serde(default)]
    personal_id: String,
    #[serde(default)]
    user: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    legal_ground: String,
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    after: String,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct SearchTemplate {
    page: Page,
    form: SearchForm,
    who: Vec<Field>,
    when: Vec<Field>,
    units: Vec<Choice>,
    grounds: Vec<Choice>,
    outcomes: Vec<Choice>,
    result: Option<AuditPage>,
}

impl SearchTemplate {
    fn tab(&self, tab: &str) -> &'static str {
        if tab == "search" {
            "page"
        } else {
            "false"
        }
    }
    fn action(&self, a: &str) -> String {
        action_label(self.page.lang, a)
    }
    fn ground(&self, r: &AccessReason) -> &'static str {
        legal_ground_label(self.page.lang, *r)
    }
    fn outcome(&self, o: &AuditOutcome) -> &'static str {
        outcome_label(self.page.lang, *o)
    }
    fn flag(&self, f: &Flag) -> &'static str {
        flag_label(self.page.lang, *f)
    }
}

fn choices<T: Copy>(
    lang: Lang,
    all: &[T],
    chosen: &str,
    code: fn(T) -> &'static str,
    label: fn(Lang, T) -> &'static str,
) -> Vec<Choice> {
    let mut out = vec![Choice { value: String::new(), label: lang.t("audit.any").into(), selected: chosen.is_empty() }];
    out.extend(all.iter().map(|v| Choice {
        value: code(*v).into(),
        label: label(lang, *v).into(),
        selected: code(*v) == chosen,
    }));
    out
}

fn search_template(page: Page, form: SearchForm, units: &[Unit], result: Option<AuditPage>) -> SearchTemplate {
    let lang = page.lang;
    let mut unit_choices =
        vec![Choice { value: String::new(), label: lang.t("audit.any_unit").into(), selected: form.unit.is_empty() }];
    unit_choices.extend(units.iter().map(|u| Choice {
        value: u.hsa_id.clone(),
        label: u.name.clone(),
        selected: u.hsa_id == form.unit,
    }));
    let grounds = choices(lang, &GROUNDS, &form.legal_ground, AccessReason::as_str, legal_ground_label);
    let outcomes = choices(lang, AuditOutcome::ALL, &form.outcome, AuditOutcome::as_str, outcome_label);
    let who = vec![
        Field::new(&page, "personal_id", lang.t("audit.personal_id"), &form.personal_id)
            .hint(lang.t("patient.personal_id_hint"))
            .max(20),
        Field::new(&page, "user", lang.t("audit.user"), &form.user).max(100),
    ];
    let when = vec![
        Field::new(&page, "from", lang.t("audit.from"), &form.from).kind("date"),
        Field::new(&page, "to", lang.t("audit.to"), &form.to).kind("date"),
    ];
    SearchTemplate { page, form, who, when, units: unit_choices, grounds, outcomes, result }
}

fn status_after(e: &AppError) -> StatusCode {
    if e.kind == ramp_app::ErrorKind::Internal {
        crate::error::log_internal(e);
    }
    crate::error::status_of(e.kind)
}

/// The search form (nothing is read from the log until it is sent).
pub async fn page(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
) -> Response {
    let units = match uc::units(&state.app, &user).await {
        Ok(u) => u,
        Err(e) => return error_page(lang, e),
    };
    let page = Page::new(lang, "audit.title", Some(&user), &csrf, "audit");
    render(&search_template(page, SearchForm::default(), &units, None), StatusCode::OK)
}

/// A page of the log for the posted filters.
pub async fn search(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    RequestId(rid): RequestId,
    CsrfForm(f): CsrfForm<SearchForm>,
) -> Response {
    let units = match uc::units(&state.app, &user).await {
        Ok(u) => u,
        Err(e) => return error_page(lang, e),
    };
    let some = |s: &String| Some(s.clone());
    let filter = AuditFilter {
        personal_id: some(&f.personal_id),
        user: some(&f.user),
        unit: some(&f.unit),
        from: some(&f.from),
        to: some(&f.to),
        legal_ground: some(&f.legal_ground),
        outcome: some(&f.outcome),
        after: some(&f.after),
        limit: None,
    };
    let mut page = Page::new(lang, "audit.title", Some(&user), &csrf, "audit");
    match uc::search(&state.app, &user, &filter, Some(&rid)).await {
        Ok(result) => render(&search_template(page, f, &units, Some(result)), StatusCode::OK),
        Err(e) => {
            page.add_error(&e);
            render(&search_template(page, f, &units, None), status_after(&e))
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct ExtractForm {
    #[serde(default)]
    personal_id: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

#[derive(Template)]
#[template(path = "audit_extract_form.html")]
struct ExtractFormTemplate {
    page: Page,
    fields: Vec<Field>,
}

impl ExtractFormTemplate {
    fn new(page: Page, f: &ExtractForm) -> Self {
        let lang = page.lang;
        let fields = vec![
            Field::new(&page, "personal_id", lang.t("audit.personal_id"), &f.personal_id)
                .hint(lang.t("patient.personal_id_hint"))
                .required()
                .max(20),
            Field::new(&page, "from", lang.t("audit.from"), &f.from).kind("date"),
            Field::new(&page, "to", lang.t("audit.to"), &f.to).kind("date"),
        ];
        Self { page, fields }
    }
    fn tab(&self, tab: &str) -> &'static str {
        if tab == "extract" {
            "page"
        } else {
            "false"
        }
    }
}

#[derive(Template)]
#[template(path = "audit_extract.html")]
struct ExtractTemplate {
    page: Page,
    x: LogExtract,
}

impl ExtractTemplate {
    fn action(&self, a: &str) -> String {
        action_label(self.page.lang, a)
    }
    fn ground(&self, r: &AccessReason) -> &'static str {
        legal_ground_label(self.page.lang, *r)
    }
    fn outcome(&self, o: &AuditOutcome) -> &'static str {
        outcome_label(self.page.lang, *o)
    }
}

/// The log-extract form.
pub async fn extract_form(lang: Lang, CsrfToken(csrf): CsrfToken, UiUser(user): UiUser) -> Response {
    if !uc::may_review(&user) {
        return error_page(lang, AppError::forbidden("role_required", "audit reviewers only"));
    }
    let page = Page::new(lang, "audit.extract.title", Some(&user), &csrf, "audit");
    render(&ExtractFormTemplate::new(page, &ExtractForm::default()), StatusCode::OK)
}

async fn make_extract(state: &AppState, user: &User, f: &ExtractForm, rid: &str) -> Result<LogExtract, AppError> {
    uc::log_extract(&state.app, user, &f.personal_id, Some(&f.from), Some(&f.to), Some(rid)).await
}

fn extract_refused(lang: Lang, csrf: &str, user: &User, f: ExtractForm, e: AppError) -> Response {
    if e.kind == ramp_app::ErrorKind::Forbidden {
        return error_page(lang, e);
    }
    let mut page = Page::new(lang, "audit.extract.title", Some(user), csrf, "audit");
    page.add_error(&e);
    render(&ExtractFormTemplate::new(page, &f), status_after(&e))
}

/// The printable log extract.
pub async fn extract(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    RequestId(rid): RequestId,
    CsrfForm(f): CsrfForm<ExtractForm>,
) -> Response {
    match make_extract(&state, &user, &f, &rid).await {
        Ok(x) => {
            let mut page = Page::new(lang, "audit.extract.title", Some(&user), &csrf, "audit");
            page.title =
                format!("{} – {} {}", lang.t("audit.extract.title"), x.patient.given_name, x.patient.family_name);
            render(&ExtractTemplate { page, x }, StatusCode::OK)
        }
        Err(e) => extract_refused(lang, &csrf, &user, f, e),
    }
}

/// The log extract as CSV (Swedish, formula cells neutralised).
pub async fn extract_csv(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    RequestId(rid): RequestId,
    CsrfForm(f): CsrfForm<ExtractForm>,
) -> Response {
    match make_extract(&state, &user, &f, &rid).await {
        Ok(x) => crate::api::audit_extract_csv(&x).into_response(),
        Err(e) => extract_refused(lang, &csrf, &user, f, e),
    }
}

/// The forms post; a GET (a reload, the language switch) goes back to the form.
pub async fn back_to_extract() -> Redirect {
    Redirect::to("/audit/log-extract")
}

#[derive(Debug, Default, Deserialize)]
pub struct EmergencyParams {
    status: Option<String>,
    after: Option<String>,
    /// Set after a sign-off, to say it was signed.
    signed: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct SignOffForm {
    #[serde(default)]
    verdict: String,
    #[serde(default)]
    comment: String,
    #[serde(default)]
    status: String,
}

#[derive(Template)]
#[template(path = "audit_emergency.html")]
struct EmergencyTemplate {
    page: Page,
    all: bool,
    accesses: Vec<EmergencyAccessRecord>,
    next: Option<String>,
    user_id: i64,
    /// The access whose sign-off failed, with what was typed.
    failed: Option<(i64, String, String)>,
    signed: bool,
}

impl EmergencyTemplate {
    fn tab(&self, tab: &str) -> &'static str {
        if tab == "emergency" {
            "page"
        } else {
            "false"
        }
    }
    fn verdict(&self, v: &Verdict) -> &'static str {
        verdict_label(self.page.lang, *v)
    }
    fn category(&self, c: &EmergencyCategory) -> &'static str {
        category_label(self.page.lang, *c)
    }
    fn verdicts(&self) -> Vec<(&'static str, &'static str)> {
        Verdict::ALL.iter().map(|v| (v.as_str(), verdict_label(self.page.lang, *v))).collect()
    }
    fn typed(&self, id: &i64) -> (String, String) {
        match &self.failed {
            Some((f, verdict, comment)) if f == id => (verdict.clone(), comment.clone()),
            _ => (String::new(), String::new()),
        }
    }
    fn error(&self, field: &str, id: &i64) -> Option<&str> {
        self.page.error_for(&format!("{field}-{id}"))
    }
    fn day(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        ramp_domain::time::stockholm_date(*at).to_string()
    }
}

#[allow(clippy::too_many_arguments)] // the page's parts, each named
async fn emergency_page(
    state: &AppState,
    lang: Lang,
    csrf: &str,
    user: &User,
    rid: &str,
    all: bool,
    after: Option<&str>,
    failed: Option<(i64, String, String, AppError)>,
    signed: bool,
) -> Response {
    let page_of = uc::emergency_accesses(&state.app, user, !all, after, Some(rid)).await;
    let result = match page_of {
        Ok(p) => p,
        Err(e) if e.kind == ramp_app::ErrorKind::Invalid => {
            match uc::emergency_accesses(&state.app, user, !all, None, Some(rid)).await {
                Ok(p) => p,
                Err(e) => return error_page(lang, e),
            }
        }
        Err(e) => return error_page(lang, e),
    };
    let mut page = Page::new(lang, "audit.emergency.title", Some(user), csrf, "audit");
    let mut status = StatusCode::OK;
    let failed = failed.map(|(id, verdict, comment, mut e)| {
        status = status_after(&e);
        e.field = Some(match e.field.take() {
            Some(f) => format!("{f}-{id}"),
            None => format!("comment-{id}"),
        });
        page.add_error(&e);
        (id, verdict, comment)
    });
    let t =
        EmergencyTemplate { page, all, accesses: result.accesses, next: result.next, user_id: user.id, failed, signed };
    render(&t, status)
}

/// The emergency accesses to review (or all of them).
pub async fn emergency(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    RequestId(rid): RequestId,
    Query(p): Query<EmergencyParams>,
) -> Response {
    let all = p.status.as_deref() == Some("all");
    let signed = p.signed.is_some();
    emergency_page(&state, lang, &csrf, &user, &rid, all, p.after.as_deref(), None, signed).await
}

/// Signs off one emergency access; back to the list, with the error beside
/// the access if it failed.
pub async fn sign_off(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    RequestId(rid): RequestId,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<SignOffForm>,
) -> Response {
    let all = f.status == "all";
    match uc::sign_off(&state.app, &user, id, &f.verdict, &f.comment, Some(&rid)).await {
        Ok(_) => Redirect::to(if all { "/audit/emergency?status=all&signed=1" } else { "/audit/emergency?signed=1" })
            .into_response(),
        Err(e) if e.kind == ramp_app::ErrorKind::Forbidden && e.code == "role_required" => error_page(lang, e),
        Err(e) => {
            emergency_page(&state, lang, &csrf, &user, &rid, all, None, Some((id, f.verdict, f.comment, e)), false)
                .await
        }
    }
}

/// A GET of the sign-off address goes to the list.
pub async fn back_to_emergency() -> Redirect {
    Redirect::to("/audit/emergency")
}
