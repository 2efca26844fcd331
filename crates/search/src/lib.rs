//! The catalog's search index: ranked, typo-tolerant full-text search over
//! article name, article number, GTIN, ISO 9999 code and the words around an
//! article (supplier, product area, replacement group), with Swedish
//! stemming, filters and facet counts.
//!
//! The index lives in memory (tantivy) and holds only what ranking,
//! filtering and counting need: a search answers article ids, and the
//! caller reads the articles themselves from the database. That keeps one
//! implementation for both database engines and keeps the database the
//! only source of truth (see docs/ARCHITECTURE.md, "Search").

mod cache;
mod collector;
mod doc;
mod highlight;
mod index;
mod interner;
mod query;
mod schema;
mod stock;
mod text;

pub use cache::CacheStats;
pub use doc::{GroupRef, SearchDoc};
pub use highlight::{highlight, Segment};
pub use index::{CatalogIndex, Facets, Hit, SearchResults};
pub use query::{Filters, SearchRequest};

/// What can go wrong inside the index (never the user's input: that is
/// checked before a [`SearchRequest`] is built).
#[derive(Debug, thiserror::Error)]
#[error("search index: {0}")]
pub struct SearchError(#[from] tantivy::TantivyError);

pub type Result<T> = std::result::Result<T, SearchError>;

#[cfg(test)]
mod tests;
