//! Every exported invoice of a demo month passes the official PEPPOL BIS
//! Billing 3 rules (issue 6): the small demo data set is loaded, October
//! 2026 is invoiced, one invoice is credited, and every invoice and the
//! credit note, exported as UBL 2.1, go through `scripts/peppol-validate`
//! in one run (the validator from PyPI, installed by `scripts/peppol-venv`).

use chrono::{NaiveDate, TimeZone, Utc};
use ramp_app::demo::{self, Scale};
use ramp_app::{billing, App, AppConfig, FixedClock};
use ramp_testkit::{fresh_storage, Engine};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

async fn every_exported_invoice_of_a_demo_month_passes_the_peppol_rules(engine: Engine) {
    // Arrange: the small demo, today 23 November 2026.
    let storage = fresh_storage(engine).await;
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let hash = ramp_app::auth::hash_password(demo::DEMO_PASSWORD).unwrap();
    demo::load(storage.as_ref(), Scale::Small, 1, &hash, today, &|_| {}).await.unwrap();
    let clock = Arc::new(FixedClock::new(Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap()));
    let app = App::new(storage.clone(), clock, AppConfig::default());
    let finance = storage.user_by_username("ekonomi").await.unwrap().expect("the demo's finance user");
    let run = billing::run_invoices(&app, &finance, "2026-10").await.unwrap();
    assert!(run.created.len() > 10, "{run:?}");
    let credit = billing::credit_invoice(&app, &finance, &run.created[0], "Fel kundnummer").await.unwrap();

    // Act: export every invoice and the credit note.
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("billing-peppol-{engine:?}"));
    std::fs::create_dir_all(&dir).unwrap();
    let mut files = Vec::new();
    for number in run.created.iter().chain([&credit.invoice.number]) {
        let xml = billing::invoice_ubl(&app, &finance, number).await.unwrap();
        let path = dir.join(format!("{number}.xml"));
        std::fs::write(&path, xml).unwrap();
        files.push(path);
    }
    let out =
        Command::new(repo_root().join("scripts/peppol-validate")).args(&files).output().expect("the validator runs");

    // Assert
    let report = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert_ne!(out.status.code(), Some(3), "the validator is not installed (run scripts/peppol-venv): {report}");
    assert!(out.status.success(), "{} documents: {report}", files.len());
    assert!(std::fs::read_to_string(&files[files.len() - 1]).unwrap().contains("<CreditNote"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_every_exported_invoice_of_a_demo_month_passes_the_peppol_rules() {
    every_exported_invoice_of_a_demo_month_passes_the_peppol_rules(Engine::Sqlite).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_every_exported_invoice_of_a_demo_month_passes_the_peppol_rules() {
    every_exported_invoice_of_a_demo_month_passes_the_peppol_rules(Engine::Postgres).await
}
