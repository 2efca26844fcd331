//! The order list over the API (issue 18, point 4), on both engines: more
//! than a hundred orders paged through with none repeated or missing, each
//! filter and each sort, whose orders each scope shows, and every bad
//! parameter refused with a 422 naming it.

use chrono::{Duration, TimeZone, Utc};
use ramp_storage::fixture_ordering;
use ramp_testkit::{problem, test_now, TestApp};
use serde_json::{json, Value};
use std::collections::BTreeSet;

/// How many orders the unit orderer places: more than a hundred.
const MANY: usize = 130;

/// `bestallare` (unit 2) places [`MANY`] orders of one incontinence pad, one
/// an hour from the test's Monday 10:00 on, then one rollator; `anna`
/// (unit 1) places one for her patient. Returns the unit orderer's ids in
/// the order placed.
async fn many_orders(app: &TestApp) -> Vec<i64> {
    let f = fixture_ordering::load(app.storage.as_ref()).await.expect("ordering fixture");
    let orderer = app.token_for("bestallare").await;
    let mut ids = Vec::new();
    for i in 0..=MANY {
        app.clock.set(test_now() + Duration::hours(i as i64));
        let article = if i == MANY { "R-200" } else { "K-600" };
        let body = json!({ "target": "unit", "lines": [{ "article_number": article, "quantity": 1 }] });
        let resp = app.post_json(&orderer, "/api/v1/orders", &body).await;
        assert_eq!(resp.status(), 201, "order {i}");
        ids.push(resp.json::<Value>().await.unwrap()["id"].as_i64().unwrap());
    }
    let anna = app.token_for("anna").await;
    let body = json!({
        "personal_id": f.sven_pnr, "goal": "Gå själv till affären", "evaluation_date": "2027-06-01",
        "lines": [{ "article_number": "K-600", "quantity": 1,
            "facts": { "pharmaceutical_benefit": false, "diabetes_self_test": false } }]
    });
    let resp = app.post_json(&anna, "/api/v1/orders", &body).await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap_or_default());
    ids
}

async fn list(app: &TestApp, token: &str, query: &str) -> Value {
    let resp = app.get(token, &format!("/api/v1/orders?{query}")).await;
    assert_eq!(resp.status(), 200, "{query}");
    resp.json().await.unwrap()
}

fn ids(page: &Value) -> Vec<i64> {
    page["orders"].as_array().unwrap().iter().map(|o| o["id"].as_i64().unwrap()).collect()
}

/// Every page of `query`, in order.
async fn all_pages(app: &TestApp, token: &str, query: &str) -> Vec<i64> {
    let first = list(app, token, query).await;
    let mut all = ids(&first);
    for page in 2..=first["pages"].as_i64().unwrap() {
        all.extend(ids(&list(app, token, &format!("{query}&page={page}")).await));
    }
    all
}

async fn set_status(app: &TestApp, token: &str, id: i64, status: &str) {
    let resp = app.post_json(token, &format!("/api/v1/orders/{id}/status"), &json!({ "status": status })).await;
    assert_eq!(resp.status(), 200, "order {id} to {status}");
}

async fn a_list_of_more_than_a_hundred_orders_pages_through_every_order_exactly_once(app: TestApp) {
    // Arrange
    let placed = many_orders(&app).await;
    let orderer = app.token_for("bestallare").await;
    let expected: BTreeSet<i64> = placed.iter().copied().collect();

    // Act: page by page, 25 at a time by date; 10 at a time by status (all
    // the same status, so only the order number keeps the pages apart).
    let first = list(&app, &orderer, "per_page=25").await;
    let by_date = all_pages(&app, &orderer, "per_page=25").await;
    let by_status = all_pages(&app, &orderer, "per_page=10&sort=status").await;

    // Assert
    assert_eq!((first["total"].as_i64(), first["pages"].as_i64()), (Some(MANY as i64 + 1), Some(6)));
    assert_eq!(
        (first["page"].as_i64(), first["per_page"].as_i64(), first["scope"].as_str()),
        (Some(1), Some(25), Some("mine"))
    );
    for (name, seen) in [("by date", &by_date), ("by status", &by_status)] {
        assert_eq!(seen.len(), expected.len(), "{name}: no row twice, none missing");
        assert_eq!(seen.iter().copied().collect::<BTreeSet<_>>(), expected, "{name}");
    }
    let newest_first: Vec<i64> = placed.iter().rev().copied().collect();
    assert_eq!(by_date, newest_first, "newest first by default");
    let past = list(&app, &orderer, "page=99").await;
    assert!(ids(&past).is_empty(), "a page past the end is empty, not an error");
    assert_eq!(past["total"].as_i64(), Some(MANY as i64 + 1));
}

async fn each_filter_narrows_the_list_to_the_orders_that_match(app: TestApp) {
    // Arrange: three cancelled, two picked by the warehouse.
    let placed = many_orders(&app).await;
    let orderer = app.token_for("bestallare").await;
    let lager = app.token_for("lager").await;
    for id in &placed[..3] {
        set_status(&app, &orderer, *id, "cancelled").await;
    }
    for id in &placed[3..5] {
        set_status(&app, &lager, *id, "picked").await;
    }

    // Status.
    let cancelled = all_pages(&app, &orderer, "status=cancelled").await;
    assert_eq!(cancelled.iter().copied().collect::<BTreeSet<_>>(), placed[..3].iter().copied().collect());
    assert_eq!(all_pages(&app, &orderer, "status=picked").await.len(), 2);

    // Dates: Tuesday 24 November in Swedish time (UTC+1) is 23:00 to 23:00 UTC.
    let day_start = Utc.with_ymd_and_hms(2026, 11, 23, 23, 0, 0).unwrap();
    let on_tuesday: BTreeSet<i64> = placed
        .iter()
        .enumerate()
        .filter(|(i, _)| {
            let at = test_now() + Duration::hours(*i as i64);
            at >= day_start && at < day_start + Duration::days(1)
        })
        .map(|(_, id)| *id)
        .collect();
    assert_eq!(on_tuesday.len(), 24);
    let tuesday = all_pages(&app, &orderer, "from=2026-11-24&to=2026-11-24&per_page=100").await;
    assert_eq!(tuesday.iter().copied().collect::<BTreeSet<_>>(), on_tuesday);
    let from_tuesday = list(&app, &orderer, "from=2026-11-24").await;
    assert_eq!(from_tuesday["total"].as_i64(), Some(MANY as i64 + 1 - 14), "Monday 10:00–23:00 left out");
    let until_monday = list(&app, &orderer, "to=2026-11-23").await;
    assert_eq!(until_monday["total"].as_i64(), Some(14));

    // Text: article name and number, any case; an order number.
    assert_eq!(all_pages(&app, &orderer, "q=ROLLATOR").await, vec![placed[MANY]]);
    assert_eq!(all_pages(&app, &orderer, "q=r-200").await, vec![placed[MANY]]);
    assert_eq!(list(&app, &orderer, "q=Inkontinensskydd").await["total"].as_i64(), Some(MANY as i64));
    assert_eq!(list(&app, &orderer, "q=finns%20inte").await["total"].as_i64(), Some(0));
    let number = placed[MANY - 1];
    let by_number = all_pages(&app, &orderer, &format!("q=%23{number}")).await;
    assert!(by_number.contains(&number), "#{number} finds order {number}: {by_number:?}");

    // Filters combine.
    let combined = list(&app, &orderer, "status=cancelled&q=inkontinens&to=2026-11-23").await;
    assert_eq!(combined["total"].as_i64(), Some(3));

    // Scope: mine, my unit's, or (the centre's staff) all.
    let anna = app.token_for("anna").await;
    assert_eq!(list(&app, &anna, "").await["total"].as_i64(), Some(1), "anna's own order");
    assert_eq!(list(&app, &anna, "scope=unit").await["total"].as_i64(), Some(1), "unit 1 has only anna's");
    assert_eq!(list(&app, &orderer, "scope=unit").await["total"].as_i64(), Some(MANY as i64 + 1));
    let everything = list(&app, &lager, "").await;
    assert_eq!((everything["scope"].as_str(), everything["total"].as_i64()), (Some("all"), Some(MANY as i64 + 2)));
    assert_eq!(list(&app, &lager, "scope=mine").await["total"].as_i64(), Some(0));
}

async fn each_sort_orders_the_list_by_its_column_both_ways(app: TestApp) {
    // Arrange: one order in every status.
    let placed = many_orders(&app).await;
    let orderer = app.token_for("bestallare").await;
    let lager = app.token_for("lager").await;
    set_status(&app, &orderer, placed[0], "cancelled").await;
    for (id, to) in [(placed[1], "delivered"), (placed[2], "out_for_delivery"), (placed[3], "picked")] {
        for step in ["picked", "out_for_delivery", "delivered"] {
            set_status(&app, &lager, id, step).await;
            if step == to {
                break;
            }
        }
    }
    let all = "per_page=100";

    // Number.
    let asc = all_pages(&app, &orderer, &format!("{all}&sort=number&dir=asc")).await;
    let mut sorted = placed.clone();
    sorted.sort();
    assert_eq!(asc, sorted);
    let desc = all_pages(&app, &orderer, &format!("{all}&sort=number&dir=desc")).await;
    assert_eq!(desc, sorted.iter().rev().copied().collect::<Vec<_>>());

    // Date.
    assert_eq!(all_pages(&app, &orderer, &format!("{all}&sort=date&dir=asc")).await, placed);
    let newest: Vec<i64> = placed.iter().rev().copied().collect();
    assert_eq!(all_pages(&app, &orderer, &format!("{all}&sort=date&dir=desc")).await, newest);

    // Status, in lifecycle order: registered, picked, out for delivery, delivered, cancelled.
    let statuses = |page: &Value| -> Vec<String> {
        page["orders"].as_array().unwrap().iter().map(|o| o["status"].as_str().unwrap().to_string()).collect()
    };
    let up = list(&app, &orderer, &format!("{all}&sort=status&dir=asc&page=2")).await;
    let tail: Vec<String> = statuses(&up).into_iter().rev().take(4).collect();
    assert_eq!(tail, ["cancelled", "delivered", "out_for_delivery", "picked"], "the last rows, last first");
    let down = list(&app, &orderer, &format!("{all}&sort=status&dir=desc")).await;
    assert_eq!(statuses(&down)[..5], ["cancelled", "delivered", "out_for_delivery", "picked", "registered"]);
    let registered: Vec<i64> = ids(&down)[4..].to_vec();
    let mut by_number = registered.clone();
    by_number.sort_by(|a, b| b.cmp(a));
    assert_eq!(registered, by_number, "within one status, by order number in the same direction");
}

async fn bad_list_parameters_are_refused_naming_the_parameter(app: TestApp) {
    let orderer = app.token_for("anna").await;
    let long = "x".repeat(101);
    let cases = [
        ("scope=everyone", "scope", "invalid_scope"),
        ("status=lost", "status", "invalid_status"),
        ("from=2026-13-01", "from", "invalid_date"),
        ("to=igår", "to", "invalid_date"),
        ("from=2026-11-24&to=2026-11-23", "from", "after_to"),
        ("sort=price", "sort", "invalid_sort"),
        ("dir=up", "dir", "invalid_dir"),
        ("page=0", "page", "invalid_number"),
        ("page=abc", "page", "invalid_number"),
        ("page=100001", "page", "invalid_number"),
        ("per_page=7", "per_page", "invalid_number"),
        ("per_page=1000", "per_page", "invalid_number"),
        (&format!("q={long}"), "q", "query_too_long"),
    ];
    for (query, field, code) in cases {
        let resp = app.get(&orderer, &format!("/api/v1/orders?{query}")).await;
        assert_eq!(resp.headers()["content-type"], "application/problem+json", "{query}");
        let p = problem(resp).await;
        assert_eq!(
            (p["status"].as_i64(), p["field"].as_str(), p["code"].as_str()),
            (Some(422), Some(field), Some(code)),
            "{query}: {p}"
        );
    }
    let p = problem(app.get(&orderer, "/api/v1/orders?scope=all").await).await;
    assert_eq!((p["status"].as_i64(), p["code"].as_str()), (Some(403), Some("role_required")), "all is the centre's");
    let lager = app.token_for("lager").await;
    let p = problem(app.get(&lager, "/api/v1/orders?scope=unit").await).await;
    assert_eq!((p["status"].as_i64(), p["field"].as_str()), (Some(422), Some("scope")), "lager has no unit: {p}");
}

async fn the_order_list_page_pages_sorts_and_names_a_bad_parameter_in_swedish(app: TestApp) {
    // Arrange
    many_orders(&app).await;
    let (client, _) = app.ui_session("bestallare").await;
    let page = |query: &'static str| {
        let client = client.clone();
        let url = app.url(&format!("/orders?{query}"));
        async move {
            let resp = client.get(url).send().await.unwrap();
            (resp.status().as_u16(), resp.text().await.unwrap())
        }
    };

    // Act
    let (status, sorted) = page("sort=status&dir=asc&per_page=25&page=2").await;
    let (bad, refused) = page("per_page=7").await;
    let (partial_status, partial) = {
        let resp = client.get(app.url("/orders?q=rollator")).header("HX-Request", "true").send().await.unwrap();
        (resp.status().as_u16(), resp.text().await.unwrap())
    };

    // Assert
    assert_eq!(status, 200);
    assert!(sorted.contains("Visar 26–50 av 131"), "{sorted}");
    let header = sorted.split("aria-sort=\"ascending\">").nth(1).and_then(|s| s.split("</th>").next()).unwrap_or("");
    let header = header.replace("&amp;", "&").replace("&#38;", "&");
    assert!(
        header.contains("Status") && header.contains("sort=status&dir=desc&"),
        "the sorted header links the other way: {header}"
    );
    assert_eq!(sorted.matches("aria-sort=").count(), 1, "only the sorted column says how it is sorted");
    assert!(sorted.contains("rel=\"prev\"") && sorted.contains("rel=\"next\""), "previous and next links");
    assert_eq!(bad, 422);
    assert!(refused.contains("Välj 10, 25, 50 eller 100 per sida."), "{refused}");
    assert!(refused.contains("Visar 1–25 av 131"), "the default list under the error");
    assert_eq!(partial_status, 200);
    assert!(!partial.contains("<html") && partial.contains("Visar 1–1 av 1"), "htmx gets the results only: {partial}");
}

ramp_testkit::on_both_engines!(
    the_order_list_page_pages_sorts_and_names_a_bad_parameter_in_swedish,
    a_list_of_more_than_a_hundred_orders_pages_through_every_order_exactly_once,
    each_filter_narrows_the_list_to_the_orders_that_match,
    each_sort_orders_the_list_by_its_column_both_ways,
    bad_list_parameters_are_refused_naming_the_parameter,
);
