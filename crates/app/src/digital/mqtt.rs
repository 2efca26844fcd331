//! Ramp's subscriber to the MQTT broker (issue 21): devices publish the
//! same JSON as over HTTP to `ramp/v1/devices/{device_number}/measurements`;
//! the broker authenticated the device (username = device number) and its
//! ACL lets it publish to its own topic only, so the topic's device number
//! is the identity.
//!
//! Nothing is lost: the subscription is QoS 1 in a persistent session
//! (`clean_session = false`, a fixed client id), and a PUBLISH is
//! acknowledged only after its measurement is committed or definitively
//! rejected. A report the database could not take now (the database is
//! down) is retried here and not acknowledged meanwhile; if Ramp stops
//! first, the broker delivers it again on the next connection. Storing
//! is idempotent by the device's id, so a redelivery is stored once.
//! A bad report is logged with its reason (device number and field, never
//! the patient) and acknowledged, and the stream goes on.

use super::ingest_mqtt_batch;
use crate::App;
use rumqttc::{AsyncClient, Event, EventLoop, MqttOptions, Packet, Publish, QoS};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

/// The topic filter Ramp subscribes to.
pub const TOPIC_FILTER: &str = "ramp/v1/devices/+/measurements";
/// The client id of Ramp's persistent session, unless the URL names another.
pub const DEFAULT_CLIENT_ID: &str = "ramp-ingest";
/// Reports stored in one transaction at most: a worker takes what has
/// arrived, stores it with one commit, then acknowledges each (the broker's
/// `max_inflight_messages` bounds how many it sends before acknowledgements).
const MAX_BATCH: usize = 1000;
/// Batches stored at once.
const WORKERS: usize = 4;

/// The topic a device publishes its measurements to.
pub fn device_topic(device_number: &str) -> String {
    format!("ramp/v1/devices/{device_number}/measurements")
}

/// The device number of a measurement topic.
pub fn device_of_topic(topic: &str) -> Option<&str> {
    let rest = topic.strip_prefix("ramp/v1/devices/")?;
    let number = rest.strip_suffix("/measurements")?;
    (!number.is_empty() && !number.contains('/')).then_some(number)
}

/// Where the broker is and who Ramp is there: `mqtt://USER:PASS@HOST:PORT`
/// (`?client_id=NAME` optional; user and password percent-encoded).
#[derive(Clone, PartialEq, Eq)]
pub struct MqttSettings {
    pub host: String,
    pub port: u16,
    pub username: Option<String>,
    pub password: Option<String>,
    pub client_id: String,
}

impl std::fmt::Debug for MqttSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MqttSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("username", &self.username)
            .field("client_id", &self.client_id)
            .finish_non_exhaustive()
    }
}

fn percent_decode(s: &str) -> Result<String, String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3).ok_or("a % must be followed by two hex digits")?;
            out.push(u8::from_str_radix(hex, 16).map_err(|_| "a % must be followed by two hex digits")?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| "not UTF-8 after percent-decoding".into())
}

impl MqttSettings {
    pub fn parse(url: &str) -> Result<Self, String> {
        let rest = url.strip_prefix("mqtt://").ok_or("the MQTT URL must start with mqtt://")?;
        let (rest, query) = rest.split_once('?').unwrap_or((rest, ""));
        let rest = rest.trim_end_matches('/');
        let (auth, hostport) = match rest.rsplit_once('@') {
            Some((a, h)) => (Some(a), h),
            None => (None, rest),
        };
        let (username, password) = match auth {
            None => (None, None),
            Some(a) => match a.split_once(':') {
                Some((u, p)) => (Some(percent_decode(u)?), Some(percent_decode(p)?)),
                None => (Some(percent_decode(a)?), None),
            },
        };
        let (host, port) = match hostport.rsplit_once(':') {
            Some((h, p)) => (h, p.parse::<u16>().map_err(|_| format!("'{p}' is not a port"))?),
            None => (hostport, 1883),
        };
        if host.is_empty() {
            return Err("the MQTT URL names no host".into());
        }
        let mut client_id = DEFAULT_CLIENT_ID.to_string();
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            match pair.split_once('=') {
                Some(("client_id", v)) if !v.is_empty() => client_id = percent_decode(v)?,
                _ => return Err(format!("unknown MQTT URL parameter '{pair}' (only client_id)")),
            }
        }
        let host = host.trim_start_matches('[').trim_end_matches(']').to_string();
        Ok(Self { host, port, username, password, client_id })
    }

    fn options(&self) -> MqttOptions {
        let mut o = MqttOptions::new(self.client_id.clone(), self.host.clone(), self.port);
        o.set_keep_alive(Duration::from_secs(15));
        o.set_clean_session(false);
        o.set_manual_acks(true);
        o.set_max_packet_size(64 * 1024, 64 * 1024);
        if let Some(user) = &self.username {
            o.set_credentials(user.clone(), self.password.clone().unwrap_or_default());
        }
        o
    }
}

/// Starts the subscriber; it runs until the process ends, reconnecting
/// with backoff. `/readyz` follows its connection from now on.
pub fn spawn_subscriber(app: App, settings: MqttSettings) -> tokio::task::JoinHandle<()> {
    app.digital_stats.mqtt_enabled.store(true, Ordering::Relaxed);
    let (client, eventloop) = AsyncClient::new(settings.options(), 4096);
    tracing::info!(host = %settings.host, port = settings.port, client_id = %settings.client_id, "MQTT ingest on");
    tokio::spawn(run(app, client, eventloop))
}

async fn run(app: App, client: AsyncClient, mut eventloop: EventLoop) {
    // Unbounded, so that the event loop never waits here: while it waits it
    // sends no acknowledgement, and the workers would wait for it in turn.
    // The broker bounds what is in it: it sends at most its
    // `max_inflight_messages` before Ramp acknowledges.
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel::<Publish>();
    let rx = Arc::new(tokio::sync::Mutex::new(rx));
    for _ in 0..WORKERS {
        tokio::spawn(worker(app.clone(), client.clone(), rx.clone()));
    }
    let mut backoff = Duration::from_millis(100);
    let stats = app.digital_stats.clone();
    loop {
        match eventloop.poll().await {
            Ok(Event::Incoming(Packet::ConnAck(ack))) => {
                tracing::info!(session_present = ack.session_present, "connected to the MQTT broker");
                if let Err(e) = client.try_subscribe(TOPIC_FILTER, QoS::AtLeastOnce) {
                    tracing::warn!(error = %e, "MQTT subscribe could not be queued");
                }
            }
            Ok(Event::Incoming(Packet::SubAck(_))) => {
                stats.mqtt_connected.store(true, Ordering::Relaxed);
                stats.mqtt_connects.fetch_add(1, Ordering::Relaxed);
                backoff = Duration::from_millis(100);
                tracing::info!(topic = TOPIC_FILTER, "subscribed");
            }
            Ok(Event::Incoming(Packet::Publish(publish))) => {
                if tx.send(publish).is_err() {
                    return;
                }
            }
            Ok(_) => {}
            Err(e) => {
                if stats.mqtt_connected.swap(false, Ordering::Relaxed) {
                    tracing::warn!(error = %e, "lost the MQTT broker; reconnecting");
                } else {
                    tracing::debug!(error = %e, retry_in_ms = backoff.as_millis() as u64, "MQTT broker not reachable");
                }
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(Duration::from_secs(5));
            }
        }
    }
}

/// Takes what has arrived (one report at least, [`MAX_BATCH`] at most),
/// stores it in one transaction, then acknowledges each report.
async fn worker(
    app: App,
    client: AsyncClient,
    rx: Arc<tokio::sync::Mutex<tokio::sync::mpsc::UnboundedReceiver<Publish>>>,
) {
    loop {
        let mut batch = Vec::with_capacity(MAX_BATCH);
        {
            let mut rx = rx.lock().await;
            match rx.recv().await {
                Some(p) => batch.push(p),
                None => return,
            }
            while batch.len() < MAX_BATCH {
                match rx.try_recv() {
                    Ok(p) => batch.push(p),
                    Err(_) => break,
                }
            }
        }
        handle(&app, &batch).await;
        for publish in &batch {
            if let Err(e) = client.ack(publish).await {
                tracing::warn!(error = %e, "MQTT acknowledgement not sent; the broker will deliver the report again");
            }
        }
    }
}

/// Stores a batch; retries it (unacknowledged) while the database cannot
/// take it. Returns when every report is stored or rejected.
async fn handle(app: &App, batch: &[Publish]) {
    let mut reports = Vec::with_capacity(batch.len());
    for publish in batch {
        match device_of_topic(&publish.topic) {
            Some(number) => reports.push((number, publish.payload.as_ref())),
            None => {
                tracing::warn!(topic = %publish.topic, "MQTT message on a topic that is no device's: rejected");
                app.digital_stats.rejected(ramp_model::Channel::Mqtt);
            }
        }
    }
    if reports.is_empty() {
        return;
    }
    let mut delay = Duration::from_millis(200);
    loop {
        match ingest_mqtt_batch(app, &reports).await {
            Ok(outcomes) => {
                for ((device_number, _), outcome) in reports.iter().zip(outcomes) {
                    if let Err(e) = outcome {
                        tracing::warn!(
                            device_number,
                            code = e.code,
                            field = e.field.as_deref().unwrap_or(""),
                            reason = %e.message,
                            "MQTT report rejected"
                        );
                    }
                }
                return;
            }
            Err(e) => {
                tracing::warn!(reports = reports.len(), error = %e, retry_in_ms = delay.as_millis() as u64,
                    "MQTT reports not stored now; not acknowledged, retrying");
                tokio::time::sleep(delay).await;
                delay = (delay * 2).min(Duration::from_secs(10));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_read() {
        let s = MqttSettings::parse("mqtt://ramp:p%40ss@127.0.0.1:18830").expect("valid");
        assert_eq!((s.host.as_str(), s.port), ("127.0.0.1", 18830));
        assert_eq!((s.username.as_deref(), s.password.as_deref()), (Some("ramp"), Some("p@ss")));
        assert_eq!(s.client_id, DEFAULT_CLIENT_ID);
        let s = MqttSettings::parse("mqtt://broker?client_id=ramp-2").expect("valid");
        assert_eq!((s.host.as_str(), s.port, s.username, s.client_id.as_str()), ("broker", 1883, None, "ramp-2"));
        assert!(MqttSettings::parse("http://broker").is_err());
        assert!(MqttSettings::parse("mqtt://broker:x").is_err());
        assert!(!format!("{:?}", MqttSettings::parse("mqtt://u:secret@h").expect("valid")).contains("secret"));
    }

    #[test]
    fn the_topic_names_the_device() {
        assert_eq!(device_of_topic(&device_topic("D-1")), Some("D-1"));
        assert_eq!(device_of_topic("ramp/v1/devices//measurements"), None);
        assert_eq!(device_of_topic("ramp/v1/devices/a/b/measurements"), None);
        assert_eq!(device_of_topic("other"), None);
    }
}
