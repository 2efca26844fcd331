//! The OpenAPI document against the routes Ramp serves (issue 20, point 5):
//! every served route is documented with its methods, every path
//! parameter is one of the path's `{…}` (query parameters are declared as
//! query parameters), and every operation lists the errors it answers.
//!
//! The routes are read from the source that registers them (`.route("…",
//! get(…).post(…))` in `api/mod.rs`, `api/admin/mod.rs` and
//! `api/order_lists.rs`, `api/digital/mod.rs`): axum cannot list a router's routes. The figures'
//! routes are generated from `Figure::ALL` together with their
//! documentation, so they are documented by construction.

use super::openapi_json;
use std::collections::BTreeSet;

const SOURCES: [&str; 5] = [
    include_str!("../fhir/mod.rs"),
    include_str!("mod.rs"),
    include_str!("admin/mod.rs"),
    include_str!("order_lists.rs"),
    include_str!("digital/mod.rs"),
];

const METHODS: [&str; 5] = ["get", "post", "put", "delete", "patch"];

/// (method, path) of every `.route("path", …)` call in `source`.
fn registered(source: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (at, _) in source.match_indices(".route(\"") {
        let rest = &source[at + 8..];
        let Some(end) = rest.find('"') else { continue };
        let path = &rest[..end];
        let call = &rest[end..rest.find(")\n").unwrap_or(rest.len())];
        for m in METHODS {
            let open = format!("{m}(");
            let opens = call.match_indices(open.as_str()).filter(|(i, _)| {
                let before = call.as_bytes().get(i.wrapping_sub(1)).copied().unwrap_or(b' ');
                !before.is_ascii_alphanumeric() && before != b'_'
            });
            if opens.count() > 0 {
                out.push((m.to_string(), path.to_string()));
            }
        }
    }
    out
}

fn documented() -> BTreeSet<(String, String)> {
    let doc = openapi_json();
    let mut out = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for m in METHODS {
            if item.get(m).is_some() {
                out.insert((m.to_string(), path.clone()));
            }
        }
    }
    out
}

#[test]
fn every_served_route_is_in_the_openapi_document_with_its_methods() {
    let served: Vec<_> = SOURCES.iter().flat_map(|s| registered(s)).collect();
    assert!(served.len() > 90, "the route scan found the routes: {}", served.len());
    let documented = documented();
    let missing: Vec<_> = served
        .iter()
        .filter(|(_, path)| path != "/api/openapi.json")
        .filter(|r| !documented.contains(*r))
        .map(|(m, p)| format!("{} {p}", m.to_uppercase()))
        .collect();
    assert!(missing.is_empty(), "served but not documented:\n{}", missing.join("\n"));
}

#[test]
fn the_route_scan_reads_methods_and_paths_as_written() {
    let source = r#"
        .route("/api/v1/a/{id}", get(x::one).put(x::edit))
        .route("/api/v1/b", post(y::make))
    "#;
    let got = registered(source);
    let want = [("get", "/api/v1/a/{id}"), ("put", "/api/v1/a/{id}"), ("post", "/api/v1/b")];
    assert_eq!(got, want.map(|(m, p)| (m.to_string(), p.to_string())));
}

#[test]
fn path_parameters_are_the_paths_placeholders_and_query_parameters_are_in_the_query() {
    let doc = openapi_json();
    let mut wrong = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        let placeholders: BTreeSet<&str> = path.split('{').skip(1).filter_map(|s| s.split('}').next()).collect();
        for m in METHODS {
            let Some(op) = item.get(m) else { continue };
            let params = op["parameters"].as_array().cloned().unwrap_or_default();
            let in_path: BTreeSet<&str> =
                params.iter().filter(|p| p["in"] == "path").filter_map(|p| p["name"].as_str()).collect();
            if in_path != placeholders {
                wrong.push(format!(
                    "{} {path}: path parameters {in_path:?}, placeholders {placeholders:?}",
                    m.to_uppercase()
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Liveness and metrics answer whenever the process does: no error to list.
const NEVER_FAIL: [&str; 2] = ["/healthz", "/metrics"];

#[test]
fn every_operation_lists_the_errors_it_answers() {
    let doc = openapi_json();
    let mut silent = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        if NEVER_FAIL.contains(&path.as_str()) {
            continue;
        }
        for m in METHODS {
            let Some(op) = item.get(m) else { continue };
            let responses = op["responses"].as_object().cloned().unwrap_or_default();
            if !responses.keys().any(|c| c.starts_with('4') || c.starts_with('5')) {
                silent.push(format!("{} {path}", m.to_uppercase()));
            }
        }
    }
    assert!(silent.is_empty(), "operations without an error response:\n{}", silent.join("\n"));
}
