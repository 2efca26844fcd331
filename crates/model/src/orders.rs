//! The ordering side of the storage: carts with expiring reservations,
//! orders, pickup orders, fault and lost reports. A supertrait of
//! [`crate::Storage`], implemented once for both engines by
//! `ramp_storage::SqlStorage` (`sql/orders.rs`).
//!
//! Every write here is one transaction whose first statement is a write:
//! on SQLite that takes the write lock up front (no stale-snapshot
//! failures under concurrency); on PostgreSQL conditional updates
//! (`... WHERE state = 'in_stock'`) decide races, and unique indexes
//! refuse what slips through.

use crate::{Article, Id, ReplacementGroup, Result};
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use ramp_domain::article::LeadTimeClass;
use ramp_domain::cost::{Need, Payer};
use ramp_domain::order::{LineState, OrderStatus, OrderTarget, PickupStatus, Substitution};
use ramp_domain::setting::Setting;
use ramp_domain::shipping::Delivery;
use ramp_domain::work_order::{WorkOrderKind, WorkOrderStatus};
use serde::Serialize;

/// A replacement-chain proposal and its answer, recorded with the cart item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReplacementAnswer {
    pub group_id: Id,
    pub requested_article_id: Id,
    pub proposed_article_id: Id,
    /// `automatic`, `accepted` or `declined`.
    pub answer: Substitution,
    /// Why a proposal was declined, when the prescriber said (migration 0019).
    pub decline: Option<ramp_domain::product::ReplacementDecline>,
}

/// An article to put in a user's cart. For an individually tracked article
/// the oldest device in central stock is reserved until `until`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCartItem {
    pub user_id: Id,
    pub target: OrderTarget,
    pub patient_id: Option<Id>,
    pub unit_id: Option<Id>,
    pub article_id: Id,
    pub requested_article_id: Id,
    pub substitution: Substitution,
    /// Reserve a device (rental articles), or only a quantity.
    pub individual: bool,
    pub quantity: i32,
    pub need: Option<Need>,
    /// The facts answered for the cost decision, as a JSON object.
    pub facts: String,
    pub at: DateTime<Utc>,
    pub until: DateTime<Utc>,
    pub answer: Option<NewReplacementAnswer>,
    /// The audit row of the patient-data read behind this item, written in
    /// the same transaction (one commit instead of two).
    pub audit: Option<crate::NewAuditEntry>,
}

/// A cart item with its article and reserved device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CartItem {
    pub id: Id,
    pub user_id: Id,
    pub target: OrderTarget,
    pub patient_id: Option<Id>,
    pub unit_id: Option<Id>,
    pub article: Article,
    pub requested_article_id: Id,
    pub requested_article_number: String,
    pub requested_article_name: String,
    pub substitution: Substitution,
    pub device_id: Option<Id>,
    pub device_number: Option<String>,
    pub quantity: i32,
    pub need: Option<Need>,
    pub facts: String,
    pub created_at: DateTime<Utc>,
    pub reserved_until: DateTime<Utc>,
}

/// One line of an order to place, made from a cart item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOrderLine {
    pub cart_item_id: Id,
    pub article_id: Id,
    pub requested_article_id: Id,
    pub substitution: Substitution,
    pub device_id: Option<Id>,
    pub quantity: i32,
    pub need: Option<Need>,
    pub payer: Payer,
    pub customer_number_id: Id,
    pub rule_id: String,
    pub agreement_version: String,
    pub explanation_sv: String,
    pub explanation_en: String,
    pub trust_prescription: bool,
    pub lead_time_class: LeadTimeClass,
    pub promised_date: NaiveDate,
}

/// An order to place. Placing it turns the cart items' reservations into
/// the order's, deletes the cart items and writes the order's first event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOrder {
    pub target: OrderTarget,
    pub patient_id: Option<Id>,
    pub unit_id: Id,
    pub created_by: Id,
    pub goal: Option<String>,
    pub evaluation_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub idempotency_key: Option<String>,
    pub request_hash: Option<String>,
    /// The place of use the lines were decided for (patient orders).
    pub place_of_use: Option<Setting>,
    pub delivery: Delivery,
    /// How the order reached the centre (portal, API, 1177, the centre's staff).
    pub channel: ramp_domain::order::OrderChannel,
    pub at: DateTime<Utc>,
    pub lines: Vec<NewOrderLine>,
    /// The audit row of the patient-data read behind this order, written
    /// in the same transaction.
    pub audit: Option<crate::NewAuditEntry>,
}

/// A line of an order placed in one request, without a cart
/// ([`OrderStore::place_direct_order`]): a device tracked one by one is
/// reserved for the order in the order's own transaction. `line.cart_item_id`
/// and `line.device_id` are not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDirectLine {
    pub line: NewOrderLine,
    /// Reserve a device (rental articles), or only a quantity.
    pub individual: bool,
    /// The prescriber's answer to a replacement proposal, recorded with the order.
    pub answer: Option<NewReplacementAnswer>,
}

/// An order placed in one request. `order.lines` is not read: the lines are `lines`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDirectOrder {
    pub order: NewOrder,
    pub lines: Vec<NewDirectLine>,
}

/// A device reserved for a line of a direct order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReservedDevice {
    pub id: Id,
    pub device_number: String,
}

/// What placing a direct order came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DirectPlacement {
    /// Placed; per line, the device reserved for it (`None` for a quantity).
    Placed { order_id: Id, devices: Vec<Option<ReservedDevice>> },
    /// Line `line` (from 0) found no device left; nothing was written.
    Unavailable { line: usize },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrderLine {
    pub line_no: i32,
    pub article_id: Id,
    pub article_number: String,
    pub article_name: String,
    pub requested_article_number: String,
    pub substitution: Substitution,
    pub device_id: Option<Id>,
    pub device_number: Option<String>,
    pub quantity: i32,
    pub need: Option<Need>,
    pub payer: Payer,
    pub customer_number_id: Id,
    pub customer_number: String,
    pub rule_id: String,
    pub agreement_version: String,
    pub explanation_sv: String,
    pub explanation_en: String,
    pub trust_prescription: bool,
    pub lead_time_class: LeadTimeClass,
    pub promised_date: NaiveDate,
    pub state: LineState,
    pub delivered_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrderEvent {
    pub occurred_at: DateTime<Utc>,
    pub from_status: Option<OrderStatus>,
    pub to_status: OrderStatus,
    pub actor_user_id: Id,
    pub note: Option<String>,
}

/// An order with its lines and history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Order {
    pub id: Id,
    pub target: OrderTarget,
    pub patient_id: Option<Id>,
    pub unit_id: Id,
    pub unit_name: String,
    pub created_by: Id,
    pub status: OrderStatus,
    pub goal: Option<String>,
    pub evaluation_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    #[serde(skip)]
    pub request_hash: Option<String>,
    pub received_by: Option<String>,
    /// The place of use the lines were decided for (`None`: a unit order,
    /// or a patient order decided on the setting before places of use).
    pub place_of_use: Option<Setting>,
    pub delivery: Delivery,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub lines: Vec<OrderLine>,
    pub events: Vec<OrderEvent>,
}

/// One row of an order list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrderSummary {
    pub id: Id,
    pub target: OrderTarget,
    pub patient_id: Option<Id>,
    pub unit_name: String,
    pub status: OrderStatus,
    pub created_at: DateTime<Utc>,
    pub lines: i64,
    /// The first line's article name, for the list.
    pub first_article: String,
    /// How fast and how it goes: the warehouse's queue sorts its day by these.
    pub urgency: ramp_domain::shipping::Urgency,
    pub delivery_method: ramp_domain::shipping::DeliveryMethod,
}

/// A message in a prescriber's inbox: an order they placed changed status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notification {
    pub id: Id,
    pub order_id: Id,
    pub to_status: OrderStatus,
    pub occurred_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
    /// The order's first line's article name, to say which order it is.
    pub first_article: String,
}

/// Moves an order from `expected` to `to`. Delivery hands the devices over
/// (to the patient or unit with a loan, or into the unit's buffer store);
/// cancelling returns them to stock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderStatusChange {
    pub order_id: Id,
    pub expected: OrderStatus,
    pub to: OrderStatus,
    pub at: DateTime<Utc>,
    /// The Stockholm date of `at`: a loan's start date.
    pub on: NaiveDate,
    pub actor_user_id: Id,
    pub received_by: Option<String>,
    /// For buffer orders delivered: the unit's buffer store.
    pub buffer_warehouse_id: Option<Id>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPickupOrder {
    pub device_id: Id,
    pub registered_by: Id,
    pub at: DateTime<Utc>,
    pub on: NaiveDate,
    pub rent_end_date: NaiveDate,
    pub deregistration_due: NaiveDate,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PickupOrder {
    pub id: Id,
    pub device_id: Id,
    pub patient_id: Option<Id>,
    pub unit_id: Option<Id>,
    pub registered_by: Id,
    pub registered_at: DateTime<Utc>,
    pub registered_on: NaiveDate,
    pub rent_end_date: NaiveDate,
    pub deregistration_due: NaiveDate,
    pub status: PickupStatus,
    pub note: Option<String>,
}

/// Undoes the open pickup order of a device: only its creator's, only one
/// registered on `on`, and only while no device event followed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PickupUndo {
    pub device_id: Id,
    pub by: Id,
    pub on: NaiveDate,
    pub at: DateTime<Utc>,
}

/// A fault report: a repair work order for the workshop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFaultReport {
    pub device_id: Id,
    pub reported_by: Id,
    pub at: DateTime<Utc>,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkOrder {
    pub id: Id,
    pub kind: WorkOrderKind,
    pub device_id: Option<Id>,
    pub patient_id: Option<Id>,
    pub status: WorkOrderStatus,
    pub description: String,
    pub created_by: Id,
    pub created_at: DateTime<Utc>,
}

/// A device reported lost: its loan ends on `on`, an open pickup order is
/// cancelled, and the case is kept for the billing run to charge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewLostReport {
    pub device_id: Id,
    pub reported_by: Id,
    pub at: DateTime<Utc>,
    pub on: NaiveDate,
    pub circumstances: String,
}

/// Counts of replacement-chain answers: the acceptance follow-up figure.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ReplacementFigures {
    pub automatic: i64,
    pub accepted: i64,
    pub declined: i64,
}

/// The ordering side of the storage; see the module documentation.
#[async_trait]
pub trait OrderStore: Send + Sync {
    async fn insert_accessory_fits(&self, rows: &[(Id, Id)]) -> Result<()>;
    /// `(accessory, main)` pairs for the given accessories.
    async fn accessory_fits(&self, accessory_ids: &[Id]) -> Result<Vec<(Id, Id)>>;
    async fn replacement_group_of(&self, article_id: Id) -> Result<Option<ReplacementGroup>>;
    /// Devices available in central stock at `now`, per article (articles without any are left out).
    async fn central_stock(&self, article_ids: &[Id], now: DateTime<Utc>) -> Result<Vec<(Id, i64)>>;
    async fn articles_by_ids(&self, ids: &[Id]) -> Result<Vec<Article>>;
    /// Articles with central stock that could stand in: same replacement group first, then same ISO code.
    async fn alternatives(&self, article_id: Id, limit: i64, now: DateTime<Utc>) -> Result<Vec<crate::ArticleHit>>;
    /// The principal's invoicing account (its lowest-numbered customer number).
    async fn customer_number_of_principal(&self, principal_id: Id) -> Result<Option<Id>>;
    /// A customer number by id (served from the storage's cache once read).
    async fn customer_number(&self, id: Id) -> Result<Option<crate::CustomerNumber>>;
    async fn patient_by_id(&self, id: Id) -> Result<Option<crate::Patient>>;
    async fn buffer_warehouse_of_unit(&self, unit_id: Id) -> Result<Option<Id>>;

    /// Returns expired reservations to stock with their events and drops
    /// their cart items. Returns how many devices went back.
    async fn expire_reservations(&self, now: DateTime<Utc>) -> Result<u64>;
    /// Adds to the cart, reserving a device when the article is individual.
    /// `None`: no device of the article is left in central stock.
    async fn add_to_cart(&self, item: &NewCartItem) -> Result<Option<CartItem>>;
    /// The user's cart items whose reservations still hold at `now`.
    async fn cart_items(&self, user_id: Id, now: DateTime<Utc>) -> Result<Vec<CartItem>>;
    /// Removes a cart item and releases its device. `false`: no such item of this user.
    async fn remove_cart_item(&self, user_id: Id, item_id: Id, at: DateTime<Utc>) -> Result<bool>;

    /// Places an order. A reused idempotency key is a `Conflict` on
    /// `orders_idempotency_key`; an expired reservation a `StateMismatch`.
    async fn place_order(&self, order: &NewOrder) -> Result<Id>;
    /// Places an order without a cart: reserves the oldest available
    /// device of every individual line, writes the order, its lines, the
    /// devices' `reserved` and `ordered` events, the replacement answers,
    /// the order's first event and the audit row, all in one transaction.
    /// A duplicate idempotency key is a `Conflict` (nothing written).
    async fn place_direct_order(&self, order: &NewDirectOrder) -> Result<DirectPlacement>;
    async fn order(&self, id: Id) -> Result<Option<Order>>;
    async fn order_by_idempotency_key(&self, user_id: Id, key: &str) -> Result<Option<Order>>;
    async fn orders_for_patient(&self, patient_id: Id, limit: i64) -> Result<Vec<OrderSummary>>;
    async fn orders_by_user(&self, user_id: Id, limit: i64) -> Result<Vec<OrderSummary>>;
    async fn orders_by_status(&self, status: OrderStatus, limit: i64) -> Result<Vec<OrderSummary>>;
    /// One page of the order list and the count of all matching orders.
    async fn order_page(&self, q: &crate::OrderPageQuery) -> Result<crate::OrderPage>;

    async fn register_pickup(&self, p: &NewPickupOrder) -> Result<Id>;
    async fn open_pickup_order(&self, device_id: Id) -> Result<Option<PickupOrder>>;
    /// Cancels the pickup order as [`PickupUndo`] says, with a `pickup_undone`
    /// device event, in one transaction. `false`: nothing matched (changed nothing).
    async fn undo_pickup(&self, u: &PickupUndo) -> Result<bool>;
    async fn report_fault(&self, f: &NewFaultReport) -> Result<Id>;
    async fn work_orders_for_device(&self, device_id: Id) -> Result<Vec<WorkOrder>>;
    async fn report_lost(&self, l: &NewLostReport) -> Result<Id>;
    async fn replacement_figures(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<ReplacementFigures>;

    /// The user's inbox, newest first, at most `limit`.
    async fn notifications(&self, user_id: Id, limit: i64) -> Result<Vec<Notification>>;
    /// How many of the user's notifications are unread.
    async fn unread_notifications(&self, user_id: Id) -> Result<i64>;
    /// Marks the user's notification read (once). `false`: no such notification of this user.
    async fn mark_notification_read(&self, user_id: Id, id: Id, at: DateTime<Utc>) -> Result<bool>;
}
