//! The warehouse desk's goods receipt ("inleverans"): devices and
//! consumables against a purchase. Kept apart from `desk.rs` so the pick
//! list and the receipt can change independently.
//! Every form carries the CSRF token; a refusal is shown beside its field.

use super::desk::{default_warehouse, log_if_internal, warehouses};
use super::form::{kronor_to_ore, Field};
use super::page::{error_page, render, Page};
use crate::extract::{CsrfForm, CsrfToken, UiUser};
use crate::i18n::Lang;
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use ramp_app::dates::parse_optional_date;
use ramp_app::model::{Id, Warehouse};
use ramp_app::supply as s;
use ramp_app::AppError;
use serde::Deserialize;

/// Rows a receipt form starts with; "Lägg till rad" adds one, up to the maximum.
const DEVICE_ROWS: usize = 3;
const CONSUMABLE_ROWS: usize = 2;
const MAX_ROWS: usize = 50;

#[derive(Default, Clone)]
struct DeviceRow {
    article_number: String,
    device_number: String,
    serial: String,
    price: String,
}

impl DeviceRow {
    fn is_empty(&self) -> bool {
        [&self.article_number, &self.device_number, &self.serial, &self.price].iter().all(|s| s.trim().is_empty())
    }
}

#[derive(Default, Clone)]
struct ConsumableRow {
    article_number: String,
    quantity: String,
    price: String,
}

impl ConsumableRow {
    fn is_empty(&self) -> bool {
        [&self.article_number, &self.quantity, &self.price].iter().all(|s| s.trim().is_empty())
    }
}

#[derive(Default)]
struct ReceiptForm {
    reference: String,
    warehouse_id: String,
    purchase_date: String,
    devices: Vec<DeviceRow>,
    consumables: Vec<ConsumableRow>,
    /// `devices` or `consumables`: add an empty row and show the form again.
    add_row: Option<String>,
}

/// `devices[3].serial` → (`devices`, 3, `serial`).
fn row_key(k: &str) -> Option<(&str, usize, &str)> {
    let (list, rest) = k.split_once('[')?;
    let (idx, rest) = rest.split_once("].")?;
    let i: usize = idx.parse().ok()?;
    (i < MAX_ROWS).then_some((list, i, rest))
}

impl ReceiptForm {
    fn parse(pairs: Vec<(String, String)>) -> ReceiptForm {
        let mut f = ReceiptForm::default();
        let (mut device_rows, mut consumable_rows) = (DEVICE_ROWS, CONSUMABLE_ROWS);
        for (k, v) in pairs {
            match k.as_str() {
                "reference" => f.reference = v,
                "warehouse_id" => f.warehouse_id = v,
                "purchase_date" => f.purchase_date = v,
                "device_rows" => device_rows = v.parse().unwrap_or(DEVICE_ROWS).clamp(1, MAX_ROWS),
                "consumable_rows" => consumable_rows = v.parse().unwrap_or(CONSUMABLE_ROWS).clamp(1, MAX_ROWS),
                "add_row" => f.add_row = Some(v),
                _ => match row_key(&k) {
                    Some(("devices", i, field)) => {
                        if f.devices.len() <= i {
                            f.devices.resize(i + 1, DeviceRow::default());
                        }
                        let r = &mut f.devices[i];
                        match field {
                            "article_number" => r.article_number = v,
                            "device_number" => r.device_number = v,
                            "serial" => r.serial = v,
                            "purchase_price_ore" => r.price = v,
                            _ => {}
                        }
                    }
                    Some(("consumables", i, field)) => {
                        if f.consumables.len() <= i {
                            f.consumables.resize(i + 1, ConsumableRow::default());
                        }
                        let r = &mut f.consumables[i];
                        match field {
                            "article_number" => r.article_number = v,
                            "quantity" => r.quantity = v,
                            "unit_price_ore" => r.price = v,
                            _ => {}
                        }
                    }
                    _ => {}
                },
            }
        }
        let want_devices = device_rows.max(f.devices.len());
        f.devices.resize(want_devices, DeviceRow::default());
        let want_consumables = consumable_rows.max(f.consumables.len());
        f.consumables.resize(want_consumables, ConsumableRow::default());
        match f.add_row.as_deref() {
            Some("devices") if f.devices.len() < MAX_ROWS => f.devices.push(DeviceRow::default()),
            Some("consumables") if f.consumables.len() < MAX_ROWS => f.consumables.push(ConsumableRow::default()),
            _ => {}
        }
        f
    }

    fn empty(warehouse_id: Id) -> ReceiptForm {
        ReceiptForm {
            warehouse_id: warehouse_id.to_string(),
            devices: vec![DeviceRow::default(); DEVICE_ROWS],
            consumables: vec![ConsumableRow::default(); CONSUMABLE_ROWS],
            ..ReceiptForm::default()
        }
    }

    /// The use-case's request, with each request line's form row (empty rows are skipped).
    fn request(&self) -> Result<(s::ReceiptRequest, Vec<usize>, Vec<usize>), AppError> {
        let warehouse_id = self
            .warehouse_id
            .trim()
            .parse()
            .map_err(|_| AppError::invalid("warehouse_id", "warehouse_not_found", "no such warehouse"))?;
        let purchase_date = parse_optional_date("purchase_date", Some(&self.purchase_date), "2027-02-01")?;
        let amount = |field: String, v: &str| {
            kronor_to_ore(v).ok_or_else(|| AppError::invalid(field, "invalid_amount", "an amount in kronor"))
        };
        let (mut devices, mut device_rows) = (vec![], vec![]);
        for (i, r) in self.devices.iter().enumerate().filter(|(_, r)| !r.is_empty()) {
            devices.push(s::ReceivedDevice {
                article_number: r.article_number.clone(),
                device_number: r.device_number.clone(),
                serial: Some(r.serial.clone()),
                purchase_price_ore: amount(format!("devices[{i}].purchase_price_ore"), &r.price)?,
            });
            device_rows.push(i);
        }
        let (mut consumables, mut consumable_rows) = (vec![], vec![]);
        for (i, r) in self.consumables.iter().enumerate().filter(|(_, r)| !r.is_empty()) {
            let quantity = r.quantity.trim().parse().map_err(|_| {
                AppError::invalid(format!("consumables[{i}].quantity"), "invalid_receipt_quantity", "1 to 1,000,000")
            })?;
            consumables.push(s::ReceivedQuantity {
                article_number: r.article_number.clone(),
                quantity,
                unit_price_ore: amount(format!("consumables[{i}].unit_price_ore"), &r.price)?,
            });
            consumable_rows.push(i);
        }
        let req =
            s::ReceiptRequest { warehouse_id, reference: self.reference.clone(), purchase_date, devices, consumables };
        Ok((req, device_rows, consumable_rows))
    }
}

/// Points a use-case error about request line `i` at the form row it came from.
fn at_form_row(mut e: AppError, device_rows: &[usize], consumable_rows: &[usize]) -> AppError {
    if let Some(field) = e.field.clone() {
        if let Some((list, i, rest)) = row_key(&field) {
            let rows = if list == "devices" { device_rows } else { consumable_rows };
            if let Some(row) = rows.get(i) {
                e.field = Some(format!("{list}[{row}].{rest}"));
            }
        }
    }
    if e.code == "invalid_quantity" {
        e.code = "invalid_receipt_quantity";
    }
    e
}

pub struct RowView {
    pub n: usize,
    pub fields: Vec<Field>,
}

#[derive(Template)]
#[template(path = "desk_receive.html")]
struct ReceiveTemplate {
    page: Page,
    tab: &'static str,
    warehouses: Vec<Warehouse>,
    warehouse_id: String,
    head: Vec<Field>,
    devices: Vec<RowView>,
    consumables: Vec<RowView>,
    /// What the last receipt registered: the receipt and its device numbers.
    received: Option<(String, Vec<String>)>,
}

impl ReceiveTemplate {
    fn build(page: Page, warehouses: Vec<Warehouse>, f: &ReceiptForm) -> ReceiveTemplate {
        let t = |k: &str| page.t(k);
        let head = vec![
            Field::new(&page, "reference", t("desk.reference"), &f.reference).required().hint(t("desk.reference_hint")),
            Field::new(&page, "purchase_date", t("desk.purchase_date"), &f.purchase_date)
                .kind("date")
                .hint(t("desk.purchase_date_hint")),
        ];
        let devices = f
            .devices
            .iter()
            .enumerate()
            .map(|(i, r)| RowView {
                n: i + 1,
                fields: vec![
                    Field::new(
                        &page,
                        &format!("devices[{i}].article_number"),
                        t("desk.article_number"),
                        &r.article_number,
                    )
                    .max(40),
                    Field::new(
                        &page,
                        &format!("devices[{i}].device_number"),
                        t("desk.device_number"),
                        &r.device_number,
                    )
                    .max(40),
                    Field::new(&page, &format!("devices[{i}].serial"), t("desk.serial"), &r.serial).max(100),
                    Field::new(&page, &format!("devices[{i}].purchase_price_ore"), t("desk.price_kr"), &r.price)
                        .max(20),
                ],
            })
            .collect();
        let consumables = f
            .consumables
            .iter()
            .enumerate()
            .map(|(i, r)| RowView {
                n: i + 1,
                fields: vec![
                    Field::new(
                        &page,
                        &format!("consumables[{i}].article_number"),
                        t("desk.article_number"),
                        &r.article_number,
                    )
                    .max(40),
                    Field::new(&page, &format!("consumables[{i}].quantity"), t("desk.quantity"), &r.quantity).max(10),
                    Field::new(&page, &format!("consumables[{i}].unit_price_ore"), t("desk.unit_price_kr"), &r.price)
                        .max(20),
                ],
            })
            .collect();
        ReceiveTemplate {
            page,
            tab: "receive",
            warehouses,
            warehouse_id: f.warehouse_id.clone(),
            head,
            devices,
            consumables,
            received: None,
        }
    }

    fn selected(&self, w: &Warehouse) -> bool {
        self.warehouse_id == w.id.to_string()
    }
}

#[derive(Deserialize)]
pub struct ReceivedParams {
    receipt: Option<String>,
    numbers: Option<String>,
}

pub async fn receive_form(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    Query(q): Query<ReceivedParams>,
) -> Response {
    let ws = match warehouses(&state, &user).await {
        Ok(ws) => ws,
        Err(e) => return error_page(lang, e),
    };
    let form = ReceiptForm::empty(default_warehouse(&ws));
    let page = Page::new(lang, "desk.receive_title", Some(&user), &csrf, "desk");
    let mut t = ReceiveTemplate::build(page, ws, &form);
    t.received = q.receipt.map(|r| {
        let numbers = q.numbers.unwrap_or_default();
        (r, numbers.split(',').filter(|n| !n.is_empty()).map(str::to_string).collect())
    });
    render(&t, StatusCode::OK)
}

pub async fn receive(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let form = ReceiptForm::parse(pairs);
    let ws = match warehouses(&state, &user).await {
        Ok(ws) => ws,
        Err(e) => return error_page(lang, e),
    };
    let mut page = Page::new(lang, "desk.receive_title", Some(&user), &csrf, "desk");
    if form.add_row.is_some() {
        return render(&ReceiveTemplate::build(page, ws, &form), StatusCode::OK);
    }
    let done = match form.request() {
        Err(e) => Err(e),
        Ok((req, device_rows, consumable_rows)) => s::receive(&state.app, &user, &req)
            .await
            .map(|id| (id, req.devices.iter().map(|d| d.device_number.trim().to_string()).collect::<Vec<_>>()))
            .map_err(|e| at_form_row(e, &device_rows, &consumable_rows)),
    };
    match done {
        Ok((id, numbers)) => {
            let numbers: Vec<String> = numbers.iter().map(|n| super::url_encode(n)).collect();
            Redirect::to(&format!("/desk/receive?receipt={id}&numbers={}", numbers.join(","))).into_response()
        }
        Err(e) => {
            log_if_internal(&e);
            let status = crate::error::status_of(e.kind);
            page.add_error(&e);
            render(&ReceiveTemplate::build(page, ws, &form), status)
        }
    }
}
