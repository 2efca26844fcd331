//! The index: built from the catalog, changed article by article, searched.

use crate::cache::{CacheStats, ResultCache};
use crate::collector::{CatalogCollector, Collected, Counts};
use crate::doc::SearchDoc;
use crate::interner::Interner;
use crate::query::{filter_clauses, text_query, Pass, SearchRequest};
use crate::schema::{self, Fields};
use crate::stock::StockCounts;
use crate::Result;
use ramp_model::Id;
use std::sync::{Arc, Mutex, RwLock};
use tantivy::query::{AllQuery, BooleanQuery, Occur, Query};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, Term};

/// The writer's memory: tantivy's minimum per thread is 15 MB; 64 MB lets
/// 500 000 articles go in without flushing small segments all the time.
const WRITER_MEMORY: usize = 64 * 1024 * 1024;

/// A search that walked at least this many articles (or needed the
/// misspelling pass) is kept among the recent results; a cheaper one (an
/// article number, a model name) is not, so the long tail of specific
/// searches does not push the costly common ones out.
const COSTLY_SCAN: usize = 1_000;

/// One hit: the article and its score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    pub article_id: Id,
    pub score: f32,
}

/// Facet counts: how many hits have each value (among all hits, not the page).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facets {
    /// Kind name (`main_device`) → count.
    pub kind: Vec<(String, u32)>,
    /// ISO code → count.
    pub iso: Vec<(String, u32)>,
    /// Product area code → count.
    pub area: Vec<(String, u32)>,
    /// Lead-time class name (`stock_7`) → count.
    pub lead_time_class: Vec<(String, u32)>,
    /// Supplier id → count.
    pub supplier: Vec<(Id, u32)>,
    /// Replacement group id → count (articles in no group are not counted).
    pub group: Vec<(Id, u32)>,
    /// Hits with a device in stock.
    pub in_stock: u32,
}

/// A page of hits, the number of all hits and the facets.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchResults {
    pub hits: Vec<Hit>,
    pub total: usize,
    pub facets: Facets,
    /// The exact words found nothing; these hits allow misspellings.
    pub fuzzy: bool,
}

/// The catalog index, in memory. Safe to share; writes are serialized.
pub struct CatalogIndex {
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    fields: Fields,
    isos: RwLock<Interner>,
    areas: RwLock<Interner>,
    stock: RwLock<Arc<StockCounts>>,
    cache: ResultCache,
}

impl CatalogIndex {
    /// An empty index.
    pub fn new() -> Result<Self> {
        let (schema, fields) = schema::build();
        let index = Index::create_in_ram(schema);
        schema::register(&index);
        let writer = index.writer_with_num_threads(1, WRITER_MEMORY)?;
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        Ok(Self {
            reader,
            writer: Mutex::new(writer),
            fields,
            isos: RwLock::default(),
            areas: RwLock::default(),
            stock: RwLock::default(),
            cache: ResultCache::default(),
        })
    }

    fn writer(&self) -> std::sync::MutexGuard<'_, IndexWriter> {
        self.writer.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Empties the index, without committing (a rebuild adds, then commits).
    pub fn clear(&self) -> Result<()> {
        self.writer().delete_all_documents()?;
        Ok(())
    }

    /// Adds articles not yet in the index (a rebuild's batches); visible
    /// after [`Self::commit`].
    pub fn add(&self, docs: &[SearchDoc]) -> Result<()> {
        let writer = self.writer();
        let (mut isos, mut areas) = (self.isos.write().expect("lock"), self.areas.write().expect("lock"));
        for d in docs {
            writer.add_document(d.to_document(&self.fields, &mut isos, &mut areas))?;
        }
        Ok(())
    }

    /// Makes what was added visible to searches.
    pub fn commit(&self) -> Result<()> {
        self.writer().commit()?;
        self.reader.reload()?;
        self.cache.clear();
        Ok(())
    }

    /// Replaces the given articles (or removes those in `gone`) and makes
    /// the change visible: called after a catalog change has committed.
    pub fn upsert(&self, docs: &[SearchDoc], gone: &[Id]) -> Result<()> {
        {
            let writer = self.writer();
            for id in docs.iter().map(|d| d.article.id).chain(gone.iter().copied()) {
                writer.delete_term(Term::from_field_u64(self.fields.id, id as u64));
            }
        }
        self.add(docs)?;
        self.commit()
    }

    /// Replaces the stock snapshot: devices in stock per article id.
    pub fn set_stock(&self, counts: impl IntoIterator<Item = (Id, i64)>) {
        let set =
            StockCounts::new(counts.into_iter().map(|(id, n)| (id as u64, n.clamp(0, i64::from(u32::MAX)) as u32)));
        let mut stock = self.stock.write().expect("lock");
        if **stock != set {
            *stock = Arc::new(set);
            self.cache.clear_stocked();
        }
    }

    /// Merges every segment into one and makes it visible. A rebuild calls
    /// it after its commit: the writer flushes a segment per 64 MB, and
    /// every search pays per segment (term lookups, the prefix and
    /// misspelling automata run over each segment's dictionary, a
    /// collector per segment). Changes after the build add small segments
    /// that tantivy's merge policy folds in as they accumulate.
    pub fn merge_segments(&self) -> Result<()> {
        let ids: Vec<_> = self.reader.searcher().segment_readers().iter().map(|r| r.segment_id()).collect();
        if ids.len() > 1 {
            self.writer().merge(&ids).wait()?;
            self.reader.reload()?;
            self.cache.clear();
        }
        Ok(())
    }

    /// How many segments searches read (one after a rebuild).
    pub fn segments(&self) -> usize {
        self.reader.searcher().segment_readers().len()
    }

    /// Devices of the article in stock by the snapshot (at most 30 s old).
    pub fn in_stock(&self, id: Id) -> i64 {
        i64::from(self.stock.read().expect("lock").count(id as u64))
    }

    /// How many articles the index holds.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Whether the index holds no article.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Runs a search, or answers it from the recent results (see
    /// `cache.rs`): the exact pass, and the misspelling pass if the exact
    /// one found nothing.
    pub fn search(&self, req: &SearchRequest) -> Result<Arc<SearchResults>> {
        if let Some(found) = self.cache.get(req) {
            return Ok(found);
        }
        let started = self.cache.generation();
        let exact = self.run(req, Pass::Exact)?;
        let (results, costly) = if exact.total > 0 || req.text.trim().is_empty() {
            let costly = exact.scanned >= COSTLY_SCAN;
            (self.results(exact, req, false), costly)
        } else {
            (self.results(self.run(req, Pass::Fuzzy)?, req, true), true)
        };
        let results = Arc::new(results);
        if costly {
            self.cache.put(req, results.clone(), started);
        }
        Ok(results)
    }

    /// How many searches the recent results answered, and how many ran.
    pub fn cache_stats(&self) -> CacheStats {
        self.cache.stats()
    }

    fn run(&self, req: &SearchRequest, pass: Pass) -> Result<Collected> {
        let area = req.filters.area.as_ref().map(|a| self.areas.read().expect("lock").get(a));
        let mut clauses = filter_clauses(&self.fields, &req.filters, area);
        match text_query(&self.fields, &req.text, pass) {
            Some(q) => clauses.push((Occur::Must, q)),
            None => clauses.push((Occur::Must, Box::new(AllQuery) as Box<dyn Query>)),
        }
        let query = BooleanQuery::new(clauses);
        let stock = self.stock.read().expect("lock").clone();
        let keep = if req.hits { req.offset + req.limit } else { 0 };
        let (today, expired, in_stock) = (req.today, req.include_expired, req.filters.in_stock);
        let collector = CatalogCollector::new(keep, today, expired, in_stock, req.facets, stock);
        Ok(self.reader.searcher().search(&query, &collector)?)
    }

    fn results(&self, c: Collected, req: &SearchRequest, fuzzy: bool) -> SearchResults {
        let hits = c.top.iter().skip(req.offset).map(|(s, id)| Hit { article_id: *id as Id, score: *s }).collect();
        let facets = Facets {
            kind: named(&c.kind, crate::doc::kind_name),
            iso: named(&c.iso, |i| self.isos.read().expect("lock").name(i).map(str::to_string)),
            area: named(&c.area, |a| self.areas.read().expect("lock").name(a).map(str::to_string)),
            lead_time_class: named(&c.lead, crate::doc::lead_name),
            supplier: sorted(c.supplier.iter().map(|(k, n)| (k as Id, n)).collect()),
            group: sorted(c.group.iter().filter(|(k, _)| *k != 0).map(|(k, n)| (k as Id, n)).collect()),
            in_stock: c.in_stock,
        };
        SearchResults { hits, total: c.total, facets, fuzzy }
    }
}

/// Counts by name, most first.
fn named(counts: &Counts, name: impl Fn(u64) -> Option<String>) -> Vec<(String, u32)> {
    sorted(counts.iter().filter_map(|(k, n)| name(k).map(|s| (s, n))).collect())
}

/// Most first, then by key.
fn sorted<K: Ord>(mut v: Vec<(K, u32)>) -> Vec<(K, u32)> {
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v
}
