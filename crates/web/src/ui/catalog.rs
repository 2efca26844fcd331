//! Catalog search page: search text, filters, facet counts and a page of
//! ranked, highlighted hits. The results (with the facets) are also served
//! alone for htmx's search-as-you-type; focus stays where the user is
//! (the search box or the filter) and the hit count is announced in a
//! status line outside the swapped part.

mod view;

use super::page::{render, Page};
use crate::extract::{CsrfToken, UiUser};
use crate::i18n::Lang;
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use ramp_app::catalog::{Found, SearchInput};
use serde::Deserialize;
use view::{Choices, Results};

/// Hits per page.
const PAGE_SIZE: i64 = 25;

/// The form as the browser sends it: all text, empty when not chosen.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct SearchParams {
    pub q: String,
    pub area: String,
    pub kind: String,
    pub lead_time_class: String,
    pub iso_code: String,
    pub supplier: String,
    pub group: String,
    pub in_stock: String,
    pub include_expired: String,
    pub page: String,
}

impl SearchParams {
    fn is_empty(&self) -> bool {
        [
            &self.q,
            &self.area,
            &self.kind,
            &self.lead_time_class,
            &self.iso_code,
            &self.supplier,
            &self.group,
            &self.in_stock,
        ]
        .iter()
        .all(|s| s.trim().is_empty())
    }

    fn page_number(&self) -> i64 {
        self.page.trim().parse::<i64>().unwrap_or(1).clamp(1, 400)
    }

    fn input(&self) -> SearchInput {
        let id = |s: &str| s.trim().parse().ok();
        let opt = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        SearchInput {
            q: self.q.clone(),
            iso: opt(&self.iso_code),
            area: opt(&self.area),
            lead_time_class: opt(&self.lead_time_class),
            kind: opt(&self.kind),
            in_stock: !self.in_stock.is_empty(),
            group: id(&self.group),
            supplier: id(&self.supplier),
            include_expired: !self.include_expired.is_empty(),
            offset: (self.page_number() - 1) * PAGE_SIZE,
            limit: PAGE_SIZE,
            // The page shows the hits and the facet counts beside them.
            parts: ramp_app::catalog::Parts::All,
        }
    }
}

#[derive(Template)]
#[template(path = "catalog.html")]
struct CatalogTemplate {
    page: Page,
    p: SearchParams,
    choices: Choices,
    r: Results,
}

#[derive(Template)]
#[template(path = "catalog_results.html")]
struct ResultsTemplate {
    page: Page,
    r: Results,
}

async fn run(
    state: &AppState,
    user: &ramp_app::model::User,
    page: &mut Page,
    p: &SearchParams,
) -> (Option<Found>, StatusCode) {
    if p.is_empty() {
        return (None, StatusCode::OK);
    }
    match ramp_app::catalog::find(&state.app, user, &p.input()).await {
        Ok(found) => (Some(found), StatusCode::OK),
        Err(e) => {
            page.add_error(&e);
            if e.kind == ramp_app::ErrorKind::Internal {
                crate::error::log_internal(&e);
            }
            (None, crate::error::status_of(e.kind))
        }
    }
}

pub async fn page(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    Query(p): Query<SearchParams>,
) -> Response {
    let mut page = Page::new(lang, "catalog.title", Some(&user), &csrf, "catalog");
    let (found, status) = run(&state, &user, &mut page, &p).await;
    let areas = ramp_app::catalog::product_areas(&state.app).await.unwrap_or_default();
    let choices = Choices::new(lang, &areas);
    let r = Results::new(&page, &p, found, p.page_number(), PAGE_SIZE);
    render(&CatalogTemplate { page, p, choices, r }, status)
}

pub async fn results(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    Query(p): Query<SearchParams>,
) -> Response {
    let mut page = Page::new(lang, "catalog.title", Some(&user), &csrf, "catalog");
    let (found, _) = run(&state, &user, &mut page, &p).await;
    let r = Results::new(&page, &p, found, p.page_number(), PAGE_SIZE);
    // htmx swaps only 2xx answers; the error is shown inside the results.
    render(&ResultsTemplate { page, r }, StatusCode::OK)
}
