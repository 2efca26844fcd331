//! What the admin pages look up to offer choices and show names: the
//! principals with their customer numbers, the units, the product areas
//! (and so the competences); and a user with their tokens and changes.

use super::changes::{list_changes, ChangeFilter};
use super::principals::PrincipalWithNumbers;
use super::{authorize, Caller};
use crate::error::Result;
use crate::App;
use ramp_domain::admin::AdminEntity;
use ramp_model::{AdminChange, Id, ProductArea, TokenQuery, TokenRecord, UnitRecord, UserRecord};

/// The organisation and the catalog's product areas.
#[derive(Debug, Clone)]
pub struct Reference {
    pub principals: Vec<PrincipalWithNumbers>,
    pub units: Vec<UnitRecord>,
    pub product_areas: Vec<ProductArea>,
}

impl Reference {
    pub fn principal_name(&self, id: Id) -> Option<&str> {
        self.principals.iter().find(|p| p.principal.id == id).map(|p| p.principal.name.as_str())
    }

    pub fn unit_name(&self, id: Id) -> Option<&str> {
        self.units.iter().find(|u| u.id == id).map(|u| u.name.as_str())
    }

    /// The competences product areas require, each with its area.
    pub fn competences(&self) -> Vec<(&str, &ProductArea)> {
        let mut out: Vec<(&str, &ProductArea)> = vec![];
        for a in &self.product_areas {
            if let Some(c) = a.required_competence.as_deref() {
                if !out.iter().any(|(x, _)| *x == c) {
                    out.push((c, a));
                }
            }
        }
        out
    }
}

/// The reference data for the admin pages.
pub async fn reference(app: &App, caller: Caller<'_>) -> Result<Reference> {
    authorize(app, caller, AdminEntity::Principal, "list", None).await?;
    let principals = super::principals::list(app).await?;
    Ok(Reference {
        principals,
        units: app.storage.unit_records(None).await?,
        product_areas: app.storage.product_areas().await?,
    })
}

/// A user with their API tokens (revoked too) and latest changes.
#[derive(Debug, Clone)]
pub struct UserOverview {
    pub user: UserRecord,
    pub tokens: Vec<TokenRecord>,
    pub changes: Vec<AdminChange>,
}

pub async fn user_overview(app: &App, caller: Caller<'_>, id: Id) -> Result<UserOverview> {
    let user = super::users::user(app, caller, id).await?;
    let tokens =
        app.storage.token_records(&TokenQuery { user_id: Some(id), include_revoked: true, limit: 100 }).await?;
    let filter =
        ChangeFilter { entity: Some("user".into()), entity_id: Some(id), limit: Some(20), ..Default::default() };
    let changes = list_changes(app, caller, &filter).await?.changes;
    Ok(UserOverview { user, tokens, changes })
}
