//! The workshop's vocabulary: what a work order is for and where it stands.

use crate::Term;
use serde::{Deserialize, Serialize};
use strum::{IntoStaticStr, VariantArray};

/// What a work order is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[derive(IntoStaticStr, VariantArray, strum::Display)]
#[strum(serialize_all = "snake_case")]
pub enum WorkOrderKind {
    /// A fault was reported, or found at the return inspection.
    Repair,
    /// Preventive maintenance ("förebyggande underhåll").
    Maintenance,
    /// Reconditioning after a return; done, the device is back in stock.
    Reconditioning,
    /// A special adaptation: documented, then signed by the prescriber.
    SpecialAdaptation,
    /// A device a safety notice concerns.
    Recall,
    /// Consultation work on a device.
    Consultation,
}

impl Term for WorkOrderKind {
    const FIELD: &'static str = "kind";
    const CODE: &'static str = "invalid_kind";
}

/// Where a work order stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[derive(IntoStaticStr, VariantArray, strum::Display)]
#[strum(serialize_all = "snake_case")]
pub enum WorkOrderStatus {
    /// In the queue.
    Open,
    /// Taken by a technician or consultant.
    InProgress,
    Done,
    Cancelled,
}

impl Term for WorkOrderStatus {
    const FIELD: &'static str = "status";
    const CODE: &'static str = "invalid_status";
}

impl WorkOrderStatus {
    /// Open or in progress: still in the queue.
    pub fn is_active(self) -> bool {
        matches!(self, WorkOrderStatus::Open | WorkOrderStatus::InProgress)
    }
}
