//! A patient's fee statement page ("avgiftsspecifikation"), reached from
//! the device overview. The personal identity number is posted, never put
//! in the URL; a GET (a reload, the language switch) goes back to the form.

use super::page::{render, Page};
use crate::extract::{CsrfForm, CsrfToken, RequestId, UiUser};
use crate::i18n::Lang;
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Redirect, Response};
use ramp_app::fees::FeeStatement;
use ramp_domain::fees::FeeOutcome;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "fees.html")]
struct FeesTemplate {
    page: Page,
    personal_id: String,
    from: String,
    to: String,
    statement: Option<FeeStatement>,
}

impl FeesTemplate {
    fn outcome(&self, o: &FeeOutcome) -> &'static str {
        self.page.t(&format!("fees.outcome.{}", o.as_str()))
    }

    /// Why a fee has no invoice: nothing to pay, or not yet invoiced.
    fn not_invoiced(&self, amount: &i64) -> &'static str {
        self.page.t(if *amount == 0 { "fees.invoice.nothing" } else { "fees.invoice.not_yet" })
    }

    /// What is left of the cap period's cap.
    fn left(&self, cap: &i64, paid: &i64) -> String {
        self.page.sek(&(cap - paid).max(0))
    }
}

#[derive(Deserialize)]
pub struct FeesForm {
    #[serde(default)]
    personal_id: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

pub async fn back() -> Redirect {
    Redirect::to("/patient")
}

pub async fn statement(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    RequestId(rid): RequestId,
    CsrfForm(f): CsrfForm<FeesForm>,
) -> Response {
    let page = Page::new(lang, "fees.title", Some(&user), &csrf, "patient");
    let mut t = FeesTemplate {
        page,
        personal_id: f.personal_id.clone(),
        from: f.from.clone(),
        to: f.to.clone(),
        statement: None,
    };
    let result =
        ramp_app::fees::fee_statement(&state.app, &user, &f.personal_id, Some(&f.from), Some(&f.to), Some(&rid)).await;
    match result {
        Ok(s) => {
            t.page.title = format!("{} – {} {}", lang.t("fees.title"), s.patient.given_name, s.patient.family_name);
            t.from = s.from.to_string();
            t.to = s.to.to_string();
            t.page.emergency_until = s.emergency_until;
            t.statement = Some(s);
            render(&t, StatusCode::OK)
        }
        Err(e) => {
            if e.kind == ramp_app::ErrorKind::Internal {
                crate::error::log_internal(&e);
            }
            t.page.add_error(&e);
            render(&t, crate::error::status_of(e.kind))
        }
    }
}
