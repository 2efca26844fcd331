//! One page of the order list ("Beställningar"): which orders, in which
//! order, and how many there are in all. The use-case turns what a person
//! or API client asked for into an [`OrderPageQuery`]; storage answers it
//! with one statement for the rows and one for the count, so the page says
//! "Visar 26–50 av 312".

use crate::{Id, OrderSummary};
use chrono::{DateTime, Utc};
use ramp_domain::order::OrderStatus;

/// What the list is sorted by. Every sort ends with the order number, so
/// rows with the same date or status keep one stable order across pages
/// (no row shows twice or goes missing while paging).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OrderSort {
    /// When the order was placed.
    #[default]
    Date,
    /// The status in its lifecycle order: registered, picked, out for
    /// delivery, delivered, cancelled (not alphabetical).
    Status,
    /// The order number.
    Number,
}

/// The orders to list. `None` filters nothing; all present filters must hold.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OrderPageQuery {
    /// Only orders this user placed ("Mina").
    pub created_by: Option<Id>,
    /// Only orders of this unit.
    pub unit_id: Option<Id>,
    pub status: Option<OrderStatus>,
    /// Placed at or after this instant.
    pub from: Option<DateTime<Utc>>,
    /// Placed before this instant.
    pub until: Option<DateTime<Utc>>,
    /// Lower-case text matched as a substring of a line's article name,
    /// article number or ISO code (the catalog's `search_text`).
    pub text: Option<String>,
    /// With `text`: the order with this number matches too.
    pub order_number: Option<Id>,
    pub sort: OrderSort,
    pub descending: bool,
    /// Page size (1–100) and how many rows to skip.
    pub limit: i64,
    pub offset: i64,
}

/// One page of orders and the count of all orders the query matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderPage {
    pub orders: Vec<OrderSummary>,
    pub total: i64,
}
