//! Small strings (ISO codes, product areas) as numbers, so that the
//! collector counts facets in arrays instead of comparing strings.

use std::collections::HashMap;

/// Gives each distinct string a number from 1 (0 means "none"); never forgets.
#[derive(Debug, Default)]
pub struct Interner {
    ids: HashMap<String, u64>,
    names: Vec<String>,
}

impl Interner {
    /// The string's number, giving it one if new.
    pub fn intern(&mut self, s: &str) -> u64 {
        if let Some(id) = self.ids.get(s) {
            return *id;
        }
        self.names.push(s.to_string());
        let id = self.names.len() as u64;
        self.ids.insert(s.to_string(), id);
        id
    }

    /// The number of a string already seen.
    pub fn get(&self, s: &str) -> Option<u64> {
        self.ids.get(s).copied()
    }

    /// The string of a number.
    pub fn name(&self, id: u64) -> Option<&str> {
        id.checked_sub(1).and_then(|i| self.names.get(i as usize)).map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_string_keeps_its_number_and_zero_stays_none() {
        let mut i = Interner::default();
        assert_eq!((i.intern("120606"), i.intern("122203"), i.intern("120606")), (1, 2, 1));
        assert_eq!((i.name(1), i.name(0), i.get("122203")), (Some("120606"), None, Some(2)));
    }
}
