//! [`crate::PatientRegisterStore`] for [`SqlStorage`], both engines: the
//! unit's patients with their open orders, due evaluations and lent
//! devices in one query, and registering a patient in one transaction.

use super::audit::{bind_audit, INSERT_AUDIT};
use crate::db::{self, Row};
use crate::sql::{stored, stored_opt, SqlStorage};
use crate::*;
use async_trait::async_trait;
use chrono::{Duration, NaiveDate};
use ramp_domain::ids::PersonalId;
use ramp_domain::setting::Setting;
use ramp_domain::Term;

const MY_PATIENTS: &str = "SELECT p.id, p.personal_id, p.given_name, p.family_name, \
    (SELECT s.setting FROM patient_settings s WHERE s.patient_id = p.id AND s.valid_from <= $2 \
       AND (s.valid_to IS NULL OR s.valid_to >= $2) ORDER BY s.valid_from DESC LIMIT 1) AS setting, \
    (SELECT COUNT(*) FROM orders o WHERE o.patient_id = p.id \
       AND o.status NOT IN ('delivered', 'cancelled')) AS open_orders, \
    (SELECT COUNT(*) FROM orders o WHERE o.patient_id = p.id AND o.status = 'delivered' \
       AND o.evaluation_date IS NOT NULL AND o.evaluation_date <= $2) AS evaluations_due, \
    (SELECT COUNT(*) FROM devices d WHERE d.patient_id = p.id) AS devices_lent \
    FROM patients p WHERE EXISTS (SELECT 1 FROM care_relationships c WHERE c.patient_id = p.id \
       AND c.unit_id = $1 AND c.valid_from <= $2 AND (c.valid_to IS NULL OR c.valid_to >= $2)) \
    ORDER BY p.family_name, p.given_name, p.id";

fn my_patient_from(r: &Row) -> Result<MyPatient> {
    let pid: String = r.try_get("personal_id")?;
    Ok(MyPatient {
        id: r.try_get("id")?,
        personal_id: PersonalId::from_canonical(&pid).map_err(StorageError::corrupt)?,
        given_name: r.try_get("given_name")?,
        family_name: r.try_get("family_name")?,
        setting: stored_opt(r, "setting")?,
        open_orders: r.try_get("open_orders")?,
        evaluations_due: r.try_get("evaluations_due")?,
        devices_lent: r.try_get("devices_lent")?,
    })
}

#[async_trait]
impl PatientRegisterStore for SqlStorage {
    async fn my_patients(&self, unit_id: Id, on: NaiveDate) -> Result<Vec<MyPatient>> {
        let rows = db::query(MY_PATIENTS).bind(unit_id).bind(on).fetch_all(&self.pool).await?;
        rows.iter().map(my_patient_from).collect()
    }

    async fn register_patient(&self, p: &NewPatientRegistration, audit: &NewAuditEntry) -> Result<Option<Id>> {
        let mut tx = self.dialect.begin().await?;
        let id: Option<Id> = db::query(
            "INSERT INTO patients (personal_id, id_kind, birth_date, given_name, family_name, municipality_id, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (personal_id) DO NOTHING RETURNING id",
        )
        .bind(p.personal_id.as_str())
        .bind(p.personal_id.kind().as_str())
        .bind(p.birth_date)
        .bind(&p.given_name)
        .bind(&p.family_name)
        .bind(p.municipality_id)
        .bind(p.at)
        .fetch_optional(&mut *tx)
        .await?
        .map(|r| r.try_get("id"))
        .transpose()?;
        let Some(id) = id else { return Ok(None) };
        db::query("INSERT INTO patient_settings (patient_id, setting, valid_from) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(p.setting.as_str())
            .bind(p.on)
            .execute(&mut *tx)
            .await?;
        db::query("INSERT INTO care_relationships (patient_id, unit_id, valid_from) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(p.unit_id)
            .bind(p.on)
            .execute(&mut *tx)
            .await?;
        let audit = NewAuditEntry { patient_id: Some(id), ..audit.clone() };
        bind_audit(db::query(INSERT_AUDIT), &audit).fetch_one(&mut *tx).await?;
        tx.commit().await?;
        Ok(Some(id))
    }

    async fn change_setting(
        &self,
        patient_id: Id,
        setting: Setting,
        from: NaiveDate,
        payers: &[LoanPayerChange],
    ) -> Result<()> {
        let mut tx = self.dialect.begin().await?;
        db::query(
            "DELETE FROM loan_payer_periods WHERE valid_from >= $2 \
             AND loan_id IN (SELECT id FROM loans WHERE patient_id = $1)",
        )
        .bind(patient_id)
        .bind(from)
        .execute(&mut *tx)
        .await?;
        for p in payers {
            db::query(
                "INSERT INTO loan_payer_periods (loan_id, valid_from, setting, payer, customer_number_id, rule_id, \
                 agreement_version) SELECT id, $2, $3, $4, $5, $6, $7 FROM loans WHERE id = $1 AND patient_id = $8",
            )
            .bind(p.loan_id)
            .bind(p.from)
            .bind(p.setting.as_str())
            .bind(p.payer.as_str())
            .bind(p.customer_number_id)
            .bind(&p.rule_id)
            .bind(&p.agreement_version)
            .bind(patient_id)
            .execute(&mut *tx)
            .await?;
        }
        db::query("DELETE FROM patient_settings WHERE patient_id = $1 AND valid_from >= $2")
            .bind(patient_id)
            .bind(from)
            .execute(&mut *tx)
            .await?;
        db::query(
            "UPDATE patient_settings SET valid_to = $3 WHERE patient_id = $1 AND valid_from < $2 \
             AND (valid_to IS NULL OR valid_to >= $2)",
        )
        .bind(patient_id)
        .bind(from)
        .bind(from - Duration::days(1))
        .execute(&mut *tx)
        .await?;
        db::query("INSERT INTO patient_settings (patient_id, setting, valid_from) VALUES ($1, $2, $3)")
            .bind(patient_id)
            .bind(setting.as_str())
            .bind(from)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn open_loan_payers(&self, patient_id: Id, from: NaiveDate) -> Result<Vec<OpenLoanPayer>> {
        let rows = db::query(
            "SELECT l.id, d.device_number, a.name, l.start_date, a.iso_code, a.kind, \
             COALESCE((SELECT p.payer FROM loan_payer_periods p WHERE p.loan_id = l.id AND p.valid_from < $2 \
               ORDER BY p.valid_from DESC LIMIT 1), l.payer) AS payer, \
             COALESCE((SELECT p.rule_id FROM loan_payer_periods p WHERE p.loan_id = l.id AND p.valid_from < $2 \
               ORDER BY p.valid_from DESC LIMIT 1), l.rule_id) AS rule_id \
             FROM loans l JOIN devices d ON d.id = l.device_id JOIN articles a ON a.id = d.article_id \
             WHERE l.patient_id = $1 AND l.start_date < $2 AND (l.end_date IS NULL OR l.end_date >= $2) ORDER BY l.id",
        )
        .bind(patient_id)
        .bind(from)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(OpenLoanPayer {
                    loan_id: r.try_get("id")?,
                    device_number: r.try_get("device_number")?,
                    article_name: r.try_get("name")?,
                    start_date: r.try_get("start_date")?,
                    iso_code: r.try_get("iso_code")?,
                    kind: stored(r, "kind")?,
                    payer: stored(r, "payer")?,
                    rule_id: r.try_get("rule_id")?,
                })
            })
            .collect()
    }

    async fn payer_accounts(&self, patient_id: Id) -> Result<PayerAccounts> {
        let first = |sql: &'static str| async move {
            let row = db::query(sql).bind(patient_id).fetch_optional(&self.pool).await?;
            row.map(|r| r.try_get::<Id, _>("id")).transpose()
        };
        Ok(PayerAccounts {
            region: first(
                "SELECT c.id FROM customer_numbers c JOIN principals p ON p.id = c.principal_id \
                 WHERE p.kind = 'region' AND $1 = $1 ORDER BY c.number LIMIT 1",
            )
            .await?,
            municipality: first(
                "SELECT c.id FROM customer_numbers c JOIN patients pt ON pt.municipality_id = c.principal_id \
                 WHERE pt.id = $1 ORDER BY c.number LIMIT 1",
            )
            .await?,
        })
    }
}
