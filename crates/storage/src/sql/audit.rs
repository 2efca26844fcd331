//! The audit log.

use super::rows::*;
use crate::db;
use crate::sql::SqlStorage;
use crate::*;

pub(super) async fn append_audit(this: &SqlStorage, e: &NewAuditEntry) -> Result<Id> {
    let _turn = this.dialect.write_turn().await;
    bind_audit(db::query(INSERT_AUDIT), e).fetch_one(&this.pool).await?.try_get("id")
}

/// Writes one audit row; the unit is the user's unit at the time, read in
/// the same statement (the review filters by it).
pub(super) const INSERT_AUDIT: &str =
    "INSERT INTO audit_log (occurred_at, user_id, patient_id, action, reason, detail, request_id, unit_id) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, (SELECT unit_id FROM users WHERE id = $2)) RETURNING id";

/// Binds an entry to [`INSERT_AUDIT`].
pub(super) fn bind_audit<'q>(q: db::Query<'q>, e: &'q NewAuditEntry) -> db::Query<'q> {
    q.bind(e.occurred_at)
        .bind(e.user_id)
        .bind(e.patient_id)
        .bind(&e.action)
        .bind(e.reason.as_str())
        .bind(&e.detail)
        .bind(&e.request_id)
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
