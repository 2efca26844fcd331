//! The queries a prescriber types, as the bench asks them: words (with
//! Swedish inflections and two-word searches), prefixes while typing,
//! misspellings, ISO codes, GTINs and article numbers taken from the
//! catalog itself, searches narrowed by filters, and the facet counts the
//! catalog page shows beside the hits.
//!
//! Two lists: the **common** searches (the same ~100 that many prescribers
//! type) and a **long tail** of thousands of specific ones (a device type
//! with a model name, an article number or GTIN from anywhere in the
//! catalog). Every other request is from the tail, so the index's cache of
//! recent results answers the common searches and not the whole mix.

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
/// Article numbers (and their GTINs) in the long tail.
const TAIL_CODES: i64 = 5_000;
/// Device types and model names of the demo catalog, for the long tail's
/// "rollator saga", "duschstol orbit".
const TAIL_TYPES: &[&str] = &[
    "rollator",
    "rullstol",
    "vårdsäng",
    "madrass",
    "personlyft",
    "duschstol",
    "sittdyna",
    "gåstativ",
    "toalettstol",
    "hörapparat",
    "elrullstol",
    "lyftsele",
];
const TAIL_MODELS: &[&str] = &[
    "vega", "nova", "lyra", "tindra", "orbit", "sirius", "carat", "bris", "vandra", "saga", "fjord", "alva", "corra",
    "mira", "stella", "aros", "linné", "polar", "viking", "delta", "trio", "flex", "kompis", "rapp", "smidig",
    "stabil", "vind", "kvist", "ask", "ekko",
];

/// The common searches and the long tail.
pub struct Mix {
    pub common: Vec<Probe>,
    pub tail: Vec<Probe>,
}

/// The common searches, interleaved so that consecutive ones differ in
/// kind, and the long tail in a scattered order.
pub async fn mix(raw: &RawDb) -> Result<Mix, CliError> {
    let (common, tail) = (common(raw).await?, tail(raw).await?);
    Ok(Mix { common, tail })
}

async fn tail(raw: &RawDb) -> Result<Vec<Probe>, CliError> {
    let (gtins, numbers) = codes(raw, TAIL_CODES).await?;
    let mut out: Vec<Probe> = TAIL_TYPES
        .iter()
        .flat_map(|t| TAIL_MODELS.iter().map(move |m| probe("model (tail)", &format!("{t} {m}"), &[], false)))
        .collect();
    out.extend(numbers.iter().chain(&gtins).map(|q| probe("code (tail)", q, &[], false)));
    // A fixed shuffle (multiplicative stride), so the kinds alternate.
    let n = out.len();
    let stride = (7919..).find(|s| gcd(*s, n) == 1).unwrap_or(1);
    Ok((0..n).map(|i| out[i * stride % n].clone()).collect())
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

async fn common(raw: &RawDb) -> Result<Vec<Probe>, CliError> {
    let (gtins, numbers) = codes(raw, CODES).await?;
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

/// Up to `count` article numbers and their GTINs, evenly spread over the catalog.
async fn codes(raw: &RawDb, count: i64) -> Result<(Vec<String>, Vec<String>), CliError> {
    let db = |e: ramp_storage::StorageError| CliError::failed(format!("database: {e}"));
    let max = raw.max_id("articles").await?;
    let step = (max / count).max(1);
    let sql = "SELECT article_number, gtin FROM articles WHERE id % $1 = 0 ORDER BY id LIMIT $2";
    let rows = query(sql).bind(step).bind(count).fetch_all(raw.pool()).await.map_err(db)?;
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
