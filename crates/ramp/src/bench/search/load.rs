//! The load: N concurrent clients walking the query mix for a warm-up and
//! then the measured window, at one of three levels:
//!
//! - **HTTP**: `GET /api/v1/articles?…` (or `/facets`) on the in-process
//!   server with a bearer token: what a prescriber's browser or system gets;
//! - **use case**: `catalog::find` called directly (the index, then the page
//!   of hits read from the database with its stock counts), no HTTP, no
//!   authentication;
//! - **index**: `catalog::rank` (tantivy's ranking, total and facet counts
//!   alone): the ceiling.
//!
//! In process the clients are tokio tasks that yield after each search, so
//! 64 of them take turns on the runtime's threads as 64 connections would.
//! Each client alternates a common search and one from the long tail, each
//! list walked from the client's own starting point.

use super::super::stats::Latencies;
use super::queries::{Mix, Probe};
use ramp_app::model::User;
use ramp_app::App;
use reqwest::Client;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Where the clients send their queries.
pub enum Target {
    /// `base` is `http://127.0.0.1:PORT`; client `i` uses `tokens[i % len]`.
    Http {
        base: String,
        tokens: Vec<String>,
    },
    UseCase {
        app: App,
        user: Box<User>,
    },
    Index {
        app: App,
    },
}

/// What one level's measured window saw.
#[derive(Debug, Default, Clone)]
pub struct Level {
    pub requests: u64,
    pub window: Duration,
    pub latencies: Latencies,
    /// Latencies per kind of query.
    pub by_kind: BTreeMap<&'static str, Latencies>,
    /// Failed requests by `endpoint status` (or transport error).
    pub errors: BTreeMap<String, u64>,
    /// Searches the index answered from its recent results, and searches it ran, during the level (warm-up included).
    pub cache: ramp_app::catalog::CacheStats,
}

impl Level {
    pub fn per_second(&self) -> f64 {
        self.requests as f64 / self.window.as_secs_f64()
    }

    fn merge(&mut self, other: Level) {
        self.requests += other.requests;
        self.latencies.merge(other.latencies);
        for (k, v) in other.by_kind {
            self.by_kind.entry(k).or_default().merge(v);
        }
        super::super::stats::add_counts(&mut self.errors, other.errors);
    }
}

/// Runs `clients` clients for `warmup` and then `duration`; counts what
/// completed inside the measured window.
pub async fn run(
    target: Target,
    app: &App,
    clients: usize,
    mix: Arc<Mix>,
    warmup: Duration,
    duration: Duration,
) -> Level {
    let before = app.search_cache_stats();
    let target = Arc::new(target);
    let start = Instant::now() + warmup;
    let end = start + duration;
    let tasks: Vec<_> = (0..clients)
        .map(|me| {
            let (target, mix) = (target.clone(), mix.clone());
            tokio::spawn(async move { client_loop(&target, me, clients, &mix, start, end).await })
        })
        .collect();
    let mut total = Level { window: duration, ..Level::default() };
    for t in tasks {
        match t.await {
            Ok(r) => total.merge(r),
            Err(e) => *total.errors.entry(format!("client task: {e}")).or_default() += 1,
        }
    }
    let after = app.search_cache_stats();
    total.cache.hits = after.hits - before.hits;
    total.cache.misses = after.misses - before.misses;
    total
}

/// Request `seq` of client `me`: even ones from the common searches, odd
/// ones from the long tail, each list walked from the client's own place.
fn pick(mix: &Mix, me: usize, clients: usize, seq: usize) -> &Probe {
    let list = if seq.is_multiple_of(2) || mix.tail.is_empty() { &mix.common } else { &mix.tail };
    &list[(me * list.len() / clients + seq / 2) % list.len()]
}

async fn client_loop(target: &Target, me: usize, clients: usize, mix: &Mix, start: Instant, end: Instant) -> Level {
    // Only the HTTP level needs a client (building one reads the system's certificates).
    let http = matches!(target, Target::Http { .. }).then(|| {
        Client::builder()
            .timeout(Duration::from_secs(60))
            .pool_max_idle_per_host(1)
            .build()
            .expect("an HTTP client without TLS builds")
    });
    let mut level = Level::default();
    let mut seq = 0;
    while Instant::now() < end {
        let p = pick(mix, me, clients, seq);
        seq += 1;
        let t0 = Instant::now();
        let outcome = one(target, me, http.as_ref(), p).await;
        let t1 = Instant::now();
        if t1 >= start && t1 < end {
            match outcome {
                Ok(()) => {
                    level.requests += 1;
                    level.latencies.record(t1 - t0);
                    level.by_kind.entry(p.kind).or_default().record(t1 - t0);
                }
                Err(why) => *level.errors.entry(why).or_default() += 1,
            }
        }
        // In process nothing else awaits: let the other clients take their turn.
        tokio::task::yield_now().await;
    }
    level
}

fn endpoint(p: &Probe) -> &'static str {
    if p.facets {
        "facets"
    } else {
        "articles"
    }
}

async fn one(target: &Target, me: usize, http: Option<&Client>, p: &Probe) -> Result<(), String> {
    match target {
        Target::Http { base, tokens } => {
            let http = http.expect("the HTTP level has a client");
            let token = &tokens[me % tokens.len()];
            let resp = http.get(format!("{base}{}", p.path)).bearer_auth(token).send().await.map_err(transport)?;
            let status = resp.status();
            // Read the whole body (the client's share of the work), parse nothing.
            resp.bytes().await.map_err(transport)?;
            if status.is_success() {
                Ok(())
            } else {
                Err(format!("{} {}", endpoint(p), status.as_u16()))
            }
        }
        Target::UseCase { app, user } => ramp_app::catalog::find(app, user, &p.input)
            .await
            .map(drop)
            .map_err(|e| format!("{} {}", endpoint(p), e.code)),
        Target::Index { app } => {
            ramp_app::catalog::rank(app, &p.input).await.map(drop).map_err(|e| format!("{} {}", endpoint(p), e.code))
        }
    }
}

fn transport(e: reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timeout"
    } else if e.is_connect() {
        "connect"
    } else {
        "other"
    };
    format!("transport: {kind}")
}
