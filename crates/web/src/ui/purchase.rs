//! Purchase orders to suppliers on the warehouse desk (issue 19): the open
//! orders by expected date with the late ones marked, what is still
//! outstanding per line, a link to receive against each, and a form to
//! create one. A refusal is shown beside its field or row.

use super::desk::{default_warehouse, log_if_internal};
use super::form::Field;
use super::page::{error_page, render, Page};
use super::receive::{listed_warehouses, RowView};
use crate::extract::{CsrfForm, CsrfToken, UiUser};
use crate::i18n::Lang;
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use ramp_app::dates::parse_optional_date;
use ramp_app::model::{Supplier, User, Warehouse};
use ramp_app::supply::{self as s, PurchaseOrderView};
use ramp_app::AppError;
use serde::Deserialize;

const LINE_ROWS: usize = 5;
/// At most this many lines in one form.
const MAX_LINES: usize = 50;

#[derive(Default)]
struct OrderForm {
    supplier_id: String,
    warehouse_id: String,
    expected_on: String,
    lines: Vec<(String, String)>,
}

impl OrderForm {
    fn parse(pairs: Vec<(String, String)>) -> OrderForm {
        let mut f = OrderForm { lines: vec![Default::default(); LINE_ROWS], ..OrderForm::default() };
        let mut rows = LINE_ROWS;
        for (k, v) in pairs {
            match k.as_str() {
                "supplier_id" => f.supplier_id = v,
                "warehouse_id" => f.warehouse_id = v,
                "expected_on" => f.expected_on = v,
                _ => {
                    let Some((idx, field)) = k.strip_prefix("lines[").and_then(|r| r.split_once("].")) else {
                        continue;
                    };
                    let Some(i) = idx.parse::<usize>().ok().filter(|i| *i < MAX_LINES) else { continue };
                    if i >= rows {
                        rows = i + 1;
                        f.lines.resize(rows, Default::default());
                    }
                    match field {
                        "article_number" => f.lines[i].0 = v,
                        "quantity" => f.lines[i].1 = v,
                        _ => {}
                    }
                }
            }
        }
        f
    }

    /// The request, with each request line's form row.
    fn request(&self) -> Result<(s::PurchaseOrderRequest, Vec<usize>), AppError> {
        let id = |v: &str, field: &str, code: &'static str| {
            v.trim().parse::<i64>().map_err(|_| AppError::invalid(field.to_string(), code, "choose from the list"))
        };
        let mut lines = vec![];
        let mut rows = vec![];
        for (i, (article, quantity)) in self.lines.iter().enumerate() {
            if article.trim().is_empty() && quantity.trim().is_empty() {
                continue;
            }
            let quantity = quantity.trim().parse().map_err(|_| {
                AppError::invalid(format!("lines[{i}].quantity"), "invalid_receipt_quantity", "1 to 1,000,000")
            })?;
            lines.push(s::PurchaseLineRequest { article_number: article.clone(), quantity });
            rows.push(i);
        }
        let req = s::PurchaseOrderRequest {
            supplier_id: id(&self.supplier_id, "supplier_id", "supplier_not_found")?,
            warehouse_id: id(&self.warehouse_id, "warehouse_id", "warehouse_not_found")?,
            expected_on: parse_optional_date("expected_on", Some(&self.expected_on), "2027-02-01")?,
            lines,
        };
        Ok((req, rows))
    }
}

#[derive(Template)]
#[template(path = "desk_purchase.html")]
struct PurchaseTemplate {
    page: Page,
    tab: &'static str,
    orders: Vec<PurchaseOrderView>,
    suppliers: Vec<Supplier>,
    warehouses: Vec<Warehouse>,
    form_supplier: String,
    form_warehouse: String,
    expected_on: Field,
    lines: Vec<RowView>,
    created: Option<String>,
}

impl PurchaseTemplate {
    fn supplier_selected(&self, s: &Supplier) -> bool {
        self.form_supplier == s.id.to_string()
    }

    fn warehouse_selected(&self, w: &Warehouse) -> bool {
        self.form_warehouse == w.id.to_string()
    }
}

async fn build(state: &AppState, user: &User, page: Page, f: &OrderForm) -> Result<PurchaseTemplate, AppError> {
    let orders = s::purchase_orders(&state.app, user, true).await?;
    let suppliers = ramp_app::warehouse::suppliers(&state.app, user).await?;
    let ws = listed_warehouses(&state.app, user).await?;
    let form_warehouse =
        if f.warehouse_id.is_empty() { default_warehouse(&ws).to_string() } else { f.warehouse_id.clone() };
    let expected_on = Field::new(&page, "expected_on", page.t("wh.po_expected_on"), &f.expected_on)
        .kind("date")
        .required()
        .hint(page.t("wh.po_expected_hint"));
    let lines = f
        .lines
        .iter()
        .enumerate()
        .map(|(i, (article, quantity))| RowView {
            n: i + 1,
            fields: vec![
                Field::new(&page, &format!("lines[{i}].article_number"), page.t("desk.article_number"), article)
                    .max(40),
                Field::new(&page, &format!("lines[{i}].quantity"), page.t("desk.quantity"), quantity).max(10),
            ],
        })
        .collect();
    Ok(PurchaseTemplate {
        page,
        tab: "purchase",
        orders,
        suppliers,
        warehouses: ws,
        form_supplier: f.supplier_id.clone(),
        form_warehouse,
        expected_on,
        lines,
        created: None,
    })
}

#[derive(Deserialize)]
pub struct PurchaseParams {
    created: Option<String>,
    /// Suggest an order to this supplier for this warehouse from what is
    /// below its reorder threshold there.
    warehouse: Option<String>,
    supplier: Option<String>,
}

/// The create form filled with a suggestion: every article of `supplier`
/// below its threshold in `warehouse`, as many as bring it back to it.
async fn suggestion(state: &AppState, user: &User, warehouse: &str, supplier: &str) -> Result<OrderForm, AppError> {
    let (w, s) = (warehouse.trim(), supplier.trim());
    let below = ramp_app::warehouse::below_threshold(&state.app, user).await?;
    let mut lines: Vec<(String, String)> = below
        .iter()
        .filter(|l| l.warehouse_id.to_string() == w && l.supplier_id.to_string() == s)
        .map(|l| (l.article_number.clone(), l.shortfall().to_string()))
        .take(MAX_LINES)
        .collect();
    lines.resize(lines.len().max(LINE_ROWS), Default::default());
    Ok(OrderForm { supplier_id: s.to_string(), warehouse_id: w.to_string(), lines, ..OrderForm::default() })
}

pub async fn page(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    Query(q): Query<PurchaseParams>,
) -> Response {
    let page = Page::new(lang, "wh.po_title", Some(&user), &csrf, "desk");
    let form = match (q.warehouse.as_deref(), q.supplier.as_deref()) {
        (Some(w), Some(s)) => match suggestion(&state, &user, w, s).await {
            Ok(f) => f,
            Err(e) => return error_page(lang, e),
        },
        _ => OrderForm { lines: vec![Default::default(); LINE_ROWS], ..OrderForm::default() },
    };
    match build(&state, &user, page, &form).await {
        Ok(mut t) => {
            t.created = q.created.filter(|c| c.chars().all(|c| c.is_ascii_digit()));
            render(&t, StatusCode::OK)
        }
        Err(e) => error_page(lang, e),
    }
}

pub async fn create(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let form = OrderForm::parse(pairs);
    let done = match form.request() {
        Err(e) => Err(e),
        Ok((req, rows)) => s::create_purchase_order(&state.app, &user, &req).await.map_err(|mut e| {
            if let Some(f) = e.field.clone() {
                if let Some((idx, rest)) = f.strip_prefix("lines[").and_then(|r| r.split_once("].")) {
                    if let Some(row) = idx.parse::<usize>().ok().and_then(|i| rows.get(i)) {
                        e.field = Some(format!("lines[{row}].{rest}"));
                    }
                }
            }
            if e.code == "invalid_quantity" {
                e.code = "invalid_receipt_quantity";
            }
            e
        }),
    };
    match done {
        Ok(id) => Redirect::to(&format!("/desk/purchase-orders?created={id}")).into_response(),
        Err(e) => {
            log_if_internal(&e);
            let status = crate::error::status_of(e.kind);
            let mut page = Page::new(lang, "wh.po_title", Some(&user), &csrf, "desk");
            page.add_error(&e);
            match build(&state, &user, page, &form).await {
                Ok(t) => render(&t, status),
                Err(e) => error_page(lang, e),
            }
        }
    }
}
