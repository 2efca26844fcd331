//! The loading bay: the pick list grouped by delivery route and day, with
//! the address each order goes to and a scan field (a keyboard-wedge
//! scanner types the code and Enter; the page comes back with the field
//! focused for the next scan), delivery by scanning the delivery note or a
//! device, and the devices waiting to be collected along each route.
//! Without JavaScript everything works; every form carries the CSRF token.

use super::desk::{default_warehouse, log_if_internal, warehouses};
use super::form::Field;
use super::page::{error_page, render, Page};
use crate::extract::{CsrfForm, CsrfToken, RequestId, UiUser};
use crate::i18n::Lang;
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Extension;
use chrono::NaiveDate;
use ramp_app::dates::parse_optional_date;
use ramp_app::model::{Id, PendingPickup, PickLine, User, Warehouse};
use ramp_app::supply as s;
use ramp_app::AppError;
use ramp_domain::order::OrderStatus;
use ramp_domain::Term;
use serde::Deserialize;

/// The pick list's choice: warehouse, last promised date, route.
#[derive(Deserialize, Default, Clone)]
pub struct PickParams {
    pub warehouse: Option<String>,
    /// Lines promised by this date (default: 7 working days ahead).
    pub until: Option<String>,
    /// One route only (empty: all).
    pub route: Option<String>,
}

/// The scan form: the list's choice and what the scanner typed.
#[derive(Deserialize, Default)]
pub struct PickScanForm {
    #[serde(default)]
    warehouse: Option<String>,
    #[serde(default)]
    until: Option<String>,
    #[serde(default)]
    route: Option<String>,
    #[serde(default)]
    code: String,
}

/// The lines of one route on one day.
pub struct RouteDay {
    pub route: Option<String>,
    pub day: NaiveDate,
    pub lines: Vec<PickLine>,
}

/// The choice resolved: a warehouse that exists, a date, a route.
pub struct PickChoice {
    pub warehouse_id: Id,
    pub until: NaiveDate,
    pub route: Option<String>,
}

impl PickChoice {
    pub fn resolve(state: &AppState, ws: &[Warehouse], p: &PickParams) -> Result<PickChoice, AppError> {
        let warehouse_id = match p.warehouse.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => default_warehouse(ws),
            Some(w) => {
                w.parse().map_err(|_| AppError::invalid("warehouse", "warehouse_not_found", "no such warehouse"))?
            }
        };
        let until = s::pick_until(&state.app, parse_optional_date("until", p.until.as_deref(), "2027-02-01")?);
        let route = p.route.as_deref().map(str::trim).filter(|r| !r.is_empty()).map(str::to_string);
        Ok(PickChoice { warehouse_id, until, route })
    }

    /// The same choice as a query string, for links and the print buttons.
    pub fn query(&self) -> String {
        let mut q = format!("warehouse={}&until={}", self.warehouse_id, self.until);
        if let Some(r) = &self.route {
            q.push_str(&format!("&route={}", super::url_encode(r)));
        }
        q
    }
}

/// The list's lines for the chosen route, grouped by route and day (the
/// storage already orders them so).
pub fn route_days(lines: Vec<PickLine>, route: Option<&str>) -> Vec<RouteDay> {
    let mut groups: Vec<RouteDay> = Vec::new();
    for l in lines.into_iter().filter(|l| route.is_none() || l.route.as_deref() == route) {
        match groups.last_mut() {
            Some(g) if g.route == l.route && g.day == l.promised_date => g.lines.push(l),
            _ => groups.push(RouteDay { route: l.route.clone(), day: l.promised_date, lines: vec![l] }),
        }
    }
    groups
}

/// The routes on a list, in its order, once each.
fn routes_of(lines: &[PickLine]) -> Vec<String> {
    let mut routes: Vec<String> = Vec::new();
    for r in lines.iter().filter_map(|l| l.route.as_ref()) {
        if !routes.contains(r) {
            routes.push(r.clone());
        }
    }
    routes
}

#[derive(Template)]
#[template(path = "desk_pick.html")]
struct PickTemplate {
    page: Page,
    tab: &'static str,
    warehouses: Vec<Warehouse>,
    choice: PickChoice,
    routes: Vec<String>,
    groups: Vec<RouteDay>,
    scan: Field,
    /// What the last scan did, announced in the live region.
    done: Option<String>,
    back: String,
}

impl PickTemplate {
    fn until(&self) -> String {
        self.choice.until.to_string()
    }

    fn route_selected(&self, r: &str) -> bool {
        self.choice.route.as_deref() == Some(r)
    }

    /// The order's move buttons go on its first line in a group only.
    fn first_of_order(&self, g: &RouteDay, i: &usize) -> bool {
        *i == 0 || g.lines[*i - 1].order_id != g.lines[*i].order_id
    }

    fn moves(&self, l: &PickLine) -> Vec<OrderStatus> {
        super::orders::next_moves(&l.order_status)
    }

    fn label(&self, to: &OrderStatus) -> &'static str {
        super::orders::move_label(&self.page, to)
    }

    fn status(&self, l: &PickLine) -> &'static str {
        self.page.order_status(&l.order_status)
    }

    fn blocked(&self, reason: &str) -> &'static str {
        self.page.t(&format!("blocked.{reason}"))
    }

    fn group_title(&self, g: &RouteDay) -> String {
        let route = g.route.as_deref().unwrap_or(self.page.t("desk.no_route"));
        format!("{route} – {}", self.page.date(&g.day))
    }

    fn address(&self, l: &PickLine) -> String {
        where_to(&self.page, l)
    }

    fn order_code(&self, l: &PickLine) -> String {
        ramp_domain::scan::order_code(l.order_id)
    }
}

/// Where a line goes, in words: the address, a collection at the centre,
/// or a patient's registered address (looked up when the route is planned).
pub fn where_to(page: &Page, l: &PickLine) -> String {
    match (&l.address, l.delivery_method.as_str(), l.target.as_str()) {
        (_, "pickup_at_centre", _) => page.t("pick.collected_at_centre").to_string(),
        (Some(a), _, _) => a.clone(),
        (None, _, "patient") => page.t("pick.registered_address").to_string(),
        (None, _, _) => page.t("pick.no_address").to_string(),
    }
}

async fn pick_page(
    state: &AppState,
    page: Page,
    user: &User,
    p: &PickParams,
    rid: &str,
    done: Option<String>,
    status: StatusCode,
) -> Response {
    let lang = page.lang;
    let ws = match warehouses(state, user).await {
        Ok(ws) => ws,
        Err(e) => return error_page(lang, e),
    };
    let choice = match PickChoice::resolve(state, &ws, p) {
        Ok(c) => c,
        Err(e) => return error_page(lang, e),
    };
    match s::pick_list(&state.app, user, choice.warehouse_id, Some(choice.until), Some(rid)).await {
        Ok(lines) => {
            let routes = routes_of(&lines);
            let groups = route_days(lines, choice.route.as_deref());
            let back = format!("/desk/pick?{}", choice.query());
            let scan = Field::new(&page, "code", page.t("pick.scan"), "").hint(page.t("pick.scan_hint"));
            let t = PickTemplate { page, tab: "pick", warehouses: ws, choice, routes, groups, scan, done, back };
            render(&t, status)
        }
        Err(e) => error_page(lang, e),
    }
}

pub async fn pick(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    RequestId(rid): RequestId,
    Query(q): Query<PickParams>,
) -> Response {
    let page = Page::new(lang, "desk.pick_title", Some(&user), &csrf, "desk");
    pick_page(&state, page, &user, &q, &rid, None, StatusCode::OK).await
}

/// What a pick scan did, in words.
fn picked_text(page: &Page, p: &s::PickScan) -> String {
    let what = match &p.device_number {
        Some(d) => format!("{} {} ({d})", p.article_number, p.article_name),
        None => format!("{} × {} {}", p.quantity, p.article_number, p.article_name),
    };
    let mut text = format!("{}: {what}, {} {}.", page.t("pick.picked"), page.t("col.order"), p.order_id);
    if p.order_picked {
        text.push(' ');
        text.push_str(page.t("pick.order_picked"));
    }
    text
}

pub async fn pick_scan(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    RequestId(rid): RequestId,
    CsrfForm(f): CsrfForm<PickScanForm>,
) -> Response {
    let mut page = Page::new(lang, "desk.pick_title", Some(&user), &csrf, "desk");
    let p = PickParams { warehouse: f.warehouse, until: f.until, route: f.route };
    let ws = match warehouses(&state, &user).await {
        Ok(ws) => ws,
        Err(e) => return error_page(lang, e),
    };
    let choice = match PickChoice::resolve(&state, &ws, &p) {
        Ok(c) => c,
        Err(e) => return error_page(lang, e),
    };
    match s::pick_scan(&state.app, &user, choice.warehouse_id, Some(choice.until), &f.code).await {
        Ok(done) => {
            let text = picked_text(&page, &done);
            pick_page(&state, page, &user, &p, &rid, Some(text), StatusCode::OK).await
        }
        Err(e) => {
            log_if_internal(&e);
            let status = crate::error::status_of(e.kind);
            page.add_error(&e.with_field("code"));
            pick_page(&state, page, &user, &p, &rid, None, status).await
        }
    }
}

// ---- delivering by scan ----

#[derive(Deserialize, Default)]
pub struct DeliverForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    received_by: String,
}

#[derive(Template)]
#[template(path = "desk_deliver.html")]
struct DeliverTemplate {
    page: Page,
    tab: &'static str,
    code: Field,
    received_by: Field,
    done: Option<String>,
}

fn deliver_page(page: Page, received_by: &str, done: Option<String>, status: StatusCode) -> Response {
    let code = Field::new(&page, "code", page.t("pick.scan"), "").hint(page.t("deliver.scan_hint"));
    let received_by = Field::new(&page, "received_by", page.t("order.received_by"), received_by).max(100);
    render(&DeliverTemplate { page, tab: "deliver", code, received_by, done }, status)
}

pub async fn deliver(lang: Lang, CsrfToken(csrf): CsrfToken, UiUser(user): UiUser) -> Response {
    let page = Page::new(lang, "deliver.title", Some(&user), &csrf, "desk");
    deliver_page(page, "", None, StatusCode::OK)
}

pub async fn deliver_scan(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    CsrfForm(f): CsrfForm<DeliverForm>,
) -> Response {
    let mut page = Page::new(lang, "deliver.title", Some(&user), &csrf, "desk");
    match s::deliver_scan(&state.app, &user, &f.code, Some(&f.received_by)).await {
        Ok(order) => {
            let text = format!("{} {} {}.", page.t("col.order"), order.id, page.t("deliver.delivered"));
            // The next delivery may be taken by someone else: the name is not kept.
            deliver_page(page, "", Some(text), StatusCode::OK)
        }
        Err(e) => {
            log_if_internal(&e);
            let status = crate::error::status_of(e.kind);
            let e = if e.field.as_deref() == Some("received_by") { e } else { e.with_field("code") };
            page.add_error(&e);
            deliver_page(page, &f.received_by, None, status)
        }
    }
}

// ---- pending pickups ----

#[derive(Deserialize, Default)]
pub struct PickupParams {
    route: Option<String>,
}

#[derive(Template)]
#[template(path = "desk_pickups.html")]
struct PickupsTemplate {
    page: Page,
    tab: &'static str,
    routes: Vec<String>,
    route: String,
    groups: Vec<(Option<String>, Vec<PendingPickup>)>,
}

impl PickupsTemplate {
    fn route_title(&self, r: &Option<String>) -> String {
        r.clone().unwrap_or_else(|| self.page.t("desk.no_route").to_string())
    }

    fn address(&self, p: &PendingPickup) -> String {
        match (&p.address, p.at_patient) {
            (Some(a), _) => a.clone(),
            (None, true) => self.page.t("pick.registered_address").to_string(),
            (None, false) => self.page.t("pick.no_address").to_string(),
        }
    }
}

pub async fn pickups(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    RequestId(rid): RequestId,
    Query(q): Query<PickupParams>,
) -> Response {
    let route = q.route.unwrap_or_default();
    let all = match s::pending_pickups(&state.app, &user, None, Some(&rid)).await {
        Ok(rows) => rows,
        Err(e) => return error_page(lang, e),
    };
    let mut routes: Vec<String> = Vec::new();
    for r in all.iter().filter_map(|p| p.route.as_ref()) {
        if !routes.contains(r) {
            routes.push(r.clone());
        }
    }
    let mut groups: Vec<(Option<String>, Vec<PendingPickup>)> = Vec::new();
    for p in all.into_iter().filter(|p| route.is_empty() || p.route.as_deref() == Some(route.as_str())) {
        match groups.last_mut() {
            Some((r, rows)) if *r == p.route => rows.push(p),
            _ => groups.push((p.route.clone(), vec![p])),
        }
    }
    let page = Page::new(lang, "pickups.title", Some(&user), &csrf, "desk");
    render(&PickupsTemplate { page, tab: "pickups", routes, route, groups }, StatusCode::OK)
}

// ---- printing ----

/// What to print from the chosen list.
#[derive(Clone, Copy)]
pub enum Print {
    PickList,
    DeliveryNotes,
    Labels,
}

fn pdf_response(bytes: Vec<u8>, filename: &str) -> Response {
    use axum::http::header;
    use axum::response::IntoResponse;
    let disposition = format!("attachment; filename=\"{filename}\"");
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        bytes,
    )
        .into_response()
}

async fn print(state: &AppState, lang: Lang, user: &User, rid: &str, p: &PickParams, what: Print) -> Response {
    let page = Page::new(lang, "desk.pick_title", Some(user), "", "desk");
    let ws = match warehouses(state, user).await {
        Ok(ws) => ws,
        Err(e) => return error_page(lang, e),
    };
    let choice = match PickChoice::resolve(state, &ws, p) {
        Ok(c) => c,
        Err(e) => return error_page(lang, e),
    };
    let lines = match s::pick_list(&state.app, user, choice.warehouse_id, Some(choice.until), Some(rid)).await {
        Ok(lines) => lines,
        Err(e) => return error_page(lang, e),
    };
    let warehouse = ws.iter().find(|w| w.id == choice.warehouse_id).map(|w| w.name.clone()).unwrap_or_default();
    let printed = page.datetime(&state.app.now());
    let groups = route_days(lines, choice.route.as_deref());
    let with_address = |l: &'_ PickLine| where_to(&page, l);
    match what {
        Print::PickList => {
            let printed_groups: Vec<crate::pdf::pick::Group> = groups
                .iter()
                .map(|g| crate::pdf::pick::Group {
                    title: format!("{} – {}", g.route.as_deref().unwrap_or(page.t("desk.no_route")), page.date(&g.day)),
                    lines: g.lines.iter().map(|l| (l, with_address(l))).collect(),
                })
                .collect();
            let pdf = crate::pdf::pick::pick_list(lang, &warehouse, &printed, &printed_groups);
            pdf_response(pdf, &format!("plocklista-{}.pdf", choice.until))
        }
        Print::DeliveryNotes => {
            let mut orders: Vec<Vec<(&PickLine, String)>> = Vec::new();
            for l in groups.iter().flat_map(|g| g.lines.iter()) {
                match orders.last_mut() {
                    Some(o) if o[0].0.order_id == l.order_id => o.push((l, with_address(l))),
                    _ => orders.push(vec![(l, with_address(l))]),
                }
            }
            let pdf = crate::pdf::pick::delivery_notes(lang, &printed, &orders);
            pdf_response(pdf, &format!("foljesedlar-{}.pdf", choice.until))
        }
        Print::Labels => {
            let lines: Vec<&PickLine> = groups.iter().flat_map(|g| g.lines.iter()).collect();
            pdf_response(crate::pdf::pick::labels(lang, &lines), &format!("etiketter-{}.pdf", choice.until))
        }
    }
}

/// `/desk/pick/print`, `/desk/pick/delivery-notes` and `/desk/pick/labels`:
/// the route says which paper (`Extension`), the query which list.
pub async fn print_list(
    State(state): State<AppState>,
    lang: Lang,
    UiUser(user): UiUser,
    RequestId(rid): RequestId,
    Extension(what): Extension<Print>,
    Query(q): Query<PickParams>,
) -> Response {
    print(&state, lang, &user, &rid, &q, what).await
}
