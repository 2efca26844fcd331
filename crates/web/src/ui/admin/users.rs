//! Users: the searchable list, the new-user form, and one user's page
//! with their roles, unit, competences, API tokens, status and changes.

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
use ramp_app::admin::{self as uc, Reference, UserOverview};
use ramp_app::model::{AdminChange, TokenRecord, User, UserQuery};
use ramp_app::AppError;
use ramp_domain::Term;
use serde::Deserialize;

const PAGE_SIZE: i64 = 50;

#[derive(Debug, Default, Deserialize)]
pub struct ListParams {
    #[serde(default)]
    q: String,
    /// `active`, `inactive` or empty (all).
    #[serde(default)]
    status: String,
    #[serde(default)]
    offset: i64,
}

/// One row of the user list, in words.
pub struct UserRow {
    id: i64,
    username: String,
    name: String,
    roles: String,
    unit: String,
    status: &'static str,
    last_login: String,
}

#[derive(Template)]
#[template(path = "admin_users.html")]
struct ListTemplate {
    page: Page,
    q: String,
    status: Select,
    rows: Vec<UserRow>,
    next: Option<String>,
}

fn roles_text(lang: Lang, roles: &[ramp_domain::role::Role]) -> String {
    roles.iter().map(|r| role_name(lang, *r)).collect::<Vec<_>>().join(", ")
}

pub async fn list(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    RequestId(rid): RequestId,
    Query(p): Query<ListParams>,
) -> Response {
    let c = caller(&user, &rid);
    let active = match p.status.as_str() {
        "active" => Some(true),
        "inactive" => Some(false),
        _ => None,
    };
    let query = UserQuery { text: Some(p.q.clone()), active, unit_id: None, limit: PAGE_SIZE, offset: p.offset.max(0) };
    let (users, reference) = match uc::list_users(&state.app, c, &query).await {
        Ok(u) => match uc::reference(&state.app, c).await {
            Ok(r) => (u, r),
            Err(e) => return error_page(lang, e),
        },
        Err(e) => return error_page(lang, e),
    };
    let page = Page::new(lang, "admin.users", Some(&user), &csrf, "admin");
    let rows = users
        .iter()
        .map(|u| UserRow {
            id: u.id,
            username: u.username.clone(),
            name: u.display_name.clone(),
            roles: roles_text(lang, &u.roles),
            unit: u.unit_id.and_then(|id| reference.unit_name(id)).unwrap_or("–").to_string(),
            status: lang.t(if u.active { "admin.active" } else { "admin.inactive" }),
            last_login: u.last_login_at.map(|t| page.datetime(&t)).unwrap_or_else(|| lang.t("admin.never").into()),
        })
        .collect();
    let options = vec![
        (String::new(), lang.t("admin.all").to_string()),
        ("active".into(), lang.t("admin.active").to_string()),
        ("inactive".into(), lang.t("admin.inactive").to_string()),
    ];
    let status = Select::new(&page, "status", lang.t("admin.status"), options, &p.status);
    let next = (users.len() as i64 == PAGE_SIZE).then(|| {
        format!(
            "/admin/users?q={}&status={}&offset={}",
            crate::ui::url_encode(&p.q),
            crate::ui::url_encode(&p.status),
            p.offset.max(0) + PAGE_SIZE
        )
    });
    render(&ListTemplate { page, q: p.q, status, rows, next }, StatusCode::OK)
}

#[derive(Template)]
#[template(path = "admin_user_new.html")]
struct NewTemplate {
    page: Page,
    fields: Vec<Field>,
    principal: Select,
    unit: Select,
    roles: Checks,
    competences: Vec<CompetenceRow>,
}

async fn new_page(
    state: &AppState,
    lang: Lang,
    csrf: &str,
    user: &User,
    rid: &str,
    failed_with: Option<(AppError, &Pairs)>,
) -> Response {
    let reference = match uc::reference(&state.app, caller(user, rid)).await {
        Ok(r) => r,
        Err(e) => return error_page(lang, e),
    };
    let mut page = Page::new(lang, "admin.new_user", Some(user), csrf, "admin");
    let empty = Pairs::new();
    let (status, form) = match failed_with {
        Some((e, form)) => (failed(&mut page, &e), Some(form)),
        None => (StatusCode::OK, None),
    };
    let f = form.unwrap_or(&empty);
    let t = |k: &str| lang.t(k);
    let fields = vec![
        Field::new(&page, "username", t("login.username"), &one(f, "username"))
            .required()
            .max(64)
            .hint(t("admin.username_hint")),
        Field::new(&page, "display_name", t("admin.display_name"), &one(f, "display_name")).required(),
        Field::new(&page, "password", t("login.password"), "").kind("password").hint(t("admin.password_hint")),
        Field::new(&page, "hsa_id", t("admin.hsa_id"), &one(f, "hsa_id")).max(64).hint(t("admin.hsa_id_hint")),
    ];
    let principal_id = one(f, "principal_id");
    let principal =
        Select::new(&page, "principal_id", t("admin.principal"), principal_options(&reference), &principal_id);
    let unit = Select::new(&page, "unit_id", t("admin.unit"), unit_options(lang, &reference, None), &one(f, "unit_id"));
    let roles = Checks::roles(&page, &many(f, "roles"));
    let competences = competence_rows(&page, &reference, &[], form);
    render(&NewTemplate { page, fields, principal, unit, roles, competences }, status)
}

pub async fn new_form(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    RequestId(rid): RequestId,
) -> Response {
    new_page(&state, lang, &csrf, &user, &rid, None).await
}

fn new_user_input(f: &Pairs) -> Result<uc::NewUserInput, AppError> {
    Ok(uc::NewUserInput {
        username: one(f, "username"),
        display_name: one(f, "display_name"),
        password: Some(one(f, "password")).filter(|p| !p.is_empty()),
        hsa_id: Some(one(f, "hsa_id")).filter(|h| !h.trim().is_empty()),
        principal_id: id_of(f, "principal_id")?,
        unit_id: optional_id(f, "unit_id")?,
        roles: many(f, "roles"),
        competences: competences_of(f)?,
    })
}

pub async fn create(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    RequestId(rid): RequestId,
    CsrfForm(f): CsrfForm<Pairs>,
) -> Response {
    let done = match new_user_input(&f) {
        Ok(input) => uc::create_user(&state.app, caller(&user, &rid), &input)
            .await
            .map_err(|e| competence_error(e, &input.competences)),
        Err(e) => Err(e),
    };
    match done {
        Ok(id) => Redirect::to(&format!("/admin/users/{id}?done=1")).into_response(),
        Err(e) => new_page(&state, lang, &csrf, &user, &rid, Some((e, &f))).await,
    }
}

/// A token's line on the user's page.
pub struct TokenRow {
    id: i64,
    name: String,
    created: String,
    revoked: Option<String>,
}

/// A change's line on the user's page.
pub struct ChangeRow {
    when: String,
    who: String,
    what: String,
}

#[derive(Template)]
#[template(path = "admin_user.html")]
struct UserTemplate {
    page: Page,
    notice: Option<&'static str>,
    id: i64,
    username: String,
    name: String,
    principal: String,
    active: bool,
    created: String,
    last_login: String,
    roles: Checks,
    unit: Select,
    competences: Vec<CompetenceRow>,
    tokens: Vec<TokenRow>,
    changes: Vec<ChangeRow>,
}

pub(super) fn change_row(page: &Page, c: &AdminChange) -> ChangeRow {
    let lang = page.lang;
    ChangeRow {
        when: page.datetime(&c.occurred_at),
        who: c.actor_username.clone().unwrap_or_else(|| lang.t("admin.system").into()),
        what: super::changes::action_name(lang, &c.action),
    }
}

fn token_row(page: &Page, t: &TokenRecord) -> TokenRow {
    TokenRow {
        id: t.id,
        name: t.name.clone(),
        created: page.datetime(&t.created_at),
        revoked: t.revoked_at.map(|r| page.datetime(&r)),
    }
}

#[allow(clippy::too_many_arguments)] // the page, and the form that failed on it
async fn user_page(
    state: &AppState,
    lang: Lang,
    csrf: &str,
    user: &User,
    rid: &str,
    id: i64,
    notice: Option<&'static str>,
    failed_with: Option<(AppError, &Pairs)>,
) -> Response {
    let c = caller(user, rid);
    let (o, reference): (UserOverview, Reference) = match uc::user_overview(&state.app, c, id).await {
        Ok(o) => match uc::reference(&state.app, c).await {
            Ok(r) => (o, r),
            Err(e) => return error_page(lang, e),
        },
        Err(e) => return error_page(lang, e),
    };
    let mut page = Page::new(lang, "admin.user", Some(user), csrf, "admin");
    page.title = format!("{} – {}", o.user.display_name, lang.t("admin.user"));
    let (status, form) = match failed_with {
        Some((e, form)) => (failed(&mut page, &e), Some(form)),
        None => (StatusCode::OK, None),
    };
    let u = &o.user;
    let held: Vec<String> = u.roles.iter().map(|r| r.as_str().to_string()).collect();
    let roles = Checks::roles(
        &page,
        form.filter(|f| one(f, "form") == "roles").map(|f| many(f, "roles")).as_ref().unwrap_or(&held),
    );
    let unit_value = u.unit_id.map(|id| id.to_string()).unwrap_or_default();
    let unit = Select::new(
        &page,
        "unit_id",
        lang.t("admin.unit"),
        unit_options(lang, &reference, Some(u.principal_id)),
        &unit_value,
    );
    let competences =
        competence_rows(&page, &reference, &u.competences, form.filter(|f| one(f, "form") == "competences"));
    let t = UserTemplate {
        notice: if form.is_none() { notice } else { None },
        id: u.id,
        username: u.username.clone(),
        name: u.display_name.clone(),
        principal: reference.principal_name(u.principal_id).unwrap_or("–").to_string(),
        active: u.active,
        created: page.datetime(&u.created_at),
        last_login: u.last_login_at.map(|t| page.datetime(&t)).unwrap_or_else(|| lang.t("admin.never").into()),
        roles,
        unit,
        competences,
        tokens: o.tokens.iter().map(|t| token_row(&page, t)).collect(),
        changes: o.changes.iter().map(|c| change_row(&page, c)).collect(),
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
    user_page(&state, lang, &csrf, &user, &rid, id, done.notice(lang), None).await
}

/// One of the user page's forms: `roles`, `unit`, `competences`,
/// `deactivate` or `reactivate`.
pub async fn change(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    RequestId(rid): RequestId,
    Path((id, action)): Path<(i64, String)>,
    CsrfForm(f): CsrfForm<Pairs>,
) -> Response {
    let c = caller(&user, &rid);
    let app = &state.app;
    let done = match action.as_str() {
        "roles" => uc::set_roles(app, c, id, &many(&f, "roles")).await,
        "unit" => match optional_id(&f, "unit_id") {
            Ok(unit) => uc::set_unit(app, c, id, unit).await,
            Err(e) => Err(e),
        },
        "competences" => match competences_of(&f) {
            Ok(list) => uc::set_competences(app, c, id, &list).await.map_err(|e| competence_error(e, &list)),
            Err(e) => Err(e),
        },
        "deactivate" => uc::deactivate_user(app, c, id).await,
        "reactivate" => uc::reactivate_user(app, c, id).await,
        _ => return error_page(lang, AppError::not_found(None, "page_not_found", "no such page")),
    };
    match done {
        Ok(()) => Redirect::to(&format!("/admin/users/{id}?done=1")).into_response(),
        Err(e) => {
            let e = if e.field.as_deref() == Some("id") { e.with_field("form") } else { e };
            user_page(&state, lang, &csrf, &user, &rid, id, None, Some((e, &f))).await
        }
    }
}

/// Revokes a token from its user's page (the form names the user to return to).
pub async fn revoke(
    State(state): State<AppState>,
    lang: Lang,
    UiUser(user): UiUser,
    RequestId(rid): RequestId,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<Pairs>,
) -> Response {
    match uc::revoke_token(&state.app, caller(&user, &rid), id).await {
        Ok(()) => match optional_id(&f, "user_id") {
            Ok(Some(user_id)) => Redirect::to(&format!("/admin/users/{user_id}?done=1")).into_response(),
            _ => Redirect::to("/admin/users").into_response(),
        },
        Err(e) => error_page(lang, e),
    }
}
