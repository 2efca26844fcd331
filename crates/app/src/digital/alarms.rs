//! The unit's alarm list, acknowledging with a note, closing, and
//! escalation. Escalation is driven by the clock: an alarm still open
//! `AppConfig::alarm_escalation_after` after it was raised is marked
//! escalated (and shown to `AppConfig::alarm_escalation_unit` too, when
//! one is configured). It runs before every list and on a timer in `ramp
//! serve`, and is a conditional update, so running it twice does nothing.
//!
//! Every alarm names a patient: the list shows only alarms of patients the
//! user may read now (`access.rs`), and each patient shown is audited.

use super::unit_scope;
use crate::access::{access_reason, audit};
use crate::error::{AppError, Result};
use crate::App;
use ramp_domain::alarm::{expected_interval, silent_detail, silent_detail_hours, AlarmState};
use ramp_domain::measurement::MeasurementKind;
use ramp_domain::Term;
use ramp_model::{AlarmRow, Id, ModelSilentRule, SilentRule, User};
use std::collections::BTreeMap;

/// Escalates every alarm that is due; returns how many.
pub async fn escalate_due(app: &App) -> Result<u64> {
    let now = app.now();
    let cutoff = now - app.config.alarm_escalation_after;
    let n = app.storage.escalate_alarms(cutoff, app.config.alarm_escalation_unit, now).await?;
    if n > 0 {
        tracing::warn!(alarms = n, "alarms escalated: not acknowledged in time");
    }
    Ok(n)
}

/// Raises a silent-device alarm for every lent device that has not
/// reported for longer than its model's expected interval (set by an
/// administrator, `models.rs`) or, for a model without one, its kind's
/// (`ramp_domain::alarm::expected_interval`); returns how many. Only
/// devices that reported to their current patient at least once; at most
/// one silent alarm per device that is not closed. The alarm stays when
/// the device reports again: a silence may mean missed doses, so the unit
/// acknowledges and closes it; the next silence after it is closed raises
/// a new one.
pub async fn raise_silent_due(app: &App) -> Result<u64> {
    let now = app.now();
    let rules: Vec<SilentRule> = MeasurementKind::ALL
        .iter()
        .map(|k| SilentRule { kind: *k, reported_before: now - expected_interval(*k), detail: silent_detail(*k) })
        .collect();
    let models: Vec<ModelSilentRule> = app
        .storage
        .digital_models()
        .await?
        .into_iter()
        .filter_map(|m| {
            let hours = m.expected_interval_hours?;
            Some(ModelSilentRule {
                article_id: m.article_id,
                reported_before: now - chrono::Duration::hours(hours),
                detail: silent_detail_hours(hours),
            })
        })
        .collect();
    let n = app.storage.raise_silent_alarms(&rules, &models, app.today(), now).await?;
    if n > 0 {
        tracing::warn!(alarms = n, "silent-device alarms raised");
    }
    Ok(n)
}

/// One sweep by the application's clock: silent devices first (so a new
/// silent alarm is escalated on its own schedule), then escalation.
pub async fn sweep(app: &App) -> Result<()> {
    raise_silent_due(app).await?;
    escalate_due(app).await?;
    Ok(())
}

/// Sweeps every `every` (`ramp serve`), so an alarm is escalated and a
/// silent device noticed on time even when nobody opens a list.
pub fn spawn_escalation_sweeper(app: App, every: std::time::Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        loop {
            tick.tick().await;
            if let Err(e) = sweep(&app).await {
                tracing::warn!(error = %e, "the alarm sweep failed");
            }
        }
    })
}

/// The alarms routed or escalated to the user's unit (every unit's for the
/// centre's staff), newest first; closed ones only when asked.
pub async fn unit_alarms(
    app: &App,
    user: &User,
    include_closed: bool,
    request_id: Option<&str>,
) -> Result<Vec<AlarmRow>> {
    let scope = unit_scope(user)?;
    sweep(app).await?;
    let rows = app.storage.alarms(scope, include_closed).await?;
    let mut readable: BTreeMap<Id, bool> = BTreeMap::new();
    for patient_id in rows.iter().map(|a| a.patient_id) {
        if readable.contains_key(&patient_id) {
            continue;
        }
        let reason = access_reason(app, user, patient_id).await?;
        if let Some(reason) = reason {
            audit(app, user, Some(patient_id), "digital.alarms", reason, None, request_id).await?;
        }
        readable.insert(patient_id, reason.is_some());
    }
    Ok(rows.into_iter().filter(|a| readable.get(&a.patient_id) == Some(&true)).collect())
}

/// The alarm `id` if the user may handle it: routed or escalated to their
/// unit (any for the centre's staff) and a patient they may read (audited).
async fn alarm_to_handle(app: &App, user: &User, id: Id, action: &str, request_id: Option<&str>) -> Result<AlarmRow> {
    let scope = unit_scope(user)?;
    let not_found = || AppError::not_found(Some("id"), "alarm_not_found", "no alarm of yours has this id");
    let alarm = app.storage.alarm(id).await?.ok_or_else(not_found)?;
    if let Some(unit) = scope {
        if alarm.unit_id != unit && alarm.escalated_to_unit_id != Some(unit) {
            return Err(not_found());
        }
    }
    crate::access::authorize_patient_read(app, user, alarm.patient_id, action, request_id).await?;
    Ok(alarm)
}

/// Acknowledges an open alarm with a note saying what was done.
pub async fn acknowledge(app: &App, user: &User, id: Id, note: &str, request_id: Option<&str>) -> Result<AlarmRow> {
    let note = note.trim();
    if note.is_empty() {
        return Err(AppError::invalid("note", "required", "say what was done about the alarm"));
    }
    if note.chars().count() > 1000 {
        return Err(AppError::invalid("note", "too_long", "the note is at most 1000 characters"));
    }
    let alarm = alarm_to_handle(app, user, id, "digital.alarm.acknowledge", request_id).await?;
    if !app.storage.acknowledge_alarm(alarm.id, user.id, note, app.now()).await? {
        return Err(AppError::conflict("alarm_not_open", "the alarm was already acknowledged or closed"));
    }
    reread(app, id).await
}

/// Closes an alarm (acknowledging it too if nobody had).
pub async fn close(app: &App, user: &User, id: Id, request_id: Option<&str>) -> Result<AlarmRow> {
    let alarm = alarm_to_handle(app, user, id, "digital.alarm.close", request_id).await?;
    if alarm.state == AlarmState::Closed || !app.storage.close_alarm(alarm.id, user.id, app.now()).await? {
        return Err(AppError::conflict("alarm_closed", "the alarm is already closed"));
    }
    reread(app, id).await
}

async fn reread(app: &App, id: Id) -> Result<AlarmRow> {
    app.storage
        .alarm(id)
        .await?
        .ok_or_else(|| AppError::not_found(Some("id"), "alarm_not_found", "no alarm has this id"))
}

/// An alarm with its patient, as the unit's alarm page shows it.
#[derive(Debug, Clone)]
pub struct UnitAlarm {
    pub alarm: AlarmRow,
    pub patient: ramp_model::Patient,
}

/// [`unit_alarms`] with each alarm's patient (the patient is read under
/// the same audit as the list).
pub async fn unit_alarms_with_patients(
    app: &App,
    user: &User,
    include_closed: bool,
    request_id: Option<&str>,
) -> Result<Vec<UnitAlarm>> {
    let rows = unit_alarms(app, user, include_closed, request_id).await?;
    let mut patients: BTreeMap<Id, ramp_model::Patient> = BTreeMap::new();
    let mut out = Vec::with_capacity(rows.len());
    for alarm in rows {
        if let std::collections::btree_map::Entry::Vacant(slot) = patients.entry(alarm.patient_id) {
            let p =
                app.storage.patient_by_id(alarm.patient_id).await?.ok_or_else(|| {
                    AppError::not_found(None, "patient_not_found", "the alarm's patient does not exist")
                })?;
            slot.insert(p);
        }
        let patient = patients[&alarm.patient_id].clone();
        out.push(UnitAlarm { alarm, patient });
    }
    Ok(out)
}

/// The open alarms of the user's own unit for the inbox: only for care
/// staff working at a unit (the centre's staff open the alarm page, which
/// lists every unit's). Audited as the alarm list is.
pub async fn inbox_alarms(app: &App, user: &User, request_id: Option<&str>) -> Result<Vec<UnitAlarm>> {
    if user.unit_id.is_none() || user.is_hmc() || user.has_role(ramp_domain::role::Role::Admin) {
        return Ok(vec![]);
    }
    let all = unit_alarms_with_patients(app, user, false, request_id).await?;
    Ok(all.into_iter().filter(|a| a.alarm.state == AlarmState::Open).collect())
}

/// How many alarms of the user's unit (every unit's for the centre's
/// staff) are open: the menu's badge. A count names no patient, so it is
/// not a patient read; 0 for a user without a unit.
pub async fn open_alarm_count(app: &App, user: &User) -> Result<i64> {
    match unit_scope(user) {
        Ok(scope) => Ok(app.storage.open_alarm_count(scope).await?),
        Err(_) => Ok(0),
    }
}

/// Whether `user` may open the alarm list (the menu shows it only then).
pub fn may_list_alarms(user: &User) -> bool {
    unit_scope(user).is_ok()
}
