//! A device comes back: received into the workshop, inspected, then
//! reconditioned (back in stock, proposed first as an older equivalent) or
//! scrapped. A device past its service life is flagged at inspection.

use super::{device, require};
use crate::error::{AppError, Result};
use crate::App;
use chrono::Months;
use ramp_domain::role::Role;
use ramp_model::{Id, NewInspection, NewReturn, StorageError, User};
use serde::Serialize;

/// Receives a returned device (collected on its pickup order, or handed in).
pub async fn receive_return(app: &App, user: &User, device_number: &str, warehouse_id: Id) -> Result<()> {
    require(user, &[Role::Warehouse], "receiving returns")?;
    let card = device(app, device_number).await?;
    if !app.storage.warehouses().await?.iter().any(|w| w.id == warehouse_id) {
        return Err(AppError::invalid("warehouse_id", "warehouse_not_found", "no such warehouse"));
    }
    let r = NewReturn { device_id: card.device.id, warehouse_id, actor: user.id, at: app.clock.now(), on: app.today() };
    app.storage.receive_return(&r).await.map_err(|e| match e {
        StorageError::StateMismatch(_) => AppError::conflict(
            "device_not_out",
            format!("device {} is {}, not out with a patient or unit", card.device.device_number, card.device.state),
        )
        .with_field("device_number"),
        other => other.into(),
    })
}

#[derive(Debug, Clone, Serialize)]
pub struct InspectionResult {
    /// The reconditioning work order, unless scrapped.
    pub work_order_id: Option<Id>,
    pub scrapped: bool,
    /// The device has passed the manufacturer's service life.
    pub past_service_life: bool,
}

/// Inspects a returned device: to reconditioning (a work order) or scrapped.
pub async fn inspect(app: &App, user: &User, device_number: &str, scrap: bool, note: &str) -> Result<InspectionResult> {
    require(user, &[Role::Warehouse, Role::Technician], "inspection")?;
    let card = device(app, device_number).await?;
    let end_of_life =
        card.device.purchase_date.checked_add_months(Months::new(card.article.service_life_months.max(0) as u32));
    let past_service_life = end_of_life.is_some_and(|end| end <= app.today());
    let mut note = note.trim().to_string();
    if note.chars().count() > 2000 {
        return Err(AppError::invalid("note", "too_long", "at most 2,000 characters"));
    }
    if past_service_life {
        let flag = format!("Livslängden ({} mån.) är passerad.", card.article.service_life_months);
        note = if note.is_empty() { flag } else { format!("{note} {flag}") };
    }
    if note.is_empty() {
        note = if scrap { "Kasseras".into() } else { "Rekonditionering".into() };
    }
    let i = NewInspection { device_id: card.device.id, actor: user.id, at: app.clock.now(), scrap, note };
    let work_order_id = app.storage.inspect(&i).await.map_err(|e| match e {
        StorageError::StateMismatch(m) => AppError::conflict("not_in_workshop", m).with_field("device_number"),
        other => other.into(),
    })?;
    Ok(InspectionResult { work_order_id, scrapped: scrap, past_service_life })
}
