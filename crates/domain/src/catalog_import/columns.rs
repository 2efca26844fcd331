//! The two layouts' headers and which of Ramp's fields each column fills.

use super::RowError;

/// Which layout a file is, told by its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Inera Hjälpmedelstjänsten's article export (Swedish headers).
    Inera,
    /// Ramp's plain CSV (English headers).
    Plain,
}

/// An article field a column can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    ArticleNumber,
    Name,
    IsoCode,
    Gtin,
    Supplier,
    Kind,
    PurchasePrice,
    MonthlyRent,
    Billing,
    LeadTime,
    ServiceLife,
    Reconditionable,
    ProductArea,
    ValidFrom,
    ValidTo,
}

/// Every field an article must have in the file; the rest keep the
/// catalog's value (an update) or a documented default (a new article).
pub const REQUIRED: [Field; 5] = [Field::ArticleNumber, Field::Name, Field::IsoCode, Field::Supplier, Field::Kind];

/// Inera's export: (header, field). Headers are matched without case and
/// surrounding space; columns Ramp does not use (product number, product
/// name, the supplier's organisation number, agreement number…) are read
/// past.
pub const INERA: &[(&str, Field)] = &[
    ("Artikelnummer", Field::ArticleNumber),
    ("Artikelbenämning", Field::Name),
    ("ISO-kod", Field::IsoCode),
    ("GTIN", Field::Gtin),
    ("Leverantör", Field::Supplier),
    ("Artikeltyp", Field::Kind),
    ("Avtalspris", Field::PurchasePrice),
    ("Giltig från", Field::ValidFrom),
    ("Giltig till", Field::ValidTo),
];

/// Ramp's plain CSV.
pub const PLAIN: &[(&str, Field)] = &[
    ("article_number", Field::ArticleNumber),
    ("name", Field::Name),
    ("iso_code", Field::IsoCode),
    ("gtin", Field::Gtin),
    ("supplier", Field::Supplier),
    ("kind", Field::Kind),
    ("purchase_price_sek", Field::PurchasePrice),
    ("monthly_rent_sek", Field::MonthlyRent),
    ("billing", Field::Billing),
    ("lead_time_class", Field::LeadTime),
    ("service_life_months", Field::ServiceLife),
    ("reconditionable", Field::Reconditionable),
    ("product_area", Field::ProductArea),
    ("valid_from", Field::ValidFrom),
    ("valid_to", Field::ValidTo),
];

/// Where each field is in a file: its column (from 0) and header.
#[derive(Debug, Clone)]
pub struct Columns {
    pub layout: Layout,
    at: Vec<(Field, usize, String)>,
    pub width: usize,
}

impl Columns {
    /// The column (from 0) and header of a field, when the file has it.
    pub fn of(&self, field: Field) -> Option<(usize, &str)> {
        self.at.iter().find(|(f, _, _)| *f == field).map(|(_, i, h)| (*i, h.as_str()))
    }

    pub fn has(&self, field: Field) -> bool {
        self.of(field).is_some()
    }

    /// Reads a header row: the layout whose article-number column it has,
    /// every known column's place, and an error for each required column
    /// that is missing or any column given twice.
    pub fn from_header(header: &[String]) -> Result<Columns, Vec<RowError>> {
        let clean: Vec<String> =
            header.iter().map(|h| h.trim_start_matches('\u{feff}').trim().to_lowercase()).collect();
        let layout = if clean.iter().any(|h| h == "artikelnummer") { Layout::Inera } else { Layout::Plain };
        let table = if layout == Layout::Inera { INERA } else { PLAIN };
        let mut at = Vec::new();
        let mut errors = Vec::new();
        for (i, h) in clean.iter().enumerate() {
            if let Some((name, field)) = table.iter().find(|(name, _)| name.to_lowercase() == *h) {
                if at.iter().any(|(f, _, _)| f == field) {
                    errors.push(RowError::new(
                        1,
                        i + 1,
                        name,
                        "duplicate_column",
                        format!("the column {name} is given twice"),
                    ));
                }
                at.push((*field, i, (*name).to_string()));
            }
        }
        for field in REQUIRED {
            if !at.iter().any(|(f, _, _)| *f == field) {
                let name = table.iter().find(|(_, f)| *f == field).map_or("?", |(n, _)| n);
                errors.push(RowError::new(1, 0, name, "missing_column", format!("the header has no column {name}")));
            }
        }
        if errors.is_empty() {
            Ok(Columns { layout, at, width: header.len() })
        } else {
            Err(errors)
        }
    }
}
