//! Device secrets in the administration (issue 21): the lent digital
//! devices with whether each has a live secret, and forms to issue a new
//! one (shown once, on the answer page itself, never stored in clear nor
//! redirected to) and to revoke it. The same use-cases as `POST/DELETE
//! /api/v1/digital/devices/{device_number}/secret`; administrators only.

use crate::extract::{CsrfForm, CsrfToken, RequestId, UiUser};
use crate::i18n::Lang;
use crate::ui::page::{error_page, render, Page};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Redirect, Response};
use ramp_app::model::{DigitalDevice, DigitalModel, User};
use ramp_app::AppError;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "admin_digital.html")]
struct SecretsTemplate {
    page: Page,
    devices: Vec<DigitalDevice>,
    /// A secret just issued: (device number, secret), shown this once.
    issued: Option<(String, String)>,
    revoked: Option<String>,
    /// Each digital model's expected reporting interval, with its form.
    models: Vec<DigitalModel>,
    /// The article number whose interval was just saved.
    interval_saved: Option<String>,
}

fn admin_only(user: &User) -> Result<(), AppError> {
    if ramp_app::admin::is_admin(user) {
        Ok(())
    } else {
        Err(AppError::forbidden("role_required", "administrators only"))
    }
}

/// What the last form did.
enum Outcome {
    Nothing,
    /// (device number, secret)
    Issued(String, String),
    Revoked(String),
    IntervalSaved(String),
    Refused(AppError),
}

async fn page(state: &AppState, lang: Lang, csrf: &str, user: &User, rid: &str, outcome: Outcome) -> Response {
    if let Err(e) = admin_only(user) {
        return error_page(lang, e);
    }
    let devices = match ramp_app::digital::lent_devices(&state.app, user, Some(rid)).await {
        Ok(d) => d,
        Err(e) => return error_page(lang, e),
    };
    let models = match ramp_app::digital::digital_models(&state.app, user).await {
        Ok(m) => m,
        Err(e) => return error_page(lang, e),
    };
    let mut page = Page::new(lang, "digital.secrets_title", Some(user), csrf, "admin");
    let mut status = StatusCode::OK;
    let (mut issued, mut revoked, mut interval_saved) = (None, None, None);
    match outcome {
        Outcome::Nothing => {}
        Outcome::Issued(number, secret) => issued = Some((number, secret)),
        Outcome::Revoked(number) => revoked = Some(number),
        Outcome::IntervalSaved(number) => interval_saved = Some(number),
        Outcome::Refused(e) => {
            crate::ui::desk::log_if_internal(&e);
            page.add_error(&e);
            status = crate::error::status_of(e.kind);
        }
    }
    let shows_secret = issued.is_some();
    let mut resp = render(&SecretsTemplate { page, devices, issued, revoked, models, interval_saved }, status);
    if shows_secret {
        // The secret is on this page only: no cache keeps it.
        resp.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    resp
}

/// `GET /admin/digital-devices`.
pub async fn list(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    RequestId(rid): RequestId,
) -> Response {
    page(&state, lang, &csrf, &user, &rid, Outcome::Nothing).await
}

#[derive(Deserialize)]
pub struct Empty {}

/// `POST /admin/digital-devices/{number}/secret`: a new secret, shown once.
pub async fn issue(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    RequestId(rid): RequestId,
    Path(number): Path<String>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Response {
    if let Err(e) = admin_only(&user) {
        return error_page(lang, e);
    }
    match ramp_app::digital::issue_token(&state.app, &number, Some(&user)).await {
        Ok(secret) => page(&state, lang, &csrf, &user, &rid, Outcome::Issued(number, secret)).await,
        Err(e) => page(&state, lang, &csrf, &user, &rid, Outcome::Refused(e)).await,
    }
}

/// `POST /admin/digital-devices/{number}/secret/revoke`.
pub async fn revoke(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    RequestId(rid): RequestId,
    Path(number): Path<String>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Response {
    if let Err(e) = admin_only(&user) {
        return error_page(lang, e);
    }
    match ramp_app::digital::revoke_token(&state.app, &number, Some(&user)).await {
        Ok(()) => page(&state, lang, &csrf, &user, &rid, Outcome::Revoked(number)).await,
        Err(e) => page(&state, lang, &csrf, &user, &rid, Outcome::Refused(e)).await,
    }
}

#[derive(Deserialize)]
pub struct IntervalForm {
    #[serde(default)]
    hours: String,
}

/// The form's hours: empty is the kind's default; else whole hours.
fn hours_of(form: &IntervalForm) -> Result<Option<i64>, AppError> {
    let text = form.hours.trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.parse::<i64>().map(Some).map_err(|_| {
        AppError::invalid("hours", "interval_out_of_range", "the interval is whole hours from 1 to 2160 (90 days)")
    })
}

/// `POST /admin/digital-devices/models/{article_number}/interval`.
pub async fn set_interval(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    RequestId(rid): RequestId,
    Path(article_number): Path<String>,
    CsrfForm(form): CsrfForm<IntervalForm>,
) -> Response {
    let done = match hours_of(&form) {
        Ok(hours) => ramp_app::digital::set_model_interval(&state.app, &user, &article_number, hours).await,
        Err(e) => Err(e),
    };
    let outcome = match done {
        Ok(m) => Outcome::IntervalSaved(m.article_number),
        Err(e) => Outcome::Refused(e),
    };
    page(&state, lang, &csrf, &user, &rid, outcome).await
}

pub async fn back() -> Redirect {
    Redirect::to("/admin/digital-devices")
}
