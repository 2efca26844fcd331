//! Creating users (`ramp user add`, later the admin UI).

use crate::auth::{hash_password, validate_password};
use crate::error::{AppError, Result};
use crate::App;
use ramp_domain::role::Role;
use ramp_domain::Term;
use ramp_model::{Id, NewUser, StorageError};

/// What `ramp user add` takes.
#[derive(Debug, Clone)]
pub struct AddUser {
    pub username: String,
    pub display_name: String,
    pub password: String,
    /// The principal's code: `region` or a municipality code.
    pub principal: String,
    pub roles: Vec<String>,
    pub competences: Vec<String>,
}

/// Usernames: 2–64 characters of a–z, 0–9, '.', '_' and '-'.
pub(crate) fn validate_username(u: &str) -> Result<()> {
    let ok = (2..=64).contains(&u.len())
        && u.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-'));
    if ok {
        Ok(())
    } else {
        Err(AppError::invalid("username", "invalid_username", "2–64 characters: a–z, 0–9, '.', '_' or '-'"))
    }
}

/// Creates a local account.
pub async fn add_user(app: &App, input: AddUser) -> Result<Id> {
    validate_username(&input.username)?;
    if input.display_name.trim().is_empty() {
        return Err(AppError::invalid("display_name", "required", "give the user's name"));
    }
    validate_password(&input.password)?;
    if input.roles.is_empty() {
        return Err(AppError::invalid("role", "required", "give at least one role"));
    }
    let roles = input.roles.iter().map(|r| Role::parse(r)).collect::<std::result::Result<Vec<_>, _>>()?;
    let principal = app.storage.principal_by_code(&input.principal).await?.ok_or_else(|| {
        AppError::not_found(
            Some("principal"),
            "principal_not_found",
            format!("no principal with code '{}'", input.principal),
        )
    })?;
    let new = NewUser {
        username: input.username.clone(),
        display_name: input.display_name.trim().to_string(),
        password_hash: Some(hash_password(&input.password)?),
        principal_id: principal.id,
        unit_id: None,
        roles,
        competences: input.competences,
        created_at: app.clock.now(),
    };
    app.storage.create_user(&new).await.map_err(|e| match e {
        e if e.is_conflict_on("users_username_key", "users.username") => {
            AppError::invalid("username", "username_taken", format!("the username '{}' is taken", input.username))
        }
        StorageError::Conflict { constraint } => AppError::invalid("role", "invalid_role", constraint),
        other => other.into(),
    })
}
