//! The workshop's tools around a work order (issue 19): spare parts per
//! device model with their stock (a part with none in stock is refused
//! unless the technician confirms it), checklists per work-order kind,
//! attachments checked by their bytes, and the workshop's notifications.

use super::require;
use crate::error::{AppError, ErrorKind, Result};
use crate::App;
use ramp_domain::role::Role;
use ramp_domain::workshop::{sanitize_filename, AttachmentType, ATTACHMENT_MAX_BYTES};
use ramp_model::{AttachmentMeta, Id, NewAttachment, SparePart, StorageError, User, WorkshopNotification};

const HANDS: &[Role] = &[Role::Technician, Role::Consultant];

/// Whether recording `quantity` of a part leaves the stock short. Short
/// and not confirmed is refused (`part_out_of_stock` on
/// `part_article_number`, 409, with the stock in the details) so the
/// warning is shown and the technician decides; confirmed, the entry is
/// recorded and marked as taken without stock. Never silently accepted.
pub(crate) async fn stock_short(app: &App, part_id: Id, number: &str, quantity: i32, confirmed: bool) -> Result<bool> {
    let stock = app.storage.article_stock(part_id).await?;
    let short = stock < i64::from(quantity);
    if short && !confirmed {
        let mut e = AppError::conflict(
            "part_out_of_stock",
            format!("{stock} of part {number} in stock; confirm to record it anyway (confirm_without_stock)"),
        )
        .with_field("part_article_number");
        let mut d = serde_json::Map::new();
        d.insert("stock".into(), stock.into());
        e.details = Some(Box::new(d));
        return Err(e);
    }
    Ok(short)
}

/// An article by number, or 404 naming `field`.
async fn article_id(app: &App, number: &str, field: &str) -> Result<Id> {
    let number = number.trim();
    Ok(app
        .storage
        .article_by_number(number)
        .await?
        .ok_or_else(|| AppError::not_found(Some(field), "article_not_found", format!("no article {number}")))?
        .id)
}

/// The spare parts that fit a model (by its article number), with stock.
pub async fn spare_parts(app: &App, user: &User, model_article_number: &str) -> Result<Vec<SparePart>> {
    require(user, super::WORKSHOP_STAFF, "spare parts")?;
    let model = article_id(app, model_article_number, "article_number").await?;
    Ok(app.storage.spare_parts(model).await?)
}

/// Links a part to a model (technicians and administrators).
pub async fn add_spare_part(
    app: &App,
    user: &User,
    model_article_number: &str,
    part_article_number: &str,
) -> Result<()> {
    require(user, &[Role::Technician], "linking spare parts")?;
    let model = article_id(app, model_article_number, "article_number").await?;
    let part = article_id(app, part_article_number, "part_article_number").await?;
    if model == part {
        return Err(AppError::invalid("part_article_number", "same_article", "a model is not its own spare part"));
    }
    Ok(app.storage.add_spare_part(model, part).await?)
}

/// Checks an item of the work order's checklist off, with who and when.
pub async fn check_item(app: &App, user: &User, work_order_id: Id, item_id: Id) -> Result<()> {
    require(user, HANDS, "work orders")?;
    app.storage.check_item(work_order_id, item_id, user.id, app.clock.now()).await.map_err(|e| match e {
        StorageError::StateMismatch(m) => AppError::conflict("checklist_item_refused", m).with_field("item_id"),
        other => other.into(),
    })
}

/// Stores an attachment of a work order: at most 10 MiB, a JPEG, PNG or
/// PDF by its first bytes (the name and the declared type are not
/// trusted), the name made safe. Refusals name the field `file`: 413 too
/// large, 415 another type, 422 empty.
pub async fn add_attachment(app: &App, user: &User, work_order_id: Id, filename: &str, content: Vec<u8>) -> Result<Id> {
    require(user, HANDS, "work orders")?;
    if content.is_empty() {
        return Err(AppError::invalid("file", "required", "choose a file"));
    }
    if content.len() > ATTACHMENT_MAX_BYTES {
        return Err(AppError::new(ErrorKind::TooLarge, "attachment_too_large", "an attachment is at most 10 MB")
            .with_field("file"));
    }
    let Some(kind) = AttachmentType::sniff(&content) else {
        return Err(AppError::new(
            ErrorKind::UnsupportedType,
            "attachment_type",
            "attach photos (JPEG, PNG) or PDF documents",
        )
        .with_field("file"));
    };
    app.storage.work_order(work_order_id).await?.ok_or_else(|| {
        AppError::not_found(Some("id"), "work_order_not_found", format!("no work order {work_order_id}"))
    })?;
    let a = NewAttachment {
        work_order_id,
        filename: sanitize_filename(filename, kind),
        content_type: kind.content_type().into(),
        content,
        uploaded_by: user.id,
        at: app.clock.now(),
    };
    Ok(app.storage.add_attachment(&a).await?)
}

/// One attachment with its content, for the workshop staff.
pub async fn attachment(app: &App, user: &User, work_order_id: Id, id: Id) -> Result<(AttachmentMeta, Vec<u8>)> {
    require(user, super::WORKSHOP_STAFF, "work orders")?;
    app.storage
        .attachment(work_order_id, id)
        .await?
        .ok_or_else(|| AppError::not_found(Some("id"), "attachment_not_found", "no such attachment"))
}

/// The user's workshop notifications (a signed adaptation), newest first.
pub async fn workshop_notifications(app: &App, user: &User) -> Result<Vec<WorkshopNotification>> {
    Ok(app.storage.workshop_notifications(user.id, crate::notifications::INBOX_SIZE).await?)
}
