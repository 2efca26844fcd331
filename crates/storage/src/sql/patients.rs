//! Patients: settings, care relationships, emergency access, held devices.

use super::rows::*;
use crate::db;
use crate::sql::parse_stored;
use crate::sql::SqlStorage;
use crate::*;
use chrono::{DateTime, NaiveDate, Utc};
use ramp_domain::ids::PersonalId;

pub(super) async fn patient_by_personal_id(this: &SqlStorage, personal_id: &PersonalId) -> Result<Option<Patient>> {
    db::query(
        "SELECT id, personal_id, birth_date, given_name, family_name, municipality_id, created_at \
         FROM patients WHERE personal_id = $1",
    )
    .bind(personal_id.as_str())
    .fetch_optional(&this.pool)
    .await?
    .map(|r| patient_from(&r))
    .transpose()
}

pub(super) async fn patient_settings(this: &SqlStorage, patient_id: Id) -> Result<Vec<PatientSetting>> {
    db::query("SELECT patient_id, setting, valid_from, valid_to FROM patient_settings WHERE patient_id = $1 ORDER BY valid_from")
        .bind(patient_id)
        .fetch_all(&this.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(PatientSetting {
                patient_id: r.try_get("patient_id")?,
                setting: parse_stored("setting", &r.try_get::<String, _>("setting")?)?,
                valid_from: r.try_get("valid_from")?,
                valid_to: r.try_get("valid_to")?,
            })
        })
        .collect()
}

pub(super) async fn has_care_relationship(
    this: &SqlStorage,
    patient_id: Id,
    unit_id: Id,
    on: NaiveDate,
) -> Result<bool> {
    let row = db::query(
        "SELECT 1 AS one FROM care_relationships WHERE patient_id = $1 AND unit_id = $2 \
         AND valid_from <= $3 AND (valid_to IS NULL OR valid_to >= $3)",
    )
    .bind(patient_id)
    .bind(unit_id)
    .bind(on)
    .fetch_optional(&this.pool)
    .await?;
    Ok(row.is_some())
}

pub(super) async fn patient_for_ordering(
    this: &SqlStorage,
    personal_id: &PersonalId,
    user_id: Id,
    unit_id: Option<Id>,
    on: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Option<PatientForOrdering>> {
    let row = db::query(
        "SELECT p.id, p.personal_id, p.birth_date, p.given_name, p.family_name, p.municipality_id, p.created_at, \
         CASE WHEN EXISTS (SELECT 1 FROM care_relationships c WHERE c.patient_id = p.id AND c.unit_id = $2 \
           AND c.valid_from <= $3 AND (c.valid_to IS NULL OR c.valid_to >= $3)) THEN 1 ELSE 0 END AS care, \
         CASE WHEN EXISTS (SELECT 1 FROM emergency_accesses e WHERE e.user_id = $4 AND e.patient_id = p.id \
           AND e.granted_at <= $5 AND e.expires_at > $5) THEN 1 ELSE 0 END AS emergency, \
         (SELECT s.setting FROM patient_settings s WHERE s.patient_id = p.id AND s.valid_from <= $3 \
           AND (s.valid_to IS NULL OR s.valid_to >= $3) ORDER BY s.valid_from DESC LIMIT 1) AS setting \
         FROM patients p WHERE p.personal_id = $1",
    )
    .bind(personal_id.as_str())
    .bind(unit_id)
    .bind(on)
    .bind(user_id)
    .bind(now)
    .fetch_optional(&this.pool)
    .await?;
    let Some(r) = row else { return Ok(None) };
    let setting: Option<String> = r.try_get("setting")?;
    Ok(Some(PatientForOrdering {
        patient: patient_from(&r)?,
        care_relationship: r.try_get::<i32, _>("care")? == 1,
        emergency_access: r.try_get::<i32, _>("emergency")? == 1,
        setting: setting.map(|s| parse_stored("setting", &s)).transpose()?,
    }))
}

pub(super) async fn has_emergency_access(
    this: &SqlStorage,
    user_id: Id,
    patient_id: Id,
    now: DateTime<Utc>,
) -> Result<bool> {
    let row = db::query(
        "SELECT 1 AS one FROM emergency_accesses WHERE user_id = $1 AND patient_id = $2 AND granted_at <= $3 AND expires_at > $3",
    )
    .bind(user_id).bind(patient_id).bind(now)
    .fetch_optional(&this.pool)
    .await?;
    Ok(row.is_some())
}

pub(super) async fn held_devices(this: &SqlStorage, patient_id: Id, on: NaiveDate) -> Result<Vec<HeldDevice>> {
    db::query(
        "SELECT d.id, d.device_number, a.article_number, a.name, a.iso_code, l.start_date, \
         COALESCE((SELECT p.payer FROM loan_payer_periods p WHERE p.loan_id = l.id AND p.valid_from <= $2 \
           ORDER BY p.valid_from DESC LIMIT 1), l.payer) AS payer, \
         COALESCE((SELECT p.rule_id FROM loan_payer_periods p WHERE p.loan_id = l.id AND p.valid_from <= $2 \
           ORDER BY p.valid_from DESC LIMIT 1), l.rule_id) AS rule_id, \
         po.rent_end_date \
         FROM devices d JOIN articles a ON a.id = d.article_id \
         JOIN loans l ON l.device_id = d.id AND l.end_date IS NULL \
         LEFT JOIN pickup_orders po ON po.device_id = d.id AND po.status = 'open' \
         WHERE d.patient_id = $1 AND l.patient_id = $1 \
         ORDER BY l.start_date DESC, d.device_number",
    )
    .bind(patient_id)
    .bind(on)
    .fetch_all(&this.pool)
    .await?
    .iter()
    .map(|r| {
        Ok(HeldDevice {
            device_id: r.try_get("id")?,
            device_number: r.try_get("device_number")?,
            article_number: r.try_get("article_number")?,
            article_name: r.try_get("name")?,
            iso_code: r.try_get("iso_code")?,
            since: r.try_get("start_date")?,
            payer: crate::sql::stored(r, "payer")?,
            rule_id: r.try_get("rule_id")?,
            pickup_rent_end: r.try_get("rent_end_date")?,
        })
    })
    .collect()
}
