//! Catalog search page; the results list is also served alone for htmx's
//! search-as-you-type.

use super::page::{render, Page};
use crate::extract::{CsrfToken, UiUser};
use crate::i18n::Lang;
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use ramp_app::model::ArticleHit;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct SearchParams {
    #[serde(default)]
    q: String,
}

#[derive(Template)]
#[template(path = "catalog.html")]
struct CatalogTemplate {
    page: Page,
    q: String,
    searched: bool,
    hits: Vec<ArticleHit>,
}

#[derive(Template)]
#[template(path = "catalog_results.html")]
struct ResultsTemplate {
    page: Page,
    searched: bool,
    hits: Vec<ArticleHit>,
}

async fn run(
    state: &AppState,
    user: &ramp_app::model::User,
    page: &mut Page,
    q: &str,
) -> (bool, Vec<ArticleHit>, StatusCode) {
    if q.trim().is_empty() {
        return (false, vec![], StatusCode::OK);
    }
    match ramp_app::catalog::search(&state.app, user, q, 50).await {
        Ok(hits) => (true, hits, StatusCode::OK),
        Err(e) => {
            page.add_error(&e);
            let status = crate::error::status_of(e.kind);
            if e.kind == ramp_app::ErrorKind::Internal {
                crate::error::log_internal(&e);
            }
            (false, vec![], status)
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
    let (searched, hits, status) = run(&state, &user, &mut page, &p.q).await;
    render(&CatalogTemplate { page, q: p.q, searched, hits }, status)
}

pub async fn results(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    Query(p): Query<SearchParams>,
) -> Response {
    let mut page = Page::new(lang, "catalog.title", Some(&user), &csrf, "catalog");
    let (searched, hits, _) = run(&state, &user, &mut page, &p.q).await;
    // htmx swaps only 2xx answers; the error is shown inside the results.
    render(&ResultsTemplate { page, searched, hits }, StatusCode::OK)
}
