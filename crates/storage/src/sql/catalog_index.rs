//! What the search index reads: articles with their replacement group, in
//! id order or by id; articles with their stock now (the product page);
//! the stock snapshot (devices in stock per article).

use super::rows::*;
use crate::db;
use crate::db::QueryBuilder;
use crate::sql::SqlStorage;
use crate::sql::ARTICLE_COLUMNS;
use crate::*;

fn indexed_sql(where_clause: &str) -> String {
    format!(
        "SELECT {ARTICLE_COLUMNS}, g.id AS group_id, g.code AS group_code, g.name AS group_name \
         FROM articles a JOIN suppliers s ON s.id = a.supplier_id \
         LEFT JOIN replacement_group_members m ON m.article_id = a.id \
         LEFT JOIN replacement_groups g ON g.id = m.group_id {where_clause}"
    )
}

fn indexed_from(r: &db::Row) -> Result<IndexedArticle> {
    let group = match r.try_get::<Option<Id>, _>("group_id")? {
        Some(id) => Some(GroupSummary { id, code: r.try_get("group_code")?, name: r.try_get("group_name")? }),
        None => None,
    };
    Ok(IndexedArticle { article: article_from(r)?, group })
}

pub(super) async fn articles_for_index(this: &SqlStorage, after: Id, limit: i64) -> Result<Vec<IndexedArticle>> {
    let sql = indexed_sql("WHERE a.id > $1 ORDER BY a.id LIMIT $2");
    db::query(&sql).bind(after).bind(limit).fetch_all(&this.pool).await?.iter().map(indexed_from).collect()
}

/// `prefix` followed by `(id, id, …)` and `suffix`.
fn by_ids<'a>(prefix: String, ids: &'a [Id], suffix: &str) -> QueryBuilder<'a> {
    let mut b = QueryBuilder::new(prefix);
    b.push(" (");
    let mut list = b.separated(", ");
    for id in ids {
        list.push_bind(*id);
    }
    b.push(")").push(suffix);
    b
}

pub(super) async fn articles_for_index_by_ids(this: &SqlStorage, ids: &[Id]) -> Result<Vec<IndexedArticle>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let mut b = by_ids(indexed_sql("WHERE a.id IN"), ids, "");
    b.build().fetch_all(&this.pool).await?.iter().map(indexed_from).collect()
}

pub(super) async fn article_hits(this: &SqlStorage, ids: &[Id]) -> Result<Vec<ArticleHit>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let prefix = format!(
        "SELECT {ARTICLE_COLUMNS}, (SELECT COUNT(*) FROM devices d WHERE d.article_id = a.id AND d.state = 'in_stock') AS in_stock \
         FROM articles a JOIN suppliers s ON s.id = a.supplier_id WHERE a.id IN"
    );
    let mut b = by_ids(prefix, ids, "");
    b.build()
        .fetch_all(&this.pool)
        .await?
        .iter()
        .map(|r| Ok(ArticleHit { article: article_from(r)?, in_stock: r.try_get("in_stock")? }))
        .collect()
}

pub(super) async fn in_stock_counts(this: &SqlStorage) -> Result<Vec<(Id, i64)>> {
    let sql = "SELECT article_id, COUNT(*) AS n FROM devices WHERE state = 'in_stock' GROUP BY article_id";
    let rows = db::query(sql).fetch_all(&this.pool).await?;
    rows.iter().map(|r| Ok((r.try_get::<Id, _>("article_id")?, r.try_get::<i64, _>("n")?))).collect()
}
