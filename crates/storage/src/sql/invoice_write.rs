//! Writing a run's invoices many at a time (issue 19): one transaction per
//! batch of whole invoices, numbers taken from the year's counter in one
//! step, and invoices, lines and events in multi-row `INSERT`s of at most
//! [`Dialect::batch_binds`](crate::dialect::Dialect::batch_binds)
//! parameters. A batch commits or rolls back as a whole, so an invoice is
//! never half-written; a conflict (another run invoiced one of the batch's
//! customer numbers first) rolls the batch back and the caller retries its
//! invoices one by one. Also the run's state: the lease that keeps two
//! final runs of one month from running at once.

use super::billing::invoice_number;
use super::rows::chunk_size;
use crate::db::{self, QueryBuilder};
use crate::sql::SqlStorage;
use crate::write_tx::WriteTx;
use crate::*;
use chrono::{DateTime, Datelike, Utc};
use std::collections::BTreeMap;

const LINE_COLUMNS: usize = 17;
const LINE_INSERT: &str = "INSERT INTO invoice_lines (invoice_id, invoice_kind, revision, line_no, kind, source_key, \
    device_id, article_id, patient_id, description, quantity, unit_price_ore, amount_ore, period_from, period_to, \
    computation, credited_line_id) ";

/// Creates `invoices` in one transaction; returns each one's id and number, in order.
pub(super) async fn create_invoices(this: &SqlStorage, invoices: &[NewInvoice]) -> Result<Vec<(Id, String)>> {
    if invoices.is_empty() {
        return Ok(Vec::new());
    }
    let mut tx = this.dialect.begin().await?;
    let numbers = take_numbers(&mut tx, invoices).await?;
    let mut ids = Vec::with_capacity(invoices.len());
    for (chunk, nums) in invoices.chunks(chunk_size(this, 14)).zip(numbers.chunks(chunk_size(this, 14))) {
        ids.extend(insert_heads(&mut tx, chunk, nums).await?);
    }
    insert_lines(this, &mut tx, invoices, &ids).await?;
    insert_events(this, &mut tx, invoices, &ids).await?;
    tx.commit().await?;
    Ok(ids.into_iter().zip(numbers).collect())
}

/// The next numbers of each issue year's series, one per invoice, in order.
async fn take_numbers(tx: &mut WriteTx, invoices: &[NewInvoice]) -> Result<Vec<String>> {
    let mut per_year: BTreeMap<i32, i64> = BTreeMap::new();
    for i in invoices {
        *per_year.entry(i.issue_date.year()).or_default() += 1;
    }
    let mut next: BTreeMap<i32, i64> = BTreeMap::new();
    for (year, n) in per_year {
        let last: i64 = db::query(
            "INSERT INTO invoice_counters (year, last_number) VALUES ($1, $2) ON CONFLICT (year) \
             DO UPDATE SET last_number = invoice_counters.last_number + $2 RETURNING last_number",
        )
        .bind(year)
        .bind(n)
        .fetch_one(&mut **tx)
        .await?
        .try_get("last_number")?;
        next.insert(year, last - n + 1);
    }
    Ok(invoices
        .iter()
        .map(|i| {
            let year = i.issue_date.year();
            let n = next.get_mut(&year).expect("counted above");
            *n += 1;
            invoice_number(year, *n - 1)
        })
        .collect())
}

async fn insert_heads(tx: &mut WriteTx, invoices: &[NewInvoice], numbers: &[String]) -> Result<Vec<Id>> {
    let mut b = QueryBuilder::new(
        "INSERT INTO invoices (number, kind, month, revision, customer_number_id, principal_id, issue_date, \
         due_date, total_ore, credited_invoice_id, reason, created_by, created_at, run_id) ",
    );
    b.push_values(invoices.iter().zip(numbers), |mut b, (inv, number)| {
        let total: i64 = inv.lines.iter().map(|l| l.amount_ore).sum();
        b.push_bind(number.as_str())
            .push_bind(inv.kind.as_str())
            .push_bind(inv.month.as_str())
            .push_bind(inv.revision)
            .push_bind(inv.customer_number_id)
            .push_bind(inv.principal_id)
            .push_bind(inv.issue_date)
            .push_bind(inv.due_date)
            .push_bind(total)
            .push_bind(inv.credited_invoice_id)
            .push_bind(inv.reason.as_deref())
            .push_bind(inv.created_by)
            .push_bind(inv.created_at)
            .push_bind(inv.run_id);
    });
    b.push(" RETURNING id, number");
    let rows = b.build().fetch_all(&mut **tx).await?;
    let mut by_number = std::collections::HashMap::with_capacity(rows.len());
    for r in &rows {
        by_number.insert(r.try_get::<String, _>("number")?, r.try_get::<Id, _>("id")?);
    }
    numbers
        .iter()
        .map(|n| by_number.get(n).copied().ok_or_else(|| StorageError::corrupt("an inserted invoice without its id")))
        .collect()
}

/// The lines' column types, for [`Dialect::select_json_rows`](crate::dialect::Dialect::select_json_rows).
const LINE_TYPES: [&str; LINE_COLUMNS] = [
    "bigint", "text", "integer", "integer", "text", "text", "bigint", "bigint", "bigint", "text", "bigint", "bigint",
    "bigint", "date", "date", "text", "bigint",
];
/// Lines per statement: a few megabytes of JSON.
const LINES_PER_STATEMENT: usize = 10_000;

/// Every line of the batch, as JSON arrays bound one parameter per
/// statement: SQLite's binding of many parameters costs O(n²) (a third of
/// a region-scale run went to `sqlite3_bind_parameter_name` with 1,000 per
/// statement), and PostgreSQL parses one JSON text faster than 17 × n binds.
async fn insert_lines(this: &SqlStorage, tx: &mut WriteTx, invoices: &[NewInvoice], ids: &[Id]) -> Result<()> {
    let all: Vec<(Id, &NewInvoice, i32, &NewInvoiceLine)> = invoices
        .iter()
        .zip(ids)
        .flat_map(|(inv, &id)| (1..).zip(&inv.lines).map(move |(no, l)| (id, inv, no, l)))
        .collect();
    let sql = format!("{LINE_INSERT}{}", this.dialect.select_json_rows(&LINE_TYPES));
    for chunk in all.chunks(LINES_PER_STATEMENT) {
        let mut json = String::with_capacity(chunk.len() * 400);
        json.push('[');
        for (i, &(id, inv, no, l)) in chunk.iter().enumerate() {
            if i > 0 {
                json.push(',');
            }
            line_json(&mut json, id, inv, no, l);
        }
        json.push(']');
        db::query(&sql).bind(json).execute(&mut **tx).await?;
    }
    Ok(())
}

fn line_json(out: &mut String, id: Id, inv: &NewInvoice, no: i32, l: &NewInvoiceLine) {
    use std::fmt::Write;
    let text = |out: &mut String, s: &str| out.push_str(&serde_json::to_string(s).expect("a string serializes"));
    let opt = |out: &mut String, v: Option<Id>| match v {
        Some(v) => write!(out, "{v}").expect("writing to a String"),
        None => out.push_str("null"),
    };
    let date = |out: &mut String, d: Option<chrono::NaiveDate>| match d {
        Some(d) => write!(out, "\"{d}\"").expect("writing to a String"),
        None => out.push_str("null"),
    };
    write!(out, "[{id},").expect("writing to a String");
    text(out, &inv.kind);
    write!(out, ",{},{no},", inv.revision).expect("writing to a String");
    text(out, &l.kind);
    out.push(',');
    text(out, &l.source_key);
    out.push(',');
    opt(out, l.device_id);
    out.push(',');
    opt(out, l.article_id);
    out.push(',');
    opt(out, l.patient_id);
    out.push(',');
    text(out, &l.description);
    write!(out, ",{},{},{},", l.quantity, l.unit_price_ore, l.amount_ore).expect("writing to a String");
    date(out, l.period_from);
    out.push(',');
    date(out, l.period_to);
    out.push(',');
    text(out, &l.computation);
    out.push(',');
    opt(out, l.credited_line_id);
    out.push(']');
}

async fn insert_events(this: &SqlStorage, tx: &mut WriteTx, invoices: &[NewInvoice], ids: &[Id]) -> Result<()> {
    let mut events: Vec<(Id, &'static str, &NewInvoice)> = Vec::new();
    for (inv, &id) in invoices.iter().zip(ids) {
        events.push((id, "created", inv));
        if let Some(credited) = inv.credited_invoice_id {
            events.push((credited, "credited", inv));
        }
    }
    for chunk in events.chunks(chunk_size(this, 5)) {
        QueryBuilder::new("INSERT INTO invoice_events (invoice_id, occurred_at, kind, actor_user_id, note) ")
            .push_values(chunk, |mut b, &(id, kind, inv)| {
                b.push_bind(id)
                    .push_bind(inv.created_at)
                    .push_bind(kind)
                    .push_bind(inv.created_by)
                    .push_bind(inv.reason.as_deref());
            })
            .build()
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Records a final run of `month` as running, after marking as interrupted
/// a running run of the month whose heartbeat is older than `stale_before`.
/// `Conflict` (`invoice_runs_one_running_per_month`) while another runs.
pub(super) async fn start_run(
    this: &SqlStorage,
    month: &str,
    user: Id,
    at: DateTime<Utc>,
    stale_before: DateTime<Utc>,
) -> Result<Id> {
    let mut tx = this.dialect.begin().await?;
    db::query(
        "UPDATE invoice_runs SET state = 'interrupted', finished_at = $3 \
         WHERE month = $1 AND state = 'running' AND heartbeat_at < $2",
    )
    .bind(month)
    .bind(stale_before)
    .bind(at)
    .execute(&mut *tx)
    .await?;
    let id: Id = db::query(
        "INSERT INTO invoice_runs (month, started_by, started_at, state, heartbeat_at) \
         VALUES ($1, $2, $3, 'running', $3) RETURNING id",
    )
    .bind(month)
    .bind(user)
    .bind(at)
    .fetch_one(&mut *tx)
    .await?
    .try_get("id")?;
    tx.commit().await?;
    Ok(id)
}

/// Sets a running run's heartbeat, or its final state (`finished`,
/// `cancelled`, `failed`) with the instant it ended.
pub(super) async fn mark_run(this: &SqlStorage, run_id: Id, state: &str, at: DateTime<Utc>) -> Result<()> {
    let _turn = this.dialect.write_turn().await;
    let sql = if state == "running" {
        "UPDATE invoice_runs SET heartbeat_at = $3 WHERE id = $1 AND state = $2"
    } else {
        "UPDATE invoice_runs SET state = $2, finished_at = $3 WHERE id = $1 AND state = 'running'"
    };
    db::query(sql).bind(run_id).bind(state).bind(at).execute(&this.pool).await?;
    Ok(())
}
