//! Ranked catalog search (issue 18): relevance on the demo catalog, the
//! API's filters, facets, highlight and paging, and an index that follows
//! every committed catalog change (and no failed one).

use chrono::{NaiveDate, TimeZone, Utc};
use ramp_app::catalog::{find, Found, SearchInput};
use ramp_app::demo::{self, Scale};
use ramp_app::model::User;
use ramp_app::{App, AppConfig, FixedClock};
use ramp_testkit::{fresh_storage, on_both_engines, problem, Engine, TestApp};
use serde_json::{json, Value};
use std::sync::Arc;

/// The small demo catalog (300 Swedish articles of 60 ISO divisions), as
/// a prescriber of the demo sees it on 23 November 2026.
async fn demo_app(engine: Engine) -> (App, User) {
    let storage = fresh_storage(engine).await;
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let hash = ramp_app::auth::hash_password(demo::DEMO_PASSWORD).unwrap();
    demo::load(storage.as_ref(), Scale::Small, 1, &hash, today, &|_| {}).await.unwrap();
    let clock = Arc::new(FixedClock::new(Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap()));
    let app = App::new(storage.clone(), clock, AppConfig::default());
    let user = storage.user_by_username("ekonomi").await.unwrap().expect("a demo user");
    (app, user)
}

async fn search(app: &App, user: &User, q: &str) -> Found {
    find(app, user, &SearchInput { q: q.into(), limit: 10, ..SearchInput::default() }).await.unwrap()
}

/// What a prescriber types, and a word the first hit's name must hold.
/// Misspellings, inflections, compounds, prefixes and codes included.
const QUERIES: &[(&str, &str)] = &[
    ("rollator", "rollator"),
    ("Rollator", "rollator"),
    ("rollatorer", "rollator"),
    ("rolator", "rollator"),
    ("rolllator", "rollator"),
    ("rullstol", "rullstol"),
    ("rullstolar", "rullstol"),
    ("rullstool", "rullstol"),
    ("elrullstol", "elrullstol"),
    ("komfortrullstol", "komfortrullstol"),
    ("duschstol", "duschstol"),
    ("dusch", "duschstol"),
    ("duschstool", "duschstol"),
    ("lyft", "lyft"),
    ("personlyft", "personlyft"),
    ("taklyft", "taklyft"),
    ("stålyft", "stålyft"),
    ("säng", "säng"),
    ("vårdsäng", "vårdsäng"),
    ("vårdsang", "vårdsäng"),
    ("madrass", "madrass"),
    ("gåstol", "gåstol"),
    ("gåbord", "gåbord"),
    ("hörapparat", "hörapparat"),
    ("hörapparater", "hörapparat"),
    ("toalettstol", "toalettstol"),
    ("kryckkäpp", "kryckkäpp"),
    ("griptång", "griptång"),
    ("läs-tv", "läs-tv"),
    ("trapphiss", "trapphiss"),
    ("lyftsele", "lyftsele"),
    ("sittdyna", "sittdyna"),
    ("glidmatta", "glidmatta"),
    ("ståstöd", "ståstöd"),
    ("surfplatta", "surfplatta"),
];

async fn a_prescribers_everyday_queries_find_the_expected_devices_first(engine: Engine) {
    let (app, user) = demo_app(engine).await;
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let mut wrong = Vec::new();
    for (q, word) in QUERIES {
        let found = search(&app, &user, q).await;
        let first = found.hits.first().map(|h| &h.hit.article);
        let ok = first.is_some_and(|a| {
            a.name.to_lowercase().contains(word)
                && a.kind == ramp_domain::article::ArticleKind::MainDevice
                && a.valid_to.is_none_or(|t| t >= today)
        });
        if !ok {
            wrong.push(format!("{q:?} → {:?}", first.map(|a| (&a.name, a.kind, a.valid_to))));
        }
    }
    assert!(wrong.is_empty(), "{} of {} queries: {wrong:#?}", wrong.len(), QUERIES.len());
}

async fn rollator_lists_valid_main_devices_before_accessories_and_spare_parts(engine: Engine) {
    let (app, user) = demo_app(engine).await;
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let found =
        find(&app, &user, &SearchInput { q: "rollator".into(), limit: 200, ..SearchInput::default() }).await.unwrap();
    let kinds: Vec<_> = found.hits.iter().map(|h| h.hit.article.kind).collect();
    let first_other =
        kinds.iter().position(|k| *k != ramp_domain::article::ArticleKind::MainDevice).unwrap_or(kinds.len());
    assert!(first_other >= 5, "{kinds:?}");
    assert!(kinds[first_other..].iter().all(|k| *k != ramp_domain::article::ArticleKind::MainDevice), "{kinds:?}");
    assert!(
        found.hits.iter().all(|h| h.hit.article.valid_to.is_none_or(|t| t >= today)),
        "expired articles are hidden"
    );
    let with_expired = find(
        &app,
        &user,
        &SearchInput { q: "rollator".into(), limit: 200, include_expired: true, ..SearchInput::default() },
    )
    .await
    .unwrap();
    assert!(with_expired.total > found.total, "the demo has expired rollator articles");
}

async fn codes_find_their_articles_an_iso_code_a_gtin_and_an_article_number(engine: Engine) {
    let (app, user) = demo_app(engine).await;
    for q in ["12 06 06", "120606"] {
        let found = search(&app, &user, q).await;
        assert!(found.hits.iter().all(|h| h.hit.article.iso_code.as_str() == "120606"), "{q}");
        assert_eq!(found.hits[0].hit.article.kind, ramp_domain::article::ArticleKind::MainDevice, "{q}");
    }
    let subclass = search(&app, &user, "1222").await;
    assert!(subclass.hits.iter().all(|h| h.hit.article.iso_code.as_str().starts_with("1222")));
    let any = search(&app, &user, "rullstol").await.hits[0].hit.article.clone();
    assert_eq!(search(&app, &user, &any.article_number).await.hits[0].hit.article.id, any.id, "article number");
    let with_gtin =
        search(&app, &user, "rollator").await.hits.into_iter().find(|h| h.hit.article.gtin.is_some()).unwrap();
    let gtin = with_gtin.hit.article.gtin.clone().unwrap();
    assert_eq!(search(&app, &user, &gtin).await.hits[0].hit.article.id, with_gtin.hit.article.id, "GTIN");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_a_prescribers_everyday_queries_find_the_expected_devices_first() {
    a_prescribers_everyday_queries_find_the_expected_devices_first(Engine::Sqlite).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_a_prescribers_everyday_queries_find_the_expected_devices_first() {
    a_prescribers_everyday_queries_find_the_expected_devices_first(Engine::Postgres).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_rollator_lists_valid_main_devices_before_accessories_and_spare_parts() {
    rollator_lists_valid_main_devices_before_accessories_and_spare_parts(Engine::Sqlite).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_rollator_lists_valid_main_devices_before_accessories_and_spare_parts() {
    rollator_lists_valid_main_devices_before_accessories_and_spare_parts(Engine::Postgres).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_codes_find_their_articles_an_iso_code_a_gtin_and_an_article_number() {
    codes_find_their_articles_an_iso_code_a_gtin_and_an_article_number(Engine::Sqlite).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_codes_find_their_articles_an_iso_code_a_gtin_and_an_article_number() {
    codes_find_their_articles_an_iso_code_a_gtin_and_an_article_number(Engine::Postgres).await
}

// Over the API, on the test fixture.

fn article(number: &str, name: &str, kind: &str) -> Value {
    json!({ "article_number": number, "iso_code": "12 06 06", "name": name, "supplier": "Ny Leverantör AB",
        "purchase_price_ore": 180_000, "monthly_rent_ore": 3_000, "kind": kind, "billing": "rental",
        "lead_time_class": "order_17", "service_life_months": 96, "reconditionable": true, "product_area": "mobility",
        "valid_from": "2020-01-01" })
}

async fn numbers(app: &TestApp, token: &str, query: &str) -> Vec<String> {
    let resp = app.get(token, &format!("/api/v1/articles?{query}")).await;
    assert_eq!(resp.status(), 200, "{query}");
    let hits: Vec<Value> = resp.json().await.unwrap();
    hits.iter().map(|h| h["article_number"].as_str().unwrap().to_string()).collect()
}

async fn the_api_ranks_filters_pages_highlights_and_counts_facets(app: TestApp) {
    let admin = app.token_for("admin").await;
    let part = article("SP-1", "Hjul, reservdel till rollator Classic", "spare_part");
    assert_eq!(app.post_json(&admin, "/api/v1/admin/articles", &part).await.status(), 201);
    let token = app.token_for("anna").await;

    let ranked = numbers(&app, &token, "q=rollator").await;
    assert_eq!((ranked[0].as_str(), ranked.len()), ("R-100", 3), "the main device first: {ranked:?}");
    assert_eq!(numbers(&app, &token, "q=rollator&kind=spare_part").await, ["SP-1"]);
    assert_eq!(numbers(&app, &token, "q=rollator&lead_time_class=order_17").await, ["SP-1"]);
    assert_eq!(numbers(&app, &token, "q=rolator&limit=1&offset=1").await.len(), 1, "paging");

    let resp = app.get(&token, "/api/v1/articles?q=rolator").await;
    let total: usize = resp.headers()["x-total-count"].to_str().unwrap().parse().unwrap();
    let hits: Vec<Value> = resp.json().await.unwrap();
    assert_eq!(total, hits.len());
    assert_eq!(hits[0]["highlight"][0], json!({ "text": "Rollator", "hit": true }));

    let facets: Value = app.get(&token, "/api/v1/articles/facets?q=rollator").await.json().await.unwrap();
    assert_eq!(facets["total"], json!(total));
    let kinds: Vec<(&str, u64)> = facets["kind"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| (k["value"].as_str().unwrap(), k["count"].as_u64().unwrap()))
        .collect();
    assert!(kinds.contains(&("spare_part", 1)), "{kinds:?}");
    assert!(facets["in_stock"].as_u64().unwrap() >= 1, "R-100 has devices in stock: {facets}");
}

async fn bad_search_parameters_are_422_naming_the_field(app: TestApp) {
    let token = app.token_for("anna").await;
    for (query, field) in [
        ("q=r", "q"),
        ("q=", "q"),
        ("q=rollator&limit=abc", "limit"),
        ("q=rollator&offset=-1", "offset"),
        ("q=rollator&in_stock=maybe", "in_stock"),
        ("q=rollator&kind=robot", "kind"),
        ("q=rollator&iso_code=123", "iso_code"),
    ] {
        let p = problem(app.get(&token, &format!("/api/v1/articles?{query}")).await).await;
        assert_eq!((p["status"].as_u64(), p["field"].as_str()), (Some(422), Some(field)), "{query}");
    }
}

async fn a_committed_catalog_change_is_found_at_once_and_a_refused_one_is_not(app: TestApp) {
    let admin = app.token_for("admin").await;
    assert_eq!(numbers(&app, &admin, "q=rollator").await, ["R-100", "R-101"], "the index is built");
    assert_eq!(
        app.post_json(&admin, "/api/v1/admin/articles", &article("R-900", "Rollator Ny", "main_device")).await.status(),
        201
    );
    assert!(numbers(&app, &admin, "q=rollator%20ny").await.contains(&"R-900".to_string()), "a created article");

    let retire = json!({ "valid_to": "2026-11-01" });
    assert_eq!(app.post_json(&admin, "/api/v1/admin/articles/R-900/retire", &retire).await.status(), 204);
    assert!(!numbers(&app, &admin, "q=rollator").await.contains(&"R-900".to_string()), "a retired article is hidden");
    assert!(numbers(&app, &admin, "q=rollator&include_expired=true").await.contains(&"R-900".to_string()));

    let refused =
        app.post_json(&admin, "/api/v1/admin/articles", &article("R-100", "Duplikat Rullator", "main_device")).await;
    assert_eq!(refused.status(), 422, "the article number is taken");
    assert!(numbers(&app, &admin, "q=duplikat").await.is_empty(), "nothing of a refused write reaches the index");
}

on_both_engines!(
    the_api_ranks_filters_pages_highlights_and_counts_facets,
    bad_search_parameters_are_422_naming_the_field,
    a_committed_catalog_change_is_found_at_once_and_a_refused_one_is_not,
);
