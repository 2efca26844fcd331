//! Recent search results, so that the common searches — a generic word
//! ("rollator", "rullstol"), a class ("12"), the same filters — are
//! answered without walking the tens of thousands of articles they match.
//!
//! Why: a search's cost grows with the number of articles it matches, and
//! the searches that match most are the short, generic ones that many
//! prescribers type; a specific one (a model name, a code) matches few and
//! is cheap without a cache. At 500,000 articles "rollator" matches about
//! 30,000, which no amount of tuning makes fit the 50 ms target at 64
//! concurrent clients on two cores.
//!
//! Correctness: every entry is dropped when the index changes (a build, a
//! catalog change: [`ResultCache::clear`]); entries whose answer depends on
//! the stock snapshot (the in-stock filter, and the in-stock count among the
//! facets) are dropped when the snapshot changes. `today` is part of the
//! key, so validity dates are never stale. Bounded: past [`CAPACITY`]
//! entries an arbitrary one is evicted per insert; and only costly
//! searches are offered (`index.rs`, `COSTLY_SCAN`), so the long tail of
//! cheap ones does not evict the common ones.

use crate::index::SearchResults;
use crate::query::SearchRequest;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// Most entries kept (each a page of ids and the facet counts: a few KiB).
pub const CAPACITY: usize = 2_048;

/// The cache: results by request, split by whether they depend on stock.
#[derive(Default)]
pub struct ResultCache {
    plain: Mutex<HashMap<SearchRequest, Arc<SearchResults>>>,
    stocked: Mutex<HashMap<SearchRequest, Arc<SearchResults>>>,
    /// Bumped by every clear, before the maps are emptied: a result
    /// computed while the index or the stock changed is not kept.
    index_generation: AtomicU64,
    stock_generation: AtomicU64,
    hits: AtomicU64,
    misses: AtomicU64,
}

/// The generations a search started under (read before it reads the index).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Generation(u64, u64);

/// How often a search was answered from the cache.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheStats {
    pub hits: u64,
    pub misses: u64,
}

fn depends_on_stock(req: &SearchRequest) -> bool {
    req.filters.in_stock || req.facets
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl ResultCache {
    fn map(&self, req: &SearchRequest) -> &Mutex<HashMap<SearchRequest, Arc<SearchResults>>> {
        if depends_on_stock(req) {
            &self.stocked
        } else {
            &self.plain
        }
    }

    pub fn get(&self, req: &SearchRequest) -> Option<Arc<SearchResults>> {
        let found = lock(self.map(req)).get(req).cloned();
        let counter = if found.is_some() { &self.hits } else { &self.misses };
        counter.fetch_add(1, Ordering::Relaxed);
        found
    }

    /// Read before the search reads the index and the stock snapshot.
    pub fn generation(&self) -> Generation {
        Generation(self.index_generation.load(Ordering::Acquire), self.stock_generation.load(Ordering::Acquire))
    }

    /// Keeps `results` unless the index or the stock changed since `started`.
    pub fn put(&self, req: &SearchRequest, results: Arc<SearchResults>, started: Generation) {
        let mut map = lock(self.map(req));
        if self.generation() != started {
            return;
        }
        if map.len() >= CAPACITY / 2 {
            if let Some(any) = map.keys().next().cloned() {
                map.remove(&any);
            }
        }
        map.insert(req.clone(), results);
    }

    /// The index changed: nothing cached holds.
    pub fn clear(&self) {
        self.index_generation.fetch_add(1, Ordering::AcqRel);
        self.stock_generation.fetch_add(1, Ordering::AcqRel);
        lock(&self.plain).clear();
        lock(&self.stocked).clear();
    }

    /// The stock snapshot changed: what depends on it no longer holds.
    pub fn clear_stocked(&self) {
        self.stock_generation.fetch_add(1, Ordering::AcqRel);
        lock(&self.stocked).clear();
    }

    pub fn stats(&self) -> CacheStats {
        CacheStats { hits: self.hits.load(Ordering::Relaxed), misses: self.misses.load(Ordering::Relaxed) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::Filters;

    fn req(text: &str, in_stock: bool) -> SearchRequest {
        SearchRequest {
            text: text.into(),
            filters: Filters { in_stock, ..Filters::default() },
            include_expired: false,
            today: chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
            offset: 0,
            limit: 10,
            hits: true,
            facets: false,
        }
    }

    fn results(total: usize) -> Arc<SearchResults> {
        Arc::new(SearchResults { total, ..SearchResults::default() })
    }

    #[test]
    fn a_result_is_kept_until_the_index_changes_and_a_stocked_one_until_the_stock_does() {
        let c = ResultCache::default();
        let (plain, stocked) = (req("rollator", false), req("rollator", true));
        c.put(&plain, results(3), c.generation());
        c.put(&stocked, results(1), c.generation());
        c.clear_stocked();
        assert_eq!(c.get(&plain).map(|r| r.total), Some(3));
        assert!(c.get(&stocked).is_none());
        c.clear();
        assert!(c.get(&plain).is_none());
        assert_eq!(c.stats(), CacheStats { hits: 1, misses: 2 });
    }

    #[test]
    fn a_result_computed_while_the_index_changed_is_not_kept() {
        let c = ResultCache::default();
        let started = c.generation();
        c.clear();
        c.put(&req("rollator", false), results(3), started);
        assert!(c.get(&req("rollator", false)).is_none());
    }
}
