//! Users: find, create, deactivate and reactivate them, and set their
//! roles, unit and competences (each valid for a period). A deactivated
//! user cannot log in, and their sessions and API tokens stop working at
//! once on this instance (on others within the login cache's 30 seconds).

use super::{authorize, json, not_found, record_and_commit, text, Caller, Change};
use crate::auth::{hash_password, validate_password};
use crate::error::{AppError, Result};
use crate::users::validate_username;
use crate::App;
use ramp_domain::admin::AdminEntity;
use ramp_domain::ids::HsaId;
use ramp_domain::role::Role;
use ramp_domain::Term;
use ramp_model::{AdminWork, CompetencePeriod, Id, NewAccount, UserQuery, UserRecord};

/// A user to create. Without a password the user logs in only through
/// the region's identity provider.
#[derive(Debug, Clone, Default)]
pub struct NewUserInput {
    pub username: String,
    pub display_name: String,
    pub password: Option<String>,
    /// The HSA id the region's identity provider vouches for (SITHS login).
    pub hsa_id: Option<String>,
    pub principal_id: Id,
    pub unit_id: Option<Id>,
    pub roles: Vec<String>,
    pub competences: Vec<CompetencePeriod>,
}

/// Users matching the query, by username.
pub async fn list_users(app: &App, caller: Caller<'_>, query: &UserQuery) -> Result<Vec<UserRecord>> {
    authorize(app, caller, AdminEntity::User, "list", None).await?;
    Ok(app.storage.user_records(query).await?)
}

/// One user.
pub async fn user(app: &App, caller: Caller<'_>, id: Id) -> Result<UserRecord> {
    authorize(app, caller, AdminEntity::User, "read", Some(id)).await?;
    app.storage.user_record(id).await?.ok_or_else(|| not_found("id", "user_not_found", "user"))
}

fn roles(names: &[String]) -> Result<Vec<Role>> {
    if names.is_empty() {
        return Err(AppError::invalid("roles", "required", "give at least one role"));
    }
    let mut roles =
        names.iter().map(|r| Role::parse(r).map_err(|e| e.at("roles"))).collect::<std::result::Result<Vec<_>, _>>()?;
    roles.sort();
    roles.dedup();
    Ok(roles)
}

/// Competences, checked: each a competence some product area requires,
/// once, with its period in order.
async fn competences(app: &App, list: &[CompetencePeriod]) -> Result<Vec<CompetencePeriod>> {
    let known: Vec<String> =
        app.storage.product_areas().await?.into_iter().filter_map(|a| a.required_competence).collect();
    let mut out: Vec<CompetencePeriod> = Vec::with_capacity(list.len());
    for (i, c) in list.iter().enumerate() {
        let field = |f: &str| format!("competences[{i}].{f}");
        let code = c.competence.trim();
        if !known.iter().any(|k| k == code) {
            return Err(AppError::invalid(
                field("competence"),
                "unknown_competence",
                format!("'{code}' is not a competence any product area requires"),
            ));
        }
        if out.iter().any(|o| o.competence == code) {
            return Err(AppError::invalid(field("competence"), "duplicate_competence", "each competence once"));
        }
        if let (Some(from), Some(to)) = (c.valid_from, c.valid_to) {
            if to < from {
                return Err(AppError::invalid(field("valid_to"), "after_to", "the period ends before it starts"));
            }
        }
        out.push(CompetencePeriod { competence: code.to_string(), ..c.clone() });
    }
    Ok(out)
}

/// The unit, checked: it exists, is active and belongs to the principal.
async fn unit_of(work: &mut dyn AdminWork, principal_id: Id, unit_id: Option<Id>) -> Result<Option<Id>> {
    let Some(id) = unit_id else { return Ok(None) };
    let unit = work.unit(id).await?.ok_or_else(|| not_found("unit_id", "unit_not_found", "unit"))?;
    if !unit.active {
        return Err(AppError::invalid("unit_id", "unit_inactive", "the unit is deactivated"));
    }
    if unit.principal_id != principal_id {
        return Err(AppError::invalid("unit_id", "unit_of_other_principal", "the unit belongs to another principal"));
    }
    Ok(Some(id))
}

pub async fn create_user(app: &App, caller: Caller<'_>, input: &NewUserInput) -> Result<Id> {
    authorize(app, caller, AdminEntity::User, "create", None).await?;
    let username = input.username.trim();
    validate_username(username)?;
    let display_name = text("display_name", &input.display_name, 200)?;
    let password_hash = match input.password.as_deref().filter(|p| !p.is_empty()) {
        Some(p) => {
            validate_password(p)?;
            Some(hash_password(p)?)
        }
        None => None,
    };
    let hsa_id = input.hsa_id.as_deref().map(str::trim).filter(|h| !h.is_empty()).map(HsaId::parse).transpose()?;
    let roles = roles(&input.roles)?;
    let competences = competences(app, &input.competences).await?;
    let mut work = app.storage.admin_work().await?;
    work.principal(input.principal_id)
        .await?
        .ok_or_else(|| not_found("principal_id", "principal_not_found", "principal"))?;
    let unit_id = unit_of(work.as_mut(), input.principal_id, input.unit_id).await?;
    let account = NewAccount {
        username: username.to_string(),
        display_name,
        password_hash,
        principal_id: input.principal_id,
        unit_id,
        created_at: app.clock.now(),
        hsa_id: hsa_id.map(String::from),
    };
    let id = work.insert_user(&account).await.map_err(|e| {
        if e.is_conflict_on("users_username_key", "users.username") {
            AppError::invalid("username", "username_taken", format!("the username '{username}' is taken"))
        } else if e.is_conflict_on("users_hsa_id_key", "users.hsa_id") {
            AppError::invalid("hsa_id", "hsa_id_taken", "the HSA id belongs to another user")
        } else {
            e.into()
        }
    })?;
    work.set_roles(id, &roles).await?;
    work.set_competences(id, &competences).await?;
    let after = work.user(id).await?;
    let change =
        Change { entity: AdminEntity::User, entity_id: id, action: "create", before: None, after: json(&after) };
    record_and_commit(app, work, Some(caller), change).await?;
    Ok(id)
}

/// Opens the change of one user: the work and the user as they were.
async fn open(app: &App, id: Id) -> Result<(Box<dyn AdminWork>, UserRecord)> {
    let mut work = app.storage.admin_work().await?;
    let before = work.user(id).await?.ok_or_else(|| not_found("id", "user_not_found", "user"))?;
    Ok((work, before))
}

/// Records and commits the change of one user, and forgets their cached logins.
async fn finish(
    app: &App,
    caller: Caller<'_>,
    mut work: Box<dyn AdminWork>,
    before: &UserRecord,
    action: &str,
) -> Result<()> {
    let after = work.user(before.id).await?;
    let change =
        Change { entity: AdminEntity::User, entity_id: before.id, action, before: json(before), after: json(&after) };
    record_and_commit(app, work, Some(caller), change).await?;
    app.auth_cache.forget_user(before.id);
    Ok(())
}

/// Deactivates a user and ends their sessions; their API tokens stop
/// working while they are deactivated. An administrator cannot
/// deactivate themselves.
pub async fn deactivate_user(app: &App, caller: Caller<'_>, id: Id) -> Result<()> {
    authorize(app, caller, AdminEntity::User, "deactivate", Some(id)).await?;
    if id == caller.user.id {
        return Err(AppError::invalid("id", "cannot_deactivate_self", "you cannot deactivate your own account"));
    }
    let (mut work, before) = open(app, id).await?;
    if !work.set_user_active(id, false).await? {
        return Ok(());
    }
    work.delete_sessions(id).await?;
    finish(app, caller, work, &before, "deactivate").await
}

/// Reactivates a deactivated user (who logs in again to get a session).
pub async fn reactivate_user(app: &App, caller: Caller<'_>, id: Id) -> Result<()> {
    authorize(app, caller, AdminEntity::User, "reactivate", Some(id)).await?;
    let (mut work, before) = open(app, id).await?;
    if !work.set_user_active(id, true).await? {
        return Ok(());
    }
    finish(app, caller, work, &before, "reactivate").await
}

/// Replaces a user's roles. An administrator keeps their own admin role.
pub async fn set_roles(app: &App, caller: Caller<'_>, id: Id, names: &[String]) -> Result<()> {
    authorize(app, caller, AdminEntity::User, "set_roles", Some(id)).await?;
    let roles = roles(names)?;
    if id == caller.user.id && !roles.contains(&Role::Admin) {
        return Err(AppError::invalid("roles", "cannot_remove_own_admin", "you cannot take your own admin role"));
    }
    let (mut work, before) = open(app, id).await?;
    work.set_roles(id, &roles).await?;
    finish(app, caller, work, &before, "set_roles").await
}

/// Moves a user to a unit of their principal, or to none.
pub async fn set_unit(app: &App, caller: Caller<'_>, id: Id, unit_id: Option<Id>) -> Result<()> {
    authorize(app, caller, AdminEntity::User, "set_unit", Some(id)).await?;
    let (mut work, before) = open(app, id).await?;
    let unit_id = unit_of(work.as_mut(), before.principal_id, unit_id).await?;
    work.set_user_unit(id, unit_id).await?;
    finish(app, caller, work, &before, "set_unit").await
}

/// Replaces a user's competences and their periods.
pub async fn set_competences(app: &App, caller: Caller<'_>, id: Id, list: &[CompetencePeriod]) -> Result<()> {
    authorize(app, caller, AdminEntity::User, "set_competences", Some(id)).await?;
    let list = competences(app, list).await?;
    let (mut work, before) = open(app, id).await?;
    work.set_competences(id, &list).await?;
    finish(app, caller, work, &before, "set_competences").await
}
