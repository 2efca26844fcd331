//! Stock per warehouse, for HMC staff.

use super::page::{error_page, render, Page};
use crate::extract::{CsrfToken, UiUser};
use crate::i18n::Lang;
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use ramp_app::stock::StockOverview;
use ramp_app::AppError;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "stock.html")]
struct StockTemplate {
    page: Page,
    overview: StockOverview,
}

#[derive(Deserialize)]
pub struct StockParams {
    warehouse: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    Query(p): Query<StockParams>,
) -> Response {
    let warehouse = match p.warehouse.as_deref().filter(|s| !s.is_empty()).map(str::parse::<i64>) {
        None => None,
        Some(Ok(id)) => Some(id),
        Some(Err(_)) => {
            return error_page(lang, AppError::invalid("warehouse", "warehouse_not_found", "no such warehouse"))
        }
    };
    match ramp_app::stock::stock_overview(&state.app, &user, warehouse).await {
        Ok(overview) => render(
            &StockTemplate { page: Page::new(lang, "stock.title", Some(&user), &csrf, "stock"), overview },
            StatusCode::OK,
        ),
        Err(e) => error_page(lang, e),
    }
}
