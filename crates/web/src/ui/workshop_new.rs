//! Creating a work order (from a device page, which fills in the device
//! number, or freely by device number), and attaching a file to one
//! (multipart; the CSRF token is read first and the file only after it).

use super::form::Field;
use super::page::{error_page, render, Page};
use super::workshop::{detail_page, WorkForm};
use crate::extract::{cookie, CsrfForm, CsrfToken, UiUser, CSRF_COOKIE};
use crate::i18n::Lang;
use crate::AppState;
use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use ramp_app::model::{Id, User};
use ramp_app::supply as s;
use ramp_app::{AppError, ErrorKind};
use ramp_domain::work_order::WorkOrderKind;
use ramp_domain::Term;
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct NewForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    device_number: String,
    #[serde(default)]
    description: String,
}

#[derive(Deserialize)]
pub struct NewParams {
    device: Option<String>,
    kind: Option<String>,
}

#[derive(Template)]
#[template(path = "work_order_new.html")]
struct NewTemplate {
    page: Page,
    kind: String,
    device: Field,
    description: Field,
}

impl NewTemplate {
    fn kinds(&self) -> &'static [WorkOrderKind] {
        s::BY_HAND
    }
    fn kind_name(&self, k: &WorkOrderKind) -> &'static str {
        self.page.t(&format!("work.kind.{k}"))
    }
}

fn new_page(lang: Lang, csrf: &str, user: &User, f: &NewForm, error: Option<AppError>) -> Response {
    let mut page = Page::new(lang, "work.new_title", Some(user), csrf, "workshop");
    let status = match error {
        Some(e) => {
            let status = crate::error::status_of(e.kind);
            page.add_error(&e);
            status
        }
        None => StatusCode::OK,
    };
    let t = |k: &str| lang.t(k);
    let device = Field::new(&page, "device_number", t("work.device_number"), &f.device_number).required().max(40);
    let description =
        Field::new(&page, "description", t("work.description"), &f.description).kind("textarea").required().max(2000);
    let kind = if f.kind.is_empty() { "repair".to_string() } else { f.kind.clone() };
    render(&NewTemplate { page, kind, device, description }, status)
}

/// The form; `?device=` (from the device page) fills in the device number.
pub async fn new_form(
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    Query(q): Query<NewParams>,
) -> Response {
    if let Err(e) = may_create(&user) {
        return error_page(lang, e);
    }
    let f =
        NewForm { kind: q.kind.unwrap_or_default(), device_number: q.device.unwrap_or_default(), ..Default::default() };
    new_page(lang, &csrf, &user, &f, None)
}

/// Who creates work orders by hand: the workshop's technicians and consultants, the warehouse.
fn may_create(user: &User) -> Result<(), AppError> {
    use ramp_domain::role::Role;
    let roles = [Role::Technician, Role::Warehouse, Role::Consultant, Role::Admin];
    if roles.iter().any(|r| user.has_role(*r)) {
        Ok(())
    } else {
        Err(AppError::forbidden("role_required", "work orders are created by the assistive-device centre's staff"))
    }
}

pub async fn create(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    CsrfForm(f): CsrfForm<NewForm>,
) -> Response {
    match s::create_work_order(&state.app, &user, &f.kind, &f.device_number, &f.description).await {
        Ok(id) => Redirect::to(&format!("/workshop/{id}?done=created")).into_response(),
        Err(e) if e.kind == ErrorKind::Forbidden => error_page(lang, e),
        Err(e) => new_page(lang, &csrf, &user, &f, Some(e)),
    }
}

/// Reads the upload: the CSRF token must come first and match the cookie.
async fn read_upload(headers: &HeaderMap, mut form: Multipart) -> Result<(String, Vec<u8>), AppError> {
    let expected = cookie(headers, CSRF_COOKIE);
    let unreadable = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            crate::api::workshop::too_large()
        } else {
            AppError::invalid("file", "required", "the upload could not be read")
        }
    };
    let (mut csrf_ok, mut name, mut bytes) = (false, String::new(), Vec::new());
    while let Some(field) = form.next_field().await.map_err(unreadable)? {
        match field.name().unwrap_or_default() {
            "csrf" => csrf_ok = expected.is_some() && expected == Some(field.text().await.map_err(unreadable)?),
            "file" if csrf_ok => {
                name = field.file_name().unwrap_or_default().to_string();
                bytes = field.bytes().await.map_err(unreadable)?.to_vec();
            }
            _ if !csrf_ok => break,
            _ => {}
        }
    }
    if !csrf_ok {
        return Err(AppError::forbidden("csrf_failed", "form expired"));
    }
    Ok((name, bytes))
}

pub async fn upload(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    Path(id): Path<Id>,
    headers: HeaderMap,
    form: Multipart,
) -> Response {
    let done = match read_upload(&headers, form).await {
        Ok((name, bytes)) => s::add_attachment(&state.app, &user, id, &name, bytes).await,
        Err(e) => Err(e),
    };
    match done {
        Ok(_) => Redirect::to(&format!("/workshop/{id}?done=attachment")).into_response(),
        Err(e) if matches!(e.kind, ErrorKind::Forbidden | ErrorKind::NotFound) => error_page(lang, e),
        Err(e) => detail_page(&state, lang, &csrf, &user, id, None, Some((e, &WorkForm::default()))).await,
    }
}
