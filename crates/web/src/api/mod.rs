//! The JSON API under `/api/v1`, and its OpenAPI document at
//! `/api/openapi.json` (generated from the handlers, so it cannot drift).

mod admin;
mod audit;
mod billing;
mod catalog;
mod consult;
mod consult_dto;
mod cost;
mod devices;
mod digital;
mod dto;
mod economy;
mod fees;
pub(crate) mod figures;
mod health;
mod invoice_runs;
mod my_patients;
mod notifications;
#[cfg(test)]
mod openapi_tests;
mod order_lists;
mod orders;
mod orders_dto;
mod patient_invoices;
mod patients;
mod picking;
mod product;
mod reports;
mod session;
mod tertial;
pub mod workshop;

pub(crate) use audit::extract_csv as audit_extract_csv;

/// The largest catalog file an import takes, for the API route and the UI's upload alike.
pub(crate) fn admin_catalog_import_limit() -> usize {
    admin::catalog_import::MAX_IMPORT_BYTES
}
pub(crate) use session::session_cookie;
mod stock;
mod supply;
mod surplus;
mod warehouse;

use crate::AppState;
use axum::routing::{delete, get, post, put};
use axum::{Json, Router};
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(title = "Ramp API", description = "Assistive-device supply: ordering portal and supply system. Errors are application/problem+json (RFC 9457) with a stable `code` and the offending `field`. Any request may be answered 503 `storage_unavailable` (with `Retry-After`) while the database cannot take it — a full or read-only disk, a server restarting: nothing of it was saved, retry later; a 2xx means committed.", license(name = "AGPL-3.0-or-later")),
    paths(
        health::healthz, health::readyz, health::metrics,
        crate::fhir::capability::metadata, crate::fhir::handlers::patient_read, crate::fhir::handlers::patient_search_get,
        crate::fhir::handlers::patient_search, crate::fhir::handlers::device_read, crate::fhir::handlers::device_search,
        crate::fhir::handlers::definition_read, crate::fhir::handlers::definition_search, crate::fhir::handlers::request_read,
        crate::fhir::handlers::request_search, crate::fhir::create::request_create, crate::fhir::handlers::dispense_read,
        crate::fhir::handlers::dispense_search, crate::fhir::handlers::charge_read, crate::fhir::handlers::charge_search,
        crate::fhir::handlers::observation_search,
        session::login, session::logout, session::me, session::tokens, session::revoke_token,
        catalog::search, catalog::facets, product::get_one, product::for_patient,
        patients::overview, patients::emergency_access, fees::fee_statement,
        my_patients::mine, my_patients::register, my_patients::change_setting,
        economy::costs, economy::costs_csv, economy::costs_xlsx, economy::set_budget, economy::costly_treatment,
        devices::card,
        stock::warehouses, stock::stock,
        cost::decide, cost::costly_treatment,
        orders::preview, orders::add_item, orders::cart, orders::remove_item, orders::place, orders::get_order,
        orders::list, orders::change_status, notifications::list, notifications::read,
        reports::pickup, reports::undo_pickup, reports::fault, reports::lost,
        supply::receive, supply::consumables, picking::pick_list, picking::pick_scan, picking::delivery_scan, picking::pickups, supply::receive_return, supply::inspect,
        supply::work_orders, supply::create_work_order, supply::work_order, supply::start, supply::add_entry,
        supply::finish, supply::attach, supply::document, supply::sign, supply::register_notice, supply::notices,
        supply::notice,
        workshop::spare_parts, workshop::add_spare_part, workshop::check_item, workshop::add_attachment,
        workshop::attachment, workshop::document_pdf, workshop::notifications,
        consult::services, consult::free_slots, consult::my_slots, consult::publish_slot, consult::withdraw_slot,
        consult::create, consult::list, consult::get_one, consult::book, consult::rebook, consult::cancel,
        consult::calendar,
        surplus::overview, surplus::sell, surplus::sale, surplus::deliver, surplus::complain, surplus::spare_parts,
        figures::doc::delivery_reliability, figures::doc::delivery_reliability_csv, figures::doc::reuse_rate, figures::doc::reuse_rate_csv,
        figures::doc::replacement_acceptance, figures::doc::replacement_acceptance_csv, figures::doc::purchased_vs_prescribed,
        figures::doc::purchased_vs_prescribed_csv, figures::doc::open_work_orders, figures::doc::open_work_orders_csv,
        figures::doc::safety_notices, figures::doc::safety_notices_csv,
        figures::doc::delivery_reliability_xlsx, figures::doc::reuse_rate_xlsx, figures::doc::replacement_acceptance_xlsx,
        figures::doc::purchased_vs_prescribed_xlsx, figures::doc::open_work_orders_xlsx, figures::doc::safety_notices_xlsx,
        tertial::tertial, tertial::tertial_xlsx,
        figures::doc::digital_orders, figures::doc::digital_orders_csv, figures::doc::digital_orders_xlsx,
        figures::doc::lost_devices, figures::doc::lost_devices_csv, figures::doc::lost_devices_xlsx,
        figures::doc::cost_effective_prescribing, figures::doc::cost_effective_prescribing_csv,
        figures::doc::cost_effective_prescribing_xlsx,
        billing::run, billing::list, billing::get_one, billing::get_csv, billing::get_xml, billing::get_xlsx, billing::credit,
        invoice_runs::start, invoice_runs::status, invoice_runs::cancel,
        patient_invoices::run, patient_invoices::list, patient_invoices::get_one, patient_invoices::export_csv,
        patient_invoices::export_xlsx,
        audit::search, audit::list, audit::log_extract, audit::log_extract_csv, audit::emergency_accesses, audit::sign_off,
    ),
    components(schemas(crate::error::Problem)),
    modifiers(&SecurityAddon),
    tags((name = "catalog"), (name = "patients"), (name = "devices"), (name = "stock"), (name = "session"), (name = "operations"), (name = "cost-responsibility"), (name = "ordering"), (name = "supply"), (name = "consultations"), (name = "surplus"), (name = "figures"), (name = "economy"), (name = "billing"), (name = "audit"), (name = "fhir", description = "FHIR R5 (application/fhir+json); errors are OperationOutcome, see docs/FHIR.md"))
)]
pub struct ApiDoc;

struct SecurityAddon;

impl utoipa::Modify for SecurityAddon {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        // A digital device's own secret (issue 21), sent as `Authorization: Bearer`.
        components.add_security_scheme(
            "device_secret",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components
            .add_security_scheme("session", SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new("ramp_session"))));
    }
}

/// The OpenAPI document as JSON.
pub fn openapi_json() -> serde_json::Value {
    let mut doc = ApiDoc::openapi();
    doc.merge(admin::AdminApi::openapi());
    doc.merge(order_lists::UnitOrdersApi::openapi());
    doc.merge(digital::DigitalApi::openapi());
    doc.merge(warehouse::WarehouseApi::openapi());
    serde_json::to_value(doc).expect("the OpenAPI document serializes")
}

/// Every operation the OpenAPI document lists, as (method, path template
/// such as `/api/v1/orders/{id}`): the authorization-matrix test checks
/// that each has an entry.
pub fn api_routes() -> Vec<(axum::http::Method, String)> {
    let doc = openapi_json();
    let mut routes = vec![];
    for (path, item) in doc["paths"].as_object().expect("the document has paths") {
        for method in ["get", "put", "post", "delete", "patch", "head", "options"] {
            if item.get(method).is_some() {
                let m = axum::http::Method::from_bytes(method.to_uppercase().as_bytes()).expect("a method");
                routes.push((m, path.clone()));
            }
        }
    }
    routes
}

async fn openapi() -> Json<serde_json::Value> {
    Json(openapi_json())
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(health::metrics))
        .route("/api/openapi.json", get(openapi))
        .route("/api/v1/session", post(session::login).delete(session::logout))
        .route("/api/v1/me", get(session::me))
        .route("/api/v1/tokens", get(session::tokens))
        .route("/api/v1/tokens/{id}", delete(session::revoke_token))
        .route("/api/v1/articles", get(catalog::search))
        .route("/api/v1/patients", post(my_patients::register))
        .route("/api/v1/patients/mine", get(my_patients::mine))
        .route("/api/v1/patients/settings", post(my_patients::change_setting))
        .route("/api/v1/articles/facets", get(catalog::facets))
        .route("/api/v1/articles/{id}", get(product::get_one))
        .route("/api/v1/articles/{id}/for-patient", post(product::for_patient))
        .route("/api/v1/patients/overview", post(patients::overview))
        .route("/api/v1/patients/emergency-access", post(patients::emergency_access))
        .route("/api/v1/patients/fee-statement", post(fees::fee_statement))
        .route("/api/v1/economy/costs", get(economy::costs))
        .route("/api/v1/economy/costs.csv", get(economy::costs_csv))
        .route("/api/v1/economy/costs.xlsx", get(economy::costs_xlsx))
        .route("/api/v1/economy/budgets", put(economy::set_budget))
        .route("/api/v1/economy/costly-treatment", get(economy::costly_treatment))
        .route("/api/v1/devices/{device_number}", get(devices::card))
        .route("/api/v1/warehouses", get(stock::warehouses))
        .route("/api/v1/warehouses/{id}/stock", get(stock::stock))
        .route("/api/v1/cost-responsibility/decisions", post(cost::decide))
        .route("/api/v1/cost-responsibility/costly-treatment", post(cost::costly_treatment))
        .route("/api/v1/cart", get(orders::cart))
        .route("/api/v1/cart/preview", post(orders::preview))
        .route("/api/v1/cart/items", post(orders::add_item))
        .route("/api/v1/cart/items/{id}", delete(orders::remove_item))
        .route("/api/v1/orders", post(orders::place).get(orders::list))
        .route("/api/v1/orders/{id}", get(orders::get_order))
        .route("/api/v1/orders/{id}/status", post(orders::change_status))
        .route("/api/v1/notifications", get(notifications::list))
        .route("/api/v1/notifications/{id}/read", post(notifications::read))
        .route("/api/v1/devices/{device_number}/pickup-order", post(reports::pickup).delete(reports::undo_pickup))
        .route("/api/v1/devices/{device_number}/fault-report", post(reports::fault))
        .route("/api/v1/devices/{device_number}/lost-report", post(reports::lost))
        .route("/api/v1/devices/{device_number}/inspection", post(supply::inspect))
        .route("/api/v1/receipts", post(supply::receive))
        .route("/api/v1/warehouses/{id}/consumables", get(supply::consumables))
        .route("/api/v1/warehouses/{id}/pick-list", get(picking::pick_list))
        .route("/api/v1/warehouses/{id}/pick-scans", post(picking::pick_scan))
        .route("/api/v1/delivery-scans", post(picking::delivery_scan))
        .route("/api/v1/pickups", get(picking::pickups))
        .route("/api/v1/returns", post(supply::receive_return))
        .route("/api/v1/work-orders", get(supply::work_orders).post(supply::create_work_order))
        .route("/api/v1/work-orders/{id}", get(supply::work_order))
        .route("/api/v1/work-orders/{id}/start", post(supply::start))
        .route("/api/v1/work-orders/{id}/entries", post(supply::add_entry))
        .route("/api/v1/work-orders/{id}/finish", post(supply::finish))
        .route("/api/v1/work-orders/{id}/adaptation-documents", post(supply::attach))
        .route("/api/v1/adaptation-documents/{id}", get(supply::document))
        .route("/api/v1/adaptation-documents/{id}/signature", post(supply::sign))
        .route("/api/v1/adaptation-documents/{id}/pdf", get(workshop::document_pdf))
        .route("/api/v1/models/{article_number}/spare-parts", get(workshop::spare_parts).post(workshop::add_spare_part))
        .route("/api/v1/work-orders/{id}/checklist/{item}", post(workshop::check_item))
        .route(
            "/api/v1/work-orders/{id}/attachments",
            post(workshop::add_attachment).layer(axum::extract::DefaultBodyLimit::max(workshop::ATTACHMENT_BODY_LIMIT)),
        )
        .route("/api/v1/work-orders/{id}/attachments/{attachment}", get(workshop::attachment))
        .route("/api/v1/workshop-notifications", get(workshop::notifications))
        .route("/api/v1/safety-notices", get(supply::notices).post(supply::register_notice))
        .route("/api/v1/safety-notices/{id}", get(supply::notice))
        .route("/api/v1/consultations", post(consult::create).get(consult::list))
        .route("/api/v1/consultations/services", get(consult::services))
        .route("/api/v1/consultations/slots", get(consult::free_slots).post(consult::publish_slot))
        .route("/api/v1/consultations/slots/mine", get(consult::my_slots))
        .route("/api/v1/consultations/slots/{id}", delete(consult::withdraw_slot))
        .route("/api/v1/consultations/bookings/{booking_id}/calendar", get(consult::calendar))
        .route("/api/v1/consultations/{id}", get(consult::get_one))
        .route("/api/v1/consultations/{id}/booking", post(consult::book).put(consult::rebook).delete(consult::cancel))
        .route("/api/v1/surplus", get(surplus::overview))
        .route("/api/v1/surplus/sales", post(surplus::sell))
        .route("/api/v1/surplus/sales/{id}", get(surplus::sale))
        .route("/api/v1/surplus/sales/{id}/delivery", post(surplus::deliver))
        .route("/api/v1/surplus/sales/{id}/complaints", post(surplus::complain))
        .route("/api/v1/surplus/articles/{article_number}/spare-parts", put(surplus::spare_parts))
        .merge(figures::routes())
        .route("/api/v1/reports/tertial", get(tertial::tertial))
        .route("/api/v1/reports/tertial.xlsx", get(tertial::tertial_xlsx))
        .merge(admin::routes())
        .merge(order_lists::routes())
        .merge(digital::routes())
        .merge(warehouse::routes())
        .route("/api/v1/invoice-runs", post(billing::run))
        .route("/api/v1/invoice-run-jobs", post(invoice_runs::start))
        .route("/api/v1/invoice-run-jobs/{id}", get(invoice_runs::status))
        .route("/api/v1/invoice-run-jobs/{id}/cancel", post(invoice_runs::cancel))
        .route("/api/v1/invoices", get(billing::list))
        .route("/api/v1/invoices/{number}", get(billing::get_one))
        .route("/api/v1/invoices/{number}/credit-note", post(billing::credit))
        .route("/api/v1/patient-invoices/runs", post(patient_invoices::run))
        .route("/api/v1/patient-invoices", get(patient_invoices::list))
        .route("/api/v1/patient-invoices.csv", get(patient_invoices::export_csv))
        .route("/api/v1/patient-invoices.xlsx", get(patient_invoices::export_xlsx))
        .route("/api/v1/patient-invoices/{number}", get(patient_invoices::get_one))
        .route("/api/v1/audit", get(audit::list))
        .route("/api/v1/audit/search", post(audit::search))
        .route("/api/v1/audit/log-extract", post(audit::log_extract))
        .route("/api/v1/audit/log-extract.csv", post(audit::log_extract_csv))
        .route("/api/v1/audit/emergency-accesses", get(audit::emergency_accesses))
        .route("/api/v1/audit/emergency-accesses/{id}/sign-off", post(audit::sign_off))
}
