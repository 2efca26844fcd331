//! [`crate::OrderListStore`] for [`SqlStorage`], both engines: a unit's
//! saved order lists (migration 0018). Every write is one transaction that
//! begins with a write; the lines of a list are replaced whole, since a
//! list is edited as one form.

use crate::db::{self, Row};
use crate::sql::SqlStorage;
use crate::write_tx::WriteTx;
use crate::*;
use async_trait::async_trait;
use std::collections::HashMap;

const LIST_COLUMNS: &str = "id, unit_id, name, created_by, created_at, updated_by, updated_at";

fn list_from(r: &Row) -> Result<OrderList> {
    Ok(OrderList {
        id: r.try_get("id")?,
        unit_id: r.try_get("unit_id")?,
        name: r.try_get("name")?,
        created_by: r.try_get("created_by")?,
        created_at: r.try_get("created_at")?,
        updated_by: r.try_get("updated_by")?,
        updated_at: r.try_get("updated_at")?,
        lines: vec![],
    })
}

impl SqlStorage {
    /// Fills in the lines of `lists` with two reads: the lines, then their
    /// articles (from the cache of nearly static rows).
    async fn with_lines(&self, mut lists: Vec<OrderList>) -> Result<Vec<OrderList>> {
        if lists.is_empty() {
            return Ok(lists);
        }
        let mut b =
            db::QueryBuilder::new("SELECT list_id, article_id, quantity FROM order_list_lines WHERE list_id IN (");
        let mut ids = b.separated(", ");
        for l in &lists {
            ids.push_bind(l.id);
        }
        b.push(") ORDER BY list_id, line_no");
        let rows = b.build().fetch_all(&self.pool).await?;
        let mut lines: Vec<(Id, Id, i32)> = Vec::with_capacity(rows.len());
        for r in &rows {
            lines.push((r.try_get("list_id")?, r.try_get("article_id")?, r.try_get("quantity")?));
        }
        let article_ids: Vec<Id> = lines.iter().map(|l| l.1).collect();
        let articles: HashMap<Id, Article> =
            self.articles_by_ids(&article_ids).await?.into_iter().map(|a| (a.id, a)).collect();
        for (list_id, article_id, quantity) in lines {
            let article =
                articles.get(&article_id).cloned().ok_or_else(|| StorageError::NotFound(article_id.to_string()))?;
            if let Some(list) = lists.iter_mut().find(|l| l.id == list_id) {
                list.lines.push(OrderListLine { article, quantity });
            }
        }
        Ok(lists)
    }
}

async fn insert_lines(tx: &mut WriteTx, list_id: Id, lines: &[(Id, i32)]) -> Result<()> {
    for (no, (article_id, quantity)) in (1i32..).zip(lines) {
        db::query("INSERT INTO order_list_lines (list_id, line_no, article_id, quantity) VALUES ($1, $2, $3, $4)")
            .bind(list_id)
            .bind(no)
            .bind(*article_id)
            .bind(*quantity)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

#[async_trait]
impl OrderListStore for SqlStorage {
    async fn order_lists(&self, unit_id: Id) -> Result<Vec<OrderList>> {
        let sql = format!("SELECT {LIST_COLUMNS} FROM order_lists WHERE unit_id = $1 ORDER BY name, id");
        let rows = db::query(&sql).bind(unit_id).fetch_all(&self.pool).await?;
        let lists = rows.iter().map(list_from).collect::<Result<Vec<_>>>()?;
        self.with_lines(lists).await
    }

    async fn order_list(&self, id: Id) -> Result<Option<OrderList>> {
        let sql = format!("SELECT {LIST_COLUMNS} FROM order_lists WHERE id = $1");
        let Some(row) = db::query(&sql).bind(id).fetch_optional(&self.pool).await? else { return Ok(None) };
        Ok(self.with_lines(vec![list_from(&row)?]).await?.pop())
    }

    async fn create_order_list(&self, list: &NewOrderList) -> Result<Id> {
        let mut tx = self.dialect.begin().await?;
        let id: Id = db::query(
            "INSERT INTO order_lists (unit_id, name, created_by, created_at, updated_by, updated_at) \
             VALUES ($1, $2, $3, $4, $3, $4) RETURNING id",
        )
        .bind(list.unit_id)
        .bind(&list.name)
        .bind(list.by)
        .bind(list.at)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        insert_lines(&mut tx, id, &list.lines).await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn update_order_list(&self, id: Id, list: &NewOrderList) -> Result<bool> {
        let mut tx = self.dialect.begin().await?;
        let done = db::query(
            "UPDATE order_lists SET name = $3, updated_by = $4, updated_at = $5 WHERE id = $1 AND unit_id = $2",
        )
        .bind(id)
        .bind(list.unit_id)
        .bind(&list.name)
        .bind(list.by)
        .bind(list.at)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Ok(false);
        }
        db::query("DELETE FROM order_list_lines WHERE list_id = $1").bind(id).execute(&mut *tx).await?;
        insert_lines(&mut tx, id, &list.lines).await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn delete_order_list(&self, id: Id, unit_id: Id) -> Result<bool> {
        let mut tx = self.dialect.begin().await?;
        // The list row first: a write that takes SQLite's lock and matches
        // only the unit's own list; its lines go only if it did.
        let done = db::query("UPDATE order_lists SET updated_at = updated_at WHERE id = $1 AND unit_id = $2")
            .bind(id)
            .bind(unit_id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() != 1 {
            return Ok(false);
        }
        db::query("DELETE FROM order_list_lines WHERE list_id = $1").bind(id).execute(&mut *tx).await?;
        db::query("DELETE FROM order_lists WHERE id = $1").bind(id).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(true)
    }
}
