//! A row against the catalog: the article it becomes (an update keeps
//! what the file does not say; a new article gets documented defaults),
//! and whether that changes anything.

use ramp_domain::article::{ArticleKind, Billing, LeadTimeClass};
use ramp_domain::catalog_import::{Columns, Field, ImportedArticle, RowError};
use ramp_model::{Article, ProductArea};
use std::collections::HashMap;

/// Product areas by code, and the area most articles of each ISO 9999
/// subclass and class already have: where a new article without a
/// product-area column goes.
pub struct Areas {
    codes: Vec<String>,
    by_prefix: HashMap<String, String>,
    pub fallback: Option<String>,
}

impl Areas {
    pub fn new(areas: &[ProductArea], catalog: &[Article], fallback: Option<String>) -> Self {
        let mut counts: HashMap<(String, String), usize> = HashMap::new();
        for a in catalog {
            // A catalog article may carry a class or subclass code (2 or 4 digits).
            for prefix in [4, 2].iter().filter_map(|len| a.iso_code.as_str().get(..*len)) {
                *counts.entry((prefix.to_string(), a.product_area.clone())).or_default() += 1;
            }
        }
        let mut best: HashMap<String, (usize, String)> = HashMap::new();
        for ((prefix, area), n) in counts {
            let e = best.entry(prefix).or_insert((0, String::new()));
            if n > e.0 || (n == e.0 && area < e.1) {
                *e = (n, area);
            }
        }
        let by_prefix = best.into_iter().map(|(p, (_, a))| (p, a)).collect();
        Areas { codes: areas.iter().map(|a| a.code.clone()).collect(), by_prefix, fallback }
    }

    fn for_new(&self, iso: &str) -> Option<String> {
        self.by_prefix
            .get(&iso[..4])
            .or_else(|| self.by_prefix.get(&iso[..2]))
            .cloned()
            .or_else(|| self.fallback.clone())
    }
}

fn error(cols: &Columns, row: usize, field: Field, code: &'static str, message: String) -> RowError {
    let (i, name) = cols.of(field).map_or((0, "product_area"), |(i, n)| (i + 1, n));
    RowError::new(row, i, name, code, message)
}

/// The article a row makes of `existing` (or of nothing), as of `today`.
pub fn merge(
    cols: &Columns,
    a: &ImportedArticle,
    existing: Option<&Article>,
    areas: &Areas,
    today: chrono::NaiveDate,
) -> Result<Article, RowError> {
    let area = match (&a.product_area, existing) {
        (Some(code), _) if !areas.codes.contains(code) => {
            return Err(error(
                cols,
                a.row,
                Field::ProductArea,
                "unknown_product_area",
                format!("no product area {code}"),
            ))
        }
        (Some(code), _) => code.clone(),
        (None, Some(e)) => e.product_area.clone(),
        (None, None) => areas.for_new(a.iso_code.as_str()).ok_or_else(|| {
            let m = "a new article needs a product area: add the column or give a default (--product-area)".to_string();
            error(cols, a.row, Field::ProductArea, "product_area_needed", m)
        })?,
    };
    let main = a.kind == ArticleKind::MainDevice;
    let base = existing.cloned().unwrap_or_else(|| Article {
        id: 0,
        article_number: a.article_number.clone(),
        iso_code: a.iso_code.clone(),
        gtin: None,
        name: a.name.clone(),
        supplier_id: 0,
        supplier_name: a.supplier.clone(),
        purchase_price_ore: 0,
        monthly_rent_ore: 0,
        kind: a.kind,
        billing: if main { Billing::Rental } else { Billing::Sale },
        lead_time_class: LeadTimeClass::Stock7,
        service_life_months: 60,
        reconditionable: main,
        product_area: area.clone(),
        valid_from: today,
        valid_to: None,
    });
    // An article in the file is current unless the file says when it ends.
    let valid_to = if cols.has(Field::ValidTo) { a.valid_to } else { base.valid_to.filter(|to| *to > today) };
    Ok(Article {
        iso_code: a.iso_code.clone(),
        gtin: if cols.has(Field::Gtin) { a.gtin.clone() } else { base.gtin.clone() },
        name: a.name.clone(),
        supplier_name: a.supplier.clone(),
        purchase_price_ore: a.purchase_price_ore.unwrap_or(base.purchase_price_ore),
        monthly_rent_ore: a.monthly_rent_ore.unwrap_or(base.monthly_rent_ore),
        kind: a.kind,
        billing: a.billing.unwrap_or(base.billing),
        lead_time_class: a.lead_time_class.unwrap_or(base.lead_time_class),
        service_life_months: a.service_life_months.unwrap_or(base.service_life_months),
        reconditionable: a.reconditionable.unwrap_or(base.reconditionable),
        product_area: area,
        valid_from: a.valid_from.unwrap_or(base.valid_from),
        valid_to,
        ..base
    })
}
