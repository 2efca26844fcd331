//! Principals ("huvudmän": the region and its municipalities) and the
//! customer numbers each is invoiced under.

use super::{authorize, json, not_found, record_and_commit, text, Caller, Change};
use crate::error::{AppError, Result};
use crate::App;
use ramp_domain::admin::AdminEntity;
use ramp_model::{CustomerNumber, Id, NewPrincipal, Principal, StorageError};
use serde::Serialize;

/// A principal with its customer numbers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrincipalWithNumbers {
    pub principal: Principal,
    pub customer_numbers: Vec<CustomerNumber>,
}

/// A principal to create: a region (any short code) or a municipality
/// (its four-digit municipality code, e.g. `0186`).
#[derive(Debug, Clone, Default)]
pub struct PrincipalInput {
    pub code: String,
    pub name: String,
    /// `region` or `municipality`.
    pub kind: String,
}

/// Every principal with its customer numbers.
pub async fn list_principals(app: &App, caller: Caller<'_>) -> Result<Vec<PrincipalWithNumbers>> {
    authorize(app, caller, AdminEntity::Principal, "list", None).await?;
    list(app).await
}

/// Every principal with its customer numbers (the caller is authorized).
pub(crate) async fn list(app: &App) -> Result<Vec<PrincipalWithNumbers>> {
    let numbers = app.storage.customer_numbers().await?;
    Ok(app
        .storage
        .principals()
        .await?
        .into_iter()
        .map(|p| {
            let customer_numbers = numbers.iter().filter(|c| c.principal_id == p.id).cloned().collect();
            PrincipalWithNumbers { principal: p, customer_numbers }
        })
        .collect())
}

/// A principal's code and municipality code, checked against its kind.
pub(crate) fn parse_principal(input: &PrincipalInput) -> Result<NewPrincipal> {
    let code = text("code", &input.code, 20)?;
    let name = text("name", &input.name, 200)?;
    let municipality_code = match input.kind.as_str() {
        "region" => {
            if !code.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-') {
                return Err(AppError::invalid("code", "invalid_code", "a region's code is a–z, 0–9, '_' or '-'"));
            }
            None
        }
        "municipality" => {
            if code.len() != 4 || !code.bytes().all(|b| b.is_ascii_digit()) {
                return Err(AppError::invalid(
                    "code",
                    "invalid_municipality_code",
                    "a municipality's code is its four-digit municipality code, e.g. 0186",
                ));
            }
            Some(code.clone())
        }
        other => {
            return Err(AppError::invalid(
                "kind",
                "invalid_principal_kind",
                format!("unknown kind '{other}' (expected region or municipality)"),
            ))
        }
    };
    Ok(NewPrincipal { code, name, kind: input.kind.clone(), municipality_code })
}

fn code_taken(e: StorageError) -> AppError {
    if e.is_conflict_on("principals_code_key", "principals.code") {
        AppError::invalid("code", "code_taken", "a principal with this code exists")
    } else {
        e.into()
    }
}

pub async fn create_principal(app: &App, caller: Caller<'_>, input: &PrincipalInput) -> Result<Id> {
    authorize(app, caller, AdminEntity::Principal, "create", None).await?;
    let new = parse_principal(input)?;
    let mut work = app.storage.admin_work().await?;
    let id = work.insert_principal(&new).await.map_err(code_taken)?;
    let after = work.principal(id).await?;
    let change =
        Change { entity: AdminEntity::Principal, entity_id: id, action: "create", before: None, after: json(&after) };
    record_and_commit(app, work, Some(caller), change).await?;
    Ok(id)
}

/// Renames a principal (its code and kind stay).
pub async fn edit_principal(app: &App, caller: Caller<'_>, id: Id, name: &str) -> Result<()> {
    authorize(app, caller, AdminEntity::Principal, "edit", Some(id)).await?;
    let name = text("name", name, 200)?;
    let mut work = app.storage.admin_work().await?;
    let before = work.principal(id).await?.ok_or_else(|| not_found("id", "principal_not_found", "principal"))?;
    work.update_principal(id, &name, before.municipality_code.as_deref()).await?;
    let after = work.principal(id).await?;
    let change = Change {
        entity: AdminEntity::Principal,
        entity_id: id,
        action: "edit",
        before: json(&before),
        after: json(&after),
    };
    record_and_commit(app, work, Some(caller), change).await
}

/// Records the day a municipality's agreement on basic equipment began, or
/// with `None` that it has none (it ended). Surplus basic equipment is sold
/// only to municipalities that have one (seed 003). In the change log.
pub async fn set_basic_equipment_agreement(
    app: &App,
    caller: Caller<'_>,
    id: Id,
    since: Option<chrono::NaiveDate>,
) -> Result<()> {
    authorize(app, caller, AdminEntity::Principal, "edit", Some(id)).await?;
    let mut work = app.storage.admin_work().await?;
    let before = work.principal(id).await?.ok_or_else(|| not_found("id", "principal_not_found", "principal"))?;
    if before.kind != "municipality" {
        return Err(AppError::invalid(
            "basic_equipment_since",
            "not_a_municipality",
            "an agreement on basic equipment is a municipality's",
        ));
    }
    work.set_basic_equipment_since(id, since).await?;
    let after = work.principal(id).await?;
    let change = Change {
        entity: AdminEntity::Principal,
        entity_id: id,
        action: "basic_equipment_agreement",
        before: json(&before),
        after: json(&after),
    };
    record_and_commit(app, work, Some(caller), change).await
}

fn number(value: &str) -> Result<String> {
    let n = text("number", value, 20)?;
    if !n.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        return Err(AppError::invalid(
            "number",
            "invalid_customer_number",
            "a customer number is letters, digits or '-'",
        ));
    }
    Ok(n)
}

/// Adds a customer number to a principal.
pub async fn add_customer_number(
    app: &App,
    caller: Caller<'_>,
    principal_id: Id,
    customer_number: &str,
    name: &str,
) -> Result<Id> {
    authorize(app, caller, AdminEntity::CustomerNumber, "create", None).await?;
    let customer_number = number(customer_number)?;
    let name = text("name", name, 200)?;
    let mut work = app.storage.admin_work().await?;
    work.principal(principal_id).await?.ok_or_else(|| not_found("principal_id", "principal_not_found", "principal"))?;
    let id = work.insert_customer_number(principal_id, &customer_number, &name).await.map_err(|e| {
        if e.is_conflict_on("customer_numbers_number_key", "customer_numbers.number") {
            AppError::invalid("number", "customer_number_taken", "this customer number exists")
        } else {
            e.into()
        }
    })?;
    let after = work.customer_number(id).await?;
    let change = Change {
        entity: AdminEntity::CustomerNumber,
        entity_id: id,
        action: "create",
        before: None,
        after: json(&after),
    };
    record_and_commit(app, work, Some(caller), change).await?;
    Ok(id)
}

/// Renames a customer number (the number itself stays: invoices name it).
pub async fn edit_customer_number(app: &App, caller: Caller<'_>, id: Id, name: &str) -> Result<()> {
    authorize(app, caller, AdminEntity::CustomerNumber, "edit", Some(id)).await?;
    let name = text("name", name, 200)?;
    let mut work = app.storage.admin_work().await?;
    let before = work
        .customer_number(id)
        .await?
        .ok_or_else(|| not_found("id", "customer_number_not_found", "customer number"))?;
    work.update_customer_number(id, &name).await?;
    let after = work.customer_number(id).await?;
    let change = Change {
        entity: AdminEntity::CustomerNumber,
        entity_id: id,
        action: "edit",
        before: json(&before),
        after: json(&after),
    };
    record_and_commit(app, work, Some(caller), change).await
}
