//! The warehouse's goods in (issue 19): purchase orders to suppliers,
//! consumables per batch, on-hand stock against reorder thresholds.

use crate::{Article, Id, Result};
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

/// A purchase order to write: lines are (article, quantity), one per article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPurchaseOrder {
    pub supplier_id: Id,
    pub warehouse_id: Id,
    pub expected_on: NaiveDate,
    pub created_by: Id,
    pub at: DateTime<Utc>,
    pub lines: Vec<(Id, i32)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PurchaseOrderLine {
    pub line_no: i32,
    pub article_id: Id,
    pub article_number: String,
    pub article_name: String,
    pub ordered: i32,
    pub received: i32,
}

impl PurchaseOrderLine {
    /// What the supplier still owes on this line.
    pub fn outstanding(&self) -> i32 {
        self.ordered - self.received
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PurchaseOrder {
    pub id: Id,
    pub supplier_id: Id,
    pub supplier_name: String,
    pub warehouse_id: Id,
    pub warehouse_name: String,
    pub expected_on: NaiveDate,
    /// `open` or `closed` (every line received in full).
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub lines: Vec<PurchaseOrderLine>,
}

/// What one warehouse holds of one article, with its reorder threshold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OnHandLine {
    pub warehouse_id: Id,
    pub warehouse_name: String,
    pub article_id: Id,
    pub article_number: String,
    pub article_name: String,
    /// The article's supplier, whom a purchase order for it goes to.
    pub supplier_id: Id,
    /// Devices in stock (not reserved) plus counted consumables.
    pub on_hand: i64,
    pub threshold: Option<i64>,
}

impl OnHandLine {
    pub fn below_threshold(&self) -> bool {
        self.threshold.is_some_and(|t| self.on_hand < t)
    }

    /// How many to order to reach the threshold again (0 when not below).
    pub fn shortfall(&self) -> i64 {
        self.threshold.map_or(0, |t| (t - self.on_hand).max(0))
    }
}

/// Counted consumables of one batch in a warehouse.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BatchLine {
    pub article_id: Id,
    pub article_number: String,
    pub article_name: String,
    pub batch: String,
    pub expiry_date: Option<NaiveDate>,
    pub quantity: i64,
}

#[async_trait]
pub trait WarehouseStore {
    /// An article by its GTIN or, failing that, its article number (what a
    /// scanner reads off the label).
    async fn article_by_code(&self, code: &str) -> Result<Option<Article>>;
    async fn create_purchase_order(&self, p: &NewPurchaseOrder) -> Result<Id>;
    async fn purchase_order(&self, id: Id) -> Result<Option<PurchaseOrder>>;
    /// Open purchase orders by expected date (all, closed included, when `open_only` is false).
    async fn purchase_orders(&self, open_only: bool) -> Result<Vec<PurchaseOrder>>;
    /// Sets (or with `None` removes) the reorder threshold of an article in a warehouse.
    async fn set_reorder_threshold(&self, warehouse_id: Id, article_id: Id, threshold: Option<i32>) -> Result<()>;
    /// On hand per article in a warehouse, articles with a threshold included.
    async fn on_hand(&self, warehouse_id: Id) -> Result<Vec<OnHandLine>>;
    /// Every (warehouse, article) whose on-hand is below its threshold.
    async fn below_threshold(&self) -> Result<Vec<OnHandLine>>;
    /// Counted consumables per batch in a warehouse, soonest expiry first.
    async fn batches(&self, warehouse_id: Id) -> Result<Vec<BatchLine>>;
}
