//! Money is integer öre (`i64`); it becomes kronor only when shown.

use serde::{Deserialize, Serialize};
use std::fmt;

/// An amount in öre (1 SEK = 100 öre).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Ore(pub i64);

impl Ore {
    pub fn from_sek(sek: i64) -> Self {
        Ore(sek * 100)
    }

    /// Swedish formatting: `1 234,50 kr`.
    pub fn format_sv(self) -> String {
        let neg = self.0 < 0;
        let abs = self.0.unsigned_abs();
        let kr = (abs / 100).to_string();
        let mut grouped = String::new();
        for (i, ch) in kr.chars().enumerate() {
            if i > 0 && (kr.len() - i).is_multiple_of(3) {
                grouped.push('\u{a0}');
            }
            grouped.push(ch);
        }
        format!("{}{},{:02}\u{a0}kr", if neg { "−" } else { "" }, grouped, abs % 100)
    }
}

impl fmt::Display for Ore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.format_sv())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_shown_in_swedish_kronor() {
        assert_eq!(Ore(123_450).format_sv(), "1\u{a0}234,50\u{a0}kr");
        assert_eq!(Ore(5).format_sv(), "0,05\u{a0}kr");
        assert_eq!(Ore(-100).format_sv(), "−1,00\u{a0}kr");
    }
}
