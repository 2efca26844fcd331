//! Row mappers shared by the aggregates' files: a row of the shared
//! column lists to its type.

use crate::db::Row;
use crate::sql::{parse_stored, SqlStorage};
use crate::*;
use ramp_domain::ids::{IsoCode, PersonalId};

pub(super) fn chunk_size(this: &SqlStorage, columns: usize) -> usize {
    (this.dialect.batch_binds() / columns).clamp(1, 1000)
}

pub(super) fn article_from(r: &Row) -> Result<Article> {
    let iso: String = r.try_get("iso_code")?;
    Ok(Article {
        id: r.try_get("id")?,
        article_number: r.try_get("article_number")?,
        iso_code: IsoCode::parse(&iso).map_err(StorageError::corrupt)?,
        gtin: r.try_get("gtin")?,
        name: r.try_get("name")?,
        supplier_id: r.try_get("supplier_id")?,
        supplier_name: r.try_get("supplier_name")?,
        purchase_price_ore: r.try_get("purchase_price_ore")?,
        monthly_rent_ore: r.try_get("monthly_rent_ore")?,
        kind: parse_stored("kind", &r.try_get::<String, _>("kind")?)?,
        billing: parse_stored("billing", &r.try_get::<String, _>("billing")?)?,
        lead_time_class: parse_stored("lead_time_class", &r.try_get::<String, _>("lead_time_class")?)?,
        service_life_months: r.try_get::<i32, _>("service_life_months")?,
        reconditionable: r.try_get("reconditionable")?,
        product_area: r.try_get("product_area")?,
        valid_from: r.try_get("valid_from")?,
        valid_to: r.try_get("valid_to")?,
    })
}

pub(super) fn device_from(r: &Row) -> Result<Device> {
    Ok(Device {
        id: r.try_get("id")?,
        device_number: r.try_get("device_number")?,
        article_id: r.try_get("article_id")?,
        serial: r.try_get("serial")?,
        purchase_date: r.try_get("purchase_date")?,
        purchase_price_ore: r.try_get("purchase_price_ore")?,
        state: parse_stored("state", &r.try_get::<String, _>("state")?)?,
        warehouse_id: r.try_get("warehouse_id")?,
        patient_id: r.try_get("patient_id")?,
        unit_id: r.try_get("unit_id")?,
        state_since: r.try_get("state_since")?,
    })
}

pub(super) fn patient_from(r: &Row) -> Result<Patient> {
    let pid: String = r.try_get("personal_id")?;
    Ok(Patient {
        id: r.try_get("id")?,
        personal_id: PersonalId::from_canonical(&pid).map_err(StorageError::corrupt)?,
        birth_date: r.try_get("birth_date")?,
        given_name: r.try_get("given_name")?,
        family_name: r.try_get("family_name")?,
        municipality_id: r.try_get("municipality_id")?,
        created_at: r.try_get("created_at")?,
    })
}

pub(super) fn audit_from(r: &Row) -> Result<AuditEntry> {
    Ok(AuditEntry {
        id: r.try_get("id")?,
        occurred_at: r.try_get("occurred_at")?,
        user_id: r.try_get("user_id")?,
        patient_id: r.try_get("patient_id")?,
        action: r.try_get("action")?,
        reason: AccessReason::parse(&r.try_get::<String, _>("reason")?),
        detail: r.try_get("detail")?,
        request_id: r.try_get("request_id")?,
    })
}

pub(super) fn event_from(r: &Row) -> Result<DeviceEvent> {
    let from: Option<String> = r.try_get("from_state")?;
    Ok(DeviceEvent {
        id: r.try_get("id")?,
        device_id: r.try_get("device_id")?,
        occurred_at: r.try_get("occurred_at")?,
        kind: parse_stored("kind", &r.try_get::<String, _>("kind")?)?,
        from_state: from.map(|s| parse_stored("from_state", &s)).transpose()?,
        to_state: parse_stored("to_state", &r.try_get::<String, _>("to_state")?)?,
        actor_user_id: r.try_get("actor_user_id")?,
        patient_id: r.try_get("patient_id")?,
        warehouse_id: r.try_get("warehouse_id")?,
        note: r.try_get("note")?,
    })
}

pub(super) fn loan_from(r: &Row) -> Result<Loan> {
    Ok(Loan {
        device_id: r.try_get("device_id")?,
        patient_id: r.try_get("patient_id")?,
        unit_id: r.try_get("unit_id")?,
        customer_number_id: r.try_get("customer_number_id")?,
        payer: crate::sql::stored(r, "payer")?,
        rule_id: r.try_get("rule_id")?,
        agreement_version: r.try_get("agreement_version")?,
        start_date: r.try_get("start_date")?,
        end_date: r.try_get("end_date")?,
    })
}

pub(super) fn principal_from(r: &Row) -> Result<Principal> {
    Ok(Principal {
        id: r.try_get("id")?,
        code: r.try_get("code")?,
        name: r.try_get("name")?,
        kind: r.try_get("kind")?,
        municipality_code: r.try_get("municipality_code")?,
        basic_equipment_since: r.try_get("basic_equipment_since")?,
    })
}

pub(super) fn customer_number_from(r: &Row) -> Result<CustomerNumber> {
    Ok(CustomerNumber {
        id: r.try_get("id")?,
        number: r.try_get("number")?,
        principal_id: r.try_get("principal_id")?,
        name: r.try_get("name")?,
    })
}

pub(super) fn unit_from(r: &Row) -> Result<Unit> {
    Ok(Unit {
        id: r.try_get("id")?,
        principal_id: r.try_get("principal_id")?,
        hsa_id: r.try_get("hsa_id")?,
        name: r.try_get("name")?,
        kind: r.try_get("kind")?,
        customer_number_id: r.try_get("customer_number_id")?,
    })
}

pub(super) fn warehouse_from(r: &Row) -> Result<Warehouse> {
    Ok(Warehouse {
        id: r.try_get("id")?,
        code: r.try_get("code")?,
        name: r.try_get("name")?,
        kind: r.try_get("kind")?,
        unit_id: r.try_get("unit_id")?,
    })
}

pub(super) fn product_area_from(r: &Row) -> Result<ProductArea> {
    Ok(ProductArea {
        code: r.try_get("code")?,
        name_sv: r.try_get("name_sv")?,
        name_en: r.try_get("name_en")?,
        required_competence: r.try_get("required_competence")?,
        drug_adjacent: r.try_get("drug_adjacent")?,
        agreement_area: crate::sql::stored(r, "agreement_area")?,
    })
}

/// Each row mapped by `from`.
pub(super) fn all<T>(rows: &[Row], from: fn(&Row) -> Result<T>) -> Result<Vec<T>> {
    rows.iter().map(from).collect()
}
