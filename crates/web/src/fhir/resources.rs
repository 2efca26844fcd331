//! Ramp's rows as FHIR R5 resources (JSON). Ids are Ramp's internal ids
//! (never a personal identity number), except a `Device`, whose id is its
//! device number (the number on its label). Identifier systems Ramp owns
//! are URNs under `urn:ramp:`; see docs/FHIR.md for the whole mapping.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use ramp_app::model::{Article, ChargeLine, DeviceCard, HeldDevice, Id, Patient, RequestLine};
use ramp_domain::ids::PersonalIdKind;
use ramp_domain::order::OrderStatus;
use serde_json::{json, Value};

pub const PERSONNUMMER: &str = "http://electronichealth.se/identifier/personnummer";
pub const SAMORDNINGSNUMMER: &str = "http://electronichealth.se/identifier/samordningsnummer";
pub const DEVICE_NUMBER: &str = "urn:ramp:device-number";
pub const ARTICLE_NUMBER: &str = "urn:ramp:article-number";
pub const ORDER_NUMBER: &str = "urn:ramp:order";
pub const ISO_9999: &str = "urn:iso:std:iso:9999";
const GS1_DI: &str = "http://hl7.org/fhir/NamingSystem/gs1-di";
const EU_UDI: &str = "http://hl7.org/fhir/NamingSystem/eu-ec-udi";

pub fn instant(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

pub fn patient_ref(id: Id) -> Value {
    json!({"reference": format!("Patient/{id}")})
}

fn device_ref(number: &str) -> Value {
    json!({"reference": format!("Device/{number}")})
}

fn definition_ref(article_id: Id, name: &str) -> Value {
    json!({"reference": {"reference": format!("DeviceDefinition/{article_id}"), "display": name}})
}

pub fn patient(p: &Patient) -> Value {
    let system = match p.personal_id.kind() {
        PersonalIdKind::Personnummer => PERSONNUMMER,
        PersonalIdKind::Samordningsnummer => SAMORDNINGSNUMMER,
    };
    json!({
        "resourceType": "Patient",
        "id": p.id.to_string(),
        "identifier": [{"use": "official", "system": system, "value": p.personal_id.as_str()}],
        "active": true,
        "name": [{"use": "official", "family": p.family_name, "given": [p.given_name]}],
        "birthDate": date(p.birth_date),
    })
}

/// A device lent to a patient now (from the patient's device overview).
pub fn held_device(d: &HeldDevice, article_id: Option<Id>) -> Value {
    let mut v = json!({
        "resourceType": "Device",
        "id": d.device_number,
        "identifier": [{"system": DEVICE_NUMBER, "value": d.device_number}],
        "displayName": d.article_name,
        "status": "active",
    });
    if let Some(a) = article_id {
        v["definition"] = definition_ref(a, &d.article_name);
    }
    v
}

/// A device from its card: any device of the fleet, lent or not.
pub fn device_card(c: &DeviceCard) -> Value {
    let scrapped = c.device.state == ramp_domain::device::DeviceState::Scrapped;
    let mut v = json!({
        "resourceType": "Device",
        "id": c.device.device_number,
        "identifier": [{"system": DEVICE_NUMBER, "value": c.device.device_number}],
        "displayName": c.article.name,
        "definition": definition_ref(c.article.id, &c.article.name),
        "status": if scrapped { "inactive" } else { "active" },
        "manufacturer": c.article.supplier_name,
    });
    if let Some(serial) = &c.device.serial {
        v["serialNumber"] = json!(serial);
    }
    v
}

pub fn device_definition(a: &Article) -> Value {
    let mut v = json!({
        "resourceType": "DeviceDefinition",
        "id": a.id.to_string(),
        "identifier": [{"system": ARTICLE_NUMBER, "value": a.article_number}],
        "partNumber": a.article_number,
        "manufacturer": {"display": a.supplier_name},
        "deviceName": [{"name": a.name, "type": "registered-name"}],
        "classification": [{"type": {"coding": [{"system": ISO_9999, "code": a.iso_code.as_str()}]}}],
    });
    if let Some(gtin) = &a.gtin {
        v["udiDeviceIdentifier"] = json!([{"deviceIdentifier": gtin, "issuer": GS1_DI, "jurisdiction": EU_UDI}]);
    }
    v
}

fn request_status(l: &RequestLine) -> &'static str {
    match (l.line_state.as_str(), l.order_status) {
        ("cancelled", _) | (_, OrderStatus::Cancelled) => "revoked",
        ("delivered", _) | (_, OrderStatus::Delivered) => "completed",
        _ => "active",
    }
}

fn order_identifier(l: &RequestLine) -> Value {
    json!({"system": ORDER_NUMBER, "value": l.order_id.to_string()})
}

pub fn device_request(l: &RequestLine) -> Value {
    let mut v = json!({
        "resourceType": "DeviceRequest",
        "id": l.line_id.to_string(),
        "identifier": [{"system": "urn:ramp:order-line", "value": format!("{}-{}", l.order_id, l.line_no)}],
        "groupIdentifier": order_identifier(l),
        "status": request_status(l),
        "intent": "order",
        "code": definition_ref(l.article_id, &l.article_name),
        "quantity": l.quantity,
        "subject": patient_ref(l.patient_id),
        "occurrenceDateTime": date(l.promised_date),
        "authoredOn": instant(l.placed_at),
        "requester": {"display": format!("{} ({})", l.orderer_name, l.unit_name)},
    });
    if let Some(goal) = &l.goal {
        v["reason"] = json!([{"concept": {"text": goal}}]);
    }
    v
}

/// A delivered line; the caller passes only lines with `delivered_at`.
pub fn device_dispense(l: &RequestLine) -> Value {
    let device = match &l.device_number {
        Some(n) => json!({"reference": device_ref(n)}),
        None => json!({"concept": {"text": l.article_name}}),
    };
    json!({
        "resourceType": "DeviceDispense",
        "id": l.line_id.to_string(),
        "basedOn": [{"reference": format!("DeviceRequest/{}", l.line_id)}],
        "status": "completed",
        "device": device,
        "subject": patient_ref(l.patient_id),
        "quantity": {"value": l.quantity},
        "whenHandedOver": l.delivered_at.map(instant),
    })
}

fn money(ore: i64) -> Value {
    json!({"value": ore as f64 / 100.0, "currency": "SEK"})
}

pub fn charge_item(c: &ChargeLine) -> Value {
    let mut v = json!({
        "resourceType": "ChargeItem",
        "id": c.line_id.to_string(),
        "identifier": [{"system": "urn:ramp:invoice-line", "value": format!("{}-{}", c.invoice_number, c.line_no)}],
        "status": if c.credited { "aborted" } else { "billed" },
        "code": {"coding": [{"system": "urn:ramp:charge-kind", "code": c.kind}], "text": c.description},
        "subject": patient_ref(c.patient_id),
        "quantity": {"value": c.quantity},
        "unitPriceComponent": {"type": "base", "amount": money(c.unit_price_ore)},
        "totalPriceComponent": {"type": "base", "amount": money(c.amount_ore)},
        "enteredDate": instant(c.issued_at),
    });
    match (c.period_from, c.period_to) {
        (Some(from), to) => v["occurrencePeriod"] = json!({"start": date(from), "end": to.map(date)}),
        _ => v["occurrenceDateTime"] = json!(instant(c.issued_at)),
    }
    if let Some(n) = &c.device_number {
        v["product"] = json!([{"reference": device_ref(n)}]);
    }
    v
}
