//! [`crate::FeesStore`] for [`SqlStorage`], both engines. `ON CONFLICT (source_key) DO NOTHING` (both engines) makes
//! recording a charge twice a no-op.

use crate::db;
use crate::sql::SqlStorage;
use crate::*;
use async_trait::async_trait;

#[async_trait]
impl FeesStore for SqlStorage {
    async fn fee_lines(&self, patient_id: Id) -> Result<Vec<FeeLineRow>> {
        db::query(
            "SELECT l.id AS line_id, l.order_id, a.article_number, a.name AS article_name, a.iso_code, \
             l.device_id, l.delivered_at, o.end_date \
             FROM order_lines l JOIN orders o ON o.id = l.order_id JOIN articles a ON a.id = l.article_id \
             WHERE o.patient_id = $1 AND l.state = 'delivered' AND l.delivered_at IS NOT NULL \
             ORDER BY l.delivered_at, l.id",
        )
        .bind(patient_id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(FeeLineRow {
                line_id: r.try_get("line_id")?,
                order_id: r.try_get("order_id")?,
                article_number: r.try_get("article_number")?,
                article_name: r.try_get("article_name")?,
                iso_code: r.try_get("iso_code")?,
                device_id: r.try_get("device_id")?,
                delivered_at: r.try_get("delivered_at")?,
                end_date: r.try_get("end_date")?,
            })
        })
        .collect()
    }

    async fn patient_loans(&self, patient_id: Id) -> Result<Vec<PatientLoan>> {
        db::query("SELECT device_id, start_date, end_date FROM loans WHERE patient_id = $1 ORDER BY start_date, id")
            .bind(patient_id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| {
                Ok(PatientLoan {
                    device_id: r.try_get("device_id")?,
                    start_date: r.try_get("start_date")?,
                    end_date: r.try_get("end_date")?,
                })
            })
            .collect()
    }

    async fn fee_charges(&self, patient_id: Id) -> Result<Vec<FeeChargeRow>> {
        db::query(
            "SELECT id, source_key, due_on, amount_ore, recorded_at FROM patient_fee_charges \
             WHERE patient_id = $1 ORDER BY due_on, id",
        )
        .bind(patient_id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(FeeChargeRow {
                id: r.try_get("id")?,
                source_key: r.try_get("source_key")?,
                due_on: r.try_get("due_on")?,
                amount_ore: r.try_get("amount_ore")?,
                recorded_at: r.try_get("recorded_at")?,
            })
        })
        .collect()
    }

    async fn record_fee_charges(&self, charges: &[NewFeeCharge]) -> Result<u64> {
        let mut tx = self.dialect.begin().await?;
        let mut created = 0;
        for c in charges {
            created += db::query(
                "INSERT INTO patient_fee_charges (patient_id, source_key, order_line_id, fee_id, kind, due_on, \
                 fee_table, description, list_amount_ore, amount_ore, outcome, recorded_at, recorded_by) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) \
                 ON CONFLICT (source_key) DO NOTHING",
            )
            .bind(c.patient_id)
            .bind(&c.source_key)
            .bind(c.order_line_id)
            .bind(&c.fee_id)
            .bind(&c.kind)
            .bind(c.due_on)
            .bind(&c.fee_table)
            .bind(&c.description)
            .bind(c.list_amount_ore)
            .bind(c.amount_ore)
            .bind(&c.outcome)
            .bind(c.recorded_at)
            .bind(c.recorded_by)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        }
        tx.commit().await?;
        Ok(created)
    }
}
