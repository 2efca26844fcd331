//! The bar patterns Ramp prints: Code 128 for device numbers and order
//! codes, GS1-128 (FNC1, application identifier 01) for an article's GTIN,
//! which any GS1 scanner reads as the article. The patterns come from
//! `barcoders`; this module only chooses the character set and adds the
//! quiet zones a scanner needs.

use barcoders::sym::code128::Code128;
use ramp_domain::scan;

/// Light modules on each side (Code 128 asks for at least ten).
pub const QUIET: usize = 10;

/// A barcode's modules (1 dark, 0 light) with its quiet zones, and the
/// text printed under it.
#[derive(Debug, Clone)]
pub struct Bars {
    pub modules: Vec<u8>,
    pub text: String,
}

fn with_quiet_zones(encoded: Vec<u8>) -> Vec<u8> {
    let mut m = vec![0; QUIET];
    m.extend(encoded);
    m.extend(std::iter::repeat_n(0, QUIET));
    m
}

/// Code 128 (character set B) of printable ASCII text such as a device
/// number or `ORD-1234`; `None` for text it cannot carry.
pub fn code128(text: &str) -> Option<Bars> {
    if text.is_empty() || !text.bytes().all(|b| (32..127).contains(&b)) {
        return None;
    }
    let c = Code128::new(format!("\u{0181}{text}")).ok()?;
    Some(Bars { modules: with_quiet_zones(c.encode()), text: text.to_string() })
}

/// GS1-128 of an article's GTIN: FNC1, then `01` and the 14 digits in
/// character set C (two digits per symbol); `None` for a GTIN that is not digits.
pub fn gs1_gtin(gtin: &str) -> Option<Bars> {
    let element = scan::gtin_element(gtin);
    if element.len() != 16 || !element.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let c = Code128::new(format!("\u{0106}\u{0179}{element}")).ok()?;
    Some(Bars { modules: with_quiet_zones(c.encode()), text: format!("(01){}", &element[2..]) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_device_number_is_code_128_with_quiet_zones_and_its_text() {
        let b = code128("HJ-000123").expect("encodable");
        assert_eq!(&b.modules[..QUIET], &[0; QUIET]);
        assert_eq!(b.modules[QUIET], 1, "a bar starts the symbol");
        // Start B, nine symbols, check symbol (11 modules each), stop (13), quiet zones.
        assert_eq!(b.modules.len(), 11 * 11 + 13 + 2 * QUIET);
        assert_eq!(b.text, "HJ-000123");
        assert!(code128("Rollator åäö").is_none(), "outside ASCII is refused, not mangled");
    }

    #[test]
    fn a_gtin_is_gs1_128_in_character_set_c() {
        let b = gs1_gtin("7350012340018").expect("a GTIN");
        // Start C, FNC1, eight digit pairs, check symbol, stop.
        assert_eq!(b.modules.len(), 11 * 11 + 13 + 2 * QUIET);
        assert_eq!(b.text, "(01)07350012340018");
        assert!(gs1_gtin("ABC").is_none());
    }
}
