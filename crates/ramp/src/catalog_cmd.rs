//! `ramp catalog import FILE`: the national article export (Inera
//! Hjälpmedelstjänsten, CSV or XLSX) or Ramp's plain CSV into the catalog
//! (issue 20), with a progress bar on the terminal (indicatif), a dry run,
//! and a report that names each bad row and column. A file with errors
//! writes nothing and exits 2.

use crate::{db, CliError, Config};
use clap::{Args, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use ramp_app::catalog_import::{import_catalog, ImportOptions, ImportReport, Phase};
use ramp_app::{App, AppConfig, SystemClock};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

#[derive(Debug, Subcommand)]
pub enum CatalogCommand {
    /// Import a catalog file: new articles added, changed ones updated under the same article
    /// number, articles no longer in the file retired (valid to today), never deleted.
    Import(ImportArgs),
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// A .csv (`;`, `,` or tab separated; UTF-8 or Windows-1252) or .xlsx file.
    pub file: PathBuf,
    /// Report what would change; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Keep articles that are not in the file (a partial file) instead of retiring them.
    #[arg(long)]
    pub keep_missing: bool,
    /// Product area of new articles whose ISO subclass no article has yet (when the file has no
    /// product_area column).
    #[arg(long)]
    pub product_area: Option<String>,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

fn bar() -> ProgressBar {
    let bar = ProgressBar::new(0);
    let style = ProgressStyle::with_template("{msg:10} [{bar:40}] {pos}/{len} rows ({per_sec}, {eta})")
        .expect("a valid template")
        .progress_chars("=> ");
    bar.set_style(style);
    bar
}

fn print_report(r: &ImportReport) {
    let verb = if r.applied {
        "imported"
    } else if r.dry_run {
        "dry run"
    } else {
        "not imported"
    };
    println!(
        "{verb}: {} rows ({} layout): {} new, {} changed, {} unchanged, {} retired",
        r.rows, r.layout, r.new, r.changed, r.unchanged, r.retired
    );
    for e in &r.examples {
        println!("  {e}");
    }
    for e in &r.errors {
        println!("error: {e}");
    }
    if r.errors_not_shown > 0 {
        println!("… and {} more errors", r.errors_not_shown);
    }
}

pub async fn run(cmd: CatalogCommand, config: &Config) -> Result<(), CliError> {
    let CatalogCommand::Import(args) = cmd;
    let storage = db::open_migrated(config).await?;
    let app = App::new(storage, Arc::new(SystemClock), AppConfig::default());
    let opts = ImportOptions {
        dry_run: args.dry_run,
        keep_missing: args.keep_missing,
        default_area: args.product_area.clone(),
    };
    let bar = bar();
    let phase = Mutex::new(None);
    let progress = |p: Phase, done: usize, total: usize| {
        let mut seen = phase.lock().expect("lock");
        if *seen != Some(p) {
            *seen = Some(p);
            bar.set_message(format!("{p:?}").to_lowercase());
            bar.set_position(0);
        }
        bar.set_length(total.max(done) as u64);
        bar.set_position(done as u64);
    };
    let report = import_catalog(&app, None, &args.file, &opts, &progress).await?;
    bar.finish_and_clear();
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report).expect("a report serializes"));
    } else {
        print_report(&report);
    }
    if report.errors.is_empty() {
        Ok(())
    } else {
        Err(CliError::input(format!(
            "{} errors in {}; nothing was imported",
            report.errors.len() + report.errors_not_shown,
            args.file.display()
        )))
    }
}
