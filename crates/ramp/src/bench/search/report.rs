//! The printed result of `ramp bench search`: a readable block, or one JSON object.

use super::super::stats::{ms, Latencies, Summary};
use super::fill::Filled;
use super::load::Level;
use super::{Rss, SearchArgs, TARGET_P95};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::time::Duration;

pub struct Report<'a> {
    pub args: &'a SearchArgs,
    pub engine: &'static str,
    pub database: String,
    pub demo_loaded: bool,
    pub filled: Filled,
    pub indexed: u64,
    pub segments: usize,
    pub build: Duration,
    /// (common searches, long tail).
    pub queries: (usize, usize),
    pub http: &'a Level,
    pub use_case: &'a Level,
    pub index: &'a Level,
    /// Before the build, after it, after the HTTP load.
    pub rss: [Option<Rss>; 3],
}

fn lat_json(l: &Latencies) -> Value {
    l.summary().map_or(Value::Null, |x| {
        let f = |d: Duration| d.as_secs_f64() * 1000.0;
        json!({ "p50_ms": f(x.p50), "p95_ms": f(x.p95), "p99_ms": f(x.p99), "max_ms": f(x.max) })
    })
}

fn level_json(l: &Level) -> Value {
    let kinds: BTreeMap<&str, Value> =
        l.by_kind.iter().map(|(k, v)| (*k, json!({ "requests": v.count(), "latency": lat_json(v) }))).collect();
    json!({
        "requests": l.requests,
        "per_second": l.per_second(),
        "latency": lat_json(&l.latencies),
        "errors": l.errors,
        "by_kind": kinds,
        "cache": { "hits": l.cache.hits, "misses": l.cache.misses },
    })
}

fn rss_json(r: &Option<Rss>) -> Value {
    r.map_or(Value::Null, |r| json!({ "rss_kib": r.now_kib, "peak_kib": r.peak_kib }))
}

fn latency(s: &Summary) -> String {
    format!("p50 {}, p95 {}, p99 {}, max {}", ms(s.p50), ms(s.p95), ms(s.p99), ms(s.max))
}

fn mib(kib: u64) -> String {
    format!("{:.0} MiB", kib as f64 / 1024.0)
}

impl Report<'_> {
    /// HTTP requests per second ÷ the index's searches per second.
    pub fn ratio(&self) -> Option<f64> {
        (self.index.per_second() > 0.0).then(|| self.http.per_second() / self.index.per_second())
    }

    /// Whether the HTTP p95 is under the target.
    pub fn target_met(&self) -> Option<bool> {
        self.http.latencies.summary().map(|s| s.p95 < TARGET_P95)
    }

    pub fn json(&self) -> Value {
        let a = self.args;
        json!({
            "engine": self.engine,
            "clients": a.clients,
            "duration_s": a.duration,
            "warmup_s": a.warmup,
            "setup": {
                "demo_loaded": self.demo_loaded,
                "articles_before": self.filled.before,
                "articles_added": self.filled.added,
                "top_up_s": self.filled.elapsed.as_secs_f64(),
                "queries_common": self.queries.0,
                "queries_tail": self.queries.1,
            },
            "index": { "articles": self.indexed, "segments": self.segments, "build_s": self.build.as_secs_f64() },
            "http": level_json(self.http),
            "use_case": level_json(self.use_case),
            "ceiling": level_json(self.index),
            "ratio": self.ratio(),
            "rss": {
                "before_build": rss_json(&self.rss[0]),
                "after_build": rss_json(&self.rss[1]),
                "after_load": rss_json(&self.rss[2]),
            },
            "target": { "p95_ms": TARGET_P95.as_secs_f64() * 1000.0, "met": self.target_met() },
        })
    }

    pub fn text(&self) -> String {
        let (a, f) = (self.args, &self.filled);
        let mut out = String::new();
        let _ = writeln!(
            out,
            "ramp bench search: {} ({}), {} clients, {} s measured after {} s warm-up, per level",
            self.engine, self.database, a.clients, a.duration, a.warmup
        );
        let _ = writeln!(
            out,
            "  catalog:  {}{} articles{}",
            if self.demo_loaded { "small demo loaded; " } else { "" },
            f.before + f.added,
            if f.added > 0 {
                format!(" ({} generated and added in {:.1} s)", f.added, f.elapsed.as_secs_f64())
            } else {
                String::new()
            }
        );
        let _ = writeln!(
            out,
            "  index:    {} articles built in {:.2} s ({} segment{})",
            self.indexed,
            self.build.as_secs_f64(),
            self.segments,
            if self.segments == 1 { "" } else { "s" }
        );
        let _ = writeln!(
            out,
            "  queries:  {} common (words, prefixes, misspellings, codes, filters, facets), alternating with {} in the long tail",
            self.queries.0, self.queries.1
        );
        for (name, l) in [("HTTP", self.http), ("use case", self.use_case), ("index", self.index)] {
            let _ = writeln!(
                out,
                "  {name:<9} {} requests = {:.1}/s; {}",
                l.requests,
                l.per_second(),
                l.latencies.summary().map_or("nothing measured".into(), |s| latency(&s))
            );
            let searched = l.cache.hits + l.cache.misses;
            if searched > 0 {
                let share = 100.0 * l.cache.hits as f64 / searched as f64;
                let _ =
                    writeln!(out, "            {share:.0} % of the index's searches answered from its recent results");
            }
            if !l.errors.is_empty() {
                let why: Vec<String> = l.errors.iter().map(|(k, n)| format!("{k} ×{n}")).collect();
                let _ = writeln!(out, "            errors: {}", why.join(", "));
            }
        }
        for (name, level) in [("HTTP", self.http), ("use case", self.use_case), ("index", self.index)] {
            let _ = writeln!(out, "  {name} by kind of query:");
            for (kind, l) in &level.by_kind {
                if let Some(s) = l.summary() {
                    let _ = writeln!(out, "    {kind:<15} {:>7}  {}", l.count(), latency(&s));
                }
            }
        }
        let _ = writeln!(out, "  ratio:    {:.3} (HTTP requests/s ÷ index searches/s)", self.ratio().unwrap_or(0.0));
        let rss: Vec<String> = ["before the build", "after the build", "after the HTTP load"]
            .iter()
            .zip(&self.rss)
            .filter_map(|(when, r)| r.map(|r| format!("{} {when}", mib(r.now_kib))))
            .collect();
        let peak = self.rss.iter().flatten().map(|r| r.peak_kib).max();
        let _ = writeln!(out, "  RSS:      {}; peak {}", rss.join(", "), peak.map_or("unknown".into(), mib));
        let _ = writeln!(
            out,
            "  target:   HTTP p95 < {}: {}",
            ms(TARGET_P95),
            match self.target_met() {
                Some(true) => "met",
                Some(false) => "NOT met",
                None => "not measured",
            }
        );
        out
    }
}
