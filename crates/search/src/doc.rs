//! What the index holds of one article.

use crate::interner::Interner;
use crate::schema::Fields;
use crate::text::suffixes;
use ramp_domain::article::{ArticleKind, LeadTimeClass};
use ramp_model::{Article, Id};
use tantivy::TantivyDocument;

/// The replacement group an article belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupRef {
    pub id: Id,
    pub code: String,
    pub name: String,
}

/// One article as it is indexed: the row, its group and the product area's
/// name (so "hygien" finds the hygiene area's articles).
#[derive(Debug, Clone)]
pub struct SearchDoc {
    pub article: Article,
    pub group: Option<GroupRef>,
    pub area_name: String,
}

/// The ordinal a kind is stored as (and filtered and counted by).
pub fn kind_ord(kind: ArticleKind) -> u64 {
    ArticleKind::VARIANTS.iter().position(|k| *k == kind).unwrap_or(0) as u64
}

/// The ordinal a lead-time class is stored as.
pub fn lead_ord(lead: LeadTimeClass) -> u64 {
    LeadTimeClass::VARIANTS.iter().position(|k| *k == lead).unwrap_or(0) as u64
}

/// The kind stored as `ord`.
pub fn kind_name(ord: u64) -> Option<String> {
    ArticleKind::VARIANTS.get(ord as usize).map(|k| k.as_str().to_string())
}

/// The lead-time class stored as `ord`.
pub fn lead_name(ord: u64) -> Option<String> {
    LeadTimeClass::VARIANTS.get(ord as usize).map(|k| k.as_str().to_string())
}

/// Days since the common era; "no last day" is the end of time.
pub fn day_number(d: Option<chrono::NaiveDate>) -> i64 {
    d.map_or(i64::MAX, |d| i64::from(chrono::Datelike::num_days_from_ce(&d)))
}

use ramp_domain::Term;
use strum::VariantArray;

/// The ISO code and its class and subclass ("12", "1206", "120606"), so a
/// code prefix is one term.
fn iso_prefixes(code: &str) -> Vec<&str> {
    (2..=code.len()).step_by(2).map(|n| &code[..n]).collect()
}

impl SearchDoc {
    /// The tantivy document.
    pub fn to_document(&self, f: &Fields, isos: &mut Interner, areas: &mut Interner) -> TantivyDocument {
        let a = &self.article;
        let mut d = TantivyDocument::new();
        d.add_u64(f.id, a.id as u64);
        d.add_u64(f.kind, kind_ord(a.kind));
        d.add_u64(f.iso, isos.intern(a.iso_code.as_str()));
        for p in iso_prefixes(a.iso_code.as_str()) {
            d.add_text(f.iso_prefix, p);
        }
        d.add_u64(f.area, areas.intern(&a.product_area));
        d.add_u64(f.lead, lead_ord(a.lead_time_class));
        d.add_u64(f.supplier, a.supplier_id as u64);
        d.add_u64(f.group, self.group.as_ref().map_or(0, |g| g.id as u64));
        d.add_i64(f.valid_to, day_number(a.valid_to));
        d.add_text(f.name, &a.name);
        d.add_text(f.words, &a.name);
        d.add_text(f.suffix, suffixes(&a.name));
        d.add_text(f.codes, &a.article_number);
        d.add_text(f.codes, a.iso_code.as_str());
        if let Some(g) = &a.gtin {
            d.add_text(f.codes, g);
        }
        d.add_text(f.text, &a.supplier_name);
        d.add_text(f.text, &self.area_name);
        if let Some(g) = &self.group {
            d.add_text(f.text, &g.name);
            d.add_text(f.codes, &g.code);
        }
        d
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_iso_code_is_indexed_with_its_class_and_subclass() {
        assert_eq!(iso_prefixes("120606"), ["12", "1206", "120606"]);
        assert_eq!(iso_prefixes("0930"), ["09", "0930"]);
    }
}
