//! Moving an order along: the warehouse picks, sends and records delivery
//! (which hands the devices over and starts their loans); the creator may
//! cancel until the order is picked, HMC staff until it leaves the house.

use crate::error::{AppError, Result};
use crate::App;
use ramp_domain::order::OrderStatus;
use ramp_domain::role::Role;
use ramp_model::{Id, OrderStatusChange, OrderSummary, StorageError, User};

fn may_move(user: &User, created_by: Id, from: OrderStatus, to: OrderStatus) -> bool {
    let staff = [Role::Warehouse, Role::CustomerService, Role::Admin].iter().any(|r| user.has_role(*r));
    staff || (user.id == created_by && from == OrderStatus::Registered && to == OrderStatus::Cancelled)
}

/// Moves order `id` to `to`. `received_by` names who took the delivery.
pub async fn change_status(
    app: &App,
    user: &User,
    id: Id,
    to: OrderStatus,
    received_by: Option<&str>,
) -> Result<ramp_model::Order> {
    let order = app
        .storage
        .order(id)
        .await?
        .ok_or_else(|| AppError::not_found(Some("id"), "order_not_found", format!("no order {id}")))?;
    if !may_move(user, order.created_by, order.status, to) {
        return Err(AppError::forbidden(
            "role_required",
            "the warehouse moves orders; the prescriber may cancel a registered order",
        ));
    }
    if !order.status.may_become(to) {
        return Err(AppError::conflict(
            "invalid_status_change",
            format!("an order that is {} cannot become {}", order.status, to),
        )
        .with_field("status"));
    }
    let received_by = received_by.map(str::trim).filter(|s| !s.is_empty());
    if received_by.is_some_and(|r| r.chars().count() > 100) {
        return Err(AppError::invalid("received_by", "too_long", "at most 100 characters"));
    }
    let buffer_warehouse_id = match order.target {
        ramp_domain::order::OrderTarget::Buffer => app.storage.buffer_warehouse_of_unit(order.unit_id).await?,
        _ => None,
    };
    let now = app.clock.now();
    let change = OrderStatusChange {
        order_id: id,
        expected: order.status,
        to,
        at: now,
        on: app.today(),
        actor_user_id: user.id,
        received_by: received_by.map(str::to_string),
        buffer_warehouse_id,
    };
    match app.storage.change_order_status(&change).await {
        Ok(()) => {}
        Err(StorageError::StateMismatch(m)) => return Err(AppError::conflict("state_changed", m)),
        Err(e) => return Err(e.into()),
    }
    app.storage.order(id).await?.ok_or_else(|| AppError::not_found(Some("id"), "order_not_found", "order vanished"))
}

/// Orders in one status, oldest first: the warehouse's queue.
pub async fn order_queue(app: &App, user: &User, status: OrderStatus) -> Result<Vec<OrderSummary>> {
    if !user.is_hmc() {
        return Err(AppError::forbidden("role_required", "the order queue is for the assistive-device centre's staff"));
    }
    Ok(app.storage.orders_by_status(status, 200).await?)
}
