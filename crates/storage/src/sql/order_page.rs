//! The order list's page ([`crate::OrderStore::order_page`]): filters
//! pushed as bound values, a sort that always ends with the order number
//! (so paging by offset never repeats or skips a row), and the count of
//! all matching orders from the same filters.

use super::orders::{summary_from, SUMMARY_SQL};
use crate::db::QueryBuilder;
use crate::sql::{like_escape, SqlStorage};
use crate::*;
use ramp_domain::order::OrderStatus;
use ramp_domain::Term;

/// The statuses in lifecycle order, which is what "sort by status" means.
const LIFECYCLE: [OrderStatus; 5] = [
    OrderStatus::Registered,
    OrderStatus::Picked,
    OrderStatus::OutForDelivery,
    OrderStatus::Delivered,
    OrderStatus::Cancelled,
];

/// `CASE o.status WHEN 'registered' THEN 1 … END`: a status's place in [`LIFECYCLE`].
fn status_rank() -> String {
    let whens: String = LIFECYCLE.iter().zip(1..).map(|(s, i)| format!(" WHEN '{}' THEN {i}", s.as_str())).collect();
    format!("CASE o.status{whens} END")
}

/// ` AND …` for every filter of `q`, its values bound.
fn push_filters(b: &mut QueryBuilder<'_>, q: &OrderPageQuery) {
    if let Some(user) = q.created_by {
        b.push(" AND o.created_by = ").push_bind(user);
    }
    if let Some(unit) = q.unit_id {
        b.push(" AND o.unit_id = ").push_bind(unit);
    }
    if let Some(status) = q.status {
        b.push(" AND o.status = ").push_bind(status.as_str());
    }
    if let Some(from) = q.from {
        b.push(" AND o.created_at >= ").push_bind(from);
    }
    if let Some(until) = q.until {
        b.push(" AND o.created_at < ").push_bind(until);
    }
    if let Some(text) = q.text.as_deref().filter(|t| !t.is_empty()) {
        let pattern = format!("%{}%", like_escape(text));
        b.push(" AND (EXISTS (SELECT 1 FROM order_lines l JOIN articles a ON a.id = l.article_id ")
            .push("WHERE l.order_id = o.id AND a.search_text LIKE ")
            .push_bind(pattern)
            .push(" ESCAPE '\\')");
        if let Some(number) = q.order_number {
            b.push(" OR o.id = ").push_bind(number);
        }
        b.push(")");
    }
}

impl SqlStorage {
    pub(super) async fn order_page_of(&self, q: &OrderPageQuery) -> Result<OrderPage> {
        let dir = if q.descending { "DESC" } else { "ASC" };
        let key = match q.sort {
            OrderSort::Date => format!("o.created_at {dir}, "),
            OrderSort::Status => format!("{} {dir}, ", status_rank()),
            OrderSort::Number => String::new(),
        };
        let mut rows = QueryBuilder::new(format!("{SUMMARY_SQL} WHERE 1 = 1"));
        push_filters(&mut rows, q);
        rows.push(format!(" ORDER BY {key}o.id {dir} LIMIT ")).push_bind(q.limit.clamp(1, 100));
        rows.push(" OFFSET ").push_bind(q.offset.max(0));
        let orders = rows.build().fetch_all(&self.pool).await?.iter().map(summary_from).collect::<Result<_>>()?;

        let mut count = QueryBuilder::new("SELECT COUNT(*) AS n FROM orders o WHERE 1 = 1");
        push_filters(&mut count, q);
        let total: i64 = count.build().fetch_one(&self.pool).await?.try_get("n")?;
        Ok(OrderPage { orders, total })
    }
}
