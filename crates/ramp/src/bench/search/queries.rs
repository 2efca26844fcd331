//! The queries a prescriber types, as the bench asks them: words (with
//! Swedish inflections and two-word searches), prefixes while typing,
//! misspellings, ISO codes, GTINs and article numbers taken from the
//! catalog itself, searches narrowed by filters, and the facet counts the
//! catalog page shows beside the hits.

use super::super::setup::RawDb;
use crate::CliError;
use ramp_app::catalog::{Parts, SearchInput};
use ramp_storage::db::query;

/// One query: its kind (the report's breakdown), its path and query string,
/// and the same as the use-case's input (for the in-process levels).
#[derive(Debug, Clone)]
pub struct Probe {
    pub kind: &'static str,
    /// `/api/v1/articles?q=rollator&limit=25` (encoded).
    pub path: String,
    /// `true` for `/api/v1/articles/facets`.
    pub facets: bool,
    pub input: SearchInput,
}

/// The page size the catalog page asks for.
const PAGE: &str = "25";

const WORDS: &[&str] = &[
    "rollator",
    "rullstol",
    "rollatorer",
    "rullstolar",
    "vårdsäng",
    "madrass",
    "personlyft",
    "duschstol",
    "hygienstol",
    "sittdyna",
    "elrullstol",
    "gåstativ",
    "toalettstol",
    "hörapparat",
    "lyftsele",
    "komfortrullstol",
    "ortos",
    "käpp",
    "manuell rullstol",
    "rollator vega",
    "madrass 90",
    "surfplatta",
    "sondnäring",
    "inkontinensskydd",
];
const PREFIXES: &[&str] = &["ro", "roll", "rulls", "vårds", "madr", "dusch", "perso", "hörap", "sittd", "gåst"];
const MISSPELLED: &[&str] = &[
    "rolator",
    "rullstool",
    "madras",
    "vårdsäg",
    "duchstol",
    "personlyf",
    "hörapprat",
    "sitdyna",
    "gåstatv",
    "toalletstol",
];
const ISO_CODES: &[&str] = &["12 06 06", "1222", "120606", "09 33", "18 12 10", "0433", "12", "122203"];

type Params = &'static [(&'static str, &'static str)];

const FILTERED: &[(&str, Params)] = &[
    ("rollator", &[("kind", "main_device")]),
    ("rullstol", &[("in_stock", "true")]),
    ("", &[("iso_code", "12 06")]),
    ("madrass", &[("iso_code", "0433")]),
    ("lyft", &[("kind", "accessory")]),
    ("dyna", &[("in_stock", "true"), ("kind", "main_device")]),
    ("", &[("area", "hygiene"), ("in_stock", "true")]),
    ("säng", &[("lead_time_class", "stock_7")]),
    ("rollator", &[("include_expired", "true")]),
    ("rullstol", &[("offset", "25")]),
];
const FACETS: &[(&str, Params)] = &[
    ("rollator", &[]),
    ("rullstol", &[("in_stock", "true")]),
    ("", &[("iso_code", "12")]),
    ("madrass", &[]),
    ("lyft", &[("kind", "main_device")]),
];

/// GTINs and article numbers the catalog holds, spread over its ids.
const CODES: i64 = 20;

/// The whole mix, interleaved so that consecutive queries differ in kind.
pub async fn mix(raw: &RawDb) -> Result<Vec<Probe>, CliError> {
    let (gtins, numbers) = codes(raw).await?;
    let mut kinds: Vec<Vec<Probe>> = vec![
        WORDS.iter().map(|q| probe("word", q, &[], false)).collect(),
        PREFIXES.iter().map(|q| probe("prefix", q, &[], false)).collect(),
        MISSPELLED.iter().map(|q| probe("misspelling", q, &[], false)).collect(),
        ISO_CODES.iter().map(|q| probe("iso code", q, &[], false)).collect(),
        gtins.iter().map(|q| probe("gtin", q, &[], false)).collect(),
        numbers.iter().map(|q| probe("article number", q, &[], false)).collect(),
        FILTERED.iter().map(|(q, f)| probe("filtered", q, f, false)).collect(),
        FACETS.iter().map(|(q, f)| probe("facets", q, f, true)).collect(),
    ];
    let mut out = Vec::new();
    while kinds.iter().any(|k| !k.is_empty()) {
        for k in kinds.iter_mut() {
            if !k.is_empty() {
                out.push(k.remove(0));
            }
        }
    }
    Ok(out)
}

/// Up to [`CODES`] GTINs and article numbers, evenly spread over the catalog.
async fn codes(raw: &RawDb) -> Result<(Vec<String>, Vec<String>), CliError> {
    let db = |e: ramp_storage::StorageError| CliError::failed(format!("database: {e}"));
    let max = raw.max_id("articles").await?;
    let step = (max / CODES).max(1);
    let sql = "SELECT article_number, gtin FROM articles WHERE id % $1 = 0 ORDER BY id LIMIT $2";
    let rows = query(sql).bind(step).bind(CODES).fetch_all(raw.pool()).await.map_err(db)?;
    let (mut gtins, mut numbers) = (Vec::new(), Vec::new());
    for r in rows {
        let (number, gtin): (String, Option<String>) = (r.try_get(0).map_err(db)?, r.try_get(1).map_err(db)?);
        numbers.push(number);
        gtins.extend(gtin);
    }
    Ok((gtins, numbers))
}

fn probe(kind: &'static str, q: &str, filters: &[(&str, &str)], facets: bool) -> Probe {
    let mut params: Vec<(&str, &str)> = vec![("q", q)];
    if !facets {
        params.push(("limit", PAGE));
    }
    params.extend(filters.iter().copied());
    let endpoint = if facets { "/api/v1/articles/facets" } else { "/api/v1/articles" };
    let url = reqwest::Url::parse_with_params(&format!("http://host{endpoint}"), &params).expect("a valid URL");
    let path = format!("{endpoint}?{}", url.query().unwrap_or_default());
    let parts = if facets { Parts::Facets } else { Parts::Hits };
    Probe { kind, path, facets, input: SearchInput { parts, ..input(&params) } }
}

/// The use-case's input for the same parameters, as `GET /api/v1/articles` reads them.
fn input(params: &[(&str, &str)]) -> SearchInput {
    let mut i = SearchInput { limit: 50, ..SearchInput::default() };
    for (k, v) in params {
        let v = (*v).to_string();
        match *k {
            "q" => i.q = v,
            "limit" => i.limit = v.parse().expect("a number"),
            "offset" => i.offset = v.parse().expect("a number"),
            "kind" => i.kind = Some(v),
            "iso_code" => i.iso = Some(v),
            "area" => i.area = Some(v),
            "lead_time_class" => i.lead_time_class = Some(v),
            "in_stock" => i.in_stock = v == "true",
            "include_expired" => i.include_expired = v == "true",
            other => unreachable!("no such parameter in the mix: {other}"),
        }
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_probe_encodes_its_text_and_filters_and_carries_the_same_input() {
        let p = probe("filtered", "vårdsäng 90", &[("in_stock", "true")], false);
        assert_eq!(p.path, "/api/v1/articles?q=v%C3%A5rds%C3%A4ng+90&limit=25&in_stock=true");
        assert_eq!((p.input.q.as_str(), p.input.limit, p.input.in_stock), ("vårdsäng 90", 25, true));
    }

    #[test]
    fn every_probe_of_the_mix_is_valid_input_for_the_use_case() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        let plain = WORDS.iter().chain(PREFIXES).chain(MISSPELLED).chain(ISO_CODES).map(|q| (*q, &[] as Params));
        for (q, f) in plain.chain(FILTERED.iter().copied()).chain(FACETS.iter().copied()) {
            let p = probe("any", q, f, false);
            assert!(ramp_app::catalog::search_request(&p.input, today).is_ok(), "{}", p.path);
        }
    }
}
