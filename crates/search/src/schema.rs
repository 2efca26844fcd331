//! The index's fields and its three analyzers.

use tantivy::schema::{IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED};
use tantivy::tokenizer::{Language, LowerCaser, RawTokenizer, SimpleTokenizer, Stemmer, TextAnalyzer};
use tantivy::Index;

/// Swedish words, stemmed ("rollatorer" → "rollator").
pub const SV_STEM: &str = "sv_stem";
/// Swedish words in lower case, not stemmed: prefix, fuzzy and suffix matching.
pub const SV_PLAIN: &str = "sv_plain";
/// A whole value in lower case: article numbers, GTINs, ISO codes.
pub const RAW_LOWER: &str = "raw_lower";

/// The fields, looked up once.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    pub id: tantivy::schema::Field,
    pub kind: tantivy::schema::Field,
    pub iso: tantivy::schema::Field,
    pub iso_prefix: tantivy::schema::Field,
    pub area: tantivy::schema::Field,
    pub lead: tantivy::schema::Field,
    pub supplier: tantivy::schema::Field,
    pub group: tantivy::schema::Field,
    pub valid_to: tantivy::schema::Field,
    pub name: tantivy::schema::Field,
    pub words: tantivy::schema::Field,
    pub suffix: tantivy::schema::Field,
    pub codes: tantivy::schema::Field,
    pub text: tantivy::schema::Field,
}

fn text(tokenizer: &str, record: IndexRecordOption) -> TextOptions {
    TextOptions::default()
        .set_indexing_options(TextFieldIndexing::default().set_tokenizer(tokenizer).set_index_option(record))
}

/// The schema and its fields. Filters are indexed u64 fields (a filter is a
/// term); what the collector counts or ranks by is also a fast field.
pub fn build() -> (Schema, Fields) {
    let mut s = Schema::builder();
    let filter: NumericOptions = (INDEXED | FAST).into();
    let fields = Fields {
        id: s.add_u64_field("id", filter.clone()),
        kind: s.add_u64_field("kind", filter.clone()),
        iso: s.add_u64_field("iso", FAST),
        iso_prefix: s.add_text_field("iso_prefix", text(RAW_LOWER, IndexRecordOption::Basic)),
        area: s.add_u64_field("area", filter.clone()),
        lead: s.add_u64_field("lead", filter.clone()),
        supplier: s.add_u64_field("supplier", filter.clone()),
        group: s.add_u64_field("group", filter),
        valid_to: s.add_i64_field("valid_to", FAST),
        name: s.add_text_field("name", text(SV_STEM, IndexRecordOption::WithFreqs)),
        words: s.add_text_field("words", text(SV_PLAIN, IndexRecordOption::Basic)),
        suffix: s.add_text_field("suffix", text(SV_PLAIN, IndexRecordOption::Basic)),
        codes: s.add_text_field("codes", text(RAW_LOWER, IndexRecordOption::Basic)),
        text: s.add_text_field("text", text(SV_STEM, IndexRecordOption::WithFreqs)),
    };
    (s.build(), fields)
}

/// The stemming analyzer, also used to stem the query and the highlight.
pub fn sv_stem() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default()).filter(LowerCaser).filter(Stemmer::new(Language::Swedish)).build()
}

/// Registers the analyzers on a new index.
pub fn register(index: &Index) {
    let m = index.tokenizers();
    m.register(SV_STEM, sv_stem());
    m.register(SV_PLAIN, TextAnalyzer::builder(SimpleTokenizer::default()).filter(LowerCaser).build());
    m.register(RAW_LOWER, TextAnalyzer::builder(RawTokenizer::default()).filter(LowerCaser).build());
}
