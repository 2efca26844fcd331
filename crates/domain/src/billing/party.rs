//! Swedish organisation numbers on invoices: ten digits, the last a Luhn
//! check digit over the first nine (as for personal identity numbers).

/// The Luhn check digit of nine digits, weights 2, 1, 2, … from the left.
pub fn luhn_digit(nine: &str) -> Option<u32> {
    if nine.len() != 9 || !nine.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let sum: u32 = nine
        .bytes()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0') * if i % 2 == 0 { 2 } else { 1 };
            d / 10 + d % 10
        })
        .sum();
    Some((10 - sum % 10) % 10)
}

/// Nine digits completed with their check digit.
pub fn organisation_number(nine: &str) -> Option<String> {
    luhn_digit(nine).map(|d| format!("{nine}{d}"))
}

/// Whether `s` is ten digits with a valid check digit.
pub fn is_organisation_number(s: &str) -> bool {
    s.len() == 10 && organisation_number(&s[..9]).is_some_and(|full| full == s)
}

/// The Swedish VAT number of an organisation number: `SE` + number + `01`.
pub fn vat_number(organisation_number: &str) -> String {
    format!("SE{organisation_number}01")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_organisation_numbers_have_valid_check_digits() {
        // Västra Götalandsregionen 232100-0131, Göteborgs Stad 212000-1355, Region Stockholm 232100-0016.
        for n in ["2321000131", "2120001355", "2321000016"] {
            assert!(is_organisation_number(n), "{n}");
        }
        assert!(!is_organisation_number("2321000132"));
        assert!(!is_organisation_number("232100013"));
        assert_eq!(organisation_number("212000135").as_deref(), Some("2120001355"));
        assert_eq!(vat_number("2321000131"), "SE232100013101");
    }
}
