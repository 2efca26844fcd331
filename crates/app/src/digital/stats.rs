//! Counters of the ingest, for `/metrics` (issue 21, operations): reports
//! stored and rejected per channel, the lag from a measurement's `at` to
//! its storing, and the broker connection when MQTT is on. Kept with
//! atomics in the app, shared by every clone.

use ramp_model::Channel;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// Upper bounds (seconds) of the ingest-lag histogram.
pub const LAG_BUCKETS: [f64; 10] = [0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 30.0, 300.0, 3600.0];

#[derive(Debug, Default)]
pub struct ChannelStats {
    /// Reports stored (new ids only).
    pub stored: AtomicU64,
    /// Reports whose id was stored before (accepted, nothing stored).
    pub duplicates: AtomicU64,
    /// Reports refused (bad payload, unknown or revoked device, not lent).
    pub rejected: AtomicU64,
    pub lag_buckets: [AtomicU64; LAG_BUCKETS.len()],
    pub lag_count: AtomicU64,
    pub lag_sum_millis: AtomicU64,
    pub lag_max_millis: AtomicU64,
}

#[derive(Debug, Default)]
pub struct DigitalStats {
    pub http: ChannelStats,
    pub mqtt: ChannelStats,
    /// Whether `ramp serve` was started with a broker to subscribe to.
    pub mqtt_enabled: AtomicBool,
    /// Whether the subscriber is connected and subscribed now.
    pub mqtt_connected: AtomicBool,
    /// Times the subscriber (re)connected.
    pub mqtt_connects: AtomicU64,
}

impl DigitalStats {
    pub fn channel(&self, channel: Channel) -> &ChannelStats {
        match channel {
            Channel::Http => &self.http,
            Channel::Mqtt => &self.mqtt,
        }
    }

    pub(crate) fn stored(&self, channel: Channel, lag_seconds: f64) {
        let c = self.channel(channel);
        c.stored.fetch_add(1, Ordering::Relaxed);
        let lag = lag_seconds.max(0.0);
        for (i, bound) in LAG_BUCKETS.iter().enumerate() {
            if lag <= *bound {
                c.lag_buckets[i].fetch_add(1, Ordering::Relaxed);
            }
        }
        let millis = (lag * 1000.0) as u64;
        c.lag_count.fetch_add(1, Ordering::Relaxed);
        c.lag_sum_millis.fetch_add(millis, Ordering::Relaxed);
        c.lag_max_millis.fetch_max(millis, Ordering::Relaxed);
    }

    pub(crate) fn duplicate(&self, channel: Channel) {
        self.channel(channel).duplicates.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn rejected(&self, channel: Channel) {
        self.channel(channel).rejected.fetch_add(1, Ordering::Relaxed);
    }

    /// `None` when MQTT is off; else whether the broker is connected.
    pub fn mqtt_ready(&self) -> Option<bool> {
        self.mqtt_enabled.load(Ordering::Relaxed).then(|| self.mqtt_connected.load(Ordering::Relaxed))
    }
}
