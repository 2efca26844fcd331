//! Undoing a pickup order the same day (`OrderStore::undo_pickup`): one
//! conditional update decides whether it may be undone — the creator's,
//! registered that day, still open, and no device event after it — and
//! the device's history gets the undo as an event of its own.

use super::SqlStorage;
use crate::db;
use crate::{PickupUndo, Result};

impl SqlStorage {
    pub(crate) async fn cancel_pickup(&self, u: &PickupUndo) -> Result<bool> {
        let mut tx = self.dialect.begin().await?;
        let row = db::query(
            "UPDATE pickup_orders SET status = 'cancelled' \
             WHERE device_id = $1 AND status = 'open' AND registered_by = $2 AND registered_on = $3 \
             AND NOT EXISTS (SELECT 1 FROM device_events e WHERE e.device_id = pickup_orders.device_id \
               AND e.occurred_at > pickup_orders.registered_at) \
             RETURNING id",
        )
        .bind(u.device_id)
        .bind(u.by)
        .bind(u.on)
        .fetch_optional(&mut *tx)
        .await?;
        if row.is_none() {
            return Ok(false);
        }
        db::query(
            "INSERT INTO device_events (device_id, occurred_at, kind, from_state, to_state, actor_user_id, patient_id) \
             SELECT id, $2, 'pickup_undone', state, state, $3, patient_id FROM devices WHERE id = $1",
        )
        .bind(u.device_id)
        .bind(u.at)
        .bind(u.by)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(true)
    }
}
