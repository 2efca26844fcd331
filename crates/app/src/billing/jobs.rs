//! Invoice runs started from the UI or the API run in the background, as
//! catalog imports do (`catalog_import/jobs.rs`): the finance officer
//! watches the progress (reading, writing n of m invoices) and may cancel.
//! The jobs live in the serving process's memory; a final run's outcome —
//! the invoices written or not — is in the database, and a restart forgets
//! only the progress display (the run's lease then lapses, see
//! [`super::RUN_LEASE_SECONDS`]).

use super::{authorize, run_month, RunControl, RunStage, RunSummary};
use crate::error::{AppError, Result};
use crate::App;
use ramp_model::{Id, User};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// How many ended runs are remembered for their result.
const KEEP: usize = 20;

/// Where a job is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    Running,
    /// Ended with every invoice written (final) or computed (preliminary).
    Finished,
    /// Stopped on request between two batches; what was written stands.
    Cancelled,
    /// Could not run (a month not ended, another final run of the month, the database away).
    Failed,
}

/// One invoice run as it runs.
#[derive(Debug, Clone, Serialize)]
pub struct InvoiceRunJob {
    pub id: u64,
    pub month: String,
    pub preliminary: bool,
    pub state: JobState,
    pub stage: RunStage,
    /// Invoices written (final) so far, of `total`.
    pub done: usize,
    pub total: usize,
    /// Cancellation was asked for and will be heard between two batches.
    pub cancel_requested: bool,
    /// When it ended: what it did (or, preliminary, would do).
    pub result: Option<RunSummary>,
    /// When it failed: why, with the error code.
    pub error: Option<String>,
    pub error_code: Option<String>,
    #[serde(skip)]
    started_by: Id,
    #[serde(skip)]
    cancel: Arc<AtomicBool>,
}

impl InvoiceRunJob {
    /// Who started it.
    pub fn started_by(&self) -> Id {
        self.started_by
    }

    /// Whether it has ended (finished, cancelled or failed).
    pub fn ended(&self) -> bool {
        self.state != JobState::Running
    }
}

/// The process's invoice runs.
#[derive(Debug, Default)]
pub struct InvoiceRunJobs {
    next: AtomicU64,
    jobs: Mutex<HashMap<u64, InvoiceRunJob>>,
}

impl InvoiceRunJobs {
    fn update(&self, id: u64, f: impl FnOnce(&mut InvoiceRunJob)) {
        if let Some(job) = self.jobs.lock().expect("lock").get_mut(&id) {
            f(job);
        }
    }

    fn forget_old(&self) {
        let mut jobs = self.jobs.lock().expect("lock");
        let mut ended: Vec<u64> = jobs.values().filter(|j| j.ended()).map(|j| j.id).collect();
        ended.sort_unstable();
        let excess = ended.len().saturating_sub(KEEP);
        for id in &ended[..excess] {
            jobs.remove(id);
        }
    }
}

/// Starts a run of `month` in the background (preliminary: writes nothing)
/// and returns the job at once. The month is checked first, so a month
/// not ended is refused here rather than by a failed job.
pub async fn start_run(app: &App, user: &User, month: &str, preliminary: bool) -> Result<InvoiceRunJob> {
    authorize(user)?;
    let month = super::closed_month(app, month)?.to_string();
    let jobs = app.invoice_runs.clone();
    let id = jobs.next.fetch_add(1, Ordering::Relaxed) + 1;
    let cancel = Arc::new(AtomicBool::new(false));
    let job = InvoiceRunJob {
        id,
        month: month.clone(),
        preliminary,
        state: JobState::Running,
        stage: RunStage::Reading,
        done: 0,
        total: 0,
        cancel_requested: false,
        result: None,
        error: None,
        error_code: None,
        started_by: user.id,
        cancel: cancel.clone(),
    };
    jobs.jobs.lock().expect("lock").insert(id, job.clone());
    let (app, user) = (app.clone(), user.clone());
    tokio::spawn(async move {
        let progress = |stage: RunStage, done: usize, total: usize| {
            app.invoice_runs.update(id, |j| {
                j.stage = if stage == RunStage::Done { RunStage::Writing } else { stage };
                (j.done, j.total) = (done, total);
            })
        };
        let ctl = RunControl { progress: &progress, cancel: &cancel };
        let outcome = run_month(&app, &user, &month, preliminary, &ctl).await;
        app.invoice_runs.update(id, |j| {
            j.stage = RunStage::Done;
            match outcome {
                Ok(s) => {
                    j.state = if s.cancelled { JobState::Cancelled } else { JobState::Finished };
                    j.result = Some(s);
                }
                Err(e) => {
                    j.state = JobState::Failed;
                    j.error_code = Some(e.code.to_string());
                    j.error = Some(e.message);
                }
            }
        });
        app.invoice_runs.forget_old();
    });
    Ok(job)
}

/// A run's progress and, once ended, its result.
pub async fn run_job(app: &App, user: &User, id: u64) -> Result<InvoiceRunJob> {
    authorize(user)?;
    let jobs = app.invoice_runs.jobs.lock().expect("lock");
    jobs.get(&id).cloned().ok_or_else(|| {
        AppError::not_found(Some("id"), "run_not_found", "no such invoice run (or forgotten after a restart)")
    })
}

/// Asks a running run to stop after the batch it is writing; the invoices
/// written so far stand, whole. A run that has ended is left as it is.
pub async fn cancel_run(app: &App, user: &User, id: u64) -> Result<InvoiceRunJob> {
    authorize(user)?;
    let mut jobs = app.invoice_runs.jobs.lock().expect("lock");
    let job = jobs.get_mut(&id).ok_or_else(|| {
        AppError::not_found(Some("id"), "run_not_found", "no such invoice run (or forgotten after a restart)")
    })?;
    if !job.ended() {
        job.cancel.store(true, Ordering::Relaxed);
        job.cancel_requested = true;
    }
    Ok(job.clone())
}
