//! How an order reaches the patient or unit: where to, whom to call, how it
//! travels and how fast. The details are checked here, once, so the API
//! and the order form name the same field for the same mistake; the
//! warehouse reads them off its pick list.

use crate::article::LeadTimeClass;
use crate::calendar::promised_date;
use crate::setting::Setting;
use crate::FieldError;
use crate::Term;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use strum::{IntoStaticStr, VariantArray};

/// How the order travels. The terms are the centres' own (seeds 003 and 004:
/// delivery to the home address, "utlämningsställe", the centre's transports).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
#[derive(IntoStaticStr, VariantArray, strum::Display)]
#[strum(serialize_all = "snake_case")]
pub enum DeliveryMethod {
    /// "Leverans med Hjälpmedelscentralens transport" to the address.
    #[default]
    CentreTransport,
    /// "Hämtas på Hjälpmedelscentralen": collected at the centre's counter.
    PickupAtCentre,
    /// "Leverans via utlämningsställe": a pickup point near the patient.
    PickupPoint,
    /// "Skickas med fraktbolag": sent by a carrier (small parcels).
    Carrier,
}

impl Term for DeliveryMethod {
    const FIELD: &'static str = "delivery.method";
    const CODE: &'static str = "invalid_delivery_method";
}

impl DeliveryMethod {
    /// Whether the order travels to an address (and so needs one).
    pub fn needs_address(self) -> bool {
        !matches!(self, DeliveryMethod::PickupAtCentre)
    }
}

/// How fast. Urgent is the lead-time class "akut": the next working day,
/// for what the centre has on the shelf (an order item is still made to
/// order and keeps its 17 days).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
#[derive(IntoStaticStr, VariantArray, strum::Display)]
#[strum(serialize_all = "snake_case")]
pub enum Urgency {
    #[default]
    Normal,
    Urgent,
}

impl Term for Urgency {
    const FIELD: &'static str = "delivery.urgency";
    const CODE: &'static str = "invalid_urgency";
}

/// The date promised for a line of `class` ordered on `ordered` with `urgency`.
pub fn promised_for(ordered: NaiveDate, class: LeadTimeClass, urgency: Urgency) -> NaiveDate {
    match (urgency, class) {
        (Urgency::Urgent, LeadTimeClass::Stock4 | LeadTimeClass::Stock7 | LeadTimeClass::Acute) => {
            promised_date(ordered, LeadTimeClass::Acute)
        }
        _ => promised_date(ordered, class),
    }
}

/// The places of use an order may be made for: the settings the
/// agreement is written against. Home is "ordinary"; school and preschool
/// fall under a separate agreement (1997) that Ramp does not hold yet.
pub fn places_of_use() -> &'static [Setting] {
    Setting::ALL
}

/// The delivery details as typed, before they are checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeliveryInput {
    /// Another address; empty: the patient's registered address (or the unit's).
    pub address: Option<String>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub method: Option<DeliveryMethod>,
    pub urgency: Option<Urgency>,
    pub note: Option<String>,
}

/// Checked delivery details, as stored on the order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Delivery {
    /// `None`: the patient's registered address ("folkbokföringsadress"),
    /// which the centre looks up itself; Ramp does not keep it.
    pub address: Option<String>,
    /// Whom the driver calls; `None` only on orders placed before delivery
    /// details were asked for, or through the API without them.
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub method: DeliveryMethod,
    pub urgency: Urgency,
    pub note: Option<String>,
}

const MAX_ADDRESS: usize = 200;
const MAX_NAME: usize = 100;
const MAX_NOTE: usize = 500;

fn trimmed(s: &Option<String>) -> Option<String> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string)
}

fn too_long(field: &str, value: &str, max: usize) -> Result<(), FieldError> {
    if value.chars().count() > max {
        return Err(FieldError::new(field, "too_long", format!("at most {max} characters")));
    }
    Ok(())
}

/// A Swedish phone number as people type it: digits with spaces, dashes,
/// parentheses and an optional leading `+`; 7 to 15 digits.
fn check_phone(phone: &str) -> Result<(), FieldError> {
    let allowed =
        phone.chars().enumerate().all(|(i, c)| c.is_ascii_digit() || " -()".contains(c) || (i == 0 && c == '+'));
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    if !allowed || !(7..=15).contains(&digits) {
        return Err(FieldError::new(
            "delivery.contact_phone",
            "invalid_phone",
            "a phone number has 7 to 15 digits (spaces, dashes and a leading + are fine)",
        ));
    }
    Ok(())
}

impl DeliveryInput {
    /// Checks the details; the error names the field (`delivery.contact_phone`).
    pub fn check(&self) -> Result<Delivery, FieldError> {
        let method = self.method.unwrap_or_default();
        let address = trimmed(&self.address);
        if let Some(a) = &address {
            too_long("delivery.address", a, MAX_ADDRESS)?;
            if !method.needs_address() {
                return Err(FieldError::new(
                    "delivery.address",
                    "address_not_used",
                    "an order collected at the centre has no delivery address",
                ));
            }
        }
        let contact_name = trimmed(&self.contact_name)
            .ok_or_else(|| FieldError::new("delivery.contact_name", "required", "name the contact person"))?;
        too_long("delivery.contact_name", &contact_name, MAX_NAME)?;
        let contact_phone = trimmed(&self.contact_phone).ok_or_else(|| {
            FieldError::new("delivery.contact_phone", "required", "give the contact person's phone number")
        })?;
        check_phone(&contact_phone)?;
        let note = trimmed(&self.note);
        if let Some(n) = &note {
            too_long("delivery.note", n, MAX_NOTE)?;
        }
        Ok(Delivery {
            address,
            contact_name: Some(contact_name),
            contact_phone: Some(contact_phone),
            method,
            urgency: self.urgency.unwrap_or_default(),
            note,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> DeliveryInput {
        DeliveryInput {
            contact_name: Some(" Eva Ek ".into()),
            contact_phone: Some("070-123 45 67".into()),
            ..DeliveryInput::default()
        }
    }

    #[test]
    fn details_without_an_address_go_to_the_registered_address_by_the_centre_transport() {
        let d = input().check().expect("valid");
        assert_eq!(d.address, None);
        assert_eq!(d.contact_name.as_deref(), Some("Eva Ek"));
        assert_eq!(d.method, DeliveryMethod::CentreTransport);
        assert_eq!(d.urgency, Urgency::Normal);
    }

    #[test]
    fn each_mistake_names_its_field() {
        let cases = [
            (DeliveryInput { contact_name: None, ..input() }, "delivery.contact_name"),
            (DeliveryInput { contact_phone: Some("12".into()), ..input() }, "delivery.contact_phone"),
            (DeliveryInput { contact_phone: Some("070 abc".into()), ..input() }, "delivery.contact_phone"),
            (DeliveryInput { note: Some("x".repeat(501)), ..input() }, "delivery.note"),
            (
                DeliveryInput {
                    address: Some("Storgatan 1".into()),
                    method: Some(DeliveryMethod::PickupAtCentre),
                    ..input()
                },
                "delivery.address",
            ),
        ];
        for (case, field) in cases {
            assert_eq!(case.check().expect_err(field).field, field);
        }
    }

    #[test]
    fn urgent_brings_a_stock_item_to_the_next_working_day_but_not_an_order_item() {
        let friday: NaiveDate = "2026-03-06".parse().expect("date");
        let monday: NaiveDate = "2026-03-09".parse().expect("date");
        assert_eq!(promised_for(friday, LeadTimeClass::Stock7, Urgency::Urgent), monday);
        assert_eq!(
            promised_for(friday, LeadTimeClass::Order17, Urgency::Urgent),
            promised_date(friday, LeadTimeClass::Order17)
        );
        assert_eq!(
            promised_for(friday, LeadTimeClass::Stock7, Urgency::Normal),
            promised_date(friday, LeadTimeClass::Stock7)
        );
    }
}
