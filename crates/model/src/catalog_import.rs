//! The catalog-import side of the storage (issue 20): the whole catalog
//! to compare a file with, and one transaction that applies an import —
//! new suppliers, new and changed articles, articles retired — or nothing.
//! A supertrait of [`crate::Storage`], implemented once for both engines
//! by `ramp_storage::SqlStorage` (`sql/catalog_import.rs`).

use crate::{Article, Result};
use async_trait::async_trait;
use chrono::NaiveDate;

/// What an import writes. `upserts` are complete rows keyed by article
/// number: an existing number keeps its id (devices, orders and groups
/// refer to it), a new one gets the next id. Suppliers are by name
/// (`Article::supplier_name`); a name the catalog lacks is created.
#[derive(Debug, Clone, Default)]
pub struct CatalogChanges {
    pub upserts: Vec<Article>,
    /// Article numbers to retire: their `valid_to` becomes `retire_on`.
    pub retire: Vec<String>,
    pub retire_on: Option<NaiveDate>,
}

#[async_trait]
pub trait CatalogImportStore: Send + Sync {
    /// Every article, by id.
    async fn all_articles(&self) -> Result<Vec<Article>>;
    /// Applies the changes in one transaction, calling `progress` with the
    /// rows staged so far; all or nothing.
    async fn apply_catalog_changes(
        &self,
        changes: &CatalogChanges,
        progress: &(dyn Fn(usize) + Send + Sync),
    ) -> Result<()>;
}
