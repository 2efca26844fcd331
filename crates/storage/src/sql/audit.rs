//! The audit log.

use super::rows::*;
use crate::db;
use crate::sql::SqlStorage;
use crate::*;

pub(super) async fn append_audit(this: &SqlStorage, e: &NewAuditEntry) -> Result<Id> {
    let _turn = this.dialect.write_turn().await;
    db::query(
        "INSERT INTO audit_log (occurred_at, user_id, patient_id, action, reason, detail, request_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(e.occurred_at)
    .bind(e.user_id)
    .bind(e.patient_id)
    .bind(&e.action)
    .bind(e.reason.as_str())
    .bind(&e.detail)
    .bind(&e.request_id)
    .fetch_one(&this.pool)
    .await?
    .try_get("id")
}

pub(super) async fn audit_for_patient(this: &SqlStorage, patient_id: Id, limit: i64) -> Result<Vec<AuditEntry>> {
    db::query(
        "SELECT id, occurred_at, user_id, patient_id, action, reason, detail, request_id FROM audit_log \
         WHERE patient_id = $1 ORDER BY occurred_at DESC, id DESC LIMIT $2",
    )
    .bind(patient_id)
    .bind(limit)
    .fetch_all(&this.pool)
    .await?
    .iter()
    .map(audit_from)
    .collect()
}

pub(super) async fn audit_recent(this: &SqlStorage, limit: i64) -> Result<Vec<AuditEntry>> {
    db::query(
        "SELECT id, occurred_at, user_id, patient_id, action, reason, detail, request_id FROM audit_log \
         ORDER BY id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(&this.pool)
    .await?
    .iter()
    .map(audit_from)
    .collect()
}
