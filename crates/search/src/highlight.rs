//! Which words of a name matched the search, for the page to mark.
//! Computed on the name itself (not read back from the index), with the
//! same ways of matching the query uses.

use crate::query::{distance, stem_of};
use crate::schema::sv_stem;
use crate::text::{words, MIN_SUFFIX};

/// A piece of the name: text, and whether it matched a word of the search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub text: String,
    pub hit: bool,
}

/// Levenshtein distance, bounded: enough to say "within `max` edits".
fn within(a: &str, b: &str, max: u8) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().abs_diff(b.len()) > usize::from(max) {
        return false;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb)).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()] <= usize::from(max)
}

/// Whether a name word matches a query word (with its stem).
fn matches(word: &str, stem: &str, q: &str, q_stem: &str, fuzzy: bool) -> bool {
    let long = q.chars().count() >= MIN_SUFFIX;
    word.starts_with(q) || stem == q_stem || (long && word.ends_with(q)) || (fuzzy && near(word, q))
}

/// Within the query word's edit distance, as a whole word or as a prefix.
fn near(word: &str, q: &str) -> bool {
    let d = distance(q);
    let head: String = word.chars().take(q.chars().count()).collect();
    d > 0 && (within(word, q, d) || within(&head, q, d))
}

/// The name cut into segments, whole words marked where they match any
/// word of `query`; `fuzzy` when the search had to allow misspellings.
pub fn highlight(name: &str, query: &str, fuzzy: bool) -> Vec<Segment> {
    let mut analyzer = sv_stem();
    let qs: Vec<(String, String)> = words(query).into_iter().map(|w| (stem_of(&mut analyzer, &w), w)).collect();
    let mut out: Vec<Segment> = Vec::new();
    let mut push = |text: &str, hit: bool| match out.last_mut() {
        Some(last) if last.hit == hit => last.text.push_str(text),
        _ => out.push(Segment { text: text.to_string(), hit }),
    };
    let mut rest = name;
    while !rest.is_empty() {
        let start = rest.find(char::is_alphanumeric).unwrap_or(rest.len());
        push(&rest[..start], false);
        rest = &rest[start..];
        let end = rest.find(|c: char| !c.is_alphanumeric()).unwrap_or(rest.len());
        if end > 0 {
            let word = rest[..end].to_lowercase();
            let stem = stem_of(&mut analyzer, &word);
            push(&rest[..end], qs.iter().any(|(qst, q)| matches(&word, &stem, q, qst, fuzzy)));
        }
        rest = &rest[end..];
    }
    out.retain(|s| !s.text.is_empty());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(name: &str, q: &str) -> String {
        highlight(name, q, true).iter().map(|s| if s.hit { format!("[{}]", s.text) } else { s.text.clone() }).collect()
    }

    #[test]
    fn a_prefix_a_stem_and_a_misspelling_are_marked() {
        assert_eq!(marked("Rollator Vega Plus, röd", "roll"), "[Rollator] Vega Plus, röd");
        assert_eq!(marked("Rollatorer Vega", "rollator"), "[Rollatorer] Vega");
        assert_eq!(marked("Rollator Vega", "rolator vega"), "[Rollator] [Vega]");
    }

    #[test]
    fn the_end_of_a_compound_is_marked() {
        assert_eq!(marked("Mobil personlyft Atlas", "lyft"), "Mobil [personlyft] Atlas");
    }

    #[test]
    fn a_name_without_a_match_is_one_plain_segment() {
        assert_eq!(
            highlight("Duschstol Saga", "rullstol", true),
            vec![Segment { text: "Duschstol Saga".into(), hit: false }]
        );
    }
}
