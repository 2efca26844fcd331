//! The stock snapshot: how many devices of each article are in stock,
//! asked once per matching article in every search (the in-stock filter
//! and facet) and once per hit shown (its count). An array indexed by
//! article id: a hash lookup in the per-article loop cost more than the
//! rest of the per-article work.

use std::collections::HashMap;

/// Ids below this are array slots (at most 16 MiB); larger ones, which a
/// sequence does not reach in practice, are kept in a map.
const DENSE: u64 = 1 << 22;

/// Devices in stock per article id. Article ids come from a sequence, so
/// the array takes 4 bytes × the largest id in stock (2 MiB at 500,000).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct StockCounts {
    dense: Vec<u32>,
    sparse: HashMap<u64, u32>,
}

impl StockCounts {
    pub fn new(counts: impl IntoIterator<Item = (u64, u32)>) -> Self {
        let mut s = Self::default();
        for (id, n) in counts.into_iter().filter(|(_, n)| *n > 0) {
            if id >= DENSE {
                s.sparse.insert(id, n);
                continue;
            }
            let i = id as usize;
            if i >= s.dense.len() {
                s.dense.resize(i + 1, 0);
            }
            s.dense[i] = n;
        }
        s
    }

    /// Devices of the article in stock (0 when none or unknown).
    #[inline]
    pub fn count(&self, id: u64) -> u32 {
        if id >= DENSE {
            return self.sparse.get(&id).copied().unwrap_or(0);
        }
        self.dense.get(id as usize).copied().unwrap_or(0)
    }

    #[inline]
    pub fn contains(&self, id: u64) -> bool {
        self.count(id) > 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_article_has_the_count_given_and_others_none() {
        let s = StockCounts::new([(2, 3), (64, 1), (500_000, 7), (DENSE + 5, 2), (9, 0)]);
        assert_eq!((s.count(2), s.count(64), s.count(500_000), s.count(DENSE + 5)), (3, 1, 7, 2));
        assert!(!s.contains(0) && !s.contains(3) && !s.contains(9) && !s.contains(10_000_000) && !s.contains(DENSE));
    }
}
