//! Safety notices ("säkerhetsmeddelanden"): every affected device and
//! where it is, recall work orders, and affected stock blocked from going
//! out until its recall is done.

use super::require;
use crate::error::{AppError, Result};
use crate::App;
use ramp_domain::role::Role;
use ramp_model::{AffectedDevice, Id, NewSafetyNotice, SafetyNotice, User};

#[derive(Debug, Clone, Default)]
pub struct SafetyNoticeRequest {
    /// The manufacturer's reference, e.g. `FSN-2026-014`.
    pub reference: String,
    pub title: String,
    pub article_numbers: Vec<String>,
}

const STAFF: &[Role] = &[Role::Warehouse, Role::Technician, Role::CustomerService];

/// Registers a notice for a set of article numbers; returns its id.
pub async fn register_safety_notice(app: &App, user: &User, req: &SafetyNoticeRequest) -> Result<Id> {
    require(user, STAFF, "registering a safety notice")?;
    let reference = req.reference.trim();
    if reference.is_empty() || reference.chars().count() > 60 {
        return Err(AppError::invalid("reference", "required", "give the notice's reference (1–60 characters)"));
    }
    let title = req.title.trim();
    if title.is_empty() || title.chars().count() > 300 {
        return Err(AppError::invalid("title", "required", "give the notice a title (at most 300 characters)"));
    }
    if req.article_numbers.is_empty() {
        return Err(AppError::invalid("article_numbers", "required", "which article numbers does the notice concern?"));
    }
    let mut ids = Vec::new();
    for (i, n) in req.article_numbers.iter().enumerate() {
        let a = app.storage.article_by_number(n.trim()).await?.ok_or_else(|| {
            AppError::not_found(Some(&format!("article_numbers[{i}]")), "article_not_found", format!("no article {n}"))
        })?;
        if !ids.contains(&a.id) {
            ids.push(a.id);
        }
    }
    let n = NewSafetyNotice {
        reference: reference.into(),
        title: title.into(),
        article_ids: ids,
        registered_by: user.id,
        at: app.clock.now(),
    };
    app.storage.register_safety_notice(&n).await.map_err(|e| {
        if e.is_conflict_on("safety_notices_reference_key", "safety_notices.reference") {
            AppError::conflict("reference_taken", "a notice with this reference is already registered")
                .with_field("reference")
        } else {
            e.into()
        }
    })
}

pub async fn safety_notices(app: &App, user: &User) -> Result<Vec<SafetyNotice>> {
    require(user, STAFF, "safety notices")?;
    Ok(app.storage.safety_notices().await?)
}

/// A notice with every affected device, where it is and its recall's status.
pub async fn safety_notice(app: &App, user: &User, id: Id) -> Result<(SafetyNotice, Vec<AffectedDevice>)> {
    require(user, STAFF, "safety notices")?;
    app.storage
        .safety_notice(id)
        .await?
        .ok_or_else(|| AppError::not_found(Some("id"), "safety_notice_not_found", format!("no safety notice {id}")))
}
