//! The server-rendered UI: Swedish first, English switchable, every page
//! usable with the keyboard alone and with a screen reader. askama
//! templates (compile-time checked, auto-escaped), htmx for the live
//! catalog search, no client framework.

mod admin;
mod assets;
mod audit;
pub(crate) mod audit_text;
mod billing;
mod cart;
mod catalog;
mod consult;
pub(crate) mod cost;
mod delivery;
mod desk;
mod device;
mod digital;
mod economy;
mod fees;
mod figures;
mod form;
mod inbox;
mod invoice_runs;
mod login;
mod my_patients;
mod oidc;
mod order;
mod order_list;
mod order_lists;
mod orders;
mod page;
mod patient;
mod patient_invoices;
mod pick;
mod product;
mod purchase;
mod receive;
mod safety;
mod stock;
mod surplus;
mod unit;
mod unit_form;
mod workshop;
mod workshop_new;

pub use page::{error_page, url_encode};

use crate::AppState;
use axum::routing::{get, post};
use axum::Extension;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(login::home))
        .route("/login", get(login::form).post(login::submit))
        .route("/login/oidc", get(oidc::start))
        .route("/login/oidc/callback", get(oidc::callback))
        .route("/logout", post(login::logout))
        .route("/lang/{code}", get(login::set_language))
        .route("/catalog", get(catalog::page))
        .route("/catalog/results", get(catalog::results))
        .route("/catalog/articles/{id}", get(product::page).post(product::for_patient))
        .route("/catalog/images/{file}", get(product::image))
        .route("/patients", get(my_patients::list))
        .route("/patients/new", get(my_patients::new_form).post(my_patients::register))
        .route("/patient", get(patient::form).post(patient::open))
        .route("/patient/emergency-access", post(patient::emergency))
        .route("/patient/setting", post(patient::change_setting))
        .route("/patient/fees", get(fees::back).post(fees::statement))
        .route("/patient/digital", get(digital::patient::back).post(digital::patient::open))
        .route("/patient/digital/threshold", get(digital::patient::back).post(digital::patient::threshold))
        .route("/alarms", get(digital::alarms::list))
        .route("/alarms/open-count", get(digital::alarms::badge))
        .route("/alarms/{id}/acknowledgement", get(digital::alarms::back).post(digital::alarms::acknowledge))
        .route("/alarms/{id}/close", get(digital::alarms::back).post(digital::alarms::close))
        .route("/admin/digital-devices", get(digital::secrets::list))
        .route(
            "/admin/digital-devices/models/{article_number}/interval",
            get(digital::secrets::back).post(digital::secrets::set_interval),
        )
        .route("/admin/digital-devices/{number}/secret", get(digital::secrets::back).post(digital::secrets::issue))
        .route(
            "/admin/digital-devices/{number}/secret/revoke",
            get(digital::secrets::back).post(digital::secrets::revoke),
        )
        .route("/devices/{number}", get(device::card))
        .route(
            "/devices/{number}/pickup",
            get(device::back_to_card).post(device::report_form).layer(Extension(device::Report::Pickup)),
        )
        .route(
            "/devices/{number}/pickup/undo",
            get(device::back_to_card).post(device::report_form).layer(Extension(device::Report::UndoPickup)),
        )
        .route(
            "/devices/{number}/fault",
            get(device::back_to_card).post(device::report_form).layer(Extension(device::Report::Fault)),
        )
        .route(
            "/devices/{number}/lost",
            get(device::back_to_card).post(device::report_form).layer(Extension(device::Report::Lost)),
        )
        .route(
            "/devices/{number}/adaptation-signature",
            get(device::back_to_card).post(device::report_form).layer(Extension(device::Report::Sign)),
        )
        .route(
            "/devices/{number}/adaptation-signature/step-up",
            get(device::back_to_card).post(device::report_form).layer(Extension(device::Report::StepUp)),
        )
        .route("/desk", get(desk_home))
        .route("/desk/receive", get(receive::receive_form).post(receive::receive))
        .route("/desk/purchase-orders", get(purchase::page).post(purchase::create))
        .route("/desk/pick", get(pick::pick).post(pick::pick_scan))
        .route("/desk/pick/print", get(pick::print_list).layer(Extension(pick::Print::PickList)))
        .route("/desk/pick/delivery-notes", get(pick::print_list).layer(Extension(pick::Print::DeliveryNotes)))
        .route("/desk/pick/labels", get(pick::print_list).layer(Extension(pick::Print::Labels)))
        .route("/desk/deliver", get(pick::deliver).post(pick::deliver_scan))
        .route("/desk/pickups", get(pick::pickups))
        .route("/desk/returns", get(desk::returns).post(desk::receive_return))
        .route("/desk/returns/inspection", get(desk_returns).post(desk::inspect))
        .route("/workshop", get(workshop::queue))
        .route("/workshop/new", get(workshop_new::new_form).post(workshop_new::create))
        .route("/workshop/{id}", get(workshop::show))
        .route(
            "/workshop/{id}/checklist",
            get(workshop::back_to_order).post(workshop::step).layer(Extension(workshop::Action::Check)),
        )
        .route(
            "/workshop/{id}/attachments",
            get(workshop::back_to_order)
                .post(workshop_new::upload)
                .layer(axum::extract::DefaultBodyLimit::max(crate::api::workshop::ATTACHMENT_BODY_LIMIT)),
        )
        .route(
            "/workshop/{id}/start",
            get(workshop::back_to_order).post(workshop::step).layer(Extension(workshop::Action::Start)),
        )
        .route(
            "/workshop/{id}/entries",
            get(workshop::back_to_order).post(workshop::step).layer(Extension(workshop::Action::Entry)),
        )
        .route(
            "/workshop/{id}/finish",
            get(workshop::back_to_order).post(workshop::step).layer(Extension(workshop::Action::Finish)),
        )
        .route(
            "/workshop/{id}/documents",
            get(workshop::back_to_order).post(workshop::step).layer(Extension(workshop::Action::Document)),
        )
        .route("/unit-order", get(unit::form).post(unit::add))
        .route("/unit-order/lines", get(order_lists::order_form).post(order_lists::post_order))
        .route("/unit-order/placed/{id}", get(order_lists::placed))
        .route("/order-lists", get(order_lists::lists))
        .route("/order-lists/new", get(order_lists::new_list).post(order_lists::post_list))
        .route("/order-lists/{id}", get(order_lists::edit_list).post(order_lists::post_list))
        .route("/order-lists/{id}/delete", post(order_lists::delete_list))
        .route("/safety-notices", get(safety::list).post(safety::register))
        .route("/safety-notices/{id}", get(safety::show))
        .route("/order/articles", get(order::preview_again).post(order::articles))
        .route("/order/preview", get(order::preview_again).post(order::preview))
        .route("/cart", get(cart::page))
        .route("/cart/add", get(order::preview_again).post(order::add))
        .route("/cart/remove", post(cart::remove))
        .route("/orders", get(order_list::page).post(cart::place))
        .route("/orders/queue", get(orders::queue))
        .route("/orders/{id}", get(orders::show))
        .route("/orders/{id}/confirmation", get(orders::confirmation))
        .route("/inbox", get(inbox::page))
        .route("/inbox/unread", get(inbox::badge))
        .route("/inbox/{id}/read", post(inbox::read))
        .route("/orders/{id}/status", post(orders::change_status))
        .route("/stock", get(stock::page))
        .route("/stock/thresholds", post(stock::set_threshold))
        .route("/cost", get(cost::page))
        .route("/consultations", get(consult::list).post(consult::create))
        .route("/consultations/slots", post(consult::publish))
        .route("/consultations/slots/{id}/withdraw", post(consult::withdraw))
        .route("/consultations/{id}", get(consult::detail))
        .route("/consultations/{id}/book", post(consult::booking).layer(Extension(consult::Act::Book)))
        .route("/consultations/{id}/rebook", post(consult::booking).layer(Extension(consult::Act::Rebook)))
        .route("/consultations/{id}/cancel", post(consult::booking).layer(Extension(consult::Act::Cancel)))
        .route("/surplus", get(surplus::page))
        .route("/surplus/sell", post(surplus::sell))
        .route("/surplus/delivery", post(surplus::deliver))
        .route("/surplus/complaints", post(surplus::complain))
        .route("/surplus/spare-parts", post(surplus::spare_parts))
        .route("/figures", get(figures::page))
        .route("/figures/tertial", get(figures::tertial::page))
        .route("/economy", get(economy::page))
        .route("/economy/budget", post(economy::set_budget))
        .route("/economy/costly-treatment", get(economy::costly))
        .route("/billing", get(billing::list))
        .route("/billing/run", get(billing_home).post(invoice_runs::start))
        .route("/billing/runs/{id}", get(invoice_runs::show))
        .route("/billing/runs/{id}/status", get(invoice_runs::status))
        .route("/billing/runs/{id}/cancel", get(invoice_runs::back_to_run).post(invoice_runs::cancel))
        .route("/billing/patient-fees", get(billing_home).post(patient_invoices::run))
        .route("/billing/invoices/{number}", get(billing::invoice))
        .route("/billing/invoices/{number}/credit", get(billing::back_to_invoice).post(billing::credit))
        .merge(admin::routes())
        .route("/audit", get(audit::page).post(audit::search))
        .route("/audit/log-extract", get(audit::extract_form).post(audit::extract))
        .route("/audit/log-extract.csv", get(audit::back_to_extract).post(audit::extract_csv))
        .route("/audit/emergency", get(audit::emergency))
        .route("/audit/emergency/{id}/sign-off", get(audit::back_to_emergency).post(audit::sign_off))
        .route("/assets/style.css", get(assets::style))
        .route("/assets/htmx.min.js", get(assets::htmx))
        .route("/assets/ramp.js", get(assets::ramp))
        .route("/assets/scan.js", get(assets::scan))
        .fallback(not_found)
}

/// The run form is a POST; a GET (a reload, the language switch) shows the billing page.
async fn billing_home() -> axum::response::Redirect {
    axum::response::Redirect::to("/billing")
}

async fn desk_home() -> axum::response::Redirect {
    axum::response::Redirect::to("/desk/receive")
}

/// The inspection is a POST page; a GET (a reload, the language switch) shows the returns page.
async fn desk_returns() -> axum::response::Redirect {
    axum::response::Redirect::to("/desk/returns")
}

/// Any unknown page: the HTML error page with 404 (under `/api/` the
/// problem middleware turns it into problem+json).
async fn not_found(lang: crate::i18n::Lang) -> axum::response::Response {
    error_page(lang, ramp_app::AppError::not_found(None, "page_not_found", "no such page"))
}
