//! Bulk loading with explicit ids (demo data, imports), each call one
//! transaction, in chunks the engine's bind limit allows.

use super::rows::*;
use crate::db::{write_rows, BulkRow};
use crate::sql::search_text;
use crate::sql::SqlStorage;
use crate::write_tx::WriteTx;
use crate::*;
use ramp_domain::Term;

pub(super) async fn insert_principals(this: &SqlStorage, rows: &[Principal]) -> Result<()> {
    let mut tx = this.dialect.begin().await?;
    insert_rows(
        &mut tx,
        this,
        "principals",
        &["id", "code", "name", "kind", "municipality_code", "basic_equipment_since"],
        rows,
        |b, r| {
            b.push(r.id).push(&r.code).push(&r.name).push(&r.kind).push(&r.municipality_code);
            b.push(r.basic_equipment_since);
        },
    )
    .await?;
    tx.commit().await?;
    this.cache.invalidate();
    Ok(())
}

pub(super) async fn insert_customer_numbers(this: &SqlStorage, rows: &[CustomerNumber]) -> Result<()> {
    let mut tx = this.dialect.begin().await?;
    insert_rows(&mut tx, this, "customer_numbers", &["id", "number", "principal_id", "name"], rows, |b, r| {
        b.push(r.id).push(&r.number).push(r.principal_id).push(&r.name);
    })
    .await?;
    tx.commit().await?;
    this.cache.invalidate();
    Ok(())
}

pub(super) async fn insert_units(this: &SqlStorage, rows: &[Unit]) -> Result<()> {
    let mut tx = this.dialect.begin().await?;
    insert_rows(
        &mut tx,
        this,
        "units",
        &["id", "principal_id", "hsa_id", "name", "kind", "customer_number_id"],
        rows,
        |b, r| {
            b.push(r.id).push(r.principal_id).push(&r.hsa_id).push(&r.name).push(&r.kind).push(r.customer_number_id);
        },
    )
    .await?;
    tx.commit().await?;
    this.cache.invalidate();
    Ok(())
}

pub(super) async fn insert_warehouses(this: &SqlStorage, rows: &[Warehouse]) -> Result<()> {
    let mut tx = this.dialect.begin().await?;
    insert_rows(&mut tx, this, "warehouses", &["id", "code", "name", "kind", "unit_id"], rows, |b, r| {
        b.push(r.id).push(&r.code).push(&r.name).push(&r.kind).push(r.unit_id);
    })
    .await?;
    tx.commit().await?;
    Ok(())
}

pub(super) async fn insert_users(this: &SqlStorage, rows: &[User]) -> Result<()> {
    let mut tx = this.dialect.begin().await?;
    insert_rows(
        &mut tx,
        this,
        "users",
        &[
            "id",
            "username",
            "display_name",
            "password_hash",
            "principal_id",
            "unit_id",
            "active",
            "created_at",
            "last_login_at",
            "hsa_id",
        ],
        rows,
        |b, r| {
            b.push(r.id)
                .push(&r.username)
                .push(&r.display_name)
                .push(&r.password_hash)
                .push(r.principal_id)
                .push(r.unit_id)
                .push(r.active)
                .push(r.created_at)
                .push(r.last_login_at)
                .push(&r.hsa_id);
        },
    )
    .await?;
    let roles: Vec<(i64, &str)> = rows.iter().flat_map(|u| u.roles.iter().map(move |r| (u.id, r.as_str()))).collect();
    insert_rows(&mut tx, this, "user_roles", &["user_id", "role"], &roles, |b, (id, role)| {
        b.push(*id).push(*role);
    })
    .await?;
    let comps: Vec<(i64, &str)> =
        rows.iter().flat_map(|u| u.competences.iter().map(move |c| (u.id, c.as_str()))).collect();
    insert_rows(&mut tx, this, "user_competences", &["user_id", "competence"], &comps, |b, (id, c)| {
        b.push(*id).push(*c);
    })
    .await?;
    tx.commit().await?;
    Ok(())
}

pub(super) async fn insert_patients(this: &SqlStorage, rows: &[Patient]) -> Result<()> {
    let mut tx = this.dialect.begin().await?;
    insert_rows(
        &mut tx,
        this,
        "patients",
        &["id", "personal_id", "id_kind", "birth_date", "given_name", "family_name", "municipality_id", "created_at"],
        rows,
        |b, r| {
            b.push(r.id)
                .push(r.personal_id.as_str())
                .push(r.personal_id.kind().as_str())
                .push(r.birth_date)
                .push(&r.given_name)
                .push(&r.family_name)
                .push(r.municipality_id)
                .push(r.created_at);
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub(super) async fn insert_patient_settings(this: &SqlStorage, rows: &[PatientSetting]) -> Result<()> {
    let mut tx = this.dialect.begin().await?;
    insert_rows(
        &mut tx,
        this,
        "patient_settings",
        &["patient_id", "setting", "valid_from", "valid_to"],
        rows,
        |b, r| {
            b.push(r.patient_id).push(r.setting.as_str()).push(r.valid_from).push(r.valid_to);
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub(super) async fn insert_care_relationships(this: &SqlStorage, rows: &[CareRelationship]) -> Result<()> {
    let mut tx = this.dialect.begin().await?;
    insert_rows(
        &mut tx,
        this,
        "care_relationships",
        &["patient_id", "unit_id", "valid_from", "valid_to"],
        rows,
        |b, r| {
            b.push(r.patient_id).push(r.unit_id).push(r.valid_from).push(r.valid_to);
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub(super) async fn insert_product_areas(this: &SqlStorage, rows: &[ProductArea]) -> Result<()> {
    let mut tx = this.dialect.begin().await?;
    insert_rows(
        &mut tx,
        this,
        "product_areas",
        &["code", "name_sv", "name_en", "required_competence", "drug_adjacent", "agreement_area"],
        rows,
        |b, r| {
            b.push(&r.code).push(&r.name_sv).push(&r.name_en).push(&r.required_competence);
            b.push(r.drug_adjacent).push(r.agreement_area.as_str());
        },
    )
    .await?;
    tx.commit().await?;
    this.cache.invalidate();
    Ok(())
}

pub(super) async fn insert_suppliers(this: &SqlStorage, rows: &[Supplier]) -> Result<()> {
    let mut tx = this.dialect.begin().await?;
    insert_rows(&mut tx, this, "suppliers", &["id", "name"], rows, |b, r| {
        b.push(r.id).push(&r.name);
    })
    .await?;
    tx.commit().await?;
    Ok(())
}

pub(super) async fn insert_articles(this: &SqlStorage, rows: &[Article]) -> Result<()> {
    let mut tx = this.dialect.begin().await?;
    insert_rows(
        &mut tx,
        this,
        "articles",
        &[
            "id",
            "article_number",
            "iso_code",
            "gtin",
            "name",
            "search_text",
            "supplier_id",
            "purchase_price_ore",
            "monthly_rent_ore",
            "kind",
            "billing",
            "lead_time_class",
            "service_life_months",
            "reconditionable",
            "product_area",
            "valid_from",
            "valid_to",
        ],
        rows,
        |b, r| {
            b.push(r.id)
                .push(&r.article_number)
                .push(r.iso_code.as_str())
                .push(&r.gtin)
                .push(&r.name)
                .push(search_text(&r.name, &r.article_number, r.iso_code.as_str()))
                .push(r.supplier_id)
                .push(r.purchase_price_ore)
                .push(r.monthly_rent_ore)
                .push(r.kind.as_str())
                .push(r.billing.as_str())
                .push(r.lead_time_class.as_str())
                .push(r.service_life_months)
                .push(r.reconditionable)
                .push(&r.product_area)
                .push(r.valid_from)
                .push(r.valid_to);
        },
    )
    .await?;
    tx.commit().await?;
    this.cache.invalidate();
    Ok(())
}

pub(super) async fn insert_replacement_groups(this: &SqlStorage, rows: &[ReplacementGroup]) -> Result<()> {
    let mut tx = this.dialect.begin().await?;
    insert_rows(&mut tx, this, "replacement_groups", &["id", "code", "name", "fixed"], rows, |b, r| {
        b.push(r.id).push(&r.code).push(&r.name).push(r.fixed);
    })
    .await?;
    let members: Vec<(i64, i64, i32)> =
        rows.iter().flat_map(|g| g.members.iter().enumerate().map(move |(i, a)| (g.id, *a, i as i32))).collect();
    insert_rows(
        &mut tx,
        this,
        "replacement_group_members",
        &["group_id", "article_id", "age_rank"],
        &members,
        |b, (g, a, rank)| {
            b.push(*g).push(*a).push(*rank);
        },
    )
    .await?;
    tx.commit().await?;
    this.cache.invalidate();
    Ok(())
}

pub(super) async fn insert_devices(this: &SqlStorage, rows: &[Device]) -> Result<()> {
    let mut tx = this.dialect.begin().await?;
    insert_rows(
        &mut tx,
        this,
        "devices",
        &[
            "id",
            "device_number",
            "article_id",
            "serial",
            "purchase_date",
            "purchase_price_ore",
            "state",
            "warehouse_id",
            "patient_id",
            "unit_id",
            "state_since",
        ],
        rows,
        |b, r| {
            b.push(r.id)
                .push(&r.device_number)
                .push(r.article_id)
                .push(&r.serial)
                .push(r.purchase_date)
                .push(r.purchase_price_ore)
                .push(r.state.as_str())
                .push(r.warehouse_id)
                .push(r.patient_id)
                .push(r.unit_id)
                .push(r.state_since);
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub(super) async fn insert_loans(this: &SqlStorage, rows: &[Loan]) -> Result<()> {
    let mut tx = this.dialect.begin().await?;
    insert_rows(
        &mut tx,
        this,
        "loans",
        &[
            "device_id",
            "patient_id",
            "unit_id",
            "customer_number_id",
            "payer",
            "rule_id",
            "agreement_version",
            "start_date",
            "end_date",
        ],
        rows,
        |b, r| {
            b.push(r.device_id)
                .push(r.patient_id)
                .push(r.unit_id)
                .push(r.customer_number_id)
                .push(r.payer.as_str())
                .push(&r.rule_id)
                .push(&r.agreement_version)
                .push(r.start_date)
                .push(r.end_date);
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub(super) async fn insert_device_events(this: &SqlStorage, rows: &[DeviceEvent]) -> Result<()> {
    let mut tx = this.dialect.begin().await?;
    insert_rows(
        &mut tx,
        this,
        "device_events",
        &[
            "id",
            "device_id",
            "occurred_at",
            "kind",
            "from_state",
            "to_state",
            "actor_user_id",
            "patient_id",
            "warehouse_id",
            "note",
        ],
        rows,
        |b, r| {
            b.push(r.id)
                .push(r.device_id)
                .push(r.occurred_at)
                .push(r.kind.as_str())
                .push(r.from_state.map(|s| s.as_str()))
                .push(r.to_state.as_str())
                .push(r.actor_user_id)
                .push(r.patient_id)
                .push(r.warehouse_id)
                .push(&r.note);
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Inserts `rows` into `table (columns)` in the transaction: `COPY` on
/// PostgreSQL, on SQLite as many rows per `INSERT` as its bind rate allows
/// ([`write_rows`]); `bind` pushes one row's values in column order.
pub(crate) async fn insert_rows<'a, T: Sync>(
    tx: &mut WriteTx,
    this: &SqlStorage,
    table: &str,
    columns: &[&str],
    rows: &'a [T],
    bind: impl Fn(&mut BulkRow<'_, '_, 'a>, &'a T) + Send + Sync,
) -> Result<()> {
    write_rows(tx, table, columns, chunk_size(this, columns.len()), rows, bind).await
}
