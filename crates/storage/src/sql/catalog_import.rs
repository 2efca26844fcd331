//! [`crate::CatalogImportStore`] for [`SqlStorage`], both engines, in one
//! SQL text: the import's rows go into a temporary table in batches
//! (`COPY` on PostgreSQL, multi-row `INSERT`s on SQLite), then
//! three set-based statements apply them (new suppliers, changed articles
//! updated in place by article number, new articles inserted) and a fourth
//! retires the numbers that left the catalog. One transaction: a failure
//! anywhere leaves the catalog as it was. The search index follows by
//! itself (PostgreSQL's trigram index; SQLite's FTS5 table by trigger).

use super::bulk::insert_rows;
use super::rows::{article_from, chunk_size};
use crate::db::{self, QueryBuilder};
use crate::sql::{search_text, SqlStorage, ARTICLE_COLUMNS};
use crate::write_tx::WriteTx;
use crate::*;
use async_trait::async_trait;
use ramp_domain::Term;

const STAGING: &str =
    "CREATE TEMP TABLE catalog_import (article_number TEXT NOT NULL PRIMARY KEY, iso_code TEXT NOT NULL, \
     gtin TEXT, name TEXT NOT NULL, search_text TEXT NOT NULL, supplier_name TEXT NOT NULL, \
     purchase_price_ore BIGINT NOT NULL, monthly_rent_ore BIGINT NOT NULL, kind TEXT NOT NULL, billing TEXT NOT NULL, \
     lead_time_class TEXT NOT NULL, service_life_months INTEGER NOT NULL, reconditionable BOOLEAN NOT NULL, \
     product_area TEXT NOT NULL, valid_from DATE NOT NULL, valid_to DATE)";

const COLUMNS: &[&str] = &[
    "article_number",
    "iso_code",
    "gtin",
    "name",
    "search_text",
    "supplier_name",
    "purchase_price_ore",
    "monthly_rent_ore",
    "kind",
    "billing",
    "lead_time_class",
    "service_life_months",
    "reconditionable",
    "product_area",
    "valid_from",
    "valid_to",
];

/// Rows staged between two progress reports (one `COPY` on PostgreSQL).
const STAGE_STEP: usize = 10_000;

const NEW_SUPPLIERS: &str = "INSERT INTO suppliers (name) SELECT DISTINCT i.supplier_name FROM catalog_import i \
     WHERE NOT EXISTS (SELECT 1 FROM suppliers s WHERE s.name = i.supplier_name)";

const UPDATE_CHANGED: &str = "UPDATE articles SET iso_code = i.iso_code, gtin = i.gtin, name = i.name, \
     search_text = i.search_text, supplier_id = s.id, purchase_price_ore = i.purchase_price_ore, \
     monthly_rent_ore = i.monthly_rent_ore, kind = i.kind, billing = i.billing, lead_time_class = i.lead_time_class, \
     service_life_months = i.service_life_months, reconditionable = i.reconditionable, product_area = i.product_area, \
     valid_from = i.valid_from, valid_to = i.valid_to \
     FROM catalog_import i JOIN suppliers s ON s.name = i.supplier_name WHERE articles.article_number = i.article_number";

const INSERT_NEW: &str = "INSERT INTO articles (article_number, iso_code, gtin, name, search_text, supplier_id, \
     purchase_price_ore, monthly_rent_ore, kind, billing, lead_time_class, service_life_months, reconditionable, \
     product_area, valid_from, valid_to) \
     SELECT i.article_number, i.iso_code, i.gtin, i.name, i.search_text, s.id, i.purchase_price_ore, i.monthly_rent_ore, \
     i.kind, i.billing, i.lead_time_class, i.service_life_months, i.reconditionable, i.product_area, i.valid_from, i.valid_to \
     FROM catalog_import i JOIN suppliers s ON s.name = i.supplier_name \
     WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.article_number = i.article_number) ORDER BY i.article_number";

async fn stage(
    tx: &mut WriteTx,
    this: &SqlStorage,
    rows: &[Article],
    progress: &(dyn Fn(usize) + Send + Sync),
) -> Result<()> {
    let mut done = 0;
    for chunk in rows.chunks(STAGE_STEP) {
        insert_rows(tx, this, "catalog_import", COLUMNS, chunk, |b, r| {
            b.push(&r.article_number)
                .push(r.iso_code.as_str())
                .push(&r.gtin)
                .push(&r.name)
                .push(search_text(&r.name, &r.article_number, r.iso_code.as_str()))
                .push(&r.supplier_name)
                .push(r.purchase_price_ore)
                .push(r.monthly_rent_ore)
                .push(r.kind.as_str())
                .push(r.billing.as_str())
                .push(r.lead_time_class.as_str())
                .push(r.service_life_months)
                .push(r.reconditionable)
                .push(&r.product_area)
                .push(r.valid_from)
                .push(r.valid_to);
        })
        .await?;
        done += chunk.len();
        progress(done);
    }
    Ok(())
}

async fn retire(tx: &mut WriteTx, this: &SqlStorage, numbers: &[String], on: chrono::NaiveDate) -> Result<()> {
    for chunk in numbers.chunks(chunk_size(this, 1).saturating_sub(1).max(1)) {
        let mut b = QueryBuilder::new("UPDATE articles SET valid_to = ");
        b.push_bind(on).push(" WHERE article_number IN (");
        let mut list = b.separated(", ");
        for n in chunk {
            list.push_bind(n);
        }
        b.push(")");
        b.build().execute(&mut **tx).await?;
    }
    Ok(())
}

#[async_trait]
impl CatalogImportStore for SqlStorage {
    async fn all_articles(&self) -> Result<Vec<Article>> {
        let sql =
            format!("SELECT {ARTICLE_COLUMNS} FROM articles a JOIN suppliers s ON s.id = a.supplier_id ORDER BY a.id");
        db::query(&sql).fetch_all(&self.pool).await?.iter().map(article_from).collect()
    }

    async fn apply_catalog_changes(
        &self,
        changes: &CatalogChanges,
        progress: &(dyn Fn(usize) + Send + Sync),
    ) -> Result<()> {
        let mut tx = self.dialect.begin().await?;
        db::query("DROP TABLE IF EXISTS catalog_import").execute(&mut *tx).await?;
        db::query(STAGING).execute(&mut *tx).await?;
        stage(&mut tx, self, &changes.upserts, progress).await?;
        for statement in [NEW_SUPPLIERS, UPDATE_CHANGED, INSERT_NEW, "DROP TABLE catalog_import"] {
            db::query(statement).execute(&mut *tx).await?;
        }
        if let Some(on) = changes.retire_on {
            retire(&mut tx, self, &changes.retire, on).await?;
        }
        tx.commit().await?;
        self.cache.invalidate();
        Ok(())
    }
}
