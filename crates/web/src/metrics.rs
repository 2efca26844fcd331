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

/// The digital devices' ingest (issue 21): reports stored, duplicate and
/// rejected per channel, the lag from a measurement's time to its storing,
/// the open alarms (from the database) and the broker's connection.
pub fn render_digital(out: &mut String, stats: &ramp_app::digital::DigitalStats, open_alarms: Option<i64>) {
    use ramp_app::digital::LAG_BUCKETS;
    let channels = [("http", &stats.http), ("mqtt", &stats.mqtt)];
    for (name, help, get) in [
        ("ramp_digital_measurements_stored_total", "Measurements stored, by channel.", 0),
        ("ramp_digital_measurements_duplicate_total", "Reports whose id was stored before (accepted, stored once).", 1),
        (
            "ramp_digital_messages_rejected_total",
            "Reports refused (bad payload, unknown, revoked or unlent device).",
            2,
        ),
    ] {
        let _ = writeln!(out, "# HELP {name} {help}");
        let _ = writeln!(out, "# TYPE {name} counter");
        for (channel, c) in channels {
            let v = [&c.stored, &c.duplicates, &c.rejected][get].load(Ordering::Relaxed);
            let _ = writeln!(out, "{name}{{channel=\"{channel}\"}} {v}");
        }
    }
    let name = "ramp_digital_ingest_lag_seconds";
    let _ = writeln!(out, "# HELP {name} From a measurement's time (`at`) to its storing.");
    let _ = writeln!(out, "# TYPE {name} histogram");
    for (channel, c) in channels {
        for (i, bound) in LAG_BUCKETS.iter().enumerate() {
            let n = c.lag_buckets[i].load(Ordering::Relaxed);
            let _ = writeln!(out, "{name}_bucket{{channel=\"{channel}\",le=\"{bound}\"}} {n}");
        }
        let count = c.lag_count.load(Ordering::Relaxed);
        let _ = writeln!(out, "{name}_bucket{{channel=\"{channel}\",le=\"+Inf\"}} {count}");
        let sum = c.lag_sum_millis.load(Ordering::Relaxed) as f64 / 1000.0;
        let _ = writeln!(out, "{name}_sum{{channel=\"{channel}\"}} {sum}");
        let _ = writeln!(out, "{name}_count{{channel=\"{channel}\"}} {count}");
    }
    let name = "ramp_digital_ingest_lag_max_seconds";
    let _ = writeln!(out, "# HELP {name} The longest lag seen since the start.");
    let _ = writeln!(out, "# TYPE {name} gauge");
    for (channel, c) in channels {
        let max = c.lag_max_millis.load(Ordering::Relaxed) as f64 / 1000.0;
        let _ = writeln!(out, "{name}{{channel=\"{channel}\"}} {max}");
    }
    if let Some(n) = open_alarms {
        let _ = writeln!(out, "# HELP ramp_digital_alarms_open Alarms not closed (open or acknowledged), all units.");
        let _ = writeln!(out, "# TYPE ramp_digital_alarms_open gauge");
        let _ = writeln!(out, "ramp_digital_alarms_open {n}");
    }
    if let Some(connected) = stats.mqtt_ready() {
        let _ = writeln!(out, "# HELP ramp_mqtt_broker_connected 1 when subscribed to the MQTT broker.");
        let _ = writeln!(out, "# TYPE ramp_mqtt_broker_connected gauge");
        let _ = writeln!(out, "ramp_mqtt_broker_connected {}", u8::from(connected));
        let _ = writeln!(out, "# HELP ramp_mqtt_connects_total Times Ramp connected and subscribed to the broker.");
        let _ = writeln!(out, "# TYPE ramp_mqtt_connects_total counter");
        let _ = writeln!(out, "ramp_mqtt_connects_total {}", stats.mqtt_connects.load(Ordering::Relaxed));
    }
}

/// Resident memory from `/proc/self/statm` (Linux), if available.
pub fn resident_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

/// The read replica of the follow-up reports, when one is configured:
/// whether it answers, whether the reports read from it, and its lag.
pub fn render_replica(out: &mut String, status: Option<&ramp_app::model::ReplicaStatus>) {
    let Some(s) = status else { return };
    let gauges = [
        (
            "ramp_read_replica_reachable",
            "The read replica answered its last check (1) or not (0).",
            s.reachable as u8 as f64,
        ),
        (
            "ramp_read_replica_serving",
            "The follow-up reports read from the replica (1) or the primary (0).",
            s.serving as u8 as f64,
        ),
        ("ramp_read_replica_max_lag_seconds", "The most lag the reports accept from the replica.", s.max_lag_seconds),
    ];
    for (name, help, v) in gauges {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {v}");
    }
    if let Some(lag) = s.lag_seconds {
        let name = "ramp_read_replica_lag_seconds";
        let _ = writeln!(
            out,
            "# HELP {name} How far the replica is behind the primary.\n# TYPE {name} gauge\n{name} {lag}"
        );
    }
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

    #[test]
    fn the_digital_ingest_is_rendered_per_channel() {
        let stats = ramp_app::digital::DigitalStats::default();
        stats.mqtt.stored.fetch_add(3, Ordering::Relaxed);
        let mut text = String::new();
        render_digital(&mut text, &stats, Some(2));
        assert!(text.contains("ramp_digital_measurements_stored_total{channel=\"mqtt\"} 3"), "{text}");
        assert!(text.contains("ramp_digital_messages_rejected_total{channel=\"http\"} 0"));
        assert!(text.contains("ramp_digital_alarms_open 2"));
        assert!(!text.contains("ramp_mqtt_broker_connected"), "MQTT off: no broker gauge");
        stats.mqtt_enabled.store(true, Ordering::Relaxed);
        let mut text = String::new();
        render_digital(&mut text, &stats, None);
        assert!(text.contains("ramp_mqtt_broker_connected 0"));
    }
}
