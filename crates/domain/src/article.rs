//! Catalog vocabulary: what kind of article, how it is billed, how fast it
//! is delivered.

use crate::Term;
use serde::{Deserialize, Serialize};
use strum::{IntoStaticStr, VariantArray};

/// The kind of catalog article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[derive(IntoStaticStr, VariantArray, strum::Display)]
#[strum(serialize_all = "snake_case")]
pub enum ArticleKind {
    /// Huvudhjälpmedel.
    MainDevice,
    /// Tillbehör: hangs on a main device.
    Accessory,
    /// Reservdel.
    SparePart,
    /// Förbrukningsartikel: used up, not returned.
    Consumable,
    /// Medicinteknisk produkt: used in care, not prescribed personally.
    MedtechProduct,
    /// Näringsprodukt.
    Nutrition,
}

impl Term for ArticleKind {
    const FIELD: &'static str = "kind";
    const CODE: &'static str = "invalid_kind";
}

/// Rental articles are billed as monthly function rent; sale articles once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[derive(IntoStaticStr, VariantArray, strum::Display)]
#[strum(serialize_all = "snake_case")]
pub enum Billing {
    Rental,
    Sale,
}

impl Term for Billing {
    const FIELD: &'static str = "billing";
    const CODE: &'static str = "invalid_billing";
}

/// How fast an article is delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[derive(IntoStaticStr, VariantArray, strum::Display)]
#[strum(serialize_all = "snake_case")]
pub enum LeadTimeClass {
    /// Läkemedelsnära lagervara: 4 working days (seed 003: "Leveranssäkerhet
    /// på 4 ledtidsdagar, överstiger målet på 98 %", the drug-adjacent products).
    #[strum(serialize = "stock_4")]
    Stock4,
    /// Lagervara: 7 working days.
    #[strum(serialize = "stock_7")]
    Stock7,
    /// Beställningsvara: 17 working days.
    #[strum(serialize = "order_17")]
    Order17,
    /// Akut: next working day.
    Acute,
}

impl Term for LeadTimeClass {
    const FIELD: &'static str = "lead_time_class";
    const CODE: &'static str = "invalid_lead_time_class";
}

impl ArticleKind {
    /// Swedish label for the UI.
    pub fn name_sv(self) -> &'static str {
        match self {
            ArticleKind::MainDevice => "Huvudhjälpmedel",
            ArticleKind::Accessory => "Tillbehör",
            ArticleKind::SparePart => "Reservdel",
            ArticleKind::Consumable => "Förbrukningsartikel",
            ArticleKind::MedtechProduct => "Medicinteknisk produkt",
            ArticleKind::Nutrition => "Näringsprodukt",
        }
    }

    /// English label for the UI.
    pub fn name_en(self) -> &'static str {
        match self {
            ArticleKind::MainDevice => "Main device",
            ArticleKind::Accessory => "Accessory",
            ArticleKind::SparePart => "Spare part",
            ArticleKind::Consumable => "Consumable",
            ArticleKind::MedtechProduct => "Medical-technical product",
            ArticleKind::Nutrition => "Nutrition product",
        }
    }

    /// Whether specimens of this kind are tracked one by one as devices.
    pub fn is_individual(self) -> bool {
        matches!(self, ArticleKind::MainDevice | ArticleKind::Accessory)
    }
}

impl LeadTimeClass {
    pub fn name_sv(self) -> &'static str {
        match self {
            LeadTimeClass::Stock4 => "Läkemedelsnära lagervara (4 dagar)",
            LeadTimeClass::Stock7 => "Lagervara (7 dagar)",
            LeadTimeClass::Order17 => "Beställningsvara (17 dagar)",
            LeadTimeClass::Acute => "Akut",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            LeadTimeClass::Stock4 => "Drug-adjacent stock item (4 days)",
            LeadTimeClass::Stock7 => "Stock item (7 days)",
            LeadTimeClass::Order17 => "Order item (17 days)",
            LeadTimeClass::Acute => "Acute",
        }
    }
}

impl Billing {
    pub fn name_sv(self) -> &'static str {
        match self {
            Billing::Rental => "Hyra (funktionshyra per månad)",
            Billing::Sale => "Försäljning",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            Billing::Rental => "Rental (monthly function rent)",
            Billing::Sale => "Sale",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_kind_names_the_field_and_the_allowed_values() {
        let e = ArticleKind::parse("chair").unwrap_err();
        assert_eq!(e.field, "kind");
        assert!(e.message.contains("main_device"));
        assert_eq!(ArticleKind::parse("spare_part").unwrap(), ArticleKind::SparePart);
    }
}
