//! [`crate::ProductStore`] for [`SqlStorage`], both engines: articles'
//! technical data and handbook text, product-type pictures (migration
//! 0019). Technical data is stored as a JSON array of `{key, value}`; the
//! keys were checked by the use-case, and a key this build does not know
//! is reported as corrupt data rather than shown raw.

use crate::db::{self, QueryBuilder, Row};
use crate::sql::rows::chunk_size;
use crate::sql::SqlStorage;
use crate::*;
use async_trait::async_trait;
use ramp_domain::product::TechRow;

fn details_from(r: &Row) -> Result<ArticleDetails> {
    let json: String = r.try_get("technical_data")?;
    let technical_data: Vec<TechRow> =
        serde_json::from_str(&json).map_err(|e| StorageError::corrupt(format!("technical_data: {e}")))?;
    Ok(ArticleDetails {
        article_id: r.try_get("article_id")?,
        technical_data,
        handbook_text: r.try_get("handbook_text")?,
    })
}

/// The technical data as stored.
pub(crate) fn technical_json(rows: &[TechRow]) -> String {
    serde_json::to_string(rows).unwrap_or_else(|_| "[]".into())
}

fn image_from(r: &Row) -> Result<ProductImage> {
    Ok(ProductImage {
        iso_code: r.try_get("iso_code")?,
        svg: r.try_get("svg")?,
        alt_sv: r.try_get("alt_sv")?,
        alt_en: r.try_get("alt_en")?,
    })
}

#[async_trait]
impl ProductStore for SqlStorage {
    async fn article_details(&self, article_ids: &[Id]) -> Result<Vec<ArticleDetails>> {
        if article_ids.is_empty() {
            return Ok(vec![]);
        }
        let mut b = QueryBuilder::new(
            "SELECT article_id, technical_data, handbook_text FROM article_details WHERE article_id IN (",
        );
        let mut ids = b.separated(", ");
        for id in article_ids {
            ids.push_bind(*id);
        }
        b.push(") ORDER BY article_id");
        b.build().fetch_all(&self.pool).await?.iter().map(details_from).collect()
    }

    async fn insert_article_details(&self, rows: &[ArticleDetails]) -> Result<()> {
        let mut tx = self.dialect.begin().await?;
        for chunk in rows.chunks(chunk_size(self, 3)) {
            QueryBuilder::new("INSERT INTO article_details (article_id, technical_data, handbook_text) ")
                .push_values(chunk, |mut b, r| {
                    b.push_bind(r.article_id).push_bind(technical_json(&r.technical_data)).push_bind(&r.handbook_text);
                })
                .push(
                    " ON CONFLICT (article_id) DO UPDATE SET technical_data = excluded.technical_data, \
                     handbook_text = excluded.handbook_text",
                )
                .build()
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn product_image(&self, iso_code: &str) -> Result<Option<ProductImage>> {
        db::query("SELECT iso_code, svg, alt_sv, alt_en FROM product_images WHERE iso_code = $1")
            .bind(iso_code)
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(image_from)
            .transpose()
    }

    async fn product_types_with_image(&self, iso_codes: &[String]) -> Result<Vec<String>> {
        if iso_codes.is_empty() {
            return Ok(vec![]);
        }
        let mut b = QueryBuilder::new("SELECT iso_code FROM product_images WHERE iso_code IN (");
        let mut codes = b.separated(", ");
        for c in iso_codes {
            codes.push_bind(c.clone());
        }
        b.push(")");
        b.build().fetch_all(&self.pool).await?.iter().map(|r| r.try_get("iso_code")).collect()
    }

    async fn insert_product_images(&self, rows: &[ProductImage]) -> Result<()> {
        let mut tx = self.dialect.begin().await?;
        for chunk in rows.chunks(chunk_size(self, 4)) {
            QueryBuilder::new("INSERT INTO product_images (iso_code, svg, alt_sv, alt_en) ")
                .push_values(chunk, |mut b, r| {
                    b.push_bind(&r.iso_code).push_bind(&r.svg).push_bind(&r.alt_sv).push_bind(&r.alt_en);
                })
                .push(
                    " ON CONFLICT (iso_code) DO UPDATE SET svg = excluded.svg, alt_sv = excluded.alt_sv, \
                     alt_en = excluded.alt_en",
                )
                .build()
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
