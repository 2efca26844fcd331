//! The list of lent digital devices and their credentials. A credential is
//! a random secret shown once; only its SHA-256 is stored (as for API
//! tokens, `auth::token_hash`), and issuing a new one revokes the old.

use super::unit_scope;
use crate::access::audit;
use crate::auth::{random_token, token_hash};
use crate::error::{AppError, Result};
use crate::App;
use ramp_model::{AccessReason, DigitalDevice, User};

/// Lent digital devices the user may see: all for the centre's staff,
/// those their unit is responsible for otherwise. The list links devices
/// to patients by internal id only; it is audited as one read.
pub async fn lent_devices(app: &App, user: &User, request_id: Option<&str>) -> Result<Vec<DigitalDevice>> {
    let scope = unit_scope(user)?;
    let devices = app.storage.lent_digital_devices(app.today(), scope).await?;
    let reason = if scope.is_none() { AccessReason::HmcRole } else { AccessReason::CareRelationship };
    let detail = Some(format!("{} devices", devices.len()));
    audit(app, user, None, "digital.devices.list", reason, detail, request_id).await?;
    Ok(devices)
}

fn device_not_found() -> AppError {
    AppError::not_found(Some("device_number"), "digital_device_not_found", "no digital device has this number")
}

/// A new secret for the digital device `device_number`, which must be lent
/// to a patient now. Returned once; `by` is `None` from the command line.
pub async fn issue_token(app: &App, device_number: &str, by: Option<&User>) -> Result<String> {
    if let Some(user) = by {
        if !user.has_role(ramp_domain::role::Role::Admin) {
            return Err(AppError::forbidden("admin_required", "only an administrator issues device secrets"));
        }
    }
    let device = app.storage.digital_device(device_number, app.today()).await?.ok_or_else(device_not_found)?;
    if device.patient_id.is_none() {
        return Err(not_lent());
    }
    let secret = random_token();
    app.storage.issue_device_credential(device.device_id, &token_hash(&secret), app.now(), by.map(|u| u.id)).await?;
    if let Some(file) = &app.config.mqtt_password_file {
        // The one moment the secret is known: the broker's line is written now.
        file.update(vec![(device.device_number.clone(), Some(secret.clone()))]).await?;
    }
    tracing::info!(device_number, "device secret issued");
    Ok(secret)
}

/// Revokes the device's secret; it can no longer report.
pub async fn revoke_token(app: &App, device_number: &str, by: Option<&User>) -> Result<()> {
    if let Some(user) = by {
        if !user.has_role(ramp_domain::role::Role::Admin) {
            return Err(AppError::forbidden("admin_required", "only an administrator revokes device secrets"));
        }
    }
    let device = app.storage.digital_device(device_number, app.today()).await?.ok_or_else(device_not_found)?;
    if !app.storage.revoke_device_credential(device.device_id, app.now()).await? {
        return Err(AppError::conflict("no_live_secret", "the device has no live secret"));
    }
    if let Some(file) = &app.config.mqtt_password_file {
        file.update(vec![(device.device_number.clone(), None)]).await?;
    }
    tracing::info!(device_number, "device secret revoked");
    Ok(())
}

/// The one answer to a device that is not lent to a patient now.
pub(crate) fn not_lent() -> AppError {
    AppError::conflict("device_not_lent", "the device is not lent to a patient now, so it cannot report")
        .with_field("device_number")
}
