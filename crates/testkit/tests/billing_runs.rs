//! Invoice runs as background jobs on both engines (issue 19): a
//! preliminary run writes nothing and totals what a final run then
//! invoices; a cancelled run leaves whole invoices only and the month can
//! be run again; racing final runs invoice a month once (the database
//! refuses a second running run and a second invoice); the XLSX
//! specification reconciles with the invoice.

use crate::billing::{d, lend, lidingo_invoice, run, setup, BED};
use calamine::{Data, Reader, Xlsx};
use ramp_app::billing::{run_month, RunControl, RunStage};
use ramp_storage::*;
use ramp_testkit::{problem, TestApp};
use serde_json::{json, Value};
use std::io::Cursor;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Starts a run job and polls it until it ends (a real background task, so
/// polled with a deadline).
async fn run_job(app: &TestApp, token: &str, month: &str, preliminary: bool) -> Value {
    let body = json!({ "month": month, "preliminary": preliminary });
    let resp = app.post_json(token, "/api/v1/invoice-run-jobs", &body).await;
    assert_eq!(resp.status(), 202, "start {month}");
    let location = resp.headers()["location"].to_str().unwrap().to_string();
    let started: Value = resp.json().await.unwrap();
    assert_eq!(location, format!("/api/v1/invoice-run-jobs/{}", started["id"]));
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let job: Value = app.get(token, &location).await.json().await.unwrap();
        if job["state"] != "running" {
            return job;
        }
        assert!(Instant::now() < deadline, "the run ended in time: {job}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn invoice_count(app: &TestApp, token: &str, month: &str) -> usize {
    let list: Value = app.get(token, &format!("/api/v1/invoices?month={month}")).await.json().await.unwrap();
    list.as_array().unwrap().len()
}

async fn a_preliminary_run_writes_nothing_and_totals_what_the_final_run_then_invoices(app: TestApp) {
    // Arrange: the fixture's rollator (region, 41,66 kr) and a bed on Lidingö's number (174,19 kr).
    let token = setup(&app).await;
    lend(&app, 450, BED, 1_200_000, d(2026, 1, 1), d(2026, 10, 20)).await;

    // Act
    let preliminary = run_job(&app, &token, "2026-10", true).await;
    let written_by_preliminary = invoice_count(&app, &token, "2026-10").await;
    let last = run_job(&app, &token, "2026-10", false).await;
    let again = run_job(&app, &token, "2026-10", false).await;

    // Assert
    assert_eq!((preliminary["state"].as_str(), preliminary["stage"].as_str()), (Some("finished"), Some("done")));
    let r = &preliminary["result"];
    assert_eq!((r["preliminary"].as_bool(), r["run_id"].is_null()), (Some(true), true), "{r}");
    assert_eq!(
        (r["total_ore"].as_i64(), r["lines"].as_i64(), r["created"].clone()),
        (Some(21_585), Some(2), json!([]))
    );
    let per_customer: Vec<(&str, i64)> = r["customers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["customer_number"].as_str().unwrap(), c["total_ore"].as_i64().unwrap()))
        .collect();
    assert_eq!(per_customer.iter().map(|c| c.1).sum::<i64>(), 21_585);
    assert!(per_customer.contains(&("300001", 17_419)), "{per_customer:?}");
    let per_principal: i64 = r["principals"].as_array().unwrap().iter().map(|p| p["total_ore"].as_i64().unwrap()).sum();
    assert_eq!(per_principal, 21_585);
    assert_eq!(written_by_preliminary, 0, "a preliminary run writes nothing");
    let f = &last["result"];
    assert_eq!((last["state"].as_str(), f["preliminary"].as_bool()), (Some("finished"), Some(false)));
    assert_eq!((f["total_ore"].as_i64(), f["created"].as_array().unwrap().len()), (Some(21_585), 2), "{f}");
    assert_eq!((last["done"].as_i64(), last["total"].as_i64()), (Some(2), Some(2)));
    assert_eq!(invoice_count(&app, &token, "2026-10").await, 2);
    assert_eq!(
        (again["result"]["created"].clone(), again["result"]["already_invoiced"].as_i64()),
        (json!([]), Some(2))
    );
    assert_eq!(invoice_count(&app, &token, "2026-10").await, 2, "a final run of an invoiced month creates nothing");
}

async fn a_cancelled_run_leaves_no_invoice_half_written_and_the_month_can_be_run_again(app: TestApp) {
    // Arrange: cancellation asked for as the writing starts (before the first batch).
    let token = setup(&app).await;
    lend(&app, 451, BED, 1_200_000, d(2026, 1, 1), d(2026, 10, 20)).await;
    let user = app.storage.user_by_username("ekonomi").await.unwrap().unwrap();
    let cancel = AtomicBool::new(false);
    let progress = |stage: RunStage, _: usize, _: usize| {
        if stage == RunStage::Writing {
            cancel.store(true, Ordering::Relaxed);
        }
    };

    // Act
    let cancelled = run_month(&app.app, &user, "2026-10", false, &RunControl { progress: &progress, cancel: &cancel })
        .await
        .unwrap();
    let after_cancel = invoice_count(&app, &token, "2026-10").await;
    let rerun = run(&app, &token, "2026-10").await;

    // Assert
    assert!(cancelled.cancelled && cancelled.created.is_empty(), "{cancelled:?}");
    assert_eq!(after_cancel, 0, "no invoice, whole or half");
    assert_eq!((rerun["created"].as_array().unwrap().len(), rerun["total_ore"].as_i64()), (2, Some(21_585)));
    let bed = lidingo_invoice(&app, &token, "2026-10").await;
    let sum: i64 = bed["lines"].as_array().unwrap().iter().map(|l| l["amount_ore"].as_i64().unwrap()).sum();
    assert_eq!(sum, bed["total_ore"].as_i64().unwrap(), "the invoice is whole");
}

async fn two_final_runs_racing_for_a_month_invoice_it_once(app: TestApp) {
    // Arrange
    let token = setup(&app).await;
    lend(&app, 452, BED, 1_200_000, d(2026, 1, 1), d(2026, 10, 20)).await;
    let body = json!({ "month": "2026-10" });

    // Act
    let (a, b) = tokio::join!(
        app.post_json(&token, "/api/v1/invoice-runs", &body),
        app.post_json(&token, "/api/v1/invoice-runs", &body)
    );

    // Assert: each answers 201 (it ran, perhaps finding the month invoiced) or 409 run_in_progress (field month).
    let mut created = 0;
    for resp in [a, b] {
        if resp.status() == 409 {
            let p = problem(resp).await;
            assert_eq!((p["code"].as_str(), p["field"].as_str()), (Some("run_in_progress"), Some("month")), "{p}");
        } else {
            assert_eq!(resp.status(), 201);
            let s: Value = resp.json().await.unwrap();
            created += s["created"].as_array().unwrap().len();
        }
    }
    assert_eq!(created, 2);
    assert_eq!(invoice_count(&app, &token, "2026-10").await, 2);
}

async fn the_database_lets_one_final_run_of_a_month_run_and_writes_a_batch_of_invoices_whole_or_not_at_all(
    app: TestApp,
) {
    // Arrange
    let token = setup(&app).await;
    lend(&app, 453, BED, 1_200_000, d(2026, 1, 1), d(2026, 10, 20)).await;
    run(&app, &token, "2026-10").await;
    let s = app.storage.as_ref();
    let now = app.clock.now();
    let long_ago = now - chrono::Duration::hours(1);
    let first = s.invoice_by_number("2026000001").await.unwrap().unwrap();
    let lines = s.invoice_lines(first.id).await.unwrap();
    let again = |customer_number_id: Id, month: &str| NewInvoice {
        kind: "invoice".into(),
        month: month.into(),
        revision: 0,
        customer_number_id,
        principal_id: first.principal_id,
        issue_date: first.issue_date,
        due_date: first.due_date,
        credited_invoice_id: None,
        reason: None,
        created_by: 50,
        created_at: now,
        run_id: None,
        lines: lines
            .iter()
            .map(|l| NewInvoiceLine {
                kind: l.kind.clone(),
                source_key: format!("{}:{month}", l.source_key),
                device_id: l.device_id,
                article_id: l.article_id,
                patient_id: l.patient_id,
                description: l.description.clone(),
                quantity: l.quantity,
                unit_price_ore: l.unit_price_ore,
                amount_ore: l.amount_ore,
                period_from: l.period_from,
                period_to: l.period_to,
                computation: l.computation.clone(),
                credited_line_id: None,
            })
            .collect(),
    };

    // Act
    let running = s.start_invoice_run("2026-09", 50, now, long_ago).await.unwrap();
    let second = s.start_invoice_run("2026-09", 50, now, long_ago).await;
    let other_month = s.start_invoice_run("2026-08", 50, now, long_ago).await;
    s.mark_invoice_run(running, "finished", now).await.unwrap();
    let after_finish = s.start_invoice_run("2026-09", 50, now, long_ago).await;
    // A batch of a new month's invoice and one for a month already invoiced.
    let batch = s
        .create_invoices(&[again(first.customer_number_id, "2026-07"), again(first.customer_number_id, "2026-10")])
        .await;
    let july = s.invoices(&InvoiceFilter { month: Some("2026-07".into()), customer_number: None, limit: 10 }).await;

    // Assert
    assert!(matches!(second, Err(StorageError::Conflict { .. })), "{second:?}");
    assert!(other_month.is_ok(), "another month may run meanwhile");
    assert!(after_finish.is_ok(), "a finished run frees the month");
    assert!(matches!(batch, Err(StorageError::Conflict { .. })), "{batch:?}");
    assert_eq!(july.unwrap().len(), 0, "the batch's other invoice was rolled back with it");
}

async fn an_interrupted_run_whose_lease_lapsed_does_not_block_the_month(app: TestApp) {
    // Arrange: a run recorded as running two hours ago, its process gone.
    let token = setup(&app).await;
    lend(&app, 454, BED, 1_200_000, d(2026, 1, 1), d(2026, 10, 20)).await;
    let now = app.clock.now();
    let two_hours = chrono::Duration::hours(2);
    app.storage.start_invoice_run("2026-10", 50, now - two_hours, now - two_hours * 2).await.unwrap();

    // Act
    let s = run(&app, &token, "2026-10").await;

    // Assert
    assert_eq!(s["created"].as_array().unwrap().len(), 2);
}

async fn an_invoice_specification_downloads_as_xlsx_and_reconciles_with_the_invoice_total(app: TestApp) {
    // Arrange
    let token = setup(&app).await;
    lend(&app, 455, BED, 1_200_000, d(2026, 1, 1), d(2026, 10, 20)).await;
    lend(&app, 456, BED, 1_200_000, d(2026, 1, 1), d(2026, 10, 1)).await;
    run(&app, &token, "2026-10").await;
    let invoice = lidingo_invoice(&app, &token, "2026-10").await;
    let number = invoice["number"].as_str().unwrap();

    // Act
    let resp = app.get(&token, &format!("/api/v1/invoices/{number}.xlsx")).await;

    // Assert
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    let bytes = resp.bytes().await.unwrap().to_vec();
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).expect("an XLSX workbook");
    let rows: Vec<Vec<Data>> = book.worksheet_range_at(0).unwrap().unwrap().rows().map(|r| r.to_vec()).collect();
    assert_eq!(rows[0][1], Data::String(number.to_string()));
    let header = rows.iter().position(|r| r[0] == Data::String("Rad".into())).expect("a header row");
    let lines = &rows[header + 1..rows.len() - 1];
    assert_eq!(lines.len(), 2);
    assert!(lines.iter().all(|l| l[1] == Data::String("Hyra".into())), "{lines:?}");
    let amount = |c: &Data| match c {
        Data::Float(f) => (f * 100.0).round() as i64,
        other => panic!("a number: {other:?}"),
    };
    let sum: i64 = lines.iter().map(|l| amount(&l[7])).sum();
    let total = rows.last().unwrap();
    assert_eq!(total[0], Data::String("Summa".into()));
    // The bed from 20 October: 174,19 kr; the bed the whole month: 450,00 kr.
    assert_eq!((sum, amount(&total[7])), (17_419 + 45_000, 17_419 + 45_000));
    assert_eq!(sum, invoice["total_ore"].as_i64().unwrap());
}

async fn a_run_job_for_a_month_not_ended_is_refused_naming_the_month_and_an_unknown_job_is_404(app: TestApp) {
    // Arrange
    let token = setup(&app).await;

    // Act
    let open = app.post_json(&token, "/api/v1/invoice-run-jobs", &json!({ "month": "2099-01" })).await;
    let unknown = app.get(&token, "/api/v1/invoice-run-jobs/424242").await;

    // Assert
    let p = problem(open).await;
    assert_eq!((p["status"].as_i64(), p["field"].as_str()), (Some(422), Some("month")), "{p}");
    assert_eq!(unknown.status(), 404);
}

ramp_testkit::on_both_engines!(
    a_preliminary_run_writes_nothing_and_totals_what_the_final_run_then_invoices,
    a_cancelled_run_leaves_no_invoice_half_written_and_the_month_can_be_run_again,
    two_final_runs_racing_for_a_month_invoice_it_once,
    the_database_lets_one_final_run_of_a_month_run_and_writes_a_batch_of_invoices_whole_or_not_at_all,
    an_interrupted_run_whose_lease_lapsed_does_not_block_the_month,
    an_invoice_specification_downloads_as_xlsx_and_reconciles_with_the_invoice_total,
    a_run_job_for_a_month_not_ended_is_refused_naming_the_month_and_an_unknown_job_is_404,
);
