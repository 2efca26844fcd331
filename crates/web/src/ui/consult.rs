//! Consultation booking pages: a prescriber's consultations and the form to
//! request one, a consultant's slots and the form to publish one, and one
//! consultation with its booking, free slots (book or rebook), cancelling,
//! the confirmations sent and the calendar file. Times are Stockholm time.

use super::page::{error_page, render, Page};
use crate::extract::{CsrfForm, CsrfToken, RequestId, UiUser};
use crate::i18n::Lang;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use chrono::NaiveTime;
use ramp_app::consult::{ConsultationView, NewConsultationRequest, SlotFilter, SlotRequest};
use ramp_app::dates::parse_date;
use ramp_app::model::{ConsultationLocation, ConsultationService, ConsultationSummary, Slot, User};
use ramp_app::AppError;
use ramp_domain::consult::{stockholm_to_utc, ConsultationStatus};
use ramp_domain::role::Role;
use ramp_domain::Term;
use serde::Deserialize;

/// The fields of both forms on the list page, as typed.
#[derive(Debug, Default, Deserialize)]
pub struct ConsultForm {
    #[serde(default)]
    personal_id: String,
    #[serde(default)]
    service_code: String,
    #[serde(default)]
    question: String,
    #[serde(default)]
    location: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    time: String,
    #[serde(default)]
    minutes: String,
    #[serde(default)]
    slot_id: String,
}

#[derive(Template)]
#[template(path = "consultations.html")]
struct ListTemplate {
    page: Page,
    prescriber: bool,
    consultant: bool,
    services: Vec<ConsultationService>,
    locations: Vec<ConsultationLocation>,
    mine: Vec<ConsultationSummary>,
    slots: Vec<Slot>,
    form: ConsultForm,
}

#[derive(Template)]
#[template(path = "consultation.html")]
struct DetailTemplate {
    page: Page,
    view: ConsultationView,
    free: Vec<Slot>,
    may_act: bool,
    calendar_url: Option<String>,
}

/// Display helpers the consultation templates share.
impl Page {
    pub fn consult_status(&self, s: &ConsultationStatus) -> &'static str {
        match self.lang {
            Lang::Sv => s.name_sv(),
            Lang::En => s.name_en(),
        }
    }

    pub fn service_name(&self, services: &[ConsultationService], code: &str) -> String {
        services
            .iter()
            .find(|s| s.code == code)
            .map(|s| if self.lang == Lang::Sv { s.name_sv.clone() } else { s.name_en.clone() })
            .unwrap_or_else(|| code.to_string())
    }

    pub fn time_span(&self, slot: &Slot) -> String {
        format!("{}–{}", self.datetime(&slot.starts_at), ramp_domain::time::stockholm(slot.ends_at).format("%H:%M"))
    }
}

impl ListTemplate {
    fn selected(&self, code: &str) -> bool {
        self.form.service_code == code
    }

    fn awaiting(&self, c: &ConsultationSummary) -> bool {
        c.status == ConsultationStatus::Open
    }
}

impl DetailTemplate {
    fn service_label(&self) -> String {
        if self.page.lang == Lang::Sv {
            self.view.service.name_sv.clone()
        } else {
            self.view.service.name_en.clone()
        }
    }

    fn is_booked(&self) -> bool {
        self.view.consultation.status == ConsultationStatus::Booked
    }

    fn is_open(&self) -> bool {
        self.view.consultation.status == ConsultationStatus::Open
    }

    fn event_label(&self, kind: &ramp_domain::consult::ConsultationEventKind) -> &'static str {
        self.page.t(&format!("consult.event.{}", kind.as_str()))
    }
}

async fn list_page(
    state: &AppState,
    lang: Lang,
    csrf: &str,
    user: &User,
    form: ConsultForm,
) -> Result<ListTemplate, AppError> {
    let app = &state.app;
    let consultant = user.has_role(Role::Consultant);
    Ok(ListTemplate {
        page: Page::new(lang, "consult.title", Some(user), csrf, "consultations"),
        prescriber: user.has_role(Role::Prescriber),
        consultant,
        services: ramp_app::consult::services(app).await?,
        locations: ramp_app::consult::locations(app).await?,
        mine: ramp_app::consult::my_consultations(app, user).await?,
        slots: if consultant { ramp_app::consult::my_slots(app, user).await? } else { vec![] },
        form,
    })
}

/// Renders the list page with an error from one of its forms; errors of
/// the slot form are placed under `slot-…` ids.
async fn list_with_error(
    state: &AppState,
    lang: Lang,
    csrf: &str,
    user: &User,
    form: ConsultForm,
    e: AppError,
    slot_form: bool,
) -> Response {
    let status = crate::error::status_of(e.kind);
    if e.kind == ramp_app::ErrorKind::Internal {
        crate::error::log_internal(&e);
    }
    match list_page(state, lang, csrf, user, form).await {
        Ok(mut t) => {
            let mut e = e;
            if slot_form {
                e.field = e.field.map(|f| format!("slot-{f}"));
            }
            t.page.add_error(&e);
            render(&t, status)
        }
        Err(e) => error_page(lang, e),
    }
}

pub async fn list(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
) -> Response {
    let form = ConsultForm { minutes: "45".into(), ..ConsultForm::default() };
    match list_page(&state, lang, &csrf, &user, form).await {
        Ok(t) => render(&t, StatusCode::OK),
        Err(e) => error_page(lang, e),
    }
}

pub async fn create(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    RequestId(rid): RequestId,
    CsrfForm(f): CsrfForm<ConsultForm>,
) -> Response {
    let result = {
        let req = NewConsultationRequest {
            personal_id: f.personal_id.clone(),
            service_code: f.service_code.clone(),
            question: f.question.clone(),
        };
        ramp_app::consult::create_consultation(&state.app, &user, &req, Some(&rid)).await
    };
    match result {
        Ok(v) => Redirect::to(&format!("/consultations/{}", v.consultation.id)).into_response(),
        Err(e) => list_with_error(&state, lang, &csrf, &user, f, e, false).await,
    }
}

fn slot_request(f: &ConsultForm) -> Result<SlotRequest, AppError> {
    let date = parse_date("date", &f.date, "2026-11-24")?;
    let time = NaiveTime::parse_from_str(f.time.trim(), "%H:%M")
        .map_err(|_| AppError::invalid("time", "invalid_time", "expected a time such as 10:00"))?;
    let minutes = f
        .minutes
        .trim()
        .parse::<i64>()
        .map_err(|_| AppError::invalid("minutes", "invalid_duration", "the length is a number of minutes"))?;
    let starts_at = stockholm_to_utc(date.and_time(time), "time")?;
    Ok(SlotRequest { service_code: f.service_code.clone(), location: f.location.clone(), starts_at, minutes })
}

pub async fn publish(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    CsrfForm(f): CsrfForm<ConsultForm>,
) -> Response {
    let result = match slot_request(&f) {
        Ok(req) => ramp_app::consult::publish_slot(&state.app, &user, &req).await.map(|_| ()),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Redirect::to("/consultations").into_response(),
        Err(mut e) => {
            // The domain names the time field `starts_at`; the form has date and time.
            if e.field.as_deref() == Some("starts_at") {
                e.field = Some("time".into());
            }
            list_with_error(&state, lang, &csrf, &user, f, e, true).await
        }
    }
}

pub async fn withdraw(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<ConsultForm>,
) -> Response {
    let result = ramp_app::consult::withdraw_slot(&state.app, &user, id).await;
    match result {
        Ok(()) => Redirect::to("/consultations").into_response(),
        Err(e) => list_with_error(&state, lang, &csrf, &user, ConsultForm::default(), e, false).await,
    }
}

async fn detail_page(
    state: &AppState,
    lang: Lang,
    csrf: &str,
    user: &User,
    view: ConsultationView,
) -> Result<DetailTemplate, AppError> {
    let mut page = Page::new(lang, "consult.one", Some(user), csrf, "consultations");
    page.title = format!("{} {}", lang.t("consult.one"), view.consultation.id);
    let open = view.consultation.status != ConsultationStatus::ClosedUnbooked;
    let free = if open {
        let filter = SlotFilter { service_code: Some(view.consultation.service_code.clone()), ..SlotFilter::default() };
        ramp_app::consult::available_slots(&state.app, &filter).await?
    } else {
        vec![]
    };
    let may_act = user.id == view.consultation.prescriber_id || user.has_role(Role::Consultant);
    let calendar_url = view.consultation.booking().map(|b| format!("/api/v1/consultations/bookings/{}/calendar", b.id));
    Ok(DetailTemplate { page, view, free, may_act, calendar_url })
}

pub async fn detail(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    RequestId(rid): RequestId,
    Path(id): Path<i64>,
) -> Response {
    let shown = match ramp_app::consult::consultation(&state.app, &user, id, Some(&rid)).await {
        Ok(v) => detail_page(&state, lang, &csrf, &user, v).await,
        Err(e) => Err(e),
    };
    match shown {
        Ok(t) => render(&t, StatusCode::OK),
        Err(e) => error_page(lang, e),
    }
}

/// What a form on the detail page asks for.
#[derive(Debug, Clone, Copy)]
pub enum Act {
    Book,
    Rebook,
    Cancel,
}

struct Ctx {
    lang: Lang,
    csrf: String,
    user: User,
    rid: String,
}

async fn act(state: &AppState, c: Ctx, id: i64, f: &ConsultForm, act: Act) -> Response {
    let app = &state.app;
    let (user, rid) = (&c.user, Some(c.rid.as_str()));
    let slot =
        || f.slot_id.trim().parse::<i64>().map_err(|_| AppError::invalid("slot_id", "required", "choose a time"));
    let result = match act {
        Act::Cancel => ramp_app::consult::cancel(app, user, id, rid).await,
        Act::Book => match slot() {
            Ok(s) => ramp_app::consult::book(app, user, id, s, rid).await,
            Err(e) => Err(e),
        },
        Act::Rebook => match slot() {
            Ok(s) => ramp_app::consult::rebook(app, user, id, s, rid).await,
            Err(e) => Err(e),
        },
    };
    let e = match result {
        Ok(_) => return Redirect::to(&format!("/consultations/{id}")).into_response(),
        Err(e) => e,
    };
    let status = crate::error::status_of(e.kind);
    if e.kind == ramp_app::ErrorKind::Internal {
        crate::error::log_internal(&e);
    }
    let shown = match ramp_app::consult::consultation(app, user, id, rid).await {
        Ok(v) => detail_page(state, c.lang, &c.csrf, user, v).await,
        Err(e) => Err(e),
    };
    match shown {
        Ok(mut t) => {
            t.page.add_error(&e);
            render(&t, status)
        }
        Err(_) => error_page(c.lang, e),
    }
}

/// Books, rebooks or cancels; the route says which (an `Extension<Act>` layer).
#[allow(clippy::too_many_arguments)] // axum extractors, one per argument
pub async fn booking(
    Extension(what): Extension<Act>,
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    RequestId(rid): RequestId,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<ConsultForm>,
) -> Response {
    act(&state, Ctx { lang, csrf, user, rid }, id, &f, what).await
}
