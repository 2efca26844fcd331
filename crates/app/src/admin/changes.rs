//! The record of administrative changes (`admin_audit`), newest first,
//! filtered and paged: administrators see it in the administration, audit
//! reviewers in the audit review (their reading is itself audited).

use super::{authorize, Caller};
use crate::access::audit;
use crate::error::{AppError, Result};
use crate::App;
use chrono::{Duration, NaiveDate};
use ramp_domain::admin::{AdminEntity, AdminOutcome};
use ramp_domain::time::start_of_day;
use ramp_domain::Term;
use ramp_model::{AccessReason, AdminChange, ChangeQuery, Id};

/// Most rows one page holds.
pub const MAX_PAGE: i64 = 500;

/// Which changes to list, as a client or form gives it.
#[derive(Debug, Clone, Default)]
pub struct ChangeFilter {
    pub entity: Option<String>,
    pub entity_id: Option<Id>,
    pub actor_user_id: Option<Id>,
    pub action: Option<String>,
    pub outcome: Option<String>,
    /// The first and last Stockholm day of the period, both included.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// The page after the row with this id (the previous page's last).
    pub before_id: Option<Id>,
    pub limit: Option<i64>,
}

/// A page of changes and the cursor of the next, if there may be one.
#[derive(Debug, Clone)]
pub struct ChangePage {
    pub changes: Vec<AdminChange>,
    pub next_before_id: Option<Id>,
}

fn blank_is_none(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// The filter, checked into a query.
pub fn query(f: &ChangeFilter) -> Result<ChangeQuery> {
    if let (Some(from), Some(to)) = (f.from, f.to) {
        if to < from {
            return Err(AppError::invalid("to", "after_to", "the period ends before it starts"));
        }
    }
    let limit = f.limit.unwrap_or(50);
    if !(1..=MAX_PAGE).contains(&limit) {
        return Err(AppError::invalid("limit", "invalid_limit", format!("1 to {MAX_PAGE} rows")));
    }
    Ok(ChangeQuery {
        entity: blank_is_none(&f.entity).map(AdminEntity::parse).transpose()?,
        entity_id: f.entity_id,
        actor_user_id: f.actor_user_id,
        action: blank_is_none(&f.action).map(str::to_string),
        outcome: blank_is_none(&f.outcome).map(AdminOutcome::parse).transpose()?,
        from: f.from.map(start_of_day),
        to: f.to.map(|d| start_of_day(d + Duration::days(1))),
        before_id: f.before_id,
        limit,
    })
}

/// The changes matching the filter, newest first, one page: for
/// administrators and audit reviewers. A reviewer's reading is written to
/// the audit log like the rest of the review.
pub async fn list_changes(app: &App, caller: Caller<'_>, filter: &ChangeFilter) -> Result<ChangePage> {
    let reviewer = crate::audit_review::may_review(caller.user);
    if !reviewer {
        authorize(app, caller, AdminEntity::User, "list_changes", None).await?;
    }
    let q = query(filter)?;
    let changes = app.storage.admin_changes(&q).await?;
    let next_before_id = (changes.len() as i64 == q.limit).then(|| changes.last().map(|c| c.id)).flatten();
    if reviewer {
        let detail = Some(format!("{} rows", changes.len()));
        let (user, rid) = (caller.user, caller.request_id);
        audit(app, user, None, "audit.admin_changes", AccessReason::None, detail, rid).await?;
    }
    Ok(ChangePage { changes, next_before_id })
}
