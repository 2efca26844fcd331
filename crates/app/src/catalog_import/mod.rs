//! Catalog import (issue 20): a national article export (Inera
//! Hjälpmedelstjänsten, CSV or XLSX) or Ramp's plain CSV, read and checked
//! row by row (`ramp_domain::catalog_import`), compared with the catalog,
//! and applied in one transaction — or, as a dry run, only reported.
//!
//! Article numbers are the key: an article in the file keeps its id and
//! number (devices, orders and replacement groups refer to it); a new one
//! is added; one that left the file is retired (`valid_to` = today), never
//! deleted, unless the import keeps missing articles. A file with any
//! error writes nothing: the report names each error's row and column.

mod jobs;
mod merge;
mod read;

pub use jobs::{import_job, start_import, ImportJob, ImportJobs};
pub use read::MAX_ERRORS;

use crate::error::{AppError, Result};
use crate::App;
use merge::{merge, Areas};
use ramp_domain::catalog_import::{Layout, RowError};
use ramp_domain::role::Role;
use ramp_model::{Article, CatalogChanges, User};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// How an import runs.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Report what would change and write nothing.
    pub dry_run: bool,
    /// Leave articles that are not in the file as they are (a partial file)
    /// instead of retiring them.
    pub keep_missing: bool,
    /// The product area of new articles whose ISO subclass or class no
    /// article has yet, when the file has no product-area column.
    pub default_area: Option<String>,
}

/// Where an import is, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Reading,
    Comparing,
    Writing,
    Done,
}

/// What an import found, and did.
#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    /// `inera` or `plain`.
    pub layout: &'static str,
    /// Data rows read (the header not counted).
    pub rows: usize,
    pub new: usize,
    pub changed: usize,
    pub unchanged: usize,
    pub retired: usize,
    pub errors: Vec<RowError>,
    pub errors_not_shown: usize,
    pub dry_run: bool,
    /// Whether the catalog was written.
    pub applied: bool,
    /// A few of the changes, for a person to check before the real run.
    pub examples: Vec<String>,
}

/// What a row does to the catalog.
enum Outcome {
    New,
    Changed,
    Unchanged,
}

fn same(a: &Article, b: &Article) -> bool {
    (&a.iso_code, &a.gtin, &a.name, &a.supplier_name, a.purchase_price_ore, a.monthly_rent_ore, a.kind, a.billing)
        == (
            &b.iso_code,
            &b.gtin,
            &b.name,
            &b.supplier_name,
            b.purchase_price_ore,
            b.monthly_rent_ore,
            b.kind,
            b.billing,
        )
        && (a.lead_time_class, a.service_life_months, a.reconditionable, &a.product_area, a.valid_from, a.valid_to)
            == (b.lead_time_class, b.service_life_months, b.reconditionable, &b.product_area, b.valid_from, b.valid_to)
}

/// Imports the catalog file at `path`. `by` is the administrator in the UI
/// or API (`None` from the command line, run by the operator);
/// `progress` gets the phase, the rows done and the rows in all.
pub async fn import_catalog(
    app: &App,
    by: Option<&User>,
    path: &Path,
    opts: &ImportOptions,
    progress: &(dyn Fn(Phase, usize, usize) + Send + Sync),
) -> Result<ImportReport> {
    if by.is_some_and(|u| !u.has_role(Role::Admin)) {
        return Err(AppError::forbidden("role_required", "only administrators import the catalog"));
    }
    let path_owned = path.to_path_buf();
    let read_progress = |n: usize| progress(Phase::Reading, n, 0);
    let parsed = read::read_file(&path_owned, &read_progress)?;
    let layout = match parsed.columns.as_ref().map(|c| c.layout) {
        Some(Layout::Inera) => "inera",
        _ => "plain",
    };
    let mut report = ImportReport {
        layout,
        rows: parsed.rows,
        new: 0,
        changed: 0,
        unchanged: 0,
        retired: 0,
        errors: parsed.errors,
        errors_not_shown: parsed.errors_not_shown,
        dry_run: opts.dry_run,
        applied: false,
        examples: Vec::new(),
    };
    let Some(cols) = parsed.columns else { return Ok(report) };

    progress(Phase::Comparing, 0, parsed.articles.len());
    let catalog = app.storage.all_articles().await?;
    let areas = Areas::new(&app.storage.product_areas().await?, &catalog, opts.default_area.clone());
    let today = app.today();
    let by_number: HashMap<&str, &Article> = catalog.iter().map(|a| (a.article_number.as_str(), a)).collect();
    let mut upserts = Vec::new();
    for a in &parsed.articles {
        let existing = by_number.get(a.article_number.as_str()).copied();
        let merged = match merge(&cols, a, existing, &areas, today) {
            Ok(m) => m,
            Err(e) => {
                report.errors.push(e);
                continue;
            }
        };
        let outcome = match existing {
            None => Outcome::New,
            Some(e) if same(e, &merged) => Outcome::Unchanged,
            Some(_) => Outcome::Changed,
        };
        match outcome {
            Outcome::New => report.new += 1,
            Outcome::Changed => report.changed += 1,
            Outcome::Unchanged => {
                report.unchanged += 1;
                continue;
            }
        }
        if report.examples.len() < 10 {
            let what = if existing.is_some() { "changed" } else { "new" };
            report.examples.push(format!("row {}: {what} {} {}", a.row, merged.article_number, merged.name));
        }
        upserts.push(merged);
    }
    let in_file: HashSet<&str> = parsed.articles.iter().map(|a| a.article_number.as_str()).collect();
    let retire: Vec<String> = if opts.keep_missing {
        Vec::new()
    } else {
        catalog
            .iter()
            .filter(|a| a.valid_to.is_none_or(|to| to > today) && !in_file.contains(a.article_number.as_str()))
            .map(|a| a.article_number.clone())
            .collect()
    };
    report.retired = retire.len();
    if !report.errors.is_empty() || opts.dry_run {
        progress(Phase::Done, parsed.rows, parsed.rows);
        return Ok(report);
    }

    let total = upserts.len();
    let changes = CatalogChanges { upserts, retire, retire_on: Some(today) };
    let write_progress = |n: usize| progress(Phase::Writing, n, total);
    app.storage.apply_catalog_changes(&changes, &write_progress).await?;
    app.catalog_replaced().await;
    report.applied = true;
    progress(Phase::Done, total, total);
    tracing::info!(new = report.new, changed = report.changed, retired = report.retired, "catalog imported");
    Ok(report)
}
