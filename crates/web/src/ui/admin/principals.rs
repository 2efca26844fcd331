//! Principals: the list with the form for a new one, and one principal's
//! page to rename it and add and rename its customer numbers.

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
use ramp_app::admin::{self as uc, PrincipalWithNumbers};
use ramp_app::model::User;
use ramp_app::AppError;

pub struct PrincipalRow {
    id: i64,
    code: String,
    name: String,
    kind: &'static str,
    numbers: String,
}

#[derive(Template)]
#[template(path = "admin_principals.html")]
struct ListTemplate {
    page: Page,
    notice: Option<&'static str>,
    rows: Vec<PrincipalRow>,
    fields: Vec<Field>,
    kind: Select,
}

async fn principals(
    state: &AppState,
    lang: Lang,
    user: &User,
    rid: &str,
) -> Result<Vec<PrincipalWithNumbers>, Response> {
    uc::list_principals(&state.app, caller(user, rid)).await.map_err(|e| error_page(lang, e))
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
    let list = match principals(state, lang, user, rid).await {
        Ok(l) => l,
        Err(resp) => return resp,
    };
    let mut page = Page::new(lang, "admin.principals", Some(user), csrf, "admin");
    let empty = Pairs::new();
    let (status, f) = match failed_with {
        Some((e, f)) => (failed(&mut page, &e), f),
        None => (StatusCode::OK, &empty),
    };
    let rows = list
        .iter()
        .map(|p| PrincipalRow {
            id: p.principal.id,
            code: p.principal.code.clone(),
            name: p.principal.name.clone(),
            kind: principal_kind_name(lang, &p.principal.kind),
            numbers: p.customer_numbers.iter().map(|c| c.number.as_str()).collect::<Vec<_>>().join(", "),
        })
        .collect();
    let t = |k: &str| lang.t(k);
    let fields = vec![
        Field::new(&page, "code", t("admin.principal_code"), &one(f, "code"))
            .required()
            .max(20)
            .hint(t("admin.principal_code_hint")),
        Field::new(&page, "name", t("admin.principal_name"), &one(f, "name")).required(),
    ];
    let kinds = vec![
        ("municipality".to_string(), t("admin.kind.municipality").to_string()),
        ("region".to_string(), t("admin.kind.region").to_string()),
    ];
    let kind = Select::new(&page, "kind", t("admin.principal_kind"), kinds, &one(f, "kind"));
    render(&ListTemplate { page, notice, rows, fields, kind }, status)
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

pub async fn create(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    RequestId(rid): RequestId,
    CsrfForm(f): CsrfForm<Pairs>,
) -> Response {
    let input = uc::PrincipalInput { code: one(&f, "code"), name: one(&f, "name"), kind: one(&f, "kind") };
    match uc::create_principal(&state.app, caller(&user, &rid), &input).await {
        Ok(id) => Redirect::to(&format!("/admin/principals/{id}?done=1")).into_response(),
        Err(e) => list_page(&state, lang, &csrf, &user, &rid, None, Some((e, &f))).await,
    }
}

/// A customer number's rename form.
pub struct NumberRow {
    id: i64,
    number: String,
    field: Field,
}

#[derive(Template)]
#[template(path = "admin_principal.html")]
struct PrincipalTemplate {
    page: Page,
    notice: Option<&'static str>,
    id: i64,
    code: String,
    kind: &'static str,
    name: Field,
    /// The agreement on basic equipment (municipalities only).
    basic_equipment: Option<Field>,
    numbers: Vec<NumberRow>,
    new_number: Vec<Field>,
}

#[allow(clippy::too_many_arguments)] // the page, and the form that failed on it
async fn principal_page(
    state: &AppState,
    lang: Lang,
    csrf: &str,
    user: &User,
    rid: &str,
    id: i64,
    notice: Option<&'static str>,
    failed_with: Option<(AppError, &Pairs)>,
) -> Response {
    let list = match principals(state, lang, user, rid).await {
        Ok(l) => l,
        Err(resp) => return resp,
    };
    let Some(p) = list.into_iter().find(|p| p.principal.id == id) else {
        return error_page(lang, AppError::not_found(None, "principal_not_found", "no such principal"));
    };
    let mut page = Page::new(lang, "admin.principal", Some(user), csrf, "admin");
    page.title = format!("{} – {}", p.principal.name, lang.t("admin.principal"));
    let empty = Pairs::new();
    let (status, f) = match failed_with {
        Some((e, f)) => (failed(&mut page, &e), f),
        None => (StatusCode::OK, &empty),
    };
    let failed_form = one(f, "form");
    let value =
        |form: &str, name: &str, stored: &str| if failed_form == form { one(f, name) } else { stored.to_string() };
    let t = |k: &str| lang.t(k);
    let name =
        Field::new(&page, "name", t("admin.principal_name"), &value("rename", "name", &p.principal.name)).required();
    let since = p.principal.basic_equipment_since.map(|d| d.to_string()).unwrap_or_default();
    let basic_equipment = (p.principal.kind == "municipality").then(|| {
        Field::new(
            &page,
            "basic_equipment_since",
            t("admin.basic_equipment_since"),
            &value("basic", "basic_equipment_since", &since),
        )
        .kind("date")
        .hint(t("admin.basic_equipment_hint"))
    });
    let numbers = p
        .customer_numbers
        .iter()
        .map(|c| {
            let field_name = format!("number_name_{}", c.id);
            let label = format!("{} {}", t("admin.name_of"), c.number);
            let field = Field::new(&page, &field_name, &label, &value(&field_name, &field_name, &c.name)).required();
            NumberRow { id: c.id, number: c.number.clone(), field }
        })
        .collect();
    let new_number = vec![
        Field::new(&page, "number", t("admin.customer_number"), &value("number", "number", "")).required().max(20),
        Field::new(&page, "number_name", t("admin.customer_number_name"), &value("number", "number_name", ""))
            .required(),
    ];
    let t = PrincipalTemplate {
        notice: if status == StatusCode::OK { notice } else { None },
        id,
        code: p.principal.code.clone(),
        kind: principal_kind_name(lang, &p.principal.kind),
        name,
        basic_equipment,
        numbers,
        new_number,
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
    principal_page(&state, lang, &csrf, &user, &rid, id, done.notice(lang), None).await
}

pub async fn rename(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    RequestId(rid): RequestId,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<Pairs>,
) -> Response {
    match uc::edit_principal(&state.app, caller(&user, &rid), id, &one(&f, "name")).await {
        Ok(()) => Redirect::to(&format!("/admin/principals/{id}?done=1")).into_response(),
        Err(e) => principal_page(&state, lang, &csrf, &user, &rid, id, None, Some((e, &f))).await,
    }
}

/// Records (a date) or ends (empty) the municipality's agreement on basic equipment.
pub async fn basic_equipment(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    RequestId(rid): RequestId,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<Pairs>,
) -> Response {
    let since = one(&f, "basic_equipment_since");
    let done = match ramp_app::dates::parse_optional_date("basic_equipment_since", Some(&since), "2021-01-01") {
        Ok(since) => uc::set_basic_equipment_agreement(&state.app, caller(&user, &rid), id, since).await,
        Err(e) => Err(e),
    };
    match done {
        Ok(()) => Redirect::to(&format!("/admin/principals/{id}?done=1")).into_response(),
        Err(e) => principal_page(&state, lang, &csrf, &user, &rid, id, None, Some((e, &f))).await,
    }
}

pub async fn add_number(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    RequestId(rid): RequestId,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<Pairs>,
) -> Response {
    let done =
        uc::add_customer_number(&state.app, caller(&user, &rid), id, &one(&f, "number"), &one(&f, "number_name"))
            .await
            .map_err(|e| if e.field.as_deref() == Some("name") { e.with_field("number_name") } else { e });
    match done {
        Ok(_) => Redirect::to(&format!("/admin/principals/{id}?done=1")).into_response(),
        Err(e) => principal_page(&state, lang, &csrf, &user, &rid, id, None, Some((e, &f))).await,
    }
}

/// Renames a customer number; the form names its principal to return to.
pub async fn rename_number(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    RequestId(rid): RequestId,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<Pairs>,
) -> Response {
    let principal = match id_of(&f, "principal_id") {
        Ok(p) => p,
        Err(e) => return error_page(lang, e),
    };
    let field_name = format!("number_name_{id}");
    match uc::edit_customer_number(&state.app, caller(&user, &rid), id, &one(&f, &field_name)).await {
        Ok(()) => Redirect::to(&format!("/admin/principals/{principal}?done=1")).into_response(),
        Err(e) => {
            let e = if e.field.as_deref() == Some("name") { e.with_field(field_name) } else { e };
            principal_page(&state, lang, &csrf, &user, &rid, principal, None, Some((e, &f))).await
        }
    }
}
