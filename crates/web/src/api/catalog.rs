//! Catalog search: ranked hits (`GET /api/v1/articles`) and the facet
//! counts of the same search (`GET /api/v1/articles/facets`).

use super::dto::{ArticleDto, FacetCountDto, FacetsDto, HighlightDto, SearchHitDto};
use crate::error::ApiError;
use crate::extract::ApiUser;
use crate::AppState;
use axum::extract::{Query, State};
use axum::http::HeaderName;
use axum::Json;
use ramp_app::catalog::{Found, Parts, SearchInput};
use ramp_app::AppError;
use serde::Deserialize;
use utoipa::IntoParams;

/// Numbers and yes/no are read as text, so a bad one is a 422 naming the
/// parameter rather than the framework's 400.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// Words (Swedish stemming, prefixes, misspellings), an article number,
    /// a GTIN, or an ISO 9999 code or prefix ("12 06 06", "1206"). May be
    /// empty when a filter is given.
    pub q: Option<String>,
    /// At most this many hits (1–200, default 50).
    pub limit: Option<String>,
    /// Skip this many hits (0–10000, default 0): paging.
    pub offset: Option<String>,
    /// Only this ISO 9999 class, subclass or division ("12", "12 06", "120606").
    pub iso_code: Option<String>,
    /// Only this product area (its code, e.g. `mobility`).
    pub area: Option<String>,
    /// Only this lead-time class: stock_4 | stock_7 | order_17 | acute.
    pub lead_time_class: Option<String>,
    /// Only this kind: main_device | accessory | spare_part | consumable | medtech_product | nutrition.
    pub kind: Option<String>,
    /// `true`: only articles with a device in stock (the index's snapshot, at most 30 s old).
    pub in_stock: Option<String>,
    /// Only this replacement group (its id).
    pub group: Option<String>,
    /// Only this supplier (its id).
    pub supplier: Option<String>,
    /// `true`: also articles whose last day in the assortment has passed (ranked last).
    pub include_expired: Option<String>,
}

fn number(field: &str, v: &Option<String>, default: i64) -> Result<i64, AppError> {
    match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(default),
        Some(s) => {
            s.parse().map_err(|_| AppError::invalid(field, "invalid_number", format!("{field} must be a whole number")))
        }
    }
}

fn yes_no(field: &str, v: &Option<String>) -> Result<bool, AppError> {
    match v.as_deref().map(str::trim) {
        None | Some("") | Some("false") => Ok(false),
        Some("true") => Ok(true),
        Some(_) => Err(AppError::invalid(field, "invalid_boolean", format!("{field} must be true or false"))),
    }
}

fn id(field: &str, v: &Option<String>) -> Result<Option<i64>, AppError> {
    Ok(if v.as_deref().is_some_and(|s| !s.trim().is_empty()) { Some(number(field, v, 0)?) } else { None })
}

impl SearchParams {
    /// The use-case's input; the use-case checks ranges and codes.
    pub fn input(&self) -> Result<SearchInput, AppError> {
        Ok(SearchInput {
            q: self.q.clone().unwrap_or_default(),
            iso: self.iso_code.clone(),
            area: self.area.clone(),
            lead_time_class: self.lead_time_class.clone(),
            kind: self.kind.clone(),
            in_stock: yes_no("in_stock", &self.in_stock)?,
            group: id("group", &self.group)?,
            supplier: id("supplier", &self.supplier)?,
            include_expired: yes_no("include_expired", &self.include_expired)?,
            offset: number("offset", &self.offset, 0)?,
            limit: number("limit", &self.limit, 50)?,
            parts: Parts::All,
        })
    }
}

/// Each endpoint asks only for its part: the hits without facet counts,
/// or the counts without ranking and without reading hits from the database.
async fn run(
    state: &AppState,
    user: &ramp_app::model::User,
    p: &SearchParams,
    parts: Parts,
) -> Result<Found, ApiError> {
    let input = SearchInput { parts, ..p.input()? };
    Ok(ramp_app::catalog::find(&state.app, user, &input).await?)
}

/// Searches the catalog, best first: main devices before accessories and
/// spare parts, articles no longer valid hidden unless asked for. The
/// number of all hits is in `X-Total-Count`; the facet counts of the same
/// search are at `/api/v1/articles/facets`.
#[utoipa::path(get, path = "/api/v1/articles", tag = "catalog", params(SearchParams), security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "one page of hits, best first, with stock counts and the highlighted name", body = Vec<SearchHitDto>,
        headers(("X-Total-Count" = i64, description = "how many articles match in all"))),
    (status = 422, description = "a parameter is invalid; `field` names it", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn search(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(p): Query<SearchParams>,
) -> Result<([(HeaderName, String); 1], Json<Vec<SearchHitDto>>), ApiError> {
    let found = run(&state, &user, &p, Parts::Hits).await?;
    let hits = found
        .hits
        .iter()
        .map(|h| SearchHitDto {
            article: ArticleDto::from(&h.hit.article),
            in_stock: h.hit.in_stock,
            score: h.score,
            highlight: h.highlight.iter().map(|s| HighlightDto { text: s.text.clone(), hit: s.hit }).collect(),
        })
        .collect();
    Ok(([(HeaderName::from_static("x-total-count"), found.total.to_string())], Json(hits)))
}

/// The facet counts of a search: how many hits have each ISO code, product
/// area, lead-time class, kind, supplier and replacement group, and how many
/// are in stock. Takes the same parameters as `/api/v1/articles`.
#[utoipa::path(get, path = "/api/v1/articles/facets", tag = "catalog", params(SearchParams), security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "counts over all hits", body = FacetsDto),
    (status = 422, description = "a parameter is invalid; `field` names it", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn facets(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(p): Query<SearchParams>,
) -> Result<Json<FacetsDto>, ApiError> {
    let found = run(&state, &user, &p, Parts::Facets).await?;
    Ok(Json(facets_dto(&found)))
}

fn count(value: impl ToString, label: impl Into<String>, count: u32) -> FacetCountDto {
    FacetCountDto { value: value.to_string(), label: label.into(), count }
}

fn facets_dto(found: &Found) -> FacetsDto {
    let (f, l) = (&found.facets, &found.labels);
    let area = |code: &String| l.areas.get(code).map_or(code.clone(), |(sv, _)| sv.clone());
    FacetsDto {
        total: found.total,
        fuzzy: found.fuzzy,
        in_stock: f.in_stock,
        kind: f.kind.iter().map(|(k, n)| count(k, k.clone(), *n)).collect(),
        iso_code: f.iso.iter().map(|(k, n)| count(k, k.clone(), *n)).collect(),
        area: f.area.iter().map(|(k, n)| count(k, area(k), *n)).collect(),
        lead_time_class: f.lead_time_class.iter().map(|(k, n)| count(k, k.clone(), *n)).collect(),
        supplier: f
            .supplier
            .iter()
            .map(|(k, n)| count(k, l.suppliers.get(k).cloned().unwrap_or_default(), *n))
            .collect(),
        group: f
            .group
            .iter()
            .map(|(k, n)| count(k, l.groups.get(k).map(|(_, name)| name.clone()).unwrap_or_default(), *n))
            .collect(),
    }
}
