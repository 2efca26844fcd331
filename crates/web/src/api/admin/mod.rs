//! The administration API under `/api/v1/admin`: principals and customer
//! numbers, units, users, API tokens, catalog articles, and the record of
//! administrative changes. Administrators only: anyone else is answered
//! 403 `role_required`, and the refusal is recorded too.

mod catalog;
pub(crate) mod catalog_import;
mod changes;
mod dto;
mod organisation;
mod users;

use crate::AppState;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post, put};
use axum::Router;
use ramp_app::admin::Caller;
use ramp_app::model::User;
use utoipa::OpenApi;

/// The admin routes' part of the OpenAPI document (merged into the whole).
#[derive(OpenApi)]
#[openapi(
    paths(
        organisation::principals, organisation::create_principal, organisation::edit_principal,
        organisation::basic_equipment_agreement,
        organisation::add_customer_number, organisation::edit_customer_number,
        organisation::units, organisation::create_unit, organisation::edit_unit,
        organisation::deactivate_unit, organisation::reactivate_unit,
        users::list, users::create, users::one, users::deactivate, users::reactivate,
        users::set_roles, users::set_unit, users::set_competences,
        users::tokens, users::revoke_token,
        catalog::create_article, catalog::edit_article, catalog::retire_article,
        catalog::product_areas, catalog::edit_product_area,
        catalog_import::start, catalog_import::status,
        changes::list,
    ),
    tags((name = "admin", description = "Administration: administrators only; every change is recorded with the row before and after."))
)]
pub struct AdminApi;

fn caller<'a>(user: &'a User, request_id: &'a str) -> Caller<'a> {
    Caller::new(user, Some(request_id))
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/admin/catalog-imports",
            post(catalog_import::start).layer(DefaultBodyLimit::max(catalog_import::MAX_IMPORT_BYTES)),
        )
        .route("/api/v1/admin/catalog-imports/{id}", get(catalog_import::status))
        .route("/api/v1/admin/principals", get(organisation::principals).post(organisation::create_principal))
        .route("/api/v1/admin/principals/{id}", put(organisation::edit_principal))
        .route("/api/v1/admin/principals/{id}/customer-numbers", post(organisation::add_customer_number))
        .route("/api/v1/admin/principals/{id}/basic-equipment-agreement", put(organisation::basic_equipment_agreement))
        .route("/api/v1/admin/customer-numbers/{id}", put(organisation::edit_customer_number))
        .route("/api/v1/admin/units", get(organisation::units).post(organisation::create_unit))
        .route("/api/v1/admin/units/{id}", put(organisation::edit_unit))
        .route("/api/v1/admin/units/{id}/deactivate", post(organisation::deactivate_unit))
        .route("/api/v1/admin/units/{id}/reactivate", post(organisation::reactivate_unit))
        .route("/api/v1/admin/users", get(users::list).post(users::create))
        .route("/api/v1/admin/users/{id}", get(users::one))
        .route("/api/v1/admin/users/{id}/deactivate", post(users::deactivate))
        .route("/api/v1/admin/users/{id}/reactivate", post(users::reactivate))
        .route("/api/v1/admin/users/{id}/roles", put(users::set_roles))
        .route("/api/v1/admin/users/{id}/unit", put(users::set_unit))
        .route("/api/v1/admin/users/{id}/competences", put(users::set_competences))
        .route("/api/v1/admin/tokens", get(users::tokens))
        .route("/api/v1/admin/tokens/{id}/revoke", post(users::revoke_token))
        .route("/api/v1/admin/articles", post(catalog::create_article))
        .route("/api/v1/admin/articles/{article_number}", put(catalog::edit_article))
        .route("/api/v1/admin/articles/{article_number}/retire", post(catalog::retire_article))
        .route("/api/v1/admin/product-areas", get(catalog::product_areas))
        .route("/api/v1/admin/product-areas/{code}", put(catalog::edit_product_area))
        .route("/api/v1/admin/changes", get(changes::list))
}
