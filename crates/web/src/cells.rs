//! Spreadsheet cells that never run as formulas (CSV and XLSX exports).
//! Text people typed (a safety notice's title, a principal's or article's
//! name) reaches finance staff's Excel; a cell starting with `=`, `+`,
//! `-`, `@`, a tab or a carriage return would run as a formula there
//! (CSV injection). Numbers we write (`-1234,50`) stay numbers.

/// Whether a spreadsheet would read `text` as the start of a formula.
pub fn looks_like_formula(text: &str) -> bool {
    text.starts_with(['=', '+', '-', '@', '\t', '\r']) && !is_number(text)
}

/// A plain decimal number (`-5`, `-1234,50`, `+3.5`): data, not a formula.
pub fn is_number(text: &str) -> bool {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    let (whole, fraction) = digits.split_once([',', '.']).unwrap_or((digits, "0"));
    !whole.is_empty() && !fraction.is_empty() && whole.bytes().chain(fraction.bytes()).all(|b| b.is_ascii_digit())
}

/// The value of a number cell we wrote (`-1234,50` → -1234.5), for XLSX.
pub fn number(text: &str) -> Option<f64> {
    if is_number(text) {
        text.replace(',', ".").parse().ok()
    } else {
        None
    }
}

/// A CSV field as text: a leading `'` when it would otherwise be a formula.
pub fn neutralise(text: String) -> String {
    if looks_like_formula(&text) {
        format!("'{text}")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_get_a_leading_apostrophe() {
        for (typed, written) in [
            ("=HYPERLINK(\"http://evil.example\")", "'=HYPERLINK(\"http://evil.example\")"),
            ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("-", "'-"),
        ] {
            assert_eq!(neutralise(typed.into()), written, "{typed:?}");
        }
    }

    #[test]
    fn numbers_and_ordinary_text_stay_as_they_are() {
        for kept in ["-1234,50", "-5", "+3.5", "450,00", "Lidingö stad", "FSN-2026-014", "", "a=b"] {
            assert_eq!(neutralise(kept.into()), kept, "{kept:?}");
        }
    }
}
