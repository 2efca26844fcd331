//! Opening a patient: the device overview ("hjälpmedelsbild") and
//! declaring emergency access.

use crate::access::{audit, authorize_patient_read};
use crate::error::{AppError, Result};
use crate::App;
use ramp_domain::ids::PersonalId;
use ramp_domain::setting::Setting;
use ramp_model::{AccessReason, HeldDevice, Patient, PatientSetting, User};
use serde::Serialize;

/// Everything the overview page and `GET /api/v1/patients/{id}` show.
#[derive(Debug, Clone, Serialize)]
pub struct PatientOverview {
    pub patient: Patient,
    pub age: u32,
    pub current_setting: Option<Setting>,
    pub settings: Vec<PatientSetting>,
    pub devices: Vec<HeldDevice>,
    /// The patient's orders, newest first, with their status.
    pub orders: Vec<ramp_model::OrderSummary>,
    /// On what ground the caller sees this (written to the audit log).
    pub access: AccessReason,
}

pub(crate) fn parse_personal_id(app: &App, input: &str) -> Result<PersonalId> {
    if input.trim().is_empty() {
        return Err(AppError::invalid("personal_id", "required", "enter a personal identity number"));
    }
    Ok(PersonalId::parse(input, app.today())?)
}

pub(crate) async fn find_patient(app: &App, input: &str) -> Result<Patient> {
    let pnr = parse_personal_id(app, input)?;
    app.storage.patient_by_personal_id(&pnr).await?.ok_or_else(|| {
        AppError::not_found(
            Some("personal_id"),
            "patient_not_found",
            format!("no patient with personal identity number {pnr}"),
        )
    })
}

/// The patient's setting on `day`: the latest period covering it.
pub(crate) fn setting_on(settings: &[PatientSetting], day: chrono::NaiveDate) -> Option<Setting> {
    settings.iter().rev().find(|s| s.valid_from <= day && s.valid_to.is_none_or(|to| to >= day)).map(|s| s.setting)
}

/// Opens a patient's device overview. Requires a care relationship, an
/// emergency access or an HMC role; writes an audit row either way.
pub async fn open_patient(
    app: &App,
    user: &User,
    personal_id: &str,
    request_id: Option<&str>,
) -> Result<PatientOverview> {
    let patient = find_patient(app, personal_id).await?;
    let access = authorize_patient_read(app, user, patient.id, "patient.overview", request_id).await?;
    let settings = app.storage.patient_settings(patient.id).await?;
    let today = app.today();
    let current_setting = setting_on(&settings, today);
    let devices = app.storage.held_devices(patient.id).await?;
    let orders = app.storage.orders_for_patient(patient.id, 50).await?;
    Ok(PatientOverview {
        orders,
        age: ramp_domain::time::age_on(patient.birth_date, today),
        patient,
        current_setting,
        settings,
        devices,
        access,
    })
}

/// Declares emergency access ("nödåtkomst") to a patient for a limited
/// time. The reason is required and logged for the audit-log review.
pub async fn declare_emergency_access(
    app: &App,
    user: &User,
    personal_id: &str,
    reason: &str,
    request_id: Option<&str>,
) -> Result<()> {
    let reason = reason.trim();
    if reason.chars().count() < 5 {
        return Err(AppError::invalid(
            "reason",
            "reason_required",
            "state why you need emergency access (at least 5 characters)",
        ));
    }
    let patient = find_patient(app, personal_id).await?;
    let now = app.clock.now();
    app.storage.grant_emergency_access(user.id, patient.id, reason, now, now + app.config.emergency_access_ttl).await?;
    audit(
        app,
        user,
        Some(patient.id),
        "patient.emergency_access_declared",
        AccessReason::EmergencyAccess,
        Some(reason.to_string()),
        request_id,
    )
    .await
}
