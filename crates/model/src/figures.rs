//! The figures side of the storage: counts the council's figures are made
//! of (see `ramp_domain::figures`, which owns the rules), and bulk loading
//! of order history for the demo data set. A supertrait of
//! [`crate::Storage`], implemented once for both engines by
//! `ramp_storage::SqlStorage` (`sql/figures.rs`).
//!
//! Every count is one SQL aggregate (delivery reliability and reuse read a
//! summary that triggers keep as lines are delivered). Instants are grouped by
//! [`UtcSlot`] — UTC day and hour slot, in SQL both engines accept — and
//! the domain folds slots into Stockholm months; the storage never decides
//! which month a row belongs to or whether a delivery was on time.

use crate::{Id, Result};
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use ramp_domain::article::LeadTimeClass;
use ramp_domain::cost::Payer;
use ramp_domain::figures::channels::ChannelGroup;
use ramp_domain::figures::lost::LostReportFact;
use ramp_domain::figures::prescribing::{EvaluationDay, ReturnDay};
use ramp_domain::figures::{
    AnswerGroup, DeliveryGroup, FixedGroup, GroupMonthCount, GroupSlotCount, NoticeProgress, UtcSlot, WorkOrderAgeCount,
};
use ramp_domain::order::{LineState, OrderChannel, OrderStatus, OrderTarget, Substitution};
use ramp_domain::work_order::{WorkOrderKind, WorkOrderStatus};

/// An order with its id, as loaded in bulk (demo history).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryOrder {
    pub id: Id,
    pub target: OrderTarget,
    pub patient_id: Option<Id>,
    pub unit_id: Id,
    pub created_by: Id,
    pub status: OrderStatus,
    pub goal: Option<String>,
    pub received_by: Option<String>,
    /// How the order reached the centre.
    pub channel: OrderChannel,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// An order line with its id, as loaded in bulk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryOrderLine {
    pub id: Id,
    pub order_id: Id,
    pub line_no: i32,
    pub article_id: Id,
    pub requested_article_id: Id,
    pub substitution: Substitution,
    pub device_id: Option<Id>,
    pub quantity: i32,
    pub payer: Payer,
    pub customer_number_id: Id,
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

/// An order's status change, as loaded in bulk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryOrderEvent {
    pub id: Id,
    pub order_id: Id,
    pub occurred_at: DateTime<Utc>,
    pub from_status: Option<OrderStatus>,
    pub to_status: OrderStatus,
    pub actor_user_id: Id,
    pub note: Option<String>,
}

/// A replacement-chain proposal and its answer, as loaded in bulk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryAnswer {
    pub id: Id,
    pub occurred_at: DateTime<Utc>,
    pub user_id: Id,
    pub group_id: Id,
    pub requested_article_id: Id,
    pub proposed_article_id: Id,
    pub answer: Substitution,
    /// Why a declined proposal was declined, if said.
    pub decline_reason: Option<ramp_domain::product::DeclineReason>,
}

/// A work order, as loaded in bulk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryWorkOrder {
    pub id: Id,
    pub kind: WorkOrderKind,
    pub device_id: Option<Id>,
    pub patient_id: Option<Id>,
    pub status: WorkOrderStatus,
    pub description: String,
    pub created_by: Id,
    pub created_at: DateTime<Utc>,
    /// The safety notice a recall work order belongs to.
    pub safety_notice_id: Option<Id>,
}

/// Order history to load in one transaction, in foreign-key order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrderHistory {
    pub orders: Vec<HistoryOrder>,
    pub lines: Vec<HistoryOrderLine>,
    pub events: Vec<HistoryOrderEvent>,
    pub answers: Vec<HistoryAnswer>,
    pub work_orders: Vec<HistoryWorkOrder>,
}

impl OrderHistory {
    pub fn is_empty(&self) -> bool {
        self.orders.is_empty() && self.answers.is_empty() && self.work_orders.is_empty()
    }
}

/// Parses the UTC slot columns the figure queries select.
pub fn slot_from(day: &str, hour: &str) -> Result<UtcSlot> {
    let day = NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .map_err(|_| crate::StorageError::corrupt(format!("utc day '{day}'")))?;
    let hour: u32 = hour.parse().map_err(|_| crate::StorageError::corrupt(format!("utc hour '{hour}'")))?;
    Ok(UtcSlot::new(day, hour))
}

/// The counts behind the figures; see the module documentation.
#[async_trait]
pub trait FiguresStore: Send + Sync {
    /// Delivered order lines counted per payer, lead-time class and UTC
    /// slot of delivery, with the promised-date comparisons the on-time rule
    /// needs and the reconditioned-device count for reuse: every slot whose
    /// UTC day lies from `from`'s to `to`'s. The caller folds slots into
    /// Stockholm months and keeps the months it asked for. Read from
    /// `delivery_slots`, which triggers keep counted as lines are delivered.
    async fn delivery_groups(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<DeliveryGroup>>;
    /// Replacement-chain answers given in `[from, to)` per answer, UTC slot and
    /// the answering user's principal.
    async fn answer_groups(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<AnswerGroup>>;
    /// Declined replacement proposals in `[from, to)` per decline reason
    /// (`None`: declined without a reason, as before migration 0019), of the
    /// answering users of `principal_id` when given.
    async fn decline_reasons(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        principal_id: Option<Id>,
    ) -> Result<Vec<(Option<ramp_domain::product::DeclineReason>, i64)>>;
    /// Every fixed replacement group, by code.
    async fn fixed_groups(&self) -> Result<Vec<FixedGroup>>;
    /// Devices of fixed groups' articles purchased on days in `[from, to)`, per group and month.
    async fn purchased_per_fixed_group(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<GroupMonthCount>>;
    /// Order lines (not cancelled) asking for a fixed group's article, of
    /// orders placed in `[from, to)`, per group and UTC slot of the order.
    async fn prescribed_per_fixed_group(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<GroupSlotCount>>;
    /// Work orders open or in progress per kind and age bucket, given the
    /// buckets' start instants (`AgeBucket::starts`).
    async fn open_work_order_ages(&self, starts: [DateTime<Utc>; 3]) -> Result<Vec<WorkOrderAgeCount>>;
    /// Every safety notice with its recall work orders counted, newest first.
    async fn safety_notice_progress(&self) -> Result<Vec<NoticeProgress>>;
    /// Consultation bookings made in `[from, to)` and not cancelled (the
    /// tertial report's development part: "förväntningssamtal genom webbtidbokning").
    async fn consultations_booked(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<i64>;
    /// Every lost report dated in `[from, to)`, with the facts its value
    /// and its unit and category are decided from.
    async fn lost_report_facts(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<LostReportFact>>;
    /// Patient orders (not cancelled) per evaluation date in `[from, to)`,
    /// with how many still have a device lent to the patient.
    async fn evaluation_days(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<EvaluationDay>>;
    /// Patient loans that ended in `[from, to)`, not by a lost report, per end date and principal.
    async fn returned_loans(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<ReturnDay>>;
    /// Orders placed in `[from, to)` (any status) per channel and UTC slot of creation.
    async fn orders_per_channel(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<ChannelGroup>>;

    /// Loads order history with explicit ids (demo data) in one transaction.
    async fn insert_order_history(&self, history: &OrderHistory) -> Result<()>;
}
