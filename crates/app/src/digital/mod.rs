//! Digital assistive devices (issue 21, M10): which lent devices report,
//! their credentials, measurements in over HTTP and MQTT, the patient's
//! thresholds, and alarms routed to the responsible unit, acknowledged,
//! closed and escalated when nobody acknowledges them in time.
//!
//! The rules are in `ramp_domain::measurement` (what a valid report is)
//! and `ramp_domain::alarm` (what alarms, when to escalate). A device is
//! identified by its secret (HTTP) or by the broker's authenticated
//! username (MQTT); a device not lent to a patient now cannot report. The
//! patient's identity never appears in a device's messages or in logs: a
//! device knows only its own number.

mod alarms;
mod devices;
mod group_commit;
mod ingest;
mod models;
pub mod mqtt;
mod mqtt_passwords;
mod stats;
mod thresholds;

pub use alarms::*;
pub use devices::*;
pub use group_commit::GroupCommit;
pub use ingest::*;
pub use models::*;
pub use mqtt_passwords::*;
pub use stats::*;
pub use thresholds::*;

use crate::error::{AppError, Result};
use ramp_domain::role::Role;
use ramp_model::User;

/// Whose devices and alarms `user` may list: every unit's (`None`) for
/// the centre's staff, their own unit's for care staff with a unit.
pub(crate) fn unit_scope(user: &User) -> Result<Option<ramp_model::Id>> {
    if user.is_hmc() || user.has_role(Role::Admin) {
        return Ok(None);
    }
    user.unit_id.map(Some).ok_or_else(|| {
        AppError::forbidden("unit_required", "digital devices and their alarms are listed per unit; you belong to none")
    })
}
