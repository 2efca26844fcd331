//! Care units ("enheter"): create, edit, deactivate and reactivate. A
//! unit belongs to a principal and is invoiced under one of that
//! principal's customer numbers; a deactivated unit gets no new users.

use super::{authorize, json, not_found, record_and_commit, text, Caller, Change};
use crate::error::{AppError, Result};
use crate::App;
use ramp_domain::admin::AdminEntity;
use ramp_domain::ids::HsaId;
use ramp_domain::unit::UnitKind;
use ramp_domain::Term;
use ramp_model::{AdminWork, Id, UnitFields, UnitRecord};

/// A unit as created or edited (the principal and HSA id are read at
/// creation only).
#[derive(Debug, Clone, Default)]
pub struct UnitInput {
    pub principal_id: Id,
    pub hsa_id: String,
    pub name: String,
    /// A unit kind, e.g. `primary_care`.
    pub kind: String,
    pub customer_number_id: Id,
}

/// Every unit, of one principal when given.
pub async fn list_units(app: &App, caller: Caller<'_>, principal_id: Option<Id>) -> Result<Vec<UnitRecord>> {
    authorize(app, caller, AdminEntity::Unit, "list", None).await?;
    Ok(app.storage.unit_records(principal_id).await?)
}

/// The fields, checked; the customer number must be the principal's.
async fn fields(work: &mut dyn AdminWork, principal_id: Id, input: &UnitInput) -> Result<UnitFields> {
    let name = text("name", &input.name, 200)?;
    let kind = UnitKind::parse(&input.kind)?;
    let number = work
        .customer_number(input.customer_number_id)
        .await?
        .ok_or_else(|| not_found("customer_number_id", "customer_number_not_found", "customer number"))?;
    if number.principal_id != principal_id {
        return Err(AppError::invalid(
            "customer_number_id",
            "customer_number_of_other_principal",
            "the customer number belongs to another principal",
        ));
    }
    Ok(UnitFields { name, kind: kind.as_str().to_string(), customer_number_id: number.id })
}

pub async fn create_unit(app: &App, caller: Caller<'_>, input: &UnitInput) -> Result<Id> {
    authorize(app, caller, AdminEntity::Unit, "create", None).await?;
    let hsa_id = HsaId::parse(&input.hsa_id)?;
    let mut work = app.storage.admin_work().await?;
    work.principal(input.principal_id)
        .await?
        .ok_or_else(|| not_found("principal_id", "principal_not_found", "principal"))?;
    let f = fields(work.as_mut(), input.principal_id, input).await?;
    let id = work.insert_unit(input.principal_id, hsa_id.as_str(), &f).await.map_err(|e| {
        if e.is_conflict_on("units_hsa_id_key", "units.hsa_id") {
            AppError::invalid("hsa_id", "hsa_id_taken", "a unit with this HSA id exists")
        } else {
            e.into()
        }
    })?;
    let after = work.unit(id).await?;
    let change =
        Change { entity: AdminEntity::Unit, entity_id: id, action: "create", before: None, after: json(&after) };
    record_and_commit(app, work, Some(caller), change).await?;
    Ok(id)
}

/// Changes a unit's name, kind and customer number.
pub async fn edit_unit(app: &App, caller: Caller<'_>, id: Id, input: &UnitInput) -> Result<()> {
    authorize(app, caller, AdminEntity::Unit, "edit", Some(id)).await?;
    let mut work = app.storage.admin_work().await?;
    let before = work.unit(id).await?.ok_or_else(|| not_found("id", "unit_not_found", "unit"))?;
    let f = fields(work.as_mut(), before.principal_id, input).await?;
    work.update_unit(id, &f).await?;
    let after = work.unit(id).await?;
    let change =
        Change { entity: AdminEntity::Unit, entity_id: id, action: "edit", before: json(&before), after: json(&after) };
    record_and_commit(app, work, Some(caller), change).await
}

async fn set_active(app: &App, caller: Caller<'_>, id: Id, active: bool) -> Result<()> {
    let action = if active { "reactivate" } else { "deactivate" };
    authorize(app, caller, AdminEntity::Unit, action, Some(id)).await?;
    let mut work = app.storage.admin_work().await?;
    let before = work.unit(id).await?.ok_or_else(|| not_found("id", "unit_not_found", "unit"))?;
    if !work.set_unit_active(id, active).await? {
        return Ok(()); // already so: nothing changed, nothing to record
    }
    let after = work.unit(id).await?;
    let change =
        Change { entity: AdminEntity::Unit, entity_id: id, action, before: json(&before), after: json(&after) };
    record_and_commit(app, work, Some(caller), change).await
}

pub async fn deactivate_unit(app: &App, caller: Caller<'_>, id: Id) -> Result<()> {
    set_active(app, caller, id, false).await
}

pub async fn reactivate_unit(app: &App, caller: Caller<'_>, id: Id) -> Result<()> {
    set_active(app, caller, id, true).await
}
