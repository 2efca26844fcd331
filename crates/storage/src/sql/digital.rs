//! [`crate::DigitalStore`] for [`SqlStorage`], both engines (migrations
//! 0027–0029). A measurement is stored once per (device, client id) by the
//! unique key `measurements_device_client_key` and `ON CONFLICT DO
//! NOTHING`; its alarm is written in the same transaction, and only when
//! the measurement row is new, so a retried report never alarms twice.
//! Alarm state changes are conditional updates (`WHERE state = 'open'`).

use crate::db;
use crate::sql::digital_ingest::{in_chunk, insert_batch};
use crate::sql::digital_models;
use crate::sql::{stored, SqlStorage};
use crate::*;
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use ramp_domain::measurement::MeasurementKind;
use ramp_domain::Term;

/// The unit responsible for device `d` lent to `d.patient_id`: the
/// ordering unit of its last delivery to that patient, else the unit of
/// the patient's earliest care relationship current on `$1`.
const RESPONSIBLE_UNIT: &str = "COALESCE(\
     (SELECT o.unit_id FROM order_lines ol JOIN orders o ON o.id = ol.order_id \
      WHERE ol.device_id = d.id AND o.patient_id = d.patient_id ORDER BY ol.id DESC LIMIT 1), \
     (SELECT c.unit_id FROM care_relationships c WHERE c.patient_id = d.patient_id \
      AND c.valid_from <= $1 AND (c.valid_to IS NULL OR c.valid_to >= $1) ORDER BY c.id LIMIT 1))";

/// Digital devices with their responsible unit; `$1` is today. The caller
/// appends its conditions to the outer query (alias `x`).
fn digital_devices_sql() -> String {
    format!(
        "SELECT x.*, u.name AS unit_name FROM (\
           SELECT d.id AS device_id, d.device_number, a.article_number, a.name AS model, d.patient_id, \
           CASE WHEN d.patient_id IS NULL THEN NULL ELSE {RESPONSIBLE_UNIT} END AS unit_id, \
           EXISTS (SELECT 1 FROM device_credentials k WHERE k.device_id = d.id AND k.revoked_at IS NULL) \
             AS has_credential \
           FROM devices d JOIN articles a ON a.id = d.article_id \
           JOIN product_areas pa ON pa.code = a.product_area \
           WHERE pa.agreement_area = 'digital') x \
         LEFT JOIN units u ON u.id = x.unit_id WHERE 1 = 1"
    )
}

/// `$from, $from+1, …`: `n` placeholders for an `IN (…)` list.
pub(super) fn placeholders(from: usize, n: usize) -> String {
    (from..from + n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

fn digital_device_from(r: &db::Row) -> Result<DigitalDevice> {
    Ok(DigitalDevice {
        device_id: r.try_get("device_id")?,
        device_number: r.try_get("device_number")?,
        article_number: r.try_get("article_number")?,
        model: r.try_get("model")?,
        patient_id: r.try_get("patient_id")?,
        unit_id: r.try_get("unit_id")?,
        unit_name: r.try_get("unit_name")?,
        has_credential: r.try_get("has_credential")?,
    })
}

const ALARM_COLUMNS: &str = "al.id, al.patient_id, d.device_number, a.name AS model, al.unit_id, u.name AS unit_name, \
    al.reason, al.detail, al.state, al.raised_at, m.measured_at, al.escalated_at, al.escalated_to_unit_id, \
    al.acknowledged_at, ack.display_name AS acknowledged_by_name, al.acknowledgement_note, al.closed_at";

const ALARM_FROM: &str = "FROM alarms al JOIN devices d ON d.id = al.device_id JOIN articles a ON a.id = d.article_id \
    JOIN units u ON u.id = al.unit_id LEFT JOIN measurements m ON m.id = al.measurement_id \
    LEFT JOIN users ack ON ack.id = al.acknowledged_by";

fn alarm_from(r: &db::Row) -> Result<AlarmRow> {
    Ok(AlarmRow {
        id: r.try_get("id")?,
        patient_id: r.try_get("patient_id")?,
        device_number: r.try_get("device_number")?,
        model: r.try_get("model")?,
        unit_id: r.try_get("unit_id")?,
        unit_name: r.try_get("unit_name")?,
        reason: stored(r, "reason")?,
        detail: r.try_get("detail")?,
        state: stored(r, "state")?,
        raised_at: r.try_get("raised_at")?,
        measured_at: r.try_get("measured_at")?,
        escalated_at: r.try_get("escalated_at")?,
        escalated_to_unit_id: r.try_get("escalated_to_unit_id")?,
        acknowledged_at: r.try_get("acknowledged_at")?,
        acknowledged_by_name: r.try_get("acknowledged_by_name")?,
        acknowledgement_note: r.try_get("acknowledgement_note")?,
        closed_at: r.try_get("closed_at")?,
    })
}

fn measurement_from(r: &db::Row) -> Result<MeasurementRow> {
    Ok(MeasurementRow {
        id: r.try_get("id")?,
        device_number: r.try_get("device_number")?,
        client_id: r.try_get("client_id")?,
        kind: stored::<MeasurementKind>(r, "kind")?,
        measured_at: r.try_get("measured_at")?,
        received_at: r.try_get("received_at")?,
        channel: r.try_get("channel")?,
        values_json: r.try_get("values_json")?,
    })
}

fn threshold_from(r: &db::Row) -> Result<ThresholdRow> {
    Ok(ThresholdRow {
        kind: stored(r, "kind")?,
        value_name: r.try_get("value_name")?,
        low: r.try_get("low")?,
        high: r.try_get("high")?,
        set_by: r.try_get("set_by")?,
        set_at: r.try_get("set_at")?,
    })
}

/// Silent-device alarms for lent digital devices whose latest report to
/// their current patient is older than their model's cutoff (`models`,
/// migration 0034) or else their kind's (`rules`); `$1` is today (the
/// responsible unit, computed only for the silent ones), `$2` the time
/// raised, then per kind rule `i` its cutoff `$(3+2i)` and detail
/// `$(4+2i)`, then per model rule `j` its article `$(k+3j)`, cutoff
/// `$(k+1+3j)` and detail `$(k+2+3j)` with `k = 3 + 2 * rules.len()`. The
/// latest report is one index lookup per device
/// (`measurements_device_received_idx`). A device that never reported to
/// this patient is not silent, only not started.
fn silent_alarms_sql(rules: &[SilentRule], models: &[ModelSilentRule]) -> String {
    let mut cutoff = String::from("CASE");
    let mut detail = String::from("CASE");
    let k = 3 + 2 * rules.len();
    for j in 0..models.len() {
        let (a, c, t) = (k + 3 * j, k + 1 + 3 * j, k + 2 + 3 * j);
        cutoff += &format!(" WHEN d.article_id = ${a} THEN ${c}");
        detail += &format!(" WHEN d.article_id = ${a} THEN ${t}");
    }
    for (i, r) in rules.iter().enumerate() {
        // The kind is one of the enum's own words, never input.
        cutoff += &format!(" WHEN m.kind = '{}' THEN ${}", r.kind.as_str(), 3 + 2 * i);
        detail += &format!(" WHEN m.kind = '{}' THEN ${}", r.kind.as_str(), 4 + 2 * i);
    }
    cutoff += " END";
    detail += " END";
    format!(
        "INSERT INTO alarms (patient_id, device_id, unit_id, reason, detail, state, raised_at) \
         SELECT z.patient_id, z.device_id, z.unit_id, 'silent', z.detail, 'open', $2 FROM (\
           SELECT d.id AS device_id, d.patient_id, {RESPONSIBLE_UNIT} AS unit_id, {detail} AS detail \
           FROM devices d \
           JOIN measurements m ON m.id = (SELECT l.id FROM measurements l WHERE l.device_id = d.id \
             AND l.patient_id = d.patient_id ORDER BY l.received_at DESC, l.id DESC LIMIT 1) \
           JOIN articles a ON a.id = d.article_id \
           JOIN product_areas pa ON pa.code = a.product_area \
           WHERE pa.agreement_area = 'digital' AND d.patient_id IS NOT NULL \
           AND m.received_at < {cutoff} \
           AND NOT EXISTS (SELECT 1 FROM alarms s WHERE s.device_id = d.id \
             AND s.reason = 'silent' AND s.state <> 'closed')) z \
         WHERE z.unit_id IS NOT NULL AND z.detail IS NOT NULL \
         ON CONFLICT DO NOTHING"
    )
}

#[async_trait]
impl DigitalStore for SqlStorage {
    async fn lent_digital_devices(&self, today: NaiveDate, unit: Option<Id>) -> Result<Vec<DigitalDevice>> {
        let mut sql = digital_devices_sql() + " AND x.patient_id IS NOT NULL";
        if unit.is_some() {
            sql += " AND x.unit_id = $2";
        }
        sql += " ORDER BY x.device_number";
        let mut q = db::query(&sql).bind(today);
        if let Some(unit) = unit {
            q = q.bind(unit);
        }
        q.fetch_all(&self.pool).await?.iter().map(digital_device_from).collect()
    }

    async fn patient_digital_devices(&self, patient_id: Id, today: NaiveDate) -> Result<Vec<DigitalDevice>> {
        let sql = digital_devices_sql() + " AND x.patient_id = $2 ORDER BY x.device_number";
        db::query(&sql)
            .bind(today)
            .bind(patient_id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(digital_device_from)
            .collect()
    }

    async fn digital_device(&self, device_number: &str, today: NaiveDate) -> Result<Option<DigitalDevice>> {
        let sql = digital_devices_sql() + " AND x.device_number = $2";
        db::query(&sql)
            .bind(today)
            .bind(device_number)
            .fetch_optional(&self.pool)
            .await?
            .map(|r| digital_device_from(&r))
            .transpose()
    }

    async fn digital_devices_by_number(&self, numbers: &[&str], today: NaiveDate) -> Result<Vec<DigitalDevice>> {
        let mut out = Vec::with_capacity(numbers.len());
        for chunk in numbers.chunks(in_chunk(self)) {
            let sql = format!("{} AND x.device_number IN ({})", digital_devices_sql(), placeholders(2, chunk.len()));
            let mut q = db::query(&sql).bind(today);
            for n in chunk {
                q = q.bind(*n);
            }
            for r in q.fetch_all(&self.pool).await? {
                out.push(digital_device_from(&r)?);
            }
        }
        Ok(out)
    }

    async fn device_by_secret(&self, secret_hash: &str, today: NaiveDate) -> Result<Option<DigitalDevice>> {
        let sql = digital_devices_sql()
            + " AND x.device_id = (SELECT k.device_id FROM device_credentials k \
                WHERE k.secret_hash = $2 AND k.revoked_at IS NULL)";
        db::query(&sql)
            .bind(today)
            .bind(secret_hash)
            .fetch_optional(&self.pool)
            .await?
            .map(|r| digital_device_from(&r))
            .transpose()
    }

    async fn issue_device_credential(
        &self,
        device_id: Id,
        secret_hash: &str,
        at: DateTime<Utc>,
        by: Option<Id>,
    ) -> Result<()> {
        let mut tx = self.dialect.begin().await?;
        db::query("UPDATE device_credentials SET revoked_at = $1 WHERE device_id = $2 AND revoked_at IS NULL")
            .bind(at)
            .bind(device_id)
            .execute(&mut *tx)
            .await?;
        db::query(
            "INSERT INTO device_credentials (device_id, secret_hash, created_at, created_by) VALUES ($1, $2, $3, $4)",
        )
        .bind(device_id)
        .bind(secret_hash)
        .bind(at)
        .bind(by)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn revoke_device_credential(&self, device_id: Id, at: DateTime<Utc>) -> Result<bool> {
        let _turn = self.dialect.write_turn().await;
        let done =
            db::query("UPDATE device_credentials SET revoked_at = $1 WHERE device_id = $2 AND revoked_at IS NULL")
                .bind(at)
                .bind(device_id)
                .execute(&self.pool)
                .await?;
        Ok(done.rows_affected() > 0)
    }

    async fn live_device_credentials(&self) -> Result<Vec<(String, String)>> {
        db::query(
            "SELECT d.device_number, k.secret_hash FROM device_credentials k JOIN devices d ON d.id = k.device_id \
             WHERE k.revoked_at IS NULL ORDER BY d.device_number",
        )
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| Ok((r.try_get("device_number")?, r.try_get("secret_hash")?)))
        .collect()
    }

    async fn record_measurement(&self, m: &NewMeasurement, alarm: Option<&NewAlarm>) -> Result<Recorded> {
        let mut done = self.record_measurements(&[(m, alarm)]).await?;
        Ok(done.pop().expect("one record per measurement"))
    }

    async fn record_measurements(&self, batch: &[(&NewMeasurement, Option<&NewAlarm>)]) -> Result<Vec<Recorded>> {
        let mut tx = self.dialect.begin().await?;
        let done = insert_batch(self, &mut tx, batch).await?;
        tx.commit().await?;
        Ok(done)
    }

    async fn patient_measurements(&self, patient_id: Id, limit: i64) -> Result<Vec<MeasurementRow>> {
        db::query(
            "SELECT m.id, d.device_number, m.client_id, m.kind, m.measured_at, m.received_at, m.channel, m.values_json \
             FROM measurements m JOIN devices d ON d.id = m.device_id WHERE m.patient_id = $1 \
             ORDER BY m.measured_at DESC, m.id DESC LIMIT $2",
        )
        .bind(patient_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(measurement_from)
        .collect()
    }

    async fn measurement_count(&self, device_id: Id, client_id: &str) -> Result<i64> {
        let r = db::query("SELECT COUNT(*) AS n FROM measurements WHERE device_id = $1 AND client_id = $2")
            .bind(device_id)
            .bind(client_id)
            .fetch_one(&self.pool)
            .await?;
        Ok(r.try_get("n")?)
    }

    async fn thresholds(&self, patient_id: Id) -> Result<Vec<ThresholdRow>> {
        db::query(
            "SELECT kind, value_name, low, high, set_by, set_at FROM measurement_thresholds \
             WHERE patient_id = $1 ORDER BY kind, value_name",
        )
        .bind(patient_id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(threshold_from)
        .collect()
    }

    async fn thresholds_of(&self, patient_ids: &[Id]) -> Result<Vec<(Id, ThresholdRow)>> {
        let mut out = Vec::new();
        for chunk in patient_ids.chunks(in_chunk(self)) {
            let sql = format!(
                "SELECT patient_id, kind, value_name, low, high, set_by, set_at FROM measurement_thresholds \
                 WHERE patient_id IN ({}) ORDER BY patient_id, kind, value_name",
                placeholders(1, chunk.len())
            );
            let mut q = db::query(&sql);
            for id in chunk {
                q = q.bind(*id);
            }
            for r in q.fetch_all(&self.pool).await? {
                out.push((r.try_get("patient_id")?, threshold_from(&r)?));
            }
        }
        Ok(out)
    }

    async fn set_threshold(
        &self,
        patient_id: Id,
        kind: MeasurementKind,
        value_name: &str,
        low: Option<f64>,
        high: Option<f64>,
        by: Id,
        at: DateTime<Utc>,
    ) -> Result<()> {
        let _turn = self.dialect.write_turn().await;
        if low.is_none() && high.is_none() {
            db::query("DELETE FROM measurement_thresholds WHERE patient_id = $1 AND kind = $2 AND value_name = $3")
                .bind(patient_id)
                .bind(kind.as_str())
                .bind(value_name)
                .execute(&self.pool)
                .await?;
            return Ok(());
        }
        db::query(
            "INSERT INTO measurement_thresholds (patient_id, kind, value_name, low, high, set_by, set_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (patient_id, kind, value_name) DO UPDATE SET \
             low = excluded.low, high = excluded.high, set_by = excluded.set_by, set_at = excluded.set_at",
        )
        .bind(patient_id)
        .bind(kind.as_str())
        .bind(value_name)
        .bind(low)
        .bind(high)
        .bind(by)
        .bind(at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn alarms(&self, unit: Option<Id>, include_closed: bool) -> Result<Vec<AlarmRow>> {
        let mut sql = format!("SELECT {ALARM_COLUMNS} {ALARM_FROM} WHERE 1 = 1");
        if !include_closed {
            sql += " AND al.state <> 'closed'";
        }
        if unit.is_some() {
            sql += " AND (al.unit_id = $1 OR al.escalated_to_unit_id = $1)";
        }
        sql += " ORDER BY al.id DESC LIMIT 500";
        let mut q = db::query(&sql);
        if let Some(unit) = unit {
            q = q.bind(unit);
        }
        q.fetch_all(&self.pool).await?.iter().map(alarm_from).collect()
    }

    async fn alarm(&self, id: Id) -> Result<Option<AlarmRow>> {
        let sql = format!("SELECT {ALARM_COLUMNS} {ALARM_FROM} WHERE al.id = $1");
        db::query(&sql).bind(id).fetch_optional(&self.pool).await?.map(|r| alarm_from(&r)).transpose()
    }

    async fn open_alarm_count(&self, unit: Option<Id>) -> Result<i64> {
        let mut sql = "SELECT COUNT(*) AS n FROM alarms WHERE state = 'open'".to_string();
        if unit.is_some() {
            sql += " AND (unit_id = $1 OR escalated_to_unit_id = $1)";
        }
        let mut q = db::query(sql);
        if let Some(unit) = unit {
            q = q.bind(unit);
        }
        Ok(q.fetch_one(&self.pool).await?.try_get("n")?)
    }

    async fn patient_alarms(&self, patient_id: Id) -> Result<Vec<AlarmRow>> {
        let sql = format!("SELECT {ALARM_COLUMNS} {ALARM_FROM} WHERE al.patient_id = $1 ORDER BY al.id DESC LIMIT 200");
        db::query(&sql).bind(patient_id).fetch_all(&self.pool).await?.iter().map(alarm_from).collect()
    }

    async fn escalate_alarms(
        &self,
        raised_before: DateTime<Utc>,
        to_unit: Option<Id>,
        at: DateTime<Utc>,
    ) -> Result<u64> {
        let _turn = self.dialect.write_turn().await;
        let done = db::query(
            "UPDATE alarms SET escalated_at = $1, escalated_to_unit_id = $2 \
             WHERE state = 'open' AND escalated_at IS NULL AND raised_at <= $3",
        )
        .bind(at)
        .bind(to_unit)
        .bind(raised_before)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected())
    }

    async fn raise_silent_alarms(
        &self,
        rules: &[SilentRule],
        models: &[ModelSilentRule],
        today: NaiveDate,
        at: DateTime<Utc>,
    ) -> Result<u64> {
        if rules.is_empty() && models.is_empty() {
            return Ok(0);
        }
        let sql = silent_alarms_sql(rules, models);
        let mut q = db::query(sql).bind(today).bind(at);
        for r in rules {
            q = q.bind(r.reported_before).bind(r.detail.clone());
        }
        for r in models {
            q = q.bind(r.article_id).bind(r.reported_before).bind(r.detail.clone());
        }
        let _turn = self.dialect.write_turn().await;
        Ok(q.execute(&self.pool).await?.rows_affected())
    }

    async fn acknowledge_alarm(&self, id: Id, by: Id, note: &str, at: DateTime<Utc>) -> Result<bool> {
        let _turn = self.dialect.write_turn().await;
        let done = db::query(
            "UPDATE alarms SET state = 'acknowledged', acknowledged_at = $1, acknowledged_by = $2, \
             acknowledgement_note = $3 WHERE id = $4 AND state = 'open'",
        )
        .bind(at)
        .bind(by)
        .bind(note)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    async fn close_alarm(&self, id: Id, by: Id, at: DateTime<Utc>) -> Result<bool> {
        let _turn = self.dialect.write_turn().await;
        let done = db::query(
            "UPDATE alarms SET state = 'closed', closed_at = $1, closed_by = $2, \
             acknowledged_at = COALESCE(acknowledged_at, $1), acknowledged_by = COALESCE(acknowledged_by, $2) \
             WHERE id = $3 AND state <> 'closed'",
        )
        .bind(at)
        .bind(by)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    async fn digital_models(&self) -> Result<Vec<DigitalModel>> {
        digital_models::digital_models(self).await
    }

    async fn set_model_interval(&self, article_id: Id, hours: Option<i64>, by: Id, at: DateTime<Utc>) -> Result<()> {
        digital_models::set_model_interval(self, article_id, hours, by, at).await
    }

    async fn unclosed_alarm_count(&self) -> Result<i64> {
        let r = db::query("SELECT COUNT(*) AS n FROM alarms WHERE state <> 'closed'").fetch_one(&self.pool).await?;
        Ok(r.try_get("n")?)
    }
}
