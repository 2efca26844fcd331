//! The write plan of an order: the order row and its lines as they are
//! written, whichever way the order came (cart or direct), and the order
//! answered, built from the plan instead of read back.

use super::decision::LineDecision;
use super::recipient::Recipient;
use super::request::OrderRequest;
use crate::error::{AppError, ErrorKind, Result};
use crate::App;
use chrono::NaiveDate;
use ramp_domain::calendar::promised_date;
use ramp_domain::order::{LineState, OrderChannel, OrderStatus, Substitution};
use ramp_domain::shipping::Delivery;
use ramp_model::{Article, CartItem, Id, NewOrder, NewOrderLine, Order, OrderEvent, OrderLine, Unit, User};

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
            need: l.need,
            payer: l.payer,
            customer_number_id: l.customer_number_id,
            customer_number: number.number,
            rule_id: l.rule_id.clone(),
            agreement_version: l.agreement_version.clone(),
            explanation_sv: l.explanation_sv.clone(),
            explanation_en: l.explanation_en.clone(),
            trust_prescription: l.trust_prescription,
            lead_time_class: l.lead_time_class,
            promised_date: l.promised_date,
            state: LineState::Open,
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
        place_of_use: o.place_of_use,
        delivery: o.delivery.clone(),
        created_at: o.at,
        updated_at: o.at,
        lines,
        events: vec![registered],
    })
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
    delivery: Delivery,
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
        place_of_use: recipient.patient.as_ref().and(recipient.setting),
        delivery,
        channel: req.channel.unwrap_or(OrderChannel::Portal).recorded(user.is_hmc()),
        at: now,
        lines: vec![],
        audit: recipient.audit.clone(),
    }
}
