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
use ramp_model::{AdminWork, Id, UnitAddress, UnitFields, UnitRecord};

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
    /// The delivery route; `None` keeps what the unit has (empty text removes it).
    pub delivery_route: Option<String>,
    /// Street, postal code and city, all or none; `None` keeps the unit's address.
    pub address: Option<AddressInput>,
}

/// A delivery address as typed: all three empty removes it.
#[derive(Debug, Clone, Default)]
pub struct AddressInput {
    pub street: String,
    pub postal_code: String,
    pub city: String,
}

/// Every unit, of one principal when given.
pub async fn list_units(app: &App, caller: Caller<'_>, principal_id: Option<Id>) -> Result<Vec<UnitRecord>> {
    authorize(app, caller, AdminEntity::Unit, "list", None).await?;
    Ok(app.storage.unit_records(principal_id).await?)
}

/// The fields, checked; the customer number must be the principal's.
/// Route and address not given keep `before`'s.
async fn fields(
    work: &mut dyn AdminWork,
    principal_id: Id,
    input: &UnitInput,
    before: Option<&UnitRecord>,
) -> Result<UnitFields> {
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
    let delivery_route = match &input.delivery_route {
        None => before.and_then(|b| b.delivery_route.clone()),
        Some(r) if r.trim().is_empty() => None,
        Some(r) => Some(text("delivery_route", r, 100)?),
    };
    let address = match &input.address {
        None => before.and_then(|b| b.address.clone()),
        Some(a) => address(a)?,
    };
    Ok(UnitFields { name, kind: kind.as_str().to_string(), customer_number_id: number.id, delivery_route, address })
}

/// A delivery address: all three parts or none; a Swedish postal code
/// (five digits) is kept as `NNN NN`, as the post prints it.
fn address(a: &AddressInput) -> Result<Option<UnitAddress>> {
    let parts = [a.street.trim(), a.postal_code.trim(), a.city.trim()];
    if parts.iter().all(|p| p.is_empty()) {
        return Ok(None);
    }
    let street = text("street", &a.street, 200)?;
    let digits: String = a.postal_code.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.len() != 5 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AppError::invalid("postal_code", "invalid_postal_code", "a postal code has five digits"));
    }
    let city = text("city", &a.city, 100)?;
    let postal_code = format!("{} {}", &digits[..3], &digits[3..]);
    Ok(Some(UnitAddress { unit_id: 0, street, postal_code, city }))
}

pub async fn create_unit(app: &App, caller: Caller<'_>, input: &UnitInput) -> Result<Id> {
    authorize(app, caller, AdminEntity::Unit, "create", None).await?;
    let hsa_id = HsaId::parse(&input.hsa_id)?;
    let mut work = app.storage.admin_work().await?;
    work.principal(input.principal_id)
        .await?
        .ok_or_else(|| not_found("principal_id", "principal_not_found", "principal"))?;
    let f = fields(work.as_mut(), input.principal_id, input, None).await?;
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
    let f = fields(work.as_mut(), before.principal_id, input, Some(&before)).await?;
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
