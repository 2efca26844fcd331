//! Search parameters and `Bundle`s: strict parameters (an unknown one is
//! a 422 naming it, rather than silently ignored), paging with `_count`
//! and `_offset`, and `self`/`next`/`previous` links that repeat the
//! search.

use crate::error::ApiError;
use ramp_app::AppError;
use serde_json::{json, Value};

/// At most this many entries per page; 50 unless `_count` says otherwise.
const MAX_COUNT: i64 = 200;
const DEFAULT_COUNT: i64 = 50;

/// A search's parameters as sent, checked against what the type knows.
#[derive(Debug, Clone)]
pub struct Params {
    pairs: Vec<(String, String)>,
    pub count: i64,
    pub offset: i64,
}

fn invalid(field: &str, code: &'static str, message: impl Into<String>) -> ApiError {
    AppError::invalid(field, code, message).into()
}

fn number(
    pairs: &[(String, String)],
    name: &str,
    range: std::ops::RangeInclusive<i64>,
    default: i64,
) -> Result<i64, ApiError> {
    match pairs.iter().find(|(k, _)| k == name) {
        None => Ok(default),
        Some((_, v)) => match v.parse::<i64>() {
            Ok(n) if range.contains(&n) => Ok(n),
            _ => Err(invalid(
                name,
                "invalid_parameter",
                format!("{name} is a whole number from {} to {}", range.start(), range.end()),
            )),
        },
    }
}

impl Params {
    /// Checks `pairs` against the parameters `known` (besides `_count`
    /// and `_offset`); each may appear once.
    pub fn parse(pairs: Vec<(String, String)>, known: &[&str]) -> Result<Self, ApiError> {
        for (i, (k, _)) in pairs.iter().enumerate() {
            if !known.contains(&k.as_str()) && k != "_count" && k != "_offset" && k != "_format" {
                return Err(invalid(
                    k,
                    "unknown_parameter",
                    format!("{k} is not a search parameter of this resource type"),
                ));
            }
            if pairs[..i].iter().any(|(j, _)| j == k) {
                return Err(invalid(k, "repeated_parameter", format!("{k} may be given once")));
            }
        }
        let count = number(&pairs, "_count", 1..=MAX_COUNT, DEFAULT_COUNT)?;
        let offset = number(&pairs, "_offset", 0..=10_000_000, 0)?;
        Ok(Params { pairs, count, offset })
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).filter(|v| !v.is_empty())
    }

    /// The patient a search names (`patient` or `subject`, as `123` or
    /// `Patient/123`); required.
    pub fn patient(&self) -> Result<ramp_app::model::Id, ApiError> {
        let (name, raw) = match (self.get("patient"), self.get("subject")) {
            (Some(p), None) => ("patient", p),
            (None, Some(s)) => ("subject", s),
            (Some(_), Some(_)) => {
                return Err(invalid("subject", "repeated_parameter", "give patient or subject, not both"))
            }
            (None, None) => {
                return Err(invalid("patient", "required", "search a patient's resources by patient=Patient/{id}"))
            }
        };
        parse_id(raw.strip_prefix("Patient/").unwrap_or(raw)).ok_or_else(|| {
            invalid(name, "invalid_reference", "a patient is referred to as Patient/{id}, Ramp's id of the patient")
        })
    }

    /// The query string of this search at `offset`.
    fn query_at(&self, offset: i64) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        for (k, v) in self.pairs.iter().filter(|(k, _)| k != "_count" && k != "_offset") {
            s.append_pair(k, v);
        }
        s.append_pair("_count", &self.count.to_string());
        s.append_pair("_offset", &offset.to_string());
        s.finish()
    }
}

/// A resource id Ramp issues: a positive whole number.
pub fn parse_id(s: &str) -> Option<ramp_app::model::Id> {
    s.parse::<i64>().ok().filter(|n| *n > 0)
}

/// One page of a search as a `searchset` `Bundle`. `page` holds this
/// page's resources; `total` counts every match. `self_path` is where the
/// search was made (`{base}/Device`); a search made by POST links its
/// pages without the parameters that must not go in a URL (`linkable`
/// false: the link repeats only the paging).
pub fn bundle(base: &str, self_path: &str, params: &Params, total: i64, page: Vec<Value>, linkable: bool) -> Value {
    let link = |offset: i64| {
        if linkable {
            format!("{self_path}?{}", params.query_at(offset))
        } else {
            format!("{self_path}?_count={}&_offset={offset}", params.count)
        }
    };
    let mut links = vec![json!({"relation": "self", "url": link(params.offset)})];
    if params.offset + params.count < total {
        links.push(json!({"relation": "next", "url": link(params.offset + params.count)}));
    }
    if params.offset > 0 {
        links.push(json!({"relation": "previous", "url": link((params.offset - params.count).max(0))}));
    }
    let entries: Vec<Value> = page
        .into_iter()
        .map(|r| {
            let url = format!("{base}/{}/{}", r["resourceType"].as_str().unwrap_or(""), r["id"].as_str().unwrap_or(""));
            json!({"fullUrl": url, "resource": r, "search": {"mode": "match"}})
        })
        .collect();
    json!({"resourceType": "Bundle", "type": "searchset", "total": total, "link": links, "entry": entries})
}

/// A page of resources held in memory (a patient's own, never many).
pub fn page_of(all: Vec<Value>, params: &Params) -> (i64, Vec<Value>) {
    let total = all.len() as i64;
    let page = all.into_iter().skip(params.offset as usize).take(params.count as usize).collect();
    (total, page)
}
