//! Opening a patient: the device overview ("hjälpmedelsbild") and
//! declaring emergency access.

pub use crate::access::may_declare_emergency;
use crate::access::{audit, audit_unknown_patient, authorize_patient_read, patient_not_found, patient_to_read};
use crate::error::{AppError, Result};
use crate::App;
use chrono::{DateTime, Utc};
use ramp_domain::access::{check_reason, EmergencyCategory};
use ramp_domain::ids::PersonalId;
use ramp_domain::setting::Setting;
use ramp_domain::Term;
use ramp_model::{AccessReason, HeldDevice, NewEmergencyAccess, Patient, PatientSetting, User};
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
    /// Until when the caller's emergency access runs, when that is the ground
    /// (the page shows it in a banner).
    pub emergency_until: Option<DateTime<Utc>>,
}

pub(crate) fn parse_personal_id(app: &App, input: &str) -> Result<PersonalId> {
    if input.trim().is_empty() {
        return Err(AppError::invalid("personal_id", "required", "enter a personal identity number"));
    }
    Ok(PersonalId::parse(input, app.today())?)
}

/// The patient of a personal identity number, for staff who see every
/// patient; the number is never echoed.
pub(crate) async fn find_patient(app: &App, input: &str) -> Result<Patient> {
    let pnr = parse_personal_id(app, input)?;
    app.storage.patient_by_personal_id(&pnr).await?.ok_or_else(patient_not_found)
}

/// The patient an order is being made for, shown on every step so that
/// nobody orders for the wrong patient: name, personnummer, setting today
/// and the ground the user reads them on.
#[derive(Debug, Clone, Serialize)]
pub struct PatientInView {
    pub name: String,
    pub personal_id: PersonalId,
    pub setting: Option<Setting>,
    pub ground: AccessReason,
}

/// Reads the patient for the header of an ordering step (`action`
/// audited, refusals too).
pub async fn patient_in_view(
    app: &App,
    user: &User,
    personal_id: &str,
    action: &str,
    request_id: Option<&str>,
) -> Result<PatientInView> {
    let patient = patient_to_read(app, user, personal_id, action, request_id).await?;
    let ground = authorize_patient_read(app, user, patient.id, action, request_id).await?;
    let settings = app.storage.patient_settings(patient.id).await?;
    Ok(PatientInView {
        name: format!("{} {}", patient.given_name, patient.family_name),
        setting: setting_on(&settings, app.today()),
        personal_id: patient.personal_id,
        ground,
    })
}

/// Until when `user` reads `patient_id`'s data under emergency access, if
/// that is their ground: for the banner on every page that shows the
/// patient's data (the device card, the order), not only the overview.
pub async fn emergency_banner(
    app: &App,
    user: &User,
    patient_id: Option<ramp_model::Id>,
) -> Result<Option<DateTime<Utc>>> {
    let Some(pid) = patient_id else { return Ok(None) };
    match crate::access::access_reason(app, user, pid).await? {
        Some(reason) => emergency_until(app, user, pid, reason).await,
        None => Ok(None),
    }
}

/// Until when `user` holds an emergency access to the patient, when that is
/// their ground for reading.
pub(crate) async fn emergency_until(
    app: &App,
    user: &User,
    patient_id: ramp_model::Id,
    access: AccessReason,
) -> Result<Option<DateTime<Utc>>> {
    if access != AccessReason::EmergencyAccess {
        return Ok(None);
    }
    Ok(app.storage.emergency_access_until(user.id, patient_id, app.clock.now()).await?)
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
    let patient = patient_to_read(app, user, personal_id, "patient.overview", request_id).await?;
    let access = authorize_patient_read(app, user, patient.id, "patient.overview", request_id).await?;
    let emergency_until = emergency_until(app, user, patient.id, access).await?;
    let settings = app.storage.patient_settings(patient.id).await?;
    let today = app.today();
    let current_setting = setting_on(&settings, today);
    let devices = app.storage.held_devices(patient.id, today).await?;
    let orders = app.storage.orders_for_patient(patient.id, 50).await?;
    Ok(PatientOverview {
        orders,
        age: ramp_domain::time::age_on(patient.birth_date, today),
        patient,
        current_setting,
        settings,
        devices,
        access,
        emergency_until,
    })
}

/// Declares emergency access ("nödåtkomst") to a patient for a limited
/// time: only users of the roles the region allows, placed at a unit of
/// care, with a category from the fixed list and a reason of at least 20
/// characters; both are stored for the review. A refused declaration is
/// audited as refused. Returns when the access ends.
pub async fn declare_emergency_access(
    app: &App,
    user: &User,
    personal_id: &str,
    category: &str,
    reason: &str,
    request_id: Option<&str>,
) -> Result<DateTime<Utc>> {
    const ACTION: &str = "patient.emergency_access";
    if !may_declare_emergency(app, user) {
        let patient = match parse_personal_id(app, personal_id) {
            Ok(pnr) => app.storage.patient_by_personal_id(&pnr).await?.map(|p| p.id),
            Err(_) => None,
        };
        let refused = format!("{ACTION}.refused");
        audit(app, user, patient, &refused, AccessReason::None, Some("role_not_allowed".into()), request_id).await?;
        return Err(AppError::forbidden(
            "emergency_access_not_allowed",
            "your role may not declare emergency access; ask a prescriber with a care relationship",
        ));
    }
    let reason = check_reason(reason)?;
    let category = match category.trim() {
        "" => return Err(AppError::invalid("category", "required", "choose why you need emergency access")),
        c => EmergencyCategory::parse(c)?,
    };
    let pnr = parse_personal_id(app, personal_id)?;
    let Some(patient) = app.storage.patient_by_personal_id(&pnr).await? else {
        // Declaring is itself audited with its reason: an allowed user may learn that no such patient exists.
        audit_unknown_patient(app, user, ACTION, request_id).await?;
        return Err(patient_not_found());
    };
    let now = app.clock.now();
    let expires = now + app.config.emergency_access_ttl;
    let access = NewEmergencyAccess { user_id: user.id, patient_id: patient.id, category, reason, at: now, expires };
    app.storage.grant_emergency_access(&access).await?;
    let detail = format!("{}: {}", category, access.reason);
    audit(
        app,
        user,
        Some(patient.id),
        "patient.emergency_access_declared",
        AccessReason::EmergencyAccess,
        Some(detail),
        request_id,
    )
    .await?;
    Ok(expires)
}
