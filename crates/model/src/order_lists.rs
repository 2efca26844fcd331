//! A unit's saved order lists ("beställningslistor"): named sets of
//! articles and quantities its orderers order again and again. A
//! supertrait of [`crate::Storage`], implemented once for both engines by
//! `ramp_storage::SqlStorage` (`sql/order_lists.rs`, migration 0018).
//! The rules (who sees which list, what a valid line is) are the
//! use-cases'; the database holds the invariants (a name once per unit,
//! an article once per list, 1 to 99 of it).

use crate::{Article, Id, Result};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;

/// One line of a saved list: the article and how many.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrderListLine {
    pub article: Article,
    pub quantity: i32,
}

/// A saved order list with its lines, in the order they were written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrderList {
    pub id: Id,
    pub unit_id: Id,
    pub name: String,
    pub created_by: Id,
    pub created_at: DateTime<Utc>,
    pub updated_by: Id,
    pub updated_at: DateTime<Utc>,
    pub lines: Vec<OrderListLine>,
}

/// A list to write: its unit, name and lines (article id, quantity), by whom and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOrderList {
    pub unit_id: Id,
    pub name: String,
    pub lines: Vec<(Id, i32)>,
    pub by: Id,
    pub at: DateTime<Utc>,
}

#[async_trait]
pub trait OrderListStore: Send + Sync {
    /// The unit's lists, by name.
    async fn order_lists(&self, unit_id: Id) -> Result<Vec<OrderList>>;
    async fn order_list(&self, id: Id) -> Result<Option<OrderList>>;
    /// Writes a new list and its lines in one transaction; a name the
    /// unit already uses is a `Conflict` on `order_lists_unit_name_key`.
    async fn create_order_list(&self, list: &NewOrderList) -> Result<Id>;
    /// Replaces the name and lines of list `id` if it belongs to
    /// `list.unit_id`, in one transaction; `false` when no such list.
    async fn update_order_list(&self, id: Id, list: &NewOrderList) -> Result<bool>;
    /// Deletes list `id` of `unit_id` with its lines; `false` when no such list.
    async fn delete_order_list(&self, id: Id, unit_id: Id) -> Result<bool>;
}
