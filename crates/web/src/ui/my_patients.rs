//! "Mina patienter": the unit's patients with open orders, due
//! evaluations and lent devices, each opened with a button (the
//! personnummer goes in the form, never in a link); and registering a new
//! patient.

use super::admin::widgets::Select;
use super::form::Field;
use super::page::{error_page, render, Page};
use crate::extract::{CsrfForm, CsrfToken, RequestId, UiUser};
use crate::i18n::Lang;
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use ramp_app::model::{MyPatient, User};
use ramp_app::patient_register::{self as uc, Registration};
use ramp_app::ErrorKind;
use ramp_domain::setting::Setting;
use ramp_domain::Term;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "my_patients.html")]
struct ListTemplate {
    page: Page,
    patients: Vec<MyPatient>,
    notice: Option<String>,
}

async fn list_page(
    state: &AppState,
    lang: Lang,
    csrf: &str,
    user: &User,
    rid: &str,
    notice: Option<String>,
) -> Response {
    let page = Page::new(lang, "patients.title", Some(user), csrf, "patient");
    match uc::my_patients(&state.app, user, Some(rid)).await {
        Ok(patients) => render(&ListTemplate { page, patients, notice }, StatusCode::OK),
        Err(e) => error_page(lang, e),
    }
}

pub async fn list(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    RequestId(rid): RequestId,
) -> Response {
    list_page(&state, lang, &csrf, &user, &rid, None).await
}

#[derive(Debug, Default, Deserialize)]
pub struct RegistrationForm {
    #[serde(default)]
    personal_id: String,
    #[serde(default)]
    given_name: String,
    #[serde(default)]
    family_name: String,
    #[serde(default)]
    municipality: String,
    #[serde(default)]
    setting: String,
}

#[derive(Template)]
#[template(path = "patient_new.html")]
struct NewTemplate {
    page: Page,
    fields: Vec<Field>,
    selects: Vec<Select>,
}

async fn new_page(state: &AppState, page: Page, f: &RegistrationForm, status: StatusCode) -> Response {
    let lang = page.lang;
    let fields = vec![
        Field::new(&page, "personal_id", lang.t("patient.personal_id"), &f.personal_id)
            .hint(lang.t("patient.personal_id_hint"))
            .required(),
        Field::new(&page, "given_name", lang.t("patients.given_name"), &f.given_name).required(),
        Field::new(&page, "family_name", lang.t("patients.family_name"), &f.family_name).required(),
    ];
    let municipalities = match uc::municipalities(&state.app).await {
        Ok(m) => m,
        Err(e) => return error_page(lang, e),
    };
    let mut choose = vec![(String::new(), lang.t("patients.choose").to_string())];
    let settings = Setting::ALL.iter().map(|s| (s.as_str().to_string(), page.setting(s).to_string()));
    let selects = vec![
        Select::new(
            &page,
            "municipality",
            lang.t("patients.municipality"),
            [choose.clone(), municipalities].concat(),
            &f.municipality,
        ),
        Select::new(
            &page,
            "setting",
            lang.t("patient.setting"),
            {
                choose.extend(settings);
                choose
            },
            &f.setting,
        ),
    ];
    render(&NewTemplate { page, fields, selects }, status)
}

pub async fn new_form(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
) -> Response {
    let page = Page::new(lang, "patients.new", Some(&user), &csrf, "patient");
    new_page(&state, page, &RegistrationForm::default(), StatusCode::OK).await
}

pub async fn register(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    RequestId(rid): RequestId,
    CsrfForm(f): CsrfForm<RegistrationForm>,
) -> Response {
    let r = Registration {
        personal_id: f.personal_id.clone(),
        given_name: f.given_name.clone(),
        family_name: f.family_name.clone(),
        municipality: f.municipality.clone(),
        setting: f.setting.clone(),
    };
    match uc::register_patient(&state.app, &user, &r, Some(&rid)).await {
        Ok(_) => {
            let notice = format!("{} {} {}", lang.t("patients.registered"), f.given_name.trim(), f.family_name.trim());
            list_page(&state, lang, &csrf, &user, &rid, Some(notice)).await
        }
        Err(e) if e.kind == ErrorKind::Forbidden => error_page(lang, e),
        Err(e) => {
            super::desk::log_if_internal(&e);
            let mut page = Page::new(lang, "patients.new", Some(&user), &csrf, "patient");
            page.add_error(&e);
            new_page(&state, page, &f, crate::error::status_of(e.kind)).await
        }
    }
}
