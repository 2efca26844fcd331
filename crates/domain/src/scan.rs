//! What a barcode scanner typed. A keyboard-wedge scanner types the code
//! and Enter into the focused field; Ramp's labels carry three kinds of
//! code: an article's GTIN as GS1-128 (application identifier 01), a
//! device number and an order number as plain Code 128 (`ORD-<id>`).
//! Scanners differ in what they send around the data — a symbology
//! identifier (`]C1` for GS1-128), a GS separator, stray spaces — so the
//! scan is read leniently here and strictly everywhere else.

use crate::ids::Gtin;

/// The prefix of an order's own barcode: `ORD-1234`.
pub const ORDER_PREFIX: &str = "ORD-";

/// A scanned code, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scanned {
    /// An article's GTIN, padded to 14 digits.
    Gtin(String),
    /// An order's barcode.
    Order(i64),
    /// Anything else: a device number or an article number.
    Text(String),
}

/// The code an order's barcode carries.
pub fn order_code(order_id: i64) -> String {
    format!("{ORDER_PREFIX}{order_id}")
}

/// GS1-128 data for an article's GTIN: application identifier 01 and the
/// GTIN as 14 digits (the FNC1 that marks GS1 is the barcode's, not the data's).
pub fn gtin_element(gtin: &str) -> String {
    format!("01{}", gtin14(gtin))
}

/// A GTIN of 8–14 digits as the 14 digits GS1 compares.
pub fn gtin14(gtin: &str) -> String {
    format!("{:0>14}", gtin.trim())
}

/// The ways a catalog may have stored the GTIN `gtin14` (14 digits): as
/// GTIN-14, -13, -12 or -8, whichever its leading zeros allow.
pub fn gtin_spellings(gtin14: &str) -> Vec<String> {
    [14, 13, 12, 8]
        .into_iter()
        .filter(|len| gtin14.len() == 14 && gtin14[..14 - len].bytes().all(|b| b == b'0'))
        .map(|len| gtin14[14 - len..].to_string())
        .collect()
}

/// Reads what the scanner typed; `None` for nothing at all.
pub fn parse(raw: &str) -> Option<Scanned> {
    let code: String = raw.trim().chars().filter(|c| !c.is_control()).collect();
    let code = strip_symbology(&code).trim();
    if code.is_empty() {
        return None;
    }
    if let Some(id) = code.to_ascii_uppercase().strip_prefix(ORDER_PREFIX).and_then(|n| n.parse::<i64>().ok()) {
        return Some(Scanned::Order(id));
    }
    let digits = code.strip_prefix("(01)").unwrap_or(code);
    let element = digits.strip_prefix("01").filter(|rest| rest.len() >= 14 && digits.len() == 16);
    if let Some(g) = element.and_then(|e| Gtin::parse(e).ok()) {
        return Some(Scanned::Gtin(gtin14(g.as_str())));
    }
    if let Ok(g) = Gtin::parse(digits) {
        if digits.len() >= 12 {
            return Some(Scanned::Gtin(gtin14(g.as_str())));
        }
    }
    Some(Scanned::Text(code.to_string()))
}

/// Drops an AIM symbology identifier (`]C1`, `]E0`, …) a scanner may send first.
fn strip_symbology(code: &str) -> &str {
    let b = code.as_bytes();
    if b.len() > 3 && b[0] == b']' && b[1].is_ascii_alphabetic() && b[2].is_ascii_alphanumeric() {
        &code[3..]
    } else {
        code
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_gs1_128_article_code_reads_as_its_gtin_with_or_without_the_symbology_identifier() {
        for raw in ["0107350012340018", "]C10107350012340018", "(01)07350012340018", " 0107350012340018\n"] {
            assert_eq!(parse(raw), Some(Scanned::Gtin("07350012340018".into())), "{raw:?}");
        }
    }

    #[test]
    fn an_ean_13_reads_as_the_same_gtin_padded_to_14_digits() {
        assert_eq!(parse("7350012340018"), Some(Scanned::Gtin("07350012340018".into())));
        assert_eq!(gtin_element("7350012340018"), "0107350012340018");
    }

    #[test]
    fn a_gtin_is_looked_up_as_every_length_its_leading_zeros_allow() {
        assert_eq!(gtin_spellings("07350012340018"), ["07350012340018", "7350012340018"]);
        assert_eq!(gtin_spellings("00012345678905"), ["00012345678905", "0012345678905", "012345678905"]);
        assert_eq!(gtin_spellings("17350012340015"), ["17350012340015"]);
    }

    #[test]
    fn an_order_code_reads_as_the_order_in_any_case() {
        assert_eq!(parse(&order_code(1234)), Some(Scanned::Order(1234)));
        assert_eq!(parse("ord-77"), Some(Scanned::Order(77)));
    }

    #[test]
    fn a_device_number_or_a_wrong_check_digit_is_text_and_nothing_is_none() {
        assert_eq!(parse("HJ-000123"), Some(Scanned::Text("HJ-000123".into())));
        assert_eq!(parse("7350012340013"), Some(Scanned::Text("7350012340013".into())));
        assert_eq!(parse(" \u{1d} "), None);
    }
}
