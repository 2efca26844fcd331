//! The printed result of `ramp bench orders`: a readable block, or one JSON object.

use super::ceiling::Ceiling;
use super::driver::LoadResult;
use super::stats::{ms, Summary};
use super::OrdersArgs;
use ramp_storage::Id;
use serde_json::{json, Value};
use std::fmt::Write;

/// What the set-up found and did.
#[derive(Debug, Clone)]
pub struct Setup {
    pub engine: &'static str,
    pub database: String,
    /// The server's PostgreSQL pool (`database_max_connections`); SQLite has its own.
    pub max_connections: Option<u32>,
    pub demo_loaded: bool,
    pub bench_users: usize,
    pub patients: usize,
    /// (patient, article) pairs the clients order, round robin.
    pub pairs: usize,
    /// Pairs left out at set-up, by the reason the use-case gave.
    pub refused: std::collections::BTreeMap<String, u64>,
    pub articles: Vec<String>,
    pub warehouse: Id,
    pub stock_added: u64,
    pub stock_per_article: u32,
    /// The order's tables were vacuumed after the top-up (PostgreSQL).
    pub vacuumed: bool,
}

pub struct Report<'a> {
    pub args: &'a OrdersArgs,
    pub setup: Setup,
    pub load: &'a LoadResult,
    pub ceiling: Option<&'a Ceiling>,
}

impl Report<'_> {
    fn ratio(&self) -> Option<f64> {
        self.ceiling.filter(|c| c.per_second > 0.0).map(|c| self.load.per_second() / c.per_second)
    }

    pub fn text(&self) -> String {
        let (a, s, l) = (self.args, &self.setup, self.load);
        let mut out = String::new();
        let _ = writeln!(
            out,
            "ramp bench orders: {} ({}), {} clients, {} s measured after {} s warm-up",
            s.engine, s.database, a.clients, a.duration, a.warmup
        );
        let _ = writeln!(
            out,
            "  set-up:   {}{} bench prescribers at the unit of '{}'; {} (patient, article) pairs over {} patients \
             and {} articles ({}); stock topped up to {} each in warehouse {} ({} devices added)",
            if s.demo_loaded { "small demo loaded; " } else { "" },
            s.bench_users,
            a.prescriber,
            s.pairs,
            s.patients,
            s.articles.len(),
            s.articles.join(" "),
            s.stock_per_article,
            s.warehouse,
            s.stock_added
        );
        if let Some(n) = s.max_connections {
            let _ =
                writeln!(out, "            the server's PostgreSQL pool: {n} connections (database_max_connections)");
        }
        if s.vacuumed {
            let _ = writeln!(
                out,
                "            the order's tables vacuumed and analysed after the top-up, as pgbench -i does"
            );
        }
        if !s.refused.is_empty() {
            let why: Vec<String> = s.refused.iter().map(|(k, n)| format!("{k} ×{n}")).collect();
            let _ = writeln!(out, "            pairs left out at set-up: {}", why.join(", "));
        }
        let _ = writeln!(
            out,
            "  orders:   {} in {:.1} s = {:.1} orders/s (flow {}: an order = {})",
            l.orders,
            l.window.as_secs_f64(),
            l.per_second(),
            a.flow.as_str(),
            a.flow.requests()
        );
        if let Some(sum) = l.latencies.summary() {
            let _ = writeln!(out, "  latency:  {}", latency(&sum));
        }
        if l.replacement_answers > 0 {
            let _ = writeln!(out, "  replacement proposals answered: {}", l.replacement_answers);
        }
        if l.errors.is_empty() {
            let _ = writeln!(out, "  errors:   none");
        } else {
            let _ = writeln!(out, "  errors:   {} failed orders", l.errors.values().sum::<u64>());
            for (why, n) in &l.errors {
                let _ = writeln!(out, "            {n:>8}  {why}");
            }
        }
        match self.ceiling {
            Some(c) => {
                let _ = writeln!(out, "  ceiling:  {:.1} transactions/s: {}", c.per_second, c.what);
                if let Some(sum) = c.latency {
                    let _ = writeln!(out, "            latency {}", latency(&sum));
                }
                let _ =
                    writeln!(out, "  ratio:    {:.3} (orders/s ÷ ceiling transactions/s)", self.ratio().unwrap_or(0.0));
            }
            None => {
                let _ = writeln!(out, "  ceiling:  not measured (--no-ceiling)");
            }
        }
        out
    }

    pub fn json(&self) -> Value {
        let (a, s, l) = (self.args, &self.setup, self.load);
        let lat = |sum: Option<Summary>| {
            sum.map(|x| {
                json!({
                    "p50_ms": x.p50.as_secs_f64() * 1000.0,
                    "p99_ms": x.p99.as_secs_f64() * 1000.0,
                    "max_ms": x.max.as_secs_f64() * 1000.0,
                })
            })
        };
        json!({
            "engine": s.engine,
            "clients": a.clients,
            "duration_s": a.duration,
            "warmup_s": a.warmup,
            "flow": a.flow.as_str(),
            "setup": {
                "demo_loaded": s.demo_loaded,
                "database_max_connections": s.max_connections,
                "bench_users": s.bench_users,
                "patients": s.patients,
                "pairs": s.pairs,
                "refused_at_setup": s.refused,
                "articles": s.articles,
                "warehouse_id": s.warehouse,
                "stock_per_article": s.stock_per_article,
                "stock_added": s.stock_added,
                "vacuumed": s.vacuumed,
            },
            "orders": l.orders,
            "orders_per_second": l.per_second(),
            "latency": lat(l.latencies.summary()),
            "replacement_answers": l.replacement_answers,
            "errors": l.errors,
            "ceiling": self.ceiling.map(|c| json!({
                "what": c.what,
                "transactions_per_second": c.per_second,
                "transactions": c.transactions,
                "latency": lat(c.latency),
            })),
            "ratio": self.ratio(),
        })
    }
}

fn latency(s: &Summary) -> String {
    format!("p50 {}, p99 {}, max {}", ms(s.p50), ms(s.p99), ms(s.max))
}
