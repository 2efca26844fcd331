//! The index on a handful of articles: ranking, misspellings, compounds,
//! validity, stock, filters and facets.

use crate::{CatalogIndex, Facets, Filters, GroupRef, SearchDoc, SearchRequest};
use chrono::NaiveDate;
use ramp_domain::article::{ArticleKind, Billing, LeadTimeClass};
use ramp_domain::ids::IsoCode;
use ramp_model::{Article, Id};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn doc(id: Id, name: &str, iso: &str, kind: ArticleKind, valid_to: Option<NaiveDate>) -> SearchDoc {
    SearchDoc {
        article: Article {
            id,
            article_number: format!("{:06}", 100_000 + id),
            iso_code: IsoCode::parse(iso).unwrap(),
            gtin: Some(format!("735000000{id:04}")),
            name: name.into(),
            supplier_id: 1 + id % 2,
            supplier_name: if id % 2 == 0 { "Etac Sverige AB" } else { "Invacare AB" }.into(),
            purchase_price_ore: 100_000,
            monthly_rent_ore: 0,
            kind,
            billing: Billing::Rental,
            lead_time_class: if id % 3 == 0 { LeadTimeClass::Order17 } else { LeadTimeClass::Stock7 },
            service_life_months: 96,
            reconditionable: true,
            product_area: if iso.starts_with("12") { "mobility" } else { "hygiene" }.into(),
            valid_from: day(2020, 1, 1),
            valid_to,
        },
        group: (id == 2).then(|| GroupRef {
            id: 7,
            code: "EG-120606-001".into(),
            name: "Rollatorer, ersättningsgrupp 1".into(),
        }),
        area_name: if iso.starts_with("12") { "Förflyttning" } else { "Hygien" }.into(),
    }
}

fn index() -> CatalogIndex {
    use ArticleKind::*;
    let i = CatalogIndex::new().unwrap();
    i.add(&[
        doc(1, "Hjul 200 mm, reservdel till rollator Vega", "120606", SparePart, None),
        doc(2, "Rollator Vega Plus, röd", "120606", MainDevice, None),
        doc(3, "Rollator Alva", "120606", MainDevice, Some(day(2024, 6, 30))),
        doc(4, "Korg till rollator Alva", "120606", Accessory, None),
        doc(5, "Mobil personlyft Atlas", "123603", MainDevice, None),
        doc(6, "Duschstol Saga", "093307", MainDevice, None),
        doc(7, "Manuell rullstol Freja", "122203", MainDevice, None),
    ])
    .unwrap();
    i.commit().unwrap();
    i.set_stock([(2, 1), (6, 3)]);
    i
}

fn ids(i: &CatalogIndex, text: &str, f: impl FnOnce(&mut SearchRequest)) -> Vec<Id> {
    let mut req = SearchRequest {
        text: text.into(),
        filters: Filters::default(),
        include_expired: false,
        today: day(2026, 3, 2),
        offset: 0,
        limit: 10,
        hits: true,
        facets: true,
    };
    f(&mut req);
    i.search(&req).unwrap().hits.iter().map(|h| h.article_id).collect()
}

#[test]
fn main_devices_come_before_accessories_and_spare_parts_and_expired_ones_are_hidden() {
    assert_eq!(ids(&index(), "rollator", |_| {}), [2, 4, 1]);
}

#[test]
fn expired_articles_come_last_when_asked_for() {
    assert_eq!(ids(&index(), "rollator", |r| r.include_expired = true).last(), Some(&3));
}

#[test]
fn a_misspelling_still_finds_the_device() {
    assert_eq!(ids(&index(), "rolator", |_| {})[0], 2);
    assert_eq!(ids(&index(), "rullstool", |_| {}), [7]);
}

#[test]
fn a_word_finds_the_end_of_a_compound_and_a_prefix_finds_the_word() {
    assert_eq!(ids(&index(), "lyft", |_| {}), [5]);
    assert_eq!(ids(&index(), "dusch", |_| {}), [6]);
}

#[test]
fn an_article_number_a_gtin_and_an_iso_code_find_their_articles() {
    assert_eq!(ids(&index(), "100005", |_| {})[0], 5);
    assert_eq!(ids(&index(), "7350000000006", |_| {}), [6]);
    assert_eq!(ids(&index(), "12 06 06", |_| {}), [2, 4, 1]);
}

#[test]
fn filters_narrow_and_facets_count_all_hits() {
    let i = index();
    assert_eq!(ids(&i, "rollator", |r| r.filters.in_stock = true), [2]);
    assert_eq!(ids(&i, "rollator", |r| r.filters.group = Some(7)), [2]);
    assert_eq!(ids(&i, "", |r| r.filters.area = Some("hygiene".into())), [6]);
    assert_eq!(ids(&i, "", |r| r.filters.iso = Some(IsoCode::parse("12").unwrap())).len(), 5);
    let req = SearchRequest {
        text: "rollator".into(),
        filters: Filters::default(),
        include_expired: false,
        today: day(2026, 3, 2),
        offset: 0,
        limit: 1,
        hits: true,
        facets: true,
    };
    let r = i.search(&req).unwrap();
    assert_eq!((r.total, r.hits.len(), r.facets.in_stock), (3, 1, 1));
    let kinds: Vec<(&str, u32)> = r.facets.kind.iter().map(|(k, n)| (k.as_str(), *n)).collect();
    assert_eq!(kinds, [("accessory", 1), ("main_device", 1), ("spare_part", 1)]);
    assert_eq!(r.facets.group, [(7, 1)]);
}

#[test]
fn a_changed_article_is_found_by_its_new_name_and_a_removed_one_not_at_all() {
    let i = index();
    i.upsert(&[doc(6, "Duschpall Saga", "093307", ArticleKind::MainDevice, None)], &[5]).unwrap();
    assert_eq!(ids(&i, "duschpall", |_| {}), [6]);
    assert!(ids(&i, "personlyft", |_| {}).is_empty());
    assert_eq!(i.len(), 6);
}

#[test]
fn hits_alone_count_the_total_but_no_facets_and_facets_alone_rank_nothing() {
    let i = index();
    let req = SearchRequest {
        text: "rollator".into(),
        filters: Filters::default(),
        include_expired: false,
        today: day(2026, 3, 2),
        offset: 0,
        limit: 10,
        hits: true,
        facets: false,
    };
    let hits = i.search(&req).unwrap();
    assert_eq!((hits.total, hits.hits.len(), hits.facets.clone()), (3, 3, Facets::default()));
    let facets = i.search(&SearchRequest { hits: false, facets: true, ..req }).unwrap();
    assert_eq!((facets.total, facets.hits.len(), facets.facets.in_stock, facets.facets.kind.len()), (3, 0, 1, 3));
}

#[test]
fn a_misspelling_is_answered_from_the_recent_results_the_second_time_and_a_cheap_search_is_not_kept() {
    let i = index();
    let (first, second) = (ids(&i, "rolator", |_| {}), ids(&i, "rolator", |_| {}));
    assert_eq!(first, second);
    assert_eq!((i.cache_stats().hits, i.cache_stats().misses), (1, 1));
    ids(&i, "rollator", |_| {});
    ids(&i, "rollator", |_| {});
    assert_eq!((i.cache_stats().hits, i.cache_stats().misses), (1, 3), "seven articles are not worth keeping");
    i.upsert(&[doc(7, "Manuell rullstol Freja", "122203", ArticleKind::MainDevice, None)], &[]).unwrap();
    ids(&i, "rolator", |_| {});
    assert_eq!(i.cache_stats().misses, 4, "a change to the index drops what was kept");
}
