//! Measurements in. Both channels end in [`record`]: validate the report
//! (`ramp_domain::measurement`), decide whether it alarms under the
//! patient's thresholds (`ramp_domain::alarm`), and store it with its
//! alarm in one transaction. A report whose id the device sent before is
//! accepted and stored once (the database's unique key decides), so a
//! device may retry until it hears an answer.

use crate::auth::token_hash;
use crate::error::{AppError, ErrorKind, Result};
use crate::App;
use ramp_domain::alarm::{cause, Threshold};
use ramp_domain::measurement::Measurement;
use ramp_model::{Channel, DigitalDevice, NewAlarm, NewMeasurement, Recorded, ThresholdRow};
use std::collections::HashMap;

/// What became of an accepted report.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ingested {
    /// False when the device had sent this id before (nothing new stored).
    pub new: bool,
    /// Whether the report raised an alarm.
    pub alarmed: bool,
    /// Seconds from the measurement's `at` to its storing.
    pub lag_seconds: f64,
}

fn bad_secret() -> AppError {
    AppError::unauthenticated("invalid_device_secret", "the device secret is unknown or revoked")
}

/// A report over HTTP from the device holding `secret`.
/// The secret is checked before the body is read, so a stranger learns
/// nothing about what a valid report looks like.
pub async fn ingest_http(app: &App, secret: &str, body: &[u8]) -> Result<Ingested> {
    counted(app, Channel::Http, async {
        let device = app.storage.device_by_secret(&token_hash(secret), app.today()).await?.ok_or_else(bad_secret)?;
        let m = Measurement::parse_json(body, app.now())?;
        record(app, &device, &m, Channel::Http).await
    })
    .await
}

/// A report over MQTT from the device the broker authenticated as
/// `device_number` (the topic's device, which the broker's ACL ties to
/// the username). The payload is the same JSON as over HTTP.
pub async fn ingest_mqtt(app: &App, device_number: &str, payload: &[u8]) -> Result<Ingested> {
    counted(app, Channel::Mqtt, async {
        let device = app.storage.digital_device(device_number, app.today()).await?.ok_or_else(no_such_device)?;
        let m = Measurement::parse_json(payload, app.now())?;
        record(app, &device, &m, Channel::Mqtt).await
    })
    .await
}

/// Whether an ingest error is for good (the report is refused: the device
/// must not send it again as it is) rather than the database's passing
/// trouble (nothing was stored; the same report may succeed later).
pub fn is_rejection(e: &AppError) -> bool {
    !matches!(e.kind, ErrorKind::Unavailable | ErrorKind::Internal | ErrorKind::TooManyRequests)
}

/// Counts the outcome of one report for `/metrics`.
async fn counted(
    app: &App,
    channel: Channel,
    work: impl std::future::Future<Output = Result<Ingested>>,
) -> Result<Ingested> {
    let result = work.await;
    match &result {
        Ok(i) if i.new => app.digital_stats.stored(channel, i.lag_seconds),
        Ok(_) => app.digital_stats.duplicate(channel),
        Err(e) if is_rejection(e) => app.digital_stats.rejected(channel),
        Err(_) => {}
    }
    result
}

/// The patient's own limits as the domain reads them (rows whose value
/// the kind no longer has are skipped).
pub(crate) fn own_thresholds(rows: &[ThresholdRow]) -> Vec<Threshold> {
    rows.iter()
        .filter_map(|r| {
            let spec = r.kind.value(&r.value_name)?;
            Some(Threshold { kind: r.kind, value_name: spec.name, low: r.low, high: r.high })
        })
        .collect()
}

/// A validated report of a lent device, ready to store, with the alarm it raises.
struct Prepared {
    new: NewMeasurement,
    alarm: Option<NewAlarm>,
}

async fn prepare(app: &App, device: &DigitalDevice, m: &Measurement, channel: Channel) -> Result<Prepared> {
    let Some(patient_id) = device.patient_id else {
        return Err(not_lent_to_report());
    };
    let rows = app.storage.thresholds(patient_id).await?;
    prepared(device, patient_id, m, channel, &rows, app.now())
}

fn not_lent_to_report() -> AppError {
    AppError::forbidden("device_not_lent", "the device is not lent to a patient now, so it cannot report")
}

/// The report of `device`, lent to `patient_id` whose thresholds are
/// `rows`, with the alarm it raises: decided per measurement.
fn prepared(
    device: &DigitalDevice,
    patient_id: ramp_model::Id,
    m: &Measurement,
    channel: Channel,
    rows: &[ThresholdRow],
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Prepared> {
    let own = own_thresholds(rows);
    let alarm = cause(m, &own).and_then(|c| match device.unit_id {
        Some(unit_id) => Some(NewAlarm { unit_id, reason: c.reason, detail: c.detail }),
        None => {
            tracing::warn!(device_number = %device.device_number, "alarm with no responsible unit: not routed");
            None
        }
    });
    let new = NewMeasurement {
        device_id: device.device_id,
        patient_id,
        client_id: m.client_id.clone(),
        kind: m.kind,
        measured_at: m.at,
        received_at: now,
        channel,
        values_json: m.values_json(),
    };
    Ok(Prepared { new, alarm })
}

fn ingested(p: &Prepared, r: Recorded) -> Ingested {
    let lag_seconds = (p.new.received_at - p.new.measured_at).num_milliseconds() as f64 / 1000.0;
    Ingested { new: r.measurement_id.is_some(), alarmed: r.alarm_id.is_some(), lag_seconds }
}

/// One report stored: over HTTP in the group commit (`group_commit.rs`),
/// answered after the transaction that holds it committed.
async fn record(app: &App, device: &DigitalDevice, m: &Measurement, channel: Channel) -> Result<Ingested> {
    let p = prepare(app, device, m, channel).await?;
    let r = match channel {
        Channel::Http => app.http_commits.record(&app.storage, p.new.clone(), p.alarm.clone()).await?,
        Channel::Mqtt => app.storage.record_measurement(&p.new, p.alarm.as_ref()).await?,
    };
    Ok(ingested(&p, r))
}

fn no_such_device() -> AppError {
    AppError::not_found(Some("device_number"), "digital_device_not_found", "no digital device has this number")
}

/// Each report of an MQTT batch validated and decided, as [`ingest_mqtt`]
/// does one, with two statements for the whole batch: its devices and its
/// patients' thresholds. `Err` only when the database failed.
async fn prepare_mqtt_batch(app: &App, reports: &[(&str, &[u8])]) -> Result<Vec<Result<Prepared>>> {
    let (now, today) = (app.now(), app.today());
    let mut numbers: Vec<&str> = reports.iter().map(|(n, _)| *n).collect();
    numbers.sort_unstable();
    numbers.dedup();
    let devices: HashMap<String, DigitalDevice> = app
        .storage
        .digital_devices_by_number(&numbers, today)
        .await?
        .into_iter()
        .map(|d| (d.device_number.clone(), d))
        .collect();
    let mut patients: Vec<ramp_model::Id> = devices.values().filter_map(|d| d.patient_id).collect();
    patients.sort_unstable();
    patients.dedup();
    let mut thresholds: HashMap<ramp_model::Id, Vec<ThresholdRow>> = HashMap::new();
    for (patient_id, row) in app.storage.thresholds_of(&patients).await? {
        thresholds.entry(patient_id).or_default().push(row);
    }
    Ok(reports
        .iter()
        .map(|(number, payload)| {
            let device = devices.get(*number).ok_or_else(no_such_device)?;
            let m = Measurement::parse_json(payload, now)?;
            let patient_id = device.patient_id.ok_or_else(not_lent_to_report)?;
            let rows = thresholds.get(&patient_id).map_or(&[][..], Vec::as_slice);
            prepared(device, patient_id, &m, Channel::Mqtt, rows, now)
        })
        .collect())
}

/// MQTT reports `(device number, payload)` stored in one transaction: what
/// [`ingest_mqtt`] does for each, with one commit. Each report's outcome
/// is in the answer (a rejection for a bad one, which the stream passes
/// by). `Err` is a passing failure of the database: nothing of the batch
/// was stored, and the whole batch may be tried again.
pub async fn ingest_mqtt_batch(app: &App, reports: &[(&str, &[u8])]) -> Result<Vec<Result<Ingested>>> {
    let prepared = prepare_mqtt_batch(app, reports).await?;
    let batch: Vec<(&NewMeasurement, Option<&NewAlarm>)> =
        prepared.iter().filter_map(|p| p.as_ref().ok()).map(|p| (&p.new, p.alarm.as_ref())).collect();
    let mut recorded =
        if batch.is_empty() { Vec::new() } else { app.storage.record_measurements(&batch).await? }.into_iter();
    let stats = &app.digital_stats;
    Ok(prepared
        .into_iter()
        .map(|p| {
            let p = p?;
            let r = recorded.next().expect("one record per prepared report");
            let i = ingested(&p, r);
            if i.new {
                stats.stored(Channel::Mqtt, i.lag_seconds);
            } else {
                stats.duplicate(Channel::Mqtt);
            }
            Ok(i)
        })
        .inspect(|r: &Result<Ingested>| {
            if r.is_err() {
                stats.rejected(Channel::Mqtt);
            }
        })
        .collect())
}
