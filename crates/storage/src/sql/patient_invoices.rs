//! [`crate::PatientInvoiceStore`] for [`SqlStorage`], both engines. The
//! unique constraints of migration 0030 (one invoice per patient and month,
//! one line per charge) are what make a racing second run write nothing.

use crate::db;
use crate::db::Row;
use crate::sql::SqlStorage;
use crate::*;
use async_trait::async_trait;
use chrono::{DateTime, Datelike, Utc};
use ramp_domain::ids::PersonalId;

/// Patient-invoice numbers: `P`, the issue year and a six-digit sequence of
/// their own (`P2026000042`), apart from the principals' invoices.
pub fn patient_invoice_number(year: i32, n: i64) -> String {
    format!("P{year}{n:06}")
}

const INVOICE_COLUMNS: &str = "i.id, i.number, i.patient_id, p.personal_id, p.given_name, p.family_name, \
    i.month, i.issue_date, i.due_date, i.total_ore, i.created_at \
    FROM patient_invoices i JOIN patients p ON p.id = i.patient_id";

fn invoice_from(r: &Row) -> Result<PatientInvoiceRow> {
    let pid: String = r.try_get("personal_id")?;
    Ok(PatientInvoiceRow {
        id: r.try_get("id")?,
        number: r.try_get("number")?,
        patient_id: r.try_get("patient_id")?,
        personal_id: PersonalId::from_canonical(&pid).map_err(StorageError::corrupt)?,
        given_name: r.try_get("given_name")?,
        family_name: r.try_get("family_name")?,
        month: r.try_get("month")?,
        issue_date: r.try_get("issue_date")?,
        due_date: r.try_get("due_date")?,
        total_ore: r.try_get("total_ore")?,
        created_at: r.try_get("created_at")?,
    })
}

#[async_trait]
impl PatientInvoiceStore for SqlStorage {
    async fn fee_patients(&self, before: DateTime<Utc>) -> Result<Vec<FeePatient>> {
        db::query(
            "SELECT p.id, p.birth_date FROM patients p WHERE EXISTS (SELECT 1 FROM orders o \
             JOIN order_lines l ON l.order_id = o.id WHERE o.patient_id = p.id AND l.state = 'delivered' \
             AND l.delivered_at IS NOT NULL AND l.delivered_at < $1) ORDER BY p.id",
        )
        .bind(before)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| Ok(FeePatient { patient_id: r.try_get("id")?, birth_date: r.try_get("birth_date")? }))
        .collect()
    }

    async fn charge_billing(&self, patient_id: Id) -> Result<Vec<ChargeBilling>> {
        db::query(
            "SELECT c.source_key, c.amount_ore, i.number FROM patient_fee_charges c \
             LEFT JOIN patient_invoice_lines l ON l.charge_id = c.id \
             LEFT JOIN patient_invoices i ON i.id = l.invoice_id \
             WHERE c.patient_id = $1 ORDER BY c.due_on, c.id",
        )
        .bind(patient_id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(ChargeBilling {
                source_key: r.try_get("source_key")?,
                amount_ore: r.try_get("amount_ore")?,
                invoice_number: r.try_get("number")?,
            })
        })
        .collect()
    }

    async fn create_patient_invoice(&self, inv: &NewPatientInvoice) -> Result<(Id, String)> {
        let mut tx = self.dialect.begin().await?;
        let year = inv.issue_date.year();
        let n = super::billing::next_in_series(&mut tx, "patient_invoice_counters", year).await?;
        let number = patient_invoice_number(year, n);
        let total: i64 = inv.lines.iter().map(|l| l.1).sum();
        let id: Id = db::query(
            "INSERT INTO patient_invoices (number, patient_id, month, issue_date, due_date, total_ore, \
             created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(&number)
        .bind(inv.patient_id)
        .bind(&inv.month)
        .bind(inv.issue_date)
        .bind(inv.due_date)
        .bind(total)
        .bind(inv.created_by)
        .bind(inv.created_at)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        for (no, (source_key, amount)) in (1i32..).zip(&inv.lines) {
            // The charge must be the patient's: a key of another patient finds no row and fails NOT NULL.
            db::query(
                "INSERT INTO patient_invoice_lines (invoice_id, line_no, charge_id, amount_ore) VALUES ($1, $2, \
                 (SELECT id FROM patient_fee_charges WHERE source_key = $3 AND patient_id = $4), $5)",
            )
            .bind(id)
            .bind(no)
            .bind(source_key)
            .bind(inv.patient_id)
            .bind(*amount)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok((id, number))
    }

    async fn patient_invoices(&self, month: &str) -> Result<Vec<PatientInvoiceRow>> {
        db::query(format!("SELECT {INVOICE_COLUMNS} WHERE i.month = $1 ORDER BY i.number"))
            .bind(month)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(invoice_from)
            .collect()
    }

    async fn patient_invoice_by_number(&self, number: &str) -> Result<Option<PatientInvoiceRow>> {
        db::query(format!("SELECT {INVOICE_COLUMNS} WHERE i.number = $1"))
            .bind(number)
            .fetch_optional(&self.pool)
            .await?
            .map(|r| invoice_from(&r))
            .transpose()
    }

    async fn patient_invoice_lines(&self, invoice_id: Id) -> Result<Vec<PatientInvoiceLineRow>> {
        db::query(
            "SELECT l.line_no, c.source_key, c.due_on, c.description, c.list_amount_ore, l.amount_ore, c.outcome \
             FROM patient_invoice_lines l JOIN patient_fee_charges c ON c.id = l.charge_id \
             WHERE l.invoice_id = $1 ORDER BY l.line_no",
        )
        .bind(invoice_id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(PatientInvoiceLineRow {
                line_no: r.try_get("line_no")?,
                source_key: r.try_get("source_key")?,
                due_on: r.try_get("due_on")?,
                description: r.try_get("description")?,
                list_amount_ore: r.try_get("list_amount_ore")?,
                amount_ore: r.try_get("amount_ore")?,
                outcome: r.try_get("outcome")?,
            })
        })
        .collect()
    }
}
