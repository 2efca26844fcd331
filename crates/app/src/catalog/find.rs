//! The ranked catalog search: input checked field by field, the index
//! asked, the page of hits read from the database, each with its count
//! from the index's stock snapshot.

use crate::error::{AppError, Result};
use crate::App;
use ramp_domain::article::{ArticleKind, LeadTimeClass};
use ramp_domain::ids::IsoCode;
use ramp_domain::Term;
use ramp_model::{ArticleHit, Id, User};
use ramp_search::{Facets, Filters, SearchRequest, Segment};

/// The most hits one page may ask for, and how deep paging may go.
pub const MAX_LIMIT: i64 = 200;
pub const MAX_OFFSET: i64 = 10_000;

/// What a caller needs of a search: the catalog page shows both; the
/// API's two endpoints each need one, and skipping the other saves the
/// facet counting (hits) or the ranking and the database read (facets).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Parts {
    #[default]
    All,
    Hits,
    Facets,
}

/// A search as the user gave it: text, filters (as typed) and paging.
#[derive(Debug, Clone, Default)]
pub struct SearchInput {
    pub q: String,
    pub iso: Option<String>,
    pub area: Option<String>,
    pub lead_time_class: Option<String>,
    pub kind: Option<String>,
    pub in_stock: bool,
    pub group: Option<Id>,
    pub supplier: Option<Id>,
    pub include_expired: bool,
    pub offset: i64,
    pub limit: i64,
    pub parts: Parts,
}

/// One hit: the article with its stock (the snapshot's, at most 30 s
/// old), its score and its name cut into highlighted segments.
#[derive(Debug, Clone)]
pub struct FoundHit {
    pub hit: ArticleHit,
    pub score: f32,
    pub highlight: Vec<Segment>,
}

/// A page of hits, how many there are in all, and the facet counts.
#[derive(Debug, Clone)]
pub struct Found {
    pub hits: Vec<FoundHit>,
    pub total: usize,
    pub facets: Facets,
    /// The exact words found nothing; these hits allow misspellings.
    pub fuzzy: bool,
    /// The facets' names (shared, not copied per search).
    pub labels: std::sync::Arc<crate::search::Labels>,
}

fn blank(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn filters(input: &SearchInput) -> Result<Filters> {
    Ok(Filters {
        iso: blank(&input.iso).map(IsoCode::parse).transpose()?,
        area: blank(&input.area).map(str::to_string),
        lead_time_class: blank(&input.lead_time_class).map(LeadTimeClass::parse).transpose()?,
        kind: blank(&input.kind).map(ArticleKind::parse).transpose()?,
        in_stock: input.in_stock,
        group: input.group,
        supplier: input.supplier,
    })
}

/// Checks the input into a request; every refusal names its field.
pub fn request(input: &SearchInput, today: chrono::NaiveDate) -> Result<SearchRequest> {
    let q = input.q.trim();
    let filters = filters(input)?;
    let n = q.chars().count();
    if n == 1 || (n == 0 && filters == Filters::default()) {
        return Err(AppError::invalid("q", "query_too_short", "type at least 2 characters"));
    }
    if n > 100 {
        return Err(AppError::invalid("q", "query_too_long", "the search text is limited to 100 characters"));
    }
    if !(1..=MAX_LIMIT).contains(&input.limit) {
        return Err(AppError::invalid("limit", "invalid_limit", "limit must be a number from 1 to 200"));
    }
    if !(0..=MAX_OFFSET).contains(&input.offset) {
        return Err(AppError::invalid("offset", "invalid_offset", "offset must be a number from 0 to 10000"));
    }
    Ok(SearchRequest {
        text: q.to_string(),
        filters,
        include_expired: input.include_expired,
        today,
        offset: input.offset as usize,
        limit: input.limit as usize,
        hits: input.parts != Parts::Facets,
        facets: input.parts != Parts::Hits,
    })
}

/// Searches the catalog, best first. Every logged-in user may search.
pub async fn find(app: &App, _user: &User, input: &SearchInput) -> Result<Found> {
    let req = request(input, app.today())?;
    let search = app.search_index().await?;
    let results = search.index.search(&req)?;
    let ids: Vec<Id> = results.hits.iter().map(|h| h.article_id).collect();
    let mut rows = app.storage.articles_by_ids(&ids).await?;
    // The database answers in no order; the index's order is the ranking.
    let hits = results
        .hits
        .iter()
        .filter_map(|h| {
            let at = rows.iter().position(|r| r.id == h.article_id)?;
            let article = rows.swap_remove(at);
            let highlight = ramp_search::highlight(&article.name, &req.text, results.fuzzy);
            let hit = ArticleHit { in_stock: search.index.in_stock(article.id), article };
            Some(FoundHit { hit, score: h.score, highlight })
        })
        .collect();
    let facets = results.facets.clone();
    Ok(Found { hits, total: results.total, facets, fuzzy: results.fuzzy, labels: search.labels() })
}

/// The index's part of [`find`] alone: ranking, total and facet counts,
/// without reading the page of hits from the database. `ramp bench search`
/// measures it as the ceiling the HTTP figure is held against.
pub async fn rank(app: &App, input: &SearchInput) -> Result<std::sync::Arc<ramp_search::SearchResults>> {
    let req = request(input, app.today())?;
    Ok(app.search_index().await?.index.search(&req)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
    }

    fn field(input: SearchInput) -> Option<String> {
        request(&input, today()).unwrap_err().field
    }

    #[test]
    fn bad_parameters_are_refused_naming_the_field() {
        let ok = SearchInput { q: "rollator".into(), limit: 20, ..SearchInput::default() };
        assert_eq!(field(SearchInput { q: "r".into(), ..ok.clone() }).as_deref(), Some("q"));
        assert_eq!(field(SearchInput { limit: 0, ..ok.clone() }).as_deref(), Some("limit"));
        assert_eq!(field(SearchInput { offset: -1, ..ok.clone() }).as_deref(), Some("offset"));
        assert_eq!(field(SearchInput { iso: Some("12 0".into()), ..ok.clone() }).as_deref(), Some("iso_code"));
        assert_eq!(field(SearchInput { kind: Some("robot".into()), ..ok.clone() }).as_deref(), Some("kind"));
        assert_eq!(
            field(SearchInput { lead_time_class: Some("soon".into()), ..ok }).as_deref(),
            Some("lead_time_class")
        );
    }

    #[test]
    fn an_empty_text_lists_by_filter_but_not_without_one() {
        let base = SearchInput { limit: 20, ..SearchInput::default() };
        assert_eq!(field(base.clone()).as_deref(), Some("q"));
        let r = request(&SearchInput { area: Some("hygiene".into()), ..base }, today()).unwrap();
        assert_eq!((r.text.as_str(), r.filters.area.as_deref()), ("", Some("hygiene")));
    }
}
