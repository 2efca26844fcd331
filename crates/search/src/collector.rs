//! One pass over the matching articles: the page of best hits, the total
//! and the facet counts, with the filters that live outside the query
//! (validity, stock) applied on the way.
//!
//! This loop runs once per matching article, so a common word in a
//! 500,000-article catalog runs it a hundred thousand times per search:
//! counts are kept in arrays indexed by the (small) value rather than in
//! hash maps, stock is a bit set, and facets are only counted when the
//! caller asked for them.

use crate::doc::{day_number, kind_ord};
use crate::stock::StockCounts;
use ramp_domain::article::ArticleKind;
use std::collections::{BinaryHeap, HashMap};
use std::sync::Arc;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::ColumnValues;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// Values below this are counted in an array; larger ones (a supplier or
/// group id from a sparse sequence) in a map.
const DENSE: u64 = 1 << 16;

/// Counts per value of one fast field.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Counts {
    dense: Vec<u32>,
    sparse: HashMap<u64, u32>,
}

impl Counts {
    #[inline]
    fn bump(&mut self, value: u64, by: u32) {
        if value < DENSE {
            let i = value as usize;
            if i >= self.dense.len() {
                self.dense.resize(i + 1, 0);
            }
            self.dense[i] += by;
        } else {
            *self.sparse.entry(value).or_default() += by;
        }
    }

    fn add(&mut self, other: &Counts) {
        for (v, n) in other.iter() {
            self.bump(v, n);
        }
    }

    /// Every value counted at least once, with its count.
    pub fn iter(&self) -> impl Iterator<Item = (u64, u32)> + '_ {
        let dense = self.dense.iter().enumerate().filter(|(_, n)| **n > 0).map(|(v, n)| (v as u64, *n));
        dense.chain(self.sparse.iter().map(|(v, n)| (*v, *n)))
    }
}

/// What a search collects.
#[derive(Debug, Default, Clone)]
pub struct Collected {
    /// (score, article id), best first.
    pub top: Vec<(Score, u64)>,
    pub total: usize,
    /// Articles the query matched before validity and stock were applied:
    /// what the search cost.
    pub scanned: usize,
    pub kind: Counts,
    pub iso: Counts,
    pub area: Counts,
    pub lead: Counts,
    pub supplier: Counts,
    pub group: Counts,
    pub in_stock: u32,
}

/// How much a kind's score counts: main devices before accessories before
/// spare parts, so "rollator" lists rollators before rollator wheels.
pub fn kind_weight(kind: u64) -> Score {
    match kind {
        k if k == kind_ord(ArticleKind::Accessory) => 0.55,
        k if k == kind_ord(ArticleKind::SparePart) => 0.4,
        k if k == kind_ord(ArticleKind::MedtechProduct) => 0.9,
        _ => 1.0,
    }
}

/// An expired article, when asked for, comes after the valid ones.
const EXPIRED_WEIGHT: Score = 0.3;

/// The collector; `stock` is the snapshot of devices in stock per article.
pub struct CatalogCollector {
    pub keep: usize,
    pub today: i64,
    pub include_expired: bool,
    pub only_in_stock: bool,
    /// Count the facets (not needed for a page of hits alone).
    pub facets: bool,
    pub stock: Arc<StockCounts>,
}

impl CatalogCollector {
    pub fn new(
        keep: usize,
        today: chrono::NaiveDate,
        include_expired: bool,
        only_in_stock: bool,
        facets: bool,
        stock: Arc<StockCounts>,
    ) -> Self {
        Self { keep, today: day_number(Some(today)), include_expired, only_in_stock, facets, stock }
    }
}

type Col<T> = Arc<dyn ColumnValues<T>>;

pub struct Segment {
    keep: usize,
    today: i64,
    include_expired: bool,
    only_in_stock: bool,
    facets: bool,
    stock: Arc<StockCounts>,
    id: Col<u64>,
    kind: Col<u64>,
    /// iso, area, lead, supplier, group: read only when counting facets.
    others: [Col<u64>; 5],
    valid_to: Col<i64>,
    heap: BinaryHeap<Entry>,
    out: Collected,
}

/// A heap entry ordered so the heap's top is the worst kept hit.
#[derive(Debug, PartialEq)]
struct Entry(Score, u64);

impl Eq for Entry {}

impl Ord for Entry {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        other.0.total_cmp(&self.0).then(self.1.cmp(&other.1))
    }
}

impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Collector for CatalogCollector {
    type Fruit = Collected;
    type Child = Segment;

    fn for_segment(&self, _: SegmentOrdinal, reader: &SegmentReader) -> tantivy::Result<Segment> {
        let ff = reader.fast_fields();
        let col = |name: &str| ff.u64(name).map(|c| c.first_or_default_col(0));
        Ok(Segment {
            keep: self.keep,
            today: self.today,
            include_expired: self.include_expired,
            only_in_stock: self.only_in_stock,
            facets: self.facets,
            stock: self.stock.clone(),
            id: col("id")?,
            kind: col("kind")?,
            others: [col("iso")?, col("area")?, col("lead")?, col("supplier")?, col("group")?],
            valid_to: ff.i64("valid_to")?.first_or_default_col(i64::MAX),
            heap: BinaryHeap::with_capacity(self.keep + 1),
            out: Collected::default(),
        })
    }

    /// Scores are only needed to rank a page of hits.
    fn requires_scoring(&self) -> bool {
        self.keep > 0
    }

    fn merge_fruits(&self, fruits: Vec<Collected>) -> tantivy::Result<Collected> {
        let mut all = Collected::default();
        for f in fruits {
            all.top.extend(f.top);
            all.total += f.total;
            all.scanned += f.scanned;
            all.in_stock += f.in_stock;
            for (into, from) in [
                (&mut all.kind, &f.kind),
                (&mut all.iso, &f.iso),
                (&mut all.area, &f.area),
                (&mut all.lead, &f.lead),
                (&mut all.supplier, &f.supplier),
                (&mut all.group, &f.group),
            ] {
                into.add(from);
            }
        }
        all.top.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        all.top.truncate(self.keep);
        Ok(all)
    }
}

impl SegmentCollector for Segment {
    type Fruit = Collected;

    fn collect(&mut self, doc: DocId, score: Score) {
        self.out.scanned += 1;
        let expired = self.valid_to.get_val(doc) < self.today;
        if expired && !self.include_expired {
            return;
        }
        let id = self.id.get_val(doc);
        let stocked = self.stock.contains(id);
        if self.only_in_stock && !stocked {
            return;
        }
        let kind = self.kind.get_val(doc);
        self.out.total += 1;
        if self.facets {
            let o = &mut self.out;
            o.in_stock += u32::from(stocked);
            o.kind.bump(kind, 1);
            let [iso, area, lead, supplier, group] = self.others.each_ref().map(|c| c.get_val(doc));
            o.iso.bump(iso, 1);
            o.area.bump(area, 1);
            o.lead.bump(lead, 1);
            o.supplier.bump(supplier, 1);
            o.group.bump(group, 1);
        }
        if self.keep > 0 {
            let score = score * kind_weight(kind) * if expired { EXPIRED_WEIGHT } else { 1.0 };
            self.keep_best(Entry(score, id));
        }
    }

    fn harvest(mut self) -> Collected {
        self.out.top = self.heap.into_iter().map(|Entry(s, id)| (s, id)).collect();
        self.out
    }
}

impl Segment {
    #[inline]
    fn keep_best(&mut self, e: Entry) {
        if self.heap.len() < self.keep {
            self.heap.push(e);
        } else if self.heap.peek().is_some_and(|worst| e < *worst) {
            self.heap.pop();
            self.heap.push(e);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_and_large_values_are_counted_alike() {
        let mut c = Counts::default();
        for v in [3, 3, DENSE + 7, 0, DENSE + 7, DENSE + 7] {
            c.bump(v, 1);
        }
        let mut all: Vec<(u64, u32)> = c.iter().collect();
        all.sort_unstable();
        assert_eq!(all, [(0, 1), (3, 2), (DENSE + 7, 3)]);
    }
}
