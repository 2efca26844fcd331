//! Catalog articles: search, the form for a new one, and one article's
//! page to edit it and retire it (its last day in the assortment).

use super::widgets::*;
use super::{caller, failed, Done};
use crate::extract::{CsrfForm, CsrfToken, RequestId, UiUser};
use crate::i18n::Lang;
use crate::ui::form::{kronor_to_ore, Field};
use crate::ui::page::{error_page, render, sek, Page};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use ramp_app::admin::{self as uc, ArticleInput};
use ramp_app::dates::parse_optional_date;
use ramp_app::model::{Article, User};
use ramp_app::AppError;
use ramp_domain::admin::AdminEntity;
use ramp_domain::article::{ArticleKind, Billing, LeadTimeClass};
use ramp_domain::Term;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct SearchParams {
    #[serde(default)]
    q: String,
    #[serde(default)]
    done: Option<String>,
}

pub struct ArticleRow {
    number: String,
    name: String,
    iso: String,
    supplier: String,
    valid_to: String,
}

#[derive(Template)]
#[template(path = "admin_articles.html")]
struct ListTemplate {
    page: Page,
    notice: Option<&'static str>,
    q: String,
    searched: bool,
    rows: Vec<ArticleRow>,
}

pub async fn list(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    RequestId(rid): RequestId,
    Query(p): Query<SearchParams>,
) -> Response {
    if let Err(e) = uc::require_admin(&state.app, caller(&user, &rid), AdminEntity::Article, "list").await {
        return error_page(lang, e);
    }
    let mut page = Page::new(lang, "admin.articles", Some(&user), &csrf, "admin");
    let searched = !p.q.trim().is_empty();
    let mut status = StatusCode::OK;
    let rows = if searched {
        match ramp_app::catalog::search(&state.app, &user, &p.q, 100).await {
            Ok(hits) => hits
                .iter()
                .map(|h| ArticleRow {
                    number: h.article.article_number.clone(),
                    name: h.article.name.clone(),
                    iso: page.iso(h.article.iso_code.as_str()),
                    supplier: h.article.supplier_name.clone(),
                    valid_to: h.article.valid_to.map(|d| page.date(&d)).unwrap_or_else(|| "–".into()),
                })
                .collect(),
            Err(e) => {
                status = failed(&mut page, &e);
                vec![]
            }
        }
    } else {
        vec![]
    };
    let notice = Done { done: p.done }.notice(lang);
    render(&ListTemplate { page, notice, q: p.q, searched, rows }, status)
}

#[derive(Template)]
#[template(path = "admin_article.html")]
struct FormTemplate {
    page: Page,
    notice: Option<&'static str>,
    /// The article edited; `None` for a new one.
    number: Option<String>,
    fields: Vec<Field>,
    selects: Vec<Select>,
    reconditionable: bool,
    retire: Field,
}

/// The stored article as the form's values.
fn values_of(a: &Article) -> Pairs {
    let mut v: Pairs = vec![
        ("article_number".into(), a.article_number.clone()),
        ("name".into(), a.name.clone()),
        ("iso_code".into(), a.iso_code.display()),
        ("gtin".into(), a.gtin.clone().unwrap_or_default()),
        ("supplier".into(), a.supplier_name.clone()),
        ("purchase_price".into(), sek(&a.purchase_price_ore)),
        ("monthly_rent".into(), sek(&a.monthly_rent_ore)),
        ("kind".into(), a.kind.as_str().into()),
        ("billing".into(), a.billing.as_str().into()),
        ("lead_time_class".into(), a.lead_time_class.as_str().into()),
        ("service_life_months".into(), a.service_life_months.to_string()),
        ("product_area".into(), a.product_area.clone()),
        ("valid_from".into(), a.valid_from.format("%Y-%m-%d").to_string()),
        ("valid_to".into(), a.valid_to.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default()),
    ];
    if a.reconditionable {
        v.push(("reconditionable".into(), "on".into()));
    }
    v
}

fn options<T: Term>(name: impl Fn(T) -> &'static str) -> Vec<(String, String)> {
    T::ALL.iter().map(|v| (v.as_str().to_string(), name(*v).to_string())).collect()
}

#[allow(clippy::too_many_arguments)] // the page, and the form that failed on it
async fn form_page(
    state: &AppState,
    lang: Lang,
    csrf: &str,
    user: &User,
    rid: &str,
    number: Option<String>,
    notice: Option<&'static str>,
    failed_with: Option<(AppError, &Pairs)>,
) -> Response {
    let c = caller(user, rid);
    let reference = match uc::reference(&state.app, c).await {
        Ok(r) => r,
        Err(e) => return error_page(lang, e),
    };
    let stored = match &number {
        Some(n) => match uc::article(&state.app, c, n).await {
            Ok(a) => values_of(&a),
            Err(e) => return error_page(lang, e),
        },
        None => vec![("service_life_months".into(), "96".into()), ("reconditionable".into(), "on".into())],
    };
    let mut page = Page::new(
        lang,
        if number.is_some() { "admin.article" } else { "admin.new_article" },
        Some(user),
        csrf,
        "admin",
    );
    if let Some(n) = &number {
        page.title = format!("{} {n}", lang.t("admin.article"));
    }
    let (status, f) = match failed_with {
        Some((e, f)) => (failed(&mut page, &e), f),
        None => (StatusCode::OK, &stored),
    };
    let t = |k: &str| lang.t(k);
    let v = |name: &str| one(f, name);
    let mut fields = vec![];
    if number.is_none() {
        fields.push(
            Field::new(&page, "article_number", t("col.article_number"), &v("article_number")).required().max(20),
        );
    }
    fields.extend([
        Field::new(&page, "name", t("col.name"), &v("name")).required(),
        Field::new(&page, "iso_code", t("admin.iso_code"), &v("iso_code")).required().max(12).hint(t("cost.iso_hint")),
        Field::new(&page, "gtin", t("admin.gtin"), &v("gtin")).max(14),
        Field::new(&page, "supplier", t("col.supplier"), &v("supplier")).required(),
        Field::new(&page, "purchase_price", t("admin.purchase_price"), &v("purchase_price")).required().max(20),
        Field::new(&page, "monthly_rent", t("admin.monthly_rent"), &v("monthly_rent")).max(20),
        Field::new(&page, "service_life_months", t("admin.service_life"), &v("service_life_months"))
            .kind("number")
            .required(),
        Field::new(&page, "valid_from", t("admin.valid_from"), &v("valid_from"))
            .kind("date")
            .hint(t("admin.valid_from_hint")),
        Field::new(&page, "valid_to", t("admin.article_valid_to"), &v("valid_to")).kind("date"),
    ]);
    let areas = reference
        .product_areas
        .iter()
        .map(|a| (a.code.clone(), if lang == Lang::Sv { a.name_sv.clone() } else { a.name_en.clone() }))
        .collect();
    let sv = lang == Lang::Sv;
    let selects = vec![
        Select::new(
            &page,
            "kind",
            t("col.kind"),
            options(|k: ArticleKind| if sv { k.name_sv() } else { k.name_en() }),
            &v("kind"),
        ),
        Select::new(
            &page,
            "billing",
            t("admin.billing"),
            options(|b: Billing| if sv { b.name_sv() } else { b.name_en() }),
            &v("billing"),
        ),
        Select::new(
            &page,
            "lead_time_class",
            t("admin.lead_time"),
            options(|l: LeadTimeClass| if sv { l.name_sv() } else { l.name_en() }),
            &v("lead_time_class"),
        ),
        Select::new(&page, "product_area", t("admin.product_area"), areas, &v("product_area")),
    ];
    let retire = Field::new(&page, "retire_on", t("admin.retire_on"), &one(f, "retire_on")).kind("date").required();
    let reconditionable = !v("reconditionable").is_empty();
    let notice = if status == StatusCode::OK { notice } else { None };
    render(&FormTemplate { page, notice, number, fields, selects, reconditionable, retire }, status)
}

pub async fn new_form(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    RequestId(rid): RequestId,
) -> Response {
    form_page(&state, lang, &csrf, &user, &rid, None, None, None).await
}

pub async fn show(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    RequestId(rid): RequestId,
    Path(number): Path<String>,
    Query(done): Query<Done>,
) -> Response {
    form_page(&state, lang, &csrf, &user, &rid, Some(number), done.notice(lang), None).await
}

fn money(f: &Pairs, name: &str, required: bool) -> Result<i64, AppError> {
    let typed = one(f, name);
    if typed.is_empty() && !required {
        return Ok(0);
    }
    kronor_to_ore(&typed).ok_or_else(|| AppError::invalid(name, "invalid_amount", "an amount in kronor"))
}

fn input(f: &Pairs) -> Result<ArticleInput, AppError> {
    Ok(ArticleInput {
        article_number: one(f, "article_number"),
        iso_code: one(f, "iso_code"),
        gtin: Some(one(f, "gtin")),
        name: one(f, "name"),
        supplier: one(f, "supplier"),
        purchase_price_ore: money(f, "purchase_price", true)?,
        monthly_rent_ore: money(f, "monthly_rent", false)?,
        kind: one(f, "kind"),
        billing: one(f, "billing"),
        lead_time_class: one(f, "lead_time_class"),
        service_life_months: one(f, "service_life_months")
            .parse()
            .map_err(|_| AppError::invalid("service_life_months", "invalid_service_life", "1 to 600 months"))?,
        reconditionable: !one(f, "reconditionable").is_empty(),
        product_area: one(f, "product_area"),
        valid_from: parse_optional_date("valid_from", Some(&one(f, "valid_from")), "2026-01-01")?,
        valid_to: parse_optional_date("valid_to", Some(&one(f, "valid_to")), "2029-12-31")?,
        // The form does not edit the product page's details (the API does): kept as stored.
        technical_data: None,
        handbook_text: None,
    })
}

/// The use-case's field names as the form's (prices are typed in kronor).
fn form_field(mut e: AppError) -> AppError {
    e.field = e.field.map(|f| match f.as_str() {
        "purchase_price_ore" => "purchase_price".into(),
        "monthly_rent_ore" => "monthly_rent".into(),
        _ => f,
    });
    e
}

pub async fn create(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    RequestId(rid): RequestId,
    CsrfForm(f): CsrfForm<Pairs>,
) -> Response {
    let done = match input(&f) {
        Ok(i) => uc::create_article(&state.app, caller(&user, &rid), &i).await.map(|_| i.article_number),
        Err(e) => Err(e),
    };
    match done {
        Ok(n) => Redirect::to(&format!("/admin/articles/{}?done=1", crate::ui::url_encode(&n.to_uppercase())))
            .into_response(),
        Err(e) => form_page(&state, lang, &csrf, &user, &rid, None, None, Some((form_field(e), &f))).await,
    }
}

pub async fn edit(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    RequestId(rid): RequestId,
    Path(number): Path<String>,
    CsrfForm(f): CsrfForm<Pairs>,
) -> Response {
    let done = match input(&f) {
        Ok(i) => uc::edit_article(&state.app, caller(&user, &rid), &number, &i).await,
        Err(e) => Err(e),
    };
    match done {
        Ok(()) => Redirect::to(&format!("/admin/articles/{}?done=1", crate::ui::url_encode(&number))).into_response(),
        Err(e) => form_page(&state, lang, &csrf, &user, &rid, Some(number), None, Some((form_field(e), &f))).await,
    }
}

pub async fn retire(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    RequestId(rid): RequestId,
    Path(number): Path<String>,
    CsrfForm(f): CsrfForm<Pairs>,
) -> Response {
    let done = match ramp_app::dates::parse_date("retire_on", &one(&f, "retire_on"), "2027-12-31") {
        Ok(day) => uc::retire_article(&state.app, caller(&user, &rid), &number, day).await.map_err(|e| {
            if e.field.as_deref() == Some("valid_to") {
                e.with_field("retire_on")
            } else {
                e
            }
        }),
        Err(e) => Err(e),
    };
    match done {
        Ok(()) => Redirect::to(&format!("/admin/articles/{}?done=1", crate::ui::url_encode(&number))).into_response(),
        Err(e) => {
            // The edit form shows the stored values; only the retire field keeps what was typed.
            let mut stored = match uc::article(&state.app, caller(&user, &rid), &number).await {
                Ok(a) => values_of(&a),
                Err(e) => return error_page(lang, e),
            };
            stored.push(("retire_on".into(), one(&f, "retire_on")));
            form_page(&state, lang, &csrf, &user, &rid, Some(number), None, Some((e, &stored))).await
        }
    }
}

pub async fn back(Path(number): Path<String>) -> Redirect {
    Redirect::to(&format!("/admin/articles/{}", crate::ui::url_encode(&number)))
}
