//! The inbox ("Inkorg"): the status changes of the user's orders, unread
//! first in weight, each marked read with one button; and the menu's
//! badge with the unread count, fetched by htmx so no page pays for it.

use super::page::{error_page, render, Page};
use crate::extract::{CsrfForm, CsrfToken, RequestId, UiUser};
use crate::i18n::Lang;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use ramp_app::model::{Id, Notification};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "inbox.html")]
struct InboxTemplate {
    page: Page,
    notifications: Vec<Notification>,
    unread: i64,
    /// The open alarms of the user's unit (care staff at a unit).
    alarms: Vec<ramp_app::digital::UnitAlarm>,
    /// The workshop's notifications: signed special adaptations (issue 19).
    workshop: Vec<ramp_app::model::WorkshopNotification>,
}

impl InboxTemplate {
    /// "Tolvan Tolvansson: Blodtrycksmätare – Systoliskt tryck 185 mmHg, …".
    fn alarm(&self, a: &ramp_app::digital::UnitAlarm) -> String {
        let lang = self.page.lang;
        format!(
            "{} {}: {} – {}",
            a.patient.given_name,
            a.patient.family_name,
            super::digital::reason_label(lang, a.alarm.reason),
            super::digital::alarm_text(lang, a.alarm.reason, &a.alarm.detail)
        )
    }

    /// "Order 12 (Rollator) has been delivered", in the page's language.
    fn text(&self, n: &Notification) -> String {
        let status = self.page.order_status(&n.to_status);
        format!("{} {} ({}): {}", self.page.t("col.order"), n.order_id, n.first_article, status)
    }
}

pub async fn page(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    RequestId(rid): RequestId,
) -> Response {
    let alarms = match ramp_app::notifications::open_alarms(&state.app, &user, Some(&rid)).await {
        Ok(a) => a,
        Err(e) => return error_page(lang, e),
    };
    let workshop = match ramp_app::supply::workshop_notifications(&state.app, &user).await {
        Ok(w) => w,
        Err(e) => return error_page(lang, e),
    };
    match ramp_app::notifications::inbox(&state.app, &user).await {
        Ok((notifications, unread)) => {
            let page = Page::new(lang, "inbox.title", Some(&user), &csrf, "inbox");
            render(&InboxTemplate { page, notifications, unread, alarms, workshop }, StatusCode::OK)
        }
        Err(e) => error_page(lang, e),
    }
}

/// The unread count for the menu, as a small HTML fragment (empty when none).
pub async fn badge(State(state): State<AppState>, lang: Lang, UiUser(user): UiUser) -> Response {
    match ramp_app::notifications::unread(&state.app, &user).await {
        Ok(0) | Err(_) => Html(String::new()).into_response(),
        Ok(n) => Html(format!(
            "<span class=\"badge\">{n}<span class=\"visually-hidden\"> {}</span></span>",
            lang.t("inbox.unread_suffix")
        ))
        .into_response(),
    }
}

#[derive(Deserialize)]
pub struct ReadForm {}

/// Marks one notification read and returns to the inbox.
pub async fn read(
    State(state): State<AppState>,
    lang: Lang,
    UiUser(user): UiUser,
    Path(id): Path<Id>,
    CsrfForm(_): CsrfForm<ReadForm>,
) -> Response {
    match ramp_app::notifications::mark_read(&state.app, &user, id).await {
        Ok(()) => Redirect::to("/inbox").into_response(),
        Err(e) => error_page(lang, e),
    }
}
