//! The surplus page for the centre's staff: devices of earlier assortment
//! beyond demand with their 30 % prices, the sale form, spare-part dates,
//! the sales made and the complaint form.

use super::page::{error_page, render, Page};
use crate::extract::{CsrfForm, CsrfToken, UiUser};
use crate::i18n::Lang;
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use ramp_app::dates::parse_optional_date;
use ramp_app::model::User;
use ramp_app::surplus::SurplusOverview;
use ramp_app::AppError;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct SurplusForm {
    #[serde(default)]
    device_number: String,
    #[serde(default)]
    municipality: String,
    #[serde(default)]
    sale_id: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    article_number: String,
    #[serde(default)]
    spare_parts_until: String,
}

#[derive(Template)]
#[template(path = "surplus.html")]
struct SurplusTemplate {
    page: Page,
    overview: SurplusOverview,
    form: SurplusForm,
}

impl SurplusTemplate {
    fn blocked(&self, code: &str) -> &'static str {
        self.page.lang.error(code).unwrap_or("")
    }

    /// Delivered and within the 30 days after delivery.
    fn open_for_complaints(&self, deadline: &Option<NaiveDate>) -> bool {
        deadline.is_some_and(|d| d >= self.overview.today)
    }

    fn chosen_sale(&self, id: &i64) -> bool {
        self.form.sale_id == id.to_string()
    }

    fn chosen_municipality(&self, code: &str) -> bool {
        self.form.municipality == code
    }
}

async fn show(
    state: &AppState,
    lang: Lang,
    csrf: &str,
    user: &User,
    form: SurplusForm,
    error: Option<AppError>,
) -> Response {
    match ramp_app::surplus::overview(&state.app, user).await {
        Ok(overview) => {
            let mut page = Page::new(lang, "surplus.title", Some(user), csrf, "surplus");
            let status = match &error {
                Some(e) => {
                    if e.kind == ramp_app::ErrorKind::Internal {
                        crate::error::log_internal(e);
                    }
                    page.add_error(e);
                    crate::error::status_of(e.kind)
                }
                None => StatusCode::OK,
            };
            render(&SurplusTemplate { page, overview, form }, status)
        }
        Err(e) => error_page(lang, e),
    }
}

pub async fn page(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
) -> Response {
    show(&state, lang, &csrf, &user, SurplusForm::default(), None).await
}

async fn after(
    state: &AppState,
    lang: Lang,
    csrf: &str,
    user: &User,
    form: SurplusForm,
    done: Result<(), AppError>,
) -> Response {
    match done {
        Ok(()) => Redirect::to("/surplus").into_response(),
        Err(e) => show(state, lang, csrf, user, form, Some(e)).await,
    }
}

pub async fn sell(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    CsrfForm(f): CsrfForm<SurplusForm>,
) -> Response {
    let done = ramp_app::surplus::sell(&state.app, &user, &f.device_number, &f.municipality).await.map(|_| ());
    after(&state, lang, &csrf, &user, f, done).await
}

pub async fn complain(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    CsrfForm(f): CsrfForm<SurplusForm>,
) -> Response {
    let done = match sale_id(&f) {
        Ok(id) => ramp_app::surplus::register_complaint(&state.app, &user, id, &f.description).await.map(|_| ()),
        Err(e) => Err(e),
    };
    after(&state, lang, &csrf, &user, f, done).await
}

/// The sale the form names.
fn sale_id(f: &SurplusForm) -> Result<i64, AppError> {
    f.sale_id.trim().parse().map_err(|_| AppError::invalid("sale_id", "required", "choose the sale"))
}

pub async fn deliver(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    CsrfForm(f): CsrfForm<SurplusForm>,
) -> Response {
    let done = match sale_id(&f) {
        Ok(id) => ramp_app::surplus::deliver(&state.app, &user, id).await.map(|_| ()),
        Err(e) => Err(e),
    };
    after(&state, lang, &csrf, &user, f, done).await
}

pub async fn spare_parts(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    CsrfForm(f): CsrfForm<SurplusForm>,
) -> Response {
    let done = {
        match parse_optional_date("spare_parts_until", Some(&f.spare_parts_until), "2029-12-31") {
            Ok(d) => ramp_app::surplus::set_spare_parts_until(&state.app, &user, &f.article_number, d).await,
            Err(e) => Err(e),
        }
    };
    after(&state, lang, &csrf, &user, f, done).await
}
