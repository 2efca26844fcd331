//! What a prescriber or unit reports about a device out there: a pickup
//! order ("hämtorder"), a fault (a repair work order), a loss.

use crate::access::authorize_patient_read;
use crate::error::{AppError, Result};
use crate::App;
use chrono::NaiveDate;
use ramp_domain::calendar::{deregistration_due, pickup_rent_end};
use ramp_domain::device::DeviceState;
use ramp_model::{DeviceCard, Id, NewFaultReport, NewLostReport, NewPickupOrder, StorageError, User};
use serde::Serialize;

/// A registered pickup order and the dates it sets.
#[derive(Debug, Clone, Serialize)]
pub struct PickupRegistered {
    pub id: Id,
    pub device_number: String,
    pub registered_on: NaiveDate,
    /// The last day of function rent: three working days after registration.
    pub rent_end_date: NaiveDate,
    /// Deregistration from the holder is due within seven working days.
    pub deregistration_due: NaiveDate,
}

#[derive(Debug, Clone, Serialize)]
pub struct LostReported {
    pub id: Id,
    pub device_number: String,
    pub reported_on: NaiveDate,
}

/// Finds the device and checks the user may act on it: with a patient, on
/// a ground to read the patient (audited under `action`); at a unit, its
/// orderers; HMC staff always.
pub(super) async fn device_for(
    app: &App,
    user: &User,
    number: &str,
    action: &str,
    rid: Option<&str>,
) -> Result<DeviceCard> {
    let number = number.trim();
    if number.is_empty() || number.len() > 40 {
        return Err(AppError::invalid("device_number", "invalid_device_number", "enter a device number"));
    }
    let card = app.storage.device_card(number).await?.ok_or_else(|| {
        AppError::not_found(Some("device_number"), "device_not_found", format!("no device with number {number}"))
    })?;
    match (card.device.patient_id, card.device.unit_id) {
        (Some(pid), _) => {
            authorize_patient_read(app, user, pid, action, rid).await?;
        }
        (None, Some(unit)) if !user.is_hmc() && user.unit_id != Some(unit) => {
            return Err(AppError::forbidden("other_unit", "the device is placed at another unit"));
        }
        (None, None) if card.device.state != DeviceState::Lost && !user.is_hmc() => {
            return Err(AppError::forbidden("role_required", "the device is in the centre's stock"));
        }
        _ => {}
    }
    Ok(card)
}

fn text(field: &str, value: &str, what: &str) -> Result<String> {
    let v = value.trim();
    if v.chars().count() < 5 {
        return Err(AppError::invalid(field, "required", format!("describe {what} (at least 5 characters)")));
    }
    if v.chars().count() > 2000 {
        return Err(AppError::invalid(field, "too_long", "at most 2,000 characters"));
    }
    Ok(v.to_string())
}

fn mismatch(e: StorageError, card: &DeviceCard) -> AppError {
    match e {
        StorageError::StateMismatch(_) => AppError::conflict(
            "device_not_out",
            format!("device {} is {}, not out with a patient or unit", card.device.device_number, card.device.state),
        )
        .with_field("device_number"),
        other => other.into(),
    }
}

/// Registers a pickup order. The function rent ends three working days
/// later and deregistration is due within seven (Swedish public holidays
/// computed). A lost device cannot be picked up: it is reported lost.
pub async fn register_pickup(
    app: &App,
    user: &User,
    device_number: &str,
    note: Option<&str>,
    request_id: Option<&str>,
) -> Result<PickupRegistered> {
    let card = device_for(app, user, device_number, "device.pickup_order", request_id).await?;
    if card.device.state == DeviceState::Lost {
        return Err(AppError::conflict(
            "device_lost",
            "the device is reported lost, so it cannot be picked up; the loss is charged instead",
        )
        .with_field("device_number"));
    }
    let on = app.today();
    let p = NewPickupOrder {
        device_id: card.device.id,
        registered_by: user.id,
        at: app.clock.now(),
        on,
        rent_end_date: pickup_rent_end(on),
        deregistration_due: deregistration_due(on),
        note: note.map(str::trim).filter(|n| !n.is_empty()).map(str::to_string),
    };
    let id = match app.storage.register_pickup(&p).await {
        Ok(id) => id,
        Err(e) if e.is_conflict_on("pickup_orders_one_open_per_device", "pickup_orders.device_id") => {
            return Err(AppError::conflict(
                "pickup_already_registered",
                "a pickup order for this device is already open",
            )
            .with_field("device_number"))
        }
        Err(e) => return Err(mismatch(e, &card)),
    };
    Ok(PickupRegistered {
        id,
        device_number: card.device.device_number,
        registered_on: on,
        rent_end_date: p.rent_end_date,
        deregistration_due: p.deregistration_due,
    })
}

/// Reports a fault: a repair work order for the workshop. Returns its id.
pub async fn report_fault(
    app: &App,
    user: &User,
    device_number: &str,
    description: &str,
    request_id: Option<&str>,
) -> Result<Id> {
    let description = text("description", description, "the fault")?;
    let card = device_for(app, user, device_number, "device.fault_report", request_id).await?;
    let f = NewFaultReport { device_id: card.device.id, reported_by: user.id, at: app.clock.now(), description };
    app.storage.report_fault(&f).await.map_err(|e| mismatch(e, &card))
}

/// Reports a device lost: the loan ends today, an open pickup order is
/// cancelled, and the case waits for the billing run to compute the charge.
pub async fn report_lost(
    app: &App,
    user: &User,
    device_number: &str,
    circumstances: &str,
    request_id: Option<&str>,
) -> Result<LostReported> {
    let circumstances = text("circumstances", circumstances, "how the device was lost")?;
    let card = device_for(app, user, device_number, "device.lost_report", request_id).await?;
    let on = app.today();
    let l = NewLostReport { device_id: card.device.id, reported_by: user.id, at: app.clock.now(), on, circumstances };
    let id = app.storage.report_lost(&l).await.map_err(|e| mismatch(e, &card))?;
    Ok(LostReported { id, device_number: card.device.device_number, reported_on: on })
}
