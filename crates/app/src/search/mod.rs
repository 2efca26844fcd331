//! The catalog search index, kept consistent with the database.
//!
//! Built from the database in the background when `ramp serve` starts
//! ([`App::warm_search_index`]: at 500,000 articles the build takes
//! seconds, which the first search should not pay), or else on the first
//! search (tests and CLI commands, which may seed before searching). The
//! server answers health checks and reports ready during the build; a
//! search that arrives meanwhile waits for it (both take the same lock).
//! Then it is kept in step by [`Search::articles_changed`], which every use-case that
//! writes articles calls after its commit: it re-reads the committed rows,
//! so a write that failed or rolled back never reaches the index. Writes
//! and the build share one lock, so a change committed while the index is
//! being built is applied after the build, never lost. If an update fails
//! (the database went away between commit and re-read), the index is
//! marked stale and rebuilt on the next search.
//!
//! Stock: the "in stock" filter, its facet count and the count shown on
//! each hit all come from one snapshot of how many devices of each article
//! are in stock, at most [`STOCK_MAX_AGE`] old (refreshed in the
//! background), so they agree with each other. After a successful write
//! request the next search refreshes it first
//! ([`App::stock_may_have_changed`]), so what was just received, picked or
//! delivered shows at once. Counting each hit's
//! devices in the database instead cost more than the rest of a search on
//! PostgreSQL (docs/BENCHMARKS.md, "Catalog search (issue 18)"); ordering
//! checks the real stock when it reserves.

mod build;

use crate::App;
use chrono::{DateTime, Utc};
use ramp_model::Id;
use ramp_search::CatalogIndex;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::RwLock;

/// How old the stock snapshot may get before a search refreshes it.
pub const STOCK_MAX_AGE: chrono::Duration = chrono::Duration::seconds(30);

/// Names the facets show for ids the index counts by.
#[derive(Debug, Default, Clone)]
pub struct Labels {
    pub suppliers: HashMap<Id, String>,
    /// Group id → (code, name).
    pub groups: HashMap<Id, (String, String)>,
    /// Product area code → (Swedish name, English name).
    pub areas: HashMap<String, (String, String)>,
}

/// The index and what keeps it current. One per app, shared by its clones.
pub struct Search {
    pub(crate) index: CatalogIndex,
    built: AtomicBool,
    /// Held while building or applying a change: writes are serialized.
    write: tokio::sync::Mutex<()>,
    labels: RwLock<std::sync::Arc<Labels>>,
    stock_at: RwLock<Option<DateTime<Utc>>>,
    refreshing: AtomicBool,
    /// Set when a change may have moved devices in or out of stock: the
    /// next search refreshes the snapshot before it answers, so a user
    /// sees what they (or a colleague) just did.
    stock_dirty: AtomicBool,
}

impl Search {
    pub(crate) fn new() -> Self {
        Self {
            index: CatalogIndex::new().expect("an empty in-memory index"),
            built: AtomicBool::new(false),
            write: tokio::sync::Mutex::new(()),
            labels: RwLock::default(),
            stock_at: RwLock::default(),
            refreshing: AtomicBool::new(false),
            stock_dirty: AtomicBool::new(false),
        }
    }

    /// The facets' names (a shared snapshot: every search hands them out).
    pub fn labels(&self) -> std::sync::Arc<Labels> {
        self.labels.read().expect("lock").clone()
    }
}

impl App {
    /// The index, built if it is not yet (or was marked stale).
    pub(crate) async fn search_index(&self) -> crate::error::Result<&Search> {
        let s = &*self.search;
        if !s.built.load(Ordering::Acquire) {
            let _turn = s.write.lock().await;
            if !s.built.load(Ordering::Acquire) {
                build::rebuild(self).await?;
                s.built.store(true, Ordering::Release);
            }
        }
        if s.stock_dirty.swap(false, Ordering::AcqRel) {
            if let Err(e) = build::refresh_stock(self).await {
                // Not refreshed (the database went away): the next search tries again.
                s.stock_dirty.store(true, Ordering::Release);
                return Err(e);
            }
        } else {
            self.refresh_stock_if_old();
        }
        Ok(s)
    }

    /// A committed change may have moved devices in or out of stock (the
    /// web layer calls it after every successful write request): the next
    /// search reads the stock again instead of waiting out the snapshot's
    /// [`STOCK_MAX_AGE`].
    pub fn stock_may_have_changed(&self) {
        self.search.stock_dirty.store(true, Ordering::Release);
    }

    /// Builds the index unless it is built already (or being built: this
    /// waits for that build); returns how many articles it holds.
    /// `ramp serve` runs it in the background at start.
    pub async fn warm_search_index(&self) -> crate::error::Result<u64> {
        Ok(self.search_index().await?.index.len())
    }

    /// Builds the index now, even if built (`ramp bench search` timing
    /// the build); returns how many articles it holds.
    pub async fn build_search_index(&self) -> crate::error::Result<u64> {
        let _turn = self.search.write.lock().await;
        build::rebuild(self).await?;
        self.search.built.store(true, Ordering::Release);
        Ok(self.search.index.len())
    }

    /// How many searches the index answered from its recent results, and how many it ran.
    pub fn search_cache_stats(&self) -> ramp_search::CacheStats {
        self.search.index.cache_stats()
    }

    /// How many segments the index has (one after a build; `ramp bench search` reports it).
    pub fn search_index_segments(&self) -> usize {
        self.search.index.segments()
    }

    /// Brings the index up to date with articles a committed change wrote
    /// (created, edited, retired, imported). Call after the commit.
    pub async fn articles_changed(&self, ids: &[Id]) {
        let _turn = self.search.write.lock().await;
        if !self.search.built.load(Ordering::Acquire) {
            return; // the build will read the committed rows
        }
        if let Err(e) = build::apply(self, ids).await {
            tracing::warn!(error = %e, "search index update failed; rebuilding on the next search");
            self.search.built.store(false, Ordering::Release);
        }
    }

    /// Marks the index stale after a change too large to apply article by
    /// article (a catalog import): the next search rebuilds it.
    pub async fn catalog_replaced(&self) {
        let _turn = self.search.write.lock().await;
        self.search.built.store(false, Ordering::Release);
    }

    /// Starts a background refresh of the stock snapshot when it is older
    /// than [`STOCK_MAX_AGE`]; the search in hand uses the snapshot it has.
    fn refresh_stock_if_old(&self) {
        let now = self.clock.now();
        let fresh = self.search.stock_at.read().expect("lock").is_some_and(|at| now - at < STOCK_MAX_AGE);
        if fresh || self.search.refreshing.swap(true, Ordering::AcqRel) {
            return;
        }
        let app = self.clone();
        tokio::spawn(async move {
            if let Err(e) = build::refresh_stock(&app).await {
                tracing::warn!(error = %e, "stock snapshot for search not refreshed");
            }
            app.search.refreshing.store(false, Ordering::Release);
        });
    }
}
