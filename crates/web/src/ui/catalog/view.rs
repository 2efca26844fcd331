//! What the catalog templates show: the filter choices, the hits and the
//! facet links, in the page's language (display names, never raw values).

use super::SearchParams;
use crate::i18n::Lang;
use crate::ui::page::{url_encode, Page};
use ramp_app::catalog::Found;
use ramp_app::catalog::Segment;
use ramp_app::model::ProductArea;
use ramp_domain::article::{ArticleKind, LeadTimeClass};
use ramp_domain::Term;

/// A value a filter can take and its name.
pub struct Choice {
    pub value: String,
    pub label: String,
}

/// The filter selects' options.
pub struct Choices {
    pub areas: Vec<Choice>,
    pub kinds: Vec<Choice>,
    pub leads: Vec<Choice>,
}

fn kind_label(lang: Lang, k: ArticleKind) -> &'static str {
    if lang == Lang::Sv {
        k.name_sv()
    } else {
        k.name_en()
    }
}

fn lead_label(lang: Lang, l: LeadTimeClass) -> &'static str {
    if lang == Lang::Sv {
        l.name_sv()
    } else {
        l.name_en()
    }
}

fn area_label(lang: Lang, name_sv: &str, name_en: &str) -> String {
    if lang == Lang::Sv {
        name_sv.into()
    } else {
        name_en.into()
    }
}

impl Choices {
    pub fn new(lang: Lang, areas: &[ProductArea]) -> Self {
        let choice = |value: &str, label: &str| Choice { value: value.into(), label: label.into() };
        Self {
            areas: areas
                .iter()
                .map(|a| Choice { value: a.code.clone(), label: area_label(lang, &a.name_sv, &a.name_en) })
                .collect(),
            kinds: ArticleKind::ALL.iter().map(|k| choice(k.as_str(), kind_label(lang, *k))).collect(),
            leads: LeadTimeClass::ALL.iter().map(|l| choice(l.as_str(), lead_label(lang, *l))).collect(),
        }
    }
}

/// One hit as a row.
pub struct HitView {
    /// For the link to the product page.
    pub id: i64,
    pub article_number: String,
    pub name: String,
    pub segments: Vec<Segment>,
    pub iso: String,
    pub kind: &'static str,
    pub lead: &'static str,
    pub supplier: String,
    pub price_ore: i64,
    pub in_stock: i64,
    pub valid_to: Option<chrono::NaiveDate>,
}

/// A facet value as a link that adds it to the filters.
pub struct FacetLink {
    pub label: String,
    pub count: u32,
    pub href: String,
}

/// One facet's links under its heading (an i18n key).
pub struct FacetGroup {
    pub title: &'static str,
    pub links: Vec<FacetLink>,
}

/// The results part of the page.
#[derive(Default)]
pub struct Results {
    pub searched: bool,
    pub hits: Vec<HitView>,
    pub total: usize,
    pub fuzzy: bool,
    pub facets: Vec<FacetGroup>,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub first: usize,
    pub last: usize,
}

/// `/catalog?…` with the form's values, one of them replaced, page 1.
fn href(p: &SearchParams, field: &str, value: &str) -> String {
    let mut q = p.clone();
    q.page = String::new();
    match field {
        "area" => q.area = value.into(),
        "kind" => q.kind = value.into(),
        "lead_time_class" => q.lead_time_class = value.into(),
        "iso_code" => q.iso_code = value.into(),
        "supplier" => q.supplier = value.into(),
        "group" => q.group = value.into(),
        "in_stock" => q.in_stock = value.into(),
        _ => q.page = value.into(),
    }
    let pairs = [
        ("q", &q.q),
        ("area", &q.area),
        ("kind", &q.kind),
        ("lead_time_class", &q.lead_time_class),
        ("iso_code", &q.iso_code),
        ("supplier", &q.supplier),
        ("group", &q.group),
        ("in_stock", &q.in_stock),
        ("include_expired", &q.include_expired),
        ("page", &q.page),
    ];
    let query: Vec<String> =
        pairs.iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| format!("{k}={}", url_encode(v))).collect();
    format!("/catalog?{}", query.join("&"))
}

/// At most this many links per facet (the most common values).
const FACET_LINKS: usize = 8;

fn group(title: &'static str, items: Vec<(String, String, u32)>, p: &SearchParams, field: &str) -> FacetGroup {
    let links = items
        .into_iter()
        .take(FACET_LINKS)
        .map(|(value, label, count)| FacetLink { label, count, href: href(p, field, &value) })
        .collect();
    FacetGroup { title, links }
}

fn facets(lang: Lang, found: &Found, p: &SearchParams) -> Vec<FacetGroup> {
    let (f, l) = (&found.facets, &found.labels);
    let kind = |k: &str| ArticleKind::parse(k).map(|k| kind_label(lang, k).to_string()).unwrap_or_default();
    let lead = |k: &str| LeadTimeClass::parse(k).map(|k| lead_label(lang, k).to_string()).unwrap_or_default();
    let area = |k: &str| l.areas.get(k).map(|(sv, en)| area_label(lang, sv, en)).unwrap_or_else(|| k.to_string());
    let iso = |k: &str| ramp_domain::ids::IsoCode::parse(k).map(|c| c.display()).unwrap_or_else(|_| k.to_string());
    let mut groups = vec![
        group("catalog.facet.kind", f.kind.iter().map(|(k, n)| (k.clone(), kind(k), *n)).collect(), p, "kind"),
        group("catalog.facet.area", f.area.iter().map(|(k, n)| (k.clone(), area(k), *n)).collect(), p, "area"),
        group("catalog.facet.iso", f.iso.iter().map(|(k, n)| (k.clone(), iso(k), *n)).collect(), p, "iso_code"),
        group(
            "catalog.facet.lead",
            f.lead_time_class.iter().map(|(k, n)| (k.clone(), lead(k), *n)).collect(),
            p,
            "lead_time_class",
        ),
        group(
            "catalog.facet.supplier",
            f.supplier
                .iter()
                .map(|(k, n)| (k.to_string(), l.suppliers.get(k).cloned().unwrap_or_default(), *n))
                .collect(),
            p,
            "supplier",
        ),
        group(
            "catalog.facet.group",
            f.group
                .iter()
                .map(|(k, n)| (k.to_string(), l.groups.get(k).map(|g| g.1.clone()).unwrap_or_default(), *n))
                .collect(),
            p,
            "group",
        ),
    ];
    if f.in_stock > 0 {
        groups.push(group(
            "catalog.facet.stock",
            vec![("on".into(), lang.t("catalog.in_stock").into(), f.in_stock)],
            p,
            "in_stock",
        ));
    }
    groups.retain(|g| !g.links.is_empty());
    groups
}

fn hit(page: &Page, h: &ramp_app::catalog::FoundHit) -> HitView {
    let a = &h.hit.article;
    HitView {
        id: a.id,
        article_number: a.article_number.clone(),
        name: a.name.clone(),
        segments: h.highlight.clone(),
        iso: a.iso_code.display(),
        kind: page.kind(&a.kind),
        lead: page.lead_time(&a.lead_time_class),
        supplier: a.supplier_name.clone(),
        price_ore: a.purchase_price_ore,
        in_stock: h.hit.in_stock,
        valid_to: a.valid_to,
    }
}

impl Results {
    pub fn new(page: &Page, p: &SearchParams, found: Option<Found>, page_number: i64, size: i64) -> Self {
        let Some(found) = found else { return Results::default() };
        let offset = ((page_number - 1) * size) as usize;
        let more = offset + found.hits.len() < found.total;
        Results {
            searched: true,
            hits: found.hits.iter().map(|h| hit(page, h)).collect(),
            total: found.total,
            fuzzy: found.fuzzy,
            facets: facets(page.lang, &found, p),
            prev: (page_number > 1).then(|| href(p, "page", &(page_number - 1).to_string())),
            next: more.then(|| href(p, "page", &(page_number + 1).to_string())),
            first: offset + 1,
            last: offset + found.hits.len(),
        }
    }
}
