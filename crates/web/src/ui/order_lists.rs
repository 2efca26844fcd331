//! The unit orderer's pages: the unit's saved order lists (list, create,
//! edit, delete), the order with quantities and prices (empty, or filled
//! from a list) and its confirmation with the totals. The editor itself is
//! `unit_form.rs`; each handler calls one use-case for what it saves.

use super::page::{error_page, render, sek, Page};
use super::unit_form::{self, price, BudgetView, Focus, LinesForm, Shown, Target};
use crate::extract::{CsrfForm, CsrfToken, RequestId, UiUser};
use crate::i18n::Lang;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use ramp_app::model::{OrderList, User};
use ramp_app::order_lists::{self, ListInput};
use ramp_app::orders::OrderRequest;
use ramp_app::unit_orders;
use ramp_domain::order::OrderTarget;
use serde::Deserialize;

type Pairs = Vec<(String, String)>;

#[derive(Template)]
#[template(path = "order_lists.html")]
struct ListsTemplate {
    page: Page,
    lists: Vec<OrderList>,
    notice: Option<&'static str>,
}

#[derive(Deserialize, Default)]
pub struct ListsParams {
    #[serde(default)]
    done: String,
}

/// `GET /order-lists`: the unit's lists.
pub async fn lists(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    Query(p): Query<ListsParams>,
) -> Response {
    match order_lists::lists(&state.app, &user).await {
        Ok(lists) => {
            let page = Page::new(lang, "ulist.title", Some(&user), &csrf, "unit");
            let notice = match p.done.as_str() {
                "saved" => Some("ulist.saved"),
                "deleted" => Some("ulist.deleted"),
                _ => None,
            };
            render(&ListsTemplate { page, lists, notice }, StatusCode::OK)
        }
        Err(e) => error_page(lang, e),
    }
}

/// Runs the editor's own steps (add, remove, search) and prices the lines.
async fn step(state: &AppState, user: &User, f: &mut LinesForm) -> Shown {
    let mut focus = f.apply_edit();
    let mut errors = vec![];
    let mut hits = None;
    if f.action == "search" && !f.q.trim().is_empty() {
        match unit_orders::search(&state.app, user, &f.q).await {
            Ok(h) => {
                hits = Some(h);
                focus = Focus::Hits;
            }
            Err(e) => errors.push(e),
        }
    }
    let quote = match f.lines.is_empty() {
        true => None,
        false => match unit_orders::quote(&state.app, user, &f.inputs()).await {
            Ok(q) => Some(q),
            Err(e) => {
                errors.push(e);
                None
            }
        },
    };
    Shown { hits, quote, errors, focus }
}

fn list_target(id: Option<i64>) -> Target {
    Target {
        action: id.map_or_else(|| "/order-lists/new".to_string(), |id| format!("/order-lists/{id}")),
        is_list: true,
        heading: if id.is_some() { "ulist.edit" } else { "ulist.new" },
        intro: "ulist.editor_intro",
        from_list: None,
    }
}

fn order_target(from_list: Option<String>) -> Target {
    Target {
        action: "/unit-order/lines".into(),
        is_list: false,
        heading: "uorder.title",
        intro: "uorder.intro",
        from_list,
    }
}

fn form_of(list: &OrderList) -> LinesForm {
    LinesForm {
        name: list.name.clone(),
        lines: list.lines.iter().map(|l| (l.article.article_number.clone(), l.quantity.to_string())).collect(),
        ..LinesForm::default()
    }
}

/// `GET /order-lists/new`.
pub async fn new_list(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
) -> Response {
    if let Err(e) = order_lists::lists(&state.app, &user).await {
        return error_page(lang, e);
    }
    let shown = Shown { hits: None, quote: None, errors: vec![], focus: Focus::None };
    unit_form::page(lang, &csrf, &user, &LinesForm::default(), shown, list_target(None))
}

/// `GET /order-lists/{id}`: the list in the editor.
pub async fn edit_list(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    Path(id): Path<i64>,
) -> Response {
    let mut f = match order_lists::list(&state.app, &user, id).await {
        Ok(list) => form_of(&list),
        Err(e) => return error_page(lang, e),
    };
    let shown = step(&state, &user, &mut f).await;
    unit_form::page(lang, &csrf, &user, &f, shown, list_target(Some(id)))
}

/// `POST /order-lists/new` and `POST /order-lists/{id}`: an editor step, or saving.
pub async fn post_list(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    id: Option<Path<i64>>,
    CsrfForm(pairs): CsrfForm<Pairs>,
) -> Response {
    let id = id.map(|Path(id)| id);
    let mut f = LinesForm::from_pairs(pairs);
    let mut shown = step(&state, &user, &mut f).await;
    if f.action == "save" && shown.errors.is_empty() {
        let input = ListInput { name: f.name.clone(), lines: f.inputs() };
        let saved = match id {
            Some(id) => order_lists::update(&state.app, &user, id, &input).await,
            None => order_lists::create(&state.app, &user, &input).await,
        };
        match saved {
            Ok(_) => return Redirect::to("/order-lists?done=saved").into_response(),
            Err(e) => shown.errors.push(e),
        }
    }
    unit_form::page(lang, &csrf, &user, &f, shown, list_target(id))
}

/// `POST /order-lists/{id}/delete`.
pub async fn delete_list(
    State(state): State<AppState>,
    lang: Lang,
    UiUser(user): UiUser,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<Pairs>,
) -> Response {
    match order_lists::delete(&state.app, &user, id).await {
        Ok(()) => Redirect::to("/order-lists?done=deleted").into_response(),
        Err(e) => error_page(lang, e),
    }
}

#[derive(Deserialize, Default)]
pub struct OrderParams {
    list: Option<i64>,
}

/// `GET /unit-order/lines[?list=id]`: the order form, empty or filled from a list.
pub async fn order_form(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    Query(p): Query<OrderParams>,
) -> Response {
    let (mut f, from) = match p.list {
        Some(id) => match order_lists::list(&state.app, &user, id).await {
            Ok(list) => (LinesForm { name: String::new(), ..form_of(&list) }, Some(list.name)),
            Err(e) => return error_page(lang, e),
        },
        None => match order_lists::lists(&state.app, &user).await {
            Ok(_) => (LinesForm::default(), None),
            Err(e) => return error_page(lang, e),
        },
    };
    let shown = step(&state, &user, &mut f).await;
    unit_form::page(lang, &csrf, &user, &f, shown, order_target(from))
}

/// `POST /unit-order/lines`: an editor step, or placing the order.
pub async fn post_order(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    RequestId(rid): RequestId,
    CsrfForm(pairs): CsrfForm<Pairs>,
) -> Response {
    let mut f = LinesForm::from_pairs(pairs);
    let mut shown = step(&state, &user, &mut f).await;
    if f.action == "order" && shown.errors.is_empty() {
        match place(&state, &user, &f, &rid).await {
            Ok(id) => return Redirect::to(&format!("/unit-order/placed/{id}")).into_response(),
            Err(e) => shown.errors.push(e),
        }
    }
    unit_form::page(lang, &csrf, &user, &f, shown, order_target(None))
}

async fn place(state: &AppState, user: &User, f: &LinesForm, rid: &str) -> Result<i64, ramp_app::AppError> {
    if f.lines.is_empty() {
        return Err(ramp_app::AppError::invalid("lines", "no_lines", "add at least one article"));
    }
    let lines = f
        .inputs()
        .into_iter()
        .map(|l| ramp_app::orders::LineRequest {
            article_number: l.article_number,
            quantity: l.quantity,
            ..Default::default()
        })
        .collect();
    let req = OrderRequest {
        target: Some(OrderTarget::Unit),
        lines: Some(lines),
        channel: Some(ramp_domain::order::OrderChannel::Portal),
        ..OrderRequest::default()
    };
    let placed = ramp_app::orders::place_order(&state.app, user, &req, None, Some(rid)).await?;
    Ok(placed.order.id)
}

/// A line of the confirmation.
struct PlacedLine {
    article_number: String,
    name: String,
    quantity: i32,
    price: String,
    total: String,
}

#[derive(Template)]
#[template(path = "unit_placed.html")]
struct PlacedTemplate {
    page: Page,
    order_id: i64,
    unit: String,
    lines: Vec<PlacedLine>,
    rent: Option<String>,
    purchase: Option<String>,
    budget: BudgetView,
}

/// `GET /unit-order/placed/{id}`: the confirmation, with the totals and the budget.
pub async fn placed(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    RequestId(rid): RequestId,
    Path(id): Path<i64>,
) -> Response {
    let (order, q) = match unit_orders::placed(&state.app, &user, id, Some(&rid)).await {
        Ok(x) => x,
        Err(e) => return error_page(lang, e),
    };
    let lines = q
        .lines
        .iter()
        .map(|l| PlacedLine {
            article_number: l.article.article_number.clone(),
            name: l.article.name.clone(),
            quantity: l.quantity,
            price: price(lang, l.unit_price.0, l.article.billing),
            total: price(lang, l.line_total.0, l.article.billing),
        })
        .collect();
    let t = PlacedTemplate {
        page: Page::new(lang, "uorder.placed_title", Some(&user), &csrf, "unit"),
        order_id: order.id,
        unit: q.unit_name.clone(),
        lines,
        rent: q.lines.iter().any(|l| l.monthly).then(|| sek(&q.rent_per_month.0)),
        purchase: q.lines.iter().any(|l| !l.monthly).then(|| sek(&q.purchase.0)),
        budget: BudgetView::from(&q.budget),
    };
    render(&t, StatusCode::OK)
}
