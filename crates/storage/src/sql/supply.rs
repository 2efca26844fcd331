//! [`crate::SupplyStore`] for [`SqlStorage`], both engines.

/// Why device `d` may not go out, or NULL: an open recall work order
/// (safety notice) or an adaptation document nobody has signed. Computed,
/// never stored, so it cannot drift from the work orders and documents.
pub const BLOCKED_REASON: &str = "CASE WHEN EXISTS (SELECT 1 FROM work_orders bw WHERE bw.device_id = d.id \
    AND bw.kind = 'recall' AND bw.status IN ('open', 'in_progress')) THEN 'safety_notice' \
    WHEN EXISTS (SELECT 1 FROM adaptation_documents bd WHERE bd.device_id = d.id AND bd.signed_at IS NULL) \
    THEN 'adaptation_unsigned' END";

/// A pick list's lines: open lines of registered or picked orders whose
/// device is in warehouse `$1`, and counted consumables (no device) on the
/// first central warehouse's list, promised by `$2`. The address is the
/// order's own, else the unit's; none for a collection at the centre.
fn pick_list_sql() -> String {
    let sql = "SELECT l.order_id, l.line_no, o.status AS order_status, o.target, o.patient_id, \
    l.promised_date, u.name AS unit_name, u.delivery_route AS route, o.delivery_method, \
    CASE WHEN o.delivery_method = 'pickup_at_centre' THEN NULL \
    WHEN o.delivery_address IS NOT NULL THEN o.delivery_address \
    WHEN o.target = 'patient' THEN NULL \
    ELSE ua.street || ', ' || ua.postal_code || ' ' || ua.city END AS address, \
    a.article_number, a.name AS article_name, a.gtin, d.device_number, l.quantity, \
    l.picked_at IS NOT NULL AS picked, \
    CASE WHEN d.id IS NULL THEN NULL ELSE (BLOCKED) END AS blocked_reason \
    FROM order_lines l JOIN orders o ON o.id = l.order_id JOIN units u ON u.id = o.unit_id \
    LEFT JOIN unit_addresses ua ON ua.unit_id = u.id \
    LEFT JOIN devices d ON d.id = l.device_id JOIN articles a ON a.id = l.article_id \
    WHERE l.state = 'open' AND o.status IN ('registered', 'picked') AND l.promised_date <= $2 \
    AND (d.warehouse_id = $1 OR (l.device_id IS NULL \
    AND $1 = (SELECT MIN(cw.id) FROM warehouses cw WHERE cw.kind = 'central')))";
    sql.replace("(BLOCKED)", &format!("({BLOCKED_REASON})"))
}

/// Routes in name order (lines without a route last), then day, order, line.
const PICK_ORDER: &str = "u.delivery_route IS NULL, u.delivery_route, l.promised_date, l.order_id, l.line_no";

fn pick_line(r: &Row) -> Result<PickLine> {
    Ok(PickLine {
        order_id: r.try_get("order_id")?,
        line_no: r.try_get("line_no")?,
        order_status: crate::sql::stored(r, "order_status")?,
        target: crate::sql::stored(r, "target")?,
        patient_id: r.try_get("patient_id")?,
        promised_date: r.try_get("promised_date")?,
        unit_name: r.try_get("unit_name")?,
        route: r.try_get("route")?,
        delivery_method: crate::sql::stored(r, "delivery_method")?,
        address: r.try_get("address")?,
        article_number: r.try_get("article_number")?,
        article_name: r.try_get("article_name")?,
        gtin: r.try_get("gtin")?,
        device_number: r.try_get("device_number")?,
        quantity: r.try_get("quantity")?,
        picked: r.try_get("picked")?,
        blocked_reason: r.try_get("blocked_reason")?,
    })
}

/// Device `d` is not blocked (the negation of [`BLOCKED_REASON`]).
pub const NOT_BLOCKED: &str = "NOT EXISTS (SELECT 1 FROM work_orders bw WHERE bw.device_id = d.id \
    AND bw.kind = 'recall' AND bw.status IN ('open', 'in_progress')) \
    AND NOT EXISTS (SELECT 1 FROM adaptation_documents bd WHERE bd.device_id = d.id AND bd.signed_at IS NULL)";

/// Columns of a work order row (`w`) with its device (`d`), article (`a`) and assignee (`u`).
pub const WORK_ORDER_SQL: &str = "SELECT w.id, w.kind, w.status, w.description, w.device_id, d.device_number, \
    a.name AS article_name, d.state AS device_state, w.assigned_to, u.display_name AS assigned_name, w.safety_notice_id, \
    w.created_at, w.started_at, w.finished_at, w.outcome, \
    COALESCE((SELECT SUM(e.minutes) FROM work_order_entries e WHERE e.work_order_id = w.id), 0) AS minutes \
    FROM work_orders w LEFT JOIN devices d ON d.id = w.device_id LEFT JOIN articles a ON a.id = d.article_id \
    LEFT JOIN users u ON u.id = w.assigned_to";

use crate::db;
use crate::db::Row;
use crate::sql::{stored, stored_opt, SqlStorage};
use crate::*;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use ramp_domain::work_order::{WorkOrderKind, WorkOrderStatus};
use ramp_domain::Term;

/// A device event copied from the device's current row; returns how many rows matched `condition`.
#[allow(clippy::too_many_arguments)] // an event row, positionally
async fn event_from_device(
    conn: &mut db::Connection,
    device_id: Id,
    at: DateTime<Utc>,
    kind: &str,
    to_state: &str,
    actor: Id,
    note: Option<&str>,
    condition: &str,
) -> Result<u64> {
    let sql = format!(
        "INSERT INTO device_events (device_id, occurred_at, kind, from_state, to_state, actor_user_id, patient_id, warehouse_id, note) \
         SELECT id, $2, $3, state, {to_state}, $4, patient_id, warehouse_id, $5 FROM devices WHERE id = $1 AND {condition}"
    );
    Ok(db::query(&sql)
        .bind(device_id)
        .bind(at)
        .bind(kind)
        .bind(actor)
        .bind(note)
        .execute(&mut *conn)
        .await?
        .rows_affected())
}

fn work_order_from(r: &Row) -> Result<WorkOrderRow> {
    Ok(WorkOrderRow {
        id: r.try_get("id")?,
        kind: stored(r, "kind")?,
        status: stored(r, "status")?,
        description: r.try_get("description")?,
        device_id: r.try_get("device_id")?,
        device_number: r.try_get("device_number")?,
        article_name: r.try_get("article_name")?,
        device_state: stored_opt(r, "device_state")?,
        assigned_to: r.try_get("assigned_to")?,
        assigned_name: r.try_get("assigned_name")?,
        safety_notice_id: r.try_get("safety_notice_id")?,
        created_at: r.try_get("created_at")?,
        started_at: r.try_get("started_at")?,
        finished_at: r.try_get("finished_at")?,
        outcome: r.try_get("outcome")?,
        minutes: r.try_get("minutes")?,
    })
}

fn document_from(r: &Row) -> Result<AdaptationDocument> {
    Ok(AdaptationDocument {
        id: r.try_get("id")?,
        public_id: r.try_get("public_id")?,
        work_order_id: r.try_get("work_order_id")?,
        device_id: r.try_get("device_id")?,
        title: r.try_get("title")?,
        content: r.try_get("content")?,
        sha256: r.try_get("sha256")?,
        uploaded_by: r.try_get("uploaded_by")?,
        uploaded_at: r.try_get("uploaded_at")?,
        valid_until: r.try_get("valid_until")?,
        signed_by: r.try_get("signed_by")?,
        signed_at: r.try_get("signed_at")?,
        fields: fields_from(r.try_get("fields")?)?,
        signed_via: r.try_get("signed_via")?,
    })
}

/// The stored JSON of a document's structured fields.
fn fields_from(json: Option<String>) -> Result<Option<ramp_domain::workshop::AdaptationFields>> {
    json.map(|j| serde_json::from_str(&j).map_err(|e| StorageError::Database(Box::new(e)))).transpose()
}

const DOCUMENT_COLUMNS: &str =
    "id, public_id, work_order_id, device_id, title, content, sha256, uploaded_by, uploaded_at, \
    valid_until, signed_by, signed_at, fields, signed_via";

fn notice_from(r: &Row) -> Result<SafetyNotice> {
    Ok(SafetyNotice {
        id: r.try_get("id")?,
        reference: r.try_get("reference")?,
        title: r.try_get("title")?,
        registered_at: r.try_get("registered_at")?,
        affected: r.try_get("affected")?,
        handled: r.try_get("handled")?,
    })
}

const NOTICE_SQL: &str = "SELECT n.id, n.reference, n.title, n.registered_at, \
    (SELECT COUNT(*) FROM work_orders w WHERE w.safety_notice_id = n.id) AS affected, \
    (SELECT COUNT(*) FROM work_orders w WHERE w.safety_notice_id = n.id AND w.status = 'done') AS handled \
    FROM safety_notices n";

impl SqlStorage {
    /// Tells a refused work-order move apart: missing, or in another status.
    async fn work_order_mismatch(&self, conn: &mut db::Connection, id: Id, expected: &str) -> Result<StorageError> {
        let r = db::query("SELECT status FROM work_orders WHERE id = $1").bind(id).fetch_optional(&mut *conn).await?;
        Ok(match r {
            None => StorageError::NotFound(format!("work order {id}")),
            Some(r) => StorageError::StateMismatch(format!(
                "work order {id} is {}, expected {expected}",
                r.try_get::<String, _>("status")?
            )),
        })
    }
}

#[async_trait]
impl SupplyStore for SqlStorage {
    async fn receive(&self, r: &NewReceipt) -> Result<Id> {
        let mut tx = self.dialect.begin().await?;
        let receipt: Id = db::query(
            "INSERT INTO receipts (supplier_id, warehouse_id, reference, received_by, received_at, delivery_note, purchase_order_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(r.supplier_id).bind(r.warehouse_id).bind(&r.reference).bind(r.received_by).bind(r.at)
        .bind(&r.delivery_note).bind(r.purchase_order_id)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        for d in &r.devices {
            let device: Id = db::query(
                "INSERT INTO devices (device_number, article_id, serial, purchase_date, purchase_price_ore, state, warehouse_id, state_since) \
                 VALUES ($1, $2, $3, $4, $5, 'in_stock', $6, $7) RETURNING id",
            )
            .bind(&d.device_number).bind(d.article_id).bind(&d.serial).bind(r.purchase_date)
            .bind(d.purchase_price_ore).bind(r.warehouse_id).bind(r.at)
            .fetch_one(&mut *tx)
            .await?
            .try_get("id")?;
            db::query(
                "INSERT INTO device_events (device_id, occurred_at, kind, from_state, to_state, actor_user_id, warehouse_id, note) \
                 VALUES ($1, $2, 'received', NULL, 'in_stock', $3, $4, $5)",
            )
            .bind(device).bind(r.at).bind(r.received_by).bind(r.warehouse_id).bind(&r.reference)
            .execute(&mut *tx)
            .await?;
            db::query(
                "INSERT INTO receipt_lines (receipt_id, article_id, device_id, quantity, unit_price_ore) VALUES ($1, $2, $3, 1, $4)",
            )
            .bind(receipt).bind(d.article_id).bind(device).bind(d.purchase_price_ore)
            .execute(&mut *tx)
            .await?;
        }
        for c in &r.consumables {
            db::query(
                "INSERT INTO consumable_stock (warehouse_id, article_id, quantity) VALUES ($1, $2, $3) \
                 ON CONFLICT (warehouse_id, article_id) DO UPDATE SET quantity = consumable_stock.quantity + excluded.quantity",
            )
            .bind(r.warehouse_id).bind(c.article_id).bind(c.quantity)
            .execute(&mut *tx)
            .await?;
            db::query(
                "INSERT INTO receipt_lines (receipt_id, article_id, device_id, quantity, unit_price_ore, batch, expiry_date) \
                 VALUES ($1, $2, NULL, $3, $4, $5, $6)",
            )
            .bind(receipt).bind(c.article_id).bind(c.quantity).bind(c.unit_price_ore).bind(&c.batch).bind(c.expiry_date)
            .execute(&mut *tx)
            .await?;
            if let Some(batch) = &c.batch {
                db::query(
                    "INSERT INTO consumable_batches (warehouse_id, article_id, batch, expiry_date, quantity) VALUES ($1, $2, $3, $4, $5) \
                     ON CONFLICT (warehouse_id, article_id, batch) DO UPDATE SET quantity = consumable_batches.quantity + excluded.quantity",
                )
                .bind(r.warehouse_id).bind(c.article_id).bind(batch).bind(c.expiry_date).bind(c.quantity)
                .execute(&mut *tx)
                .await?;
            }
        }
        if let Some(po) = r.purchase_order_id {
            let lines = r
                .devices
                .iter()
                .map(|d| (d.article_id, 1))
                .chain(r.consumables.iter().map(|c| (c.article_id, c.quantity)));
            super::warehouse::count_received(&mut tx, po, lines, r.at).await?;
        }
        tx.commit().await?;
        Ok(receipt)
    }

    async fn consumable_stock(&self, warehouse_id: Id) -> Result<Vec<ConsumableStockLine>> {
        db::query(
            "SELECT c.article_id, a.article_number, a.name, c.quantity FROM consumable_stock c \
             JOIN articles a ON a.id = c.article_id WHERE c.warehouse_id = $1 ORDER BY a.name",
        )
        .bind(warehouse_id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(ConsumableStockLine {
                article_id: r.try_get("article_id")?,
                article_number: r.try_get("article_number")?,
                article_name: r.try_get("name")?,
                quantity: r.try_get::<i32, _>("quantity")? as i64,
            })
        })
        .collect()
    }

    async fn pick_list(&self, warehouse_id: Id, until: chrono::NaiveDate) -> Result<Vec<PickLine>> {
        let sql = format!("{} ORDER BY {PICK_ORDER}", pick_list_sql());
        db::query(&sql).bind(warehouse_id).bind(until).fetch_all(&self.pool).await?.iter().map(pick_line).collect()
    }

    async fn receive_return(&self, r: &NewReturn) -> Result<()> {
        let mut tx = self.dialect.begin().await?;
        let sql = "INSERT INTO device_events (device_id, occurred_at, kind, from_state, to_state, actor_user_id, patient_id, warehouse_id) \
             SELECT id, $2, 'returned', state, 'in_workshop', $3, patient_id, $4 FROM devices \
             WHERE id = $1 AND state IN ('with_patient', 'with_unit')";
        let n = db::query(sql)
            .bind(r.device_id)
            .bind(r.at)
            .bind(r.actor)
            .bind(r.warehouse_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n == 0 {
            return Err(StorageError::StateMismatch(format!(
                "device {} is not out with a patient or unit",
                r.device_id
            )));
        }
        db::query(
            "UPDATE loans SET end_date = COALESCE((SELECT p.rent_end_date FROM pickup_orders p \
             WHERE p.device_id = $1 AND p.status = 'open'), $2) WHERE device_id = $1 AND end_date IS NULL",
        )
        .bind(r.device_id)
        .bind(r.on)
        .execute(&mut *tx)
        .await?;
        db::query("UPDATE pickup_orders SET status = 'collected' WHERE device_id = $1 AND status = 'open'")
            .bind(r.device_id)
            .execute(&mut *tx)
            .await?;
        db::query(
            "UPDATE devices SET state = 'in_workshop', warehouse_id = $2, patient_id = NULL, unit_id = NULL, state_since = $3 WHERE id = $1",
        )
        .bind(r.device_id).bind(r.warehouse_id).bind(r.at)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn inspect(&self, i: &NewInspection) -> Result<Option<Id>> {
        let mut tx = self.dialect.begin().await?;
        if i.scrap {
            let n = event_from_device(
                &mut tx,
                i.device_id,
                i.at,
                "scrapped",
                "'scrapped'",
                i.actor,
                Some(&i.note),
                "state = 'in_workshop'",
            )
            .await?;
            if n == 0 {
                return Err(StorageError::StateMismatch(format!("device {} is not in the workshop", i.device_id)));
            }
            db::query("UPDATE devices SET state = 'scrapped', warehouse_id = NULL, state_since = $2 WHERE id = $1")
                .bind(i.device_id)
                .bind(i.at)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            return Ok(None);
        }
        let row = db::query(
            "INSERT INTO work_orders (kind, device_id, status, description, created_by, created_at) \
             SELECT 'reconditioning', d.id, 'open', $2, $3, $4 FROM devices d WHERE d.id = $1 AND d.state = 'in_workshop' \
             AND NOT EXISTS (SELECT 1 FROM work_orders w WHERE w.device_id = d.id AND w.kind = 'reconditioning' \
             AND w.status IN ('open', 'in_progress')) RETURNING id",
        )
        .bind(i.device_id).bind(&i.note).bind(i.actor).bind(i.at)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            return Err(StorageError::StateMismatch(format!(
                "device {} is not in the workshop, or already waits for reconditioning",
                i.device_id
            )));
        };
        event_from_device(&mut tx, i.device_id, i.at, "inspected", "state", i.actor, Some(&i.note), "1 = 1").await?;
        tx.commit().await?;
        Ok(Some(row.try_get("id")?))
    }

    async fn create_work_order(&self, w: &NewWorkOrder) -> Result<Id> {
        Ok(db::query(
            "INSERT INTO work_orders (kind, device_id, patient_id, status, description, created_by, created_at) \
             VALUES ($1, $2, (SELECT patient_id FROM devices WHERE id = $2), 'open', $3, $4, $5) RETURNING id",
        )
        .bind(w.kind.as_str())
        .bind(w.device_id)
        .bind(&w.description)
        .bind(w.created_by)
        .bind(w.at)
        .fetch_one(&self.pool)
        .await?
        .try_get("id")?)
    }

    async fn work_orders(
        &self,
        status: Option<WorkOrderStatus>,
        kind: Option<WorkOrderKind>,
        limit: i64,
    ) -> Result<Vec<WorkOrderRow>> {
        let mut b = db::QueryBuilder::new(WORK_ORDER_SQL);
        b.push(" WHERE 1 = 1");
        if let Some(s) = status {
            b.push(" AND w.status = ").push_bind(s.as_str());
        }
        if let Some(k) = kind {
            b.push(" AND w.kind = ").push_bind(k.as_str());
        }
        b.push(" ORDER BY w.created_at, w.id LIMIT ").push_bind(limit);
        b.build().fetch_all(&self.pool).await?.iter().map(work_order_from).collect()
    }

    async fn work_order(&self, id: Id) -> Result<Option<WorkOrderRow>> {
        let sql = format!("{WORK_ORDER_SQL} WHERE w.id = $1");
        db::query(&sql).bind(id).fetch_optional(&self.pool).await?.map(|r| work_order_from(&r)).transpose()
    }

    async fn work_entries(&self, work_order_id: Id) -> Result<Vec<WorkEntry>> {
        db::query(
            "SELECT e.id, e.user_id, e.occurred_at, e.minutes, a.article_number, e.part_quantity, e.note, e.without_stock \
             FROM work_order_entries e LEFT JOIN articles a ON a.id = e.part_article_id \
             WHERE e.work_order_id = $1 ORDER BY e.id",
        )
        .bind(work_order_id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(WorkEntry {
                id: r.try_get("id")?,
                user_id: r.try_get("user_id")?,
                occurred_at: r.try_get("occurred_at")?,
                minutes: r.try_get("minutes")?,
                part_article_number: r.try_get("article_number")?,
                part_quantity: r.try_get("part_quantity")?,
                note: r.try_get("note")?,
                without_stock: r.try_get("without_stock")?,
            })
        })
        .collect()
    }

    async fn start_work_order(&self, id: Id, user: Id, at: DateTime<Utc>) -> Result<()> {
        let mut tx = self.dialect.begin().await?;
        let n = db::query(
            "UPDATE work_orders SET status = 'in_progress', assigned_to = $2, started_at = $3 WHERE id = $1 AND status = 'open'",
        )
        .bind(id).bind(user).bind(at)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n == 0 {
            return Err(self.work_order_mismatch(&mut tx, id, "open").await?);
        }
        tx.commit().await?;
        Ok(())
    }

    async fn add_work_entry(&self, e: &NewWorkEntry) -> Result<Id> {
        let mut tx = self.dialect.begin().await?;
        let row = db::query(
            "INSERT INTO work_order_entries (work_order_id, user_id, occurred_at, minutes, part_article_id, part_quantity, note, without_stock) \
             SELECT id, $2, $3, $4, $5, $6, $7, $8 FROM work_orders WHERE id = $1 AND status IN ('open', 'in_progress') RETURNING id",
        )
        .bind(e.work_order_id).bind(e.user_id).bind(e.at).bind(e.minutes).bind(e.part_article_id)
        .bind(e.part_quantity).bind(&e.note).bind(e.without_stock)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            return Err(self.work_order_mismatch(&mut tx, e.work_order_id, "open or in progress").await?);
        };
        tx.commit().await?;
        Ok(row.try_get("id")?)
    }

    async fn finish_work_order(&self, f: &FinishWorkOrder) -> Result<()> {
        let mut tx = self.dialect.begin().await?;
        let row = db::query(
            "UPDATE work_orders SET status = 'done', finished_at = $2, outcome = $3 WHERE id = $1 AND status = 'in_progress' \
             RETURNING kind, device_id",
        )
        .bind(f.id).bind(f.at).bind(&f.outcome)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            return Err(self.work_order_mismatch(&mut tx, f.id, "in progress").await?);
        };
        let kind: WorkOrderKind = stored(&row, "kind")?;
        let device: Option<Id> = row.try_get("device_id")?;
        let note = f.outcome.as_deref();
        match (kind, device) {
            (WorkOrderKind::Reconditioning, Some(d)) => {
                let n = event_from_device(
                    &mut tx,
                    d,
                    f.at,
                    "reconditioned",
                    "'in_stock'",
                    f.actor,
                    note,
                    "state = 'in_workshop'",
                )
                .await?;
                if n == 0 {
                    return Err(StorageError::StateMismatch(format!("device {d} is not in the workshop")));
                }
                db::query("UPDATE devices SET state = 'in_stock', state_since = $2 WHERE id = $1")
                    .bind(d)
                    .bind(f.at)
                    .execute(&mut *tx)
                    .await?;
                // A repair still open on the device is done with it (issue 19: it stayed open).
                db::query(
                    "UPDATE work_orders SET status = 'done', finished_at = $2, outcome = $3 \
                     WHERE device_id = $1 AND kind = 'repair' AND status IN ('open', 'in_progress')",
                )
                .bind(d)
                .bind(f.at)
                .bind(format!("Avslutad när hjälpmedlet rekonditionerades (arbetsorder {}).", f.id))
                .execute(&mut *tx)
                .await?;
            }
            (WorkOrderKind::Repair, Some(d)) => {
                let to = "CASE WHEN state = 'in_workshop' THEN 'in_stock' ELSE state END";
                event_from_device(&mut tx, d, f.at, "repaired", to, f.actor, note, "1 = 1").await?;
                db::query(format!(
                    "UPDATE devices SET state = {to}, state_since = $2 WHERE id = $1 AND state = 'in_workshop'"
                ))
                .bind(d)
                .bind(f.at)
                .execute(&mut *tx)
                .await?;
            }
            (WorkOrderKind::Recall, Some(d)) => {
                event_from_device(&mut tx, d, f.at, "recall_handled", "state", f.actor, note, "1 = 1").await?;
            }
            (WorkOrderKind::SpecialAdaptation, _) => {
                let signed = db::query(
                    "SELECT COUNT(*) AS n FROM adaptation_documents WHERE work_order_id = $1 AND signed_at IS NOT NULL",
                )
                .bind(f.id)
                .fetch_one(&mut *tx)
                .await?
                .try_get::<i64, _>("n")?;
                if signed == 0 {
                    return Err(StorageError::StateMismatch(
                        "the adaptation is not approved and signed by the prescriber yet".into(),
                    ));
                }
            }
            _ => {}
        }
        // Checked last: a kind's own refusal (an unsigned adaptation) is named first.
        if let Some(item) = super::workshop::first_unchecked(&mut tx, f.id).await? {
            return Err(StorageError::StateMismatch(format!("checklist_incomplete:{item}")));
        }
        tx.commit().await?;
        Ok(())
    }

    async fn attach_adaptation(&self, d: &NewAdaptationDocument) -> Result<Id> {
        let mut tx = self.dialect.begin().await?;
        let row = db::query(
            "INSERT INTO adaptation_documents (work_order_id, device_id, title, content, sha256, uploaded_by, uploaded_at, valid_until, public_id, fields) \
             SELECT w.id, w.device_id, $3, $4, $5, $6, $7, $8, $9, $10 FROM work_orders w \
             WHERE w.id = $1 AND w.device_id = $2 AND w.kind = 'special_adaptation' AND w.status IN ('open', 'in_progress') \
             RETURNING id",
        )
        .bind(d.work_order_id).bind(d.device_id).bind(&d.title).bind(&d.content).bind(&d.sha256)
        .bind(d.uploaded_by).bind(d.at).bind(d.valid_until).bind(&d.public_id)
        .bind(d.fields.as_ref().map(|f| serde_json::to_string(f).unwrap_or_default()))
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            return Err(StorageError::StateMismatch(format!(
                "work order {} is not an open special adaptation of device {}",
                d.work_order_id, d.device_id
            )));
        };
        event_from_device(
            &mut tx,
            d.device_id,
            d.at,
            "adaptation_documented",
            "state",
            d.uploaded_by,
            Some(&d.title),
            "1 = 1",
        )
        .await?;
        tx.commit().await?;
        Ok(row.try_get("id")?)
    }

    async fn adaptation_document(&self, public_id: &str) -> Result<Option<AdaptationDocument>> {
        let sql = format!("SELECT {DOCUMENT_COLUMNS} FROM adaptation_documents WHERE public_id = $1");
        db::query(&sql).bind(public_id).fetch_optional(&self.pool).await?.map(|r| document_from(&r)).transpose()
    }

    async fn adaptation_documents_for_device(&self, device_id: Id) -> Result<Vec<AdaptationDocument>> {
        let sql = format!("SELECT {DOCUMENT_COLUMNS} FROM adaptation_documents WHERE device_id = $1 ORDER BY id");
        db::query(&sql).bind(device_id).fetch_all(&self.pool).await?.iter().map(document_from).collect()
    }

    async fn sign_adaptation(&self, s: &AdaptationSignature) -> Result<()> {
        let mut tx = self.dialect.begin().await?;
        let row = db::query(
            "UPDATE adaptation_documents SET signed_by = $2, signed_at = $3, signed_via = $6 \
             WHERE id = $1 AND signed_at IS NULL AND valid_until >= $4 AND sha256 = $5 RETURNING device_id, title, work_order_id",
        )
        .bind(s.document_id)
        .bind(s.signed_by)
        .bind(s.at)
        .bind(s.on)
        .bind(&s.sha256)
        .bind(&s.via)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            let doc = db::query("SELECT signed_at, valid_until, sha256 FROM adaptation_documents WHERE id = $1")
                .bind(s.document_id)
                .fetch_optional(&mut *tx)
                .await?;
            return Err(match doc {
                None => StorageError::NotFound(format!("adaptation document {}", s.document_id)),
                Some(d) if d.try_get::<Option<DateTime<Utc>>, _>("signed_at")?.is_some() => {
                    StorageError::StateMismatch("already_signed".into())
                }
                Some(d) if d.try_get::<chrono::NaiveDate, _>("valid_until")? < s.on => {
                    StorageError::StateMismatch("signing_window_passed".into())
                }
                Some(_) => StorageError::StateMismatch("document_changed".into()),
            });
        };
        let device: Id = row.try_get("device_id")?;
        let title: String = row.try_get("title")?;
        db::query("UPDATE devices SET special_adapted = TRUE, ce_marking_void = TRUE WHERE id = $1")
            .bind(device)
            .execute(&mut *tx)
            .await?;
        let note = format!("{title} (sha256 {})", s.sha256);
        event_from_device(&mut tx, device, s.at, "adaptation_signed", "state", s.signed_by, Some(&note), "1 = 1")
            .await?;
        super::workshop::notify_signed(&mut tx, device, row.try_get("work_order_id")?, s.at).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn register_safety_notice(&self, n: &NewSafetyNotice) -> Result<Id> {
        let mut tx = self.dialect.begin().await?;
        let notice: Id = db::query(
            "INSERT INTO safety_notices (reference, title, registered_by, registered_at) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(&n.reference).bind(&n.title).bind(n.registered_by).bind(n.at)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        for a in &n.article_ids {
            db::query("INSERT INTO safety_notice_articles (safety_notice_id, article_id) VALUES ($1, $2)")
                .bind(notice)
                .bind(*a)
                .execute(&mut *tx)
                .await?;
        }
        let affected = "FROM devices d WHERE d.state NOT IN ('scrapped', 'lost') AND d.article_id IN \
            (SELECT article_id FROM safety_notice_articles WHERE safety_notice_id = $1)";
        db::query(format!(
            "INSERT INTO device_events (device_id, occurred_at, kind, from_state, to_state, actor_user_id, patient_id, warehouse_id, note) \
             SELECT d.id, $2, 'recall_ordered', d.state, d.state, $3, d.patient_id, d.warehouse_id, $4 {affected}"
        ))
        .bind(notice).bind(n.at).bind(n.registered_by).bind(&n.reference)
        .execute(&mut *tx)
        .await?;
        db::query(format!(
            "INSERT INTO work_orders (kind, device_id, patient_id, status, description, created_by, created_at, safety_notice_id) \
             SELECT 'recall', d.id, d.patient_id, 'open', $2, $3, $4, $1 {affected}"
        ))
        .bind(notice).bind(format!("{}: {}", n.reference, n.title)).bind(n.registered_by).bind(n.at)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(notice)
    }

    async fn safety_notices(&self) -> Result<Vec<SafetyNotice>> {
        let sql = format!("{NOTICE_SQL} ORDER BY n.registered_at DESC, n.id DESC");
        db::query(&sql).fetch_all(&self.pool).await?.iter().map(notice_from).collect()
    }

    async fn safety_notice(&self, id: Id) -> Result<Option<(SafetyNotice, Vec<AffectedDevice>)>> {
        let sql = format!("{NOTICE_SQL} WHERE n.id = $1");
        let Some(r) = db::query(&sql).bind(id).fetch_optional(&self.pool).await? else { return Ok(None) };
        let notice = notice_from(&r)?;
        let devices = db::query(
            "SELECT d.id, d.device_number, a.article_number, d.state, wh.name AS warehouse_name, un.name AS unit_name, \
             d.patient_id, w.id AS work_order_id, w.status AS work_order_status \
             FROM work_orders w JOIN devices d ON d.id = w.device_id JOIN articles a ON a.id = d.article_id \
             LEFT JOIN warehouses wh ON wh.id = d.warehouse_id LEFT JOIN units un ON un.id = d.unit_id \
             WHERE w.safety_notice_id = $1 ORDER BY d.device_number",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(AffectedDevice {
                device_id: r.try_get("id")?,
                device_number: r.try_get("device_number")?,
                article_number: r.try_get("article_number")?,
                state: stored(r, "state")?,
                warehouse_name: r.try_get("warehouse_name")?,
                unit_name: r.try_get("unit_name")?,
                patient_id: r.try_get("patient_id")?,
                work_order_id: r.try_get("work_order_id")?,
                work_order_status: stored(r, "work_order_status")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
        Ok(Some((notice, devices)))
    }

    async fn device_patient_id(&self, device_id: Id) -> Result<Option<Id>> {
        let r = db::query("SELECT patient_id FROM devices WHERE id = $1")
            .bind(device_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(match r {
            Some(r) => r.try_get("patient_id")?,
            None => None,
        })
    }

    async fn device_ordered_by(&self, device_id: Id, user_id: Id) -> Result<bool> {
        let n: i64 = db::query(
            "SELECT COUNT(*) AS n FROM order_lines l JOIN orders o ON o.id = l.order_id \
             WHERE l.device_id = $1 AND l.state = 'open' AND o.created_by = $2",
        )
        .bind(device_id)
        .bind(user_id)
        .fetch_one(&self.pool)
        .await?
        .try_get("n")?;
        Ok(n > 0)
    }

    async fn set_delivery_route(&self, unit_id: Id, route: Option<&str>) -> Result<()> {
        db::query("UPDATE units SET delivery_route = $2 WHERE id = $1")
            .bind(unit_id)
            .bind(route)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
