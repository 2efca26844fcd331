//! [`crate::WarehouseStore`] for [`SqlStorage`], both engines: purchase
//! orders, consumables per batch, on-hand stock against thresholds.

use super::rows::article_from;
use crate::db;
use crate::sql::{SqlStorage, ARTICLE_COLUMNS};
use crate::write_tx::WriteTx;
use crate::*;
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// Counts a receipt's lines (article, quantity) on its purchase order and
/// closes the order when every line is in. An article not on the order,
/// or more than is outstanding (the line's check constraint), refuses the
/// whole receipt: the caller checked first, so this only catches a race.
pub(super) async fn count_received(
    tx: &mut WriteTx,
    po: Id,
    lines: impl Iterator<Item = (Id, i32)>,
    at: DateTime<Utc>,
) -> Result<()> {
    for (article_id, quantity) in lines {
        let n = db::query(
            "UPDATE purchase_order_lines SET received = received + $3 WHERE purchase_order_id = $1 AND article_id = $2",
        )
        .bind(po)
        .bind(article_id)
        .bind(quantity)
        .execute(&mut **tx)
        .await?
        .rows_affected();
        if n != 1 {
            return Err(StorageError::StateMismatch(format!("article {article_id} is not on purchase order {po}")));
        }
    }
    db::query(
        "UPDATE purchase_orders SET status = 'closed', closed_at = $2 WHERE id = $1 AND status = 'open' \
         AND NOT EXISTS (SELECT 1 FROM purchase_order_lines l WHERE l.purchase_order_id = $1 AND l.received < l.ordered)",
    )
    .bind(po)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

const PO_SQL: &str = "SELECT p.id, p.supplier_id, s.name AS supplier_name, p.warehouse_id, w.name AS warehouse_name, \
    p.expected_on, p.status, p.created_at FROM purchase_orders p \
    JOIN suppliers s ON s.id = p.supplier_id JOIN warehouses w ON w.id = p.warehouse_id";

fn po_from(r: &db::Row) -> Result<PurchaseOrder> {
    Ok(PurchaseOrder {
        id: r.try_get("id")?,
        supplier_id: r.try_get("supplier_id")?,
        supplier_name: r.try_get("supplier_name")?,
        warehouse_id: r.try_get("warehouse_id")?,
        warehouse_name: r.try_get("warehouse_name")?,
        expected_on: r.try_get("expected_on")?,
        status: r.try_get("status")?,
        created_at: r.try_get("created_at")?,
        lines: vec![],
    })
}

fn on_hand_from(r: &db::Row) -> Result<OnHandLine> {
    Ok(OnHandLine {
        warehouse_id: r.try_get("warehouse_id")?,
        warehouse_name: r.try_get("warehouse_name")?,
        article_id: r.try_get("article_id")?,
        article_number: r.try_get("article_number")?,
        article_name: r.try_get("article_name")?,
        supplier_id: r.try_get("supplier_id")?,
        on_hand: r.try_get("on_hand")?,
        threshold: r.try_get("threshold")?,
    })
}

/// On hand of (`warehouse_id`, `article_id`) in row `x`: devices in stock
/// plus counted consumables.
const ON_HAND: &str = "(SELECT COUNT(*) FROM devices d WHERE d.warehouse_id = x.warehouse_id \
    AND d.article_id = x.article_id AND d.state = 'in_stock') \
    + COALESCE((SELECT CAST(c.quantity AS BIGINT) FROM consumable_stock c WHERE c.warehouse_id = x.warehouse_id \
    AND c.article_id = x.article_id), 0)";

impl SqlStorage {
    async fn po_lines(&self, ids: &[Id]) -> Result<Vec<(Id, PurchaseOrderLine)>> {
        if ids.is_empty() {
            return Ok(vec![]);
        }
        let mut b = db::QueryBuilder::new(
            "SELECT l.purchase_order_id, l.line_no, l.article_id, a.article_number, a.name, l.ordered, l.received \
             FROM purchase_order_lines l JOIN articles a ON a.id = l.article_id WHERE l.purchase_order_id IN (",
        );
        let mut sep = b.separated(", ");
        for id in ids {
            sep.push_bind(*id);
        }
        b.push(") ORDER BY l.purchase_order_id, l.line_no");
        b.build()
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| {
                Ok((
                    r.try_get("purchase_order_id")?,
                    PurchaseOrderLine {
                        line_no: r.try_get("line_no")?,
                        article_id: r.try_get("article_id")?,
                        article_number: r.try_get("article_number")?,
                        article_name: r.try_get("name")?,
                        ordered: r.try_get("ordered")?,
                        received: r.try_get("received")?,
                    },
                ))
            })
            .collect()
    }

    async fn po_with_lines(&self, mut pos: Vec<PurchaseOrder>) -> Result<Vec<PurchaseOrder>> {
        let ids: Vec<Id> = pos.iter().map(|p| p.id).collect();
        for (id, line) in self.po_lines(&ids).await? {
            if let Some(p) = pos.iter_mut().find(|p| p.id == id) {
                p.lines.push(line);
            }
        }
        Ok(pos)
    }
}

#[async_trait]
impl WarehouseStore for SqlStorage {
    async fn article_by_code(&self, code: &str) -> Result<Option<Article>> {
        let sql = format!(
            "SELECT {ARTICLE_COLUMNS} FROM articles a JOIN suppliers s ON s.id = a.supplier_id \
             WHERE a.gtin = $1 OR a.article_number = $1 ORDER BY CASE WHEN a.gtin = $1 THEN 0 ELSE 1 END, a.id LIMIT 1"
        );
        db::query(&sql).bind(code).fetch_optional(&self.pool).await?.map(|r| article_from(&r)).transpose()
    }

    async fn create_purchase_order(&self, p: &NewPurchaseOrder) -> Result<Id> {
        let mut tx = self.dialect.begin().await?;
        let id: Id = db::query(
            "INSERT INTO purchase_orders (supplier_id, warehouse_id, expected_on, status, created_by, created_at) \
             VALUES ($1, $2, $3, 'open', $4, $5) RETURNING id",
        )
        .bind(p.supplier_id)
        .bind(p.warehouse_id)
        .bind(p.expected_on)
        .bind(p.created_by)
        .bind(p.at)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        for (i, (article_id, quantity)) in p.lines.iter().enumerate() {
            db::query(
                "INSERT INTO purchase_order_lines (purchase_order_id, line_no, article_id, ordered, received) \
                 VALUES ($1, $2, $3, $4, 0)",
            )
            .bind(id)
            .bind(i as i32 + 1)
            .bind(*article_id)
            .bind(*quantity)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    async fn purchase_order(&self, id: Id) -> Result<Option<PurchaseOrder>> {
        let sql = format!("{PO_SQL} WHERE p.id = $1");
        let Some(r) = db::query(&sql).bind(id).fetch_optional(&self.pool).await? else { return Ok(None) };
        Ok(self.po_with_lines(vec![po_from(&r)?]).await?.pop())
    }

    async fn purchase_orders(&self, open_only: bool) -> Result<Vec<PurchaseOrder>> {
        let filter = if open_only { " WHERE p.status = 'open'" } else { "" };
        let sql = format!("{PO_SQL}{filter} ORDER BY p.expected_on, p.id LIMIT 500");
        let rows = db::query(&sql).fetch_all(&self.pool).await?;
        let pos = rows.iter().map(po_from).collect::<Result<Vec<_>>>()?;
        self.po_with_lines(pos).await
    }

    async fn set_reorder_threshold(&self, warehouse_id: Id, article_id: Id, threshold: Option<i32>) -> Result<()> {
        match threshold {
            None => db::query("DELETE FROM stock_thresholds WHERE warehouse_id = $1 AND article_id = $2")
                .bind(warehouse_id)
                .bind(article_id)
                .execute(&self.pool)
                .await
                .map(|_| ()),
            Some(t) => db::query(
                "INSERT INTO stock_thresholds (warehouse_id, article_id, threshold) VALUES ($1, $2, $3) \
                 ON CONFLICT (warehouse_id, article_id) DO UPDATE SET threshold = excluded.threshold",
            )
            .bind(warehouse_id)
            .bind(article_id)
            .bind(t)
            .execute(&self.pool)
            .await
            .map(|_| ()),
        }
    }

    async fn on_hand(&self, warehouse_id: Id) -> Result<Vec<OnHandLine>> {
        // One pass over the warehouse's devices (index on warehouse and
        // state), its counted consumables and its thresholds.
        db::query(
            "SELECT $1 AS warehouse_id, w.name AS warehouse_name, x.article_id, a.article_number, \
             a.name AS article_name, a.supplier_id, CAST(SUM(x.n) AS BIGINT) AS on_hand, CAST(t.threshold AS BIGINT) AS threshold \
             FROM ( \
               SELECT article_id, CAST(COUNT(*) AS BIGINT) AS n FROM devices \
               WHERE warehouse_id = $1 AND state = 'in_stock' GROUP BY article_id \
               UNION ALL SELECT article_id, CAST(quantity AS BIGINT) FROM consumable_stock WHERE warehouse_id = $1 \
               UNION ALL SELECT article_id, CAST(0 AS BIGINT) FROM stock_thresholds WHERE warehouse_id = $1) x \
             JOIN warehouses w ON w.id = $1 JOIN articles a ON a.id = x.article_id \
             LEFT JOIN stock_thresholds t ON t.warehouse_id = $1 AND t.article_id = x.article_id \
             GROUP BY x.article_id, w.name, a.article_number, a.name, a.supplier_id, t.threshold \
             ORDER BY a.name, a.article_number",
        )
        .bind(warehouse_id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(on_hand_from)
        .collect()
    }

    async fn below_threshold(&self) -> Result<Vec<OnHandLine>> {
        let sql = format!(
            "SELECT * FROM (SELECT x.warehouse_id, w.name AS warehouse_name, x.article_id, a.article_number, \
             a.name AS article_name, a.supplier_id, {ON_HAND} AS on_hand, CAST(x.threshold AS BIGINT) AS threshold \
             FROM stock_thresholds x JOIN warehouses w ON w.id = x.warehouse_id JOIN articles a ON a.id = x.article_id) b \
             WHERE b.on_hand < b.threshold ORDER BY b.warehouse_name, b.article_name LIMIT 1000"
        );
        db::query(&sql).fetch_all(&self.pool).await?.iter().map(on_hand_from).collect()
    }

    async fn batches(&self, warehouse_id: Id) -> Result<Vec<BatchLine>> {
        db::query(
            "SELECT b.article_id, a.article_number, a.name, b.batch, b.expiry_date, CAST(b.quantity AS BIGINT) AS quantity \
             FROM consumable_batches b JOIN articles a ON a.id = b.article_id \
             WHERE b.warehouse_id = $1 AND b.quantity > 0 \
             ORDER BY CASE WHEN b.expiry_date IS NULL THEN 1 ELSE 0 END, b.expiry_date, a.name, b.batch",
        )
        .bind(warehouse_id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(BatchLine {
                article_id: r.try_get("article_id")?,
                article_number: r.try_get("article_number")?,
                article_name: r.try_get("name")?,
                batch: r.try_get("batch")?,
                expiry_date: r.try_get("expiry_date")?,
                quantity: r.try_get("quantity")?,
            })
        })
        .collect()
    }
}
