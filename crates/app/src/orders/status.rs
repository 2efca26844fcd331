//! Moving an order along: the warehouse picks, sends and records delivery
//! (which hands the devices over and starts their loans); the creator may
//! cancel until the order is picked, HMC staff until it leaves the house.

use crate::error::{AppError, Result};
use crate::App;
use ramp_domain::delivery::{self, Destination};
use ramp_domain::device::DeviceState;
use ramp_domain::order::LineState;
use ramp_domain::order::OrderStatus;
use ramp_domain::role::Role;
use ramp_model::{
    Holder, Id, Loan, MovedOrder, NewDeviceEvent, NewOrderEvent, OrderMove, OrderStatusChange, OrderSummary,
    ReservationEnd, ReservedLine, Storage, StorageError, UnitOfWork, User,
};

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
    apply(app.storage.as_ref(), &change).await?;
    app.storage.order(id).await?.ok_or_else(|| AppError::not_found(Some("id"), "order_not_found", "order vanished"))
}

/// Carries out a status change in one unit of work: the conditional
/// status update and its event, then what the delivery rule
/// ([`ramp_domain::delivery::outcome`]) says for each reserved device
/// (its new state and holder, its event, its loan) and for the open
/// lines. Anything that does not hold (the order moved meanwhile, a
/// device no longer reserved or blocked) rolls the whole change back.
pub async fn apply(storage: &dyn Storage, c: &OrderStatusChange) -> Result<()> {
    let mut uow = storage.unit_of_work().await?;
    apply_in(uow.as_mut(), c).await?;
    Ok(uow.commit().await?)
}

/// [`apply`] inside a unit of work the caller commits: a scan that picks
/// an order's last line moves the order in the same transaction.
pub async fn apply_in(uow: &mut dyn UnitOfWork, c: &OrderStatusChange) -> Result<()> {
    let m = OrderMove {
        order_id: c.order_id,
        expected: c.expected,
        to: c.to,
        at: c.at,
        received_by: c.received_by.as_deref(),
    };
    let Some(order) = uow.move_order(&m).await? else {
        return Err(match uow.order_status(c.order_id).await? {
            None => AppError::not_found(Some("id"), "order_not_found", format!("no order {}", c.order_id)),
            Some(now) => {
                AppError::conflict("state_changed", format!("order {} is {now}, expected {}", c.order_id, c.expected))
            }
        });
    };
    let event = NewOrderEvent {
        order_id: c.order_id,
        at: c.at,
        from: c.expected,
        to: c.to,
        actor_user_id: c.actor_user_id,
        note: c.received_by.as_deref(),
    };
    uow.add_order_event(&event).await?;
    uow.notify_creator(&event).await?;
    if c.to == OrderStatus::Picked {
        uow.mark_lines_picked(c.order_id, c.at, c.actor_user_id).await?;
    }
    if let Some(outcome) = delivery::outcome(c.to, order.target) {
        for line in uow.reserved_lines(c.order_id).await? {
            hand_over(uow, c, &order, &outcome, &line).await?;
        }
        let delivered_at = (outcome.line_state == LineState::Delivered).then_some(c.at);
        uow.close_open_lines(c.order_id, outcome.line_state, delivered_at).await?;
    }
    Ok(())
}

/// One reserved device of the order, moved as `outcome` says.
async fn hand_over(
    uow: &mut dyn UnitOfWork,
    c: &OrderStatusChange,
    order: &MovedOrder,
    outcome: &delivery::Outcome,
    line: &ReservedLine,
) -> Result<()> {
    let device_id = line.device_id;
    if outcome.refuses_blocked {
        if let Some(reason) = uow.device_block(device_id).await? {
            return Err(StorageError::Blocked { device_id, reason }.into());
        }
    }
    let holder = match outcome.destination {
        Destination::BackToStock => None,
        Destination::Patient => Some(Holder { patient_id: order.patient_id, unit_id: None, warehouse_id: None }),
        Destination::Unit => Some(Holder { patient_id: None, unit_id: Some(order.unit_id), warehouse_id: None }),
        Destination::BufferStore => {
            Some(Holder { patient_id: None, unit_id: None, warehouse_id: c.buffer_warehouse_id })
        }
    };
    let end = ReservationEnd { device_id, to: outcome.device_state, at: c.at, holder };
    let Some(warehouse_id) = uow.end_reservation(&end).await? else {
        return Err(AppError::conflict(
            "state_changed",
            format!("device {device_id} is no longer reserved for this order"),
        ));
    };
    let patient_id = holder.and_then(|h| h.patient_id);
    let event = NewDeviceEvent {
        device_id,
        at: c.at,
        kind: outcome.event,
        from: DeviceState::Reserved,
        to: outcome.device_state,
        actor_user_id: Some(c.actor_user_id),
        patient_id,
        warehouse_id,
    };
    uow.add_device_event(&event).await?;
    if outcome.opens_loan {
        let loan = Loan {
            device_id,
            patient_id,
            unit_id: holder.and_then(|h| h.unit_id),
            customer_number_id: line.customer_number_id,
            payer: line.payer,
            rule_id: line.rule_id.clone(),
            agreement_version: line.agreement_version.clone(),
            start_date: c.on,
            end_date: None,
        };
        uow.open_loan(&loan).await?;
    }
    Ok(())
}

/// Orders in one status, oldest first: the warehouse's queue.
pub async fn order_queue(app: &App, user: &User, status: OrderStatus) -> Result<Vec<OrderSummary>> {
    if !user.is_hmc() {
        return Err(AppError::forbidden("role_required", "the order queue is for the assistive-device centre's staff"));
    }
    Ok(app.storage.orders_by_status(status, 200).await?)
}
