//! The warehouse desk's goods receipt ("inleverans", issue 19): a
//! supplier's delivery with its delivery note number, devices one by one
//! and consumables by count with batch and expiry, optionally against a
//! purchase order. Kept apart from `desk.rs` so the pick list and the
//! receipt change independently.
//!
//! Scanning: a keyboard-wedge scanner types a code and Enter into the
//! focused "Skanna" field. The field's button is the form's first submit
//! button, so Enter anywhere re-renders the form with the scanned row
//! added (and never registers the receipt by accident); `scan.js` does the
//! same post in the background so the page and focus stay put. An
//! article's GTIN or number of a device article starts serial scanning for
//! it (kept in the hidden `scan_article`); each code after that that is no
//! article is a serial number and adds a device row. A consumable's code
//! adds one to its row.

use super::desk::{default_warehouse, log_if_internal};
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
use ramp_app::model::{Id, Supplier, User, Warehouse};
use ramp_app::supply as s;
use ramp_app::AppError;

/// The warehouses for the form's list: central first, then by Swedish name.
pub(super) async fn listed_warehouses(app: &ramp_app::App, user: &User) -> Result<Vec<Warehouse>, AppError> {
    ramp_app::warehouse::warehouses(app, user, &Default::default()).await
}
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
    batch: String,
    expiry_date: String,
}

impl ConsumableRow {
    fn is_empty(&self) -> bool {
        [&self.article_number, &self.quantity, &self.price, &self.batch, &self.expiry_date]
            .iter()
            .all(|s| s.trim().is_empty())
    }
}

#[derive(Default)]
struct ReceiptForm {
    supplier_id: String,
    delivery_note: String,
    reference: String,
    purchase_order_id: String,
    warehouse_id: String,
    purchase_date: String,
    devices: Vec<DeviceRow>,
    consumables: Vec<ConsumableRow>,
    /// `devices` or `consumables`: add an empty row and show the form again.
    add_row: Option<String>,
    /// The code just scanned, and whether the scan button sent the form.
    scan: String,
    scanned: bool,
    /// The device article whose serial numbers are being scanned.
    scan_article: String,
}

/// `devices[3].serial` → (`devices`, 3, `serial`).
fn row_key(k: &str) -> Option<(&str, usize, &str)> {
    let (list, rest) = k.split_once('[')?;
    let (idx, rest) = rest.split_once("].")?;
    let i: usize = idx.parse().ok()?;
    (i < MAX_ROWS).then_some((list, i, rest))
}

fn kronor(ore: i64) -> String {
    format!("{},{:02}", ore / 100, ore % 100)
}

impl ReceiptForm {
    fn set_row(&mut self, list: &str, i: usize, field: &str, v: String) {
        if list == "devices" {
            if self.devices.len() <= i {
                self.devices.resize(i + 1, DeviceRow::default());
            }
            let r = &mut self.devices[i];
            match field {
                "article_number" => r.article_number = v,
                "device_number" => r.device_number = v,
                "serial" => r.serial = v,
                "purchase_price_ore" => r.price = v,
                _ => {}
            }
        } else if list == "consumables" {
            if self.consumables.len() <= i {
                self.consumables.resize(i + 1, ConsumableRow::default());
            }
            let r = &mut self.consumables[i];
            match field {
                "article_number" => r.article_number = v,
                "quantity" => r.quantity = v,
                "unit_price_ore" => r.price = v,
                "batch" => r.batch = v,
                "expiry_date" => r.expiry_date = v,
                _ => {}
            }
        }
    }

    fn parse(pairs: Vec<(String, String)>) -> ReceiptForm {
        let mut f = ReceiptForm::default();
        let (mut device_rows, mut consumable_rows) = (DEVICE_ROWS, CONSUMABLE_ROWS);
        for (k, v) in pairs {
            match k.as_str() {
                "supplier_id" => f.supplier_id = v,
                "delivery_note" => f.delivery_note = v,
                "reference" => f.reference = v,
                "purchase_order_id" => f.purchase_order_id = v,
                "warehouse_id" => f.warehouse_id = v,
                "purchase_date" => f.purchase_date = v,
                "scan" => f.scan = v,
                "scan_do" => f.scanned = true,
                "scan_article" => f.scan_article = v,
                "device_rows" => device_rows = v.parse().unwrap_or(DEVICE_ROWS).clamp(1, MAX_ROWS),
                "consumable_rows" => consumable_rows = v.parse().unwrap_or(CONSUMABLE_ROWS).clamp(1, MAX_ROWS),
                "add_row" => f.add_row = Some(v),
                _ => {
                    if let Some((list, i, field)) = row_key(&k) {
                        let (list, field) = (list.to_string(), field.to_string());
                        f.set_row(&list, i, &field, v);
                    }
                }
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

    fn optional_id(v: &str, field: &str, code: &'static str) -> Result<Option<Id>, AppError> {
        match v.trim() {
            "" => Ok(None),
            t => t.parse().map(Some).map_err(|_| AppError::invalid(field.to_string(), code, "choose from the list")),
        }
    }

    /// The use-case's request, with each request line's form row (empty rows are skipped).
    fn request(&self) -> Result<(s::ReceiptRequest, Vec<usize>, Vec<usize>), AppError> {
        let warehouse_id = self
            .warehouse_id
            .trim()
            .parse()
            .map_err(|_| AppError::invalid("warehouse_id", "warehouse_not_found", "no such warehouse"))?;
        let supplier_id = Self::optional_id(&self.supplier_id, "supplier_id", "supplier_not_found")?;
        let purchase_order_id =
            Self::optional_id(&self.purchase_order_id, "purchase_order_id", "purchase_order_not_found")?;
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
            let expiry_field = format!("consumables[{i}].expiry_date");
            consumables.push(s::ReceivedQuantity {
                article_number: r.article_number.clone(),
                quantity,
                unit_price_ore: amount(format!("consumables[{i}].unit_price_ore"), &r.price)?,
                batch: Some(r.batch.clone()),
                expiry_date: parse_optional_date(&expiry_field, Some(&r.expiry_date), "2028-06-30")?,
            });
            consumable_rows.push(i);
        }
        let req = s::ReceiptRequest {
            warehouse_id,
            supplier_id,
            delivery_note: self.delivery_note.clone(),
            reference: self.reference.clone(),
            purchase_order_id,
            purchase_date,
            devices,
            consumables,
        };
        Ok((req, device_rows, consumable_rows))
    }

    /// Adds what was scanned to the form; returns what to announce.
    async fn apply_scan(&mut self, state: &AppState, user: &User, lang: Lang) -> Result<String, AppError> {
        let code = std::mem::take(&mut self.scan).trim().to_string();
        if code.is_empty() {
            return Ok(String::new());
        }
        let article = match ramp_app::warehouse::scanned_article(&state.app, user, &code).await {
            Ok(a) => a,
            Err(e) if e.code == "unknown_code" && !self.scan_article.is_empty() => {
                return self.add_serial(state, user, lang, &code).await;
            }
            Err(e) => return Err(e),
        };
        if self.supplier_id.trim().is_empty() {
            self.supplier_id = article.supplier_id.to_string();
        }
        if article.kind.is_individual() {
            self.scan_article = article.article_number.clone();
            return Ok(format!("{}: {}.", article.name, lang.t("wh.scan_device_article")));
        }
        let number = article.article_number.as_str();
        let row = match self.consumables.iter().position(|r| r.article_number.trim() == number) {
            Some(i) => i,
            None => {
                let i = self.free_row(false);
                let r = &mut self.consumables[i];
                r.article_number = number.to_string();
                r.price = kronor(article.purchase_price_ore);
                i
            }
        };
        let r = &mut self.consumables[row];
        let n = r.quantity.trim().parse::<i32>().unwrap_or(0).saturating_add(1);
        r.quantity = n.to_string();
        Ok(format!("{}: {} {n}.", article.name, lang.t("wh.scan_added_consumable")))
    }

    async fn add_serial(
        &mut self,
        state: &AppState,
        user: &User,
        lang: Lang,
        serial: &str,
    ) -> Result<String, AppError> {
        if self.devices.iter().any(|r| r.serial.trim() == serial || r.device_number.trim() == serial) {
            return Err(AppError::invalid("scan", "serial_twice", "the serial number is already scanned"));
        }
        let article = ramp_app::warehouse::scanned_article(&state.app, user, &self.scan_article).await?;
        let i = self.free_row(true);
        let r = &mut self.devices[i];
        r.article_number = article.article_number.clone();
        r.serial = serial.to_string();
        r.device_number = serial.to_string();
        r.price = kronor(article.purchase_price_ore);
        Ok(format!("{} {serial} ({}).", lang.t("wh.scan_added_device"), article.name))
    }

    /// The first empty row of devices (or consumables), added when none is.
    fn free_row(&mut self, devices: bool) -> usize {
        if devices {
            match self.devices.iter().position(DeviceRow::is_empty) {
                Some(i) => i,
                None => {
                    self.devices.push(DeviceRow::default());
                    self.devices.len() - 1
                }
            }
        } else {
            match self.consumables.iter().position(ConsumableRow::is_empty) {
                Some(i) => i,
                None => {
                    self.consumables.push(ConsumableRow::default());
                    self.consumables.len() - 1
                }
            }
        }
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

/// An open purchase order as the form offers it.
pub struct OrderOption {
    pub id: Id,
    pub label: String,
}

#[derive(Template)]
#[template(path = "desk_receive.html")]
struct ReceiveTemplate {
    page: Page,
    tab: &'static str,
    warehouses: Vec<Warehouse>,
    suppliers: Vec<Supplier>,
    orders: Vec<OrderOption>,
    form_supplier: String,
    form_order: String,
    warehouse_id: String,
    head: Vec<Field>,
    scan: Field,
    scan_article: String,
    /// What the last scan added, for the live region.
    scan_status: String,
    devices: Vec<RowView>,
    consumables: Vec<RowView>,
    /// What the last receipt registered: the receipt and its device numbers.
    received: Option<(String, Vec<String>)>,
}

fn device_fields(page: &Page, i: usize, r: &DeviceRow) -> Vec<Field> {
    let t = |k: &str| page.t(k);
    vec![
        Field::new(page, &format!("devices[{i}].article_number"), t("desk.article_number"), &r.article_number).max(40),
        Field::new(page, &format!("devices[{i}].device_number"), t("desk.device_number"), &r.device_number).max(40),
        Field::new(page, &format!("devices[{i}].serial"), t("desk.serial"), &r.serial).max(100),
        Field::new(page, &format!("devices[{i}].purchase_price_ore"), t("desk.price_kr"), &r.price).max(20),
    ]
}

fn consumable_fields(page: &Page, i: usize, r: &ConsumableRow) -> Vec<Field> {
    let t = |k: &str| page.t(k);
    vec![
        Field::new(page, &format!("consumables[{i}].article_number"), t("desk.article_number"), &r.article_number)
            .max(40),
        Field::new(page, &format!("consumables[{i}].quantity"), t("desk.quantity"), &r.quantity).max(10),
        Field::new(page, &format!("consumables[{i}].unit_price_ore"), t("desk.unit_price_kr"), &r.price).max(20),
        Field::new(page, &format!("consumables[{i}].batch"), t("wh.batch"), &r.batch).max(40),
        Field::new(page, &format!("consumables[{i}].expiry_date"), t("wh.expiry_date"), &r.expiry_date).kind("date"),
    ]
}

/// What the form offers besides the warehouses.
#[derive(Default)]
struct Choices {
    suppliers: Vec<Supplier>,
    orders: Vec<OrderOption>,
}

async fn choices(state: &AppState, user: &User, lang: Lang) -> Result<Choices, AppError> {
    let suppliers = ramp_app::warehouse::suppliers(&state.app, user).await?;
    let orders = s::purchase_orders(&state.app, user, true)
        .await?
        .into_iter()
        .map(|o| OrderOption {
            id: o.order.id,
            label: format!(
                "{} {} – {}, {} {}",
                lang.t("wh.po_number"),
                o.order.id,
                o.order.supplier_name,
                lang.t("wh.expected"),
                o.order.expected_on
            ),
        })
        .collect();
    Ok(Choices { suppliers, orders })
}

impl ReceiveTemplate {
    fn build(page: Page, warehouses: Vec<Warehouse>, choices: Choices, f: &ReceiptForm) -> ReceiveTemplate {
        let t = |k: &str| page.t(k);
        let head = vec![
            Field::new(&page, "delivery_note", t("wh.delivery_note"), &f.delivery_note)
                .required()
                .max(100)
                .hint(t("wh.delivery_note_hint")),
            Field::new(&page, "reference", t("wh.own_reference"), &f.reference)
                .max(100)
                .hint(t("wh.own_reference_hint")),
            Field::new(&page, "purchase_date", t("desk.purchase_date"), &f.purchase_date)
                .kind("date")
                .hint(t("desk.purchase_date_hint")),
        ];
        let mut hint = t("wh.scan_hint").to_string();
        if !f.scan_article.is_empty() {
            hint = format!("{hint} {} {}.", t("wh.scanning_for"), f.scan_article);
        }
        let scan = Field::new(&page, "scan", t("wh.scan"), "").max(60).hint(&hint);
        let devices = f
            .devices
            .iter()
            .enumerate()
            .map(|(i, r)| RowView { n: i + 1, fields: device_fields(&page, i, r) })
            .collect();
        let consumables = f
            .consumables
            .iter()
            .enumerate()
            .map(|(i, r)| RowView { n: i + 1, fields: consumable_fields(&page, i, r) })
            .collect();
        ReceiveTemplate {
            page,
            tab: "receive",
            warehouses,
            suppliers: choices.suppliers,
            orders: choices.orders,
            form_supplier: f.supplier_id.trim().to_string(),
            form_order: f.purchase_order_id.trim().to_string(),
            warehouse_id: f.warehouse_id.clone(),
            head,
            scan,
            scan_article: f.scan_article.clone(),
            scan_status: String::new(),
            devices,
            consumables,
            received: None,
        }
    }

    fn selected(&self, w: &Warehouse) -> bool {
        self.warehouse_id == w.id.to_string()
    }

    fn supplier_selected(&self, s: &Supplier) -> bool {
        self.form_supplier == s.id.to_string()
    }

    fn order_selected(&self, o: &OrderOption) -> bool {
        self.form_order == o.id.to_string()
    }
}

#[derive(Deserialize)]
pub struct ReceivedParams {
    receipt: Option<String>,
    numbers: Option<String>,
    /// Receive against this purchase order: its supplier and warehouse are filled in.
    po: Option<String>,
}

pub async fn receive_form(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    Query(q): Query<ReceivedParams>,
) -> Response {
    let (ws, choices) = match (listed_warehouses(&state.app, &user).await, choices(&state, &user, lang).await) {
        (Ok(ws), Ok(c)) => (ws, c),
        (Err(e), _) | (_, Err(e)) => return error_page(lang, e),
    };
    let mut form = ReceiptForm::empty(default_warehouse(&ws));
    if let Some(po) = q.po.as_deref().and_then(|p| p.trim().parse::<Id>().ok()) {
        if let Ok(o) = s::purchase_order(&state.app, &user, po).await {
            form.purchase_order_id = po.to_string();
            form.supplier_id = o.order.supplier_id.to_string();
            form.warehouse_id = o.order.warehouse_id.to_string();
        }
    }
    let page = Page::new(lang, "desk.receive_title", Some(&user), &csrf, "desk");
    let mut t = ReceiveTemplate::build(page, ws, choices, &form);
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
    let mut form = ReceiptForm::parse(pairs);
    let (ws, choices) = match (listed_warehouses(&state.app, &user).await, choices(&state, &user, lang).await) {
        (Ok(ws), Ok(c)) => (ws, c),
        (Err(e), _) | (_, Err(e)) => return error_page(lang, e),
    };
    let mut page = Page::new(lang, "desk.receive_title", Some(&user), &csrf, "desk");
    if form.add_row.is_some() {
        return render(&ReceiveTemplate::build(page, ws, choices, &form), StatusCode::OK);
    }
    if form.scanned {
        let (status, said) = match form.apply_scan(&state, &user, lang).await {
            Ok(said) => (StatusCode::OK, said),
            Err(e) => {
                log_if_internal(&e);
                let e = if e.field.is_none() { e.with_field("scan") } else { e };
                page.add_error(&e);
                (crate::error::status_of(e.kind), super::page::message(lang, &e))
            }
        };
        let mut t = ReceiveTemplate::build(page, ws, choices, &form);
        t.scan_status = said;
        return render(&t, status);
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
            render(&ReceiveTemplate::build(page, ws, choices, &form), status)
        }
    }
}
