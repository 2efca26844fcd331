//! The prescriber's inbox: notifications of their orders' status changes.
//! They are written by the status change's unit of work
//! (`sql/unit_of_work.rs`, `notify_creator`); here they are read and
//! marked read.

use super::{stored, SqlStorage};
use crate::db;
use crate::{Id, Notification, Result};
use chrono::{DateTime, Utc};

impl SqlStorage {
    pub(crate) async fn inbox(&self, user_id: Id, limit: i64) -> Result<Vec<Notification>> {
        let rows = db::query(
            "SELECT n.id, n.order_id, n.to_status, n.occurred_at, n.read_at, \
               COALESCE((SELECT a.name FROM order_lines l JOIN articles a ON a.id = l.article_id \
                 WHERE l.order_id = n.order_id ORDER BY l.line_no LIMIT 1), '') AS first_article \
             FROM notifications n WHERE n.user_id = $1 ORDER BY n.id DESC LIMIT $2",
        )
        .bind(user_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Notification {
                    id: r.try_get("id")?,
                    order_id: r.try_get("order_id")?,
                    to_status: stored(r, "to_status")?,
                    occurred_at: r.try_get("occurred_at")?,
                    read_at: r.try_get("read_at")?,
                    first_article: r.try_get("first_article")?,
                })
            })
            .collect()
    }

    pub(crate) async fn unread_count(&self, user_id: Id) -> Result<i64> {
        let r = db::query("SELECT COUNT(*) AS n FROM notifications WHERE user_id = $1 AND read_at IS NULL")
            .bind(user_id)
            .fetch_one(&self.pool)
            .await?;
        r.try_get("n")
    }

    /// Marks read if unread; a notification read before stays as it was.
    pub(crate) async fn mark_read(&self, user_id: Id, id: Id, at: DateTime<Utc>) -> Result<bool> {
        let mut tx = self.dialect.begin().await?;
        db::query("UPDATE notifications SET read_at = $1 WHERE id = $2 AND user_id = $3 AND read_at IS NULL")
            .bind(at)
            .bind(id)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        let found = db::query("SELECT 1 AS one FROM notifications WHERE id = $1 AND user_id = $2")
            .bind(id)
            .bind(user_id)
            .fetch_optional(&mut *tx)
            .await?
            .is_some();
        tx.commit().await?;
        Ok(found)
    }
}
