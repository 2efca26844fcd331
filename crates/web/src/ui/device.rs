//! The device card page, and what a prescriber or unit reports about a
//! device that is out: a pickup order ("hämtorder"), a fault, a loss.

use super::page::{error_page, render, Page};
use crate::extract::{CsrfForm, CsrfToken, RequestId, UiUser};
use crate::i18n::Lang;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use ramp_app::model::{AdaptationDocument, DeviceCard, PickupOrder, User};
use ramp_app::{AppError, ErrorKind};
use ramp_domain::role::Role;
use ramp_domain::Term;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "device.html")]
struct DeviceTemplate {
    page: Page,
    card: DeviceCard,
    /// An open pickup order: its rent end and deregistration dates.
    pickup: Option<PickupOrder>,
    /// What the last report did, announced politely.
    notice: Option<Notice>,
    /// The texts of a report that failed, kept for another try.
    form: ReportForm,
    /// Special-adaptation documents archived with the device.
    documents: Vec<AdaptationDocument>,
    /// May sign an adaptation (a prescriber).
    signs: bool,
    /// May create a work order for the device (the workshop's staff).
    creates_work: bool,
    /// The identity provider is configured: signing may step up there.
    step_up: bool,
    today: chrono::NaiveDate,
}

/// A report's outcome: its sentence, and the work order it made (a link
/// for the centre's staff, who may open it; the number alone for others).
pub struct Notice {
    text: String,
    work_order: Option<i64>,
}

impl From<String> for Notice {
    fn from(text: String) -> Self {
        Notice { text, work_order: None }
    }
}

#[derive(Deserialize, Default)]
pub struct ReportForm {
    #[serde(default)]
    note: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    circumstances: String,
    /// The adaptation document's public id.
    #[serde(default)]
    document: Option<String>,
    #[serde(default)]
    sha256: String,
    /// The signer's password, asked again at signing; never kept.
    #[serde(default)]
    password: String,
}

/// Who asks, in which language, within which request.
struct Ctx {
    state: AppState,
    lang: Lang,
    csrf: String,
    user: User,
    rid: String,
}

async fn card_page(c: &Ctx, number: &str, notice: Option<Notice>, failed: Option<(AppError, ReportForm)>) -> Response {
    let lang = c.lang;
    let card = match ramp_app::devices::device_card(&c.state.app, &c.user, number, Some(&c.rid)).await {
        Ok(card) => card,
        Err(e) => return error_page(lang, e),
    };
    let pickup = match ramp_app::devices::open_pickup_order(&c.state.app, &card).await {
        Ok(p) => p,
        Err(e) => return error_page(lang, e),
    };
    let documents = match ramp_app::supply::adaptation_documents_of_device(&c.state.app, &c.user, &card).await {
        Ok(d) => d,
        Err(e) => return error_page(lang, e),
    };
    let signs = c.user.has_role(ramp_domain::role::Role::Prescriber);
    let creates_work =
        [Role::Technician, Role::Warehouse, Role::Consultant, Role::Admin].iter().any(|r| c.user.has_role(*r));
    let today = c.state.app.today();
    let step_up = c.state.app.oidc_enabled();
    let mut page = Page::new(lang, "device.title", Some(&c.user), &c.csrf, "patient");
    match ramp_app::patients::emergency_banner(&c.state.app, &c.user, card.device.patient_id).await {
        Ok(until) => page.emergency_until = until,
        Err(e) => return error_page(lang, e),
    }
    page.title = format!("{} {} – {}", lang.t("device.title"), card.device.device_number, card.article.name);
    let (status, form) = match failed {
        Some((e, form)) => {
            if e.kind == ErrorKind::Internal {
                crate::error::log_internal(&e);
            }
            page.add_error(&e);
            (crate::error::status_of(e.kind), form)
        }
        None => (StatusCode::OK, ReportForm::default()),
    };
    let form = ReportForm { password: String::new(), ..form };
    render(&DeviceTemplate { page, card, pickup, notice, form, documents, signs, creates_work, step_up, today }, status)
}

impl DeviceTemplate {
    fn adaptation_fields(&self) -> &'static [(&'static str, &'static str, bool)] {
        ramp_domain::workshop::ADAPTATION_FIELDS
    }

    fn blocked(&self, reason: &str) -> &'static str {
        self.page.t(&format!("blocked.{reason}"))
    }
}

pub async fn card(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    RequestId(rid): RequestId,
    Path(number): Path<String>,
) -> Response {
    card_page(&Ctx { state, lang, csrf, user, rid }, &number, None, None).await
}

/// A report's address is a POST page; a GET (a reload, the language switch) shows the card.
pub async fn back_to_card(Path(number): Path<String>) -> Response {
    Redirect::to(&format!("/devices/{}", super::url_encode(&number))).into_response()
}

/// Which report a form posts.
#[derive(Clone, Copy)]
pub enum Report {
    Pickup,
    UndoPickup,
    Fault,
    Lost,
    Sign,
    /// Signing after authenticating again at the identity provider.
    StepUp,
}

async fn report(c: &Ctx, number: &str, kind: Report, f: &ReportForm) -> Result<Notice, AppError> {
    let (app, user, rid, lang) = (&c.state.app, &c.user, c.rid.as_str(), c.lang);
    match kind {
        Report::Pickup => {
            let p = ramp_app::orders::register_pickup(app, user, number, Some(&f.note), Some(rid)).await?;
            Ok(format!(
                "{} {}. {} {}.",
                lang.t("device.pickup_done"),
                p.rent_end_date,
                lang.t("device.deregistration"),
                p.deregistration_due
            )
            .into())
        }
        Report::UndoPickup => {
            ramp_app::orders::undo_pickup(app, user, number, Some(rid)).await?;
            Ok(lang.t("device.pickup_undone").to_string().into())
        }
        Report::Fault => {
            let id = ramp_app::orders::report_fault(app, user, number, &f.description, Some(rid)).await?;
            Ok(Notice { text: lang.t("device.fault_done").to_string(), work_order: Some(id) })
        }
        Report::Lost => {
            let l = ramp_app::orders::report_lost(app, user, number, &f.circumstances, Some(rid)).await?;
            Ok(format!("{} {}.", lang.t("device.lost_done"), l.reported_on).into())
        }
        Report::Sign => {
            let id = f
                .document
                .as_deref()
                .ok_or_else(|| AppError::not_found(Some("id"), "document_not_found", "which adaptation document?"))?;
            let how = ramp_app::supply::Reauthentication::Password(f.password.clone());
            ramp_app::supply::sign_adaptation(app, user, id, &f.sha256, &how, Some(rid)).await?;
            Ok(lang.t("adaptation.signed_done").to_string().into())
        }
        Report::StepUp => Err(AppError::internal("step-up", std::io::Error::other("handled in submit"))),
    }
}

async fn submit(c: Ctx, number: String, kind: Report, f: ReportForm) -> Response {
    if let Report::StepUp = kind {
        let next = format!("/devices/{}", super::url_encode(&number));
        let document = f.document.as_deref().unwrap_or_default();
        return match ramp_app::oidc::begin_step_up(&c.state.app, &c.user, &next, document, &f.sha256).await {
            Ok(begin) => super::oidc::step_up_redirect(&c.state, begin),
            Err(e) => card_page(&c, &number, None, Some((e, f))).await,
        };
    }
    let done = report(&c, &number, kind, &f).await;
    match done {
        Ok(notice) => card_page(&c, &number, Some(notice), None).await,
        Err(e) => card_page(&c, &number, None, Some((e, f))).await,
    }
}

/// Posts one kind of report; the route says which (an `Extension<Report>` layer).
#[allow(clippy::too_many_arguments)] // one axum extractor each
pub async fn report_form(
    Extension(kind): Extension<Report>,
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    RequestId(rid): RequestId,
    Path(number): Path<String>,
    CsrfForm(f): CsrfForm<ReportForm>,
) -> Response {
    submit(Ctx { state, lang, csrf, user, rid }, number, kind, f).await
}
