//! Placing an order, as one straight pipeline whichever way the order
//! comes (from the cart, or with its lines in one request):
//!
//! 1. check the request on its own ([`super::request`]);
//! 2. resolve the recipient once (its audit row kept pending);
//! 3. decide each line ([`super::cart`] for cart lines, [`super::direct`]
//!    for lines in the request);
//! 4. build the write plan ([`super::plan`]);
//! 5. commit it in one transaction, with the audit row — or, refused,
//!    write the audit row alone.
//!
//! Idempotent: a retry with the same `Idempotency-Key` returns the order the
//! first attempt created (or is refused if the key comes with a different
//! request).

use super::cart::line_decision;
use super::direct::{self, ReadyLine};
use super::plan::{as_placed, decided_line, new_order, Shown};
use super::recipient::{resolve, Recipient};
use super::request::{check_delivery, check_form, check_key, check_lines, request_hash, OrderRequest};
use crate::access::access_reason;
use crate::error::{AppError, Result};
use crate::App;
use chrono::{DateTime, SubsecRound, Utc};
use ramp_domain::cost::Need;
use ramp_domain::order::OrderTarget;
use ramp_domain::shipping::{promised_for, Delivery, Urgency};
use ramp_model::{CartItem, Id, NewOrderLine, Order, StorageError, User};

/// A placed order, and whether this call only replayed an earlier one.
#[derive(Debug, Clone)]
pub struct PlacedOrder {
    pub order: Order,
    pub replayed: bool,
}

async fn replay(app: &App, user: &User, key: &str, hash: &str) -> Result<Option<PlacedOrder>> {
    match app.storage.order_by_idempotency_key(user.id, key).await? {
        None => Ok(None),
        Some(order) if order.request_hash.as_deref() == Some(hash) => Ok(Some(PlacedOrder { order, replayed: true })),
        Some(_) => Err(AppError::invalid(
            "Idempotency-Key",
            "idempotency_key_reused",
            "this Idempotency-Key was used for a different order; use a new key for a new order",
        )),
    }
}

/// Places an order for the request's recipient (see the module documentation).
/// Every line's cost decision is made now and stored with its rule and
/// agreement version.
pub async fn place_order(
    app: &App,
    user: &User,
    req: &OrderRequest,
    idempotency_key: Option<&str>,
    request_id: Option<&str>,
) -> Result<PlacedOrder> {
    // 1. The request on its own.
    let target = req.target.unwrap_or(OrderTarget::Patient);
    let key = check_key(idempotency_key)?;
    let delivery = check_delivery(req, target)?;
    let hash = request_hash(req, target);
    match (&req.lines, &key) {
        (Some(lines), _) => check_lines(lines)?,
        // A cart order answers a retry from its key at once. A direct order
        // looks its key up only if placing fails: a reused key fails on the
        // orders' unique index before anything is reserved.
        (None, Some(k)) => {
            if let Some(done) = replay(app, user, k, &hash).await? {
                return Ok(done);
            }
        }
        (None, None) => {}
    }
    // 2. The recipient, once.
    let placed =
        match resolve(app, user, target, req.personal_id.as_deref(), req.unit_id, "order.create", request_id).await {
            Ok(recipient) => {
                let recipient = recipient.at_place(req.place_of_use);
                let placed = place_for(app, user, req, key.clone(), &hash, &recipient, delivery).await;
                recipient.audited_on_error(app, placed).await
            }
            Err(e) => Err(e),
        };
    match placed {
        Ok(order) => Ok(PlacedOrder { order, replayed: false }),
        Err(e) => match &key {
            // A concurrent retry with the same key may have won meanwhile
            // (and emptied the cart): answer with its order.
            Some(k) => replay(app, user, k, &hash).await?.ok_or(e),
            None => Err(e),
        },
    }
}

/// The decided lines of an order, by where they came from.
enum Lines {
    /// The recipient's cart items and the order lines they become.
    Cart(Vec<CartItem>, Vec<NewOrderLine>),
    /// The request's own lines, each with its device still to reserve.
    Direct(Vec<ReadyLine>),
}

impl Lines {
    fn any_temporary(&self) -> bool {
        let temporary = |l: &NewOrderLine| l.need == Some(Need::Temporary);
        match self {
            Lines::Cart(_, lines) => lines.iter().any(temporary),
            Lines::Direct(ready) => ready.iter().any(|r| temporary(&r.new.line)),
        }
    }

    /// Promises each line for `urgency` (an urgent stock item the next working day).
    fn promise(&mut self, today: chrono::NaiveDate, urgency: Urgency) {
        let set = |l: &mut NewOrderLine| l.promised_date = promised_for(today, l.lead_time_class, urgency);
        match self {
            Lines::Cart(_, lines) => lines.iter_mut().for_each(set),
            Lines::Direct(ready) => ready.iter_mut().for_each(|r| set(&mut r.new.line)),
        }
    }
}

/// Steps 3 to 5 for a resolved recipient.
async fn place_for(
    app: &App,
    user: &User,
    req: &OrderRequest,
    key: Option<String>,
    hash: &str,
    recipient: &Recipient,
    delivery: Delivery,
) -> Result<Order> {
    // Whole microseconds: PostgreSQL keeps no finer, so the order built in
    // memory afterwards (`as_placed`) is the order stored on both engines.
    let now = app.clock.now().trunc_subsecs(6);
    // 3. Decide each line.
    let mut lines = match &req.lines {
        Some(lines) => Lines::Direct(direct::ready_lines(app, user, lines, recipient).await?),
        None => cart_lines(app, user, recipient, now).await?,
    };
    check_form(app, req, recipient.target, lines.any_temporary())?;
    lines.promise(app.today(), delivery.urgency);
    // 4. The write plan: the order row (lines follow by source).
    let order = new_order(user, req, recipient, key, hash, now, delivery);
    // 5. Commit.
    match lines {
        Lines::Cart(items, lines) => {
            let order = ramp_model::NewOrder { lines, ..order };
            let id = match app.storage.place_order(&order).await {
                Ok(id) => id,
                Err(StorageError::StateMismatch(m)) => {
                    return Err(AppError::conflict(
                        "reservation_expired",
                        format!("{m}; the device went back to stock: add it to the cart again"),
                    )
                    .with_field("cart"))
                }
                Err(e) => return Err(e.into()),
            };
            let shown: Vec<Shown> = items.iter().map(Shown::from).collect();
            as_placed(app, id, &order, &shown, &recipient.unit).await
        }
        Lines::Direct(ready) => direct::commit(app, order, ready, recipient).await,
    }
}

/// The recipient's lines in the user's cart, each decided again now.
async fn cart_lines(app: &App, user: &User, recipient: &Recipient, now: DateTime<Utc>) -> Result<Lines> {
    let target = recipient.target;
    let items: Vec<_> = app
        .storage
        .cart_items(user.id, now)
        .await?
        .into_iter()
        .filter(|i| {
            i.target == target && i.patient_id == recipient.patient_id() && i.unit_id == recipient.held_unit_id()
        })
        .collect();
    if items.is_empty() {
        return Err(AppError::invalid("cart", "cart_empty", "the cart holds nothing for this recipient"));
    }
    let today = app.today();
    let mut lines = Vec::with_capacity(items.len());
    for item in &items {
        let d = line_decision(app, user, recipient, item).await.ok_or_else(|| {
            AppError::conflict(
                "decision_changed",
                format!(
                    "who pays for {} can no longer be decided as it stood; remove it and add it again",
                    item.article.name
                ),
            )
        })?;
        lines.push(NewOrderLine {
            cart_item_id: item.id,
            requested_article_id: item.requested_article_id,
            substitution: item.substitution,
            device_id: item.device_id,
            quantity: item.quantity,
            need: item.need,
            ..decided_line(d, &item.article, today)
        });
    }
    Ok(Lines::Cart(items, lines))
}

/// May `user` see this order? Its creator, HMC staff, the unit's orderers,
/// and for a patient's order anyone with a ground to read the patient.
/// A read of a patient's order is audited with its legal ground: the
/// reader's ground to read the patient, else `order_creator` for the one
/// who placed it (their own documentation).
async fn authorize(app: &App, user: &User, order: &Order, request_id: Option<&str>) -> Result<()> {
    if order.created_by == user.id || user.is_hmc() {
        if let Some(pid) = order.patient_id {
            let reason = access_reason(app, user, pid).await?.unwrap_or(ramp_model::AccessReason::OrderCreator);
            crate::access::audit(app, user, Some(pid), "order.read", reason, Some(order.id.to_string()), request_id)
                .await?;
        }
        return Ok(());
    }
    match order.patient_id {
        Some(pid) => {
            crate::access::authorize_patient_read(app, user, pid, "order.read", request_id).await?;
            Ok(())
        }
        None if user.unit_id == Some(order.unit_id) => Ok(()),
        None => Err(AppError::forbidden("not_your_order", "this order belongs to another unit")),
    }
}

/// One order with its lines and status history.
pub async fn order(app: &App, user: &User, id: Id, request_id: Option<&str>) -> Result<Order> {
    let order = app
        .storage
        .order(id)
        .await?
        .ok_or_else(|| AppError::not_found(Some("id"), "order_not_found", format!("no order {id}")))?;
    authorize(app, user, &order, request_id).await?;
    Ok(order)
}

/// One order with its patient (name and personal identity number), for the
/// confirmation that shows whom it is for; read and audited as [`order`].
pub async fn order_with_patient(
    app: &App,
    user: &User,
    id: Id,
    request_id: Option<&str>,
) -> Result<(Order, Option<ramp_model::Patient>)> {
    let order = order(app, user, id, request_id).await?;
    let patient = match order.patient_id {
        Some(pid) => app.storage.patient_by_id(pid).await?,
        None => None,
    };
    Ok((order, patient))
}
