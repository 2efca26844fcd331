//! Organisations: principals, units, warehouses (cached, nearly static).

use super::rows::*;
use crate::db;
use crate::sql::SqlStorage;
use crate::*;

pub(super) async fn principals(this: &SqlStorage) -> Result<Vec<Principal>> {
    let seen = match this.cache.get(|r| r.principals.clone()) {
        Ok(hit) => return Ok(hit),
        Err(seen) => seen,
    };
    let rows =
        db::query("SELECT id, code, name, kind, municipality_code, basic_equipment_since FROM principals ORDER BY id")
            .fetch_all(&this.pool)
            .await?;
    let rows = all(&rows, principal_from)?;
    this.cache.put(seen, |r| r.principals = Some(rows.clone()));
    Ok(rows)
}

pub(super) async fn principal_by_code(this: &SqlStorage, code: &str) -> Result<Option<Principal>> {
    db::query("SELECT id, code, name, kind, municipality_code, basic_equipment_since FROM principals WHERE code = $1")
        .bind(code)
        .fetch_optional(&this.pool)
        .await?
        .as_ref()
        .map(principal_from)
        .transpose()
}

pub(super) async fn unit(this: &SqlStorage, id: Id) -> Result<Option<Unit>> {
    let seen = match this.cache.get(|r| r.units.get(&id).cloned()) {
        Ok(hit) => return Ok(hit),
        Err(seen) => seen,
    };
    let unit = db::query("SELECT id, principal_id, hsa_id, name, kind, customer_number_id FROM units WHERE id = $1")
        .bind(id)
        .fetch_optional(&this.pool)
        .await?
        .as_ref()
        .map(unit_from)
        .transpose()?;
    this.cache.put(seen, |r| {
        r.units.insert(id, unit.clone());
    });
    Ok(unit)
}

/// The central warehouses first (where the centre's staff work), then the
/// units' buffer stores, each by name (issue 19: buffers came first).
pub(super) async fn warehouses(this: &SqlStorage) -> Result<Vec<Warehouse>> {
    all(
        &db::query(
            "SELECT id, code, name, kind, unit_id FROM warehouses \
             ORDER BY CASE kind WHEN 'central' THEN 0 ELSE 1 END, name",
        )
        .fetch_all(&this.pool)
        .await?,
        warehouse_from,
    )
}
