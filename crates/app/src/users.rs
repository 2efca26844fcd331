//! Creating users (`ramp user add`, later the admin UI): local accounts
//! with a password, accounts that log in through the region's identity
//! provider by their HSA id, or both.

use crate::auth::{hash_password, validate_password};
use crate::error::{AppError, Result};
use crate::App;
use ramp_domain::ids::HsaId;
use ramp_domain::role::Role;
use ramp_domain::Term;
use ramp_model::{Id, NewUser, StorageError};

/// What `ramp user add` takes.
#[derive(Debug, Clone)]
pub struct AddUser {
    pub username: String,
    pub display_name: String,
    /// The local password; `None` for an account that logs in only
    /// through the region's identity provider (it then needs `hsa_id`).
    pub password: Option<String>,
    /// The principal's code: `region` or a municipality code.
    pub principal: String,
    pub roles: Vec<String>,
    pub competences: Vec<String>,
    /// The HSA id an OIDC login maps to this user.
    pub hsa_id: Option<String>,
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
    let hsa_id = input.hsa_id.as_deref().map(HsaId::parse).transpose()?;
    let password_hash = match &input.password {
        Some(password) => {
            validate_password(password)?;
            Some(hash_password(password)?)
        }
        None if hsa_id.is_some() => None,
        None => {
            return Err(AppError::invalid(
                "password",
                "required",
                "give a password, or an HSA id for an account that logs in only through the identity provider",
            ))
        }
    };
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
        password_hash,
        principal_id: principal.id,
        unit_id: None,
        roles,
        competences: input.competences,
        created_at: app.clock.now(),
        hsa_id: hsa_id.map(String::from),
    };
    app.storage.create_user(&new).await.map_err(|e| match e {
        e if e.is_conflict_on("users_username_key", "users.username") => {
            AppError::invalid("username", "username_taken", format!("the username '{}' is taken", input.username))
        }
        e if e.is_conflict_on("users_hsa_id_key", "users.hsa_id") => AppError::invalid(
            "hsa_id",
            "hsa_id_taken",
            format!("the HSA id '{}' belongs to another user", input.hsa_id.as_deref().unwrap_or_default()),
        ),
        StorageError::Conflict { constraint } => AppError::invalid("role", "invalid_role", constraint),
        other => other.into(),
    })
}
