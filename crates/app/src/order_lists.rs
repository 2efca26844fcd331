//! A unit's saved order lists ("beställningslistor"): create, read, edit
//! and delete. A list is the unit's, not its maker's: every orderer of the
//! unit sees and edits the unit's lists, and nobody else sees them (403
//! `other_unit` for another unit's list). Ordering from a list fills the
//! order form, which the orderer may change before sending.

use crate::error::{AppError, Result};
use crate::unit_orders::{check_quantity, orderable_article, orderer_unit, LineInput};
use crate::App;
use ramp_model::{Id, NewOrderList, OrderList, StorageError, User};
use std::collections::HashSet;

/// At most this many lines on a list (as on an order placed in one request).
pub const MAX_LINES: usize = crate::orders::MAX_DIRECT_LINES;

/// A list as the orderer writes it.
#[derive(Debug, Clone, Default)]
pub struct ListInput {
    pub name: String,
    pub lines: Vec<LineInput>,
}

/// The unit's lists, by name.
pub async fn lists(app: &App, user: &User) -> Result<Vec<OrderList>> {
    let unit = orderer_unit(app, user).await?;
    Ok(app.storage.order_lists(unit.id).await?)
}

/// One of the unit's lists.
pub async fn list(app: &App, user: &User, id: Id) -> Result<OrderList> {
    let unit = orderer_unit(app, user).await?;
    let list = app.storage.order_list(id).await?.ok_or_else(|| not_found(id))?;
    if list.unit_id != unit.id {
        return Err(AppError::forbidden("other_unit", "this order list belongs to another unit"));
    }
    Ok(list)
}

/// Creates a list for the user's unit.
pub async fn create(app: &App, user: &User, input: &ListInput) -> Result<OrderList> {
    let unit = orderer_unit(app, user).await?;
    let new = checked(app, user, unit.id, input).await?;
    let id = app.storage.create_order_list(&new).await.map_err(name_taken)?;
    list(app, user, id).await
}

/// Replaces a list's name and lines.
pub async fn update(app: &App, user: &User, id: Id, input: &ListInput) -> Result<OrderList> {
    let unit = list(app, user, id).await?.unit_id;
    let new = checked(app, user, unit, input).await?;
    if !app.storage.update_order_list(id, &new).await.map_err(name_taken)? {
        return Err(not_found(id));
    }
    list(app, user, id).await
}

/// Deletes a list with its lines.
pub async fn delete(app: &App, user: &User, id: Id) -> Result<()> {
    let unit = list(app, user, id).await?.unit_id;
    if !app.storage.delete_order_list(id, unit).await? {
        return Err(not_found(id));
    }
    Ok(())
}

fn not_found(id: Id) -> AppError {
    AppError::not_found(Some("id"), "order_list_not_found", format!("no order list {id}"))
}

fn name_taken(e: StorageError) -> AppError {
    if e.is_conflict_on("order_lists_unit_name_key", "order_lists.unit_id") {
        return AppError::conflict("order_list_name_taken", "the unit already has a list with this name")
            .with_field("name");
    }
    e.into()
}

/// The list to write: a name of 1 to 80 characters, 1 to [`MAX_LINES`]
/// lines of orderable articles, each once, 1 to 99 of it.
async fn checked(app: &App, user: &User, unit_id: Id, input: &ListInput) -> Result<NewOrderList> {
    let name = input.name.trim();
    if name.is_empty() {
        return Err(AppError::invalid("name", "required", "give the list a name"));
    }
    if name.chars().count() > 80 {
        return Err(AppError::invalid("name", "too_long", "a list's name is at most 80 characters"));
    }
    if input.lines.is_empty() {
        return Err(AppError::invalid("lines", "no_lines", "a list has at least one line"));
    }
    if input.lines.len() > MAX_LINES {
        return Err(AppError::invalid("lines", "too_many_lines", format!("a list has at most {MAX_LINES} lines")));
    }
    let mut seen = HashSet::new();
    let mut lines = Vec::with_capacity(input.lines.len());
    for (i, l) in input.lines.iter().enumerate() {
        let line = async {
            let article = orderable_article(app, &l.article_number).await?;
            let quantity = check_quantity(l.quantity)?;
            if !seen.insert(article.id) {
                return Err(AppError::invalid(
                    "article_number",
                    "duplicate_article",
                    "the article is already on the list; change that line's quantity",
                ));
            }
            Ok((article.id, quantity))
        };
        lines.push(line.await.map_err(|e| e.within("lines", i))?);
    }
    Ok(NewOrderList { unit_id, name: name.to_string(), lines, by: user.id, at: app.clock.now() })
}
