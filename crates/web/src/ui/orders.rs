//! Orders: one order with its lines and status history, and the centre's
//! order queue where the warehouse moves orders to picked, out for
//! delivery and delivered. The order list is in `order_list.rs`.

use super::page::{error_page, render, Page};
use crate::extract::{CsrfForm, CsrfToken, RequestId, UiUser};
use crate::i18n::Lang;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use ramp_app::model::{Id, Order, OrderSummary, User};
use ramp_domain::order::OrderStatus;
use ramp_domain::role::Role;
use ramp_domain::Term;
use serde::Deserialize;

/// Whether the user is the warehouse or customer service (who move orders).
fn moves_orders(user: &User) -> bool {
    [Role::Warehouse, Role::CustomerService, Role::Admin].iter().any(|r| user.has_role(*r))
}

/// The moves the staff's buttons offer from a status, in order.
pub fn next_moves(from: &OrderStatus) -> Vec<OrderStatus> {
    [OrderStatus::Picked, OrderStatus::OutForDelivery, OrderStatus::Delivered]
        .into_iter()
        .filter(|to| from.may_become(*to))
        .collect()
}

/// The button text of a move.
pub fn move_label(page: &Page, to: &OrderStatus) -> &'static str {
    match to {
        OrderStatus::Picked => page.t("order.move_picked"),
        OrderStatus::OutForDelivery => page.t("order.move_out"),
        OrderStatus::Delivered => page.t("order.move_delivered"),
        OrderStatus::Registered | OrderStatus::Cancelled => page.t("order.cancel"),
    }
}

#[derive(Template)]
#[template(path = "order.html")]
struct OrderTemplate {
    page: Page,
    order: Order,
    /// Where the move buttons return to.
    back: String,
    can_cancel: bool,
    staff: bool,
    dv: super::delivery::DeliveryView,
}

impl OrderTemplate {
    fn line_state(&self, state: &ramp_domain::order::LineState) -> &'static str {
        self.page.t(&format!("order.line.{state}"))
    }

    fn moves(&self) -> Vec<OrderStatus> {
        if self.staff {
            next_moves(&self.order.status)
        } else {
            vec![]
        }
    }

    fn label(&self, to: &OrderStatus) -> &'static str {
        move_label(&self.page, to)
    }
}

pub async fn show(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    RequestId(rid): RequestId,
    Path(id): Path<Id>,
) -> Response {
    match ramp_app::orders::order(&state.app, &user, id, Some(&rid)).await {
        Ok(order) => {
            let mut page = Page::new(lang, "order.title", Some(&user), &csrf, "orders");
            match ramp_app::patients::emergency_banner(&state.app, &user, order.patient_id).await {
                Ok(until) => page.emergency_until = until,
                Err(e) => return error_page(lang, e),
            }
            page.title = format!("{} {} – {}", lang.t("order.title"), order.id, page.order_status(&order.status));
            let staff = moves_orders(&user);
            let can_cancel = (order.created_by == user.id && order.status == OrderStatus::Registered)
                || (staff && order.status.may_become(OrderStatus::Cancelled));
            let back = format!("/orders/{}", order.id);
            let dv = super::delivery::DeliveryView::of(lang, &order);
            render(&OrderTemplate { page, order, back, can_cancel, staff, dv }, StatusCode::OK)
        }
        Err(e) => error_page(lang, e),
    }
}

#[derive(Template)]
#[template(path = "order_confirmation.html")]
struct ConfirmationTemplate {
    page: Page,
    order: Order,
    patient: Option<ramp_app::model::Patient>,
    dv: super::delivery::DeliveryView,
}

/// The confirmation after ordering: number, patient, lines, delivery and
/// payer on one printable page (its read audited as the order's).
pub async fn confirmation(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    RequestId(rid): RequestId,
    Path(id): Path<Id>,
) -> Response {
    match ramp_app::orders::order_with_patient(&state.app, &user, id, Some(&rid)).await {
        Ok((order, patient)) => {
            let mut page = Page::new(lang, "confirm.title", Some(&user), &csrf, "orders");
            page.title = format!("{} {}", lang.t("confirm.title"), order.id);
            let dv = super::delivery::DeliveryView::of(lang, &order);
            render(&ConfirmationTemplate { page, order, patient, dv }, StatusCode::OK)
        }
        Err(e) => error_page(lang, e),
    }
}

#[derive(Deserialize)]
pub struct QueueParams {
    status: Option<String>,
}

#[derive(Template)]
#[template(path = "order_queue.html")]
struct QueueTemplate {
    page: Page,
    status: OrderStatus,
    orders: Vec<OrderSummary>,
    back: String,
    staff: bool,
}

impl QueueTemplate {
    fn moves(&self, o: &OrderSummary) -> Vec<OrderStatus> {
        if self.staff {
            next_moves(&o.status)
        } else {
            vec![]
        }
    }

    fn label(&self, to: &OrderStatus) -> &'static str {
        move_label(&self.page, to)
    }

    fn method(&self, m: &ramp_domain::shipping::DeliveryMethod) -> &'static str {
        super::delivery::method_name(self.page.lang, *m)
    }

    fn urgency(&self, u: &ramp_domain::shipping::Urgency) -> &'static str {
        super::delivery::urgency_name(self.page.lang, *u)
    }

    fn urgent(&self, o: &OrderSummary) -> bool {
        o.urgency == ramp_domain::shipping::Urgency::Urgent
    }

    fn current(&self, s: &OrderStatus) -> &'static str {
        if *s == self.status {
            "page"
        } else {
            "false"
        }
    }
}

/// The centre's order queue: orders in one status, oldest first.
pub async fn queue(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    Query(q): Query<QueueParams>,
) -> Response {
    let status = match OrderStatus::parse(q.status.as_deref().unwrap_or("registered")) {
        Ok(s) => s,
        Err(e) => return error_page(lang, e.into()),
    };
    match ramp_app::orders::order_queue(&state.app, &user, status).await {
        Ok(orders) => {
            let mut page = Page::new(lang, "queue.title", Some(&user), &csrf, "queue");
            page.title = format!("{} – {}", lang.t("queue.title"), page.order_status(&status));
            let back = format!("/orders/queue?status={}", status.as_str());
            let staff = moves_orders(&user);
            render(&QueueTemplate { page, status, orders, back, staff }, StatusCode::OK)
        }
        Err(e) => error_page(lang, e),
    }
}

#[derive(Deserialize)]
pub struct StatusForm {
    #[serde(default)]
    status: String,
    #[serde(default)]
    received_by: String,
    #[serde(default)]
    back: String,
}

/// Only this site's order pages (and the pick list) are returned to after a move.
fn safe_back(back: &str, id: Id) -> String {
    let back = super::login::safe_next(back);
    if back.starts_with("/orders") || back.starts_with("/desk/") {
        back
    } else {
        format!("/orders/{id}")
    }
}

/// Moves an order (the warehouse), or cancels it (its creator, while registered).
pub async fn change_status(
    State(state): State<AppState>,
    lang: Lang,
    UiUser(user): UiUser,
    Path(id): Path<Id>,
    CsrfForm(f): CsrfForm<StatusForm>,
) -> Response {
    let to = match OrderStatus::parse(&f.status) {
        Ok(s) => s,
        Err(e) => return error_page(lang, e.into()),
    };
    let received_by = Some(f.received_by.as_str()).filter(|r| !r.trim().is_empty());
    match ramp_app::orders::change_status(&state.app, &user, id, to, received_by).await {
        Ok(_) => Redirect::to(&safe_back(&f.back, id)).into_response(),
        Err(e) => error_page(lang, e),
    }
}
