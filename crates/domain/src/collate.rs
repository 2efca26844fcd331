//! Swedish alphabetical order: a–z, then å, ä, ö (a byte or Unicode code
//! point order puts Ä before Å, and upper case before all lower case).
//! As in modern Swedish (SAOL 13) W is its own letter; accented letters
//! sort as their base letter (é as e) and ü as y.

use std::cmp::Ordering;

/// A letter's place: base letters keep their order, å ä ö come after z.
fn rank(c: char) -> (u32, u32) {
    let lower = c.to_lowercase().next().unwrap_or(c);
    let base = match lower {
        'å' => return ('z' as u32 + 1, 0),
        'ä' | 'æ' => return ('z' as u32 + 2, 0),
        'ö' | 'ø' => return ('z' as u32 + 3, 0),
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'á' | 'à' | 'â' => 'a',
        'ü' => 'y',
        'í' | 'ì' | 'î' | 'ï' => 'i',
        'ó' | 'ò' | 'ô' => 'o',
        'ú' | 'ù' | 'û' => 'u',
        'ç' => 'c',
        'ñ' => 'n',
        other => other,
    };
    (base as u32, lower as u32)
}

/// Compares two names in Swedish order, ignoring case and accents first
/// and using them only to break ties.
pub fn swedish_cmp(a: &str, b: &str) -> Ordering {
    let key = |s: &str| s.chars().map(rank).collect::<Vec<_>>();
    let (ka, kb) = (key(a), key(b));
    let primary = |k: &[(u32, u32)]| k.iter().map(|r| r.0).collect::<Vec<_>>();
    primary(&ka).cmp(&primary(&kb)).then_with(|| ka.cmp(&kb)).then_with(|| a.cmp(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_with_ring_a_with_dots_and_o_with_dots_come_after_z_in_that_order() {
        let mut names = vec!["Örebro", "Ängelholm", "Åre", "Zinkgruvan", "arvika", "Älmhult", "Eslöv", "Övik"];
        names.sort_by(|a, b| swedish_cmp(a, b));
        assert_eq!(names, ["arvika", "Eslöv", "Zinkgruvan", "Åre", "Älmhult", "Ängelholm", "Örebro", "Övik"]);
    }

    #[test]
    fn case_and_accents_do_not_split_a_letter() {
        let mut names = vec!["Borås", "béla", "Bergsjö", "bala"];
        names.sort_by(|a, b| swedish_cmp(a, b));
        assert_eq!(names, ["bala", "béla", "Bergsjö", "Borås"]);
    }
}
