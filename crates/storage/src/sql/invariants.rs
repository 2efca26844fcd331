//! What must hold in a Ramp database whatever happened to it: a kill, a
//! full disk, a backup restored. Each check counts the rows that break it;
//! `ramp restore` and `ramp verify` run them all and fail on any count
//! above zero. Portable SQL, the same on both engines.

use crate::db;
use crate::sql::SqlStorage;
use crate::Result;

/// (what is wrong, a query counting the rows where it is) — the crash
/// test's checks plus the invoices' totals (the principals' and the patients').
const CHECKS: [(&str, &str); 17] = [
    (
        "orders without lines",
        "SELECT COUNT(*) AS n FROM orders o WHERE NOT EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id)",
    ),
    (
        "channels and principals whose kept order count is not their orders' (migration 0040)",
        "SELECT COUNT(*) AS n FROM (SELECT channel, principal_id FROM \
         (SELECT o.channel, u.principal_id, 1 AS k FROM orders o JOIN units u ON u.id = o.unit_id \
         UNION ALL SELECT channel, principal_id, -orders FROM order_channel_slots) x \
         GROUP BY channel, principal_id HAVING SUM(k) <> 0) y",
    ),
    (
        "principals whose kept count of returned loans is not their loans' (migration 0041)",
        "SELECT COUNT(*) AS n FROM (SELECT principal_id FROM \
         (SELECT c.principal_id, 1 AS k FROM loans n JOIN customer_numbers c ON c.id = n.customer_number_id \
         WHERE n.patient_id IS NOT NULL AND n.end_date IS NOT NULL AND NOT EXISTS \
         (SELECT 1 FROM lost_reports r WHERE r.device_id = n.device_id AND r.reported_on = n.end_date) \
         UNION ALL SELECT principal_id, -returned FROM loan_returns) x \
         GROUP BY principal_id HAVING SUM(k) <> 0) y",
    ),
    (
        "answers whose kept count is not the replacement answers' (migration 0042)",
        "SELECT COUNT(*) AS n FROM (SELECT answer FROM \
         (SELECT answer, 1 AS k FROM replacement_answers UNION ALL SELECT answer, -answers FROM answer_slots) x \
         GROUP BY answer HAVING SUM(k) <> 0) y",
    ),
    (
        "articles whose kept count of purchased devices is not their devices' (migration 0043)",
        "SELECT COUNT(*) AS n FROM (SELECT article_id FROM \
         (SELECT article_id, 1 AS k FROM devices UNION ALL SELECT article_id, -devices FROM device_purchases) x \
         GROUP BY article_id HAVING SUM(k) <> 0) y",
    ),
    (
        "articles whose kept count of ordered lines is not their lines' (migration 0044)",
        "SELECT COUNT(*) AS n FROM (SELECT article_id FROM \
         (SELECT requested_article_id AS article_id, 1 AS k FROM order_lines WHERE state <> 'cancelled' \
         UNION ALL SELECT article_id, -lines FROM prescribed_slots) x \
         GROUP BY article_id HAVING SUM(k) <> 0) y",
    ),
    (
        "orders without their 'registered' event",
        "SELECT COUNT(*) AS n FROM orders o WHERE NOT EXISTS \
         (SELECT 1 FROM order_events e WHERE e.order_id = o.id AND e.to_status = 'registered')",
    ),
    (
        "open order lines whose device is not reserved",
        "SELECT COUNT(*) AS n FROM order_lines l JOIN devices d ON d.id = l.device_id \
         WHERE l.state = 'open' AND d.state <> 'reserved'",
    ),
    (
        "devices in two open order lines",
        "SELECT COUNT(*) AS n FROM (SELECT device_id FROM order_lines WHERE state = 'open' AND device_id IS NOT NULL \
         GROUP BY device_id HAVING COUNT(*) > 1) x",
    ),
    (
        "devices in two open loans",
        "SELECT COUNT(*) AS n FROM (SELECT device_id FROM loans WHERE end_date IS NULL \
         GROUP BY device_id HAVING COUNT(*) > 1) x",
    ),
    (
        "devices both in a cart and in an open order line",
        "SELECT COUNT(*) AS n FROM cart_items c JOIN order_lines l ON l.device_id = c.device_id AND l.state = 'open'",
    ),
    (
        "devices in an open loan and an open order line",
        "SELECT COUNT(*) AS n FROM loans o JOIN order_lines l ON l.device_id = o.device_id AND l.state = 'open' \
         WHERE o.end_date IS NULL",
    ),
    (
        "devices whose state is not their latest event's",
        // One grouped pass over the events, not a subquery per device (seconds on PostgreSQL).
        "SELECT COUNT(*) AS n FROM devices d \
         JOIN (SELECT device_id, MAX(id) AS id FROM device_events GROUP BY device_id) m ON m.device_id = d.id \
         JOIN device_events e ON e.id = m.id WHERE e.to_state <> d.state",
    ),
    (
        "cart items whose device is not reserved by the cart's owner",
        "SELECT COUNT(*) AS n FROM cart_items c JOIN devices d ON d.id = c.device_id \
         WHERE d.state <> 'reserved' OR d.reserved_by IS NULL OR d.reserved_by <> c.user_id",
    ),
    (
        "invoices whose total is not the sum of their lines",
        "SELECT COUNT(*) AS n FROM invoices i \
         WHERE i.total_ore <> (SELECT COALESCE(SUM(l.amount_ore), 0) FROM invoice_lines l WHERE l.invoice_id = i.id)",
    ),
    (
        "patient invoices whose total is not the sum of their lines",
        "SELECT COUNT(*) AS n FROM patient_invoices i WHERE i.total_ore <> \
         (SELECT COALESCE(SUM(l.amount_ore), 0) FROM patient_invoice_lines l WHERE l.invoice_id = i.id)",
    ),
    (
        "patient invoice lines that bill another amount or another patient's fee than recorded",
        "SELECT COUNT(*) AS n FROM patient_invoice_lines l JOIN patient_invoices i ON i.id = l.invoice_id \
         JOIN patient_fee_charges c ON c.id = l.charge_id \
         WHERE l.amount_ore <> c.amount_ore OR c.patient_id <> i.patient_id",
    ),
];

pub(super) async fn invariant_violations(this: &SqlStorage) -> Result<Vec<(String, i64)>> {
    let mut out = Vec::new();
    for (what, sql) in CHECKS {
        let n: i64 = db::query(sql).fetch_one(&this.pool).await?.try_get("n")?;
        if n > 0 {
            out.push((what.to_string(), n));
        }
    }
    Ok(out)
}
