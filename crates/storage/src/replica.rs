//! A streaming read replica for the follow-up reports (PostgreSQL).
//!
//! Why: the figures read whole years of deliveries, answers and loans;
//! at national scale they are the heaviest reads Ramp makes, and none of
//! them needs the last second's writes. A hot standby fed by streaming
//! replication can serve them and leave the primary to the orders.
//!
//! The rule: the reports read from the replica while it answers, is a
//! standby and is no further behind the primary than the configured
//! bound; otherwise from the primary. The storage decides at each check
//! ([`ReadReplica::check`], run every few seconds by `ramp serve` and by
//! `/readyz`), not per statement, so one report reads one database. A
//! replica that dies between two checks fails the reports (503) until the
//! next check moves them to the primary.
//!
//! Lag: 0 when the replica has replayed all the WAL the primary had
//! inserted when the check began (the insert position, not the write
//! position: with `synchronous_commit = off` a commit can sit in the WAL
//! buffers for a while); otherwise the age of the last transaction
//! it replayed (`pg_last_xact_replay_timestamp`), which grows while replay
//! is stuck or paused and stays small while it keeps up.

use crate::db::{self, Pool};
use crate::ReplicaStatus;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// The replica's pool and what its last check decided.
pub struct ReadReplica {
    pool: Pool,
    max_lag: Duration,
    serving: AtomicBool,
    last: Mutex<Option<ReplicaStatus>>,
}

impl ReadReplica {
    /// A replica on `pool` that may be at most `max_lag` behind; not
    /// serving until its first check.
    pub fn new(pool: Pool, max_lag: Duration) -> Self {
        ReadReplica { pool, max_lag, serving: AtomicBool::new(false), last: Mutex::new(None) }
    }

    /// The replica's pool if the last check let it serve.
    pub fn serving_pool(&self) -> Option<&Pool> {
        self.serving.load(Ordering::Acquire).then_some(&self.pool)
    }

    /// What the last check found (`None` before the first).
    pub fn last_status(&self) -> Option<ReplicaStatus> {
        self.last.lock().expect("replica status lock").clone()
    }

    /// Checks the replica against `primary` and decides whether the
    /// reports read from it until the next check.
    pub async fn check(&self, primary: &Pool) -> ReplicaStatus {
        let max_lag_seconds = self.max_lag.as_secs_f64();
        let status = match self.measure(primary).await {
            Ok((in_recovery, lag)) => ReplicaStatus {
                reachable: true,
                in_recovery,
                lag_seconds: Some(lag),
                max_lag_seconds,
                serving: in_recovery && lag <= max_lag_seconds,
            },
            Err(e) => {
                tracing::warn!(error = %e, "the read replica does not answer; reports are read from the primary");
                ReplicaStatus {
                    reachable: false,
                    in_recovery: false,
                    lag_seconds: None,
                    max_lag_seconds,
                    serving: false,
                }
            }
        };
        let was = self.serving.swap(status.serving, Ordering::AcqRel);
        if was != status.serving {
            tracing::info!(serving = status.serving, lag_seconds = ?status.lag_seconds, "read replica state changed");
        }
        *self.last.lock().expect("replica status lock") = Some(status.clone());
        status
    }

    /// (is a standby, seconds behind) of the replica.
    async fn measure(&self, primary: &Pool) -> crate::Result<(bool, f64)> {
        let at: String =
            db::query("SELECT pg_current_wal_insert_lsn()::text AS lsn").fetch_one(primary).await?.try_get("lsn")?;
        let r = db::query(
            "SELECT pg_is_in_recovery() AS standby, \
             COALESCE(pg_wal_lsn_diff($1::pg_lsn, pg_last_wal_replay_lsn()), 0)::float8 AS behind, \
             COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)::float8 AS age",
        )
        .bind(at)
        .fetch_one(&self.pool)
        .await?;
        let standby: bool = r.try_get("standby")?;
        let behind: f64 = r.try_get("behind")?;
        let age: f64 = r.try_get("age")?;
        Ok((standby, if behind <= 0.0 { 0.0 } else { age.max(0.0) }))
    }
}
