//! One pass over the matching articles: the page of best hits, the total
//! and the facet counts, with the filters that live outside the query
//! (validity, stock) applied on the way.

use crate::doc::{day_number, kind_ord};
use ramp_domain::article::ArticleKind;
use std::collections::{BinaryHeap, HashMap, HashSet};
use std::sync::Arc;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::ColumnValues;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// Counts per value of one fast field.
pub type Counts = HashMap<u64, u32>;

/// What a search collects.
#[derive(Debug, Default, Clone)]
pub struct Collected {
    /// (score, article id), best first.
    pub top: Vec<(Score, u64)>,
    pub total: usize,
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

/// The collector; `stock` is the set of article ids with a device in stock.
pub struct CatalogCollector {
    pub keep: usize,
    pub today: i64,
    pub include_expired: bool,
    pub only_in_stock: bool,
    pub stock: Arc<HashSet<u64>>,
}

impl CatalogCollector {
    pub fn new(
        keep: usize,
        today: chrono::NaiveDate,
        include_expired: bool,
        only_in_stock: bool,
        stock: Arc<HashSet<u64>>,
    ) -> Self {
        Self { keep, today: day_number(Some(today)), include_expired, only_in_stock, stock }
    }
}

type Col<T> = Arc<dyn ColumnValues<T>>;

pub struct Segment {
    keep: usize,
    today: i64,
    include_expired: bool,
    only_in_stock: bool,
    stock: Arc<HashSet<u64>>,
    cols: [Col<u64>; 7],
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

const COLUMNS: [&str; 7] = ["id", "kind", "iso", "area", "lead", "supplier", "group"];

impl Collector for CatalogCollector {
    type Fruit = Collected;
    type Child = Segment;

    fn for_segment(&self, _: SegmentOrdinal, reader: &SegmentReader) -> tantivy::Result<Segment> {
        let ff = reader.fast_fields();
        let col = |name: &str| ff.u64(name).map(|c| c.first_or_default_col(0));
        let cols = [
            col(COLUMNS[0])?,
            col(COLUMNS[1])?,
            col(COLUMNS[2])?,
            col(COLUMNS[3])?,
            col(COLUMNS[4])?,
            col(COLUMNS[5])?,
            col(COLUMNS[6])?,
        ];
        Ok(Segment {
            keep: self.keep,
            today: self.today,
            include_expired: self.include_expired,
            only_in_stock: self.only_in_stock,
            stock: self.stock.clone(),
            cols,
            valid_to: ff.i64("valid_to")?.first_or_default_col(i64::MAX),
            heap: BinaryHeap::new(),
            out: Collected::default(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Collected>) -> tantivy::Result<Collected> {
        let mut all = Collected::default();
        for f in fruits {
            all.top.extend(f.top);
            all.total += f.total;
            all.in_stock += f.in_stock;
            for (into, from) in [
                (&mut all.kind, f.kind),
                (&mut all.iso, f.iso),
                (&mut all.area, f.area),
                (&mut all.lead, f.lead),
                (&mut all.supplier, f.supplier),
                (&mut all.group, f.group),
            ] {
                for (k, n) in from {
                    *into.entry(k).or_default() += n;
                }
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
        let expired = self.valid_to.get_val(doc) < self.today;
        if expired && !self.include_expired {
            return;
        }
        let [id, kind, iso, area, lead, supplier, group] = self.cols.each_ref().map(|c| c.get_val(doc));
        let stocked = self.stock.contains(&id);
        if self.only_in_stock && !stocked {
            return;
        }
        let o = &mut self.out;
        o.total += 1;
        o.in_stock += u32::from(stocked);
        for (counts, v) in [
            (&mut o.kind, kind),
            (&mut o.iso, iso),
            (&mut o.area, area),
            (&mut o.lead, lead),
            (&mut o.supplier, supplier),
            (&mut o.group, group),
        ] {
            *counts.entry(v).or_default() += 1;
        }
        let score = score * kind_weight(kind) * if expired { EXPIRED_WEIGHT } else { 1.0 };
        self.keep_best(Entry(score, id));
    }

    fn harvest(mut self) -> Collected {
        self.out.top = self.heap.into_iter().map(|Entry(s, id)| (s, id)).collect();
        self.out
    }
}

impl Segment {
    fn keep_best(&mut self, e: Entry) {
        if self.heap.len() < self.keep {
            self.heap.push(e);
        } else if self.heap.peek().is_some_and(|worst| e < *worst) {
            self.heap.pop();
            self.heap.push(e);
        }
    }
}
