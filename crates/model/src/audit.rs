//! The audit-log review's side of the storage: filtered, keyset-paged
//! reads of the audit log with the names a reviewer reads, the emergency
//! accesses with their uses and sign-offs, and the sign-off itself. A
//! supertrait of [`crate::Storage`], implemented once for both engines by
//! `ramp_storage::SqlStorage` (`sql/audit_review.rs`); the audit rows
//! themselves are written by [`crate::Storage::append_audit`].

use crate::{AccessReason, AuditEntry, Id, NewAuditEntry, Result, Unit};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use ramp_domain::access::EmergencyCategory;
use ramp_domain::audit::{AuditOutcome, Verdict};
use ramp_domain::ids::PersonalId;

/// A place in a list ordered newest first: the rows strictly older than
/// (`at`, `id`) come next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Keyset {
    pub at: DateTime<Utc>,
    pub id: Id,
}

/// What a review of the audit log asks for; every filter is optional and
/// they combine with AND. Newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditQuery {
    pub patient_id: Option<Id>,
    pub user_id: Option<Id>,
    /// The unit the user acted for when the row was written.
    pub unit_id: Option<Id>,
    /// From this instant, inclusive.
    pub from: Option<DateTime<Utc>>,
    /// Until this instant, exclusive.
    pub until: Option<DateTime<Utc>>,
    pub reason: Option<AccessReason>,
    pub outcome: Option<AuditOutcome>,
    /// Rows after this place in the list (the last row of the page before).
    pub after: Option<Keyset>,
    pub limit: i64,
}

/// A patient as the review names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatientName {
    pub personal_id: PersonalId,
    pub given_name: String,
    pub family_name: String,
}

/// An audit row with who, where and whom, for the review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    pub entry: AuditEntry,
    pub unit_id: Option<Id>,
    pub username: String,
    pub user_name: String,
    pub unit_name: Option<String>,
    pub patient: Option<PatientName>,
}

/// Which emergency accesses a review lists, newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EmergencyQuery {
    /// Only those nobody has signed off yet.
    pub unreviewed_only: bool,
    /// Accesses after this place (granted_at, id) in the list.
    pub after: Option<Keyset>,
    pub limit: i64,
}

/// A reviewer's sign-off of an emergency access.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmergencyReview {
    pub reviewed_by: Id,
    pub reviewer_name: String,
    pub reviewed_at: DateTime<Utc>,
    pub verdict: Verdict,
    pub comment: String,
}

/// A declared emergency access, with how often it was used and its sign-off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmergencyAccessRecord {
    pub id: Id,
    pub user_id: Id,
    pub username: String,
    pub user_name: String,
    pub unit_name: Option<String>,
    pub patient_id: Id,
    pub patient: PatientName,
    pub category: EmergencyCategory,
    pub reason: String,
    pub granted_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// Reads of the patient's data under it (its declaration not counted).
    pub uses: i64,
    pub review: Option<EmergencyReview>,
}

/// A sign-off to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEmergencyReview {
    pub emergency_access_id: Id,
    pub reviewed_by: Id,
    pub reviewed_at: DateTime<Utc>,
    pub verdict: Verdict,
    pub comment: String,
}

#[async_trait]
pub trait AuditStore: Send + Sync {
    /// Audit rows matching `q`, newest first, at most `q.limit`; each filter
    /// walks an index (migration 0015).
    async fn search_audit(&self, q: &AuditQuery) -> Result<Vec<AuditRecord>>;
    /// Emergency accesses, newest first, with their uses and sign-off.
    async fn emergency_access_review(&self, q: &EmergencyQuery) -> Result<Vec<EmergencyAccessRecord>>;
    async fn emergency_access(&self, id: Id) -> Result<Option<EmergencyAccessRecord>>;
    /// Records the sign-off and its audit row in one transaction. `false`
    /// (and nothing written) when the access was already signed off.
    async fn review_emergency_access(&self, review: &NewEmergencyReview, audit: &NewAuditEntry) -> Result<bool>;
    /// Every unit, by name, for the review's unit filter.
    async fn audit_units(&self) -> Result<Vec<Unit>>;
}
