//! The patient-fee section of the finance page ("Patientavgifter", issues
//! 19 and 22): preview or run a month's patient invoicing and show the
//! result (how many invoices, their sum, how many fees the cap limited).
//! The result names no patient; the month's invoices are exported through
//! the API (`/api/v1/patient-invoices.csv`, `.xlsx`), each patient audited.

use super::billing::{show_list, ListParams, PatientFees, Shown};
use crate::extract::{CsrfForm, CsrfToken, UiUser};
use crate::i18n::Lang;
use crate::AppState;
use axum::extract::State;
use axum::response::Response;
use ramp_app::patient_invoices::run_patient_invoices;
use ramp_app::AppError;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct PatientRunForm {
    #[serde(default)]
    month: String,
    /// `invoice` runs for real; anything else (the "Förhandsgranska" button) previews.
    #[serde(default)]
    action: String,
}

/// The month field of this form is `patient_month`, apart from the
/// customer-number run's `month` on the same page.
fn beside_field(e: AppError) -> AppError {
    if e.field.as_deref() == Some("month") {
        e.with_field("patient_month")
    } else {
        e
    }
}

pub async fn run(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    CsrfForm(f): CsrfForm<PatientRunForm>,
) -> Response {
    let preliminary = f.action != "invoice";
    let shown = match run_patient_invoices(&state.app, &user, &f.month, preliminary).await {
        Ok(s) => Shown { patient: PatientFees { month: s.month.clone(), run: Some(s) }, ..Shown::default() },
        Err(e) => Shown {
            patient: PatientFees { month: f.month, run: None },
            error: Some(beside_field(e)),
            ..Shown::default()
        },
    };
    show_list(&state, lang, &csrf, &user, ListParams::default(), shown).await
}
