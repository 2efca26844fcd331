//! The server-rendered UI: Swedish first, English switchable, every page
//! usable with the keyboard alone and with a screen reader. askama
//! templates (compile-time checked, auto-escaped), htmx for the live
//! catalog search, no client framework.

mod assets;
mod cart;
mod catalog;
pub(crate) mod cost;
mod device;
mod figures;
mod login;
mod order;
mod orders;
mod page;
mod patient;
mod stock;

pub use page::{error_page, url_encode};

use crate::AppState;
use axum::routing::{get, post};
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(login::home))
        .route("/login", get(login::form).post(login::submit))
        .route("/logout", post(login::logout))
        .route("/lang/{code}", get(login::set_language))
        .route("/catalog", get(catalog::page))
        .route("/catalog/results", get(catalog::results))
        .route("/patient", get(patient::form).post(patient::open))
        .route("/patient/emergency-access", post(patient::emergency))
        .route("/devices/{number}", get(device::card))
        .route("/devices/{number}/pickup", get(device::back_to_card).post(device::pickup))
        .route("/devices/{number}/fault", get(device::back_to_card).post(device::fault))
        .route("/devices/{number}/lost", get(device::back_to_card).post(device::lost))
        .route("/order/articles", get(order::preview_again).post(order::articles))
        .route("/order/preview", get(order::preview_again).post(order::preview))
        .route("/cart", get(cart::page))
        .route("/cart/add", get(order::preview_again).post(order::add))
        .route("/cart/remove", post(cart::remove))
        .route("/orders", get(orders::mine).post(cart::place))
        .route("/orders/queue", get(orders::queue))
        .route("/orders/{id}", get(orders::show))
        .route("/orders/{id}/status", post(orders::change_status))
        .route("/stock", get(stock::page))
        .route("/cost", get(cost::page))
        .route("/figures", get(figures::page))
        .route("/assets/style.css", get(assets::style))
        .route("/assets/htmx.min.js", get(assets::htmx))
        .fallback(not_found)
}

/// Any unknown page: the HTML error page with 404 (under `/api/` the
/// problem middleware turns it into problem+json).
async fn not_found(lang: crate::i18n::Lang) -> axum::response::Response {
    error_page(lang, ramp_app::AppError::not_found(None, "page_not_found", "no such page"))
}
