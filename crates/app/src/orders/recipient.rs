//! Whom a cart line or order is for, and whether the user may order for
//! them: a prescriber for a patient they have a care relationship with
//! (audited), an orderer for their own unit.

use crate::access::authorize_patient_read;
use crate::error::{AppError, Result};
use crate::patients::find_patient;
use crate::App;
use ramp_domain::order::OrderTarget;
use ramp_domain::role::Role;
use ramp_storage::{Id, Patient, Unit, User};

/// The resolved recipient of an order.
#[derive(Debug, Clone)]
pub(crate) struct Recipient {
    pub target: OrderTarget,
    pub patient: Option<Patient>,
    /// The ordering unit: the prescriber's own, or the unit ordered for.
    pub unit: Unit,
}

impl Recipient {
    pub fn patient_id(&self) -> Option<Id> {
        self.patient.as_ref().map(|p| p.id)
    }

    /// The unit an item is held for (unit and buffer orders only).
    pub fn held_unit_id(&self) -> Option<Id> {
        (self.target != OrderTarget::Patient).then_some(self.unit.id)
    }
}

async fn own_unit(app: &App, user: &User) -> Result<Unit> {
    let id = user
        .unit_id
        .ok_or_else(|| AppError::forbidden("unit_required", "your account belongs to no unit, so you cannot order"))?;
    app.storage
        .unit(id)
        .await?
        .ok_or_else(|| AppError::forbidden("unit_required", "your account's unit does not exist"))
}

/// Resolves and authorizes the recipient. For a patient this is a read of
/// patient data: it needs a care relationship (or emergency access) and
/// writes an audit row under `action`.
pub(crate) async fn resolve(
    app: &App,
    user: &User,
    target: OrderTarget,
    personal_id: Option<&str>,
    unit_id: Option<Id>,
    action: &str,
    request_id: Option<&str>,
) -> Result<Recipient> {
    match target {
        OrderTarget::Patient => {
            if !user.has_role(Role::Prescriber) {
                return Err(AppError::forbidden("prescriber_role_required", "only prescribers order for patients"));
            }
            let pid = personal_id.unwrap_or_default();
            let patient = find_patient(app, pid).await?;
            authorize_patient_read(app, user, patient.id, action, request_id).await?;
            Ok(Recipient { target, patient: Some(patient), unit: own_unit(app, user).await? })
        }
        OrderTarget::Unit | OrderTarget::Buffer => {
            if !user.has_role(Role::UnitOrderer) {
                return Err(AppError::forbidden(
                    "orderer_role_required",
                    "basic equipment and buffer stock are ordered by the unit's orderer",
                ));
            }
            let unit = own_unit(app, user).await?;
            if unit_id.is_some_and(|u| u != unit.id) {
                return Err(AppError::forbidden("other_unit", "an orderer orders for their own unit only")
                    .with_field("unit_id"));
            }
            if target == OrderTarget::Buffer && app.storage.buffer_warehouse_of_unit(unit.id).await?.is_none() {
                return Err(AppError::invalid(
                    "target",
                    "no_buffer_store",
                    format!("{} has no buffer store", unit.name),
                ));
            }
            Ok(Recipient { target, patient: None, unit })
        }
    }
}
