//! Measurements in by the batch (issue 21): MQTT ingest stores what has
//! arrived in one transaction. A profile of the first version (one
//! statement per read and per row, `docs/BENCHMARKS.md`) spent the batch's
//! time in three round trips per report; here a batch of n reports costs
//! one statement for its devices, one for its patients' thresholds, and
//! one multi-row `INSERT … RETURNING` per chunk of measurements (plus one
//! per alarm, which are rare).
//!
//! Duplicates: `ON CONFLICT (device_id, client_id) DO NOTHING` keeps the
//! first row of a (device, id) — stored before, or earlier in the same
//! statement — and `RETURNING` names only the rows inserted, so a report
//! is new exactly when its (device, id) comes back and no earlier report
//! of the batch claimed it. The rows are matched by that key, not by the
//! order of `RETURNING`, which neither engine promises.

use crate::db::{self, QueryBuilder};
use crate::sql::SqlStorage;
use crate::write_tx::WriteTx;
use crate::*;
use ramp_domain::Term;
use std::collections::HashMap;

/// Columns bound per measurement row.
const MEASUREMENT_COLUMNS: usize = 8;

/// Parameters bound per statement: a quarter of the engine's batch size.
/// SQLite's binding is quadratic in the parameters of a statement (see
/// `Dialect::batch_binds`); at its 1,000 a profile of MQTT ingest still
/// spent 7 % of the samples in `sqlite3_bind_parameter_name`, so ingest
/// binds about 250 (31 measurement rows) there. PostgreSQL still takes
/// 1,000 rows a statement.
fn binds(this: &SqlStorage) -> usize {
    this.dialect.batch_binds() / 4
}

/// Values bound per `IN (…)` list.
pub(super) fn in_chunk(this: &SqlStorage) -> usize {
    binds(this).clamp(1, 1000)
}

/// Measurement rows per `INSERT`.
fn rows_per_insert(this: &SqlStorage) -> usize {
    (binds(this) / MEASUREMENT_COLUMNS).clamp(1, 1000)
}

/// Inserts one chunk of measurements; the ids of the rows it inserted by
/// (device id, client id).
async fn insert_chunk(
    tx: &mut WriteTx,
    chunk: &[(&NewMeasurement, Option<&NewAlarm>)],
) -> Result<HashMap<(Id, String), Id>> {
    let mut b = QueryBuilder::new(
        "INSERT INTO measurements (device_id, patient_id, client_id, kind, measured_at, received_at, channel, \
         values_json) ",
    );
    b.push_values(chunk, |mut row, (m, _)| {
        row.push_bind(m.device_id)
            .push_bind(m.patient_id)
            .push_bind(&m.client_id)
            .push_bind(m.kind.as_str())
            .push_bind(m.measured_at)
            .push_bind(m.received_at)
            .push_bind(m.channel.as_str())
            .push_bind(&m.values_json);
    });
    b.push(" ON CONFLICT (device_id, client_id) DO NOTHING RETURNING id, device_id, client_id");
    let mut ids = HashMap::with_capacity(chunk.len());
    for r in b.build().fetch_all(&mut **tx).await? {
        ids.insert((r.try_get("device_id")?, r.try_get("client_id")?), r.try_get("id")?);
    }
    Ok(ids)
}

async fn insert_alarm(tx: &mut WriteTx, m: &NewMeasurement, measurement_id: Id, a: &NewAlarm) -> Result<Id> {
    let row = db::query(
        "INSERT INTO alarms (patient_id, device_id, measurement_id, unit_id, reason, detail, state, raised_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 'open', $7) RETURNING id",
    )
    .bind(m.patient_id)
    .bind(m.device_id)
    .bind(measurement_id)
    .bind(a.unit_id)
    .bind(a.reason.as_str())
    .bind(&a.detail)
    .bind(m.received_at)
    .fetch_one(&mut **tx)
    .await?;
    row.try_get("id")
}

/// The batch in the caller's transaction: what each report did, in order.
pub(super) async fn insert_batch(
    this: &SqlStorage,
    tx: &mut WriteTx,
    batch: &[(&NewMeasurement, Option<&NewAlarm>)],
) -> Result<Vec<Recorded>> {
    let mut done = Vec::with_capacity(batch.len());
    for chunk in batch.chunks(rows_per_insert(this)) {
        let mut ids = insert_chunk(tx, chunk).await?;
        for (m, alarm) in chunk {
            // `remove`: a second report of the same id in the batch is a duplicate.
            let measurement_id = ids.remove(&(m.device_id, m.client_id.clone()));
            let alarm_id = match (measurement_id, alarm) {
                (Some(id), Some(a)) => Some(insert_alarm(tx, m, id, a).await?),
                _ => None,
            };
            done.push(Recorded { measurement_id, alarm_id });
        }
    }
    Ok(done)
}
