//! [`crate::AuditStore`] for [`SqlStorage`], both engines: the audit-log
//! review. A search pages newest first by (occurred_at, id) with a
//! row-value comparison (`(a.occurred_at, a.id) < ($t, $id)`), which both
//! engines walk in the indexes of migration 0015; the names are joined to
//! the page only, after its LIMIT. The legal ground is written into the
//! SQL as a literal (a closed vocabulary, never user text) so PostgreSQL
//! plans a rare ground (emergency access) on its own index even with a
//! generic plan.

use super::audit::{bind_audit, INSERT_AUDIT};
use super::rows::{all, unit_from};
use crate::db::{self, Row};
use crate::sql::{stored, SqlStorage};
use crate::*;
use async_trait::async_trait;
use ramp_domain::audit::AuditOutcome;
use ramp_domain::ids::PersonalId;
use ramp_domain::Term;

const RECORD_COLUMNS: &str = "a.id, a.occurred_at, a.user_id, a.patient_id, a.action, a.reason, a.detail, \
    a.request_id, a.unit_id, u.username, u.display_name, n.name AS unit_name, \
    p.personal_id, p.given_name, p.family_name";

const EMERGENCY_COLUMNS: &str = "e.id, e.user_id, e.patient_id, e.category, e.reason, e.granted_at, e.expires_at, \
    u.username, u.display_name, n.name AS unit_name, p.personal_id, p.given_name, p.family_name, \
    r.reviewed_by, r.reviewed_at, r.verdict, r.comment, ru.display_name AS reviewer_name, \
    (SELECT COUNT(*) FROM audit_log l WHERE l.user_id = e.user_id AND l.occurred_at >= e.granted_at \
       AND l.occurred_at <= e.expires_at AND l.patient_id = e.patient_id AND l.reason = 'emergency_access' \
       AND l.action <> 'patient.emergency_access_declared') AS uses";

/// What an emergency access `e` is joined with for its record.
const EMERGENCY_JOINS: &str = "JOIN users u ON u.id = e.user_id \
    LEFT JOIN units n ON n.id = u.unit_id JOIN patients p ON p.id = e.patient_id \
    LEFT JOIN emergency_access_reviews r ON r.emergency_access_id = e.id \
    LEFT JOIN users ru ON ru.id = r.reviewed_by";

/// The SQL of a search: the page (filters, keyset, LIMIT) in a subquery,
/// then the names of its rows.
fn search_sql<'q>(q: &'q AuditQuery) -> db::QueryBuilder<'q> {
    let mut b = db::QueryBuilder::new(format!("SELECT {RECORD_COLUMNS} FROM (SELECT * FROM audit_log a WHERE TRUE"));
    if let Some(id) = q.patient_id {
        b.push(" AND a.patient_id = ").push_bind(id);
    }
    if let Some(id) = q.user_id {
        b.push(" AND a.user_id = ").push_bind(id);
    }
    if let Some(id) = q.unit_id {
        b.push(" AND a.unit_id = ").push_bind(id);
    }
    if let Some(from) = q.from {
        b.push(" AND a.occurred_at >= ").push_bind(from);
    }
    if let Some(until) = q.until {
        b.push(" AND a.occurred_at < ").push_bind(until);
    }
    if let Some(reason) = q.reason {
        b.push(format!(" AND a.reason = '{}'", reason.as_str()));
    }
    match q.outcome {
        Some(AuditOutcome::Refused) => b.push(" AND a.action LIKE '%.refused'"),
        Some(AuditOutcome::Granted) => b.push(" AND a.action NOT LIKE '%.refused'"),
        None => &mut b,
    };
    if let Some(k) = q.after {
        b.push(" AND (a.occurred_at, a.id) < (").push_bind(k.at).push(", ").push_bind(k.id).push(")");
    }
    b.push(" ORDER BY a.occurred_at DESC, a.id DESC LIMIT ").push_bind(q.limit);
    b.push(
        ") a JOIN users u ON u.id = a.user_id LEFT JOIN units n ON n.id = a.unit_id \
         LEFT JOIN patients p ON p.id = a.patient_id ORDER BY a.occurred_at DESC, a.id DESC",
    );
    b
}

fn patient_name(r: &Row) -> Result<Option<PatientName>> {
    let Some(pid) = r.try_get::<Option<String>, _>("personal_id")? else { return Ok(None) };
    Ok(Some(PatientName {
        personal_id: PersonalId::from_canonical(&pid).map_err(StorageError::corrupt)?,
        given_name: r.try_get("given_name")?,
        family_name: r.try_get("family_name")?,
    }))
}

fn record_from(r: &Row) -> Result<AuditRecord> {
    Ok(AuditRecord {
        entry: AuditEntry {
            id: r.try_get("id")?,
            occurred_at: r.try_get("occurred_at")?,
            user_id: r.try_get("user_id")?,
            patient_id: r.try_get("patient_id")?,
            action: r.try_get("action")?,
            reason: AccessReason::parse(&r.try_get::<String, _>("reason")?),
            detail: r.try_get("detail")?,
            request_id: r.try_get("request_id")?,
        },
        unit_id: r.try_get("unit_id")?,
        username: r.try_get("username")?,
        user_name: r.try_get("display_name")?,
        unit_name: r.try_get("unit_name")?,
        patient: patient_name(r)?,
    })
}

fn emergency_from(r: &Row) -> Result<EmergencyAccessRecord> {
    let review = match r.try_get::<Option<Id>, _>("reviewed_by")? {
        Some(reviewed_by) => Some(EmergencyReview {
            reviewed_by,
            reviewer_name: r.try_get("reviewer_name")?,
            reviewed_at: r.try_get("reviewed_at")?,
            verdict: stored(r, "verdict")?,
            comment: r.try_get("comment")?,
        }),
        None => None,
    };
    Ok(EmergencyAccessRecord {
        id: r.try_get("id")?,
        user_id: r.try_get("user_id")?,
        username: r.try_get("username")?,
        user_name: r.try_get("display_name")?,
        unit_name: r.try_get("unit_name")?,
        patient_id: r.try_get("patient_id")?,
        patient: patient_name(r)?.ok_or_else(|| StorageError::corrupt("emergency access without a patient"))?,
        category: stored(r, "category")?,
        reason: r.try_get("reason")?,
        granted_at: r.try_get("granted_at")?,
        expires_at: r.try_get("expires_at")?,
        uses: r.try_get("uses")?,
        review,
    })
}

#[async_trait]
impl AuditStore for SqlStorage {
    async fn search_audit(&self, q: &AuditQuery) -> Result<Vec<AuditRecord>> {
        let mut b = search_sql(q);
        all(&b.build().fetch_all(&self.pool).await?, record_from)
    }

    async fn emergency_access_review(&self, q: &EmergencyQuery) -> Result<Vec<EmergencyAccessRecord>> {
        let mut b = db::QueryBuilder::new(format!(
            "SELECT {EMERGENCY_COLUMNS} FROM (SELECT * FROM emergency_accesses e WHERE TRUE"
        ));
        if q.unreviewed_only {
            b.push(" AND NOT EXISTS (SELECT 1 FROM emergency_access_reviews r WHERE r.emergency_access_id = e.id)");
        }
        if let Some(k) = q.after {
            b.push(" AND (e.granted_at, e.id) < (").push_bind(k.at).push(", ").push_bind(k.id).push(")");
        }
        b.push(" ORDER BY e.granted_at DESC, e.id DESC LIMIT ").push_bind(q.limit);
        b.push(format!(") e {EMERGENCY_JOINS} ORDER BY e.granted_at DESC, e.id DESC"));
        all(&b.build().fetch_all(&self.pool).await?, emergency_from)
    }

    async fn emergency_access(&self, id: Id) -> Result<Option<EmergencyAccessRecord>> {
        db::query(format!("SELECT {EMERGENCY_COLUMNS} FROM emergency_accesses e {EMERGENCY_JOINS} WHERE e.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(emergency_from)
            .transpose()
    }

    async fn review_emergency_access(&self, review: &NewEmergencyReview, audit: &NewAuditEntry) -> Result<bool> {
        let mut tx = self.dialect.begin().await?;
        let written = db::query(
            "INSERT INTO emergency_access_reviews (emergency_access_id, reviewed_by, reviewed_at, verdict, comment) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (emergency_access_id) DO NOTHING",
        )
        .bind(review.emergency_access_id)
        .bind(review.reviewed_by)
        .bind(review.reviewed_at)
        .bind(review.verdict.as_str())
        .bind(&review.comment)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if written == 0 {
            return Ok(false);
        }
        bind_audit(db::query(INSERT_AUDIT), audit).fetch_one(&mut *tx).await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn audit_units(&self) -> Result<Vec<Unit>> {
        let rows =
            db::query("SELECT id, principal_id, hsa_id, name, kind, customer_number_id FROM units ORDER BY name, id")
                .fetch_all(&self.pool)
                .await?;
        all(&rows, unit_from)
    }
}
