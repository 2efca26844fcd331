//! Catalog search. [`find`] is the ranked search over the index (the
//! catalog page and `GET /api/v1/articles`); [`search`] is the plain
//! substring search in the database that the administrator's article list
//! and the order form use (every article, alphabetical).

use crate::error::{AppError, Result};
use crate::App;
use ramp_domain::ids::IsoCode;
use ramp_model::{ArticleHit, ArticleQuery, User};

pub use find::{find, rank, request as search_request, Found, FoundHit, Parts, SearchInput};
pub use ramp_search::{CacheStats, Segment};

mod find;

/// Reads a search box: something that looks like an ISO code
/// ("12 06 06", "1206") narrows by code; anything else is words that must
/// all occur in the name, article number or code.
pub fn parse_query(q: &str, limit: i64) -> Result<ArticleQuery> {
    let q = q.trim();
    if q.chars().count() < 2 {
        return Err(AppError::invalid("q", "query_too_short", "type at least 2 characters"));
    }
    if q.chars().count() > 100 {
        return Err(AppError::invalid("q", "query_too_long", "the search text is limited to 100 characters"));
    }
    let looks_like_iso = q.chars().all(|c| c.is_ascii_digit() || c == ' ' || c == '.');
    if looks_like_iso {
        if let Ok(code) = IsoCode::parse(q) {
            return Ok(ArticleQuery { words: vec![], iso_prefix: Some(code.as_str().to_string()), limit });
        }
    }
    Ok(ArticleQuery { words: q.split_whitespace().map(str::to_string).collect(), iso_prefix: None, limit })
}

/// The product areas, for the search page's filter.
pub async fn product_areas(app: &App) -> Result<Vec<ramp_model::ProductArea>> {
    Ok(app.storage.product_areas().await?)
}

/// Searches the catalog. Every logged-in user may search.
pub async fn search(app: &App, _user: &User, q: &str, limit: i64) -> Result<Vec<ArticleHit>> {
    let query = parse_query(q, limit)?;
    Ok(app.storage.search_articles(&query).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_iso_code_with_spaces_searches_by_code_prefix() {
        let q = parse_query("12 06", 10).unwrap();
        assert_eq!(q.iso_prefix.as_deref(), Some("1206"));
        assert!(q.words.is_empty());
    }

    #[test]
    fn words_and_article_numbers_search_by_text() {
        assert_eq!(parse_query("rollator classic", 10).unwrap().words, vec!["rollator", "classic"]);
        assert_eq!(parse_query("123", 10).unwrap().words, vec!["123"], "three digits are not an ISO code");
    }

    #[test]
    fn a_one_letter_query_is_refused_naming_the_field() {
        assert_eq!(parse_query("r", 10).unwrap_err().field.as_deref(), Some("q"));
    }
}
