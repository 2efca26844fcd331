//! Undoing a pickup order ("ångra hämtorder"): a prescriber who registered
//! one by mistake may take it back until the end of that day in Stockholm
//! (the Clock's date), as long as nothing has happened to the device since
//! — after that the warehouse may already be on its way. The read of the
//! device is audited (`device.pickup_undo`) and the undo is a device event.

use super::reports::device_for;
use crate::error::{AppError, Result};
use crate::App;
use ramp_model::{PickupUndo, User};

/// Undoes the open pickup order of `device_number` (see the module documentation).
pub async fn undo_pickup(app: &App, user: &User, device_number: &str, request_id: Option<&str>) -> Result<()> {
    let card = device_for(app, user, device_number, "device.pickup_undo", request_id).await?;
    let open = app.storage.open_pickup_order(card.device.id).await?.ok_or_else(|| {
        AppError::not_found(Some("device_number"), "no_open_pickup", "the device has no open pickup order")
    })?;
    if open.registered_by != user.id {
        return Err(AppError::forbidden("not_your_pickup", "only the one who registered the pickup order may undo it")
            .with_field("device_number"));
    }
    let today = app.today();
    if open.registered_on != today {
        return Err(AppError::conflict(
            "undo_window_passed",
            format!("a pickup order can be undone the day it was registered ({}) only", open.registered_on),
        )
        .with_field("device_number"));
    }
    let undo = PickupUndo { device_id: card.device.id, by: user.id, on: today, at: app.clock.now() };
    if !app.storage.undo_pickup(&undo).await? {
        return Err(AppError::conflict(
            "pickup_in_progress",
            "something has happened to the device since the pickup order was registered; contact customer service",
        )
        .with_field("device_number"));
    }
    Ok(())
}
