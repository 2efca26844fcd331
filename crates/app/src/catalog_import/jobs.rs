//! Imports started from the UI or the API run in the background, so an
//! administrator watches their progress (reading, comparing, writing)
//! instead of holding a request open for a minute. The jobs live in the
//! serving process's memory: their outcome — the catalog written or not —
//! is in the database; a restart forgets only the progress display.

use super::{import_catalog, ImportOptions, ImportReport, Phase};
use crate::admin::{require_admin, Caller};
use crate::error::{AppError, Result};
use crate::App;
use ramp_domain::admin::AdminEntity;
use ramp_model::Id;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

/// How many finished jobs are remembered for their report.
const KEEP: usize = 20;

/// One import as it runs.
#[derive(Debug, Clone, Serialize)]
pub struct ImportJob {
    pub id: u64,
    pub phase: Phase,
    pub done: usize,
    pub total: usize,
    pub dry_run: bool,
    pub file_name: String,
    /// When it ended: what it found and did.
    pub report: Option<ImportReport>,
    /// When it could not run (an unreadable file, the database away).
    pub error: Option<String>,
    #[serde(skip)]
    started_by: Id,
}

/// The process's imports.
#[derive(Debug, Default)]
pub struct ImportJobs {
    next: AtomicU64,
    jobs: Mutex<HashMap<u64, ImportJob>>,
}

impl ImportJobs {
    fn update(&self, id: u64, f: impl FnOnce(&mut ImportJob)) {
        if let Some(job) = self.jobs.lock().expect("lock").get_mut(&id) {
            f(job);
        }
    }

    fn forget_old(&self) {
        let mut jobs = self.jobs.lock().expect("lock");
        let mut ended: Vec<u64> = jobs.values().filter(|j| j.phase == Phase::Done).map(|j| j.id).collect();
        ended.sort_unstable();
        let excess = ended.len().saturating_sub(KEEP);
        for id in &ended[..excess] {
            jobs.remove(id);
        }
    }
}

/// Administrators only; a refusal is recorded with the other
/// administrative refusals.
async fn admin_only(app: &App, caller: Caller<'_>) -> Result<()> {
    require_admin(app, caller, AdminEntity::Article, "import").await
}

/// Starts importing `bytes` (a CSV, or an XLSX when `xlsx`) in the
/// background and returns the job's id at once.
pub async fn start_import(
    app: &App,
    caller: Caller<'_>,
    file_name: &str,
    bytes: Vec<u8>,
    opts: ImportOptions,
) -> Result<u64> {
    admin_only(app, caller).await?;
    let user = caller.user;
    if bytes.is_empty() {
        return Err(AppError::invalid("file", "required", "choose a file to import"));
    }
    let xlsx = bytes.starts_with(b"PK\x03\x04");
    let jobs = app.imports.clone();
    let id = jobs.next.fetch_add(1, Ordering::Relaxed) + 1;
    let path = std::env::temp_dir().join(format!(
        "ramp-import-{}-{id}.{}",
        std::process::id(),
        if xlsx { "xlsx" } else { "csv" }
    ));
    std::fs::write(&path, &bytes).map_err(AppError::unavailable)?;
    let job = ImportJob {
        id,
        phase: Phase::Reading,
        done: 0,
        total: 0,
        dry_run: opts.dry_run,
        file_name: file_name.chars().take(200).collect(),
        report: None,
        error: None,
        started_by: user.id,
    };
    jobs.jobs.lock().expect("lock").insert(id, job);
    let (app, user) = (app.clone(), user.clone());
    tokio::spawn(async move {
        let progress = |phase: Phase, done: usize, total: usize| {
            app.imports.update(id, |j| {
                j.phase = if phase == Phase::Done { Phase::Writing } else { phase };
                (j.done, j.total) = (done, total);
            })
        };
        let outcome = import_catalog(&app, Some(&user), &path, &opts, &progress).await;
        let _ = std::fs::remove_file(&path);
        app.imports.update(id, |j| {
            j.phase = Phase::Done;
            match outcome {
                Ok(report) => j.report = Some(report),
                Err(e) => j.error = Some(e.message),
            }
        });
        app.imports.forget_old();
    });
    Ok(id)
}

/// An import's progress and, once ended, its report.
pub async fn import_job(app: &App, caller: Caller<'_>, id: u64) -> Result<ImportJob> {
    admin_only(app, caller).await?;
    let jobs = app.imports.jobs.lock().expect("lock");
    jobs.get(&id)
        .cloned()
        .ok_or_else(|| AppError::not_found(None, "import_not_found", "no such import (or forgotten after a restart)"))
}

impl ImportJob {
    /// Who started it.
    pub fn started_by(&self) -> Id {
        self.started_by
    }
}
