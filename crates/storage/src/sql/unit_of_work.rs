//! [`UnitOfWork`] for [`SqlStorage`], both engines: one [`WriteTx`] and
//! one plain statement per operation. The rules (what a delivery does to
//! a device, when a blocked device stops it) are the caller's.

use super::{stored, SqlStorage};
use crate::db;
use crate::write_tx::WriteTx;
use crate::*;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use ramp_domain::order::{LineState, OrderStatus};
use ramp_domain::Term;

/// A unit of work on one write transaction.
pub struct SqlUnitOfWork {
    tx: WriteTx,
}

impl SqlStorage {
    /// Opens a unit of work (the engine's write transaction).
    pub(crate) async fn open_unit_of_work(&self) -> Result<Box<dyn UnitOfWork>> {
        Ok(Box::new(SqlUnitOfWork { tx: self.dialect.begin().await? }))
    }
}

#[async_trait]
impl UnitOfWork for SqlUnitOfWork {
    async fn commit(self: Box<Self>) -> Result<()> {
        self.tx.commit().await
    }

    async fn move_order(&mut self, m: &OrderMove<'_>) -> Result<Option<MovedOrder>> {
        let row = db::query(
            "UPDATE orders SET status = $1, updated_at = $2, received_by = COALESCE($3, received_by) \
             WHERE id = $4 AND status = $5 RETURNING target, patient_id, unit_id",
        )
        .bind(m.to.as_str())
        .bind(m.at)
        .bind(m.received_by)
        .bind(m.order_id)
        .bind(m.expected.as_str())
        .fetch_optional(&mut *self.tx)
        .await?;
        row.map(|r| {
            Ok(MovedOrder {
                target: stored(&r, "target")?,
                patient_id: r.try_get("patient_id")?,
                unit_id: r.try_get("unit_id")?,
            })
        })
        .transpose()
    }

    async fn order_status(&mut self, order_id: Id) -> Result<Option<OrderStatus>> {
        let row =
            db::query("SELECT status FROM orders WHERE id = $1").bind(order_id).fetch_optional(&mut *self.tx).await?;
        row.map(|r| stored(&r, "status")).transpose()
    }

    async fn add_order_event(&mut self, e: &NewOrderEvent<'_>) -> Result<()> {
        db::query(
            "INSERT INTO order_events (order_id, occurred_at, from_status, to_status, actor_user_id, note) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(e.order_id)
        .bind(e.at)
        .bind(e.from.as_str())
        .bind(e.to.as_str())
        .bind(e.actor_user_id)
        .bind(e.note)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    async fn reserved_lines(&mut self, order_id: Id) -> Result<Vec<ReservedLine>> {
        let rows = db::query(
            "SELECT device_id, payer, customer_number_id, rule_id, agreement_version FROM order_lines \
             WHERE order_id = $1 AND state = 'open' AND device_id IS NOT NULL ORDER BY line_no",
        )
        .bind(order_id)
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ReservedLine {
                    device_id: r.try_get("device_id")?,
                    payer: stored(r, "payer")?,
                    customer_number_id: r.try_get("customer_number_id")?,
                    rule_id: r.try_get("rule_id")?,
                    agreement_version: r.try_get("agreement_version")?,
                })
            })
            .collect()
    }

    async fn device_block(&mut self, device_id: Id) -> Result<Option<String>> {
        let sql = format!("SELECT {} AS reason FROM devices d WHERE d.id = $1", super::supply::BLOCKED_REASON);
        db::query(&sql).bind(device_id).fetch_one(&mut *self.tx).await?.try_get("reason")
    }

    async fn end_reservation(&mut self, r: &ReservationEnd) -> Result<Option<Option<Id>>> {
        let q = match r.holder {
            None => db::query(
                "UPDATE devices SET state = $1, reserved_until = NULL, reserved_by = NULL, state_since = $2 \
                 WHERE id = $3 AND state = 'reserved' RETURNING warehouse_id",
            )
            .bind(r.to.as_str())
            .bind(r.at)
            .bind(r.device_id),
            Some(h) => db::query(
                "UPDATE devices SET state = $1, reserved_until = NULL, reserved_by = NULL, state_since = $2, \
                 patient_id = $4, unit_id = $5, warehouse_id = $6 WHERE id = $3 AND state = 'reserved' RETURNING warehouse_id",
            )
            .bind(r.to.as_str())
            .bind(r.at)
            .bind(r.device_id)
            .bind(h.patient_id)
            .bind(h.unit_id)
            .bind(h.warehouse_id),
        };
        let row = q.fetch_optional(&mut *self.tx).await?;
        row.map(|w| w.try_get("warehouse_id")).transpose()
    }

    async fn add_device_event(&mut self, e: &NewDeviceEvent) -> Result<()> {
        db::query(
            "INSERT INTO device_events (device_id, occurred_at, kind, from_state, to_state, actor_user_id, patient_id, warehouse_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(e.device_id)
        .bind(e.at)
        .bind(e.kind.as_str())
        .bind(e.from.as_str())
        .bind(e.to.as_str())
        .bind(e.actor_user_id)
        .bind(e.patient_id)
        .bind(e.warehouse_id)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    async fn open_loan(&mut self, l: &Loan) -> Result<()> {
        db::query(
            "INSERT INTO loans (device_id, patient_id, unit_id, customer_number_id, payer, rule_id, agreement_version, start_date) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(l.device_id)
        .bind(l.patient_id)
        .bind(l.unit_id)
        .bind(l.customer_number_id)
        .bind(l.payer.as_str())
        .bind(&l.rule_id)
        .bind(&l.agreement_version)
        .bind(l.start_date)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    async fn mark_lines_picked(&mut self, order_id: Id, at: DateTime<Utc>, actor: Id) -> Result<()> {
        db::query(
            "UPDATE order_lines SET picked_at = $1, picked_by = $2 \
             WHERE order_id = $3 AND state = 'open' AND picked_at IS NULL",
        )
        .bind(at)
        .bind(actor)
        .bind(order_id)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    async fn pick_line(&mut self, order_id: Id, line_no: i32, at: DateTime<Utc>, actor: Id) -> Result<bool> {
        let n = db::query(
            "UPDATE order_lines SET picked_at = $1, picked_by = $2 \
             WHERE order_id = $3 AND line_no = $4 AND state = 'open' AND picked_at IS NULL",
        )
        .bind(at)
        .bind(actor)
        .bind(order_id)
        .bind(line_no)
        .execute(&mut *self.tx)
        .await?
        .rows_affected();
        Ok(n == 1)
    }

    async fn unpicked_lines(&mut self, order_id: Id) -> Result<i64> {
        let row = db::query(
            "SELECT COUNT(*) AS n FROM order_lines WHERE order_id = $1 AND state = 'open' AND picked_at IS NULL",
        )
        .bind(order_id)
        .fetch_one(&mut *self.tx)
        .await?;
        Ok(row.try_get("n")?)
    }

    async fn close_open_lines(
        &mut self,
        order_id: Id,
        state: LineState,
        delivered_at: Option<DateTime<Utc>>,
    ) -> Result<()> {
        db::query("UPDATE order_lines SET state = $1, delivered_at = $2 WHERE order_id = $3 AND state = 'open'")
            .bind(state.as_str())
            .bind(delivered_at)
            .bind(order_id)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    async fn notify_creator(&mut self, e: &NewOrderEvent<'_>) -> Result<()> {
        db::query(
            "INSERT INTO notifications (user_id, order_id, to_status, occurred_at) \
             SELECT created_by, id, $1, $2 FROM orders WHERE id = $3 AND created_by <> $4",
        )
        .bind(e.to.as_str())
        .bind(e.at)
        .bind(e.order_id)
        .bind(e.actor_user_id)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }
}
