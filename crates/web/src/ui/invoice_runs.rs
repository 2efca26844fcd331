//! The invoice run as a background job in the UI (issue 19): the finance
//! page's run form starts a preliminary or a final run and lands on the
//! run's page, whose status fragment htmx polls every second; without
//! JavaScript the page has a link that reloads it. A running run can be
//! cancelled; the result lists the totals per principal and customer number.

use super::page::{error_page, render, Page};
use crate::extract::{CsrfForm, CsrfToken, UiUser};
use crate::i18n::Lang;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use ramp_app::billing::jobs::{cancel_run, run_job, start_run, InvoiceRunJob, JobState};
use ramp_app::billing::RunStage;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct RunForm {
    #[serde(default)]
    month: String,
    /// `preliminary` or `final`.
    #[serde(default)]
    action: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct CancelForm {}

#[derive(Template)]
#[template(path = "billing_run.html")]
struct RunTemplate {
    page: Page,
    job: InvoiceRunJob,
}

#[derive(Template)]
#[template(path = "billing_run_status.html")]
struct StatusTemplate {
    page: Page,
    job: InvoiceRunJob,
}

/// What the templates say about a run.
trait RunText {
    fn page(&self) -> &Page;
    fn job(&self) -> &InvoiceRunJob;

    fn running(&self) -> bool {
        !self.job().ended()
    }

    /// The progress bar's maximum: never below what is done, nor 0.
    fn progress_max(&self) -> usize {
        self.job().total.max(self.job().done).max(1)
    }

    fn kind_text(&self) -> &'static str {
        self.page().t(if self.job().preliminary { "runs.preliminary" } else { "runs.final" })
    }

    fn state_text(&self) -> &'static str {
        let j = self.job();
        self.page().t(match (j.state, j.stage) {
            (JobState::Running, _) if j.cancel_requested => "runs.cancelling",
            (JobState::Running, RunStage::Reading) => "runs.reading",
            (JobState::Running, _) => "runs.writing",
            (JobState::Finished, _) if j.preliminary => "runs.finished_preliminary",
            (JobState::Finished, _) => "runs.finished",
            (JobState::Cancelled, _) => "runs.cancelled",
            (JobState::Failed, _) => "runs.failed",
        })
    }
}

impl RunText for RunTemplate {
    fn page(&self) -> &Page {
        &self.page
    }
    fn job(&self) -> &InvoiceRunJob {
        &self.job
    }
}

impl RunText for StatusTemplate {
    fn page(&self) -> &Page {
        &self.page
    }
    fn job(&self) -> &InvoiceRunJob {
        &self.job
    }
}

/// Starts a run from the finance page's form and shows its progress.
pub async fn start(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    CsrfForm(f): CsrfForm<RunForm>,
) -> Response {
    let preliminary = f.action != "final";
    match start_run(&state.app, &user, &f.month, preliminary).await {
        Ok(job) => Redirect::to(&format!("/billing/runs/{}", job.id)).into_response(),
        Err(e) if e.kind == ramp_app::ErrorKind::Forbidden => error_page(lang, e),
        Err(e) => {
            let shown = super::billing::Shown { run_month: Some(f.month), error: Some(e), ..Default::default() };
            super::billing::show_list(&state, lang, &csrf, &user, Default::default(), shown).await
        }
    }
}

pub async fn show(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    Path(id): Path<u64>,
) -> Response {
    match run_job(&state.app, &user, id).await {
        Ok(job) => {
            let mut page = Page::new(lang, "runs.title", Some(&user), &csrf, "billing");
            page.title = format!("{} {}", page.title, job.month);
            render(&RunTemplate { page, job }, StatusCode::OK)
        }
        Err(e) => error_page(lang, e),
    }
}

/// The progress fragment the run's page polls (htmx) until the run ends.
pub async fn status(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    Path(id): Path<u64>,
) -> Response {
    match run_job(&state.app, &user, id).await {
        Ok(job) => {
            let page = Page::new(lang, "runs.title", Some(&user), &csrf, "billing");
            Html(StatusTemplate { page, job }.render().unwrap_or_default()).into_response()
        }
        Err(e) => error_page(lang, e),
    }
}

pub async fn cancel(
    State(state): State<AppState>,
    lang: Lang,
    UiUser(user): UiUser,
    Path(id): Path<u64>,
    CsrfForm(_): CsrfForm<CancelForm>,
) -> Response {
    match cancel_run(&state.app, &user, id).await {
        Ok(job) => Redirect::to(&format!("/billing/runs/{}", job.id)).into_response(),
        Err(e) => error_page(lang, e),
    }
}

pub async fn back_to_run(Path(id): Path<u64>) -> Redirect {
    Redirect::to(&format!("/billing/runs/{id}"))
}
