//! The record of administrative changes (`admin_audit`), newest first,
//! filtered and paged: what the audit review shows.

use super::{authorize, Caller};
use crate::error::Result;
use crate::App;
use ramp_domain::admin::AdminEntity;
use ramp_model::{AdminChange, ChangeQuery};

/// Most rows one page holds.
pub const MAX_PAGE: i64 = 500;

/// The changes matching the query (at most [`MAX_PAGE`]).
pub async fn list_changes(app: &App, caller: Caller<'_>, query: &ChangeQuery) -> Result<Vec<AdminChange>> {
    authorize(app, caller, query.entity.unwrap_or(AdminEntity::User), "list_changes", None).await?;
    let query = ChangeQuery { limit: query.limit.clamp(1, MAX_PAGE), ..query.clone() };
    Ok(app.storage.admin_changes(&query).await?)
}
