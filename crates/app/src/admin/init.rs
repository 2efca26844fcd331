//! Bootstrapping an empty database (`ramp admin init`): the region's
//! principal, the first administrator and, when there are none, the
//! standard product areas (so articles and competences can be entered).
//! Idempotent: run again with the same values it finds everything there
//! and changes nothing; with other values it refuses, naming the field.
//! Its changes are recorded with no actor (the system).

use super::principals::{parse_principal, PrincipalInput};
use super::{json, record, text, Change};
use crate::auth::{hash_password, validate_password, verify};
use crate::error::{AppError, Result};
use crate::users::validate_username;
use crate::App;
use ramp_domain::admin::{AdminEntity, AdminOutcome};
use ramp_domain::ids::HsaId;
use ramp_domain::role::Role;
use ramp_model::{AdminWork, NewAccount, NewAdminChange, Principal};

/// What `ramp admin init` is given.
#[derive(Clone, Default)]
pub struct Bootstrap {
    pub region_code: String,
    pub region_name: String,
    pub username: String,
    pub display_name: String,
    pub password: String,
    /// The administrator's HSA id, for logging in through the region's identity provider.
    pub hsa_id: Option<String>,
}

impl std::fmt::Debug for Bootstrap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Bootstrap")
            .field("region_code", &self.region_code)
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

/// What the bootstrap did: all false when everything was there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bootstrapped {
    pub principal_created: bool,
    pub admin_created: bool,
    pub product_areas_created: usize,
}

fn conflict(field: &str, message: String) -> AppError {
    AppError::conflict("bootstrap_conflict", message).with_field(field)
}

/// Creates what is missing of the region, its administrator and the
/// product areas, in one transaction; refuses values that contradict what
/// is stored.
pub async fn bootstrap(app: &App, b: &Bootstrap) -> Result<Bootstrapped> {
    let input = PrincipalInput { code: b.region_code.clone(), name: b.region_name.clone(), kind: "region".into() };
    let new_principal = parse_principal(&input).map_err(|e| {
        let field = format!("region_{}", e.field.as_deref().unwrap_or("code"));
        e.with_field(field)
    })?;
    let username = b.username.trim();
    validate_username(username)?;
    let display_name = text("name", &b.display_name, 200)?;
    let hsa_id = b.hsa_id.as_deref().map(str::trim).filter(|h| !h.is_empty()).map(HsaId::parse).transpose()?;
    let hsa_id = hsa_id.map(String::from);
    validate_password(&b.password)?;
    let regions: Vec<Principal> = app.storage.principals().await?.into_iter().filter(|p| p.kind == "region").collect();
    let stored_admin = app.storage.user_by_username(username).await?;
    let other_admin = app.storage.any_user_with_role(Role::Admin).await?;
    let password_hash = match &stored_admin {
        None => Some(hash_password(&b.password)?),
        Some(_) => None,
    };

    let mut work = app.storage.admin_work().await?;
    let mut done = Bootstrapped { principal_created: false, admin_created: false, product_areas_created: 0 };
    let principal = match work.principal_by_code(&new_principal.code).await? {
        Some(p) if p.kind != "region" => {
            return Err(conflict("region_code", format!("principal '{}' exists and is not a region", p.code)))
        }
        Some(p) if p.name != new_principal.name => {
            return Err(conflict("region_name", format!("region '{}' exists named '{}'", p.code, p.name)))
        }
        Some(p) => p,
        None => {
            if let Some(other) = regions.first() {
                let msg = format!("the database already has the region '{}' ({})", other.code, other.name);
                return Err(conflict("region_code", msg));
            }
            let id = work.insert_principal(&new_principal).await?;
            let p =
                work.principal(id).await?.ok_or_else(|| AppError::conflict("state_changed", "principal vanished"))?;
            let change = Change {
                entity: AdminEntity::Principal,
                entity_id: id,
                action: "bootstrap",
                before: None,
                after: json(&p),
            };
            record(app, work.as_mut(), None, change).await?;
            done.principal_created = true;
            p
        }
    };
    match (&stored_admin, password_hash) {
        (Some(u), _) => {
            if !u.has_role(Role::Admin) {
                return Err(conflict("username", format!("user '{username}' exists without the admin role")));
            }
            if u.principal_id != principal.id {
                return Err(conflict("username", format!("user '{username}' belongs to another principal")));
            }
            if u.display_name != display_name {
                return Err(conflict("name", format!("user '{username}' exists named '{}'", u.display_name)));
            }
            if !u.password_hash.as_deref().is_some_and(|h| verify(&b.password, h)) {
                let msg = format!("user '{username}' exists with another password (change it in the admin pages)");
                return Err(conflict("password", msg));
            }
        }
        (None, hash) => {
            if other_admin {
                let msg = "another administrator exists; log in as them to add administrators".to_string();
                return Err(conflict("username", msg));
            }
            let account = NewAccount {
                username: username.to_string(),
                display_name,
                password_hash: hash,
                principal_id: principal.id,
                unit_id: None,
                created_at: app.clock.now(),
                hsa_id: hsa_id.clone(),
            };
            let id = work.insert_user(&account).await?;
            work.set_roles(id, &[Role::Admin]).await?;
            let after = work.user(id).await?;
            let change = Change {
                entity: AdminEntity::User,
                entity_id: id,
                action: "bootstrap",
                before: None,
                after: json(&after),
            };
            record(app, work.as_mut(), None, change).await?;
            done.admin_created = true;
        }
    }
    done.product_areas_created = seed_product_areas(app, work.as_mut()).await?;
    work.commit().await?;
    Ok(done)
}

/// The standard product areas, when there are none yet.
async fn seed_product_areas(app: &App, work: &mut dyn AdminWork) -> Result<usize> {
    if !work.product_areas().await?.is_empty() {
        return Ok(0);
    }
    let areas = crate::demo::divisions::product_areas();
    for a in &areas {
        work.insert_product_area(a).await?;
        work.record(&NewAdminChange {
            occurred_at: app.clock.now(),
            actor_user_id: None,
            entity: AdminEntity::ProductArea,
            entity_id: None,
            action: "bootstrap".into(),
            outcome: AdminOutcome::Done,
            before: None,
            after: json(a),
            request_id: None,
        })
        .await?;
    }
    Ok(areas.len())
}
