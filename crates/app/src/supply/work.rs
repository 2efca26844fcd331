//! The technicians' queue: work orders of every kind, started, with time
//! and parts recorded, and finished (with the kind's effect on the device).

use super::{device, require};
use crate::error::{AppError, Result};
use crate::App;
use ramp_domain::role::Role;
use ramp_domain::work_order::{WorkOrderKind, WorkOrderStatus};
use ramp_domain::Term;
use ramp_model::{
    AdaptationDocument, AttachmentMeta, ChecklistLine, FinishWorkOrder, Id, NewWorkEntry, NewWorkOrder, SparePart,
    StorageError, User, WorkEntry, WorkOrderRow,
};
use serde::Serialize;

/// The kinds a work order is created with by hand (from a device page or
/// by device number); reconditioning comes from a return's inspection.
/// A recall by hand is one device a safety notice did not reach.
pub const BY_HAND: &[WorkOrderKind] = &[
    WorkOrderKind::Repair,
    WorkOrderKind::Maintenance,
    WorkOrderKind::Recall,
    WorkOrderKind::SpecialAdaptation,
    WorkOrderKind::Consultation,
];
const STAFF: &[Role] = super::WORKSHOP_STAFF;

/// A work order with its time, parts and (for a special adaptation) documents.
#[derive(Debug, Clone, Serialize)]
pub struct WorkOrderDetail {
    pub order: WorkOrderRow,
    pub entries: Vec<WorkEntry>,
    pub documents: Vec<AdaptationDocument>,
    /// The kind's checklist with what is checked off.
    pub checklist: Vec<ChecklistLine>,
    pub attachments: Vec<AttachmentMeta>,
    /// The spare parts that fit the device's model, with stock.
    pub spare_parts: Vec<SparePart>,
}

#[derive(Debug, Clone, Default)]
pub struct WorkEntryRequest {
    pub minutes: i32,
    pub part_article_number: Option<String>,
    pub part_quantity: Option<i32>,
    pub note: Option<String>,
    /// The technician saw the zero-stock warning and records the part anyway.
    pub confirm_without_stock: bool,
}

/// The allowed value named `value`; an unknown one is `invalid_value`
/// against the vocabulary's field, listing the allowed values.
fn one_of<T: Term>(value: &str, allowed: &[T]) -> Result<T> {
    allowed.iter().copied().find(|t| t.as_str() == value).ok_or_else(|| {
        let names: Vec<&str> = allowed.iter().map(|t| t.as_str()).collect();
        AppError::invalid(
            T::FIELD,
            "invalid_value",
            format!("unknown value '{value}' (expected one of: {})", names.join(", ")),
        )
    })
}

/// The queue, oldest first, filtered by status and kind.
pub async fn work_orders(
    app: &App,
    user: &User,
    status: Option<&str>,
    kind: Option<&str>,
) -> Result<Vec<WorkOrderRow>> {
    require(user, STAFF, "the work-order queue")?;
    let status = status.map(|s| one_of(s, WorkOrderStatus::ALL)).transpose()?;
    let kind = kind.map(|k| one_of(k, WorkOrderKind::ALL)).transpose()?;
    Ok(app.storage.work_orders(status, kind, 500).await?)
}

pub async fn work_order(app: &App, user: &User, id: Id) -> Result<WorkOrderDetail> {
    require(user, STAFF, "the work-order queue")?;
    let order = app
        .storage
        .work_order(id)
        .await?
        .ok_or_else(|| AppError::not_found(Some("id"), "work_order_not_found", format!("no work order {id}")))?;
    let entries = app.storage.work_entries(id).await?;
    let documents = match order.device_id {
        Some(d) => app
            .storage
            .adaptation_documents_for_device(d)
            .await?
            .into_iter()
            .filter(|x| x.work_order_id == id)
            .collect(),
        None => vec![],
    };
    let checklist = app.storage.checklist(id).await?;
    let attachments = app.storage.attachments(id).await?;
    let spare_parts = match &order.device_number {
        Some(n) => match app.storage.device_card(n).await? {
            Some(card) => app.storage.spare_parts(card.device.article_id).await?,
            None => vec![],
        },
        None => vec![],
    };
    Ok(WorkOrderDetail { order, entries, documents, checklist, attachments, spare_parts })
}

/// Creates a work order by hand (maintenance, special adaptation, consultation, repair).
pub async fn create_work_order(
    app: &App,
    user: &User,
    kind: &str,
    device_number: &str,
    description: &str,
) -> Result<Id> {
    require(user, &[Role::Technician, Role::Warehouse, Role::Consultant], "creating work orders")?;
    let kind = one_of(kind, BY_HAND)?;
    let description = description.trim();
    if description.chars().count() < 5 || description.chars().count() > 2000 {
        return Err(AppError::invalid("description", "required", "describe the work (5 to 2,000 characters)"));
    }
    let card = device(app, device_number).await?;
    let w = NewWorkOrder {
        kind,
        device_id: Some(card.device.id),
        description: description.into(),
        created_by: user.id,
        at: app.clock.now(),
    };
    Ok(app.storage.create_work_order(&w).await?)
}

fn moved(e: StorageError, field: &str) -> AppError {
    match e {
        StorageError::StateMismatch(m) => AppError::conflict("invalid_status_change", m).with_field(field),
        StorageError::NotFound(m) => AppError::not_found(Some("id"), "work_order_not_found", m),
        other => other.into(),
    }
}

/// Takes a work order from the queue: in progress, assigned to the user.
pub async fn start_work_order(app: &App, user: &User, id: Id) -> Result<()> {
    require(user, &[Role::Technician, Role::Consultant], "work orders")?;
    app.storage.start_work_order(id, user.id, app.clock.now()).await.map_err(|e| moved(e, "status"))
}

/// Records time (minutes) and parts used on a work order.
pub async fn add_work_entry(app: &App, user: &User, id: Id, req: &WorkEntryRequest) -> Result<Id> {
    require(user, &[Role::Technician, Role::Consultant], "work orders")?;
    if !(0..=24 * 60).contains(&req.minutes) {
        return Err(AppError::invalid("minutes", "invalid_minutes", "0 to 1,440 minutes per entry"));
    }
    let part = match req.part_article_number.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(n) => Some(app.storage.article_by_number(n).await?.ok_or_else(|| {
            AppError::not_found(Some("part_article_number"), "article_not_found", format!("no article {n}"))
        })?),
    };
    let part_quantity = match (&part, req.part_quantity) {
        (Some(_), None) => Some(1),
        (Some(_), Some(q)) if !(1..=1000).contains(&q) => {
            return Err(AppError::invalid("part_quantity", "invalid_quantity", "1 to 1,000"))
        }
        (None, Some(_)) => return Err(AppError::invalid("part_article_number", "required", "which part was used?")),
        (_, q) => q,
    };
    if req.minutes == 0 && part.is_none() {
        return Err(AppError::invalid("minutes", "empty_entry", "record time, a part, or both"));
    }
    let without_stock = match (&part, part_quantity) {
        (Some(p), Some(q)) => {
            super::workshop::stock_short(app, p.id, &p.article_number, q, req.confirm_without_stock).await?
        }
        _ => false,
    };
    let e = NewWorkEntry {
        work_order_id: id,
        user_id: user.id,
        at: app.clock.now(),
        minutes: req.minutes,
        part_article_id: part.map(|p| p.id),
        part_quantity,
        note: req.note.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string),
        without_stock,
    };
    app.storage.add_work_entry(&e).await.map_err(|e| moved(e, "status"))
}

/// Finishes a work order; reconditioning puts the device back in stock.
pub async fn finish_work_order(app: &App, user: &User, id: Id, outcome: Option<&str>) -> Result<()> {
    require(user, &[Role::Technician, Role::Consultant], "work orders")?;
    let outcome = outcome.map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
    let f = FinishWorkOrder { id, actor: user.id, at: app.clock.now(), outcome };
    app.storage.finish_work_order(&f).await.map_err(|e| match e {
        StorageError::StateMismatch(m) if m.starts_with("checklist_incomplete:") => {
            let item = m.trim_start_matches("checklist_incomplete:");
            let mut e =
                AppError::conflict("checklist_incomplete", format!("the checklist item \"{item}\" is not checked off"))
                    .with_field("checklist");
            let mut d = serde_json::Map::new();
            d.insert("item".into(), item.into());
            e.details = Some(Box::new(d));
            e
        }
        StorageError::StateMismatch(m) if m.contains("signed") => {
            AppError::conflict("adaptation_unsigned", m).with_field("status")
        }
        other => moved(other, "status"),
    })
}
