//! The workshop's storage beyond the work order itself (issue 19): spare
//! parts per device model with their stock, checklists per work-order kind
//! checked off on the order, attachments, and the workshop's
//! notifications. A supertrait of [`crate::Storage`], implemented once for
//! both engines (`ramp_storage::sql::workshop`).

use crate::{Id, Result};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;

/// A spare part that fits a model, with the stock of it in every warehouse.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SparePart {
    pub article_number: String,
    pub name: String,
    pub stock: i64,
}

/// One item of a work order's checklist and, once checked, who and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChecklistLine {
    pub item_id: Id,
    pub position: i32,
    pub label_sv: String,
    pub label_en: String,
    pub mandatory: bool,
    pub checked_by: Option<Id>,
    pub checked_by_name: Option<String>,
    pub checked_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAttachment {
    pub work_order_id: Id,
    pub filename: String,
    pub content_type: String,
    pub content: Vec<u8>,
    pub uploaded_by: Id,
    pub at: DateTime<Utc>,
}

/// An attachment without its content (for lists).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttachmentMeta {
    pub id: Id,
    pub work_order_id: Id,
    pub filename: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub uploaded_by: Id,
    pub uploaded_at: DateTime<Utc>,
}

/// A notification of the workshop: an adaptation of a device was signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkshopNotification {
    pub id: Id,
    pub kind: String,
    pub work_order_id: Id,
    pub device_number: String,
    pub occurred_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

#[async_trait]
pub trait WorkshopStore: Send + Sync {
    /// The parts linked to a model (an article), by article number, with stock.
    async fn spare_parts(&self, model_article_id: Id) -> Result<Vec<SparePart>>;
    /// Links a part to a model; linking it again changes nothing.
    async fn add_spare_part(&self, model_article_id: Id, part_article_id: Id) -> Result<()>;
    /// The stock of an article summed over every warehouse.
    async fn article_stock(&self, article_id: Id) -> Result<i64>;
    /// The checklist of a work order's kind with its checks, in order.
    async fn checklist(&self, work_order_id: Id) -> Result<Vec<ChecklistLine>>;
    /// Checks an item off; an item of another kind, or an order that is
    /// not active, is a `StateMismatch`; checking again changes nothing.
    async fn check_item(&self, work_order_id: Id, item_id: Id, user: Id, at: DateTime<Utc>) -> Result<()>;
    async fn add_attachment(&self, a: &NewAttachment) -> Result<Id>;
    async fn attachments(&self, work_order_id: Id) -> Result<Vec<AttachmentMeta>>;
    /// One attachment of the work order, with its content.
    async fn attachment(&self, work_order_id: Id, id: Id) -> Result<Option<(AttachmentMeta, Vec<u8>)>>;
    /// The user's workshop notifications, newest first.
    async fn workshop_notifications(&self, user_id: Id, limit: i64) -> Result<Vec<WorkshopNotification>>;
}
