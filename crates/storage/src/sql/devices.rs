//! Devices: the device card, state changes, stock, lending history.

use super::rows::*;
use crate::db;
use crate::sql::SqlStorage;
use crate::sql::{parse_stored, ARTICLE_COLUMNS};
use crate::*;
use chrono::NaiveDate;
use ramp_domain::ids::IsoCode;
use ramp_domain::Term;

pub(super) async fn device_card(this: &SqlStorage, device_number: &str) -> Result<Option<DeviceCard>> {
    let Some(r) = db::query(
        "SELECT id, device_number, article_id, serial, purchase_date, purchase_price_ore, state, \
         warehouse_id, patient_id, unit_id, state_since FROM devices WHERE device_number = $1",
    )
    .bind(device_number)
    .fetch_optional(&this.pool)
    .await?
    else {
        return Ok(None);
    };
    let device = device_from(&r)?;
    let sql =
        format!("SELECT {ARTICLE_COLUMNS} FROM articles a JOIN suppliers s ON s.id = a.supplier_id WHERE a.id = $1");
    let article = article_from(&db::query(&sql).bind(device.article_id).fetch_one(&this.pool).await?)?;
    let loan = db::query(
        "SELECT device_id, patient_id, unit_id, customer_number_id, payer, rule_id, agreement_version, start_date, end_date \
         FROM loans WHERE device_id = $1 AND end_date IS NULL",
    )
    .bind(device.id)
    .fetch_optional(&this.pool)
    .await?
    .map(|r| loan_from(&r))
    .transpose()?;
    let warehouse_name = match device.warehouse_id {
        Some(w) => Some(
            db::query("SELECT name FROM warehouses WHERE id = $1")
                .bind(w)
                .fetch_one(&this.pool)
                .await?
                .try_get("name")?,
        ),
        None => None,
    };
    let events = db::query(
        "SELECT id, device_id, occurred_at, kind, from_state, to_state, actor_user_id, patient_id, warehouse_id, note \
         FROM device_events WHERE device_id = $1 ORDER BY occurred_at, id",
    )
    .bind(device.id)
    .fetch_all(&this.pool)
    .await?
    .iter()
    .map(event_from)
    .collect::<Result<Vec<_>>>()?;
    let flags = db::query(format!(
        "SELECT d.special_adapted, d.ce_marking_void, {} AS blocked_reason FROM devices d WHERE d.id = $1",
        crate::sql::supply::BLOCKED_REASON
    ))
    .bind(device.id)
    .fetch_one(&this.pool)
    .await?;
    Ok(Some(DeviceCard {
        device,
        article,
        loan,
        warehouse_name,
        events,
        special_adapted: flags.try_get("special_adapted")?,
        ce_marking_void: flags.try_get("ce_marking_void")?,
        blocked_reason: flags.try_get("blocked_reason")?,
    }))
}

pub(super) async fn apply_device_change(this: &SqlStorage, c: &DeviceChange) -> Result<()> {
    let mut tx = this.dialect.begin().await?;
    let updated = db::query(
        "UPDATE devices SET state = $1, warehouse_id = $2, patient_id = $3, unit_id = $4, state_since = $5 \
         WHERE id = $6 AND state = $7",
    )
    .bind(c.to.as_str())
    .bind(c.warehouse_id)
    .bind(c.patient_id)
    .bind(c.unit_id)
    .bind(c.at)
    .bind(c.device_id)
    .bind(c.expected.as_str())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if updated == 0 {
        let exists =
            db::query("SELECT state FROM devices WHERE id = $1").bind(c.device_id).fetch_optional(&mut *tx).await?;
        return Err(match exists {
            None => StorageError::NotFound(format!("device {}", c.device_id)),
            Some(r) => StorageError::StateMismatch(format!(
                "device {} is {}, expected {}",
                c.device_id,
                r.try_get::<String, _>("state")?,
                c.expected
            )),
        });
    }
    db::query(
        "INSERT INTO device_events (device_id, occurred_at, kind, from_state, to_state, actor_user_id, patient_id, warehouse_id, note) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(c.device_id).bind(c.at).bind(c.event.as_str()).bind(c.expected.as_str()).bind(c.to.as_str())
    .bind(c.actor_user_id).bind(c.patient_id).bind(c.warehouse_id).bind(&c.note)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

pub(super) async fn stock(this: &SqlStorage, warehouse_id: Id) -> Result<Vec<StockLine>> {
    db::query(
        "SELECT a.id AS article_id, a.article_number, a.name, a.iso_code, \
         SUM(CASE WHEN d.state = 'in_stock' THEN 1 ELSE 0 END) AS in_stock, \
         SUM(CASE WHEN d.state = 'reserved' THEN 1 ELSE 0 END) AS reserved \
         FROM devices d JOIN articles a ON a.id = d.article_id \
         WHERE d.warehouse_id = $1 AND d.state IN ('in_stock', 'reserved') \
         GROUP BY a.id, a.article_number, a.name, a.iso_code ORDER BY a.iso_code, a.name",
    )
    .bind(warehouse_id)
    .fetch_all(&this.pool)
    .await?
    .iter()
    .map(|r| {
        Ok(StockLine {
            warehouse_id,
            article_id: r.try_get("article_id")?,
            article_number: r.try_get("article_number")?,
            article_name: r.try_get("name")?,
            iso_code: r.try_get("iso_code")?,
            in_stock: r.try_get("in_stock")?,
            reserved: r.try_get("reserved")?,
        })
    })
    .collect()
}

pub(super) async fn lending_history(this: &SqlStorage, from: NaiveDate, to: NaiveDate) -> Result<Vec<HistoryRow>> {
    db::query(
        "SELECT l.start_date, p.birth_date, a.iso_code, a.kind, a.purchase_price_ore, pr.name AS municipality, \
         (SELECT ps.setting FROM patient_settings ps WHERE ps.patient_id = p.id AND ps.valid_from <= l.start_date \
          AND (ps.valid_to IS NULL OR ps.valid_to >= l.start_date) ORDER BY ps.valid_from DESC LIMIT 1) AS setting \
         FROM loans l JOIN devices d ON d.id = l.device_id JOIN articles a ON a.id = d.article_id \
         JOIN patients p ON p.id = l.patient_id JOIN principals pr ON pr.id = p.municipality_id \
         WHERE l.start_date >= $1 AND l.start_date <= $2 ORDER BY l.start_date, l.id",
    )
    .bind(from)
    .bind(to)
    .fetch_all(&this.pool)
    .await?
    .iter()
    .map(|r| {
        let setting: Option<String> = r.try_get("setting")?;
        Ok(HistoryRow {
            start_date: r.try_get("start_date")?,
            birth_date: r.try_get("birth_date")?,
            setting: setting.map(|s| parse_stored("setting", &s)).transpose()?,
            iso_code: IsoCode::parse(&r.try_get::<String, _>("iso_code")?).map_err(StorageError::corrupt)?,
            kind: parse_stored("kind", &r.try_get::<String, _>("kind")?)?,
            municipality: r.try_get("municipality")?,
            purchase_price_ore: r.try_get("purchase_price_ore")?,
        })
    })
    .collect()
}
