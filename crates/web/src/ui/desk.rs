//! The warehouse desk ("lagerdisk"): returns with their inspection, and
//! what the other desk pages share. Receiving is in `receive.rs`, picking,
//! delivering and pickups in `pick.rs`.
//! Every form carries the CSRF token; a refusal is shown beside its field.

use super::form::Field;
use super::page::{error_page, render, Page};
use crate::extract::{CsrfForm, CsrfToken, UiUser};
use crate::i18n::Lang;
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use ramp_app::model::{Id, User, Warehouse};
use ramp_app::supply as s;
use ramp_app::{AppError, ErrorKind};
use serde::Deserialize;

pub(super) fn log_if_internal(e: &AppError) {
    if e.kind == ErrorKind::Internal {
        crate::error::log_internal(e);
    }
}

/// The warehouses in the desk's choosers, central first: listed without
/// counting any stock (a scan re-renders the pick list, so this is paid per scan).
pub(super) async fn warehouses(state: &AppState, user: &User) -> Result<Vec<Warehouse>, AppError> {
    super::receive::listed_warehouses(&state.app, user).await
}

/// The first central warehouse: the default everywhere on the desk.
pub(super) fn default_warehouse(ws: &[Warehouse]) -> Id {
    ws.iter().find(|w| w.kind == "central").or(ws.first()).map(|w| w.id).unwrap_or_default()
}

// ---- returns and inspection ----

#[derive(Deserialize, Default)]
pub struct ReturnForm {
    #[serde(default)]
    device_number: String,
    #[serde(default)]
    warehouse_id: String,
    #[serde(default)]
    decision: String,
    #[serde(default)]
    note: String,
}

#[derive(Deserialize)]
pub struct ReturnParams {
    /// A device just received, waiting for its inspection.
    device: Option<String>,
}

/// What an inspection decided, shown after it.
pub struct Inspected {
    pub device_number: String,
    pub result: s::InspectionResult,
}

#[derive(Template)]
#[template(path = "desk_returns.html")]
struct ReturnsTemplate {
    page: Page,
    tab: &'static str,
    warehouses: Vec<Warehouse>,
    warehouse_id: String,
    device_number: Field,
    /// The device to inspect now, and the inspection note.
    inspect: Option<(String, Field)>,
    inspected: Option<Inspected>,
}

impl ReturnsTemplate {
    fn selected(&self, w: &Warehouse) -> bool {
        self.warehouse_id == w.id.to_string()
    }
}

fn returns_page(
    page: Page,
    ws: Vec<Warehouse>,
    form: &ReturnForm,
    inspect: Option<String>,
    inspected: Option<Inspected>,
) -> ReturnsTemplate {
    let warehouse_id =
        if form.warehouse_id.is_empty() { default_warehouse(&ws).to_string() } else { form.warehouse_id.clone() };
    let number_value = if inspect.is_some() { "" } else { form.device_number.as_str() };
    let device_number =
        Field::new(&page, "device_number", page.t("desk.device_number"), number_value).required().max(40);
    let inspect = inspect.map(|n| {
        let note = Field::new(&page, "note", page.t("desk.inspection_note"), &form.note)
            .kind("textarea")
            .max(2000)
            .hint(page.t("desk.inspection_note_hint"));
        (n, note)
    });
    ReturnsTemplate { page, tab: "returns", warehouses: ws, warehouse_id, device_number, inspect, inspected }
}

pub async fn returns(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    Query(q): Query<ReturnParams>,
) -> Response {
    let ws = match warehouses(&state, &user).await {
        Ok(ws) => ws,
        Err(e) => return error_page(lang, e),
    };
    let mut page = Page::new(lang, "desk.returns_title", Some(&user), &csrf, "desk");
    let inspect = q.device.filter(|d| !d.trim().is_empty());
    if let Some(d) = &inspect {
        page.title = format!("{} – {} {d}", page.title, lang.t("desk.inspection_of"));
    }
    render(&returns_page(page, ws, &ReturnForm::default(), inspect, None), StatusCode::OK)
}

/// Receives a returned device, then shows its inspection form.
pub async fn receive_return(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    CsrfForm(f): CsrfForm<ReturnForm>,
) -> Response {
    let ws = match warehouses(&state, &user).await {
        Ok(ws) => ws,
        Err(e) => return error_page(lang, e),
    };
    let done = match f.warehouse_id.trim().parse::<Id>() {
        Ok(w) => s::receive_return(&state.app, &user, &f.device_number, w).await,
        Err(_) => Err(AppError::invalid("warehouse_id", "warehouse_not_found", "no such warehouse")),
    };
    match done {
        Ok(()) => {
            Redirect::to(&format!("/desk/returns?device={}", super::url_encode(f.device_number.trim()))).into_response()
        }
        Err(e) => {
            log_if_internal(&e);
            let mut page = Page::new(lang, "desk.returns_title", Some(&user), &csrf, "desk");
            page.add_error(&e);
            render(&returns_page(page, ws, &f, None, None), crate::error::status_of(e.kind))
        }
    }
}

/// Inspects a returned device: to reconditioning or scrapped.
pub async fn inspect(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    CsrfForm(f): CsrfForm<ReturnForm>,
) -> Response {
    let ws = match warehouses(&state, &user).await {
        Ok(ws) => ws,
        Err(e) => return error_page(lang, e),
    };
    let done = match f.decision.as_str() {
        "recondition" | "scrap" => {
            s::inspect(&state.app, &user, &f.device_number, f.decision == "scrap", &f.note).await
        }
        _ => Err(AppError::invalid("decision", "invalid_decision", "recondition or scrap")),
    };
    let mut page = Page::new(lang, "desk.returns_title", Some(&user), &csrf, "desk");
    match done {
        Ok(result) => {
            let inspected = Inspected { device_number: f.device_number.trim().to_string(), result };
            let blank = ReturnForm { warehouse_id: f.warehouse_id.clone(), ..ReturnForm::default() };
            render(&returns_page(page, ws, &blank, None, Some(inspected)), StatusCode::OK)
        }
        Err(mut e) => {
            log_if_internal(&e);
            if e.field.as_deref() != Some("note") {
                e.field = Some("form".into());
            }
            page.add_error(&e);
            let number = f.device_number.trim().to_string();
            render(&returns_page(page, ws, &f, Some(number), None), crate::error::status_of(e.kind))
        }
    }
}
