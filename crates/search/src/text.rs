//! Words as the index and the highlight see them.

/// The lower-case words of a text: runs of letters and digits (as tantivy's
/// simple tokenizer splits them).
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

/// The shortest suffix worth indexing: "lyft" finds "personlyft", "säng"
/// finds "vårdsäng"; shorter endings ("ar", "or") would match everything.
pub const MIN_SUFFIX: usize = 4;

/// Every proper suffix of each word from [`MIN_SUFFIX`] letters, so that a
/// word inside a Swedish compound is found: "personlyft" → "ersonlyft",
/// …, "lyft". Space-separated, for the plain analyzer.
pub fn suffixes(text: &str) -> String {
    let mut out = String::new();
    for w in words(text) {
        let chars: Vec<char> = w.chars().collect();
        for start in 1..chars.len().saturating_sub(MIN_SUFFIX - 1) {
            out.extend(&chars[start..]);
            out.push(' ');
        }
    }
    out
}

/// Only digits (and the spaces and dots people type between ISO code pairs).
pub fn is_code_like(q: &str) -> bool {
    q.chars().any(|c| c.is_ascii_digit()) && q.chars().all(|c| c.is_ascii_digit() || c == ' ' || c == '.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compounds_are_indexed_by_their_endings() {
        assert_eq!(suffixes("Personlyft"), "ersonlyft rsonlyft sonlyft onlyft nlyft lyft ");
        assert_eq!(suffixes("Säng"), "", "a word of four letters has no shorter suffix worth indexing");
    }

    #[test]
    fn words_split_on_punctuation_and_fold_case() {
        assert_eq!(
            words("Hjul, reservdel till Rollator Vega-2"),
            ["hjul", "reservdel", "till", "rollator", "vega", "2"]
        );
    }

    #[test]
    fn an_iso_code_typed_with_spaces_is_code_like() {
        assert!(is_code_like("12 06 06") && is_code_like("120606") && !is_code_like("rollator 2"));
    }
}
