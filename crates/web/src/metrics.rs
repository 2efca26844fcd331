//! Counters for `/metrics` in the Prometheus text format, kept with
//! atomics (no metrics crate needed for a handful of series).

use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};

/// Upper bounds (seconds) of the request-duration histogram.
const BUCKETS: [f64; 10] = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0];

#[derive(Debug, Default)]
pub struct Metrics {
    requests_2xx: AtomicU64,
    requests_3xx: AtomicU64,
    requests_4xx: AtomicU64,
    requests_5xx: AtomicU64,
    duration_buckets: [AtomicU64; BUCKETS.len()],
    duration_count: AtomicU64,
    duration_sum_micros: AtomicU64,
}

impl Metrics {
    pub fn observe(&self, status: u16, seconds: f64) {
        let counter = match status {
            200..=299 => &self.requests_2xx,
            300..=399 => &self.requests_3xx,
            400..=499 => &self.requests_4xx,
            _ => &self.requests_5xx,
        };
        counter.fetch_add(1, Ordering::Relaxed);
        for (i, bound) in BUCKETS.iter().enumerate() {
            if seconds <= *bound {
                self.duration_buckets[i].fetch_add(1, Ordering::Relaxed);
            }
        }
        self.duration_count.fetch_add(1, Ordering::Relaxed);
        self.duration_sum_micros.fetch_add((seconds * 1e6) as u64, Ordering::Relaxed);
    }

    /// The Prometheus text exposition.
    pub fn render(&self, uptime_seconds: f64, resident_bytes: Option<u64>) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "# HELP ramp_http_requests_total HTTP requests by status class.");
        let _ = writeln!(out, "# TYPE ramp_http_requests_total counter");
        for (class, c) in [
            ("2xx", &self.requests_2xx),
            ("3xx", &self.requests_3xx),
            ("4xx", &self.requests_4xx),
            ("5xx", &self.requests_5xx),
        ] {
            let _ = writeln!(out, "ramp_http_requests_total{{status=\"{class}\"}} {}", c.load(Ordering::Relaxed));
        }
        let _ = writeln!(out, "# HELP ramp_http_request_duration_seconds Time to answer a request.");
        let _ = writeln!(out, "# TYPE ramp_http_request_duration_seconds histogram");
        for (i, bound) in BUCKETS.iter().enumerate() {
            let n = self.duration_buckets[i].load(Ordering::Relaxed);
            let _ = writeln!(out, "ramp_http_request_duration_seconds_bucket{{le=\"{bound}\"}} {n}");
        }
        let count = self.duration_count.load(Ordering::Relaxed);
        let _ = writeln!(out, "ramp_http_request_duration_seconds_bucket{{le=\"+Inf\"}} {count}");
        let sum = self.duration_sum_micros.load(Ordering::Relaxed) as f64 / 1e6;
        let _ = writeln!(out, "ramp_http_request_duration_seconds_sum {sum}");
        let _ = writeln!(out, "ramp_http_request_duration_seconds_count {count}");
        let _ = writeln!(out, "# HELP ramp_uptime_seconds Seconds since the server started.");
        let _ = writeln!(out, "# TYPE ramp_uptime_seconds gauge");
        let _ = writeln!(out, "ramp_uptime_seconds {uptime_seconds:.1}");
        if let Some(rss) = resident_bytes {
            let _ = writeln!(out, "# HELP ramp_resident_memory_bytes Resident memory of the server process.");
            let _ = writeln!(out, "# TYPE ramp_resident_memory_bytes gauge");
            let _ = writeln!(out, "ramp_resident_memory_bytes {rss}");
        }
        out
    }
}

/// Resident memory from `/proc/self/statm` (Linux), if available.
pub fn resident_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_counted_by_class_and_bucket() {
        let m = Metrics::default();
        m.observe(200, 0.002);
        m.observe(422, 0.3);
        let text = m.render(1.0, Some(1024));
        assert!(text.contains("ramp_http_requests_total{status=\"2xx\"} 1"));
        assert!(text.contains("ramp_http_requests_total{status=\"4xx\"} 1"));
        assert!(text.contains("ramp_http_request_duration_seconds_bucket{le=\"0.005\"} 1"));
        assert!(text.contains("ramp_http_request_duration_seconds_count 2"));
        assert!(text.contains("ramp_resident_memory_bytes 1024"));
    }
}
