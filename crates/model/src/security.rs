//! The access-control side of the storage: failed-login counts for
//! throttling, declared emergency accesses (with their category, listed
//! for review), and API tokens as their owners see them. A supertrait of
//! [`crate::Storage`], implemented once for both engines by
//! `ramp_storage::SqlStorage` (`sql/security.rs`).

use crate::{Id, Result};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use ramp_domain::access::EmergencyCategory;
use serde::Serialize;

/// Failed logins in a row of one subject (`account:<name>` or `address:<ip>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginFailures {
    pub failures: i64,
    pub last_failure_at: DateTime<Utc>,
}

/// An emergency access to declare.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEmergencyAccess {
    pub user_id: Id,
    pub patient_id: Id,
    pub category: EmergencyCategory,
    pub reason: String,
    pub at: DateTime<Utc>,
    pub expires: DateTime<Utc>,
}

/// An API token as its owner sees it: never the secret, nor its hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiTokenRow {
    pub id: Id,
    pub user_id: Id,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

#[async_trait]
pub trait SecurityStore: Send + Sync {
    /// The subject's failures in a row, if any are recorded.
    async fn login_failures(&self, subject: &str) -> Result<Option<LoginFailures>>;
    /// Counts one more failure at `at` and returns the count; a count whose
    /// last failure is before `forget_before` starts afresh (and such stale
    /// rows of other subjects are removed).
    async fn record_login_failure(&self, subject: &str, at: DateTime<Utc>, forget_before: DateTime<Utc>)
        -> Result<i64>;
    /// Forgets the subject's failures (after a successful login).
    async fn clear_login_failures(&self, subject: &str) -> Result<()>;

    /// Declares an emergency access; returns its id.
    async fn grant_emergency_access(&self, e: &NewEmergencyAccess) -> Result<Id>;
    /// Until when `user_id` holds an emergency access to `patient_id` at `now`, if they do.
    async fn emergency_access_until(
        &self,
        user_id: Id,
        patient_id: Id,
        now: DateTime<Utc>,
    ) -> Result<Option<DateTime<Utc>>>;

    /// The user's API tokens, newest first, revoked ones included.
    async fn api_tokens_of_user(&self, user_id: Id) -> Result<Vec<ApiTokenRow>>;
    /// Revokes token `id` (only if `owner` holds it, when given) unless it
    /// is revoked already; returns the revoked token's hash, to forget it.
    async fn revoke_api_token(&self, id: Id, owner: Option<Id>, at: DateTime<Utc>) -> Result<Option<String>>;
    /// Revokes the token with this hash; whether a live one was revoked.
    async fn revoke_api_token_by_hash(&self, token_hash: &str, at: DateTime<Utc>) -> Result<bool>;
}
