//! The load: N concurrent HTTP clients, each placing orders the way a
//! prescriber's system does — in one request with the order's line
//! (`--flow direct`), or adding one cart item and then submitting the
//! order (`--flow cart`) — for a warm-up and then the measured window. An
//! order's latency covers all its requests.

use super::stats::Latencies;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How an order is placed over the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Flow {
    /// One request: `POST /api/v1/orders` with its `lines` (the device is
    /// reserved as the order is placed).
    Direct,
    /// Two requests: `POST /api/v1/cart/items` (reserves), then
    /// `POST /api/v1/orders` (the prescriber's flow in the browser).
    Cart,
}

impl Flow {
    /// What one order is on the wire, for the report.
    pub fn requests(self) -> &'static str {
        match self {
            Flow::Direct => "POST /api/v1/orders with lines",
            Flow::Cart => "POST /api/v1/cart/items + POST /api/v1/orders",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Flow::Direct => "direct",
            Flow::Cart => "cart",
        }
    }
}

/// Who the clients are and what they order.
#[derive(Debug, Clone)]
pub struct Plan {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    pub flow: Flow,
    /// One per concurrent client.
    pub clients: Vec<ClientPlan>,
    /// The order's `evaluation_date` (YYYY-MM-DD).
    pub evaluation_date: String,
    /// Makes idempotency keys unique across runs on the same database.
    pub run_id: String,
}

/// One client: an API token and what it orders, round robin: (personal
/// id, article number) pairs of patients its unit has a care relationship with.
#[derive(Debug, Clone)]
pub struct ClientPlan {
    pub token: String,
    pub jobs: Vec<(String, String)>,
}

/// What the measured window saw.
#[derive(Debug, Default, Clone)]
pub struct LoadResult {
    pub orders: u64,
    pub window: Duration,
    pub latencies: Latencies,
    /// Failed orders by `step: status code`.
    pub errors: BTreeMap<String, u64>,
    /// Replacement proposals answered (an extra request inside the order).
    pub replacement_answers: u64,
}

impl LoadResult {
    pub fn per_second(&self) -> f64 {
        self.orders as f64 / self.window.as_secs_f64()
    }

    fn merge(&mut self, other: LoadResult) {
        self.orders += other.orders;
        self.latencies.merge(other.latencies);
        super::stats::add_counts(&mut self.errors, other.errors);
        self.replacement_answers += other.replacement_answers;
    }
}

/// Runs every client for `warmup` and then `duration`; counts the orders
/// completed inside the measured window.
pub async fn run(plan: Plan, warmup: Duration, duration: Duration) -> LoadResult {
    let plan = Arc::new(plan);
    let start = Instant::now() + warmup;
    let end = start + duration;
    let tasks: Vec<_> = (0..plan.clients.len())
        .map(|me| {
            let plan = plan.clone();
            tokio::spawn(async move { client_loop(&plan, me, start, end).await })
        })
        .collect();
    let mut total = LoadResult { window: duration, ..LoadResult::default() };
    for t in tasks {
        match t.await {
            Ok(r) => total.merge(r),
            Err(e) => *total.errors.entry(format!("client task: {e}")).or_default() += 1,
        }
    }
    total
}

/// An order that did not go through: which step, and why.
struct Failed(String);

async fn client_loop(plan: &Plan, me: usize, start: Instant, end: Instant) -> LoadResult {
    let http = Client::builder()
        .timeout(Duration::from_secs(60))
        .pool_max_idle_per_host(1)
        .build()
        .expect("an HTTP client without TLS builds");
    let mine = &plan.clients[me];
    let mut result = LoadResult::default();
    let mut seq = 0_usize;
    while Instant::now() < end {
        let (patient, article) = &mine.jobs[seq % mine.jobs.len()];
        let key = format!("{}-{me}-{seq}", plan.run_id);
        seq += 1;
        let t0 = Instant::now();
        let outcome = match plan.flow {
            Flow::Cart => one_order(&http, plan, &mine.token, patient, article, &key).await,
            Flow::Direct => one_direct_order(&http, plan, &mine.token, patient, article, &key).await,
        };
        let t1 = Instant::now();
        let measured = t1 >= start && t1 < end;
        match outcome {
            Ok(answers) if measured => {
                result.orders += 1;
                result.latencies.record(t1 - t0);
                result.replacement_answers += answers;
            }
            Ok(_) => {}
            Err(Failed(why)) => {
                if measured {
                    *result.errors.entry(why.clone()).or_default() += 1;
                }
                if why.starts_with("transport") {
                    // The server is gone or overloaded: do not spin.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            }
        }
    }
    result
}

/// Adds one cart item (answering a replacement proposal if asked) and
/// submits the order. Returns how many proposals were answered.
async fn one_order(
    http: &Client,
    plan: &Plan,
    token: &str,
    patient: &str,
    article: &str,
    key: &str,
) -> Result<u64, Failed> {
    let mut item = json!({
        "target": "patient",
        "personal_id": patient,
        "article_number": article,
        "need": "lasting",
    });
    let mut answers = 0;
    let (mut status, mut body) = post(http, &format!("{}/api/v1/cart/items", plan.base), token, &item, None).await?;
    if status == StatusCode::CONFLICT && code(&body) == "replacement_answer_required" {
        item["replacement"] = json!("accept");
        answers += 1;
        (status, body) = post(http, &format!("{}/api/v1/cart/items", plan.base), token, &item, None).await?;
    }
    if status != StatusCode::CREATED {
        return Err(Failed(format!("cart item: {} {}", status.as_u16(), code(&body))));
    }
    let order = json!({
        "target": "patient",
        "personal_id": patient,
        "goal": "Klara förflyttningar inomhus själv (ramp bench)",
        "evaluation_date": plan.evaluation_date,
    });
    let (status, body) = post(http, &format!("{}/api/v1/orders", plan.base), token, &order, Some(key)).await?;
    if status != StatusCode::CREATED {
        return Err(Failed(format!("order: {} {}", status.as_u16(), code(&body))));
    }
    Ok(answers)
}

/// Places one order with its line in one request (answering a
/// replacement proposal if asked). Returns how many proposals were answered.
async fn one_direct_order(
    http: &Client,
    plan: &Plan,
    token: &str,
    patient: &str,
    article: &str,
    key: &str,
) -> Result<u64, Failed> {
    let mut order = json!({
        "target": "patient",
        "personal_id": patient,
        "goal": "Klara förflyttningar inomhus själv (ramp bench)",
        "evaluation_date": plan.evaluation_date,
        "lines": [{ "article_number": article, "need": "lasting" }],
    });
    let url = format!("{}/api/v1/orders", plan.base);
    let mut answers = 0;
    let (mut status, mut body) = post(http, &url, token, &order, Some(key)).await?;
    if status == StatusCode::CONFLICT && code(&body) == "replacement_answer_required" {
        order["lines"][0]["replacement"] = json!("accept");
        answers += 1;
        (status, body) = post(http, &url, token, &order, Some(&format!("{key}-a"))).await?;
    }
    if status != StatusCode::CREATED {
        return Err(Failed(format!("order: {} {}", status.as_u16(), code(&body))));
    }
    Ok(answers)
}

async fn post(
    http: &Client,
    url: &str,
    token: &str,
    body: &Value,
    idempotency_key: Option<&str>,
) -> Result<(StatusCode, Value), Failed> {
    let mut req = http.post(url).bearer_auth(token).json(body);
    if let Some(key) = idempotency_key {
        req = req.header("Idempotency-Key", key);
    }
    let resp = req.send().await.map_err(|e| Failed(transport(&e)))?;
    let status = resp.status();
    let bytes = resp.bytes().await.map_err(|e| Failed(transport(&e)))?;
    // Only a refusal's body is looked at (its `code`); the load generator
    // shares the cores with the server, so it does not parse what it ignores.
    let body = if status.is_success() { Value::Null } else { serde_json::from_slice(&bytes).unwrap_or(Value::Null) };
    Ok((status, body))
}

fn transport(e: &reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timeout"
    } else if e.is_connect() {
        "connect"
    } else {
        "other"
    };
    format!("transport: {kind}")
}

/// The problem's stable `code`, or `-` for a body without one.
fn code(body: &Value) -> &str {
    body.get("code").and_then(Value::as_str).unwrap_or("-")
}
