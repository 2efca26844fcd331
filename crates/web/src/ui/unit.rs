//! The unit orderer's start page ("Beställ till enheten"): basic equipment
//! for the unit, or stock for its buffer store, put in the cart like any
//! line (the cart places the order). The replacement chain's proposal is
//! answered with Acceptera/Avböj as two submit buttons of one form.

use super::desk::log_if_internal;
use super::form::Field;
use super::page::{render, Page};
use crate::extract::{CsrfForm, CsrfToken, RequestId, UiUser};
use crate::i18n::Lang;
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use ramp_app::model::User;
use ramp_app::orders::{LineRequest, RefusalReason};
use ramp_app::AppError;
use ramp_domain::order::{OrderTarget, ReplacementAnswer};
use ramp_domain::Term;
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct UnitForm {
    #[serde(default)]
    target: String,
    #[serde(default)]
    article_number: String,
    #[serde(default)]
    quantity: String,
    #[serde(default)]
    replacement: String,
}

/// The proposal to answer: article number, name, how many in stock.
pub struct Proposal {
    pub article_number: String,
    pub article_name: String,
    pub in_stock: i64,
}

#[derive(Template)]
#[template(path = "unit_order.html")]
struct UnitTemplate {
    page: Page,
    buffer: bool,
    fields: Vec<Field>,
    article_number: String,
    quantity: String,
    proposal: Option<Proposal>,
}

fn page_for(lang: Lang, csrf: &str, user: &User, f: &UnitForm, failed: Option<AppError>) -> (UnitTemplate, StatusCode) {
    let mut page = Page::new(lang, "unit.title", Some(user), csrf, "unit");
    let mut status = StatusCode::OK;
    let mut proposal = None;
    if let Some(e) = failed {
        log_if_internal(&e);
        status = crate::error::status_of(e.kind);
        if let Some(RefusalReason::ReplacementAnswerRequired { proposal: p }) = e.refusal.as_ref().map(|r| &r.reason) {
            proposal = Some(Proposal {
                article_number: p.article_number.clone(),
                article_name: p.article_name.clone(),
                in_stock: p.in_stock,
            });
        } else {
            page.add_error(&e);
        }
    }
    let fields = vec![
        Field::new(&page, "article_number", lang.t("desk.article_number"), &f.article_number)
            .required()
            .max(40)
            .hint(lang.t("unit.article_hint")),
        Field::new(&page, "quantity", lang.t("desk.quantity"), &f.quantity)
            .kind("number")
            .hint(lang.t("unit.quantity_hint")),
    ];
    let t = UnitTemplate {
        page,
        buffer: f.target == "buffer",
        fields,
        article_number: f.article_number.clone(),
        quantity: f.quantity.clone(),
        proposal,
    };
    (t, status)
}

pub async fn form(lang: Lang, CsrfToken(csrf): CsrfToken, UiUser(user): UiUser) -> Response {
    let (t, status) = page_for(lang, &csrf, &user, &UnitForm::default(), None);
    render(&t, status)
}

pub async fn add(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    RequestId(rid): RequestId,
    CsrfForm(f): CsrfForm<UnitForm>,
) -> Response {
    let added = {
        let target = if f.target == "buffer" { OrderTarget::Buffer } else { OrderTarget::Unit };
        let quantity = match f.quantity.trim() {
            "" => None,
            q => Some(q.parse().unwrap_or(0)),
        };
        let req = LineRequest {
            target: Some(target),
            article_number: f.article_number.clone(),
            quantity,
            replacement: ReplacementAnswer::parse(&f.replacement).ok(),
            ..LineRequest::default()
        };
        ramp_app::orders::add_to_cart(&state.app, &user, &req, Some(&rid)).await.map(|_| ())
    };
    match added {
        Ok(()) => Redirect::to("/cart").into_response(),
        Err(e) => {
            let (t, status) = page_for(lang, &csrf, &user, &f, Some(e));
            render(&t, status)
        }
    }
}
