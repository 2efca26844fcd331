//! [`crate::WorkshopStore`] for [`SqlStorage`], both engines: spare parts
//! per model, checklists, attachments and the workshop's notifications;
//! and the pieces the work-order transactions of `sql/supply.rs` use.

use crate::db;
use crate::db::Row;
use crate::sql::SqlStorage;
use crate::*;
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// The label of the first mandatory checklist item of the work order's
/// kind not checked off on it, if any (in the finishing transaction).
pub(crate) async fn first_unchecked(conn: &mut db::Connection, work_order_id: Id) -> Result<Option<String>> {
    let r = db::query(
        "SELECT i.label_sv FROM checklist_items i JOIN work_orders w ON w.kind = i.kind \
         WHERE w.id = $1 AND i.mandatory \
         AND NOT EXISTS (SELECT 1 FROM work_order_checks c WHERE c.work_order_id = w.id AND c.item_id = i.id) \
         ORDER BY i.position LIMIT 1",
    )
    .bind(work_order_id)
    .fetch_optional(&mut *conn)
    .await?;
    r.map(|r| r.try_get("label_sv")).transpose()
}

/// Notifies the prescriber who ordered the device (its latest order) and
/// every active warehouse user that its adaptation was signed, in the
/// signing transaction.
pub(crate) async fn notify_signed(
    conn: &mut db::Connection,
    device_id: Id,
    work_order_id: Id,
    at: DateTime<Utc>,
) -> Result<()> {
    db::query(
        "INSERT INTO workshop_notifications (user_id, kind, work_order_id, device_number, occurred_at) \
         SELECT u.id, 'adaptation_signed', $2, (SELECT device_number FROM devices WHERE id = $1), $3 FROM users u \
         WHERE u.active AND (u.id IN (SELECT o.created_by FROM orders o WHERE o.id = ( \
             SELECT MAX(l.order_id) FROM order_lines l WHERE l.device_id = $1)) \
           OR EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role = 'warehouse'))",
    )
    .bind(device_id)
    .bind(work_order_id)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

fn check_from(r: &Row) -> Result<ChecklistLine> {
    Ok(ChecklistLine {
        item_id: r.try_get("id")?,
        position: r.try_get("position")?,
        label_sv: r.try_get("label_sv")?,
        label_en: r.try_get("label_en")?,
        mandatory: r.try_get("mandatory")?,
        checked_by: r.try_get("checked_by")?,
        checked_by_name: r.try_get("display_name")?,
        checked_at: r.try_get("checked_at")?,
    })
}

fn attachment_from(r: &Row) -> Result<AttachmentMeta> {
    Ok(AttachmentMeta {
        id: r.try_get("id")?,
        work_order_id: r.try_get("work_order_id")?,
        filename: r.try_get("filename")?,
        content_type: r.try_get("content_type")?,
        size_bytes: i64::from(r.try_get::<i32, _>("size_bytes")?),
        uploaded_by: r.try_get("uploaded_by")?,
        uploaded_at: r.try_get("uploaded_at")?,
    })
}

const ATTACHMENT_COLUMNS: &str = "id, work_order_id, filename, content_type, size_bytes, uploaded_by, uploaded_at";

#[async_trait]
impl WorkshopStore for SqlStorage {
    async fn spare_parts(&self, model_article_id: Id) -> Result<Vec<SparePart>> {
        db::query(
            "SELECT a.article_number, a.name, \
             COALESCE((SELECT SUM(s.quantity) FROM consumable_stock s WHERE s.article_id = a.id), 0) AS stock \
             FROM model_spare_parts p JOIN articles a ON a.id = p.part_article_id \
             WHERE p.model_article_id = $1 ORDER BY a.article_number",
        )
        .bind(model_article_id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(SparePart {
                article_number: r.try_get("article_number")?,
                name: r.try_get("name")?,
                stock: r.try_get("stock")?,
            })
        })
        .collect()
    }

    async fn add_spare_part(&self, model_article_id: Id, part_article_id: Id) -> Result<()> {
        db::query(
            "INSERT INTO model_spare_parts (model_article_id, part_article_id) VALUES ($1, $2) \
             ON CONFLICT (model_article_id, part_article_id) DO NOTHING",
        )
        .bind(model_article_id)
        .bind(part_article_id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn article_stock(&self, article_id: Id) -> Result<i64> {
        db::query("SELECT COALESCE(SUM(quantity), 0) AS n FROM consumable_stock WHERE article_id = $1")
            .bind(article_id)
            .fetch_one(&self.pool)
            .await?
            .try_get("n")
    }

    async fn checklist(&self, work_order_id: Id) -> Result<Vec<ChecklistLine>> {
        db::query(
            "SELECT i.id, i.position, i.label_sv, i.label_en, i.mandatory, c.checked_by, c.checked_at, u.display_name \
             FROM work_orders w JOIN checklist_items i ON i.kind = w.kind \
             LEFT JOIN work_order_checks c ON c.work_order_id = w.id AND c.item_id = i.id \
             LEFT JOIN users u ON u.id = c.checked_by WHERE w.id = $1 ORDER BY i.position",
        )
        .bind(work_order_id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(check_from)
        .collect()
    }

    async fn check_item(&self, work_order_id: Id, item_id: Id, user: Id, at: DateTime<Utc>) -> Result<()> {
        let mut tx = self.dialect.begin().await?;
        let n = db::query(
            "INSERT INTO work_order_checks (work_order_id, item_id, checked_by, checked_at) \
             SELECT w.id, i.id, $3, $4 FROM work_orders w JOIN checklist_items i ON i.kind = w.kind \
             WHERE w.id = $1 AND i.id = $2 AND w.status IN ('open', 'in_progress') \
             ON CONFLICT (work_order_id, item_id) DO NOTHING",
        )
        .bind(work_order_id)
        .bind(item_id)
        .bind(user)
        .bind(at)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n == 0 {
            let done = db::query("SELECT 1 AS one FROM work_order_checks WHERE work_order_id = $1 AND item_id = $2")
                .bind(work_order_id)
                .bind(item_id)
                .fetch_optional(&mut *tx)
                .await?;
            if done.is_none() {
                return Err(StorageError::StateMismatch(format!(
                    "item {item_id} is not on the checklist of an active work order {work_order_id}"
                )));
            }
        }
        tx.commit().await?;
        Ok(())
    }

    async fn add_attachment(&self, a: &NewAttachment) -> Result<Id> {
        let size = i32::try_from(a.content.len()).unwrap_or(i32::MAX);
        db::query(
            "INSERT INTO work_order_attachments (work_order_id, filename, content_type, size_bytes, content, uploaded_by, uploaded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(a.work_order_id)
        .bind(&a.filename)
        .bind(&a.content_type)
        .bind(size)
        .bind(&a.content)
        .bind(a.uploaded_by)
        .bind(a.at)
        .fetch_one(&self.pool)
        .await?
        .try_get("id")
    }

    async fn attachments(&self, work_order_id: Id) -> Result<Vec<AttachmentMeta>> {
        let sql =
            format!("SELECT {ATTACHMENT_COLUMNS} FROM work_order_attachments WHERE work_order_id = $1 ORDER BY id");
        db::query(&sql).bind(work_order_id).fetch_all(&self.pool).await?.iter().map(attachment_from).collect()
    }

    async fn attachment(&self, work_order_id: Id, id: Id) -> Result<Option<(AttachmentMeta, Vec<u8>)>> {
        let sql = format!(
            "SELECT {ATTACHMENT_COLUMNS}, content FROM work_order_attachments WHERE work_order_id = $1 AND id = $2"
        );
        let Some(r) = db::query(&sql).bind(work_order_id).bind(id).fetch_optional(&self.pool).await? else {
            return Ok(None);
        };
        Ok(Some((attachment_from(&r)?, r.try_get("content")?)))
    }

    async fn workshop_notifications(&self, user_id: Id, limit: i64) -> Result<Vec<WorkshopNotification>> {
        db::query(
            "SELECT id, kind, work_order_id, device_number, occurred_at, read_at FROM workshop_notifications \
             WHERE user_id = $1 ORDER BY id DESC LIMIT $2",
        )
        .bind(user_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(WorkshopNotification {
                id: r.try_get("id")?,
                kind: r.try_get("kind")?,
                work_order_id: r.try_get("work_order_id")?,
                device_number: r.try_get("device_number")?,
                occurred_at: r.try_get("occurred_at")?,
                read_at: r.try_get("read_at")?,
            })
        })
        .collect()
    }
}
