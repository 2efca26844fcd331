//! Placing an order in one request, without the cart: the lines come with
//! the order, and every device is reserved in the order's own transaction.
//! For a client that knows what it orders (a journal-system integration,
//! a repeat order) this is one request and one commit instead of one per
//! line and one more for the order; nothing is held between requests, so
//! there is no reservation to run out. The rules are the cart's: the same
//! recipient check (audited), competence gate, replacement chain, cost
//! decision and refusals, each naming its line (`lines[0].article_number`).

use super::cart::{check_ready, no_longer_available, prepare_line, validate, LinePreview, LineRequest};
use super::place::{as_placed, check_form, decided_line, new_order, OrderRequest, Shown};
use super::recipient::{resolve, Recipient};
use crate::error::{AppError, Result};
use crate::App;
use chrono::SubsecRound;
use ramp_domain::cost::Need;
use ramp_domain::order::OrderTarget;
use ramp_storage::{DirectPlacement, NewDirectLine, NewDirectOrder, NewOrderLine, Order, User};

/// At most this many lines in one order placed directly.
pub const MAX_DIRECT_LINES: usize = 50;

/// One line worked out: what goes out, who pays, and what it shows.
struct ReadyLine {
    preview: LinePreview,
    new: NewDirectLine,
}

/// Places `lines` for the recipient in one transaction (see the module
/// documentation). The recipient's audit row goes into that transaction,
/// or is written alone when the order is refused.
#[allow(clippy::too_many_arguments)] // the order form, its lines and its key, as `place_order` has them
pub(super) async fn place_direct(
    app: &App,
    user: &User,
    req: &OrderRequest,
    lines: &[LineRequest],
    target: OrderTarget,
    key: Option<String>,
    hash: &str,
    request_id: Option<&str>,
) -> Result<Order> {
    if lines.is_empty() {
        return Err(AppError::invalid(
            "lines",
            "no_lines",
            "give at least one line, or leave `lines` out to order what is in the cart",
        ));
    }
    if lines.len() > MAX_DIRECT_LINES {
        return Err(AppError::invalid(
            "lines",
            "too_many_lines",
            format!("an order has at most {MAX_DIRECT_LINES} lines"),
        ));
    }
    for (i, line) in lines.iter().enumerate() {
        validate(line).map_err(|e| e.within("lines", i))?;
    }
    let recipient =
        resolve(app, user, target, req.personal_id.as_deref(), req.unit_id, "order.create", request_id).await?;
    let placed = place_lines(app, user, req, lines, key, hash, &recipient).await;
    recipient.audited_on_error(app, placed).await
}

async fn ready_line(app: &App, user: &User, req: &LineRequest, recipient: &Recipient) -> Result<ReadyLine> {
    let (preview, answer) = prepare_line(app, user, req, recipient).await?;
    let (d, individual) = check_ready(&preview, req)?;
    let line = NewOrderLine {
        requested_article_id: preview.requested.id,
        substitution: preview.substitution,
        quantity: req.quantity.unwrap_or(1),
        need: (recipient.target == OrderTarget::Patient)
            .then(|| req.need.unwrap_or(Need::Lasting).as_str().to_string()),
        ..decided_line(d, &preview.article, app.today())
    };
    Ok(ReadyLine { preview, new: NewDirectLine { line, individual, answer } })
}

async fn place_lines(
    app: &App,
    user: &User,
    req: &OrderRequest,
    lines: &[LineRequest],
    key: Option<String>,
    hash: &str,
    recipient: &Recipient,
) -> Result<Order> {
    // Whole microseconds, as in the cart path: the order answered is the order stored.
    let now = app.clock.now().trunc_subsecs(6);
    let mut ready = Vec::with_capacity(lines.len());
    for (i, line) in lines.iter().enumerate() {
        ready.push(ready_line(app, user, line, recipient).await.map_err(|e| e.within("lines", i))?);
    }
    let temporary = ready.iter().any(|r| r.new.line.need.as_deref() == Some(Need::Temporary.as_str()));
    check_form(app, req, recipient.target, temporary)?;
    let mut order = new_order(user, req, recipient, key, hash, now);
    let direct = NewDirectOrder { order: order.clone(), lines: ready.iter().map(|r| r.new.clone()).collect() };
    let (id, devices) = match app.storage.place_direct_order(&direct).await? {
        DirectPlacement::Placed { order_id, devices } => (order_id, devices),
        DirectPlacement::Unavailable { line } => {
            return Err(no_longer_available(app, &ready[line].preview.article).await?.within("lines", line));
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
