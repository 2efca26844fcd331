//! Patient-data access: the legal ground for opening a patient's data is a
//! care relationship between the user's unit and the patient, a declared
//! (and logged) emergency access, or an HMC role that serves all patients.
//! Every grant and every refusal is written to the audit log.
//!
//! "No such patient" and "not yours" are one answer to anyone who does
//! not see every patient ([`not_yours`]), both audited as refused, so the
//! answer tells nobody whether a personal identity number is a patient
//! here. The number itself is never echoed, logged or audited.

use crate::error::{AppError, Result};
use crate::patients::parse_personal_id;
use crate::App;
use ramp_model::{AccessReason, Id, NewAuditEntry, Patient, User};

/// The one answer to "no such patient" and "no ground to read this one".
pub(crate) fn not_yours() -> AppError {
    AppError::forbidden(
        "care_relationship_required",
        "you have no care relationship with a patient of this personal identity number; \
         declare emergency access if you must open the record",
    )
}

/// The patient of a personal identity number as typed, for a read audited
/// under `action`. An invalid number is a 422 naming the field (nothing
/// looked up, nothing audited). An unknown one is audited as refused and
/// answered like a patient without a ground ([`not_yours`]); staff who see
/// every patient (HMC) are told `patient_not_found`.
pub(crate) async fn patient_to_read(
    app: &App,
    user: &User,
    personal_id: &str,
    action: &str,
    request_id: Option<&str>,
) -> Result<Patient> {
    let pnr = parse_personal_id(app, personal_id)?;
    match app.storage.patient_by_personal_id(&pnr).await? {
        Some(patient) => Ok(patient),
        None => {
            audit_unknown_patient(app, user, action, request_id).await?;
            Err(if user.is_hmc() { patient_not_found() } else { not_yours() })
        }
    }
}

/// No patient has the number (to those who may know it).
pub(crate) fn patient_not_found() -> AppError {
    AppError::not_found(Some("personal_id"), "patient_not_found", "no patient has this personal identity number")
}

/// Audits, as refused, a look-up of a personal identity number that is no
/// patient here (the row names no patient and never the number).
pub(crate) async fn audit_unknown_patient(
    app: &App,
    user: &User,
    action: &str,
    request_id: Option<&str>,
) -> Result<()> {
    let refused = format!("{action}.refused");
    audit(app, user, None, &refused, AccessReason::None, Some("no_such_patient".into()), request_id).await
}

/// May `user` declare emergency access under the region's settings?
pub fn may_declare_emergency(app: &App, user: &User) -> bool {
    ramp_domain::access::may_declare_emergency(&user.roles, user.unit_id.is_some(), &app.config.emergency_access_roles)
}

/// Decides on what ground `user` may read `patient_id`'s data now, if any.
pub async fn access_reason(app: &App, user: &User, patient_id: Id) -> Result<Option<AccessReason>> {
    if user.is_hmc() {
        return Ok(Some(AccessReason::HmcRole));
    }
    if let Some(unit) = user.unit_id {
        if app.storage.has_care_relationship(patient_id, unit, app.today()).await? {
            return Ok(Some(AccessReason::CareRelationship));
        }
    }
    if app.storage.has_emergency_access(user.id, patient_id, app.clock.now()).await? {
        return Ok(Some(AccessReason::EmergencyAccess));
    }
    Ok(None)
}

/// One audit row, as of now.
fn entry(
    app: &App,
    user: &User,
    patient_id: Option<Id>,
    action: &str,
    reason: AccessReason,
    detail: Option<String>,
    request_id: Option<&str>,
) -> NewAuditEntry {
    NewAuditEntry {
        occurred_at: app.clock.now(),
        user_id: user.id,
        patient_id,
        action: action.into(),
        reason,
        detail,
        request_id: request_id.map(str::to_string),
    }
}

/// Writes one audit row.
pub async fn audit(
    app: &App,
    user: &User,
    patient_id: Option<Id>,
    action: &str,
    reason: AccessReason,
    detail: Option<String>,
    request_id: Option<&str>,
) -> Result<()> {
    app.storage.append_audit(&entry(app, user, patient_id, action, reason, detail, request_id)).await?;
    Ok(())
}

/// Writes an audit row made earlier (see [`authorize_patient_read_deferred`]).
pub async fn write_audit(app: &App, entry: &NewAuditEntry) -> Result<()> {
    app.storage.append_audit(entry).await?;
    Ok(())
}

/// Checks access and writes the audit row for a read of patient data; a
/// refusal is audited too, then returned as `care_relationship_required`.
pub async fn authorize_patient_read(
    app: &App,
    user: &User,
    patient_id: Id,
    action: &str,
    request_id: Option<&str>,
) -> Result<AccessReason> {
    let granted = authorize_patient_read_deferred(app, user, patient_id, action, request_id).await?;
    write_audit(app, &granted).await?;
    Ok(granted.reason)
}

/// Checks access like [`authorize_patient_read`], but returns a granted
/// read's audit row instead of writing it: the use-case writes it in its
/// own transaction, or with [`write_audit`] if it ends without one. A
/// refusal is written at once.
pub async fn authorize_patient_read_deferred(
    app: &App,
    user: &User,
    patient_id: Id,
    action: &str,
    request_id: Option<&str>,
) -> Result<NewAuditEntry> {
    let reason = access_reason(app, user, patient_id).await?;
    grant_deferred(app, user, patient_id, reason, action, request_id).await
}

/// The ground for reading a patient's data from what is already known
/// (one read of the patient, see `PatientForOrdering`), in the order
/// [`access_reason`] checks it.
pub(crate) fn reason_from(user: &User, care_relationship: bool, emergency_access: bool) -> Option<AccessReason> {
    if user.is_hmc() {
        Some(AccessReason::HmcRole)
    } else if care_relationship && user.unit_id.is_some() {
        Some(AccessReason::CareRelationship)
    } else if emergency_access {
        Some(AccessReason::EmergencyAccess)
    } else {
        None
    }
}

/// The audit row of a granted read, not yet written; a refusal (`None`)
/// is written at once and returned as `care_relationship_required`.
pub(crate) async fn grant_deferred(
    app: &App,
    user: &User,
    patient_id: Id,
    reason: Option<AccessReason>,
    action: &str,
    request_id: Option<&str>,
) -> Result<NewAuditEntry> {
    match reason {
        Some(reason) => Ok(entry(app, user, Some(patient_id), action, reason, None, request_id)),
        None => {
            audit(app, user, Some(patient_id), &format!("{action}.refused"), AccessReason::None, None, request_id)
                .await?;
            Err(not_yours())
        }
    }
}
