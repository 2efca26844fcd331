//! Stock per warehouse, for HMC staff: the warehouses (central first, by
//! Swedish name, filtered by kind and name), on hand per article against
//! its reorder threshold, consumables per batch, and what is below its
//! threshold in every warehouse (issue 19).

use super::desk::log_if_internal;
use super::form::Field;
use super::page::{error_page, render, Page};
use crate::extract::{CsrfForm, CsrfToken, UiUser};
use crate::i18n::Lang;
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use ramp_app::model::{BatchLine, OnHandLine, User};
use ramp_app::stock::StockOverview;
use ramp_app::warehouse::{self as w, WarehouseFilter};
use ramp_app::AppError;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "stock.html")]
struct StockTemplate {
    page: Page,
    overview: StockOverview,
    kind: String,
    name: String,
    on_hand: Vec<OnHandLine>,
    batches: Vec<BatchLine>,
    /// `None` for roles that do not buy (the list is the buyer's).
    below: Option<Vec<OnHandLine>>,
    threshold_fields: Vec<Field>,
    saved: bool,
}

impl StockTemplate {
    fn kind_selected(&self, k: &str) -> bool {
        self.kind == k
    }
}

#[derive(Deserialize, Default)]
pub struct StockParams {
    warehouse: Option<String>,
    kind: Option<String>,
    name: Option<String>,
    saved: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct ThresholdForm {
    #[serde(default)]
    warehouse_id: String,
    #[serde(default)]
    article_number: String,
    #[serde(default)]
    threshold: String,
}

async fn build(
    state: &AppState,
    user: &User,
    page: Page,
    p: &StockParams,
    form: &ThresholdForm,
) -> Result<StockTemplate, AppError> {
    let warehouse = match p.warehouse.as_deref().or(Some(form.warehouse_id.as_str())).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(
            s.parse::<i64>().map_err(|_| AppError::invalid("warehouse", "warehouse_not_found", "no such warehouse"))?,
        ),
    };
    let filter = WarehouseFilter { kind: p.kind.clone(), name: p.name.clone() };
    let listed = w::warehouses(&state.app, user, &filter).await?;
    let chosen = warehouse.or_else(|| w::default_warehouse(&listed).map(|w| w.id));
    let mut overview = ramp_app::stock::stock_overview(&state.app, user, chosen).await?;
    overview.warehouses = listed;
    if chosen.is_none() {
        // Nothing matches the filter: nothing is shown.
        overview.selected = None;
        overview.lines.clear();
    }
    let (on_hand, batches) = match &overview.selected {
        Some(s) => (w::on_hand(&state.app, user, s.id).await?, w::batches(&state.app, user, s.id).await?),
        None => (vec![], vec![]),
    };
    let below = w::below_threshold(&state.app, user).await.ok();
    let threshold_fields = vec![
        Field::new(&page, "article_number", page.t("desk.article_number"), &form.article_number).required().max(40),
        Field::new(&page, "threshold", page.t("wh.threshold"), &form.threshold)
            .max(10)
            .hint(page.t("wh.threshold_hint")),
    ];
    Ok(StockTemplate {
        page,
        overview,
        kind: p.kind.clone().unwrap_or_default(),
        name: p.name.clone().unwrap_or_default(),
        on_hand,
        batches,
        below,
        threshold_fields,
        saved: p.saved.is_some(),
    })
}

pub async fn page(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    Query(p): Query<StockParams>,
) -> Response {
    let page = Page::new(lang, "stock.title", Some(&user), &csrf, "stock");
    match build(&state, &user, page, &p, &ThresholdForm::default()).await {
        Ok(t) => render(&t, StatusCode::OK),
        Err(e) => error_page(lang, e),
    }
}

/// Sets a reorder threshold from the stock page; an empty value removes it.
pub async fn set_threshold(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    CsrfForm(f): CsrfForm<ThresholdForm>,
) -> Response {
    let done = async {
        let warehouse_id: i64 = f
            .warehouse_id
            .trim()
            .parse()
            .map_err(|_| AppError::invalid("warehouse", "warehouse_not_found", "no such warehouse"))?;
        let threshold = match f.threshold.trim() {
            "" => None,
            t => Some(t.parse().map_err(|_| AppError::invalid("threshold", "invalid_threshold", "0 to 1,000,000"))?),
        };
        w::set_threshold(&state.app, &user, warehouse_id, &f.article_number, threshold).await?;
        Ok::<_, AppError>(warehouse_id)
    }
    .await;
    match done {
        Ok(id) => Redirect::to(&format!("/stock?warehouse={id}&saved=1")).into_response(),
        Err(e) => {
            log_if_internal(&e);
            let mut page = Page::new(lang, "stock.title", Some(&user), &csrf, "stock");
            page.add_error(&e);
            let status = crate::error::status_of(e.kind);
            match build(&state, &user, page, &StockParams::default(), &f).await {
                Ok(t) => render(&t, status),
                Err(e) => error_page(lang, e),
            }
        }
    }
}
