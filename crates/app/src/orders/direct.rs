//! The lines of an order placed in one request, without the cart: each
//! decided by the cart's rules (the competence gate, the replacement
//! chain, the cost decision and its refusals, each naming its line,
//! `lines[0].article_number`), and every device reserved in the order's
//! own transaction. For a client that knows what it orders (a
//! journal-system integration, a repeat order) this is one request and one
//! commit; nothing is held between requests, so no reservation runs out.

use super::cart::{check_ready, no_longer_available, prepare_line, LinePreview, LineRequest};
use super::plan::{as_placed, decided_line, Shown};
use super::quantity;
use super::recipient::Recipient;
use crate::error::Result;
use crate::App;
use ramp_domain::cost::Need;
use ramp_domain::order::OrderTarget;
use ramp_model::{DirectPlacement, NewDirectLine, NewDirectOrder, NewOrder, NewOrderLine, Order, User};

/// One line worked out: what goes out, who pays, and what it shows.
#[derive(Clone)]
pub(super) struct ReadyLine {
    preview: LinePreview,
    pub new: NewDirectLine,
    /// The request's line it came from (a unit's quantity of devices is several lines).
    index: usize,
}

/// Decides every line of the request for the recipient; a refusal names its line.
pub(super) async fn ready_lines(
    app: &App,
    user: &User,
    lines: &[LineRequest],
    recipient: &Recipient,
) -> Result<Vec<ReadyLine>> {
    let mut ready = Vec::with_capacity(lines.len());
    for (i, line) in lines.iter().enumerate() {
        ready.extend(ready_line(app, user, line, recipient, i).await.map_err(|e| e.within("lines", i))?);
        quantity::check_devices(ready.len())?;
    }
    Ok(ready)
}

/// The line's order lines: one, or for a unit's quantity of devices one per device.
async fn ready_line(
    app: &App,
    user: &User,
    req: &LineRequest,
    recipient: &Recipient,
    index: usize,
) -> Result<Vec<ReadyLine>> {
    let (preview, answer) = prepare_line(app, user, req, recipient).await?;
    let devices = quantity::devices_of(app, &preview, req, recipient.target).await?;
    let each = if devices > 1 { LineRequest { quantity: Some(1), ..req.clone() } } else { req.clone() };
    let (d, individual) = check_ready(&preview, &each)?;
    let line = NewOrderLine {
        requested_article_id: preview.requested.id,
        substitution: preview.substitution,
        quantity: each.quantity.unwrap_or(1),
        need: (recipient.target == OrderTarget::Patient).then(|| req.need.unwrap_or(Need::Lasting)),
        ..decided_line(d, &preview.article, app.today())
    };
    let one = ReadyLine { preview, new: NewDirectLine { line, individual, answer }, index };
    Ok(vec![one; devices])
}

/// Writes the order with its lines, reserving each line's device in the
/// same transaction; a line whose article ran out is refused with the
/// alternatives in stock.
pub(super) async fn commit(
    app: &App,
    mut order: NewOrder,
    ready: Vec<ReadyLine>,
    recipient: &Recipient,
) -> Result<Order> {
    let direct = NewDirectOrder { order: order.clone(), lines: ready.iter().map(|r| r.new.clone()).collect() };
    let (id, devices) = match app.storage.place_direct_order(&direct).await? {
        DirectPlacement::Placed { order_id, devices } => (order_id, devices),
        DirectPlacement::Unavailable { line } => {
            return Err(no_longer_available(app, &ready[line].preview.article)
                .await?
                .within("lines", ready[line].index));
        }
    };
    let mut shown = Vec::with_capacity(ready.len());
    for (r, device) in ready.into_iter().zip(devices) {
        let mut line = r.new.line;
        line.device_id = device.as_ref().map(|d| d.id);
        order.lines.push(line);
        shown.push(Shown {
            article_number: r.preview.article.article_number,
            article_name: r.preview.article.name,
            requested_article_number: r.preview.requested.article_number,
            device_number: device.map(|d| d.device_number),
        });
    }
    as_placed(app, id, &order, &shown, &recipient.unit).await
}
