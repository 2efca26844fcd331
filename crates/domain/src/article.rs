//! Catalog vocabulary: what kind of article, how it is billed, how fast it
//! is delivered.

use crate::FieldError;

macro_rules! str_enum {
    ($(#[$m:meta])* $name:ident, $field:literal, { $($(#[$vm:meta])* $v:ident = $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vm])* $v),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$v),+];
            pub fn as_str(self) -> &'static str { match self { $($name::$v => $s),+ } }
            pub fn parse(s: &str) -> Result<Self, FieldError> {
                match s {
                    $($s => Ok($name::$v),)+
                    _ => Err(FieldError::new($field, concat!("invalid_", $field),
                        format!("unknown value '{s}' (expected one of: {})",
                            [$($s),+].join(", ")))),
                }
            }
        }

        impl TryFrom<String> for $name {
            type Error = FieldError;
            fn try_from(s: String) -> Result<Self, FieldError> { Self::parse(&s) }
        }

        impl std::str::FromStr for $name {
            type Err = FieldError;
            fn from_str(s: &str) -> Result<Self, FieldError> { Self::parse(s) }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str(self.as_str()) }
        }
    };
}
pub(crate) use str_enum;

str_enum!(
    /// The kind of catalog article.
    ArticleKind, "kind", {
        /// Huvudhjälpmedel.
        MainDevice = "main_device",
        /// Tillbehör: hangs on a main device.
        Accessory = "accessory",
        /// Reservdel.
        SparePart = "spare_part",
        /// Förbrukningsartikel: used up, not returned.
        Consumable = "consumable",
        /// Medicinteknisk produkt: used in care, not prescribed personally.
        MedtechProduct = "medtech_product",
        /// Näringsprodukt.
        Nutrition = "nutrition",
    }
);

str_enum!(
    /// Rental articles are billed as monthly function rent; sale articles once.
    Billing, "billing", {
        Rental = "rental",
        Sale = "sale",
    }
);

str_enum!(
    /// How fast an article is delivered.
    LeadTimeClass, "lead_time_class", {
        /// Lagervara: 7 working days.
        Stock7 = "stock_7",
        /// Beställningsvara: 17 working days.
        Order17 = "order_17",
        /// Akut: next working day.
        Acute = "acute",
    }
);

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

    /// Whether specimens of this kind are tracked one by one as devices.
    pub fn is_individual(self) -> bool {
        matches!(self, ArticleKind::MainDevice | ArticleKind::Accessory)
    }
}

impl LeadTimeClass {
    pub fn name_sv(self) -> &'static str {
        match self {
            LeadTimeClass::Stock7 => "Lagervara (7 dagar)",
            LeadTimeClass::Order17 => "Beställningsvara (17 dagar)",
            LeadTimeClass::Acute => "Akut",
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
