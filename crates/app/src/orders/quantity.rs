//! A quantity of devices on a unit's order. A device is tracked one by
//! one, so an order line holds one device; for a unit or buffer order a
//! request line of `n` devices (1–99) becomes `n` order lines, each
//! reserving its own device in the order's transaction, as any line does.
//! Before anything is reserved the stock is counted, so a line asking for
//! more than there is is refused naming its quantity; a race lost after
//! the count is still refused by the reservation itself.
//! For a patient a device stays one per line (`one_device_per_line`).

use super::cart::LinePreview;
use super::cart::LineRequest;
use crate::error::{AppError, Result};
use crate::unit_orders::check_quantity;
use crate::App;
use ramp_domain::order::OrderTarget;

/// At most this many devices on one order placed in one request.
pub const MAX_DEVICES: usize = 200;

/// How many devices the line stands for: its quantity for a unit's or
/// buffer's device line with enough in stock, else one (the line's own
/// rules then judge its quantity).
pub(super) async fn devices_of(
    app: &App,
    preview: &LinePreview,
    req: &LineRequest,
    target: OrderTarget,
) -> Result<usize> {
    if target == OrderTarget::Patient || !preview.article.kind.is_individual() {
        return Ok(1);
    }
    let wanted = check_quantity(req.quantity)?;
    if wanted == 1 {
        return Ok(1);
    }
    let stock = app.storage.central_stock(&[preview.article.id], app.clock.now()).await?;
    let in_stock = stock.first().map_or(0, |s| s.1);
    if in_stock < i64::from(wanted) {
        return Err(AppError::conflict(
            "not_enough_in_stock",
            format!(
                "{} of {} ({}) are in stock; {wanted} were asked for: order at most {in_stock} or another article",
                in_stock, preview.article.name, preview.article.article_number
            ),
        )
        .with_field("quantity"));
    }
    Ok(wanted as usize)
}

/// Refuses an order of more than [`MAX_DEVICES`] devices.
pub(super) fn check_devices(total: usize) -> Result<()> {
    if total > MAX_DEVICES {
        return Err(AppError::invalid(
            "lines",
            "too_many_devices",
            format!("an order holds at most {MAX_DEVICES} devices; split it in two"),
        ));
    }
    Ok(())
}
