//! [`crate::SecurityStore`] for [`SqlStorage`], both engines: failed-login
//! counts (`login_throttle`, migration 0013), emergency accesses with their
//! category, API tokens listed and revoked.

use crate::db;
use crate::sql::SqlStorage;
use crate::*;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use ramp_domain::Term;

#[async_trait]
impl SecurityStore for SqlStorage {
    async fn login_failures(&self, subject: &str) -> Result<Option<LoginFailures>> {
        db::query("SELECT failures, last_failure_at FROM login_throttle WHERE subject = $1")
            .bind(subject)
            .fetch_optional(&self.pool)
            .await?
            .map(|r| {
                Ok(LoginFailures {
                    failures: i64::from(r.try_get::<i32, _>("failures")?),
                    last_failure_at: r.try_get("last_failure_at")?,
                })
            })
            .transpose()
    }

    async fn record_login_failure(
        &self,
        subject: &str,
        at: DateTime<Utc>,
        forget_before: DateTime<Utc>,
    ) -> Result<i64> {
        let mut tx = self.dialect.begin().await?;
        db::query("DELETE FROM login_throttle WHERE last_failure_at < $1 AND subject <> $2")
            .bind(forget_before)
            .bind(subject)
            .execute(&mut *tx)
            .await?;
        let failures: i32 = db::query(
            "INSERT INTO login_throttle (subject, failures, last_failure_at) VALUES ($1, 1, $2) \
             ON CONFLICT (subject) DO UPDATE SET \
             failures = CASE WHEN login_throttle.last_failure_at < $3 THEN 1 ELSE login_throttle.failures + 1 END, \
             last_failure_at = excluded.last_failure_at \
             RETURNING failures",
        )
        .bind(subject)
        .bind(at)
        .bind(forget_before)
        .fetch_one(&mut *tx)
        .await?
        .try_get("failures")?;
        tx.commit().await?;
        Ok(i64::from(failures))
    }

    async fn clear_login_failures(&self, subject: &str) -> Result<()> {
        let _turn = self.dialect.write_turn().await;
        db::query("DELETE FROM login_throttle WHERE subject = $1").bind(subject).execute(&self.pool).await?;
        Ok(())
    }

    async fn grant_emergency_access(&self, e: &NewEmergencyAccess) -> Result<Id> {
        let _turn = self.dialect.write_turn().await;
        db::query(
            "INSERT INTO emergency_accesses (user_id, patient_id, category, reason, granted_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(e.user_id)
        .bind(e.patient_id)
        .bind(e.category.as_str())
        .bind(&e.reason)
        .bind(e.at)
        .bind(e.expires)
        .fetch_one(&self.pool)
        .await?
        .try_get("id")
    }

    async fn emergency_access_until(
        &self,
        user_id: Id,
        patient_id: Id,
        now: DateTime<Utc>,
    ) -> Result<Option<DateTime<Utc>>> {
        let row = db::query(
            "SELECT expires_at FROM emergency_accesses \
             WHERE user_id = $1 AND patient_id = $2 AND granted_at <= $3 AND expires_at > $3 \
             ORDER BY expires_at DESC LIMIT 1",
        )
        .bind(user_id)
        .bind(patient_id)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| r.try_get("expires_at")).transpose()
    }

    async fn api_tokens_of_user(&self, user_id: Id) -> Result<Vec<ApiTokenRow>> {
        db::query(
            "SELECT id, user_id, name, created_at, revoked_at FROM api_tokens WHERE user_id = $1 \
             ORDER BY created_at DESC, id DESC",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(ApiTokenRow {
                id: r.try_get("id")?,
                user_id: r.try_get("user_id")?,
                name: r.try_get("name")?,
                created_at: r.try_get("created_at")?,
                revoked_at: r.try_get("revoked_at")?,
            })
        })
        .collect()
    }

    async fn revoke_api_token(&self, id: Id, owner: Option<Id>, at: DateTime<Utc>) -> Result<Option<String>> {
        let _turn = self.dialect.write_turn().await;
        let row = db::query(
            "UPDATE api_tokens SET revoked_at = $3 \
             WHERE id = $1 AND ($2 IS NULL OR user_id = $2) AND revoked_at IS NULL RETURNING token_hash",
        )
        .bind(id)
        .bind(owner)
        .bind(at)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| r.try_get("token_hash")).transpose()
    }

    async fn revoke_api_token_by_hash(&self, token_hash: &str, at: DateTime<Utc>) -> Result<bool> {
        let _turn = self.dialect.write_turn().await;
        let done = db::query("UPDATE api_tokens SET revoked_at = $2 WHERE token_hash = $1 AND revoked_at IS NULL")
            .bind(token_hash)
            .bind(at)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }
}
