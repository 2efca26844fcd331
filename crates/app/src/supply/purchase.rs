//! Purchase orders to suppliers (issue 19): what the warehouse ordered,
//! by when, and what of it has come. A receipt against an order counts on
//! its lines; receiving more than is outstanding is refused naming the
//! receipt's line.

use super::receiving::ReceiptRequest;
use super::require;
use crate::error::{AppError, Result};
use crate::App;
use chrono::NaiveDate;
use ramp_domain::role::Role;
use ramp_model::{Id, NewPurchaseOrder, PurchaseOrder, User};
use std::collections::HashMap;

/// One line of a purchase order to create.
#[derive(Debug, Clone, Default)]
pub struct PurchaseLineRequest {
    pub article_number: String,
    pub quantity: i32,
}

#[derive(Debug, Clone, Default)]
pub struct PurchaseOrderRequest {
    pub supplier_id: Id,
    pub warehouse_id: Id,
    pub expected_on: Option<NaiveDate>,
    pub lines: Vec<PurchaseLineRequest>,
}

/// A purchase order as shown: is it late?
#[derive(Debug, Clone, serde::Serialize)]
pub struct PurchaseOrderView {
    #[serde(flatten)]
    pub order: PurchaseOrder,
    /// Open and expected before today.
    pub overdue: bool,
}

fn view(app: &App, order: PurchaseOrder) -> PurchaseOrderView {
    let overdue = order.status == "open" && order.expected_on < app.today();
    PurchaseOrderView { order, overdue }
}

/// Creates a purchase order. Every line is checked first; an article
/// appears once, from the order's supplier.
pub async fn create_purchase_order(app: &App, user: &User, req: &PurchaseOrderRequest) -> Result<Id> {
    require(user, &[Role::Warehouse], "purchasing")?;
    if !app.storage.suppliers().await?.iter().any(|s| s.id == req.supplier_id) {
        return Err(AppError::invalid("supplier_id", "supplier_not_found", "no such supplier"));
    }
    if !app.storage.warehouses().await?.iter().any(|w| w.id == req.warehouse_id) {
        return Err(AppError::invalid("warehouse_id", "warehouse_not_found", "no such warehouse"));
    }
    let expected_on = req
        .expected_on
        .ok_or_else(|| AppError::invalid("expected_on", "date_required", "give the expected delivery date"))?;
    if expected_on < app.today() {
        return Err(AppError::invalid("expected_on", "date_in_past", "the expected delivery date is today or later"));
    }
    if req.lines.is_empty() {
        return Err(AppError::invalid("lines", "empty_order", "a purchase order has at least one line"));
    }
    let mut lines: Vec<(Id, i32)> = vec![];
    for (i, l) in req.lines.iter().enumerate() {
        let field = format!("lines[{i}].article_number");
        let number = l.article_number.trim();
        let a = app
            .storage
            .article_by_number(number)
            .await?
            .ok_or_else(|| AppError::invalid(field.clone(), "article_not_found", format!("no article {number}")))?;
        if a.supplier_id != req.supplier_id {
            return Err(AppError::invalid(field, "not_from_supplier", "the article is not from the order's supplier"));
        }
        if lines.iter().any(|(id, _)| *id == a.id) {
            return Err(AppError::invalid(field, "duplicate_article", "each article once per order"));
        }
        if !(1..=1_000_000).contains(&l.quantity) {
            return Err(AppError::invalid(format!("lines[{i}].quantity"), "invalid_quantity", "1 to 1,000,000"));
        }
        lines.push((a.id, l.quantity));
    }
    let order = NewPurchaseOrder {
        supplier_id: req.supplier_id,
        warehouse_id: req.warehouse_id,
        expected_on,
        created_by: user.id,
        at: app.clock.now(),
        lines,
    };
    Ok(app.storage.create_purchase_order(&order).await?)
}

/// Purchase orders by expected date: the open ones, or all.
pub async fn purchase_orders(app: &App, user: &User, open_only: bool) -> Result<Vec<PurchaseOrderView>> {
    require(user, &[Role::Warehouse, Role::Finance], "purchasing")?;
    Ok(app.storage.purchase_orders(open_only).await?.into_iter().map(|o| view(app, o)).collect())
}

pub async fn purchase_order(app: &App, user: &User, id: Id) -> Result<PurchaseOrderView> {
    require(user, &[Role::Warehouse, Role::Finance], "purchasing")?;
    let order = app.storage.purchase_order(id).await?.ok_or_else(|| {
        AppError::not_found(Some("purchase_order_id"), "purchase_order_not_found", format!("no purchase order {id}"))
    })?;
    Ok(view(app, order))
}

/// Checks a receipt's lines against an open purchase order and gives its
/// supplier. Lines are (field, supplier, article, quantity); the first line
/// that takes an article past what is outstanding is named.
pub(super) async fn check_against_order(
    app: &App,
    req: &ReceiptRequest,
    po: Id,
    lines: &[(String, Id, Id, i32)],
) -> Result<Id> {
    let order = app.storage.purchase_order(po).await?.ok_or_else(|| {
        AppError::invalid("purchase_order_id", "purchase_order_not_found", format!("no purchase order {po}"))
    })?;
    if order.status != "open" {
        return Err(AppError::invalid(
            "purchase_order_id",
            "purchase_order_closed",
            "the purchase order is fully received",
        ));
    }
    if order.warehouse_id != req.warehouse_id {
        return Err(AppError::invalid(
            "warehouse_id",
            "wrong_warehouse",
            "the purchase order is for another warehouse",
        ));
    }
    if req.supplier_id.is_some_and(|s| s != order.supplier_id) {
        return Err(AppError::invalid("supplier_id", "wrong_supplier", "the purchase order is to another supplier"));
    }
    let mut counted: HashMap<Id, i32> = HashMap::new();
    for (field, _, article_id, quantity) in lines {
        let Some(line) = order.lines.iter().find(|l| l.article_id == *article_id) else {
            return Err(AppError::invalid(field.clone(), "not_on_order", "the article is not on the purchase order"));
        };
        let sum = counted.entry(*article_id).or_default();
        *sum += quantity;
        if *sum > line.outstanding() {
            return Err(AppError::invalid(
                field.clone(),
                "over_receipt",
                format!(
                    "more {} than ordered: line {} has {} of {} outstanding",
                    line.article_name,
                    line.line_no,
                    line.outstanding(),
                    line.ordered
                ),
            ));
        }
    }
    Ok(order.supplier_id)
}
