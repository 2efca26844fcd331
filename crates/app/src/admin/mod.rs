//! Administration: the region's principals and customer numbers, units,
//! users (roles, unit, competences, deactivation), API tokens and catalog
//! articles; the bootstrap of an empty database (`ramp admin init`); and
//! the job that deactivates accounts unused for 12 months.
//!
//! Only the admin role may administer. A refusal is itself written to
//! `admin_audit` (outcome `refused`) and answered `role_required`. Every
//! change runs in one [`AdminWork`](ramp_model::AdminWork) transaction
//! that reads the row before, changes it, reads it after and appends the
//! `admin_audit` row with both as JSON — so the change and its record are
//! committed together or not at all.

mod articles;
mod changes;
mod inactivity;
mod init;
mod principals;
mod product_areas;
mod reference;
mod tokens;
mod units;
mod users;

pub use articles::{article, create_article, edit_article, retire_article, ArticleInput};
pub use changes::{list_changes, ChangeFilter, ChangePage};
pub use inactivity::{deactivate_inactive_users, spawn_inactivity_sweeper};
pub use init::{bootstrap, Bootstrap, Bootstrapped};
pub use principals::{
    add_customer_number, create_principal, edit_customer_number, edit_principal, list_principals,
    set_basic_equipment_agreement, PrincipalInput, PrincipalWithNumbers,
};
pub use product_areas::{edit_product_area, list_product_areas, ProductAreaInput};
pub use reference::{reference, user_overview, Reference, UserOverview};
pub use tokens::{list_tokens, revoke_token};
pub use units::{create_unit, deactivate_unit, edit_unit, list_units, reactivate_unit, AddressInput, UnitInput};
pub use users::{
    create_user, deactivate_user, list_users, reactivate_user, set_competences, set_roles, set_unit, user, NewUserInput,
};

use crate::error::{AppError, Result};
use crate::App;
use ramp_domain::admin::{AdminEntity, AdminOutcome};
use ramp_domain::role::Role;
use ramp_model::{AdminWork, Id, NewAdminChange, User};
use serde::Serialize;

/// Who asks for an administrative change, and the request it came in.
#[derive(Debug, Clone, Copy)]
pub struct Caller<'a> {
    pub user: &'a User,
    pub request_id: Option<&'a str>,
}

impl<'a> Caller<'a> {
    pub fn new(user: &'a User, request_id: Option<&'a str>) -> Self {
        Self { user, request_id }
    }
}

/// Whether the user may administer (the admin page and menu ask too).
pub fn is_admin(user: &User) -> bool {
    user.active && user.has_role(Role::Admin)
}

/// Lets an administrator through; anyone else is refused, and the refusal
/// is recorded (what they tried, on which row).
pub(crate) async fn authorize(
    app: &App,
    caller: Caller<'_>,
    entity: AdminEntity,
    action: &str,
    entity_id: Option<Id>,
) -> Result<()> {
    if is_admin(caller.user) {
        return Ok(());
    }
    let refused = NewAdminChange {
        occurred_at: app.clock.now(),
        actor_user_id: Some(caller.user.id),
        entity,
        entity_id,
        action: action.to_string(),
        outcome: AdminOutcome::Refused,
        before: None,
        after: None,
        request_id: caller.request_id.map(str::to_string),
    };
    app.storage.append_admin_change(&refused).await?;
    Err(AppError::forbidden("role_required", "only administrators may do this"))
}

/// Lets an administrator through to a page that changes nothing by itself
/// (the admin start page, the article search); a refusal is recorded.
pub async fn require_admin(app: &App, caller: Caller<'_>, entity: AdminEntity, action: &str) -> Result<()> {
    authorize(app, caller, entity, action, None).await
}

/// A row as the `before`/`after` JSON of its change.
pub(crate) fn json<T: Serialize>(row: &T) -> Option<String> {
    serde_json::to_string(row).ok()
}

/// The record of one done change.
pub(crate) struct Change<'a> {
    pub entity: AdminEntity,
    pub entity_id: Id,
    pub action: &'a str,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// Appends the change's `admin_audit` row in the work, then commits both.
pub(crate) async fn record_and_commit(
    app: &App,
    mut work: Box<dyn AdminWork>,
    actor: Option<Caller<'_>>,
    change: Change<'_>,
) -> Result<()> {
    record(app, work.as_mut(), actor, change).await?;
    work.commit().await?;
    Ok(())
}

/// Appends the change's `admin_audit` row in the work.
pub(crate) async fn record(
    app: &App,
    work: &mut dyn AdminWork,
    actor: Option<Caller<'_>>,
    change: Change<'_>,
) -> Result<()> {
    work.record(&NewAdminChange {
        occurred_at: app.clock.now(),
        actor_user_id: actor.map(|c| c.user.id),
        entity: change.entity,
        entity_id: Some(change.entity_id),
        action: change.action.to_string(),
        outcome: AdminOutcome::Done,
        before: change.before,
        after: change.after,
        request_id: actor.and_then(|c| c.request_id).map(str::to_string),
    })
    .await?;
    Ok(())
}

/// A required text field, trimmed, at most `max` characters.
pub(crate) fn text(field: &str, value: &str, max: usize) -> Result<String> {
    let v = value.trim();
    if v.is_empty() {
        return Err(AppError::invalid(field, "required", format!("{field} is required")));
    }
    if v.chars().count() > max {
        return Err(AppError::invalid(field, "too_long", format!("{field} is limited to {max} characters")));
    }
    Ok(v.to_string())
}

/// The "no such row" answer for `field`.
pub(crate) fn not_found(field: &str, code: &'static str, what: &str) -> AppError {
    AppError::not_found(Some(field), code, format!("no such {what}"))
}
