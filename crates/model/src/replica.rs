//! The state of a streaming read replica (PostgreSQL), as the storage last
//! found it.

use serde::Serialize;

/// What the last check of the read replica found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReplicaStatus {
    /// The replica answered.
    pub reachable: bool,
    /// It is a standby replaying the primary's WAL (`pg_is_in_recovery()`).
    pub in_recovery: bool,
    /// How far behind the primary, in seconds: 0 when it has replayed all
    /// the WAL the primary had written at the check, else the age of the
    /// last transaction it replayed. `None` when not known (unreachable).
    pub lag_seconds: Option<f64>,
    /// The most lag the follow-up reports accept from it.
    pub max_lag_seconds: f64,
    /// Reports are read from the replica now (reachable, a standby, not
    /// too far behind); otherwise they are read from the primary.
    pub serving: bool,
}
