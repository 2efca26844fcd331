//! Receiving new devices against a purchase and consumables by quantity,
//! and the pick list per warehouse.

use super::require;
use crate::error::{AppError, Result};
use crate::App;
use chrono::NaiveDate;
use ramp_domain::money::check_amount;
use ramp_domain::role::Role;
use ramp_model::{ConsumableStockLine, Id, NewReceipt, NewReceivedDevice, NewReceivedQuantity, User};
use std::collections::HashSet;

#[derive(Debug, Clone, Default)]
pub struct ReceivedDevice {
    pub article_number: String,
    pub device_number: String,
    pub serial: Option<String>,
    pub purchase_price_ore: i64,
}

#[derive(Debug, Clone, Default)]
pub struct ReceivedQuantity {
    pub article_number: String,
    pub quantity: i32,
    pub unit_price_ore: i64,
}

/// A delivery from one supplier: devices one by one, consumables by count.
#[derive(Debug, Clone, Default)]
pub struct ReceiptRequest {
    pub warehouse_id: Id,
    /// The purchase's reference (order or delivery note number).
    pub reference: String,
    /// Default: today.
    pub purchase_date: Option<NaiveDate>,
    pub devices: Vec<ReceivedDevice>,
    pub consumables: Vec<ReceivedQuantity>,
}

async fn article(app: &App, field: &str, number: &str) -> Result<ramp_model::Article> {
    let n = number.trim();
    app.storage
        .article_by_number(n)
        .await?
        .ok_or_else(|| AppError::not_found(Some(field), "article_not_found", format!("no article {n}")))
}

/// Registers a receipt. Every line is checked before anything is written;
/// a device number already in use refuses the whole receipt.
pub async fn receive(app: &App, user: &User, req: &ReceiptRequest) -> Result<Id> {
    require(user, &[Role::Warehouse], "receiving")?;
    let reference = req.reference.trim();
    if reference.is_empty() || reference.chars().count() > 100 {
        return Err(AppError::invalid("reference", "required", "give the purchase's reference (1–100 characters)"));
    }
    if req.devices.is_empty() && req.consumables.is_empty() {
        return Err(AppError::invalid("devices", "empty_receipt", "a receipt has at least one device or consumable"));
    }
    if !app.storage.warehouses().await?.iter().any(|w| w.id == req.warehouse_id) {
        return Err(AppError::invalid("warehouse_id", "warehouse_not_found", "no such warehouse"));
    }
    let mut suppliers = HashSet::new();
    let mut numbers = HashSet::new();
    let mut devices = Vec::with_capacity(req.devices.len());
    for (i, d) in req.devices.iter().enumerate() {
        let a = article(app, &format!("devices[{i}].article_number"), &d.article_number).await?;
        if !a.kind.is_individual() {
            return Err(AppError::invalid(
                format!("devices[{i}].article_number"),
                "not_individual",
                format!("{} is counted, not tracked one by one: receive it under consumables", a.name),
            ));
        }
        let number = d.device_number.trim();
        if number.is_empty() || number.len() > 40 || !numbers.insert(number.to_string()) {
            return Err(AppError::invalid(
                format!("devices[{i}].device_number"),
                "invalid_device_number",
                "each device needs its own device number (1–40 characters)",
            ));
        }
        if d.purchase_price_ore < 0 {
            return Err(AppError::invalid(
                format!("devices[{i}].purchase_price_ore"),
                "negative_amount",
                "a price is not negative",
            ));
        }
        check_amount(&format!("devices[{i}].purchase_price_ore"), d.purchase_price_ore)?;
        suppliers.insert(a.supplier_id);
        devices.push(NewReceivedDevice {
            article_id: a.id,
            device_number: number.to_string(),
            serial: d.serial.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string),
            purchase_price_ore: d.purchase_price_ore,
        });
    }
    let mut consumables = Vec::with_capacity(req.consumables.len());
    for (i, c) in req.consumables.iter().enumerate() {
        let a = article(app, &format!("consumables[{i}].article_number"), &c.article_number).await?;
        if a.kind.is_individual() {
            return Err(AppError::invalid(
                format!("consumables[{i}].article_number"),
                "individual",
                format!("{} is tracked one by one: receive each device with its device number", a.name),
            ));
        }
        if !(1..=1_000_000).contains(&c.quantity) {
            return Err(AppError::invalid(format!("consumables[{i}].quantity"), "invalid_quantity", "1 to 1,000,000"));
        }
        if c.unit_price_ore < 0 {
            return Err(AppError::invalid(
                format!("consumables[{i}].unit_price_ore"),
                "negative_amount",
                "a price is not negative",
            ));
        }
        check_amount(&format!("consumables[{i}].unit_price_ore"), c.unit_price_ore)?;
        suppliers.insert(a.supplier_id);
        consumables.push(NewReceivedQuantity {
            article_id: a.id,
            quantity: c.quantity,
            unit_price_ore: c.unit_price_ore,
        });
    }
    if suppliers.len() != 1 {
        return Err(AppError::invalid("devices", "mixed_suppliers", "one receipt is one supplier's delivery"));
    }
    let receipt = NewReceipt {
        supplier_id: suppliers.into_iter().next().unwrap_or_default(),
        warehouse_id: req.warehouse_id,
        reference: reference.to_string(),
        received_by: user.id,
        at: app.clock.now(),
        purchase_date: req.purchase_date.unwrap_or_else(|| app.today()),
        devices,
        consumables,
    };
    app.storage.receive(&receipt).await.map_err(|e| {
        if e.is_conflict_on("devices_device_number_key", "devices.device_number") {
            AppError::conflict(
                "device_number_taken",
                "a device number in the receipt is already in use; nothing was received",
            )
            .with_field("devices")
        } else {
            e.into()
        }
    })
}

/// Consumables counted in a warehouse.
pub async fn consumable_stock(app: &App, user: &User, warehouse_id: Id) -> Result<Vec<ConsumableStockLine>> {
    require(user, &[Role::Warehouse, Role::CustomerService, Role::Technician], "stock")?;
    Ok(app.storage.consumable_stock(warehouse_id).await?)
}
