//! The administration pages under `/admin` (issue 17), Swedish first:
//! users (roles, unit, competences, tokens, deactivation), units,
//! principals with their customer numbers, catalog articles, and the
//! record of every administrative change. Administrators only: anyone
//! else gets the error page (403) and the refusal is recorded. Each form
//! posts through `CsrfForm` and answers 303 back to its page with a
//! "saved" notice; a refusal re-renders the page with the error beside
//! its field.

mod articles;
mod catalog_import;
mod changes;
mod principals;
mod product_areas;
mod units;
mod users;
pub(crate) mod widgets;

use super::page::{render, Page};
use crate::extract::{CsrfToken, UiUser};
use crate::i18n::Lang;
use crate::AppState;
use askama::Template;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{Redirect, Response};
use axum::routing::get;
use axum::Router;
use ramp_app::admin::Caller;
use ramp_app::model::User;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin", get(home))
        .route("/admin/users", get(users::list).post(users::create))
        .route("/admin/users/new", get(users::new_form))
        .route("/admin/users/{id}", get(users::show))
        .route("/admin/users/{id}/{action}", get(back_to_user).post(users::change))
        .route("/admin/tokens/{id}/revoke", get(to_users).post(users::revoke))
        .route("/admin/units", get(units::list).post(units::create))
        .route("/admin/units/{id}", get(units::show).post(units::edit))
        .route("/admin/units/{id}/{action}", get(back_to_unit).post(units::set_active))
        .route("/admin/principals", get(principals::list).post(principals::create))
        .route("/admin/principals/{id}", get(principals::show).post(principals::rename))
        .route("/admin/principals/{id}/customer-numbers", get(back_to_principal).post(principals::add_number))
        .route("/admin/principals/{id}/basic-equipment", get(back_to_principal).post(principals::basic_equipment))
        .route("/admin/customer-numbers/{id}", get(to_principals).post(principals::rename_number))
        .route("/admin/articles", get(articles::list).post(articles::create))
        .route("/admin/articles/new", get(articles::new_form))
        .route("/admin/articles/{number}", get(articles::show).post(articles::edit))
        .route("/admin/articles/{number}/retire", get(articles::back).post(articles::retire))
        .route(
            "/admin/catalog-import",
            get(catalog_import::form)
                .post(catalog_import::upload)
                .layer(axum::extract::DefaultBodyLimit::max(crate::api::admin_catalog_import_limit())),
        )
        .route("/admin/catalog-import/{id}", get(catalog_import::show))
        .route("/admin/catalog-import/{id}/status", get(catalog_import::status))
        .route("/admin/product-areas", get(product_areas::list))
        .route("/admin/product-areas/{code}", get(to_product_areas).post(product_areas::save))
        .route("/admin/changes", get(changes::list))
        .route("/audit/admin-changes", get(changes::for_review))
}

/// `?done=1` after a saved change: the page says so.
#[derive(Debug, Default, Deserialize)]
pub struct Done {
    #[serde(default)]
    pub done: Option<String>,
}

impl Done {
    pub fn notice(&self, lang: Lang) -> Option<&'static str> {
        self.done.as_ref().map(|_| lang.t("admin.saved"))
    }
}

fn caller<'a>(user: &'a User, request_id: &'a str) -> Caller<'a> {
    Caller::new(user, Some(request_id))
}

/// The status a failed form is answered with.
fn failed(page: &mut Page, e: &ramp_app::AppError) -> StatusCode {
    super::desk::log_if_internal(e);
    page.add_error(e);
    crate::error::status_of(e.kind)
}

#[derive(Template)]
#[template(path = "admin_home.html")]
struct HomeTemplate {
    page: Page,
}

pub async fn home(lang: Lang, CsrfToken(csrf): CsrfToken, UiUser(user): UiUser) -> Response {
    if !ramp_app::admin::is_admin(&user) {
        return super::error_page(lang, ramp_app::AppError::forbidden("role_required", "administrators only"));
    }
    render(&HomeTemplate { page: Page::new(lang, "admin.title", Some(&user), &csrf, "admin") }, StatusCode::OK)
}

async fn back_to_user(Path((id, _)): Path<(i64, String)>) -> Redirect {
    Redirect::to(&format!("/admin/users/{id}"))
}

async fn back_to_unit(Path((id, _)): Path<(i64, String)>) -> Redirect {
    Redirect::to(&format!("/admin/units/{id}"))
}

async fn back_to_principal(Path(id): Path<i64>) -> Redirect {
    Redirect::to(&format!("/admin/principals/{id}"))
}

async fn to_users() -> Redirect {
    Redirect::to("/admin/users")
}

async fn to_product_areas() -> Redirect {
    Redirect::to("/admin/product-areas")
}

async fn to_principals() -> Redirect {
    Redirect::to("/admin/principals")
}
