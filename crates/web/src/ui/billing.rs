//! "Fakturering" for the centre's finance staff: run a month's invoicing,
//! the invoices per customer number, one invoice with its lines and their
//! computations, and the credit-note form. The CSV is the API's `.csv`
//! endpoint (GET accepts the session cookie). The page's patient-fee
//! section ("Patientavgifter") is posted to `patient_invoices.rs`.

use super::page::{error_page, render, Page};
use crate::extract::{CsrfForm, CsrfToken, UiUser};
use crate::i18n::Lang;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use ramp_app::billing::{self as uc, InvoiceDetail};
use ramp_app::model::{InvoiceRow, User};
use ramp_app::patient_invoices::PatientRunSummary;
use ramp_app::AppError;
use ramp_domain::figures::Month;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct ListParams {
    pub(super) month: Option<String>,
    pub(super) customer_number: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct CreditForm {
    #[serde(default)]
    reason: String,
}

#[derive(Template)]
#[template(path = "billing.html")]
struct ListTemplate {
    page: Page,
    /// The month the run form proposes (or was given).
    run_month: String,
    month: String,
    customer_number: String,
    invoices: Vec<InvoiceRow>,
    /// After a run: how many invoices it created and how many customer numbers were already invoiced.
    ran: Option<(usize, usize)>,
    /// The patient-fee section ("Patientavgifter").
    patient: PatientFees,
}

/// The patient-fee section of the page: its month and the last run's result.
#[derive(Debug, Default)]
pub(super) struct PatientFees {
    pub month: String,
    pub run: Option<PatientRunSummary>,
}

/// What the page shows besides the invoices: the forms' months, a run's result, an error.
#[derive(Debug, Default)]
pub(super) struct Shown {
    pub run_month: Option<String>,
    pub ran: Option<(usize, usize)>,
    pub patient: PatientFees,
    pub error: Option<AppError>,
}

impl ListTemplate {
    fn kind_name(&self, kind: &str) -> &'static str {
        self.page.t(if kind == "credit_note" { "billing.credit_note" } else { "billing.invoice" })
    }
}

#[derive(Template)]
#[template(path = "invoice.html")]
struct InvoiceTemplate {
    page: Page,
    d: InvoiceDetail,
    reason: String,
}

impl InvoiceTemplate {
    fn creditable(&self) -> bool {
        self.d.invoice.kind == "invoice" && self.d.invoice.credited_by.is_none()
    }

    fn kind_name(&self) -> &'static str {
        self.page.t(if self.d.invoice.kind == "credit_note" { "billing.credit_note" } else { "billing.invoice" })
    }
}

pub(super) async fn show_list(
    state: &AppState,
    lang: Lang,
    csrf: &str,
    user: &User,
    p: ListParams,
    shown: Shown,
) -> Response {
    let Shown { run_month, ran, mut patient, error } = shown;
    let (month, customer_number) = (p.month.unwrap_or_default(), p.customer_number.unwrap_or_default());
    let invoices = uc::invoices(&state.app, user, Some(&month), Some(&customer_number)).await;
    let mut page = Page::new(lang, "billing.title", Some(user), csrf, "billing");
    let (invoices, status) = match (invoices, error) {
        (Err(e), _) if e.kind == ramp_app::ErrorKind::Forbidden => return error_page(lang, e),
        (Err(e), _) | (Ok(_), Some(e)) => {
            page.add_error(&e);
            (Vec::new(), crate::error::status_of(e.kind))
        }
        (Ok(rows), None) => (rows, StatusCode::OK),
    };
    let last_month = Month::of(state.app.today()).prev().to_string();
    let run_month = run_month.unwrap_or_else(|| last_month.clone());
    if patient.month.is_empty() {
        patient.month = last_month;
    }
    render(&ListTemplate { page, run_month, month, customer_number, invoices, ran, patient }, status)
}

pub async fn list(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    Query(p): Query<ListParams>,
) -> Response {
    show_list(&state, lang, &csrf, &user, p, Shown::default()).await
}

async fn show_invoice(
    state: &AppState,
    lang: Lang,
    csrf: &str,
    user: &User,
    number: &str,
    reason: String,
    error: Option<AppError>,
) -> Response {
    match uc::invoice(&state.app, user, number).await {
        Ok(d) => {
            let mut page = Page::new(lang, "billing.invoice_title", Some(user), csrf, "billing");
            page.title = format!("{} {}", page.title, d.invoice.number);
            let status = match &error {
                Some(e) => {
                    page.add_error(e);
                    crate::error::status_of(e.kind)
                }
                None => StatusCode::OK,
            };
            render(&InvoiceTemplate { page, d, reason }, status)
        }
        Err(e) => error_page(lang, e),
    }
}

pub async fn invoice(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    Path(number): Path<String>,
) -> Response {
    show_invoice(&state, lang, &csrf, &user, &number, String::new(), None).await
}

pub async fn credit(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    Path(number): Path<String>,
    CsrfForm(f): CsrfForm<CreditForm>,
) -> Response {
    let done = uc::credit_invoice(&state.app, &user, &number, &f.reason).await;
    match done {
        Ok(note) => Redirect::to(&format!("/billing/invoices/{}", note.invoice.number)).into_response(),
        Err(e) => show_invoice(&state, lang, &csrf, &user, &number, f.reason, Some(e)).await,
    }
}

pub async fn back_to_invoice(Path(number): Path<String>) -> Redirect {
    Redirect::to(&format!("/billing/invoices/{}", super::url_encode(&number)))
}
