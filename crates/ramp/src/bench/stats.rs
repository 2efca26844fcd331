//! Latency figures: every measured latency is kept (a run is tens of
//! thousands of orders, a few hundred KiB), so percentiles are exact.

use std::time::Duration;

/// Latencies of one run, sorted on demand.
#[derive(Debug, Default, Clone)]
pub struct Latencies {
    micros: Vec<u64>,
}

impl Latencies {
    pub fn record(&mut self, d: Duration) {
        self.micros.push(u64::try_from(d.as_micros()).unwrap_or(u64::MAX));
    }

    pub fn merge(&mut self, other: Latencies) {
        self.micros.extend(other.micros);
    }

    /// How many latencies were recorded.
    pub fn count(&self) -> usize {
        self.micros.len()
    }

    /// p50, p95, p99 and the maximum (nearest-rank), or `None` when nothing was measured.
    pub fn summary(&self) -> Option<Summary> {
        let mut v = self.micros.clone();
        if v.is_empty() {
            return None;
        }
        v.sort_unstable();
        let at = |p: f64| Duration::from_micros(v[nearest_rank(v.len(), p)]);
        Some(Summary { p50: at(50.0), p95: at(95.0), p99: at(99.0), max: at(100.0) })
    }
}

/// The zero-based index of the `p`th percentile of `n` sorted values
/// (nearest-rank: the smallest value with at least p % at or below it).
pub fn nearest_rank(n: usize, p: f64) -> usize {
    let rank = ((p / 100.0) * n as f64).ceil() as usize;
    rank.clamp(1, n) - 1
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub p50: Duration,
    pub p95: Duration,
    pub p99: Duration,
    pub max: Duration,
}

/// Milliseconds with one decimal, for the report.
/// Adds `from`'s counts into `into` (failed requests by kind, per client).
pub fn add_counts(into: &mut std::collections::BTreeMap<String, u64>, from: std::collections::BTreeMap<String, u64>) {
    for (k, v) in from {
        *into.entry(k).or_default() += v;
    }
}

pub fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_picks_the_smallest_value_covering_the_percentile() {
        assert_eq!(nearest_rank(100, 50.0), 49);
        assert_eq!(nearest_rank(100, 99.0), 98);
        assert_eq!(nearest_rank(100, 100.0), 99);
        assert_eq!(nearest_rank(1, 99.0), 0);
        assert_eq!(nearest_rank(3, 50.0), 1);
    }

    #[test]
    fn summary_of_one_to_a_hundred_milliseconds() {
        let mut l = Latencies::default();
        for i in (1..=100).rev() {
            l.record(Duration::from_millis(i));
        }
        let s = l.summary().expect("measured");
        assert_eq!(s.p50, Duration::from_millis(50));
        assert_eq!(s.p95, Duration::from_millis(95));
        assert_eq!(s.p99, Duration::from_millis(99));
        assert_eq!(s.max, Duration::from_millis(100));
    }

    #[test]
    fn nothing_measured_has_no_summary() {
        assert!(Latencies::default().summary().is_none());
    }
}
