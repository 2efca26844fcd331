//! Money is integer öre (`i64`); it becomes kronor only when shown.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The largest amount a person or client may enter: 1 000 000 000 kr
/// (10¹¹ öre). Sums of many such amounts still fit an `i64` with room to
/// spare; anything larger is a typo or an attempt to overflow a total.
pub const MAX_INPUT_ORE: i64 = 100_000_000_000;

/// Checks an entered amount: `0..=MAX_INPUT_ORE`, the error naming `field`.
pub fn check_amount(field: &str, ore: i64) -> Result<Ore, crate::FieldError> {
    if (0..=MAX_INPUT_ORE).contains(&ore) {
        Ok(Ore(ore))
    } else {
        Err(crate::FieldError::new(
            field,
            "amount_out_of_range",
            format!("the amount must be between 0 and {MAX_INPUT_ORE} öre (1 000 000 000 kr)"),
        ))
    }
}

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
    fn entered_amounts_are_between_zero_and_a_billion_kronor() {
        assert_eq!(check_amount("price", 0), Ok(Ore(0)));
        assert_eq!(check_amount("price", MAX_INPUT_ORE), Ok(Ore(MAX_INPUT_ORE)));
        for bad in [-1, MAX_INPUT_ORE + 1, i64::MAX, i64::MIN] {
            let e = check_amount("price", bad).unwrap_err();
            assert_eq!((e.field.as_str(), e.code), ("price", "amount_out_of_range"), "{bad}");
        }
    }

    #[test]
    fn amounts_are_shown_in_swedish_kronor() {
        assert_eq!(Ore(123_450).format_sv(), "1\u{a0}234,50\u{a0}kr");
        assert_eq!(Ore(5).format_sv(), "0,05\u{a0}kr");
        assert_eq!(Ore(-100).format_sv(), "−1,00\u{a0}kr");
    }
}
