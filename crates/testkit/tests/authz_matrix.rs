//! The authorization matrix (issue 17, acceptance): every operation of the
//! API, as the OpenAPI document lists it, against every role — and, where
//! it matters, the user's own or another unit, the patient they have a
//! care relationship with, the order or consultation they opened — with
//! the set of callers allowed. Allowed means an answer that is not 401 or
//! 403 (a 404 or 422 for a made-up id is allowed: the caller got past the
//! authorization); refused means 403; without credentials every
//! non-public operation is 401. The test fails when the router documents
//! an operation the matrix has no row for.
//!
//! Refused callers ask first: a refusal changes nothing, so the allowed
//! callers after them find the world as set up (a later allowed caller
//! may meet a conflict the first one made, which is still "allowed").

use chrono::Duration;
use ramp_domain::role::Role;
use ramp_storage::NewUser;
use ramp_testkit::TestApp;
use serde_json::{json, Value};
use std::collections::{BTreeSet, HashMap};
use std::sync::OnceLock;

/// Who asks: a role, and for the roles that work at a unit, which unit.
/// Unit 1 (Vårdcentralen Solna, the region) has a care relationship with
/// Tolvan and Sven; unit 2 (Hemtjänst Lidingö, Lidingö stad) has none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Who {
    /// A prescriber at unit 1, who opened the order and the consultation.
    Prescriber,
    PrescriberOtherUnit,
    UnitOrderer,
    UnitOrdererOtherUnit,
    PersonalOrdererHealth,
    PersonalOrdererSocial,
    CustomerService,
    Warehouse,
    Technician,
    /// The consultant who published the slots.
    Consultant,
    Finance,
    Admin,
    AuditReviewer,
}

use Who::*;

/// Every caller: (who, username, role, unit).
const SUBJECTS: &[(Who, &str, Role, Option<i64>)] = &[
    (Prescriber, "m_prescriber", Role::Prescriber, Some(1)),
    (PrescriberOtherUnit, "m_prescriber_other", Role::Prescriber, Some(2)),
    (UnitOrderer, "m_unit_orderer", Role::UnitOrderer, Some(1)),
    (UnitOrdererOtherUnit, "m_unit_orderer_other", Role::UnitOrderer, Some(2)),
    (PersonalOrdererHealth, "m_orderer_health", Role::PersonalOrdererHealth, Some(1)),
    (PersonalOrdererSocial, "m_orderer_social", Role::PersonalOrdererSocial, Some(1)),
    (CustomerService, "m_customer_service", Role::CustomerService, None),
    (Warehouse, "m_warehouse", Role::Warehouse, None),
    (Technician, "m_technician", Role::Technician, None),
    (Consultant, "m_consultant", Role::Consultant, None),
    (Finance, "m_finance", Role::Finance, None),
    (Admin, "m_admin", Role::Admin, None),
    (AuditReviewer, "m_audit_reviewer", Role::AuditReviewer, None),
];

/// The centre's own staff.
const HMC: &[Who] = &[CustomerService, Warehouse, Technician, Consultant, Finance, Admin];
/// Everyone at unit 1, which has a care relationship with the patient.
const UNIT_1: &[Who] = &[Prescriber, UnitOrderer, PersonalOrdererHealth, PersonalOrdererSocial];
/// The principal (Lidingö stad) that bought the surplus device.
const LIDINGO: &[Who] = &[PrescriberOtherUnit, UnitOrdererOtherUnit];

/// Who may call an operation.
#[derive(Debug, Clone, Copy)]
enum May {
    /// Anyone, without credentials too.
    Public,
    /// Every logged-in user.
    Everyone,
    /// These groups of callers.
    Only(&'static [&'static [Who]]),
    /// A digital device with its own secret (issue 21): no user's token
    /// is one, so every caller, and the anonymous one, gets 401.
    DeviceSecret,
}

/// What the setup made, for the requests to name.
struct World {
    order: i64,
    /// A saved order list of unit 1, made by its orderer.
    order_list: i64,
    consultation: i64,
    booking: i64,
    free_slot: i64,
    sale: i64,
    work_order: i64,
    /// The public id of an adaptation document on the device lent to Tolvan.
    document: String,
    /// A principal, its customer number and its unit, made by the administrator.
    principal: i64,
    customer_number: i64,
    unit: i64,
    /// A user the administrator made, and that user's API token.
    user: i64,
    user_token: i64,
}

/// One row of the matrix: an operation (as documented), a note on the
/// case, the concrete request and who may make it.
struct Case {
    method: &'static str,
    route: &'static str,
    case: &'static str,
    /// The request's path; `None`: the route itself.
    path: Option<fn(&World) -> String>,
    body: fn(&World) -> Option<Value>,
    may: May,
}

const TOLVAN: &str = "19121212-1212";
const GRETA: &str = "19400101-0000";
const SVEN: &str = "19390303-1239";

fn none(_: &World) -> Option<Value> {
    None
}

/// A row whose request is the route itself, without a body.
fn op(method: &'static str, route: &'static str, may: May) -> Case {
    Case { method, route, case: "", path: None, body: none, may }
}

/// A row whose request is the route itself, with a body.
fn with_body(method: &'static str, route: &'static str, body: fn(&World) -> Option<Value>, may: May) -> Case {
    Case { method, route, case: "", path: None, body, may }
}

/// A row for one case of an operation: its own path and body.
fn case(
    method: &'static str,
    route: &'static str,
    case: &'static str,
    path: fn(&World) -> String,
    body: fn(&World) -> Option<Value>,
    may: May,
) -> Case {
    Case { method, route, case, path: Some(path), body, may }
}

const PATIENT_READERS: May = May::Only(&[HMC, UNIT_1]);
const FINANCE: May = May::Only(&[&[Finance]]);
const REVIEWER: May = May::Only(&[&[AuditReviewer]]);
const ADMIN: May = May::Only(&[&[Admin]]);
const PRESCRIBERS: May = May::Only(&[&[Prescriber, PrescriberOtherUnit]]);
const ORDERERS: May = May::Only(&[&[UnitOrderer, UnitOrdererOtherUnit]]);
/// The centre's staff and everyone working at a unit (issue 21).
const DIGITAL_UNITS: May = May::Only(&[HMC, UNIT_1, LIDINGO]);

fn matrix() -> Vec<Case> {
    vec![
        // Operations and the session.
        op("GET", "/healthz", May::Public),
        op("GET", "/readyz", May::Public),
        op("GET", "/metrics", May::Public),
        with_body(
            "POST",
            "/api/v1/session",
            |_| Some(json!({ "username": "anna", "password": ramp_storage::fixture::PASSWORD })),
            May::Public,
        ),
        op("GET", "/api/v1/me", May::Everyone),
        case("GET", "/api/v1/articles", "a search", |_| "/api/v1/articles?q=rollator".into(), none, May::Everyone),
        case(
            "GET",
            "/api/v1/articles/facets",
            "a search's facets",
            |_| "/api/v1/articles/facets?q=rollator".into(),
            none,
            May::Everyone,
        ),
        case("GET", "/api/v1/articles/{id}", "a product page", |_| "/api/v1/articles/1".into(), none, May::Everyone),
        // The product page for a patient in view: a prescriber with a care relationship (unit 1).
        case(
            "POST",
            "/api/v1/articles/{id}/for-patient",
            "a patient of unit 1",
            |_| "/api/v1/articles/1/for-patient".into(),
            |_| Some(json!({ "personal_id": TOLVAN })),
            May::Only(&[&[Prescriber]]),
        ),
        // Patients: a care relationship (unit 1) or an HMC role.
        with_body("POST", "/api/v1/patients/overview", |_| Some(json!({ "personal_id": TOLVAN })), PATIENT_READERS),
        with_body(
            "POST",
            "/api/v1/patients/fee-statement",
            |_| Some(json!({ "personal_id": TOLVAN })),
            PATIENT_READERS,
        ),
        // Digital devices (issue 21): lists per unit or for the centre; the
        // patient's view under the care-relationship rules; thresholds by
        // the prescriber with the care relationship; secrets by administrators.
        op("GET", "/api/v1/digital/devices", DIGITAL_UNITS),
        op("GET", "/api/v1/digital/alarms", DIGITAL_UNITS),
        case(
            "POST",
            "/api/v1/digital/alarms/{id}/acknowledgement",
            "an alarm that does not exist",
            |_| "/api/v1/digital/alarms/999999/acknowledgement".into(),
            |_| Some(json!({ "note": "Ringt" })),
            DIGITAL_UNITS,
        ),
        case(
            "POST",
            "/api/v1/digital/alarms/{id}/close",
            "an alarm that does not exist",
            |_| "/api/v1/digital/alarms/999999/close".into(),
            none,
            DIGITAL_UNITS,
        ),
        case(
            "POST",
            "/api/v1/digital/devices/{device_number}/secret",
            "a device that is not digital",
            |_| "/api/v1/digital/devices/D-0001/secret".into(),
            none,
            ADMIN,
        ),
        case(
            "DELETE",
            "/api/v1/digital/devices/{device_number}/secret",
            "a device that is not digital",
            |_| "/api/v1/digital/devices/D-0001/secret".into(),
            none,
            ADMIN,
        ),
        op("GET", "/api/v1/digital/models", ADMIN),
        case(
            "PUT",
            "/api/v1/digital/models/{article_number}/expected-interval",
            "an article that is no digital model",
            |_| "/api/v1/digital/models/NO-SUCH-MODEL/expected-interval".into(),
            |_| Some(json!({ "hours": 24 })),
            ADMIN,
        ),
        with_body(
            "POST",
            "/api/v1/digital/measurements",
            |_| {
                Some(
                    json!({ "id": "6f1c2a4e-8b7d-4c3e-9f0a-1b2c3d4e5f60", "kind": "weight", "at": "2026-11-23T08:00:00Z", "values": { "kg": 70 } }),
                )
            },
            May::DeviceSecret,
        ),
        with_body("POST", "/api/v1/patients/measurements", |_| Some(json!({ "personal_id": TOLVAN })), PATIENT_READERS),
        with_body(
            "PUT",
            "/api/v1/patients/thresholds",
            |_| {
                Some(
                    json!({ "personal_id": TOLVAN, "kind": "blood_pressure", "value": "systolic", "low": null, "high": 150 }),
                )
            },
            May::Only(&[&[Prescriber]]),
        ),
        // Emergency access: only the roles the region allows, by default
        // prescribers working at a unit (issue 17 point 4).
        case(
            "POST",
            "/api/v1/patients/emergency-access",
            "for a patient nobody else here reads",
            |_| "/api/v1/patients/emergency-access".into(),
            |_| {
                Some(
                    json!({ "personal_id": GRETA, "category": "urgent_care", "reason": "Akut vård i hemmet, patienten svarar inte" }),
                )
            },
            PRESCRIBERS,
        ),
        // My patients, registration and setting: those who order for patients at a unit.
        op(
            "GET",
            "/api/v1/patients/mine",
            May::Only(&[&[Prescriber, PrescriberOtherUnit, PersonalOrdererHealth, PersonalOrdererSocial]]),
        ),
        with_body(
            "POST",
            "/api/v1/patients",
            |_| {
                Some(json!({ "personal_id": "19620315-4569", "given_name": "Rut",
            "family_name": "Berg", "municipality": "0186", "setting": "ordinary" }))
            },
            PRESCRIBERS,
        ),
        case(
            "POST",
            "/api/v1/patients/settings",
            "for a patient of unit 1, unchanged",
            |_| "/api/v1/patients/settings".into(),
            |_| Some(json!({ "personal_id": TOLVAN, "setting": "saebo", "valid_from": "2026-11-01" })),
            May::Only(&[&[Prescriber]]),
        ),
        // Devices: one lent to Tolvan (D-0001) and one to Sven (D-0041).
        case(
            "GET",
            "/api/v1/devices/{device_number}",
            "a device lent to a patient of unit 1",
            |_| "/api/v1/devices/D-0001".into(),
            none,
            PATIENT_READERS,
        ),
        case(
            "POST",
            "/api/v1/devices/{device_number}/pickup-order",
            "a device lent to a patient of unit 1",
            |_| "/api/v1/devices/D-0001/pickup-order".into(),
            |_| Some(json!({})),
            PATIENT_READERS,
        ),
        case(
            "DELETE",
            "/api/v1/devices/{device_number}/pickup-order",
            "a device lent to a patient of unit 1 without a pickup order",
            |_| "/api/v1/devices/D-0041/pickup-order".into(),
            none,
            PATIENT_READERS,
        ),
        case(
            "POST",
            "/api/v1/devices/{device_number}/fault-report",
            "a device lent to a patient of unit 1",
            |_| "/api/v1/devices/D-0001/fault-report".into(),
            |_| Some(json!({ "description": "Bromsen tar inte" })),
            PATIENT_READERS,
        ),
        case(
            "POST",
            "/api/v1/devices/{device_number}/lost-report",
            "a device lent to a patient of unit 1",
            |_| "/api/v1/devices/D-0041/lost-report".into(),
            |_| Some(json!({ "circumstances": "Glömd på bussen" })),
            PATIENT_READERS,
        ),
        case(
            "POST",
            "/api/v1/devices/{device_number}/inspection",
            "an unknown device",
            |_| "/api/v1/devices/NOPE/inspection".into(),
            |_| Some(json!({ "decision": "recondition" })),
            May::Only(&[&[Warehouse, Technician, Admin]]),
        ),
        // Stock and the desk.
        op("GET", "/api/v1/warehouses", May::Only(&[HMC])),
        case(
            "GET",
            "/api/v1/warehouses/{id}/stock",
            "the central warehouse",
            |_| "/api/v1/warehouses/1/stock".into(),
            none,
            May::Only(&[HMC]),
        ),
        case(
            "GET",
            "/api/v1/warehouses/{id}/consumables",
            "the central warehouse",
            |_| "/api/v1/warehouses/1/consumables".into(),
            none,
            May::Only(&[&[Warehouse, CustomerService, Technician, Admin]]),
        ),
        case(
            "GET",
            "/api/v1/warehouses/{id}/pick-list",
            "the central warehouse",
            |_| "/api/v1/warehouses/1/pick-list".into(),
            none,
            May::Only(&[&[Warehouse, Admin]]),
        ),
        case(
            "POST",
            "/api/v1/warehouses/{id}/pick-scans",
            "a code on no pick list",
            |_| "/api/v1/warehouses/1/pick-scans".into(),
            |_| Some(json!({ "code": "NOPE" })),
            May::Only(&[&[Warehouse, Admin]]),
        ),
        with_body(
            "POST",
            "/api/v1/delivery-scans",
            |_| Some(json!({ "code": "NOPE" })),
            May::Only(&[&[Warehouse, Admin]]),
        ),
        op("GET", "/api/v1/pickups", May::Only(&[&[Warehouse, CustomerService, Admin]])),
        with_body(
            "POST",
            "/api/v1/receipts",
            |_| Some(json!({ "warehouse_id": 1, "reference": "FS-1" })),
            May::Only(&[&[Warehouse, Admin]]),
        ),
        // Goods in (issue 19): purchase orders, on-hand against thresholds, batches.
        op("GET", "/api/v1/purchase-orders", May::Only(&[&[Warehouse, Finance, Admin]])),
        with_body(
            "POST",
            "/api/v1/purchase-orders",
            |_| Some(json!({ "supplier_id": 1, "warehouse_id": 1, "expected_on": "2020-01-01", "lines": [] })),
            May::Only(&[&[Warehouse, Admin]]),
        ),
        case(
            "GET",
            "/api/v1/purchase-orders/{id}",
            "an unknown purchase order",
            |_| "/api/v1/purchase-orders/999999".into(),
            none,
            May::Only(&[&[Warehouse, Finance, Admin]]),
        ),
        case(
            "GET",
            "/api/v1/warehouses/{id}/on-hand",
            "the central warehouse",
            |_| "/api/v1/warehouses/1/on-hand".into(),
            none,
            May::Only(&[&[Warehouse, CustomerService, Technician, Finance, Admin]]),
        ),
        case(
            "GET",
            "/api/v1/warehouses/{id}/batches",
            "the central warehouse",
            |_| "/api/v1/warehouses/1/batches".into(),
            none,
            May::Only(&[&[Warehouse, CustomerService, Technician, Finance, Admin]]),
        ),
        case(
            "PUT",
            "/api/v1/warehouses/{id}/thresholds/{article_number}",
            "an unknown article",
            |_| "/api/v1/warehouses/1/thresholds/NOPE".into(),
            |_| Some(json!({ "threshold": 5 })),
            May::Only(&[&[Warehouse, Admin]]),
        ),
        op("GET", "/api/v1/stock/below-threshold", May::Only(&[&[Warehouse, Finance, Admin]])),
        with_body(
            "POST",
            "/api/v1/returns",
            |_| Some(json!({ "device_number": "NOPE", "warehouse_id": 1 })),
            May::Only(&[&[Warehouse, Admin]]),
        ),
        // Cost responsibility: a rule lookup, no patient data.
        case(
            "POST",
            "/api/v1/cost-responsibility/decisions",
            "an incomplete question",
            |_| "/api/v1/cost-responsibility/decisions".into(),
            |_| Some(json!({})),
            May::Everyone,
        ),
        with_body(
            "POST",
            "/api/v1/cost-responsibility/costly-treatment",
            |_| Some(json!({ "monthly_cost_ore": 1_500_000 })),
            May::Everyone,
        ),
        // Ordering: prescribers for patients they have a care relationship with; orderers for their unit.
        op("GET", "/api/v1/cart", May::Everyone),
        case(
            "POST",
            "/api/v1/cart/preview",
            "for a patient of unit 1",
            |_| "/api/v1/cart/preview".into(),
            |_| Some(json!({ "personal_id": SVEN, "article_number": "R-200" })),
            May::Only(&[&[Prescriber]]),
        ),
        case(
            "POST",
            "/api/v1/cart/items",
            "for a patient of unit 1",
            |_| "/api/v1/cart/items".into(),
            |_| Some(json!({ "personal_id": SVEN, "article_number": "R-200" })),
            May::Only(&[&[Prescriber]]),
        ),
        case(
            "DELETE",
            "/api/v1/cart/items/{id}",
            "an item not in the caller's cart",
            |_| "/api/v1/cart/items/999999".into(),
            none,
            May::Everyone,
        ),
        case(
            "POST",
            "/api/v1/orders",
            "for a patient of unit 1",
            |_| "/api/v1/orders".into(),
            |_| {
                Some(
                    json!({ "personal_id": SVEN, "goal": "Gå ute", "evaluation_date": "2027-02-01", "lines": [{ "article_number": "R-200" }] }),
                )
            },
            May::Only(&[&[Prescriber]]),
        ),
        case(
            "POST",
            "/api/v1/orders",
            "basic equipment for the caller's own unit",
            |_| "/api/v1/orders".into(),
            |_| Some(json!({ "target": "unit", "lines": [{ "article_number": "R-100" }] })),
            May::Only(&[&[UnitOrderer, UnitOrdererOtherUnit]]),
        ),
        // The unit orderer: saved order lists of the caller's own unit, and the priced order.
        op("GET", "/api/v1/order-lists", ORDERERS),
        with_body("POST", "/api/v1/order-lists", |_| Some(order_list("Nattlista")), ORDERERS),
        case(
            "GET",
            "/api/v1/order-lists/{id}",
            "a list of unit 1",
            |w| format!("/api/v1/order-lists/{}", w.order_list),
            none,
            May::Only(&[&[UnitOrderer]]),
        ),
        case(
            "PUT",
            "/api/v1/order-lists/{id}",
            "a list of unit 1",
            |w| format!("/api/v1/order-lists/{}", w.order_list),
            |_| Some(order_list("Veckolista")),
            May::Only(&[&[UnitOrderer]]),
        ),
        case(
            "DELETE",
            "/api/v1/order-lists/{id}",
            "a list of unit 1",
            |w| format!("/api/v1/order-lists/{}", w.order_list),
            none,
            May::Only(&[&[UnitOrderer]]),
        ),
        with_body(
            "POST",
            "/api/v1/unit-orders/quote",
            |_| Some(json!({ "lines": [{ "article_number": "R-100", "quantity": 2 }] })),
            ORDERERS,
        ),
        case("GET", "/api/v1/orders", "the caller's own orders", |_| "/api/v1/orders".into(), none, May::Everyone),
        case(
            "GET",
            "/api/v1/orders",
            "every order (scope=all)",
            |_| "/api/v1/orders?scope=all&status=registered".into(),
            none,
            May::Only(&[HMC]),
        ),
        case(
            "GET",
            "/api/v1/orders/{id}",
            "the prescriber's order for a patient of unit 1",
            |w| format!("/api/v1/orders/{}", w.order),
            none,
            PATIENT_READERS,
        ),
        case(
            "POST",
            "/api/v1/orders/{id}/status",
            "to picked",
            |w| format!("/api/v1/orders/{}/status", w.order),
            |_| Some(json!({ "status": "picked" })),
            May::Only(&[&[Warehouse, CustomerService, Admin]]),
        ),
        // The inbox: everyone's own; a notification that is not the caller's is a 404.
        op("GET", "/api/v1/notifications", May::Everyone),
        case(
            "POST",
            "/api/v1/notifications/{id}/read",
            "a notification not in the caller's inbox",
            |_| "/api/v1/notifications/999999/read".into(),
            |_| Some(json!({})),
            May::Everyone,
        ),
        // Work orders and adaptations.
        op("GET", "/api/v1/work-orders", May::Only(&[&[Technician, Warehouse, CustomerService, Consultant, Admin]])),
        case(
            "POST",
            "/api/v1/work-orders",
            "for an unknown device",
            |_| "/api/v1/work-orders".into(),
            |_| Some(json!({ "kind": "repair", "device_number": "NOPE", "description": "Trasig broms" })),
            May::Only(&[&[Technician, Warehouse, Consultant, Admin]]),
        ),
        case(
            "GET",
            "/api/v1/work-orders/{id}",
            "a repair",
            |w| format!("/api/v1/work-orders/{}", w.work_order),
            none,
            May::Only(&[&[Technician, Warehouse, CustomerService, Consultant, Admin]]),
        ),
        case(
            "POST",
            "/api/v1/work-orders/{id}/start",
            "a repair",
            |w| format!("/api/v1/work-orders/{}/start", w.work_order),
            |_| Some(json!({})),
            May::Only(&[&[Technician, Consultant, Admin]]),
        ),
        case(
            "POST",
            "/api/v1/work-orders/{id}/entries",
            "a repair",
            |w| format!("/api/v1/work-orders/{}/entries", w.work_order),
            |_| Some(json!({ "minutes": 15 })),
            May::Only(&[&[Technician, Consultant, Admin]]),
        ),
        case(
            "POST",
            "/api/v1/work-orders/{id}/finish",
            "a repair",
            |w| format!("/api/v1/work-orders/{}/finish", w.work_order),
            |_| Some(json!({})),
            May::Only(&[&[Technician, Consultant, Admin]]),
        ),
        case(
            "POST",
            "/api/v1/work-orders/{id}/adaptation-documents",
            "a repair (not an adaptation)",
            |w| format!("/api/v1/work-orders/{}/adaptation-documents", w.work_order),
            |_| Some(json!({ "title": "Anpassning", "content": "Förhöjd sits och riskbedömning gjord." })),
            May::Only(&[&[Technician, Admin]]),
        ),
        case(
            "GET",
            "/api/v1/adaptation-documents/{id}",
            "on a device lent to a patient of unit 1",
            |w| format!("/api/v1/adaptation-documents/{}", w.document),
            none,
            May::Only(&[&[Technician, Warehouse, CustomerService, Consultant, Admin, Prescriber]]),
        ),
        case(
            "POST",
            "/api/v1/adaptation-documents/{id}/signature",
            "on a device lent to a patient of unit 1, with a wrong checksum",
            |w| format!("/api/v1/adaptation-documents/{}/signature", w.document),
            |_| Some(json!({ "sha256": "00" })),
            May::Only(&[&[Prescriber]]),
        ),
        case(
            "GET",
            "/api/v1/adaptation-documents/{id}/pdf",
            "on a device lent to a patient of unit 1",
            |w| format!("/api/v1/adaptation-documents/{}/pdf", w.document),
            none,
            May::Only(&[&[Technician, Warehouse, CustomerService, Consultant, Admin, Prescriber]]),
        ),
        case(
            "GET",
            "/api/v1/models/{article_number}/spare-parts",
            "a rollator model",
            |_| "/api/v1/models/R-100/spare-parts".into(),
            none,
            May::Only(&[&[Technician, Warehouse, CustomerService, Consultant, Admin]]),
        ),
        case(
            "POST",
            "/api/v1/models/{article_number}/spare-parts",
            "a rollator model and its basket",
            |_| "/api/v1/models/R-100/spare-parts".into(),
            |_| Some(json!({ "part_article_number": "R-101" })),
            May::Only(&[&[Technician, Admin]]),
        ),
        case(
            "POST",
            "/api/v1/work-orders/{id}/checklist/{item}",
            "a repair and an unknown item",
            |w| format!("/api/v1/work-orders/{}/checklist/999999", w.work_order),
            |_| Some(json!({})),
            May::Only(&[&[Technician, Consultant, Admin]]),
        ),
        case(
            "POST",
            "/api/v1/work-orders/{id}/attachments",
            "a repair, with a body that is not a photo",
            |w| format!("/api/v1/work-orders/{}/attachments?filename=x.pdf", w.work_order),
            |_| Some(json!({ "not": "a file" })),
            May::Only(&[&[Technician, Consultant, Admin]]),
        ),
        case(
            "GET",
            "/api/v1/work-orders/{id}/attachments/{attachment}",
            "an unknown attachment",
            |w| format!("/api/v1/work-orders/{}/attachments/999999", w.work_order),
            none,
            May::Only(&[&[Technician, Warehouse, CustomerService, Consultant, Admin]]),
        ),
        op("GET", "/api/v1/workshop-notifications", May::Everyone),
        op("GET", "/api/v1/safety-notices", May::Only(&[&[Warehouse, Technician, CustomerService, Admin]])),
        with_body(
            "POST",
            "/api/v1/safety-notices",
            |_| Some(json!({ "reference": "SN-2026-1", "title": "Bromsfel", "article_numbers": ["R-100"] })),
            May::Only(&[&[Warehouse, Technician, CustomerService, Admin]]),
        ),
        case(
            "GET",
            "/api/v1/safety-notices/{id}",
            "an unknown notice",
            |_| "/api/v1/safety-notices/999999".into(),
            none,
            May::Only(&[&[Warehouse, Technician, CustomerService, Admin]]),
        ),
        // Consultations: the opening prescriber or a consultant acts; reading needs a ground.
        op("GET", "/api/v1/consultations/services", May::Everyone),
        op("GET", "/api/v1/consultations/slots", May::Everyone),
        with_body(
            "POST",
            "/api/v1/consultations/slots",
            |_| {
                Some(json!({ "service_code": "expectation_call", "location": "Videomöte",
            "starts_at": "2026-11-26T09:00:00+01:00", "minutes": 45 }))
            },
            May::Only(&[&[Consultant]]),
        ),
        op("GET", "/api/v1/consultations/slots/mine", May::Only(&[&[Consultant]])),
        case(
            "DELETE",
            "/api/v1/consultations/slots/{id}",
            "an unknown slot",
            |_| "/api/v1/consultations/slots/999999".into(),
            none,
            May::Only(&[&[Consultant]]),
        ),
        op("GET", "/api/v1/consultations", May::Everyone),
        case(
            "POST",
            "/api/v1/consultations",
            "for a patient of unit 1",
            |_| "/api/v1/consultations".into(),
            |_| Some(json!({ "personal_id": TOLVAN, "service_code": "consultation", "question": "Val av rullstol" })),
            May::Only(&[&[Prescriber]]),
        ),
        case(
            "GET",
            "/api/v1/consultations/{id}",
            "opened by the prescriber at unit 1",
            |w| format!("/api/v1/consultations/{}", w.consultation),
            none,
            PATIENT_READERS,
        ),
        case(
            "POST",
            "/api/v1/consultations/{id}/booking",
            "already booked",
            |w| format!("/api/v1/consultations/{}/booking", w.consultation),
            |w| Some(json!({ "slot_id": w.free_slot })),
            May::Only(&[&[Prescriber, Consultant]]),
        ),
        case(
            "PUT",
            "/api/v1/consultations/{id}/booking",
            "to the free slot",
            |w| format!("/api/v1/consultations/{}/booking", w.consultation),
            |w| Some(json!({ "slot_id": w.free_slot })),
            May::Only(&[&[Prescriber, Consultant]]),
        ),
        case(
            "DELETE",
            "/api/v1/consultations/{id}/booking",
            "",
            |w| format!("/api/v1/consultations/{}/booking", w.consultation),
            none,
            May::Only(&[&[Prescriber, Consultant]]),
        ),
        case(
            "GET",
            "/api/v1/consultations/bookings/{booking_id}/calendar",
            "",
            |w| format!("/api/v1/consultations/bookings/{}/calendar", w.booking),
            none,
            PATIENT_READERS,
        ),
        // Surplus sales: the centre sells; the buying principal sees its sale.
        op("GET", "/api/v1/surplus", May::Only(&[HMC])),
        case(
            "POST",
            "/api/v1/surplus/sales",
            "an unknown device",
            |_| "/api/v1/surplus/sales".into(),
            |_| Some(json!({ "device_number": "NOPE", "municipality": "0186" })),
            May::Only(&[&[Warehouse, Finance, Admin]]),
        ),
        case(
            "GET",
            "/api/v1/surplus/sales/{id}",
            "sold to Lidingö stad",
            |w| format!("/api/v1/surplus/sales/{}", w.sale),
            none,
            May::Only(&[HMC, LIDINGO]),
        ),
        case(
            "POST",
            "/api/v1/surplus/sales/{id}/delivery",
            "sold to Lidingö stad",
            |w| format!("/api/v1/surplus/sales/{}/delivery", w.sale),
            |_| Some(json!({})),
            May::Only(&[&[Warehouse, Finance, Admin]]),
        ),
        case(
            "POST",
            "/api/v1/surplus/sales/{id}/complaints",
            "sold to Lidingö stad",
            |w| format!("/api/v1/surplus/sales/{}/complaints", w.sale),
            |_| Some(json!({ "description": "Hjulet är trasigt" })),
            May::Only(&[HMC, LIDINGO]),
        ),
        case(
            "PUT",
            "/api/v1/surplus/articles/{article_number}/spare-parts",
            "",
            |_| "/api/v1/surplus/articles/R-050/spare-parts".into(),
            |_| Some(json!({ "spare_parts_until": "2030-06-30" })),
            May::Only(&[&[Warehouse, Finance, Admin]]),
        ),
        // Figures and economy: the centre; budgets by finance and administrators.
        op("GET", "/api/v1/figures/delivery-reliability", May::Only(&[HMC])),
        op("GET", "/api/v1/figures/delivery-reliability.csv", May::Only(&[HMC])),
        op("GET", "/api/v1/figures/delivery-reliability.xlsx", May::Only(&[HMC])),
        op("GET", "/api/v1/figures/reuse-rate", May::Only(&[HMC])),
        op("GET", "/api/v1/figures/reuse-rate.csv", May::Only(&[HMC])),
        op("GET", "/api/v1/figures/reuse-rate.xlsx", May::Only(&[HMC])),
        op("GET", "/api/v1/figures/replacement-acceptance", May::Only(&[HMC])),
        op("GET", "/api/v1/figures/replacement-acceptance.csv", May::Only(&[HMC])),
        op("GET", "/api/v1/figures/replacement-acceptance.xlsx", May::Only(&[HMC])),
        op("GET", "/api/v1/figures/purchased-vs-prescribed", May::Only(&[HMC])),
        op("GET", "/api/v1/figures/purchased-vs-prescribed.csv", May::Only(&[HMC])),
        op("GET", "/api/v1/figures/purchased-vs-prescribed.xlsx", May::Only(&[HMC])),
        op("GET", "/api/v1/figures/open-work-orders", May::Only(&[HMC])),
        op("GET", "/api/v1/figures/open-work-orders.csv", May::Only(&[HMC])),
        op("GET", "/api/v1/figures/open-work-orders.xlsx", May::Only(&[HMC])),
        op("GET", "/api/v1/figures/safety-notices", May::Only(&[HMC])),
        op("GET", "/api/v1/figures/safety-notices.csv", May::Only(&[HMC])),
        op("GET", "/api/v1/figures/safety-notices.xlsx", May::Only(&[HMC])),
        op("GET", "/api/v1/figures/digital-orders", May::Only(&[HMC])),
        op("GET", "/api/v1/figures/digital-orders.csv", May::Only(&[HMC])),
        op("GET", "/api/v1/figures/digital-orders.xlsx", May::Only(&[HMC])),
        op("GET", "/api/v1/figures/lost-devices", May::Only(&[HMC])),
        op("GET", "/api/v1/figures/lost-devices.csv", May::Only(&[HMC])),
        op("GET", "/api/v1/figures/lost-devices.xlsx", May::Only(&[HMC])),
        op("GET", "/api/v1/figures/cost-effective-prescribing", May::Only(&[HMC])),
        op("GET", "/api/v1/figures/cost-effective-prescribing.csv", May::Only(&[HMC])),
        op("GET", "/api/v1/figures/cost-effective-prescribing.xlsx", May::Only(&[HMC])),
        op("GET", "/api/v1/economy/costs", May::Only(&[HMC])),
        op("GET", "/api/v1/economy/costs.csv", May::Only(&[HMC])),
        op("GET", "/api/v1/economy/costs.xlsx", May::Only(&[HMC])),
        op("GET", "/api/v1/reports/tertial", May::Only(&[HMC])),
        op("GET", "/api/v1/reports/tertial.xlsx", May::Only(&[HMC])),
        op("GET", "/api/v1/economy/costly-treatment", May::Only(&[HMC])),
        with_body(
            "PUT",
            "/api/v1/economy/budgets",
            |_| Some(json!({ "principal": "region", "year": 2026, "amount_ore": 100_000 })),
            May::Only(&[&[Finance, Admin]]),
        ),
        // Billing: finance staff only.
        with_body("POST", "/api/v1/invoice-runs", |_| Some(json!({ "month": "2026-10" })), FINANCE),
        op("GET", "/api/v1/invoices", FINANCE),
        case(
            "GET",
            "/api/v1/invoices/{number}",
            "an unknown invoice",
            |_| "/api/v1/invoices/F-0".into(),
            none,
            FINANCE,
        ),
        case(
            "GET",
            "/api/v1/invoices/{number}.csv",
            "an unknown invoice",
            |_| "/api/v1/invoices/F-0.csv".into(),
            none,
            FINANCE,
        ),
        case(
            "GET",
            "/api/v1/invoices/{number}.xml",
            "an unknown invoice",
            |_| "/api/v1/invoices/F-0.xml".into(),
            none,
            FINANCE,
        ),
        case(
            "GET",
            "/api/v1/invoices/{number}.xlsx",
            "an unknown invoice",
            |_| "/api/v1/invoices/F-0.xlsx".into(),
            none,
            FINANCE,
        ),
        with_body(
            "POST",
            "/api/v1/invoice-run-jobs",
            |_| Some(json!({ "month": "2026-10", "preliminary": true })),
            FINANCE,
        ),
        case(
            "GET",
            "/api/v1/invoice-run-jobs/{id}",
            "an unknown run",
            |_| "/api/v1/invoice-run-jobs/999999".into(),
            none,
            FINANCE,
        ),
        case(
            "POST",
            "/api/v1/invoice-run-jobs/{id}/cancel",
            "an unknown run",
            |_| "/api/v1/invoice-run-jobs/999999/cancel".into(),
            none,
            FINANCE,
        ),
        case(
            "POST",
            "/api/v1/invoices/{number}/credit-note",
            "an unknown invoice",
            |_| "/api/v1/invoices/F-0/credit-note".into(),
            |_| Some(json!({ "reason": "Fel pris" })),
            FINANCE,
        ),
        // Patient-fee invoicing: finance staff only; no personal id in any URL.
        with_body(
            "POST",
            "/api/v1/patient-invoices/runs",
            |_| Some(json!({ "month": "2026-10", "preliminary": true })),
            FINANCE,
        ),
        case(
            "GET",
            "/api/v1/patient-invoices",
            "a month",
            |_| "/api/v1/patient-invoices?month=2026-10".into(),
            none,
            FINANCE,
        ),
        case(
            "GET",
            "/api/v1/patient-invoices.csv",
            "a month",
            |_| "/api/v1/patient-invoices.csv?month=2026-10".into(),
            none,
            FINANCE,
        ),
        case(
            "GET",
            "/api/v1/patient-invoices.xlsx",
            "a month",
            |_| "/api/v1/patient-invoices.xlsx?month=2026-10".into(),
            none,
            FINANCE,
        ),
        case(
            "GET",
            "/api/v1/patient-invoices/{number}",
            "an unknown invoice",
            |_| "/api/v1/patient-invoices/P0".into(),
            none,
            FINANCE,
        ),
        // Audit review: audit reviewers only, who gain no patient access by it.
        case(
            "POST",
            "/api/v1/audit/search",
            "by patient",
            |_| "/api/v1/audit/search".into(),
            |_| Some(json!({ "personal_id": TOLVAN })),
            REVIEWER,
        ),
        case("GET", "/api/v1/audit", "refusals", |_| "/api/v1/audit?outcome=refused".into(), none, REVIEWER),
        with_body("POST", "/api/v1/audit/log-extract", |_| Some(json!({ "personal_id": TOLVAN })), REVIEWER),
        with_body("POST", "/api/v1/audit/log-extract.csv", |_| Some(json!({ "personal_id": TOLVAN })), REVIEWER),
        op("GET", "/api/v1/audit/emergency-accesses", REVIEWER),
        case(
            "POST",
            "/api/v1/audit/emergency-accesses/{id}/sign-off",
            "an unknown access",
            |_| "/api/v1/audit/emergency-accesses/999999/sign-off".into(),
            |_| Some(json!({ "verdict": "justified", "comment": "Akut vård." })),
            REVIEWER,
        ),
        // Administration: administrators only, on what the administrator
        // made in the setup (never on a caller of the matrix).
        op("GET", "/api/v1/admin/principals", ADMIN),
        with_body(
            "POST",
            "/api/v1/admin/principals",
            |_| Some(json!({ "code": "0188", "name": "Norrtälje kommun", "kind": "municipality" })),
            ADMIN,
        ),
        case(
            "PUT",
            "/api/v1/admin/principals/{id}",
            "the administrator's principal",
            |w| format!("/api/v1/admin/principals/{}", w.principal),
            |_| Some(json!({ "name": "Vaxholms stad" })),
            ADMIN,
        ),
        case(
            "PUT",
            "/api/v1/admin/principals/{id}/basic-equipment-agreement",
            "the administrator's principal",
            |w| format!("/api/v1/admin/principals/{}/basic-equipment-agreement", w.principal),
            |_| Some(json!({ "since": "2021-01-01" })),
            ADMIN,
        ),
        case(
            "POST",
            "/api/v1/admin/principals/{id}/customer-numbers",
            "the administrator's principal",
            |w| format!("/api/v1/admin/principals/{}/customer-numbers", w.principal),
            |_| Some(json!({ "number": "400002", "name": "Skolan" })),
            ADMIN,
        ),
        case(
            "PUT",
            "/api/v1/admin/customer-numbers/{id}",
            "the administrator's customer number",
            |w| format!("/api/v1/admin/customer-numbers/{}", w.customer_number),
            |_| Some(json!({ "name": "Hemtjänsten i Vaxholm" })),
            ADMIN,
        ),
        op("GET", "/api/v1/admin/units", ADMIN),
        with_body(
            "POST",
            "/api/v1/admin/units",
            |w| {
                Some(json!({ "principal_id": w.principal, "hsa_id": "SE2120001234-0002",
            "name": "Skolhälsan Vaxholm", "kind": "home_care", "customer_number_id": w.customer_number }))
            },
            ADMIN,
        ),
        case(
            "PUT",
            "/api/v1/admin/units/{id}",
            "the administrator's unit",
            |w| format!("/api/v1/admin/units/{}", w.unit),
            |w| {
                Some(
                    json!({ "name": "Hemtjänst Vaxholm norra", "kind": "home_care", "customer_number_id": w.customer_number }),
                )
            },
            ADMIN,
        ),
        case(
            "POST",
            "/api/v1/admin/units/{id}/deactivate",
            "the administrator's unit",
            |w| format!("/api/v1/admin/units/{}/deactivate", w.unit),
            |_| Some(json!({})),
            ADMIN,
        ),
        case(
            "POST",
            "/api/v1/admin/units/{id}/reactivate",
            "the administrator's unit",
            |w| format!("/api/v1/admin/units/{}/reactivate", w.unit),
            |_| Some(json!({})),
            ADMIN,
        ),
        op("GET", "/api/v1/admin/users", ADMIN),
        with_body(
            "POST",
            "/api/v1/admin/users",
            |w| {
                Some(json!({ "username": "m_new", "display_name": "Ny Användare",
            "principal_id": w.principal, "unit_id": w.unit, "roles": ["unit_orderer"] }))
            },
            ADMIN,
        ),
        case(
            "GET",
            "/api/v1/admin/users/{id}",
            "the administrator's user",
            |w| format!("/api/v1/admin/users/{}", w.user),
            none,
            ADMIN,
        ),
        case(
            "PUT",
            "/api/v1/admin/users/{id}/roles",
            "the administrator's user",
            |w| format!("/api/v1/admin/users/{}/roles", w.user),
            |_| Some(json!({ "roles": ["unit_orderer", "prescriber"] })),
            ADMIN,
        ),
        case(
            "PUT",
            "/api/v1/admin/users/{id}/unit",
            "the administrator's user",
            |w| format!("/api/v1/admin/users/{}/unit", w.user),
            |_| Some(json!({ "unit_id": null })),
            ADMIN,
        ),
        case(
            "PUT",
            "/api/v1/admin/users/{id}/competences",
            "the administrator's user",
            |w| format!("/api/v1/admin/users/{}/competences", w.user),
            |_| Some(json!({ "competences": [{ "competence": "mobility", "valid_to": "2027-12-31" }] })),
            ADMIN,
        ),
        case(
            "POST",
            "/api/v1/admin/users/{id}/deactivate",
            "the administrator's user",
            |w| format!("/api/v1/admin/users/{}/deactivate", w.user),
            |_| Some(json!({})),
            ADMIN,
        ),
        case(
            "POST",
            "/api/v1/admin/users/{id}/reactivate",
            "the administrator's user",
            |w| format!("/api/v1/admin/users/{}/reactivate", w.user),
            |_| Some(json!({})),
            ADMIN,
        ),
        op("GET", "/api/v1/admin/tokens", ADMIN),
        case(
            "POST",
            "/api/v1/admin/tokens/{id}/revoke",
            "the administrator's user's token",
            |w| format!("/api/v1/admin/tokens/{}/revoke", w.user_token),
            |_| Some(json!({})),
            ADMIN,
        ),
        with_body("POST", "/api/v1/admin/articles", |_| Some(article("M-900")), ADMIN),
        case(
            "PUT",
            "/api/v1/admin/articles/{article_number}",
            "the article made in the row before",
            |_| "/api/v1/admin/articles/M-900".into(),
            |_| Some(article("M-900")),
            ADMIN,
        ),
        case(
            "POST",
            "/api/v1/admin/articles/{article_number}/retire",
            "the article made in the row before",
            |_| "/api/v1/admin/articles/M-900/retire".into(),
            |_| Some(json!({ "valid_to": "2026-12-31" })),
            ADMIN,
        ),
        op("GET", "/api/v1/admin/product-areas", ADMIN),
        case(
            "PUT",
            "/api/v1/admin/product-areas/{code}",
            "the mobility area, unchanged",
            |_| "/api/v1/admin/product-areas/mobility".into(),
            |_| Some(json!({ "agreement_area": "cooperation", "drug_adjacent": false })),
            ADMIN,
        ),
        op("GET", "/api/v1/admin/changes", May::Only(&[&[Admin, AuditReviewer]])),
        // Each user's own API tokens.
        op("GET", "/api/v1/tokens", May::Everyone),
        case(
            "DELETE",
            "/api/v1/tokens/{id}",
            "a token of nobody",
            |_| "/api/v1/tokens/999999".into(),
            none,
            May::Everyone,
        ),
        // Catalog import (issue 20): administrators only; the body is the file.
        with_body(
            "POST",
            "/api/v1/admin/catalog-imports",
            |_| Some(Value::String("article_number,name,iso_code,supplier,kind\n".into())),
            ADMIN,
        ),
        case(
            "GET",
            "/api/v1/admin/catalog-imports/{id}",
            "a made-up import",
            |_| "/api/v1/admin/catalog-imports/999999".into(),
            none,
            ADMIN,
        ),
        // FHIR (issue 20): the API's rules under /fhir. Tolvan is patient 1,
        // unit 1's; made-up ids are 404 to anyone past the login.
        op("GET", "/fhir/metadata", May::Public),
        case("GET", "/fhir/Patient/{id}", "Tolvan", |_| "/fhir/Patient/1".into(), none, PATIENT_READERS),
        op("GET", "/fhir/Patient", May::Everyone),
        with_body(
            "POST",
            "/fhir/Patient/_search",
            |_| Some(Value::String(format!("identifier={}", TOLVAN))),
            PATIENT_READERS,
        ),
        case(
            "GET",
            "/fhir/Device",
            "Tolvan's devices",
            |_| "/fhir/Device?patient=Patient/1".into(),
            none,
            PATIENT_READERS,
        ),
        case(
            "GET",
            "/fhir/Device/{id}",
            "the device lent to Tolvan",
            |_| "/fhir/Device/D-0001".into(),
            none,
            PATIENT_READERS,
        ),
        case(
            "GET",
            "/fhir/DeviceDefinition",
            "the catalog",
            |_| "/fhir/DeviceDefinition?_count=5".into(),
            none,
            May::Everyone,
        ),
        case(
            "GET",
            "/fhir/DeviceDefinition/{id}",
            "an article",
            |_| "/fhir/DeviceDefinition/1".into(),
            none,
            May::Everyone,
        ),
        case(
            "GET",
            "/fhir/DeviceRequest",
            "Tolvan's orders",
            |_| "/fhir/DeviceRequest?patient=1".into(),
            none,
            PATIENT_READERS,
        ),
        case(
            "GET",
            "/fhir/DeviceRequest/{id}",
            "a made-up line",
            |_| "/fhir/DeviceRequest/999999".into(),
            none,
            May::Everyone,
        ),
        with_body(
            "POST",
            "/fhir/DeviceRequest",
            |_| {
                Some(json!({ "resourceType": "DeviceRequest", "intent": "order",
                    "subject": { "identifier": { "system": "http://electronichealth.se/identifier/personnummer", "value": SVEN } },
                    "code": { "concept": { "coding": [{ "system": "urn:ramp:article-number", "code": "R-200" }] } },
                    "reason": [{ "concept": { "text": "Gå ute" } }],
                    "extension": [{ "url": "urn:ramp:fhir:evaluation-date", "valueDate": "2027-02-01" }] }))
            },
            May::Only(&[&[Prescriber]]),
        ),
        case(
            "GET",
            "/fhir/DeviceDispense",
            "Tolvan's deliveries",
            |_| "/fhir/DeviceDispense?patient=1".into(),
            none,
            PATIENT_READERS,
        ),
        case(
            "GET",
            "/fhir/DeviceDispense/{id}",
            "a made-up line",
            |_| "/fhir/DeviceDispense/999999".into(),
            none,
            May::Everyone,
        ),
        case(
            "GET",
            "/fhir/ChargeItem",
            "Tolvan's charges",
            |_| "/fhir/ChargeItem?patient=1".into(),
            none,
            PATIENT_READERS,
        ),
        case(
            "GET",
            "/fhir/ChargeItem/{id}",
            "a made-up line",
            |_| "/fhir/ChargeItem/999999".into(),
            none,
            May::Everyone,
        ),
        case(
            "GET",
            "/fhir/Observation",
            "Tolvan's measurements",
            |_| "/fhir/Observation?patient=1".into(),
            none,
            PATIENT_READERS,
        ),
        // Last: logging out with a bearer token revokes it.
        op("DELETE", "/api/v1/session", May::Public),
    ]
}

/// A saved order list as a unit orderer writes it.
fn order_list(name: &str) -> Value {
    json!({ "name": name, "lines": [{ "article_number": "R-100", "quantity": 3 }] })
}

/// A catalog article as the administrator writes it.
fn article(number: &str) -> Value {
    json!({ "article_number": number, "iso_code": "12 06 06", "name": "Rollator Lätt", "supplier": "Ny Leverantör AB",
        "purchase_price_ore": 180_000, "monthly_rent_ore": 3_000, "kind": "main_device", "billing": "rental",
        "lead_time_class": "stock_7", "service_life_months": 96, "reconditionable": true, "product_area": "mobility" })
}

fn password_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| ramp_app::auth::hash_password(ramp_storage::fixture::PASSWORD).expect("hash"))
}

/// The callers, each with an API token (after the fixtures, whose users have fixed ids).
async fn subjects(app: &TestApp) -> HashMap<Who, String> {
    ramp_storage::fixture_ordering::load(app.storage.as_ref()).await.expect("ordering fixture");
    ramp_storage::fixture_consult::load(app.storage.as_ref()).await.expect("consultation fixture");
    let mut tokens = HashMap::new();
    for (who, username, role, unit) in SUBJECTS {
        let principal = if *unit == Some(2) { app.fixture.lidingo } else { app.fixture.region };
        let user = NewUser {
            username: username.to_string(),
            display_name: format!("{who:?}"),
            hsa_id: None,
            password_hash: Some(password_hash().into()),
            principal_id: principal,
            unit_id: *unit,
            roles: vec![*role],
            competences: vec!["mobility".into()],
            created_at: ramp_testkit::test_now(),
        };
        app.storage.create_user(&user).await.expect("subject");
        tokens.insert(*who, app.token_for(username).await);
    }
    tokens
}

async fn created(resp: reqwest::Response, what: &str) -> Value {
    let status = resp.status();
    let body: Value = resp.json().await.unwrap_or(Value::Null);
    assert!(status.is_success(), "setup: {what}: {status} {body}");
    body
}

/// The order, consultation with its booking and a free slot, surplus sale
/// and work order that the rows name, made by the callers themselves.
async fn world(app: &TestApp, t: &HashMap<Who, String>) -> World {
    let order = json!({ "personal_id": SVEN, "goal": "Gå ute", "evaluation_date": "2027-02-01", "lines": [{ "article_number": "R-200" }] });
    let order = created(app.post_json(&t[&Prescriber], "/api/v1/orders", &order).await, "order").await;
    let list = app.post_json(&t[&UnitOrderer], "/api/v1/order-lists", &order_list("Veckobeställning")).await;
    let order_list = created(list, "order list").await["id"].as_i64().expect("order list id");
    let slot =
        |at: &str| json!({ "service_code": "expectation_call", "location": "Rum 3", "starts_at": at, "minutes": 45 });
    let booked_slot = created(
        app.post_json(&t[&Consultant], "/api/v1/consultations/slots", &slot("2026-11-24T10:00:00+01:00")).await,
        "slot",
    )
    .await;
    let free_slot = created(
        app.post_json(&t[&Consultant], "/api/v1/consultations/slots", &slot("2026-11-25T13:00:00+01:00")).await,
        "slot",
    )
    .await;
    let c = json!({ "personal_id": TOLVAN, "service_code": "expectation_call", "question": "Stöd i val av rollator" });
    let c = created(app.post_json(&t[&Prescriber], "/api/v1/consultations", &c).await, "consultation").await;
    let path = format!("/api/v1/consultations/{}/booking", c["id"]);
    let booked =
        created(app.post_json(&t[&Prescriber], &path, &json!({ "slot_id": booked_slot["id"] })).await, "booking").await;
    let sale = json!({ "device_number": "D-0060", "municipality": "0186" });
    let sale = created(app.post_json(&t[&Warehouse], "/api/v1/surplus/sales", &sale).await, "sale").await;
    let w = json!({ "kind": "repair", "device_number": "D-0002", "description": "Trasig broms" });
    let w = created(app.post_json(&t[&Technician], "/api/v1/work-orders", &w).await, "work order").await;
    let a = json!({ "kind": "special_adaptation", "device_number": "D-0001", "description": "Förhöjt ryggstöd" });
    let a = created(app.post_json(&t[&Technician], "/api/v1/work-orders", &a).await, "adaptation").await;
    let doc = json!({ "title": "Riskbedömning", "content": "Ryggstödet förhöjs 12 cm; tippskydd monteras." });
    let path = format!("/api/v1/work-orders/{}/adaptation-documents", a["id"]);
    let doc = created(app.post_json(&t[&Technician], &path, &doc).await, "adaptation document").await;
    let admin = &t[&Admin];
    let principal = json!({ "code": "0187", "name": "Vaxholm", "kind": "municipality" });
    let principal =
        created(app.post_json(admin, "/api/v1/admin/principals", &principal).await, "principal").await["id"].clone();
    let number = json!({ "number": "400001", "name": "Hemtjänst Vaxholm" });
    let path = format!("/api/v1/admin/principals/{principal}/customer-numbers");
    let number = created(app.post_json(admin, &path, &number).await, "customer number").await["id"].clone();
    let unit = json!({ "principal_id": principal, "hsa_id": "SE2120001234-0001", "name": "Hemtjänst Vaxholm",
        "kind": "home_care", "customer_number_id": number });
    let unit = created(app.post_json(admin, "/api/v1/admin/units", &unit).await, "unit").await["id"].clone();
    let user = json!({ "username": "m_made", "display_name": "Gjord Användare", "password": "m-made-lösen-1",
        "principal_id": principal, "unit_id": unit, "roles": ["unit_orderer"] });
    let user = created(app.post_json(admin, "/api/v1/admin/users", &user).await, "user").await["id"].clone();
    let user_token = app.token_for("m_made").await;
    let tokens = app.get(&user_token, "/api/v1/tokens").await.json::<Value>().await.expect("tokens");
    World {
        document: doc["id"].as_str().expect("document id").to_string(),
        principal: principal.as_i64().expect("principal id"),
        customer_number: number.as_i64().expect("customer number id"),
        unit: unit.as_i64().expect("unit id"),
        user: user.as_i64().expect("user id"),
        user_token: tokens[0]["id"].as_i64().expect("token id"),
        order: order["id"].as_i64().expect("order id"),
        order_list,
        consultation: c["id"].as_i64().expect("consultation id"),
        booking: booked["booking"]["id"].as_i64().expect("booking id"),
        free_slot: free_slot["id"].as_i64().expect("slot id"),
        sale: sale["id"].as_i64().expect("sale id"),
        work_order: w["id"].as_i64().expect("work order id"),
    }
}

fn allowed(may: May, who: Who) -> bool {
    match may {
        May::Public | May::Everyone => true,
        May::Only(groups) => groups.iter().any(|g| g.contains(&who)),
        May::DeviceSecret => false,
    }
}

async fn send(app: &TestApp, method: &str, path: &str, body: Option<&Value>, token: Option<&str>) -> u16 {
    let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
    let mut req = app.client.request(method, app.url(path));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    match body {
        // A form body (a FHIR search by POST).
        Some(Value::String(form)) => {
            req = req.header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded").body(form.clone())
        }
        Some(b) => req = req.json(b),
        None => {}
    }
    req.send().await.expect("request").status().as_u16()
}

async fn every_operation_answers_each_role_as_the_authorization_matrix_says(app: TestApp) {
    // Arrange: the rows cover every documented operation.
    let cases = matrix();
    let documented: BTreeSet<(String, String)> =
        ramp_web::api::api_routes().into_iter().map(|(m, p)| (m.to_string(), p)).collect();
    let covered: BTreeSet<(String, String)> =
        cases.iter().map(|c| (c.method.to_string(), c.route.to_string())).collect();
    let missing: Vec<_> = documented.difference(&covered).collect();
    assert!(missing.is_empty(), "operations without a row in the authorization matrix: {missing:?}");
    let unknown: Vec<_> = covered.difference(&documented).collect();
    assert!(unknown.is_empty(), "rows for operations the API does not document: {unknown:?}");
    let tokens = subjects(&app).await;
    let w = world(&app, &tokens).await;
    app.clock.advance(Duration::minutes(1));

    // Act: every row, anonymous first, then refused callers, then allowed ones.
    let mut wrong = vec![];
    for c in &cases {
        let path = c.path.map_or_else(|| c.route.to_string(), |p| p(&w));
        let body = (c.body)(&w);
        let anonymous = send(&app, c.method, &path, body.as_ref(), None).await;
        let public = matches!(c.may, May::Public);
        if public == (anonymous == 401) || anonymous == 403 || anonymous >= 500 {
            wrong.push(format!("{} {path} ({}): without credentials {anonymous}", c.method, c.case));
        }
        let mut callers: Vec<Who> = SUBJECTS.iter().map(|s| s.0).collect();
        callers.sort_by_key(|who| allowed(c.may, *who));
        for who in callers {
            let status = send(&app, c.method, &path, body.as_ref(), Some(&tokens[&who])).await;
            let may = allowed(c.may, who);
            let ok = if matches!(c.may, May::DeviceSecret) {
                status == 401
            } else if may {
                !matches!(status, 401 | 403 | 405) && status < 500
            } else {
                status == 403
            };
            if !ok {
                let expected = if matches!(c.may, May::DeviceSecret) {
                    "401"
                } else if may {
                    "allowed"
                } else {
                    "403"
                };
                wrong.push(format!("{} {path} ({}): {who:?} got {status}, expected {expected}", c.method, c.case));
            }
        }
    }

    // Assert
    assert!(wrong.is_empty(), "{} answers differ from the matrix:\n{}", wrong.len(), wrong.join("\n"));
}

ramp_testkit::on_both_engines!(every_operation_answers_each_role_as_the_authorization_matrix_says);
