//! The device card ("individkort"): a device, its article, who holds it
//! and its full history.

use crate::access::authorize_patient_read;
use crate::error::{AppError, Result};
use crate::App;
use ramp_model::{DeviceCard, User};

/// Opens a device card. When the device is with a patient, this is a read
/// of patient data: it needs the same ground as the patient overview and
/// is audited.
pub async fn device_card(app: &App, user: &User, device_number: &str, request_id: Option<&str>) -> Result<DeviceCard> {
    let number = device_number.trim();
    if number.is_empty() || number.len() > 40 {
        return Err(AppError::invalid("device_number", "invalid_device_number", "enter a device number"));
    }
    let card = app.storage.device_card(number).await?.ok_or_else(|| {
        AppError::not_found(Some("device_number"), "device_not_found", format!("no device with number {number}"))
    })?;
    if let Some(patient_id) = card.device.patient_id {
        authorize_patient_read(app, user, patient_id, "device.card", request_id).await?;
    }
    Ok(card)
}

/// The open pickup order ("hämtorder") of a device whose card the user
/// has opened (and so may see), if there is one.
pub async fn open_pickup_order(app: &App, card: &DeviceCard) -> Result<Option<ramp_model::PickupOrder>> {
    Ok(app.storage.open_pickup_order(card.device.id).await?)
}
