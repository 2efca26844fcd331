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
    /// The batch (lot) number printed on the package, where it has one.
    pub batch: Option<String>,
    /// The batch's expiry date, where it has one.
    pub expiry_date: Option<NaiveDate>,
}

/// A delivery from one supplier: devices one by one, consumables by count.
#[derive(Debug, Clone, Default)]
pub struct ReceiptRequest {
    pub warehouse_id: Id,
    /// The supplier whose delivery this is. Without it the articles' own
    /// supplier is taken (they must then share one).
    pub supplier_id: Option<Id>,
    /// The supplier's delivery note number ("följesedelsnummer").
    pub delivery_note: String,
    /// The purchase's own reference; default: the delivery note number.
    pub reference: String,
    /// Received against this open purchase order (same supplier and warehouse).
    pub purchase_order_id: Option<Id>,
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

/// The delivery note number and the receipt's reference (the note's
/// number when none is given): at least one of them, 1–100 characters.
fn delivery_note_and_reference(req: &ReceiptRequest) -> Result<(String, String)> {
    let (note, reference) = (req.delivery_note.trim(), req.reference.trim());
    let note = if note.is_empty() { reference } else { note };
    if note.is_empty() || note.chars().count() > 100 {
        return Err(AppError::invalid(
            "delivery_note",
            "delivery_note_required",
            "give the delivery note number (1–100 characters)",
        ));
    }
    let reference = if reference.is_empty() { note } else { reference };
    if reference.chars().count() > 100 {
        return Err(AppError::invalid("reference", "required", "give the purchase's reference (1–100 characters)"));
    }
    Ok((note.to_string(), reference.to_string()))
}

/// A consumable line's batch and expiry: the batch 1–40 characters, an
/// expiry date not already passed (an expired batch is not put on the shelf).
fn batch_of(app: &App, i: usize, c: &ReceivedQuantity) -> Result<(Option<String>, Option<NaiveDate>)> {
    let batch = c.batch.as_deref().map(str::trim).filter(|b| !b.is_empty());
    if batch.is_some_and(|b| b.chars().count() > 40) {
        return Err(AppError::invalid(
            format!("consumables[{i}].batch"),
            "invalid_batch",
            "a batch number is 1–40 characters",
        ));
    }
    if let Some(d) = c.expiry_date {
        if d < app.today() {
            return Err(AppError::invalid(
                format!("consumables[{i}].expiry_date"),
                "expired_batch",
                format!("the batch expired on {d}: an expired batch is not received"),
            ));
        }
        if batch.is_none() {
            return Err(AppError::invalid(
                format!("consumables[{i}].batch"),
                "batch_required",
                "an expiry date belongs to a batch: give the batch number",
            ));
        }
    }
    Ok((batch.map(str::to_string), c.expiry_date))
}

/// The delivering supplier: the one named (every article must be theirs),
/// or the articles' one supplier when none is named.
async fn supplier_of(app: &App, named: Option<Id>, lines: &[(String, Id, Id, i32)]) -> Result<Id> {
    match named {
        Some(id) => {
            if !app.storage.suppliers().await?.iter().any(|s| s.id == id) {
                return Err(AppError::invalid("supplier_id", "supplier_not_found", "no such supplier"));
            }
            if let Some((field, ..)) = lines.iter().find(|l| l.1 != id) {
                return Err(AppError::invalid(
                    field.clone(),
                    "not_from_supplier",
                    "the article is not from the receipt's supplier",
                ));
            }
            Ok(id)
        }
        None => {
            let first = lines.first().map(|l| l.1).unwrap_or_default();
            if let Some((field, ..)) = lines.iter().find(|l| l.1 != first) {
                return Err(AppError::invalid(
                    field.clone(),
                    "mixed_suppliers",
                    "one receipt is one supplier's delivery",
                ));
            }
            Ok(first)
        }
    }
}

/// Registers a receipt. Every line is checked before anything is written;
/// a device number already in use refuses the whole receipt.
pub async fn receive(app: &App, user: &User, req: &ReceiptRequest) -> Result<Id> {
    require(user, &[Role::Warehouse], "receiving")?;
    let (delivery_note, reference) = delivery_note_and_reference(req)?;
    if req.devices.is_empty() && req.consumables.is_empty() {
        return Err(AppError::invalid("devices", "empty_receipt", "a receipt has at least one device or consumable"));
    }
    if !app.storage.warehouses().await?.iter().any(|w| w.id == req.warehouse_id) {
        return Err(AppError::invalid("warehouse_id", "warehouse_not_found", "no such warehouse"));
    }
    // Per line: its field, the article's supplier, the article, the quantity.
    let mut suppliers: Vec<(String, Id, Id, i32)> = vec![];
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
        suppliers.push((format!("devices[{i}].article_number"), a.supplier_id, a.id, 1));
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
        let (batch, expiry_date) = batch_of(app, i, c)?;
        suppliers.push((format!("consumables[{i}].article_number"), a.supplier_id, a.id, c.quantity));
        consumables.push(NewReceivedQuantity {
            article_id: a.id,
            quantity: c.quantity,
            unit_price_ore: c.unit_price_ore,
            batch,
            expiry_date,
        });
    }
    let supplier_id = match req.purchase_order_id {
        Some(po) => super::purchase::check_against_order(app, req, po, &suppliers).await?,
        None => supplier_of(app, req.supplier_id, &suppliers).await?,
    };
    let receipt = NewReceipt {
        supplier_id,
        warehouse_id: req.warehouse_id,
        reference,
        delivery_note,
        purchase_order_id: req.purchase_order_id,
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
