//! Safety notices ("säkerhetsmeddelanden"): register one for a set of
//! article numbers, follow the progress, and see every affected device,
//! where it is and its recall work order. A patient is shown only as
//! "hos patient": the page names no one.

use super::desk::log_if_internal;
use super::form::Field;
use super::page::{error_page, render, Page};
use super::workshop::WorkNames;
use crate::extract::{CsrfForm, CsrfToken, UiUser};
use crate::i18n::Lang;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use ramp_app::model::{AffectedDevice, Id, SafetyNotice, User};
use ramp_app::supply as s;
use ramp_app::AppError;
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct NoticeForm {
    #[serde(default)]
    reference: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    article_numbers: String,
}

#[derive(Template)]
#[template(path = "safety_notices.html")]
struct ListTemplate {
    page: Page,
    notices: Vec<SafetyNotice>,
    fields: Vec<Field>,
}

async fn list_page(
    state: &AppState,
    lang: Lang,
    csrf: &str,
    user: &User,
    failed: Option<(AppError, &NoticeForm)>,
) -> Response {
    let notices = match s::safety_notices(&state.app, user).await {
        Ok(n) => n,
        Err(e) => return error_page(lang, e),
    };
    let mut page = Page::new(lang, "safety.title", Some(user), csrf, "safety");
    let blank = NoticeForm::default();
    let (status, f) = match failed {
        Some((mut e, f)) => {
            log_if_internal(&e);
            if e.field.as_deref().is_some_and(|x| x.starts_with("article_numbers")) {
                e.field = Some("article_numbers".into());
            }
            let status = crate::error::status_of(e.kind);
            page.add_error(&e);
            (status, f)
        }
        None => (StatusCode::OK, &blank),
    };
    let t = |k: &str| lang.t(k);
    let fields = vec![
        Field::new(&page, "reference", t("safety.reference"), &f.reference)
            .required()
            .max(60)
            .hint(t("safety.reference_hint")),
        Field::new(&page, "title", t("safety.notice_title"), &f.title).required().max(300),
        Field::new(&page, "article_numbers", t("safety.article_numbers"), &f.article_numbers)
            .required()
            .max(2000)
            .hint(t("safety.article_numbers_hint")),
    ];
    render(&ListTemplate { page, notices, fields }, status)
}

pub async fn list(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
) -> Response {
    list_page(&state, lang, &csrf, &user, None).await
}

pub async fn register(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    CsrfForm(f): CsrfForm<NoticeForm>,
) -> Response {
    let done = {
        let article_numbers = f
            .article_numbers
            .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
            .filter(|n| !n.is_empty())
            .map(str::to_string)
            .collect();
        let req = s::SafetyNoticeRequest { reference: f.reference.clone(), title: f.title.clone(), article_numbers };
        s::register_safety_notice(&state.app, &user, &req).await
    };
    match done {
        Ok(id) => Redirect::to(&format!("/safety-notices/{id}")).into_response(),
        Err(e) => list_page(&state, lang, &csrf, &user, Some((e, &f))).await,
    }
}

#[derive(Template)]
#[template(path = "safety_notice.html")]
struct NoticeTemplate {
    page: Page,
    notice: SafetyNotice,
    devices: Vec<AffectedDevice>,
}

impl WorkNames for NoticeTemplate {
    fn page(&self) -> &Page {
        &self.page
    }
}

pub async fn show(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    Path(id): Path<Id>,
) -> Response {
    match s::safety_notice(&state.app, &user, id).await {
        Ok((notice, devices)) => {
            let mut page = Page::new(lang, "safety.title", Some(&user), &csrf, "safety");
            page.title = format!("{} {} – {}", lang.t("safety.one"), notice.reference, notice.title);
            render(&NoticeTemplate { page, notice, devices }, StatusCode::OK)
        }
        Err(e) => error_page(lang, e),
    }
}
