//! Bulk loading with explicit ids (demo data, imports), each call one
//! transaction, in chunks the engine's bind limit allows.

use super::rows::*;
use crate::db::{QueryBuilder, Separated};
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
        "INSERT INTO principals (id, code, name, kind, municipality_code, basic_equipment_since) ",
        6,
        rows,
        |b, r| {
            b.push_bind(r.id).push_bind(&r.code).push_bind(&r.name).push_bind(&r.kind).push_bind(&r.municipality_code);
            b.push_bind(r.basic_equipment_since);
        },
    )
    .await?;
    tx.commit().await?;
    this.cache.invalidate();
    Ok(())
}

pub(super) async fn insert_customer_numbers(this: &SqlStorage, rows: &[CustomerNumber]) -> Result<()> {
    let mut tx = this.dialect.begin().await?;
    insert_rows(&mut tx, this, "INSERT INTO customer_numbers (id, number, principal_id, name) ", 4, rows, |b, r| {
        b.push_bind(r.id).push_bind(&r.number).push_bind(r.principal_id).push_bind(&r.name);
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
        "INSERT INTO units (id, principal_id, hsa_id, name, kind, customer_number_id) ",
        6,
        rows,
        |b, r| {
            b.push_bind(r.id)
                .push_bind(r.principal_id)
                .push_bind(&r.hsa_id)
                .push_bind(&r.name)
                .push_bind(&r.kind)
                .push_bind(r.customer_number_id);
        },
    )
    .await?;
    tx.commit().await?;
    this.cache.invalidate();
    Ok(())
}

pub(super) async fn insert_warehouses(this: &SqlStorage, rows: &[Warehouse]) -> Result<()> {
    let mut tx = this.dialect.begin().await?;
    insert_rows(&mut tx, this, "INSERT INTO warehouses (id, code, name, kind, unit_id) ", 5, rows, |b, r| {
        b.push_bind(r.id).push_bind(&r.code).push_bind(&r.name).push_bind(&r.kind).push_bind(r.unit_id);
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
        "INSERT INTO users (id, username, display_name, password_hash, \
             principal_id, unit_id, active, created_at, last_login_at, hsa_id) ",
        10,
        rows,
        |b, r| {
            b.push_bind(r.id)
                .push_bind(&r.username)
                .push_bind(&r.display_name)
                .push_bind(&r.password_hash)
                .push_bind(r.principal_id)
                .push_bind(r.unit_id)
                .push_bind(r.active)
                .push_bind(r.created_at)
                .push_bind(r.last_login_at)
                .push_bind(&r.hsa_id);
        },
    )
    .await?;
    let roles: Vec<(i64, &str)> = rows.iter().flat_map(|u| u.roles.iter().map(move |r| (u.id, r.as_str()))).collect();
    insert_rows(&mut tx, this, "INSERT INTO user_roles (user_id, role) ", 2, &roles, |b, (id, role)| {
        b.push_bind(*id).push_bind(*role);
    })
    .await?;
    let comps: Vec<(i64, &str)> =
        rows.iter().flat_map(|u| u.competences.iter().map(move |c| (u.id, c.as_str()))).collect();
    insert_rows(&mut tx, this, "INSERT INTO user_competences (user_id, competence) ", 2, &comps, |b, (id, c)| {
        b.push_bind(*id).push_bind(*c);
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
        "INSERT INTO patients (id, personal_id, id_kind, birth_date, given_name, \
             family_name, municipality_id, created_at) ",
        8,
        rows,
        |b, r| {
            b.push_bind(r.id)
                .push_bind(r.personal_id.as_str())
                .push_bind(r.personal_id.kind().as_str())
                .push_bind(r.birth_date)
                .push_bind(&r.given_name)
                .push_bind(&r.family_name)
                .push_bind(r.municipality_id)
                .push_bind(r.created_at);
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
        "INSERT INTO patient_settings (patient_id, setting, valid_from, valid_to) ",
        4,
        rows,
        |b, r| {
            b.push_bind(r.patient_id).push_bind(r.setting.as_str()).push_bind(r.valid_from).push_bind(r.valid_to);
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
        "INSERT INTO care_relationships (patient_id, unit_id, valid_from, valid_to) ",
        4,
        rows,
        |b, r| {
            b.push_bind(r.patient_id).push_bind(r.unit_id).push_bind(r.valid_from).push_bind(r.valid_to);
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
        "INSERT INTO product_areas (code, name_sv, name_en, required_competence, drug_adjacent, digital) ",
        6,
        rows,
        |b, r| {
            b.push_bind(&r.code).push_bind(&r.name_sv).push_bind(&r.name_en).push_bind(&r.required_competence);
            b.push_bind(r.drug_adjacent).push_bind(r.digital);
        },
    )
    .await?;
    tx.commit().await?;
    this.cache.invalidate();
    Ok(())
}

pub(super) async fn insert_suppliers(this: &SqlStorage, rows: &[Supplier]) -> Result<()> {
    let mut tx = this.dialect.begin().await?;
    insert_rows(&mut tx, this, "INSERT INTO suppliers (id, name) ", 2, rows, |b, r| {
        b.push_bind(r.id).push_bind(&r.name);
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
        "INSERT INTO articles (id, article_number, iso_code, gtin, name, search_text, supplier_id, \
             purchase_price_ore, monthly_rent_ore, kind, billing, lead_time_class, service_life_months, \
             reconditionable, product_area, valid_from, valid_to) ",
        17,
        rows,
        |b, r| {
            b.push_bind(r.id)
                .push_bind(&r.article_number)
                .push_bind(r.iso_code.as_str())
                .push_bind(&r.gtin)
                .push_bind(&r.name)
                .push_bind(search_text(&r.name, &r.article_number, r.iso_code.as_str()))
                .push_bind(r.supplier_id)
                .push_bind(r.purchase_price_ore)
                .push_bind(r.monthly_rent_ore)
                .push_bind(r.kind.as_str())
                .push_bind(r.billing.as_str())
                .push_bind(r.lead_time_class.as_str())
                .push_bind(r.service_life_months)
                .push_bind(r.reconditionable)
                .push_bind(&r.product_area)
                .push_bind(r.valid_from)
                .push_bind(r.valid_to);
        },
    )
    .await?;
    tx.commit().await?;
    this.cache.invalidate();
    Ok(())
}

pub(super) async fn insert_replacement_groups(this: &SqlStorage, rows: &[ReplacementGroup]) -> Result<()> {
    let mut tx = this.dialect.begin().await?;
    insert_rows(&mut tx, this, "INSERT INTO replacement_groups (id, code, name, fixed) ", 4, rows, |b, r| {
        b.push_bind(r.id).push_bind(&r.code).push_bind(&r.name).push_bind(r.fixed);
    })
    .await?;
    let members: Vec<(i64, i64, i32)> =
        rows.iter().flat_map(|g| g.members.iter().enumerate().map(move |(i, a)| (g.id, *a, i as i32))).collect();
    insert_rows(
        &mut tx,
        this,
        "INSERT INTO replacement_group_members (group_id, article_id, age_rank) ",
        3,
        &members,
        |b, (g, a, rank)| {
            b.push_bind(*g).push_bind(*a).push_bind(*rank);
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
        "INSERT INTO devices (id, device_number, article_id, serial, purchase_date, purchase_price_ore, \
             state, warehouse_id, patient_id, unit_id, state_since) ",
        11,
        rows,
        |b, r| {
            b.push_bind(r.id)
                .push_bind(&r.device_number)
                .push_bind(r.article_id)
                .push_bind(&r.serial)
                .push_bind(r.purchase_date)
                .push_bind(r.purchase_price_ore)
                .push_bind(r.state.as_str())
                .push_bind(r.warehouse_id)
                .push_bind(r.patient_id)
                .push_bind(r.unit_id)
                .push_bind(r.state_since);
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
        "INSERT INTO loans (device_id, patient_id, unit_id, customer_number_id, payer, rule_id, \
             agreement_version, start_date, end_date) ",
        9,
        rows,
        |b, r| {
            b.push_bind(r.device_id)
                .push_bind(r.patient_id)
                .push_bind(r.unit_id)
                .push_bind(r.customer_number_id)
                .push_bind(r.payer.as_str())
                .push_bind(&r.rule_id)
                .push_bind(&r.agreement_version)
                .push_bind(r.start_date)
                .push_bind(r.end_date);
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
        "INSERT INTO device_events (id, device_id, occurred_at, kind, from_state, to_state, \
             actor_user_id, patient_id, warehouse_id, note) ",
        10,
        rows,
        |b, r| {
            b.push_bind(r.id)
                .push_bind(r.device_id)
                .push_bind(r.occurred_at)
                .push_bind(r.kind.as_str())
                .push_bind(r.from_state.map(|s| s.as_str()))
                .push_bind(r.to_state.as_str())
                .push_bind(r.actor_user_id)
                .push_bind(r.patient_id)
                .push_bind(r.warehouse_id)
                .push_bind(&r.note);
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Inserts `rows` with the statement `head` (`INSERT INTO t (a, b) `) in
/// the transaction, as many rows per statement as the engine's bind limit
/// allows for `columns` values a row; `bind` pushes one row's values.
async fn insert_rows<'a, T: Sync>(
    tx: &mut WriteTx,
    this: &SqlStorage,
    head: &str,
    columns: usize,
    rows: &'a [T],
    bind: impl Fn(&mut Separated<'_, 'a, &'static str>, &'a T) + Send + Sync,
) -> Result<()> {
    for chunk in rows.chunks(chunk_size(this, columns)) {
        QueryBuilder::new(head).push_values(chunk, |mut b, r| bind(&mut b, r)).build().execute(&mut **tx).await?;
    }
    Ok(())
}
