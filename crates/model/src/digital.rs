//! The digital-device side of the storage (issue 21): lent digital devices
//! and the unit responsible for each, device credentials, measurements,
//! per-patient thresholds and alarms. A supertrait of [`crate::Storage`],
//! implemented once for both engines by `ramp_storage::SqlStorage`
//! (`sql/digital.rs`). The rules (what is a valid report, what alarms,
//! when to escalate) live in `ramp_domain::measurement` and `::alarm`.

use crate::{Id, Result};
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use ramp_domain::alarm::{AlarmReason, AlarmState};
use ramp_domain::measurement::MeasurementKind;

/// A device of a digital article, with its patient and responsible unit
/// when it is lent to a patient now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigitalDevice {
    pub device_id: Id,
    pub device_number: String,
    pub article_number: String,
    /// The article's name: the device's model.
    pub model: String,
    /// Set while the device is lent to a patient.
    pub patient_id: Option<Id>,
    /// The ordering unit of the device's last delivery to the patient, or
    /// else the unit of the patient's earliest current care relationship.
    pub unit_id: Option<Id>,
    pub unit_name: Option<String>,
    /// Whether the device holds a live (unrevoked) credential.
    pub has_credential: bool,
}

/// How a measurement reached Ramp.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Http,
    Mqtt,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Http => "http",
            Channel::Mqtt => "mqtt",
        }
    }
}

/// A validated measurement to store.
#[derive(Debug, Clone, PartialEq)]
pub struct NewMeasurement {
    pub device_id: Id,
    pub patient_id: Id,
    pub client_id: String,
    pub kind: MeasurementKind,
    pub measured_at: DateTime<Utc>,
    pub received_at: DateTime<Utc>,
    pub channel: Channel,
    /// A JSON object of numbers.
    pub values_json: String,
}

/// The alarm a new measurement raises, stored with it (and only if the
/// measurement was new).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAlarm {
    pub unit_id: Id,
    pub reason: AlarmReason,
    pub detail: String,
}

/// What storing a measurement did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recorded {
    /// The measurement's row id, `None` when the device had sent this id before.
    pub measurement_id: Option<Id>,
    pub alarm_id: Option<Id>,
}

/// A stored measurement.
#[derive(Debug, Clone, PartialEq)]
pub struct MeasurementRow {
    pub id: Id,
    pub device_number: String,
    pub client_id: String,
    pub kind: MeasurementKind,
    pub measured_at: DateTime<Utc>,
    pub received_at: DateTime<Utc>,
    /// `http` or `mqtt`.
    pub channel: String,
    pub values_json: String,
}

/// A patient's own limits for one value.
#[derive(Debug, Clone, PartialEq)]
pub struct ThresholdRow {
    pub kind: MeasurementKind,
    pub value_name: String,
    pub low: Option<f64>,
    pub high: Option<f64>,
    pub set_by: Id,
    pub set_at: DateTime<Utc>,
}

/// When a device reporting `kind` counts as silent: its last report
/// arrived before `reported_before`; the alarm's detail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SilentRule {
    pub kind: MeasurementKind,
    pub reported_before: DateTime<Utc>,
    pub detail: String,
}

/// Per device model: when a device of `article_id` counts as silent (the
/// model's own interval, set by an administrator, over its kind's default).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelSilentRule {
    pub article_id: Id,
    pub reported_before: DateTime<Utc>,
    pub detail: String,
}

/// A digital device model (an article of the digital agreement area) and
/// the reporting interval an administrator set for it, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigitalModel {
    pub article_id: Id,
    pub article_number: String,
    pub name: String,
    /// Whole hours; `None`: the default of the kind the device reports.
    pub expected_interval_hours: Option<i64>,
    pub set_at: Option<DateTime<Utc>>,
}

/// An alarm with what its list shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlarmRow {
    pub id: Id,
    pub patient_id: Id,
    pub device_number: String,
    pub model: String,
    pub unit_id: Id,
    pub unit_name: String,
    pub reason: AlarmReason,
    pub detail: String,
    pub state: AlarmState,
    pub raised_at: DateTime<Utc>,
    pub measured_at: Option<DateTime<Utc>>,
    pub escalated_at: Option<DateTime<Utc>>,
    pub escalated_to_unit_id: Option<Id>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub acknowledged_by_name: Option<String>,
    pub acknowledgement_note: Option<String>,
    pub closed_at: Option<DateTime<Utc>>,
}

#[async_trait]
pub trait DigitalStore: Send + Sync {
    /// Digital devices lent to patients on `today`, by device number; only
    /// those whose responsible unit is `unit` when given.
    async fn lent_digital_devices(&self, today: NaiveDate, unit: Option<Id>) -> Result<Vec<DigitalDevice>>;
    /// The digital devices lent to the patient on `today`, by device number.
    async fn patient_digital_devices(&self, patient_id: Id, today: NaiveDate) -> Result<Vec<DigitalDevice>>;
    /// The device of this number if its article is digital (lent or not).
    async fn digital_device(&self, device_number: &str, today: NaiveDate) -> Result<Option<DigitalDevice>>;
    /// The digital devices of these numbers (lent or not), one statement
    /// per chunk of numbers: MQTT ingest reads a whole batch's devices at once.
    async fn digital_devices_by_number(&self, numbers: &[&str], today: NaiveDate) -> Result<Vec<DigitalDevice>>;
    /// The device holding the live credential of this secret hash.
    async fn device_by_secret(&self, secret_hash: &str, today: NaiveDate) -> Result<Option<DigitalDevice>>;
    /// Revokes the device's live credential, if any, and stores a new one,
    /// in one transaction.
    async fn issue_device_credential(
        &self,
        device_id: Id,
        secret_hash: &str,
        at: DateTime<Utc>,
        by: Option<Id>,
    ) -> Result<()>;
    /// Revokes the device's live credential; false if it had none.
    async fn revoke_device_credential(&self, device_id: Id, at: DateTime<Utc>) -> Result<bool>;
    /// Device numbers and secret hashes of every live credential (for the
    /// broker's password file).
    async fn live_device_credentials(&self) -> Result<Vec<(String, String)>>;
    /// Stores the measurement unless the device sent its id before, and
    /// with it the alarm it raises, in one transaction.
    async fn record_measurement(&self, m: &NewMeasurement, alarm: Option<&NewAlarm>) -> Result<Recorded>;
    /// [`DigitalStore::record_measurement`] for each, all in one transaction
    /// (MQTT ingest commits a batch, then acknowledges it).
    async fn record_measurements(&self, batch: &[(&NewMeasurement, Option<&NewAlarm>)]) -> Result<Vec<Recorded>>;
    /// The patient's measurements, newest first, at most `limit`.
    async fn patient_measurements(&self, patient_id: Id, limit: i64) -> Result<Vec<MeasurementRow>>;
    /// How many measurements a device has stored under this id (0 or 1).
    async fn measurement_count(&self, device_id: Id, client_id: &str) -> Result<i64>;
    async fn thresholds(&self, patient_id: Id) -> Result<Vec<ThresholdRow>>;
    /// The thresholds of several patients at once, as (patient id, row).
    async fn thresholds_of(&self, patient_ids: &[Id]) -> Result<Vec<(Id, ThresholdRow)>>;
    /// Sets the patient's limits for one value; both `None` removes them.
    #[allow(clippy::too_many_arguments)] // one row's columns
    async fn set_threshold(
        &self,
        patient_id: Id,
        kind: MeasurementKind,
        value_name: &str,
        low: Option<f64>,
        high: Option<f64>,
        by: Id,
        at: DateTime<Utc>,
    ) -> Result<()>;
    /// Alarms routed or escalated to `unit` (all alarms when `None`), newest
    /// first; closed ones only when `include_closed`.
    async fn alarms(&self, unit: Option<Id>, include_closed: bool) -> Result<Vec<AlarmRow>>;
    async fn alarm(&self, id: Id) -> Result<Option<AlarmRow>>;
    /// How many alarms routed or escalated to `unit` (all when `None`) are open.
    async fn open_alarm_count(&self, unit: Option<Id>) -> Result<i64>;
    /// The patient's alarms, newest first.
    async fn patient_alarms(&self, patient_id: Id) -> Result<Vec<AlarmRow>>;
    /// Marks every alarm still open and raised at or before `raised_before`
    /// as escalated at `at` (to `to_unit`, when set); returns how many.
    async fn escalate_alarms(
        &self,
        raised_before: DateTime<Utc>,
        to_unit: Option<Id>,
        at: DateTime<Utc>,
    ) -> Result<u64>;
    /// Raises a silent-device alarm, at `at`, for every lent digital device
    /// whose last report to its current patient was of a kind in `rules`
    /// and arrived before that rule's `reported_before`, that has a
    /// responsible unit (on `today`) and no silent alarm that is not closed
    /// (the unique index `alarms_one_silent` makes it once even when two
    /// sweeps race); returns how many. One statement for all kinds.
    /// A device whose model has a rule in `models` is judged by that rule
    /// instead of its kind's.
    async fn raise_silent_alarms(
        &self,
        rules: &[SilentRule],
        models: &[ModelSilentRule],
        today: NaiveDate,
        at: DateTime<Utc>,
    ) -> Result<u64>;
    /// The digital device models (articles of the digital agreement area)
    /// with the interval set for each, by article number.
    async fn digital_models(&self) -> Result<Vec<DigitalModel>>;
    /// Sets (or with `None` removes) a model's expected reporting interval.
    async fn set_model_interval(&self, article_id: Id, hours: Option<i64>, by: Id, at: DateTime<Utc>) -> Result<()>;
    /// Acknowledges an open alarm; false if it was not open.
    async fn acknowledge_alarm(&self, id: Id, by: Id, note: &str, at: DateTime<Utc>) -> Result<bool>;
    /// Closes an alarm that is not closed (acknowledging it if still open); false if it was closed.
    async fn close_alarm(&self, id: Id, by: Id, at: DateTime<Utc>) -> Result<bool>;
    /// How many alarms are not closed, across every unit (for `/metrics`).
    async fn unclosed_alarm_count(&self) -> Result<i64>;
}
