//! Whom a cart line or order is for, and whether the user may order for
//! them: a prescriber for a patient they have a care relationship with
//! (audited), an orderer for their own unit.
//!
//! The audit row of a patient's resolution is carried in the
//! [`Recipient`] rather than written at once: the use-case writes it in
//! its own transaction (cart item, order), or alone with
//! [`Recipient::write_audit`] when it ends without one (a refusal, a
//! preview). Either way every resolution that was granted is audited once.

use crate::access::{audit_unknown_patient, grant_deferred, not_yours, reason_from, write_audit};
use crate::error::{AppError, Result};
use crate::patients::parse_personal_id;
use crate::App;
use ramp_domain::order::OrderTarget;
use ramp_domain::role::Role;
use ramp_domain::setting::Setting;
use ramp_model::{Id, NewAuditEntry, Patient, Unit, User};

/// The resolved recipient of an order.
#[derive(Debug, Clone)]
pub(crate) struct Recipient {
    pub target: OrderTarget,
    pub patient: Option<Patient>,
    /// The patient's housing setting today, read with the patient (`None`:
    /// not recorded, or no patient).
    pub setting: Option<Setting>,
    /// The ordering unit: the prescriber's own, or the unit ordered for.
    pub unit: Unit,
    /// The audit row of reading the patient, not yet written.
    pub audit: Option<NewAuditEntry>,
}

impl Recipient {
    pub fn patient_id(&self) -> Option<Id> {
        self.patient.as_ref().map(|p| p.id)
    }

    /// The patient as the ordering steps show them, if this is a patient's.
    pub fn in_view(&self) -> Option<crate::patients::PatientInView> {
        let (p, audit) = (self.patient.as_ref()?, self.audit.as_ref()?);
        Some(crate::patients::PatientInView {
            name: format!("{} {}", p.given_name, p.family_name),
            personal_id: p.personal_id.clone(),
            setting: self.setting,
            ground: audit.reason,
        })
    }

    /// The recipient with its devices used at `place` (when given): the
    /// cost decision is made for the place of use, not where the patient
    /// lives. Only a patient has a place of use.
    pub fn at_place(mut self, place: Option<Setting>) -> Self {
        if self.patient.is_some() && place.is_some() {
            self.setting = place;
        }
        self
    }

    /// The unit an item is held for (unit and buffer orders only).
    pub fn held_unit_id(&self) -> Option<Id> {
        (self.target != OrderTarget::Patient).then_some(self.unit.id)
    }

    /// Writes the pending audit row on its own, for a use-case that ends
    /// without the transaction it would have gone into.
    pub async fn write_audit(&self, app: &App) -> Result<()> {
        match &self.audit {
            Some(entry) => write_audit(app, entry).await,
            None => Ok(()),
        }
    }

    /// `result`, after writing the pending audit row if it is an error.
    pub async fn audited_on_error<T>(&self, app: &App, result: Result<T>) -> Result<T> {
        if result.is_err() {
            self.write_audit(app).await?;
        }
        result
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
/// makes an audit row under `action`, left in `Recipient::audit` for the
/// caller to write (see the module documentation).
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
            let pnr = parse_personal_id(app, personal_id.unwrap_or_default())?;
            let found =
                app.storage.patient_for_ordering(&pnr, user.id, user.unit_id, app.today(), app.clock.now()).await?;
            let Some(found) = found else {
                audit_unknown_patient(app, user, action, request_id).await?;
                return Err(not_yours());
            };
            let reason = reason_from(user, found.care_relationship, found.emergency_access);
            let patient = found.patient;
            let audit = grant_deferred(app, user, patient.id, reason, action, request_id).await?;
            let unit = match own_unit(app, user).await {
                Ok(unit) => unit,
                Err(e) => {
                    write_audit(app, &audit).await?;
                    return Err(e);
                }
            };
            Ok(Recipient { target, patient: Some(patient), setting: found.setting, unit, audit: Some(audit) })
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
            Ok(Recipient { target, patient: None, setting: None, unit, audit: None })
        }
    }
}
