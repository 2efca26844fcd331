//! API tokens of any user: list and revoke. A revoked token stops working
//! at once on this instance (on others within the login cache's 30 seconds).

use super::{authorize, json, not_found, record_and_commit, Caller, Change};
use crate::error::Result;
use crate::App;
use ramp_domain::admin::AdminEntity;
use ramp_model::{Id, TokenQuery, TokenRecord};

/// Tokens, newest first (of one user, with revoked ones, as asked).
pub async fn list_tokens(app: &App, caller: Caller<'_>, query: &TokenQuery) -> Result<Vec<TokenRecord>> {
    authorize(app, caller, AdminEntity::ApiToken, "list", None).await?;
    Ok(app.storage.token_records(query).await?)
}

/// Revokes a token; revoking a revoked token changes nothing.
pub async fn revoke_token(app: &App, caller: Caller<'_>, id: Id) -> Result<()> {
    authorize(app, caller, AdminEntity::ApiToken, "revoke", Some(id)).await?;
    let mut work = app.storage.admin_work().await?;
    let before = work.token(id).await?.ok_or_else(|| not_found("id", "token_not_found", "API token"))?;
    if !work.revoke_token(id, app.clock.now()).await? {
        return Ok(());
    }
    let after = work.token(id).await?;
    let change = Change {
        entity: AdminEntity::ApiToken,
        entity_id: id,
        action: "revoke",
        before: json(&before),
        after: json(&after),
    };
    record_and_commit(app, work, Some(caller), change).await?;
    app.auth_cache.forget_user(before.user_id);
    Ok(())
}
