//! The catalog: article search, articles, product areas.

use super::rows::*;
use crate::db;
use crate::db::QueryBuilder;
use crate::sql::SqlStorage;
use crate::sql::{like_escape, ARTICLE_COLUMNS};
use crate::*;

pub(super) async fn search_articles(this: &SqlStorage, q: &ArticleQuery) -> Result<Vec<ArticleHit>> {
    // Match and limit first (inner query), then count stock for the
    // few hits only: counting for every match before the LIMIT is
    // what makes a popular word slow.
    let mut b = QueryBuilder::new(format!(
        "SELECT {ARTICLE_COLUMNS}, (SELECT COUNT(*) FROM devices d WHERE d.article_id = a.id AND d.state = 'in_stock') AS in_stock \
         FROM (SELECT * FROM articles a WHERE 1 = 1"
    ));
    for w in &q.words {
        this.dialect.push_text_match(&mut b, &w.to_lowercase());
    }
    if let Some(p) = &q.iso_prefix {
        b.push(" AND a.iso_code LIKE ").push_bind(format!("{}%", like_escape(p))).push(" ESCAPE '\\'");
    }
    b.push(" ORDER BY a.iso_code, a.name, a.article_number LIMIT ").push_bind(q.limit.clamp(1, 500));
    b.push(") a JOIN suppliers s ON s.id = a.supplier_id ORDER BY a.iso_code, a.name, a.article_number");
    b.build()
        .fetch_all(&this.pool)
        .await?
        .iter()
        .map(|r| Ok(ArticleHit { article: article_from(r)?, in_stock: r.try_get("in_stock")? }))
        .collect()
}

pub(super) async fn article_by_number(this: &SqlStorage, article_number: &str) -> Result<Option<Article>> {
    let seen = match this.cache.get(|r| r.articles_by_number.get(article_number).cloned()) {
        Ok(hit) => return Ok(hit),
        Err(seen) => seen,
    };
    let sql = format!(
        "SELECT {ARTICLE_COLUMNS} FROM articles a JOIN suppliers s ON s.id = a.supplier_id WHERE a.article_number = $1"
    );
    let article =
        db::query(&sql).bind(article_number).fetch_optional(&this.pool).await?.map(|r| article_from(&r)).transpose()?;
    this.cache.put(seen, |r| {
        r.articles_by_number.insert(article_number.to_string(), article.clone());
    });
    Ok(article)
}

pub(super) async fn product_areas(this: &SqlStorage) -> Result<Vec<ProductArea>> {
    let seen = match this.cache.get(|r| r.product_areas.clone()) {
        Ok(hit) => return Ok(hit),
        Err(seen) => seen,
    };
    let rows = db::query(
        "SELECT code, name_sv, name_en, required_competence, drug_adjacent, digital FROM product_areas ORDER BY code",
    )
    .fetch_all(&this.pool)
    .await?;
    let rows = all(&rows, product_area_from)?;
    this.cache.put(seen, |r| r.product_areas = Some(rows.clone()));
    Ok(rows)
}
