//! Which articles have a device in stock: a bit per article id, asked
//! once per matching article in every search (a hash set lookup there
//! cost more than the rest of the per-article work).

use std::collections::HashSet;

/// Ids below this are bits (at most 8 MiB); larger ones, which a sequence
/// does not reach in practice, are kept in a hash set.
const DENSE: u64 = 1 << 26;

/// A set of article ids. Article ids come from a sequence, so the bits
/// take the largest id / 8 bytes (62 KiB at 500,000 articles).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct StockSet {
    bits: Vec<u64>,
    sparse: HashSet<u64>,
}

impl StockSet {
    pub fn new(ids: impl IntoIterator<Item = u64>) -> Self {
        let mut s = Self::default();
        for id in ids {
            if id >= DENSE {
                s.sparse.insert(id);
                continue;
            }
            let word = (id / 64) as usize;
            if word >= s.bits.len() {
                s.bits.resize(word + 1, 0);
            }
            s.bits[word] |= 1 << (id % 64);
        }
        s
    }

    #[inline]
    pub fn contains(&self, id: u64) -> bool {
        if id >= DENSE {
            return self.sparse.contains(&id);
        }
        self.bits.get((id / 64) as usize).is_some_and(|w| w & (1 << (id % 64)) != 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_is_in_stock_only_if_given() {
        let s = StockSet::new([2, 64, 500_000, DENSE + 5]);
        assert!(s.contains(2) && s.contains(64) && s.contains(500_000) && s.contains(DENSE + 5));
        assert!(!s.contains(0) && !s.contains(3) && !s.contains(63) && !s.contains(10_000_000) && !s.contains(DENSE));
    }
}
