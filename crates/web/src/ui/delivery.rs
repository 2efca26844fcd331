//! The delivery part of the order form and how delivery details read on
//! the order, confirmation and warehouse pages, in either language.

use crate::i18n::Lang;
use ramp_app::AppError;
use ramp_domain::setting::Setting;
use ramp_domain::shipping::{Delivery, DeliveryInput, DeliveryMethod, Urgency};
use ramp_domain::Term;

/// The delivery fields as typed (posted back unchanged after an error).
#[derive(Debug, Clone, Default)]
pub struct DeliveryForm {
    /// `registered` (default) or `other`.
    pub address_choice: String,
    pub address: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub method: String,
    pub urgency: String,
    pub note: String,
}

fn some(s: &str) -> Option<String> {
    Some(s.to_string()).filter(|s| !s.trim().is_empty())
}

impl DeliveryForm {
    /// Another address is used only when chosen; the choice without one is a named error.
    pub fn to_input(&self) -> Result<DeliveryInput, AppError> {
        let other = self.address_choice == "other";
        if other && self.address.trim().is_empty() {
            return Err(AppError::invalid("delivery.address", "required", "type the delivery address"));
        }
        Ok(DeliveryInput {
            address: if other { some(&self.address) } else { None },
            contact_name: some(&self.contact_name),
            contact_phone: some(&self.contact_phone),
            method: some(&self.method).map(|m| DeliveryMethod::parse(&m)).transpose()?,
            urgency: some(&self.urgency).map(|u| Urgency::parse(&u)).transpose()?,
            note: some(&self.note),
        })
    }

    pub fn other_address(&self) -> bool {
        self.address_choice == "other"
    }

    pub fn urgent(&self) -> bool {
        self.urgency == "urgent"
    }

    /// The method chosen, or the default.
    pub fn method_or_default(&self) -> &str {
        if self.method.is_empty() {
            DeliveryMethod::default().as_str()
        } else {
            &self.method
        }
    }
}

/// A place of use from the form, named as its field.
pub fn parse_place(s: &str) -> Result<Setting, AppError> {
    Setting::parse(s).map_err(|e| AppError::invalid("place_of_use", "invalid_place_of_use", e.message))
}

/// The delivery methods as (value, name).
pub fn methods(lang: Lang) -> Vec<(&'static str, &'static str)> {
    DeliveryMethod::ALL.iter().map(|m| (m.as_str(), method_name(lang, *m))).collect()
}

pub fn method_name(lang: Lang, m: DeliveryMethod) -> &'static str {
    lang.t(&format!("delivery.method.{}", m.as_str()))
}

pub fn urgency_name(lang: Lang, u: Urgency) -> &'static str {
    lang.t(&format!("delivery.urgency.{}", u.as_str()))
}

/// The address line as shown: the typed one, or what "registered" means for this method.
pub fn address_text(lang: Lang, d: &Delivery) -> String {
    match (&d.address, d.method.needs_address()) {
        (Some(a), _) => a.clone(),
        (None, true) => lang.t("delivery.address.registered").to_string(),
        (None, false) => lang.t("delivery.address.at_centre").to_string(),
    }
}

/// An order's place of use and delivery details as the pages show them.
pub struct DeliveryView {
    /// The place of use the payer was decided for; `None` on unit orders.
    pub place_of_use: Option<&'static str>,
    pub address: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub method: &'static str,
    pub urgency: &'static str,
    pub urgent: bool,
    pub note: Option<String>,
}

impl DeliveryView {
    pub fn of(lang: Lang, order: &ramp_app::model::Order) -> Self {
        let d = &order.delivery;
        let place = order.place_of_use.map(|s| match lang {
            Lang::Sv => s.name_sv(),
            Lang::En => s.name_en(),
        });
        Self {
            place_of_use: place,
            address: address_text(lang, d),
            contact_name: d.contact_name.clone().unwrap_or_else(|| "–".into()),
            contact_phone: d.contact_phone.clone().unwrap_or_else(|| "–".into()),
            method: method_name(lang, d.method),
            urgency: urgency_name(lang, d.urgency),
            urgent: d.urgency == Urgency::Urgent,
            note: d.note.clone(),
        }
    }
}
