//! A search request, and the tantivy query it becomes.
//!
//! Every word must match (AND), each in any of several ways, scored so
//! that the closest match wins: the stemmed word in the name (BM25), the
//! word itself, the word as a prefix ("roll" while typing), the word as the
//! end of a compound ("lyft" in "personlyft"), the word as an article
//! number, GTIN or ISO code, and the words around the article (supplier,
//! area, group). A whole query that is an article number, a GTIN or an ISO
//! code matches that directly. Misspellings ("rolator") are a second pass
//! with edit distance, run only when the exact pass finds nothing, so that
//! typo matches never crowd out (or inflate the counts of) real ones.

use crate::schema::{self, Fields};
use crate::text::{is_code_like, words, MIN_SUFFIX};
use ramp_domain::article::{ArticleKind, LeadTimeClass};
use ramp_domain::ids::IsoCode;
use ramp_model::Id;
use tantivy::query::{BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::Term;

/// Narrowing a search; every filter given must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Filters {
    /// An ISO 9999 code or prefix: class ("12"), subclass ("1206") or division.
    pub iso: Option<IsoCode>,
    /// A product area's code (`mobility`).
    pub area: Option<String>,
    pub lead_time_class: Option<LeadTimeClass>,
    pub kind: Option<ArticleKind>,
    /// Only articles with a device in stock now (by the index's stock snapshot).
    pub in_stock: bool,
    /// A replacement group's id.
    pub group: Option<Id>,
    pub supplier: Option<Id>,
}

/// One search: checked input, ready to run (and the key of its cached result).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SearchRequest {
    /// The search text; empty lists everything the filters let through.
    pub text: String,
    pub filters: Filters,
    /// Also articles whose last day in the assortment has passed.
    pub include_expired: bool,
    /// Today, deciding which articles have expired.
    pub today: chrono::NaiveDate,
    pub offset: usize,
    pub limit: usize,
    /// Rank and keep the page of hits (not needed for the facets alone).
    pub hits: bool,
    /// Count the facets (not needed for a page of hits alone).
    pub facets: bool,
}

/// The two passes: exact ways of matching, then edit distance too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pass {
    Exact,
    Fuzzy,
}

fn term(f: tantivy::schema::Field, s: &str) -> Term {
    Term::from_field_text(f, s)
}

fn boosted(q: Box<dyn Query>, boost: f32) -> Box<dyn Query> {
    Box::new(BoostQuery::new(q, boost))
}

fn term_query(t: Term, boost: f32) -> Box<dyn Query> {
    boosted(Box::new(TermQuery::new(t, IndexRecordOption::WithFreqs)), boost)
}

/// A prefix query: the word followed by anything. A Levenshtein prefix
/// automaton of distance 0 (its builder is made once per process), not a
/// regular expression: compiling a regex to a DFA on every search cost
/// more than the rest of a search for an article number.
fn prefix_query(f: tantivy::schema::Field, w: &str, boost: f32) -> Option<Box<dyn Query>> {
    Some(boosted(Box::new(FuzzyTermQuery::new_prefix(term(f, w), 0, false)), boost))
}

/// How far a misspelling may be from the word: one edit from 4 letters,
/// two from 8 ("rullstool", "rolator").
pub fn distance(w: &str) -> u8 {
    match w.chars().count() {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// The ways one word may match, best first.
fn word_query(f: &Fields, w: &str, stem: &str, pass: Pass) -> Box<dyn Query> {
    let mut ways: Vec<(Occur, Box<dyn Query>)> = vec![
        (Occur::Should, term_query(term(f.name, stem), 3.0)),
        (Occur::Should, term_query(term(f.codes, w), 20.0)),
        (Occur::Should, term_query(term(f.text, stem), 0.5)),
    ];
    if let Some(q) = prefix_query(f.words, w, 1.5) {
        ways.push((Occur::Should, q));
    }
    if w.chars().count() >= MIN_SUFFIX {
        ways.push((Occur::Should, term_query(term(f.suffix, w), 1.0)));
    }
    if w.chars().count() >= 3 && w.chars().any(|c| c.is_ascii_digit()) {
        if let Some(q) = prefix_query(f.codes, w, 4.0) {
            ways.push((Occur::Should, q));
        }
    }
    if pass == Pass::Fuzzy && distance(w) > 0 {
        let q = FuzzyTermQuery::new_prefix(term(f.words, w), distance(w), true);
        ways.push((Occur::Should, boosted(Box::new(q), 0.8)));
        let q = FuzzyTermQuery::new(term(f.suffix, w), distance(w), true);
        ways.push((Occur::Should, boosted(Box::new(q), 0.5)));
    }
    Box::new(BooleanQuery::new(ways))
}

/// The whole text as one code: an article number, GTIN or ISO code.
fn whole_code_query(f: &Fields, text: &str) -> Vec<(Occur, Box<dyn Query>)> {
    let mut ways: Vec<(Occur, Box<dyn Query>)> =
        vec![(Occur::Should, term_query(term(f.codes, &text.to_lowercase()), 50.0))];
    if is_code_like(text) {
        if let Ok(code) = IsoCode::parse(text) {
            ways.push((Occur::Should, term_query(term(f.iso_prefix, code.as_str()), 10.0)));
        }
    }
    ways
}

/// The text part: the whole text as a code, or every word matching.
pub fn text_query(f: &Fields, text: &str, pass: Pass) -> Option<Box<dyn Query>> {
    let ws = words(text);
    if ws.is_empty() {
        return None;
    }
    let mut stem = schema::sv_stem();
    let each: Vec<(Occur, Box<dyn Query>)> =
        ws.iter().map(|w| (Occur::Must, word_query(f, w, &stem_of(&mut stem, w), pass))).collect();
    let mut ways = whole_code_query(f, text.trim());
    ways.push((Occur::Should, Box::new(BooleanQuery::new(each))));
    Some(Box::new(BooleanQuery::new(ways)))
}

/// A word's Swedish stem.
pub fn stem_of(analyzer: &mut tantivy::tokenizer::TextAnalyzer, w: &str) -> String {
    let mut stream = analyzer.token_stream(w);
    let mut out = String::new();
    while stream.advance() {
        out.push_str(&stream.token().text);
    }
    out
}

fn filter_term(f: tantivy::schema::Field, v: u64) -> (Occur, Box<dyn Query>) {
    (Occur::Must, Box::new(TermQuery::new(Term::from_field_u64(f, v), IndexRecordOption::Basic)))
}

/// The filters as clauses (all must hold). `area` is the product area's
/// number in the index, `None` when the index has never seen the area
/// (then nothing can match).
pub fn filter_clauses(f: &Fields, filters: &Filters, area: Option<Option<u64>>) -> Vec<(Occur, Box<dyn Query>)> {
    let mut c = Vec::new();
    if let Some(iso) = &filters.iso {
        c.push((
            Occur::Must,
            Box::new(TermQuery::new(term(f.iso_prefix, iso.as_str()), IndexRecordOption::Basic)) as Box<dyn Query>,
        ));
    }
    if let Some(area) = area {
        c.push(filter_term(f.area, area.unwrap_or(0)));
    }
    if let Some(l) = filters.lead_time_class {
        c.push(filter_term(f.lead, crate::doc::lead_ord(l)));
    }
    if let Some(k) = filters.kind {
        c.push(filter_term(f.kind, crate::doc::kind_ord(k)));
    }
    if let Some(g) = filters.group {
        c.push(filter_term(f.group, g as u64));
    }
    if let Some(s) = filters.supplier {
        c.push(filter_term(f.supplier, s as u64));
    }
    c
}
