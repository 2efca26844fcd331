//! [`crate::EconomyStore`] for [`SqlStorage`], both engines. Sums over `invoice_lines` join their invoice
//! (migration 0007); a credit note's negative lines net out what it credits.

use crate::db;
use crate::sql::SqlStorage;
use crate::*;
use async_trait::async_trait;
use chrono::{DateTime, Utc};

#[async_trait]
impl EconomyStore for SqlStorage {
    async fn set_budget(&self, principal_id: Id, year: i32, amount_ore: i64, at: DateTime<Utc>, by: Id) -> Result<()> {
        let mut tx = self.dialect.begin().await?;
        db::query(
            "INSERT INTO principal_budgets (principal_id, year, amount_ore, updated_at, updated_by) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (principal_id, year) DO UPDATE \
             SET amount_ore = excluded.amount_ore, updated_at = excluded.updated_at, updated_by = excluded.updated_by",
        )
        .bind(principal_id)
        .bind(year)
        .bind(amount_ore)
        .bind(at)
        .bind(by)
        .execute(&mut *tx)
        .await?;
        db::query(
            "INSERT INTO principal_budget_events (principal_id, year, amount_ore, occurred_at, actor_user_id) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(principal_id)
        .bind(year)
        .bind(amount_ore)
        .bind(at)
        .bind(by)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn budgets(&self, year: i32) -> Result<Vec<(Id, i64)>> {
        db::query("SELECT principal_id, amount_ore FROM principal_budgets WHERE year = $1 ORDER BY principal_id")
            .bind(year)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| Ok((r.try_get("principal_id")?, r.try_get("amount_ore")?)))
            .collect()
    }

    async fn principal_month_costs(&self, year: i32) -> Result<Vec<PrincipalMonthCost>> {
        db::query(
            "SELECT i.principal_id, i.month, CAST(SUM(l.amount_ore) AS BIGINT) AS amount_ore \
             FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id \
             WHERE i.month >= $1 AND i.month <= $2 GROUP BY i.principal_id, i.month \
             ORDER BY i.principal_id, i.month",
        )
        .bind(format!("{year:04}-01"))
        .bind(format!("{year:04}-12"))
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(PrincipalMonthCost {
                principal_id: r.try_get("principal_id")?,
                month: r.try_get("month")?,
                amount_ore: r.try_get("amount_ore")?,
            })
        })
        .collect()
    }

    async fn patient_cost_lines(&self, month: &str, principal_kind: &str) -> Result<Vec<PatientCostRow>> {
        db::query(
            "SELECT i.customer_number_id, c.number AS customer_number, c.name AS customer_name, l.patient_id, \
             l.amount_ore FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id \
             JOIN customer_numbers c ON c.id = i.customer_number_id JOIN principals p ON p.id = i.principal_id \
             JOIN articles a ON a.id = l.article_id JOIN product_areas pa ON pa.code = a.product_area \
             WHERE i.month = $1 AND l.patient_id IS NOT NULL AND p.kind = $2 AND pa.drug_adjacent \
             ORDER BY c.number, l.patient_id, l.id",
        )
        .bind(month)
        .bind(principal_kind)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(PatientCostRow {
                customer_number_id: r.try_get("customer_number_id")?,
                customer_number: r.try_get("customer_number")?,
                customer_name: r.try_get("customer_name")?,
                patient_id: r.try_get("patient_id")?,
                amount_ore: r.try_get("amount_ore")?,
            })
        })
        .collect()
    }
}
