//! Nearly static rows kept in memory by the storage: principals, product
//! areas, units, articles (by article number, as an order names them),
//! replacement groups (by article), customer numbers and each principal's
//! invoicing account. Placing one order read them six to eight times, one
//! statement (and on PostgreSQL one round trip) each, although they change
//! only when data is loaded.
//!
//! Invalidation: these tables are written only through this storage's bulk
//! loaders (`insert_principals`, `insert_customer_numbers`, `insert_units`,
//! `insert_product_areas`, `insert_articles`, `insert_replacement_groups`,
//! `finish_bulk_load`),
//! and each of them empties the cache after its commit. A value read from
//! the database is kept only if nothing was invalidated while it was being
//! read (the generation check), so a reader racing a loader cannot put old
//! rows back. Another process writing the same database (a second server,
//! a CLI load) is seen within [`TTL`]: the whole cache is dropped that long
//! after it was started, as with the login cache in `ramp-app`. That time
//! is the application's [`Clock`]'s (set with [`StaticCache::use_clock`]),
//! so a test that sets the clock sees the cache expire with it.

use crate::{Article, Clock, CustomerNumber, Id, Principal, ProductArea, ReplacementGroup, SystemClock, Unit};
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How long a cached row may be served without looking at the database.
pub const TTL: Duration = Duration::from_secs(30);
/// Per-key maps are dropped when they grow past this (a bound on memory).
const MAX_KEYS: usize = 100_000;

/// The cached rows. `None` / a missing key: not cached yet.
#[derive(Debug, Default)]
pub struct Rows {
    pub principals: Option<Vec<Principal>>,
    pub product_areas: Option<Vec<ProductArea>>,
    pub units: HashMap<Id, Option<Unit>>,
    /// An article and its supplier's name, by article number (the columns
    /// the consultation writes, such as spare parts, are not among them).
    pub articles_by_number: HashMap<String, Option<Article>>,
    /// The replacement group an article belongs to, if any.
    pub groups_by_article: HashMap<Id, Option<ReplacementGroup>>,
    /// A principal's lowest-numbered customer number, if any.
    pub customer_number_of_principal: HashMap<Id, Option<Id>>,
    pub customer_numbers: HashMap<Id, Option<CustomerNumber>>,
}

impl Rows {
    fn too_big(&self) -> bool {
        self.units.len() > MAX_KEYS
            || self.articles_by_number.len() > MAX_KEYS
            || self.groups_by_article.len() > MAX_KEYS
            || self.customer_number_of_principal.len() > MAX_KEYS
            || self.customer_numbers.len() > MAX_KEYS
    }
}

struct State {
    clock: Arc<dyn Clock>,
    generation: u64,
    started: DateTime<Utc>,
    rows: Rows,
}

impl State {
    /// Drops every row and starts a new generation now.
    fn restart(&mut self) {
        self.generation += 1;
        self.started = self.clock.now();
        self.rows = Rows::default();
    }

    /// Whether the rows were started more than [`TTL`] ago (or, the clock
    /// having been set back, after now).
    fn expired(&self) -> bool {
        (self.clock.now() - self.started).to_std().map_or(true, |age| age > TTL)
    }
}

/// The generation a cache miss saw; the value read afterwards is kept only
/// if the cache is still in that generation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Generation(u64);

/// See the module documentation.
pub struct StaticCache {
    state: Mutex<State>,
}

impl std::fmt::Debug for StaticCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = self.state();
        f.debug_struct("StaticCache").field("generation", &s.generation).field("started", &s.started).finish()
    }
}

impl Default for StaticCache {
    /// A cache timed by the system clock until [`StaticCache::use_clock`].
    fn default() -> Self {
        Self::new(Arc::new(SystemClock))
    }
}

impl StaticCache {
    /// An empty cache timed by `clock`.
    pub fn new(clock: Arc<dyn Clock>) -> Self {
        let started = clock.now();
        Self { state: Mutex::new(State { clock, generation: 0, started, rows: Rows::default() }) }
    }

    /// Times the cache by `clock` from now on; what was cached is dropped
    /// (it was timed by the previous clock).
    pub fn use_clock(&self, clock: Arc<dyn Clock>) {
        let mut s = self.state();
        s.clock = clock;
        s.restart();
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic while holding the lock leaves plain data behind; use it.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The cached value, or (on a miss) the generation to put the value
    /// read from the database under.
    pub fn get<T>(&self, read: impl FnOnce(&Rows) -> Option<T>) -> std::result::Result<T, Generation> {
        let mut s = self.state();
        if s.expired() || s.rows.too_big() {
            s.restart();
        }
        read(&s.rows).ok_or(Generation(s.generation))
    }

    /// Keeps a value read from the database, unless the cache was
    /// invalidated since the miss.
    pub fn put(&self, seen: Generation, write: impl FnOnce(&mut Rows)) {
        let mut s = self.state();
        if Generation(s.generation) == seen {
            write(&mut s.rows);
        }
    }

    /// Forgets everything: the tables behind it were written.
    pub fn invalidate(&self) {
        self.state().restart();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FixedClock;
    use chrono::TimeZone;

    fn area(code: &str) -> ProductArea {
        ProductArea {
            code: code.into(),
            name_sv: code.into(),
            name_en: code.into(),
            required_competence: None,
            drug_adjacent: false,
            digital: false,
        }
    }

    #[test]
    fn a_value_put_after_a_miss_is_served_until_invalidated() {
        let cache = StaticCache::default();
        let seen = cache.get(|r| r.product_areas.clone()).unwrap_err();
        cache.put(seen, |r| r.product_areas = Some(vec![area("hearing")]));
        assert_eq!(cache.get(|r| r.product_areas.clone()).unwrap(), vec![area("hearing")]);
        cache.invalidate();
        assert!(cache.get(|r| r.product_areas.clone()).is_err());
    }

    #[test]
    fn a_value_read_before_an_invalidation_is_not_kept() {
        let cache = StaticCache::default();
        let seen = cache.get(|r| r.product_areas.clone()).unwrap_err();
        cache.invalidate(); // a loader committed while the old rows were being read
        cache.put(seen, |r| r.product_areas = Some(vec![area("old")]));
        assert!(cache.get(|r| r.product_areas.clone()).is_err(), "the old rows were not put back");
    }

    #[test]
    fn an_article_known_to_be_in_no_group_is_a_hit() {
        let cache = StaticCache::default();
        let seen = cache.get(|r| r.groups_by_article.get(&7).cloned()).unwrap_err();
        cache.put(seen, |r| {
            r.groups_by_article.insert(7, None);
        });
        assert_eq!(cache.get(|r| r.groups_by_article.get(&7).cloned()).unwrap(), None);
    }

    #[test]
    fn a_cached_value_is_served_until_the_clock_passes_the_ttl_then_reloaded() {
        let clock = Arc::new(FixedClock::new(Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()));
        let cache = StaticCache::new(clock.clone());
        let seen = cache.get(|r| r.product_areas.clone()).unwrap_err();
        cache.put(seen, |r| r.product_areas = Some(vec![area("hearing")]));

        clock.advance(chrono::Duration::from_std(TTL).unwrap());
        assert_eq!(cache.get(|r| r.product_areas.clone()).unwrap(), vec![area("hearing")], "served at the TTL");

        clock.advance(chrono::Duration::seconds(1));
        let seen = cache.get(|r| r.product_areas.clone()).expect_err("past the TTL the rows are read again");
        cache.put(seen, |r| r.product_areas = Some(vec![area("mobility")]));
        assert_eq!(cache.get(|r| r.product_areas.clone()).unwrap(), vec![area("mobility")]);
    }

    #[test]
    fn the_cache_follows_the_clock_it_is_given() {
        let cache = StaticCache::default();
        let clock = Arc::new(FixedClock::new(Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()));
        cache.use_clock(clock.clone());
        let seen = cache.get(|r| r.product_areas.clone()).unwrap_err();
        cache.put(seen, |r| r.product_areas = Some(vec![area("hearing")]));
        clock.advance(chrono::Duration::seconds(29));
        assert!(cache.get(|r| r.product_areas.clone()).is_ok());
        clock.set(Utc.with_ymd_and_hms(2026, 3, 2, 8, 0, 0).unwrap()); // set back: start over
        assert!(cache.get(|r| r.product_areas.clone()).is_err());
    }
}
