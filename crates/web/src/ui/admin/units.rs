//! Units: the list with the form for a new one, and one unit's page to
//! edit it and deactivate or reactivate it.

use super::widgets::*;
use super::{caller, failed, Done};
use crate::extract::{CsrfForm, CsrfToken, RequestId, UiUser};
use crate::i18n::Lang;
use crate::ui::form::Field;
use crate::ui::page::{error_page, render, Page};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use ramp_app::admin::{self as uc, Reference};
use ramp_app::model::User;
use ramp_app::AppError;

pub struct UnitRow {
    id: i64,
    name: String,
    hsa_id: String,
    kind: String,
    principal: String,
    status: &'static str,
}

#[derive(Template)]
#[template(path = "admin_units.html")]
struct ListTemplate {
    page: Page,
    notice: Option<&'static str>,
    rows: Vec<UnitRow>,
    fields: Vec<Field>,
    principal: Select,
    kind: Select,
    customer_number: Select,
}

async fn reference(state: &AppState, lang: Lang, user: &User, rid: &str) -> Result<Reference, Response> {
    uc::reference(&state.app, caller(user, rid)).await.map_err(|e| error_page(lang, e))
}

async fn list_page(
    state: &AppState,
    lang: Lang,
    csrf: &str,
    user: &User,
    rid: &str,
    notice: Option<&'static str>,
    failed_with: Option<(AppError, &Pairs)>,
) -> Response {
    let reference = match reference(state, lang, user, rid).await {
        Ok(r) => r,
        Err(resp) => return resp,
    };
    let mut page = Page::new(lang, "admin.units", Some(user), csrf, "admin");
    let empty = Pairs::new();
    let (status, f) = match failed_with {
        Some((e, f)) => (failed(&mut page, &e), f),
        None => (StatusCode::OK, &empty),
    };
    let rows = reference
        .units
        .iter()
        .map(|u| UnitRow {
            id: u.id,
            name: u.name.clone(),
            hsa_id: u.hsa_id.clone(),
            kind: unit_kind_name(lang, &u.kind),
            principal: reference.principal_name(u.principal_id).unwrap_or("–").to_string(),
            status: lang.t(if u.active { "admin.active" } else { "admin.inactive" }),
        })
        .collect();
    let t = |k: &str| lang.t(k);
    let fields = vec![
        Field::new(&page, "name", t("admin.unit_name"), &one(f, "name")).required(),
        Field::new(&page, "hsa_id", t("admin.hsa_id"), &one(f, "hsa_id"))
            .required()
            .max(32)
            .hint(t("admin.hsa_id_hint")),
    ];
    let principal = Select::new(
        &page,
        "principal_id",
        t("admin.principal"),
        principal_options(&reference),
        &one(f, "principal_id"),
    );
    let kind = Select::new(&page, "kind", t("admin.unit_kind"), unit_kinds(lang), &one(f, "kind"));
    let customer_number = Select::new(
        &page,
        "customer_number_id",
        t("admin.customer_number"),
        customer_number_options(&reference, None),
        &one(f, "customer_number_id"),
    );
    render(&ListTemplate { page, notice, rows, fields, principal, kind, customer_number }, status)
}

pub async fn list(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    RequestId(rid): RequestId,
    Query(done): Query<Done>,
) -> Response {
    list_page(&state, lang, &csrf, &user, &rid, done.notice(lang), None).await
}

fn input(f: &Pairs, with_origin: bool) -> Result<uc::UnitInput, AppError> {
    Ok(uc::UnitInput {
        principal_id: if with_origin { id_of(f, "principal_id")? } else { 0 },
        hsa_id: one(f, "hsa_id"),
        name: one(f, "name"),
        kind: one(f, "kind"),
        customer_number_id: id_of(f, "customer_number_id")?,
        delivery_route: has(f, "delivery_route").then(|| one(f, "delivery_route")),
        address: has(f, "street").then(|| uc::AddressInput {
            street: one(f, "street"),
            postal_code: one(f, "postal_code"),
            city: one(f, "city"),
        }),
    })
}

/// Whether the form carried the field at all (a form without it keeps the value).
fn has(f: &Pairs, key: &str) -> bool {
    f.iter().any(|(k, _)| k == key)
}

pub async fn create(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    RequestId(rid): RequestId,
    CsrfForm(f): CsrfForm<Pairs>,
) -> Response {
    let done = match input(&f, true) {
        Ok(i) => uc::create_unit(&state.app, caller(&user, &rid), &i).await,
        Err(e) => Err(e),
    };
    match done {
        Ok(id) => Redirect::to(&format!("/admin/units/{id}?done=1")).into_response(),
        Err(e) => list_page(&state, lang, &csrf, &user, &rid, None, Some((e, &f))).await,
    }
}

#[derive(Template)]
#[template(path = "admin_unit.html")]
struct UnitTemplate {
    page: Page,
    notice: Option<&'static str>,
    id: i64,
    hsa_id: String,
    principal: String,
    active: bool,
    fields: Vec<Field>,
    kind: Select,
    customer_number: Select,
}

#[allow(clippy::too_many_arguments)] // the page, and the form that failed on it
async fn unit_page(
    state: &AppState,
    lang: Lang,
    csrf: &str,
    user: &User,
    rid: &str,
    id: i64,
    notice: Option<&'static str>,
    failed_with: Option<(AppError, &Pairs)>,
) -> Response {
    let reference = match reference(state, lang, user, rid).await {
        Ok(r) => r,
        Err(resp) => return resp,
    };
    let Some(unit) = reference.units.iter().find(|u| u.id == id).cloned() else {
        return error_page(lang, AppError::not_found(None, "unit_not_found", "no such unit"));
    };
    let mut page = Page::new(lang, "admin.unit", Some(user), csrf, "admin");
    page.title = format!("{} – {}", unit.name, lang.t("admin.unit"));
    let stored: Pairs = vec![
        ("name".into(), unit.name.clone()),
        ("kind".into(), unit.kind.clone()),
        ("customer_number_id".into(), unit.customer_number_id.to_string()),
        ("delivery_route".into(), unit.delivery_route.clone().unwrap_or_default()),
        ("street".into(), unit.address.as_ref().map(|a| a.street.clone()).unwrap_or_default()),
        ("postal_code".into(), unit.address.as_ref().map(|a| a.postal_code.clone()).unwrap_or_default()),
        ("city".into(), unit.address.as_ref().map(|a| a.city.clone()).unwrap_or_default()),
    ];
    let (status, f) = match failed_with {
        Some((e, f)) => (failed(&mut page, &e), f),
        None => (StatusCode::OK, &stored),
    };
    let fields = vec![
        Field::new(&page, "name", lang.t("admin.unit_name"), &one(f, "name")).required(),
        Field::new(&page, "delivery_route", lang.t("admin.delivery_route"), &one(f, "delivery_route"))
            .max(100)
            .hint(lang.t("admin.delivery_route_hint")),
        Field::new(&page, "street", lang.t("admin.street"), &one(f, "street")),
        Field::new(&page, "postal_code", lang.t("admin.postal_code"), &one(f, "postal_code")).max(6),
        Field::new(&page, "city", lang.t("admin.city"), &one(f, "city")).max(100),
    ];
    let kind = Select::new(&page, "kind", lang.t("admin.unit_kind"), unit_kinds(lang), &one(f, "kind"));
    let customer_number = Select::new(
        &page,
        "customer_number_id",
        lang.t("admin.customer_number"),
        customer_number_options(&reference, Some(unit.principal_id)),
        &one(f, "customer_number_id"),
    );
    let t = UnitTemplate {
        notice: if status == StatusCode::OK { notice } else { None },
        id,
        hsa_id: unit.hsa_id.clone(),
        principal: reference.principal_name(unit.principal_id).unwrap_or("–").to_string(),
        active: unit.active,
        fields,
        kind,
        customer_number,
        page,
    };
    render(&t, status)
}

pub async fn show(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    RequestId(rid): RequestId,
    Path(id): Path<i64>,
    Query(done): Query<Done>,
) -> Response {
    unit_page(&state, lang, &csrf, &user, &rid, id, done.notice(lang), None).await
}

pub async fn edit(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    RequestId(rid): RequestId,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<Pairs>,
) -> Response {
    let done = match input(&f, false) {
        Ok(i) => uc::edit_unit(&state.app, caller(&user, &rid), id, &i).await,
        Err(e) => Err(e),
    };
    match done {
        Ok(()) => Redirect::to(&format!("/admin/units/{id}?done=1")).into_response(),
        Err(e) => unit_page(&state, lang, &csrf, &user, &rid, id, None, Some((e, &f))).await,
    }
}

/// `deactivate` or `reactivate`.
pub async fn set_active(
    State(state): State<AppState>,
    lang: Lang,
    UiUser(user): UiUser,
    RequestId(rid): RequestId,
    Path((id, action)): Path<(i64, String)>,
    CsrfForm(_): CsrfForm<Pairs>,
) -> Response {
    let c = caller(&user, &rid);
    let done = match action.as_str() {
        "deactivate" => uc::deactivate_unit(&state.app, c, id).await,
        "reactivate" => uc::reactivate_unit(&state.app, c, id).await,
        _ => Err(AppError::not_found(None, "page_not_found", "no such page")),
    };
    match done {
        Ok(()) => Redirect::to(&format!("/admin/units/{id}?done=1")).into_response(),
        Err(e) => error_page(lang, e),
    }
}
