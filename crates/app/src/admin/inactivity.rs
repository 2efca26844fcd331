//! Accounts unused for 12 months are deactivated by a job driven by the
//! [`Clock`](crate::Clock): `ramp serve` runs it every hour
//! ([`spawn_inactivity_sweeper`]) and `ramp admin deactivate-inactive`
//! once. The rule is `ramp_domain::admin::is_inactive`; each deactivation
//! is its own transaction with its `admin_audit` row (no actor: the
//! system), and is conditional, so a login meanwhile keeps the account.

use super::{json, record, Change};
use crate::error::Result;
use crate::App;
use ramp_domain::admin::{inactivity_cutoff, AdminEntity};
use ramp_model::Id;
use std::time::Duration;

/// Deactivates every active account last used (logged in, or created if
/// never) more than 12 months ago; the ids it deactivated.
pub async fn deactivate_inactive_users(app: &App) -> Result<Vec<Id>> {
    let cutoff = inactivity_cutoff(app.clock.now());
    let mut done = vec![];
    for id in app.storage.inactive_user_ids(cutoff).await? {
        let mut work = app.storage.admin_work().await?;
        let Some(before) = work.user(id).await? else { continue };
        if !work.deactivate_if_unused_since(id, cutoff).await? {
            continue;
        }
        work.delete_sessions(id).await?;
        let after = work.user(id).await?;
        let change = Change {
            entity: AdminEntity::User,
            entity_id: id,
            action: "deactivate_inactive",
            before: json(&before),
            after: json(&after),
        };
        record(app, work.as_mut(), None, change).await?;
        work.commit().await?;
        app.auth_cache.forget_user(id);
        done.push(id);
    }
    Ok(done)
}

/// Runs [`deactivate_inactive_users`] every `every`, logging what it did.
pub fn spawn_inactivity_sweeper(app: App, every: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        loop {
            tick.tick().await;
            match deactivate_inactive_users(&app).await {
                Ok(ids) if ids.is_empty() => {}
                Ok(ids) => tracing::info!(users = ids.len(), "inactive accounts deactivated"),
                Err(e) => tracing::warn!(error = %e, "deactivating inactive accounts failed"),
            }
        }
    })
}
