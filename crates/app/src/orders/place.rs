//! Placing an order from the cart, idempotently: a retry with the same
//! `Idempotency-Key` returns the order the first attempt created (or is
//! refused if the key comes with a different request).

use super::cart::{line_decision, LineRequest};
use super::decision::LineDecision;
use super::direct::place_direct;
use super::recipient::{resolve, Recipient};
use crate::access::access_reason;
use crate::error::{AppError, ErrorKind, Result};
use crate::App;
use chrono::NaiveDate;
use chrono::SubsecRound;
use ramp_domain::calendar::promised_date;
use ramp_domain::cost::Need;
use ramp_domain::order::OrderStatus;
use ramp_domain::order::{check_short_term_end, OrderTarget, Substitution};
use ramp_storage::{
    Article, CartItem, Id, NewOrder, NewOrderLine, Order, OrderEvent, OrderLine, OrderSummary, StorageError, Unit, User,
};
use sha2::{Digest, Sha256};

/// The order form: for whom, the goal and when it is evaluated.
#[derive(Debug, Clone, Default)]
pub struct OrderRequest {
    pub target: Option<OrderTarget>,
    pub personal_id: Option<String>,
    pub unit_id: Option<Id>,
    /// The goal of the prescription ("mål"); required for a patient.
    pub goal: Option<String>,
    /// When the prescription's effect is evaluated ("uppföljning"); required for a patient.
    pub evaluation_date: Option<NaiveDate>,
    /// The end of a short-term prescription; required when a line's need is temporary.
    pub end_date: Option<NaiveDate>,
    /// The lines, for an order placed in one request without the cart
    /// (`None`: the order is the recipient's lines in the user's cart).
    /// Each line's own target, personal id and unit are not read.
    pub lines: Option<Vec<LineRequest>>,
}

/// A placed order, and whether this call only replayed an earlier one.
#[derive(Debug, Clone)]
pub struct PlacedOrder {
    pub order: Order,
    pub replayed: bool,
}

fn request_hash(req: &OrderRequest, target: OrderTarget) -> String {
    let mut text = format!(
        "{}|{}|{:?}|{}|{:?}|{:?}",
        target,
        req.personal_id.as_deref().map(|p| p.replace(['-', '+', ' '], "")).unwrap_or_default(),
        req.unit_id,
        req.goal.as_deref().unwrap_or("").trim(),
        req.evaluation_date,
        req.end_date
    );
    // A cart order's hash is as it always was; a direct order's names its lines.
    for l in req.lines.iter().flatten() {
        let line = (l.article_number.trim(), l.quantity, l.need, &l.facts, l.replacement);
        text.push_str(&format!("|{line:?}"));
    }
    Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

fn check_key(key: Option<&str>) -> Result<Option<String>> {
    match key {
        None => Ok(None),
        Some(k) if !k.is_empty() && k.len() <= 100 && k.chars().all(|c| c.is_ascii_graphic()) => {
            Ok(Some(k.to_string()))
        }
        Some(_) => Err(AppError::invalid(
            "Idempotency-Key",
            "invalid_idempotency_key",
            "the Idempotency-Key is 1 to 100 visible ASCII characters",
        )),
    }
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

pub(super) fn check_form(app: &App, req: &OrderRequest, target: OrderTarget, temporary: bool) -> Result<()> {
    if target == OrderTarget::Patient {
        let goal = req.goal.as_deref().map(str::trim).unwrap_or("");
        if goal.is_empty() {
            return Err(AppError::invalid("goal", "required", "state the goal of the prescription"));
        }
        if goal.chars().count() > 1000 {
            return Err(AppError::invalid("goal", "too_long", "the goal is at most 1,000 characters"));
        }
        match req.evaluation_date {
            None => return Err(AppError::invalid("evaluation_date", "required", "give the date of the evaluation")),
            Some(d) if d <= app.today() => {
                return Err(AppError::invalid("evaluation_date", "not_after_today", "the evaluation is after today"))
            }
            Some(_) => {}
        }
    }
    match (temporary, req.end_date) {
        (true, None) => Err(AppError::invalid(
            "end_date",
            "required",
            "a short-term prescription (temporary need) needs an end date, at most 6 months ahead",
        )),
        (true, Some(end)) => Ok(check_short_term_end(app.today(), end)?),
        (false, Some(_)) => Err(AppError::invalid(
            "end_date",
            "only_for_short_term",
            "an end date is given only for a short-term prescription (temporary need)",
        )),
        (false, None) => Ok(()),
    }
}

/// Places an order from the user's cart lines for the recipient. Every
/// line's cost decision is made again now and stored with its rule and
/// agreement version; the reservations become the order's in the same
/// transaction as the order, its lines and its first event.
pub async fn place_order(
    app: &App,
    user: &User,
    req: &OrderRequest,
    idempotency_key: Option<&str>,
    request_id: Option<&str>,
) -> Result<PlacedOrder> {
    let target = req.target.unwrap_or(OrderTarget::Patient);
    let key = check_key(idempotency_key)?;
    let hash = request_hash(req, target);
    let placed = match &req.lines {
        // A direct order looks its key up only if placing fails: a reused
        // key fails on the orders' unique index before anything is reserved.
        Some(lines) => place_direct(app, user, req, lines, target, key.clone(), &hash, request_id).await,
        None => {
            if let Some(k) = &key {
                if let Some(done) = replay(app, user, k, &hash).await? {
                    return Ok(done);
                }
            }
            place_new(app, user, req, target, key.clone(), &hash, request_id).await
        }
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

async fn place_new(
    app: &App,
    user: &User,
    req: &OrderRequest,
    target: OrderTarget,
    key: Option<String>,
    hash: &str,
    request_id: Option<&str>,
) -> Result<Order> {
    let recipient =
        resolve(app, user, target, req.personal_id.as_deref(), req.unit_id, "order.create", request_id).await?;
    let placed = place_for(app, user, req, target, key, hash, &recipient).await;
    let (id, order, items) = recipient.audited_on_error(app, placed).await?;
    let shown: Vec<Shown> = items.iter().map(Shown::from).collect();
    as_placed(app, id, &order, &shown, &recipient.unit).await
}

/// What a placed order's line shows beside what was written: names and numbers.
pub(super) struct Shown {
    pub article_number: String,
    pub article_name: String,
    pub requested_article_number: String,
    pub device_number: Option<String>,
}

impl From<&CartItem> for Shown {
    fn from(item: &CartItem) -> Self {
        Self {
            article_number: item.article.article_number.clone(),
            article_name: item.article.name.clone(),
            requested_article_number: item.requested_article_number.clone(),
            device_number: item.device_number.clone(),
        }
    }
}

/// The order just placed, exactly as [`order`] would read it back, made
/// from what was written instead of three more queries. Its instants are
/// whole microseconds (see `place_for`), the precision both engines keep.
pub(super) async fn as_placed(app: &App, id: Id, o: &NewOrder, items: &[Shown], unit: &Unit) -> Result<Order> {
    let mut lines = Vec::with_capacity(o.lines.len());
    for (no, (l, item)) in (1..).zip(o.lines.iter().zip(items)) {
        let number = app.storage.customer_number(l.customer_number_id).await?.ok_or_else(|| {
            AppError::new(ErrorKind::Internal, "internal", format!("customer number {} vanished", l.customer_number_id))
        })?;
        lines.push(OrderLine {
            line_no: no,
            article_id: l.article_id,
            article_number: item.article_number.clone(),
            article_name: item.article_name.clone(),
            requested_article_number: item.requested_article_number.clone(),
            substitution: l.substitution,
            device_id: l.device_id,
            device_number: item.device_number.clone(),
            quantity: l.quantity,
            need: l.need.clone(),
            payer: l.payer.clone(),
            customer_number_id: l.customer_number_id,
            customer_number: number.number,
            rule_id: l.rule_id.clone(),
            agreement_version: l.agreement_version.clone(),
            explanation_sv: l.explanation_sv.clone(),
            explanation_en: l.explanation_en.clone(),
            trust_prescription: l.trust_prescription,
            lead_time_class: l.lead_time_class,
            promised_date: l.promised_date,
            state: "open".into(),
            delivered_at: None,
        });
    }
    let registered = OrderEvent {
        occurred_at: o.at,
        from_status: None,
        to_status: OrderStatus::Registered,
        actor_user_id: o.created_by,
        note: None,
    };
    Ok(Order {
        id,
        target: o.target,
        patient_id: o.patient_id,
        unit_id: o.unit_id,
        unit_name: unit.name.clone(),
        created_by: o.created_by,
        status: OrderStatus::Registered,
        goal: o.goal.clone(),
        evaluation_date: o.evaluation_date,
        end_date: o.end_date,
        request_hash: o.request_hash.clone(),
        received_by: None,
        created_at: o.at,
        updated_at: o.at,
        lines,
        events: vec![registered],
    })
}

/// Checks the cart and the form, decides every line again and places the
/// order, with the recipient's audit row in the same transaction.
async fn place_for(
    app: &App,
    user: &User,
    req: &OrderRequest,
    target: OrderTarget,
    key: Option<String>,
    hash: &str,
    recipient: &Recipient,
) -> Result<(Id, NewOrder, Vec<CartItem>)> {
    // Whole microseconds: PostgreSQL keeps no finer, so the order built in
    // memory afterwards (`as_placed`) is the order stored on both engines.
    let now = app.clock.now().trunc_subsecs(6);
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
    let temporary = items.iter().any(|i| i.need.as_deref() == Some(Need::Temporary.as_str()));
    check_form(app, req, target, temporary)?;
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
            need: item.need.clone(),
            ..decided_line(d, &item.article, today)
        });
    }
    let order = NewOrder { lines, ..new_order(user, req, recipient, key, hash, now) };
    match app.storage.place_order(&order).await {
        Ok(id) => Ok((id, order, items)),
        Err(StorageError::StateMismatch(m)) => Err(AppError::conflict(
            "reservation_expired",
            format!("{m}; the device went back to stock: add it to the cart again"),
        )
        .with_field("cart")),
        Err(e) => Err(e.into()),
    }
}

/// An order line of `article` carrying `d`, the decision made for it, and
/// the date promised for an order placed `today`; the caller fills in
/// where the line comes from (cart item, requested article, device,
/// quantity, need), here left as for a plain single article.
pub(super) fn decided_line(d: LineDecision, article: &Article, today: NaiveDate) -> NewOrderLine {
    NewOrderLine {
        cart_item_id: 0,
        article_id: article.id,
        requested_article_id: article.id,
        substitution: Substitution::None,
        device_id: None,
        quantity: 1,
        need: None,
        payer: d.payer,
        customer_number_id: d.customer_number_id,
        rule_id: d.rule,
        agreement_version: d.agreement_version,
        explanation_sv: d.explanation_sv,
        explanation_en: d.explanation_en,
        trust_prescription: d.trust_prescription,
        lead_time_class: article.lead_time_class,
        promised_date: promised_date(today, article.lead_time_class),
    }
}

/// The order row to write for `recipient` from the form, without lines.
pub(super) fn new_order(
    user: &User,
    req: &OrderRequest,
    recipient: &Recipient,
    key: Option<String>,
    hash: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> NewOrder {
    NewOrder {
        target: recipient.target,
        patient_id: recipient.patient_id(),
        unit_id: recipient.unit.id,
        created_by: user.id,
        goal: req.goal.as_ref().map(|g| g.trim().to_string()).filter(|g| !g.is_empty()),
        evaluation_date: req.evaluation_date,
        end_date: req.end_date,
        idempotency_key: key,
        request_hash: Some(hash.to_string()),
        at: now,
        lines: vec![],
        audit: recipient.audit.clone(),
    }
}

/// May `user` see this order? Its creator, HMC staff, the unit's orderers,
/// and for a patient's order anyone with a ground to read the patient
/// (audited).
async fn authorize(app: &App, user: &User, order: &Order, request_id: Option<&str>) -> Result<()> {
    if order.created_by == user.id || user.is_hmc() {
        if let Some(pid) = order.patient_id {
            let reason = access_reason(app, user, pid).await?.unwrap_or(ramp_storage::AccessReason::None);
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

/// The orders the user placed, newest first.
pub async fn orders_of_user(app: &App, user: &User) -> Result<Vec<OrderSummary>> {
    Ok(app.storage.orders_by_user(user.id, 100).await?)
}
