//! Picking and delivering by route: the pick list per warehouse (devices
//! and counted consumables, with the address each goes to), picking line
//! by line with a scanner, delivering by scanning the delivery note or a
//! device, and the devices waiting to be collected along each route.
//!
//! A patient's delivery address is patient data: every list that shows one
//! writes an audit row per patient (the centre's role is the ground).

use super::require;
use crate::error::{AppError, Result};
use crate::orders::apply_status_change_in as apply_in;
use crate::App;
use chrono::NaiveDate;
use ramp_domain::order::OrderStatus;
use ramp_domain::role::Role;
use ramp_domain::scan::{self, Scanned};
use ramp_model::{AccessReason, Id, OrderStatusChange, PendingPickup, PickLine, User};
use serde::Serialize;
use std::collections::BTreeSet;

/// What one scan on the pick list did.
#[derive(Debug, Clone, Serialize)]
pub struct PickScan {
    pub order_id: Id,
    pub line_no: i32,
    pub article_number: String,
    pub article_name: String,
    pub device_number: Option<String>,
    pub quantity: i32,
    /// The scan picked the order's last line: the order is now picked.
    pub order_picked: bool,
}

async fn check_warehouse(app: &App, warehouse_id: Id) -> Result<()> {
    if app.storage.warehouses().await?.iter().any(|w| w.id == warehouse_id) {
        return Ok(());
    }
    Err(AppError::not_found(Some("warehouse"), "warehouse_not_found", format!("no warehouse {warehouse_id}")))
}

/// Audits the patients whose delivery addresses a list shows, once each.
async fn audit_addresses(
    app: &App,
    user: &User,
    action: &str,
    shown: impl Iterator<Item = (Id, String)>,
    request_id: Option<&str>,
) -> Result<()> {
    let patients: BTreeSet<(Id, String)> = shown.collect();
    for (pid, detail) in patients {
        crate::access::audit(app, user, Some(pid), action, AccessReason::HmcRole, Some(detail), request_id).await?;
    }
    Ok(())
}

/// The pick list's last promised date: `until`, else 7 working days ahead
/// (a stock item's lead time).
pub fn pick_until(app: &App, until: Option<NaiveDate>) -> NaiveDate {
    until.unwrap_or_else(|| ramp_domain::calendar::add_working_days(app.today(), 7))
}

/// What to pick in a warehouse: open order lines promised by `until`
/// (default: 7 working days ahead), by route and date. Reading it audits
/// the patients whose home addresses it shows.
pub async fn pick_list(
    app: &App,
    user: &User,
    warehouse_id: Id,
    until: Option<NaiveDate>,
    request_id: Option<&str>,
) -> Result<Vec<PickLine>> {
    require(user, &[Role::Warehouse], "picking")?;
    check_warehouse(app, warehouse_id).await?;
    let until = pick_until(app, until);
    let lines = app.storage.pick_list(warehouse_id, until).await?;
    let shown = lines
        .iter()
        .filter(|l| l.address.is_some())
        .filter_map(|l| l.patient_id.map(|p| (p, format!("order {}", l.order_id))));
    audit_addresses(app, user, "pick_list.read", shown, request_id).await?;
    Ok(lines)
}

/// The line a scan names on this pick list: a device by its number, a
/// consumable by its GTIN or article number (the first line not yet picked).
fn line_for<'a>(lines: &'a [PickLine], code: &Scanned) -> Result<&'a PickLine> {
    let found = match code {
        Scanned::Order(_) => {
            return Err(AppError::invalid(
                "code",
                "scan_a_line",
                "that is an order's code: scan each device or article on the order",
            ))
        }
        Scanned::Gtin(g) => {
            let of_article = |l: &&PickLine| l.gtin.as_deref().map(scan::gtin14).as_deref() == Some(g.as_str());
            if lines.iter().filter(of_article).all(|l| l.device_number.is_some())
                && lines.iter().any(|l| of_article(&l))
            {
                return Err(AppError::invalid(
                    "code",
                    "scan_the_device",
                    "that code names the article: scan the device's own number",
                ));
            }
            lines.iter().filter(of_article).find(|l| l.device_number.is_none() && !l.picked)
        }
        Scanned::Text(t) => {
            lines.iter().find(|l| l.device_number.as_deref().is_some_and(|d| d.eq_ignore_ascii_case(t))).or_else(|| {
                lines
                    .iter()
                    .find(|l| l.device_number.is_none() && !l.picked && l.article_number.eq_ignore_ascii_case(t))
            })
        }
    };
    found.ok_or_else(|| {
        AppError::not_found(Some("code"), "not_on_pick_list", "nothing on this pick list matches the scanned code")
    })
}

/// Picks the line a scanner read on warehouse `warehouse_id`'s list; the
/// order becomes picked, in the same transaction, with its last line.
pub async fn pick_scan(
    app: &App,
    user: &User,
    warehouse_id: Id,
    until: Option<NaiveDate>,
    code: &str,
) -> Result<PickScan> {
    require(user, &[Role::Warehouse], "picking")?;
    check_warehouse(app, warehouse_id).await?;
    let scanned = scan::parse(code).ok_or_else(|| AppError::invalid("code", "required", "scan or type a code"))?;
    let until = pick_until(app, until);
    let lines = app.storage.pick_list(warehouse_id, until).await?;
    let line = line_for(&lines, &scanned)?;
    if line.picked {
        return Err(AppError::conflict("already_picked", "that line is picked already").with_field("code"));
    }
    if let Some(reason) = &line.blocked_reason {
        return Err(
            AppError::conflict("blocked", format!("the device must not leave the house: {reason}")).with_field("code")
        );
    }
    let now = app.clock.now();
    let mut uow = app.storage.unit_of_work().await?;
    if !uow.pick_line(line.order_id, line.line_no, now, user.id).await? {
        return Err(AppError::conflict("already_picked", "that line was picked meanwhile").with_field("code"));
    }
    let order_picked = line.order_status == OrderStatus::Registered && uow.unpicked_lines(line.order_id).await? == 0;
    if order_picked {
        let change = OrderStatusChange {
            order_id: line.order_id,
            expected: OrderStatus::Registered,
            to: OrderStatus::Picked,
            at: now,
            on: app.today(),
            actor_user_id: user.id,
            received_by: None,
            buffer_warehouse_id: None,
        };
        apply_in(uow.as_mut(), &change).await?;
    }
    uow.commit().await?;
    Ok(PickScan {
        order_id: line.order_id,
        line_no: line.line_no,
        article_number: line.article_number.clone(),
        article_name: line.article_name.clone(),
        device_number: line.device_number.clone(),
        quantity: line.quantity,
        order_picked,
    })
}

/// Delivers the order a scanner read at the door: its delivery note's
/// order code, or any of its devices. Only a picked order (or one out for
/// delivery) is delivered; the database refuses an unpicked line too.
pub async fn deliver_scan(app: &App, user: &User, code: &str, received_by: Option<&str>) -> Result<ramp_model::Order> {
    require(user, &[Role::Warehouse], "delivering")?;
    let scanned = scan::parse(code).ok_or_else(|| AppError::invalid("code", "required", "scan or type a code"))?;
    let order_id = match scanned {
        Scanned::Order(id) => Some(id),
        Scanned::Text(t) => app.storage.open_order_of_device(&t).await?,
        Scanned::Gtin(_) => {
            return Err(AppError::invalid(
                "code",
                "scan_the_device",
                "that code names an article: scan the delivery note or the device",
            ))
        }
    };
    let not_found = || AppError::not_found(Some("code"), "nothing_to_deliver", "no open order has that code");
    let order = app.storage.order(order_id.ok_or_else(not_found)?).await?.ok_or_else(not_found)?;
    match order.status {
        OrderStatus::Picked | OrderStatus::OutForDelivery => {}
        OrderStatus::Registered => {
            return Err(AppError::conflict("order_not_picked", format!("order {} is not picked yet", order.id))
                .with_field("code"))
        }
        _ => return Err(not_found()),
    }
    crate::orders::change_status(app, user, order.id, OrderStatus::Delivered, received_by).await
}

/// Devices waiting to be collected, by route; reading the list audits the
/// patients whose addresses it shows.
pub async fn pending_pickups(
    app: &App,
    user: &User,
    route: Option<&str>,
    request_id: Option<&str>,
) -> Result<Vec<PendingPickup>> {
    require(user, &[Role::Warehouse, Role::CustomerService], "pickups")?;
    let route = route.map(str::trim).filter(|r| !r.is_empty());
    let mut rows = app.storage.pending_pickups().await?;
    if let Some(r) = route {
        rows.retain(|p| p.route.as_deref() == Some(r));
    }
    let shown = rows
        .iter()
        .filter(|p| p.address.is_some())
        .filter_map(|p| p.patient_id.map(|pid| (pid, format!("pickup {}", p.id))));
    audit_addresses(app, user, "pickups.read", shown, request_id).await?;
    Ok(rows)
}
