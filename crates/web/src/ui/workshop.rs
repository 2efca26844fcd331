//! The technicians' workshop: the work-order queue (filtered by status and
//! kind, oldest first, with age), and one work order with Starta, time and
//! parts, Avsluta, and — for a special adaptation — its document and
//! whether the prescriber has signed it.

use super::desk::log_if_internal;
use super::form::Field;
use super::page::{error_page, render, Page};
use crate::extract::{CsrfForm, CsrfToken, UiUser};
use crate::i18n::Lang;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use ramp_app::model::{Id, User, WorkOrderRow};
use ramp_app::supply as s;
use ramp_app::AppError;
use ramp_domain::work_order::{WorkOrderKind, WorkOrderStatus};
use ramp_domain::Term;
use serde::Deserialize;

/// The work-order wording of an error the order pages word differently.
fn worded(mut e: AppError) -> AppError {
    if e.code == "invalid_status_change" {
        e.code = "work_order_status_change";
    }
    e
}

#[derive(Deserialize)]
pub struct QueueParams {
    status: Option<String>,
    kind: Option<String>,
}

pub struct QueueRow {
    pub w: WorkOrderRow,
    pub age_days: i64,
}

#[derive(Template)]
#[template(path = "workshop.html")]
struct QueueTemplate {
    page: Page,
    status: String,
    kind: String,
    rows: Vec<QueueRow>,
}

/// Display names of kinds and statuses, shared by the pages.
pub trait WorkNames {
    fn page(&self) -> &Page;
    fn kind_name(&self, k: &WorkOrderKind) -> &'static str {
        self.page().t(&format!("work.kind.{k}"))
    }
    fn status_name(&self, s: &WorkOrderStatus) -> &'static str {
        self.page().t(&format!("work.status.{s}"))
    }
}

impl WorkNames for QueueTemplate {
    fn page(&self) -> &Page {
        &self.page
    }
}

impl QueueTemplate {
    fn kinds(&self) -> &'static [WorkOrderKind] {
        WorkOrderKind::ALL
    }
    fn statuses(&self) -> &'static [WorkOrderStatus] {
        WorkOrderStatus::ALL
    }
}

pub async fn queue(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    Query(q): Query<QueueParams>,
) -> Response {
    let status = q.status.unwrap_or_else(|| "open".into());
    let kind = q.kind.unwrap_or_default();
    let (st, kd) = (Some(status.as_str()).filter(|s| !s.is_empty()), Some(kind.as_str()).filter(|s| !s.is_empty()));
    match s::work_orders(&state.app, &user, st, kd).await {
        Ok(list) => {
            let now = state.app.now();
            let rows = list.into_iter().map(|w| QueueRow { age_days: (now - w.created_at).num_days(), w }).collect();
            let page = Page::new(lang, "work.queue_title", Some(&user), &csrf, "workshop");
            render(&QueueTemplate { page, status, kind, rows }, StatusCode::OK)
        }
        Err(e) => error_page(lang, e),
    }
}

#[derive(Template)]
#[template(path = "work_order.html")]
struct WorkOrderTemplate {
    page: Page,
    d: s::WorkOrderDetail,
    notice: Option<&'static str>,
    entry: Vec<Field>,
    outcome: Field,
    document: Vec<Field>,
    is_technician: bool,
    /// The zero-stock warning was shown: offer to record the part anyway.
    confirm_stock: bool,
}

impl WorkNames for WorkOrderTemplate {
    fn page(&self) -> &Page {
        &self.page
    }
}

impl WorkOrderTemplate {
    fn open(&self) -> bool {
        self.d.order.status == WorkOrderStatus::Open
    }

    fn in_progress(&self) -> bool {
        self.d.order.status == WorkOrderStatus::InProgress
    }

    fn adaptation(&self) -> bool {
        self.d.order.kind == WorkOrderKind::SpecialAdaptation
    }

    fn active(&self) -> bool {
        self.d.order.status.is_active()
    }

    /// A checklist item's label in the page's language.
    fn label<'a>(&self, c: &'a ramp_app::model::ChecklistLine) -> &'a str {
        match self.page.lang {
            crate::i18n::Lang::Sv => &c.label_sv,
            crate::i18n::Lang::En => &c.label_en,
        }
    }

    /// An attachment's size in whole kB (at least 1).
    fn kb(&self, bytes: &i64) -> i64 {
        (bytes / 1024).max(1)
    }
}

#[derive(Deserialize, Default)]
pub struct WorkForm {
    #[serde(default)]
    minutes: String,
    #[serde(default)]
    part_article_number: String,
    #[serde(default)]
    part_quantity: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    confirm_without_stock: Option<String>,
    #[serde(default)]
    patient_need: String,
    #[serde(default)]
    measurements: String,
    #[serde(default)]
    changes_made: String,
    #[serde(default)]
    materials: String,
    #[serde(default)]
    risk_assessment: String,
    #[serde(default)]
    follow_up_on: String,
    #[serde(default)]
    item_id: String,
}

#[derive(Deserialize)]
pub struct DoneParams {
    done: Option<String>,
}

pub(super) async fn detail_page(
    state: &AppState,
    lang: Lang,
    csrf: &str,
    user: &User,
    id: Id,
    notice: Option<&'static str>,
    failed: Option<(AppError, &WorkForm)>,
) -> Response {
    let d = match s::work_order(&state.app, user, id).await {
        Ok(d) => d,
        Err(e) => return error_page(lang, e),
    };
    let mut page = Page::new(lang, "work.title", Some(user), csrf, "workshop");
    page.title =
        format!("{} {} – {}", lang.t("work.title"), d.order.id, lang.t(&format!("work.kind.{}", d.order.kind)));
    let blank = WorkForm::default();
    let mut confirm_stock = false;
    let (status, f) = match failed {
        Some((e, f)) => {
            log_if_internal(&e);
            confirm_stock = e.code == "part_out_of_stock";
            let status = crate::error::status_of(e.kind);
            page.add_error(&worded(e));
            (status, f)
        }
        None => (StatusCode::OK, &blank),
    };
    let t = |k: &str| lang.t(k);
    let entry = vec![
        Field::new(&page, "minutes", t("work.minutes"), &f.minutes).kind("number"),
        Field::new(&page, "part_article_number", t("work.part"), &f.part_article_number)
            .max(40)
            .hint(t("work.part_hint")),
        Field::new(&page, "part_quantity", t("work.part_quantity"), &f.part_quantity).kind("number"),
        Field::new(&page, "note", t("col.note"), &f.note).max(500),
    ];
    let outcome = Field::new(&page, "outcome", t("work.outcome"), &f.outcome).kind("textarea").max(2000);
    let mut document = vec![Field::new(&page, "title", t("work.doc_title"), &f.title).required().max(200)];
    for (name, _, required) in ramp_domain::workshop::ADAPTATION_FIELDS {
        let mut field =
            Field::new(&page, name, t(&format!("doc.{name}")), doc_value(f, name)).kind("textarea").max(10_000);
        if *required {
            field = field.required();
        }
        document.push(field);
    }
    document.push(
        Field::new(&page, "follow_up_on", t("work.doc_follow_up"), &f.follow_up_on)
            .kind("date")
            .hint(t("work.doc_fields_hint")),
    );
    let is_technician = user.has_role(ramp_domain::role::Role::Technician)
        || user.has_role(ramp_domain::role::Role::Consultant)
        || user.has_role(ramp_domain::role::Role::Admin);
    render(&WorkOrderTemplate { page, d, notice, entry, outcome, document, is_technician, confirm_stock }, status)
}

/// A structured document field's value in the form.
fn doc_value<'a>(f: &'a WorkForm, name: &str) -> &'a str {
    match name {
        "patient_need" => &f.patient_need,
        "measurements" => &f.measurements,
        "changes_made" => &f.changes_made,
        "materials" => &f.materials,
        "risk_assessment" => &f.risk_assessment,
        _ => "",
    }
}

/// The structured fields posted in the form.
fn doc_fields(f: &WorkForm) -> Result<ramp_domain::workshop::AdaptationFields, AppError> {
    Ok(ramp_domain::workshop::AdaptationFields {
        patient_need: f.patient_need.clone(),
        measurements: f.measurements.clone(),
        changes_made: f.changes_made.clone(),
        materials: f.materials.clone(),
        risk_assessment: f.risk_assessment.clone(),
        follow_up_on: ramp_app::dates::parse_optional_date(
            "follow_up_on",
            Some(f.follow_up_on.as_str()).filter(|s| !s.trim().is_empty()),
            "2027-03-01",
        )?,
    })
}

pub async fn show(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    Path(id): Path<Id>,
    Query(q): Query<DoneParams>,
) -> Response {
    let notice = match q.done.as_deref() {
        Some("started") => Some("work.started"),
        Some("entry") => Some("work.entry_done"),
        Some("finished") => Some("work.finished"),
        Some("document") => Some("work.document_done"),
        Some("created") => Some("work.created"),
        Some("checked") => Some("work.checked"),
        Some("attachment") => Some("work.attachment_done"),
        _ => None,
    };
    detail_page(&state, lang, &csrf, &user, id, notice.map(|k| lang.t(k)), None).await
}

/// A work order's POST address; a GET (a reload, the language switch) shows the work order.
pub async fn back_to_order(Path(id): Path<Id>) -> Response {
    Redirect::to(&format!("/workshop/{id}")).into_response()
}

#[derive(Clone, Copy)]
pub enum Action {
    Start,
    Entry,
    Finish,
    Document,
    Check,
}

fn number(field: &str, v: &str, code: &'static str) -> Result<Option<i32>, AppError> {
    match v.trim() {
        "" => Ok(None),
        x => x.parse().map(Some).map_err(|_| AppError::invalid(field, code, "a whole number")),
    }
}

async fn act(state: &AppState, user: &User, id: Id, action: Action, f: &WorkForm) -> Result<&'static str, AppError> {
    let app = &state.app;
    match action {
        Action::Start => s::start_work_order(app, user, id).await.map(|_| "started"),
        Action::Entry => {
            let req = s::WorkEntryRequest {
                minutes: number("minutes", &f.minutes, "invalid_minutes")?.unwrap_or(0),
                part_article_number: Some(f.part_article_number.clone()),
                part_quantity: number("part_quantity", &f.part_quantity, "invalid_part_quantity")?,
                note: Some(f.note.clone()),
                confirm_without_stock: f.confirm_without_stock.is_some(),
            };
            s::add_work_entry(app, user, id, &req).await.map(|_| "entry").map_err(|mut e| {
                if e.code == "invalid_quantity" {
                    e.code = "invalid_part_quantity";
                }
                e
            })
        }
        Action::Finish => s::finish_work_order(app, user, id, Some(&f.outcome)).await.map(|_| "finished"),
        Action::Document => {
            let req =
                s::AdaptationRequest { title: f.title.clone(), content: String::new(), fields: Some(doc_fields(f)?) };
            s::attach_adaptation(app, user, id, &req).await.map(|_| "document")
        }
        Action::Check => {
            let item = f.item_id.trim().parse().map_err(|_| AppError::invalid("item_id", "required", "which item?"))?;
            s::check_item(app, user, id, item).await.map(|_| "checked")
        }
    }
}

#[allow(clippy::too_many_arguments)] // one axum extractor each, passed on
async fn submit(
    state: AppState,
    lang: Lang,
    csrf: String,
    user: User,
    id: Id,
    action: Action,
    f: WorkForm,
) -> Response {
    let done = act(&state, &user, id, action, &f).await;
    match done {
        Ok(what) => Redirect::to(&format!("/workshop/{id}?done={what}")).into_response(),
        Err(e) if e.code == "work_order_not_found" => error_page(lang, e),
        Err(e) => detail_page(&state, lang, &csrf, &user, id, None, Some((e, &f))).await,
    }
}

/// Posts one step of a work order; the route says which (an `Extension<Action>` layer).
pub async fn step(
    Extension(action): Extension<Action>,
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    Path(id): Path<Id>,
    CsrfForm(f): CsrfForm<WorkForm>,
) -> Response {
    submit(state, lang, csrf, user, id, action, f).await
}
