//! The prescriber's inbox: a notification for every status change of an
//! order they placed (written with the change, see `orders::status`).
//! A notification names the order and its first article, never the
//! patient, so reading the inbox is not a read of patient data.

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
