//! The unit's alarm list ("Larm"): the alarms routed or escalated to the
//! user's unit (every unit's for the centre's staff), with the patient as
//! the other patient pages name them, the device, the reason and the value
//! against its limit in words, and forms to acknowledge with a note and to
//! close. The list and each action go through `ramp_app::digital`, which
//! checks the unit and the care relationship and audits every patient
//! shown. A handled form answers 303 back to the list with a notice.

use super::{alarm_text, reason_label, state_label};
use crate::extract::{CsrfForm, CsrfToken, RequestId, UiUser};
use crate::i18n::Lang;
use crate::ui::page::{error_page, render, Page};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use ramp_app::digital::UnitAlarm;
use ramp_app::model::{Id, User};
use ramp_app::AppError;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "alarms.html")]
struct AlarmsTemplate {
    page: Page,
    alarms: Vec<UnitAlarm>,
    include_closed: bool,
    /// The user sees every unit's alarms (the centre's staff).
    all_units: bool,
    notice: Option<&'static str>,
    /// The alarm whose form was refused, to put the error beside it.
    failed: Option<Id>,
    note: String,
}

impl AlarmsTemplate {
    fn what(&self, a: &UnitAlarm) -> String {
        alarm_text(self.page.lang, a.alarm.reason, &a.alarm.detail)
    }

    fn reason(&self, a: &UnitAlarm) -> &'static str {
        reason_label(self.page.lang, a.alarm.reason)
    }

    fn state(&self, a: &UnitAlarm) -> &'static str {
        state_label(self.page.lang, a.alarm.state)
    }

    fn is_open(&self, a: &UnitAlarm) -> bool {
        a.alarm.state == ramp_domain::alarm::AlarmState::Open
    }

    fn is_closed(&self, a: &UnitAlarm) -> bool {
        a.alarm.state == ramp_domain::alarm::AlarmState::Closed
    }

    /// The error of this alarm's note field (`note-{id}`), if its form was refused there.
    fn note_error(&self, a: &UnitAlarm) -> Option<&str> {
        self.page.error_for(&format!("note-{}", a.alarm.id))
    }

    /// The note as typed, kept when the form was refused.
    fn note_value(&self, a: &UnitAlarm) -> &str {
        if self.failed == Some(a.alarm.id) {
            &self.note
        } else {
            ""
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    closed: Option<String>,
    #[serde(default)]
    done: Option<String>,
}

async fn list_page(
    state: &AppState,
    lang: Lang,
    csrf: &str,
    user: &User,
    rid: &str,
    q: &ListQuery,
    refused: Option<(AppError, Id, String)>,
) -> Response {
    let include_closed = q.closed.is_some();
    let alarms = match ramp_app::digital::unit_alarms_with_patients(&state.app, user, include_closed, Some(rid)).await {
        Ok(a) => a,
        Err(e) => return error_page(lang, e),
    };
    let mut page = Page::new(lang, "alarms.title", Some(user), csrf, "alarms");
    let notice = match q.done.as_deref() {
        Some("ack") => Some(lang.t("alarms.done_ack")),
        Some("close") => Some(lang.t("alarms.done_close")),
        _ => None,
    };
    let mut status = StatusCode::OK;
    let (mut failed, mut note) = (None, String::new());
    if let Some((e, id, typed)) = refused {
        crate::ui::desk::log_if_internal(&e);
        page.add_error(&e);
        // The error summary links to the field: this alarm's note.
        if e.field.as_deref() == Some("note") {
            if let Some(last) = page.errors.last_mut() {
                last.0 = format!("note-{id}");
            }
        }
        status = crate::error::status_of(e.kind);
        (failed, note) = (Some(id), typed);
    }
    let all_units = user.is_hmc() || ramp_app::admin::is_admin(user);
    let t = AlarmsTemplate { page, alarms, include_closed, all_units, notice, failed, note };
    render(&t, status)
}

/// `GET /alarms[?closed=1]`.
pub async fn list(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    RequestId(rid): RequestId,
    Query(q): Query<ListQuery>,
) -> Response {
    list_page(&state, lang, &csrf, &user, &rid, &q, None).await
}

#[derive(Deserialize)]
pub struct AckForm {
    #[serde(default)]
    note: String,
}

/// `POST /alarms/{id}/acknowledgement`: acknowledges with the note.
pub async fn acknowledge(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    RequestId(rid): RequestId,
    Path(id): Path<Id>,
    CsrfForm(f): CsrfForm<AckForm>,
) -> Response {
    match ramp_app::digital::acknowledge(&state.app, &user, id, &f.note, Some(&rid)).await {
        Ok(_) => Redirect::to("/alarms?done=ack").into_response(),
        Err(e) => list_page(&state, lang, &csrf, &user, &rid, &ListQuery::default(), Some((e, id, f.note))).await,
    }
}

#[derive(Deserialize)]
pub struct CloseForm {}

/// `POST /alarms/{id}/close`.
pub async fn close(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    RequestId(rid): RequestId,
    Path(id): Path<Id>,
    CsrfForm(_): CsrfForm<CloseForm>,
) -> Response {
    match ramp_app::digital::close(&state.app, &user, id, Some(&rid)).await {
        Ok(_) => Redirect::to("/alarms?done=close").into_response(),
        Err(e) => {
            list_page(&state, lang, &csrf, &user, &rid, &ListQuery::default(), Some((e, id, String::new()))).await
        }
    }
}

/// `GET /alarms/open-count`: the open alarms for the menu, as a small
/// HTML fragment (empty when none), fetched by htmx like the inbox badge.
pub async fn badge(State(state): State<AppState>, lang: Lang, UiUser(user): UiUser) -> Response {
    match ramp_app::digital::open_alarm_count(&state.app, &user).await {
        Ok(0) | Err(_) => axum::response::Html(String::new()).into_response(),
        Ok(n) => axum::response::Html(format!(
            "<span class=\"badge\">{n}<span class=\"visually-hidden\"> {}</span></span>",
            lang.t("alarms.open_suffix")
        ))
        .into_response(),
    }
}

/// A GET on an action (a reload, the language switch) shows the list.
pub async fn back() -> Redirect {
    Redirect::to("/alarms")
}
