//! The record of administrative changes: filters, a table newest first
//! with the row before and after, and a link to the older page. The same
//! page serves administrators (`/admin/changes`) and audit reviewers
//! (`/audit/admin-changes`, in the audit review's tabs).

use super::caller;
use super::widgets::*;
use crate::extract::{CsrfToken, RequestId, UiUser};
use crate::i18n::Lang;
use crate::ui::form::Field;
use crate::ui::page::{error_page, render, Page};
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use ramp_app::admin::{self as uc, ChangeFilter};
use ramp_app::dates::parse_optional_date;
use ramp_app::model::AdminChange;
use ramp_domain::admin::{AdminEntity, AdminOutcome};
use ramp_domain::Term;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct Params {
    #[serde(default)]
    entity: String,
    #[serde(default)]
    entity_id: Option<i64>,
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    before: Option<i64>,
}

/// An action's words (`set_roles` → "Ändrade roller"); unknown ones as stored.
pub fn action_name(lang: Lang, action: &str) -> String {
    match lang.t(&format!("admin.action.{action}")) {
        "[?]" => action.to_string(),
        words => words.to_string(),
    }
}

fn entity_name(lang: Lang, e: AdminEntity) -> &'static str {
    match lang {
        Lang::Sv => e.name_sv(),
        Lang::En => e.name_en(),
    }
}

pub struct ChangeRow {
    when: String,
    who: String,
    entity: &'static str,
    entity_id: String,
    action: String,
    outcome: &'static str,
    before: Option<String>,
    after: Option<String>,
}

fn pretty(json: &Option<String>) -> Option<String> {
    let value: serde_json::Value = serde_json::from_str(json.as_deref()?).ok()?;
    serde_json::to_string_pretty(&value).ok()
}

fn row(page: &Page, c: &AdminChange) -> ChangeRow {
    let lang = page.lang;
    ChangeRow {
        when: page.datetime(&c.occurred_at),
        who: c.actor_username.clone().unwrap_or_else(|| lang.t("admin.system").into()),
        entity: entity_name(lang, c.entity),
        entity_id: c.entity_id.map(|i| i.to_string()).unwrap_or_else(|| "–".into()),
        action: action_name(lang, &c.action),
        outcome: lang.t(&format!("admin.outcome.{}", c.outcome.as_str())),
        before: pretty(&c.before),
        after: pretty(&c.after),
    }
}

/// Where the page is shown: the administration or the audit review.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Area {
    Admin,
    Audit,
}

impl Area {
    fn path(self) -> &'static str {
        match self {
            Area::Admin => "/admin/changes",
            Area::Audit => "/audit/admin-changes",
        }
    }
}

#[derive(Template)]
#[template(path = "admin_changes.html")]
struct ChangesTemplate {
    page: Page,
    area: Area,
    entity: Select,
    outcome: Select,
    dates: Vec<Field>,
    rows: Vec<ChangeRow>,
    next: Option<String>,
}

impl ChangesTemplate {
    /// The audit review's tab that is current here.
    fn tab(&self, tab: &str) -> &'static str {
        if tab == "admin_changes" {
            "page"
        } else {
            "false"
        }
    }
}

/// The administration's change log.
pub async fn list(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    RequestId(rid): RequestId,
    Query(p): Query<Params>,
) -> Response {
    show(&state, lang, &csrf, &user, &rid, &p, Area::Admin).await
}

/// The administrative changes in the audit review, for audit reviewers.
pub async fn for_review(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    RequestId(rid): RequestId,
    Query(p): Query<Params>,
) -> Response {
    show(&state, lang, &csrf, &user, &rid, &p, Area::Audit).await
}

async fn show(
    state: &AppState,
    lang: Lang,
    csrf: &str,
    user: &ramp_app::model::User,
    rid: &str,
    p: &Params,
    area: Area,
) -> Response {
    let nav = if area == Area::Admin { "admin" } else { "audit" };
    let mut page = Page::new(lang, "admin.changes", Some(user), csrf, nav);
    let filter = parse_optional_date("from", Some(&p.from), "2026-01-01").and_then(|from| {
        Ok(ChangeFilter {
            entity: Some(p.entity.clone()),
            entity_id: p.entity_id,
            outcome: Some(p.outcome.clone()),
            from,
            to: parse_optional_date("to", Some(&p.to), "2026-12-31")?,
            before_id: p.before,
            limit: Some(50),
            ..Default::default()
        })
    });
    let result = match filter {
        Ok(f) => uc::list_changes(&state.app, caller(user, rid), &f).await,
        Err(e) => Err(e),
    };
    let (status, rows, next) = match result {
        Ok(pg) => {
            let next = pg.next_before_id.map(|b| {
                let mut q = format!("{}?entity={}&outcome={}", area.path(), p.entity, p.outcome);
                if let Some(id) = p.entity_id {
                    q.push_str(&format!("&entity_id={id}"));
                }
                q.push_str(&format!("&from={}&to={}&before={b}", p.from, p.to));
                q
            });
            (StatusCode::OK, pg.changes.iter().map(|c| row(&page, c)).collect(), next)
        }
        Err(e) if e.kind == ramp_app::ErrorKind::Forbidden => return error_page(lang, e),
        Err(e) => (super::failed(&mut page, &e), vec![], None),
    };
    let mut entities = vec![(String::new(), lang.t("admin.all").to_string())];
    entities.extend(AdminEntity::ALL.iter().map(|e| (e.as_str().to_string(), entity_name(lang, *e).to_string())));
    let mut outcomes = vec![(String::new(), lang.t("admin.all").to_string())];
    outcomes.extend(
        AdminOutcome::ALL
            .iter()
            .map(|o| (o.as_str().to_string(), lang.t(&format!("admin.outcome.{}", o.as_str())).to_string())),
    );
    let entity = Select::new(&page, "entity", lang.t("admin.entity"), entities, &p.entity);
    let outcome = Select::new(&page, "outcome", lang.t("admin.outcome"), outcomes, &p.outcome);
    let dates = vec![
        Field::new(&page, "from", lang.t("admin.from"), &p.from).kind("date"),
        Field::new(&page, "to", lang.t("admin.to"), &p.to).kind("date"),
    ];
    render(&ChangesTemplate { page, area, entity, outcome, dates, rows, next }, status)
}
