//! The prescriber's inbox: a notification for every status change of an
//! order they placed (written with the change, see `orders::status`).
//! A notification names the order and its first article, never the
//! patient, so reading the inbox is not a read of patient data.
//!
//! Besides them, the inbox of care staff at a unit shows the unit's open
//! alarms from digital devices (issue 21): those name the patient, so
//! showing them is audited as the alarm list is.

use crate::error::{AppError, Result};
use crate::App;
use ramp_model::{Id, Notification, User};

/// At most this many notifications are shown, newest first.
pub const INBOX_SIZE: i64 = 100;

/// The user's inbox, newest first, and how many are unread.
pub async fn inbox(app: &App, user: &User) -> Result<(Vec<Notification>, i64)> {
    let list = app.storage.notifications(user.id, INBOX_SIZE).await?;
    let unread = app.storage.unread_notifications(user.id).await?;
    Ok((list, unread))
}

/// The open alarms of the user's unit for the inbox (none for users
/// without a unit and for the centre's staff, who use the alarm page).
pub async fn open_alarms(app: &App, user: &User, request_id: Option<&str>) -> Result<Vec<crate::digital::UnitAlarm>> {
    crate::digital::inbox_alarms(app, user, request_id).await
}

/// How many of the user's notifications are unread (the menu's badge).
pub async fn unread(app: &App, user: &User) -> Result<i64> {
    Ok(app.storage.unread_notifications(user.id).await?)
}

/// Marks one of the user's notifications read; marking it again changes nothing.
pub async fn mark_read(app: &App, user: &User, id: Id) -> Result<()> {
    if app.storage.mark_notification_read(user.id, id, app.clock.now()).await? {
        Ok(())
    } else {
        Err(AppError::not_found(Some("id"), "notification_not_found", format!("no notification {id} in your inbox")))
    }
}
