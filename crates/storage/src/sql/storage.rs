//! [`Storage`] itself: bulk loading, people and access, organisations,
//! patients, the catalog and devices.

use crate::db;
use crate::sql::SqlStorage;
use super::rows::*;
use crate::sql::{like_escape, parse_stored, search_text, ARTICLE_COLUMNS};
use crate::*;
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use ramp_domain::ids::{IsoCode, PersonalId};
use ramp_domain::role::Role;
use crate::db::{QueryBuilder, Row};


const USER_COLUMNS: &str = "u.id, u.username, u.display_name, u.password_hash, u.principal_id, \
    u.unit_id, u.active, u.created_at, u.last_login_at";

impl SqlStorage {
    async fn load_user(&self, row: Option<Row>) -> Result<Option<User>> {
        let Some(r) = row else { return Ok(None) };
        let id: i64 = r.try_get("id")?;
        let roles = db::query("SELECT role FROM user_roles WHERE user_id = $1 ORDER BY role")
            .bind(id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|x| parse_stored::<Role>("role", &x.try_get::<String, _>("role")?))
            .collect::<Result<Vec<_>>>()?;
        let competences = db::query("SELECT competence FROM user_competences WHERE user_id = $1 ORDER BY competence")
            .bind(id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|x| x.try_get::<String, _>("competence").map_err(StorageError::from))
            .collect::<Result<Vec<_>>>()?;
        Ok(Some(User {
            id,
            username: r.try_get("username")?,
            display_name: r.try_get("display_name")?,
            password_hash: r.try_get("password_hash")?,
            principal_id: r.try_get("principal_id")?,
            unit_id: r.try_get("unit_id")?,
            active: r.try_get("active")?,
            created_at: r.try_get("created_at")?,
            last_login_at: r.try_get("last_login_at")?,
            roles,
            competences,
        }))
    }

    async fn count(&self, table: &str) -> Result<i64> {
        let sql = format!("SELECT COUNT(*) AS n FROM {table}");
        Ok(db::query(&sql).fetch_one(&self.pool).await?.try_get("n")?)
    }
}

#[async_trait]
impl Storage for SqlStorage {
    fn engine(&self) -> &'static str {
        self.dialect.engine()
    }

    async fn migrate(&self) -> Result<()> {
        self.dialect.migrate().await
    }

    async fn ping(&self) -> Result<()> {
        db::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    async fn counts(&self) -> Result<Counts> {
        Ok(Counts {
            principals: self.count("principals").await?,
            users: self.count("users").await?,
            patients: self.count("patients").await?,
            articles: self.count("articles").await?,
            devices: self.count("devices").await?,
            device_events: self.count("device_events").await?,
            audit_log: self.count("audit_log").await?,
        })
    }

    async fn insert_principals(&self, rows: &[Principal]) -> Result<()> {
        let mut tx = self.dialect.begin().await?;
        for chunk in rows.chunks(chunk_size(self, 5)) {
            QueryBuilder::new("INSERT INTO principals (id, code, name, kind, municipality_code) ")
                .push_values(chunk, |mut b, r| {
                    b.push_bind(r.id).push_bind(&r.code).push_bind(&r.name).push_bind(&r.kind).push_bind(&r.municipality_code);
                })
                .build()
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        self.cache.invalidate();
        Ok(())
    }

    async fn insert_customer_numbers(&self, rows: &[CustomerNumber]) -> Result<()> {
        let mut tx = self.dialect.begin().await?;
        for chunk in rows.chunks(chunk_size(self, 4)) {
            QueryBuilder::new("INSERT INTO customer_numbers (id, number, principal_id, name) ")
                .push_values(chunk, |mut b, r| {
                    b.push_bind(r.id).push_bind(&r.number).push_bind(r.principal_id).push_bind(&r.name);
                })
                .build()
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        self.cache.invalidate();
        Ok(())
    }

    async fn insert_units(&self, rows: &[Unit]) -> Result<()> {
        let mut tx = self.dialect.begin().await?;
        for chunk in rows.chunks(chunk_size(self, 6)) {
            QueryBuilder::new("INSERT INTO units (id, principal_id, hsa_id, name, kind, customer_number_id) ")
                .push_values(chunk, |mut b, r| {
                    b.push_bind(r.id).push_bind(r.principal_id).push_bind(&r.hsa_id).push_bind(&r.name)
                        .push_bind(&r.kind).push_bind(r.customer_number_id);
                })
                .build()
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        self.cache.invalidate();
        Ok(())
    }

    async fn insert_warehouses(&self, rows: &[Warehouse]) -> Result<()> {
        let mut tx = self.dialect.begin().await?;
        for chunk in rows.chunks(chunk_size(self, 5)) {
            QueryBuilder::new("INSERT INTO warehouses (id, code, name, kind, unit_id) ")
                .push_values(chunk, |mut b, r| {
                    b.push_bind(r.id).push_bind(&r.code).push_bind(&r.name).push_bind(&r.kind).push_bind(r.unit_id);
                })
                .build()
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn insert_users(&self, rows: &[User]) -> Result<()> {
        let mut tx = self.dialect.begin().await?;
        for chunk in rows.chunks(chunk_size(self, 9)) {
            QueryBuilder::new(
                "INSERT INTO users (id, username, display_name, password_hash, principal_id, unit_id, active, created_at, last_login_at) ",
            )
            .push_values(chunk, |mut b, r| {
                b.push_bind(r.id).push_bind(&r.username).push_bind(&r.display_name).push_bind(&r.password_hash)
                    .push_bind(r.principal_id).push_bind(r.unit_id).push_bind(r.active)
                    .push_bind(r.created_at).push_bind(r.last_login_at);
            })
            .build()
            .execute(&mut *tx)
            .await?;
        }
        let roles: Vec<(i64, &str)> = rows.iter().flat_map(|u| u.roles.iter().map(move |r| (u.id, r.as_str()))).collect();
        for chunk in roles.chunks(chunk_size(self, 2)) {
            QueryBuilder::new("INSERT INTO user_roles (user_id, role) ")
                .push_values(chunk, |mut b, (id, role)| {
                    b.push_bind(*id).push_bind(*role);
                })
                .build()
                .execute(&mut *tx)
                .await?;
        }
        let comps: Vec<(i64, &str)> =
            rows.iter().flat_map(|u| u.competences.iter().map(move |c| (u.id, c.as_str()))).collect();
        for chunk in comps.chunks(chunk_size(self, 2)) {
            QueryBuilder::new("INSERT INTO user_competences (user_id, competence) ")
                .push_values(chunk, |mut b, (id, c)| {
                    b.push_bind(*id).push_bind(*c);
                })
                .build()
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn insert_patients(&self, rows: &[Patient]) -> Result<()> {
        let mut tx = self.dialect.begin().await?;
        for chunk in rows.chunks(chunk_size(self, 8)) {
            QueryBuilder::new(
                "INSERT INTO patients (id, personal_id, id_kind, birth_date, given_name, family_name, municipality_id, created_at) ",
            )
            .push_values(chunk, |mut b, r| {
                b.push_bind(r.id).push_bind(r.personal_id.as_str()).push_bind(r.personal_id.kind().as_str())
                    .push_bind(r.birth_date).push_bind(&r.given_name).push_bind(&r.family_name)
                    .push_bind(r.municipality_id).push_bind(r.created_at);
            })
            .build()
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn insert_patient_settings(&self, rows: &[PatientSetting]) -> Result<()> {
        let mut tx = self.dialect.begin().await?;
        for chunk in rows.chunks(chunk_size(self, 4)) {
            QueryBuilder::new("INSERT INTO patient_settings (patient_id, setting, valid_from, valid_to) ")
                .push_values(chunk, |mut b, r| {
                    b.push_bind(r.patient_id).push_bind(r.setting.as_str()).push_bind(r.valid_from).push_bind(r.valid_to);
                })
                .build()
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn insert_care_relationships(&self, rows: &[CareRelationship]) -> Result<()> {
        let mut tx = self.dialect.begin().await?;
        for chunk in rows.chunks(chunk_size(self, 4)) {
            QueryBuilder::new("INSERT INTO care_relationships (patient_id, unit_id, valid_from, valid_to) ")
                .push_values(chunk, |mut b, r| {
                    b.push_bind(r.patient_id).push_bind(r.unit_id).push_bind(r.valid_from).push_bind(r.valid_to);
                })
                .build()
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn insert_product_areas(&self, rows: &[ProductArea]) -> Result<()> {
        let mut tx = self.dialect.begin().await?;
        for chunk in rows.chunks(chunk_size(self, 4)) {
            QueryBuilder::new("INSERT INTO product_areas (code, name_sv, name_en, required_competence) ")
                .push_values(chunk, |mut b, r| {
                    b.push_bind(&r.code).push_bind(&r.name_sv).push_bind(&r.name_en).push_bind(&r.required_competence);
                })
                .build()
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        self.cache.invalidate();
        Ok(())
    }

    async fn insert_suppliers(&self, rows: &[Supplier]) -> Result<()> {
        let mut tx = self.dialect.begin().await?;
        for chunk in rows.chunks(chunk_size(self, 2)) {
            QueryBuilder::new("INSERT INTO suppliers (id, name) ")
                .push_values(chunk, |mut b, r| {
                    b.push_bind(r.id).push_bind(&r.name);
                })
                .build()
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn insert_articles(&self, rows: &[Article]) -> Result<()> {
        let mut tx = self.dialect.begin().await?;
        for chunk in rows.chunks(chunk_size(self, 17)) {
            QueryBuilder::new(
                "INSERT INTO articles (id, article_number, iso_code, gtin, name, search_text, supplier_id, \
                 purchase_price_ore, monthly_rent_ore, kind, billing, lead_time_class, service_life_months, \
                 reconditionable, product_area, valid_from, valid_to) ",
            )
            .push_values(chunk, |mut b, r| {
                b.push_bind(r.id).push_bind(&r.article_number).push_bind(r.iso_code.as_str()).push_bind(&r.gtin)
                    .push_bind(&r.name).push_bind(search_text(&r.name, &r.article_number, r.iso_code.as_str()))
                    .push_bind(r.supplier_id).push_bind(r.purchase_price_ore).push_bind(r.monthly_rent_ore)
                    .push_bind(r.kind.as_str()).push_bind(r.billing.as_str()).push_bind(r.lead_time_class.as_str())
                    .push_bind(r.service_life_months).push_bind(r.reconditionable).push_bind(&r.product_area)
                    .push_bind(r.valid_from).push_bind(r.valid_to);
            })
            .build()
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        self.cache.invalidate();
        Ok(())
    }

    async fn insert_replacement_groups(&self, rows: &[ReplacementGroup]) -> Result<()> {
        let mut tx = self.dialect.begin().await?;
        for chunk in rows.chunks(chunk_size(self, 4)) {
            QueryBuilder::new("INSERT INTO replacement_groups (id, code, name, fixed) ")
                .push_values(chunk, |mut b, r| {
                    b.push_bind(r.id).push_bind(&r.code).push_bind(&r.name).push_bind(r.fixed);
                })
                .build()
                .execute(&mut *tx)
                .await?;
        }
        let members: Vec<(i64, i64, i32)> = rows
            .iter()
            .flat_map(|g| g.members.iter().enumerate().map(move |(i, a)| (g.id, *a, i as i32)))
            .collect();
        for chunk in members.chunks(chunk_size(self, 3)) {
            QueryBuilder::new("INSERT INTO replacement_group_members (group_id, article_id, age_rank) ")
                .push_values(chunk, |mut b, (g, a, rank)| {
                    b.push_bind(*g).push_bind(*a).push_bind(*rank);
                })
                .build()
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        self.cache.invalidate();
        Ok(())
    }

    async fn insert_devices(&self, rows: &[Device]) -> Result<()> {
        let mut tx = self.dialect.begin().await?;
        for chunk in rows.chunks(chunk_size(self, 11)) {
            QueryBuilder::new(
                "INSERT INTO devices (id, device_number, article_id, serial, purchase_date, purchase_price_ore, \
                 state, warehouse_id, patient_id, unit_id, state_since) ",
            )
            .push_values(chunk, |mut b, r| {
                b.push_bind(r.id).push_bind(&r.device_number).push_bind(r.article_id).push_bind(&r.serial)
                    .push_bind(r.purchase_date).push_bind(r.purchase_price_ore).push_bind(r.state.as_str())
                    .push_bind(r.warehouse_id).push_bind(r.patient_id).push_bind(r.unit_id).push_bind(r.state_since);
            })
            .build()
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn insert_loans(&self, rows: &[Loan]) -> Result<()> {
        let mut tx = self.dialect.begin().await?;
        for chunk in rows.chunks(chunk_size(self, 9)) {
            QueryBuilder::new(
                "INSERT INTO loans (device_id, patient_id, unit_id, customer_number_id, payer, rule_id, \
                 agreement_version, start_date, end_date) ",
            )
            .push_values(chunk, |mut b, r| {
                b.push_bind(r.device_id).push_bind(r.patient_id).push_bind(r.unit_id).push_bind(r.customer_number_id)
                    .push_bind(&r.payer).push_bind(&r.rule_id).push_bind(&r.agreement_version)
                    .push_bind(r.start_date).push_bind(r.end_date);
            })
            .build()
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn insert_device_events(&self, rows: &[DeviceEvent]) -> Result<()> {
        let mut tx = self.dialect.begin().await?;
        for chunk in rows.chunks(chunk_size(self, 10)) {
            QueryBuilder::new(
                "INSERT INTO device_events (id, device_id, occurred_at, kind, from_state, to_state, \
                 actor_user_id, patient_id, warehouse_id, note) ",
            )
            .push_values(chunk, |mut b, r| {
                b.push_bind(r.id).push_bind(r.device_id).push_bind(r.occurred_at).push_bind(r.kind.as_str())
                    .push_bind(r.from_state.map(|s| s.as_str())).push_bind(r.to_state.as_str())
                    .push_bind(r.actor_user_id).push_bind(r.patient_id).push_bind(r.warehouse_id).push_bind(&r.note);
            })
            .build()
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn finish_bulk_load(&self) -> Result<()> {
        self.cache.invalidate();
        self.dialect.finish_bulk_load().await
    }

    async fn create_user(&self, u: &NewUser) -> Result<Id> {
        let mut tx = self.dialect.begin().await?;
        let id: i64 = db::query(
            "INSERT INTO users (username, display_name, password_hash, principal_id, unit_id, active, created_at) \
             VALUES ($1, $2, $3, $4, $5, TRUE, $6) RETURNING id",
        )
        .bind(&u.username).bind(&u.display_name).bind(&u.password_hash)
        .bind(u.principal_id).bind(u.unit_id).bind(u.created_at)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        for role in &u.roles {
            db::query("INSERT INTO user_roles (user_id, role) VALUES ($1, $2)")
                .bind(id).bind(role.as_str()).execute(&mut *tx).await?;
        }
        for c in &u.competences {
            db::query("INSERT INTO user_competences (user_id, competence) VALUES ($1, $2)")
                .bind(id).bind(c).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    async fn user_by_username(&self, username: &str) -> Result<Option<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE u.username = $1");
        let row = db::query(&sql).bind(username).fetch_optional(&self.pool).await?;
        self.load_user(row).await
    }

    async fn user_by_id(&self, id: Id) -> Result<Option<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE u.id = $1");
        let row = db::query(&sql).bind(id).fetch_optional(&self.pool).await?;
        self.load_user(row).await
    }

    async fn record_login(&self, user_id: Id, at: DateTime<Utc>) -> Result<()> {
        let _turn = self.dialect.write_turn().await;
        db::query("UPDATE users SET last_login_at = $1 WHERE id = $2")
            .bind(at).bind(user_id).execute(&self.pool).await?;
        Ok(())
    }

    async fn create_session(&self, token_hash: &str, user_id: Id, at: DateTime<Utc>, expires: DateTime<Utc>) -> Result<()> {
        let _turn = self.dialect.write_turn().await;
        db::query("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
            .bind(token_hash).bind(user_id).bind(at).bind(expires).execute(&self.pool).await?;
        Ok(())
    }

    async fn session_user(&self, token_hash: &str, now: DateTime<Utc>) -> Result<Option<User>> {
        let sql = format!(
            "SELECT {USER_COLUMNS} FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.active"
        );
        let row = db::query(&sql).bind(token_hash).bind(now).fetch_optional(&self.pool).await?;
        self.load_user(row).await
    }

    async fn delete_session(&self, token_hash: &str) -> Result<()> {
        let _turn = self.dialect.write_turn().await;
        db::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(&self.pool).await?;
        Ok(())
    }

    async fn create_api_token(&self, user_id: Id, name: &str, token_hash: &str, at: DateTime<Utc>) -> Result<Id> {
        let _turn = self.dialect.write_turn().await;
        Ok(db::query("INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id")
            .bind(user_id).bind(name).bind(token_hash).bind(at)
            .fetch_one(&self.pool).await?.try_get("id")?)
    }

    async fn api_token_user(&self, token_hash: &str) -> Result<Option<User>> {
        let sql = format!(
            "SELECT {USER_COLUMNS} FROM api_tokens t JOIN users u ON u.id = t.user_id \
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.active"
        );
        let row = db::query(&sql).bind(token_hash).fetch_optional(&self.pool).await?;
        self.load_user(row).await
    }

    async fn principals(&self) -> Result<Vec<Principal>> {
        let seen = match self.cache.get(|r| r.principals.clone()) {
            Ok(hit) => return Ok(hit),
            Err(seen) => seen,
        };
        let rows = db::query("SELECT id, code, name, kind, municipality_code FROM principals ORDER BY id")
            .fetch_all(&self.pool).await?;
        let rows = all(&rows, principal_from)?;
        self.cache.put(seen, |r| r.principals = Some(rows.clone()));
        Ok(rows)
    }

    async fn principal_by_code(&self, code: &str) -> Result<Option<Principal>> {
        db::query("SELECT id, code, name, kind, municipality_code FROM principals WHERE code = $1")
            .bind(code).fetch_optional(&self.pool).await?.as_ref().map(principal_from).transpose()
    }

    async fn unit(&self, id: Id) -> Result<Option<Unit>> {
        let seen = match self.cache.get(|r| r.units.get(&id).cloned()) {
            Ok(hit) => return Ok(hit),
            Err(seen) => seen,
        };
        let unit = db::query("SELECT id, principal_id, hsa_id, name, kind, customer_number_id FROM units WHERE id = $1")
            .bind(id).fetch_optional(&self.pool).await?.as_ref().map(unit_from).transpose()?;
        self.cache.put(seen, |r| {
            r.units.insert(id, unit.clone());
        });
        Ok(unit)
    }

    async fn warehouses(&self) -> Result<Vec<Warehouse>> {
        all(&db::query("SELECT id, code, name, kind, unit_id FROM warehouses ORDER BY kind, name")
            .fetch_all(&self.pool).await?, warehouse_from)
    }

    async fn patient_by_personal_id(&self, personal_id: &PersonalId) -> Result<Option<Patient>> {
        db::query(
            "SELECT id, personal_id, birth_date, given_name, family_name, municipality_id, created_at \
             FROM patients WHERE personal_id = $1",
        )
        .bind(personal_id.as_str())
        .fetch_optional(&self.pool)
        .await?
        .map(|r| patient_from(&r))
        .transpose()
    }

    async fn patient_settings(&self, patient_id: Id) -> Result<Vec<PatientSetting>> {
        db::query("SELECT patient_id, setting, valid_from, valid_to FROM patient_settings WHERE patient_id = $1 ORDER BY valid_from")
            .bind(patient_id)
            .fetch_all(&self.pool)
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

    async fn has_care_relationship(&self, patient_id: Id, unit_id: Id, on: NaiveDate) -> Result<bool> {
        let row = db::query(
            "SELECT 1 AS one FROM care_relationships WHERE patient_id = $1 AND unit_id = $2 \
             AND valid_from <= $3 AND (valid_to IS NULL OR valid_to >= $3)",
        )
        .bind(patient_id).bind(unit_id).bind(on)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.is_some())
    }

    async fn patient_for_ordering(
        &self,
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
        .bind(personal_id.as_str()).bind(unit_id).bind(on).bind(user_id).bind(now)
        .fetch_optional(&self.pool)
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

    async fn grant_emergency_access(&self, user_id: Id, patient_id: Id, reason: &str, at: DateTime<Utc>, expires: DateTime<Utc>) -> Result<()> {
        let _turn = self.dialect.write_turn().await;
        db::query(
            "INSERT INTO emergency_accesses (user_id, patient_id, reason, granted_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(user_id).bind(patient_id).bind(reason).bind(at).bind(expires)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn has_emergency_access(&self, user_id: Id, patient_id: Id, now: DateTime<Utc>) -> Result<bool> {
        let row = db::query(
            "SELECT 1 AS one FROM emergency_accesses WHERE user_id = $1 AND patient_id = $2 AND granted_at <= $3 AND expires_at > $3",
        )
        .bind(user_id).bind(patient_id).bind(now)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.is_some())
    }

    async fn held_devices(&self, patient_id: Id) -> Result<Vec<HeldDevice>> {
        db::query(
            "SELECT d.id, d.device_number, a.article_number, a.name, a.iso_code, l.start_date, l.payer, l.rule_id, \
             po.rent_end_date \
             FROM devices d JOIN articles a ON a.id = d.article_id \
             JOIN loans l ON l.device_id = d.id AND l.end_date IS NULL \
             LEFT JOIN pickup_orders po ON po.device_id = d.id AND po.status = 'open' \
             WHERE d.patient_id = $1 AND l.patient_id = $1 \
             ORDER BY l.start_date DESC, d.device_number",
        )
        .bind(patient_id)
        .fetch_all(&self.pool)
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
                payer: r.try_get("payer")?,
                rule_id: r.try_get("rule_id")?,
                pickup_rent_end: r.try_get("rent_end_date")?,
            })
        })
        .collect()
    }

    async fn append_audit(&self, e: &NewAuditEntry) -> Result<Id> {
        let _turn = self.dialect.write_turn().await;
        Ok(db::query(
            "INSERT INTO audit_log (occurred_at, user_id, patient_id, action, reason, detail, request_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(e.occurred_at).bind(e.user_id).bind(e.patient_id).bind(&e.action)
        .bind(e.reason.as_str()).bind(&e.detail).bind(&e.request_id)
        .fetch_one(&self.pool)
        .await?
        .try_get("id")?)
    }

    async fn audit_for_patient(&self, patient_id: Id, limit: i64) -> Result<Vec<AuditEntry>> {
        db::query(
            "SELECT id, occurred_at, user_id, patient_id, action, reason, detail, request_id FROM audit_log \
             WHERE patient_id = $1 ORDER BY occurred_at DESC, id DESC LIMIT $2",
        )
        .bind(patient_id).bind(limit)
        .fetch_all(&self.pool).await?
        .iter().map(audit_from).collect()
    }

    async fn audit_recent(&self, limit: i64) -> Result<Vec<AuditEntry>> {
        db::query(
            "SELECT id, occurred_at, user_id, patient_id, action, reason, detail, request_id FROM audit_log \
             ORDER BY id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool).await?
        .iter().map(audit_from).collect()
    }

    async fn search_articles(&self, q: &ArticleQuery) -> Result<Vec<ArticleHit>> {
        // Match and limit first (inner query), then count stock for the
        // few hits only: counting for every match before the LIMIT is
        // what makes a popular word slow.
        let mut b = QueryBuilder::new(format!(
            "SELECT {ARTICLE_COLUMNS}, (SELECT COUNT(*) FROM devices d WHERE d.article_id = a.id AND d.state = 'in_stock') AS in_stock \
             FROM (SELECT * FROM articles a WHERE 1 = 1"
        ));
        for w in &q.words {
            self.dialect.push_text_match(&mut b, &w.to_lowercase());
        }
        if let Some(p) = &q.iso_prefix {
            b.push(" AND a.iso_code LIKE ").push_bind(format!("{}%", like_escape(p))).push(" ESCAPE '\\'");
        }
        b.push(" ORDER BY a.iso_code, a.name, a.article_number LIMIT ").push_bind(q.limit.clamp(1, 500));
        b.push(") a JOIN suppliers s ON s.id = a.supplier_id ORDER BY a.iso_code, a.name, a.article_number");
        b.build()
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| Ok(ArticleHit { article: article_from(r)?, in_stock: r.try_get("in_stock")? }))
            .collect()
    }

    async fn article_by_number(&self, article_number: &str) -> Result<Option<Article>> {
        let seen = match self.cache.get(|r| r.articles_by_number.get(article_number).cloned()) {
            Ok(hit) => return Ok(hit),
            Err(seen) => seen,
        };
        let sql = format!("SELECT {ARTICLE_COLUMNS} FROM articles a JOIN suppliers s ON s.id = a.supplier_id WHERE a.article_number = $1");
        let article = db::query(&sql).bind(article_number).fetch_optional(&self.pool).await?.map(|r| article_from(&r)).transpose()?;
        self.cache.put(seen, |r| {
            r.articles_by_number.insert(article_number.to_string(), article.clone());
        });
        Ok(article)
    }

    async fn product_areas(&self) -> Result<Vec<ProductArea>> {
        let seen = match self.cache.get(|r| r.product_areas.clone()) {
            Ok(hit) => return Ok(hit),
            Err(seen) => seen,
        };
        let rows = db::query("SELECT code, name_sv, name_en, required_competence FROM product_areas ORDER BY code")
            .fetch_all(&self.pool).await?;
        let rows = all(&rows, product_area_from)?;
        self.cache.put(seen, |r| r.product_areas = Some(rows.clone()));
        Ok(rows)
    }

    async fn device_card(&self, device_number: &str) -> Result<Option<DeviceCard>> {
        let Some(r) = db::query(
            "SELECT id, device_number, article_id, serial, purchase_date, purchase_price_ore, state, \
             warehouse_id, patient_id, unit_id, state_since FROM devices WHERE device_number = $1",
        )
        .bind(device_number)
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };
        let device = device_from(&r)?;
        let sql = format!("SELECT {ARTICLE_COLUMNS} FROM articles a JOIN suppliers s ON s.id = a.supplier_id WHERE a.id = $1");
        let article = article_from(&db::query(&sql).bind(device.article_id).fetch_one(&self.pool).await?)?;
        let loan = db::query(
            "SELECT device_id, patient_id, unit_id, customer_number_id, payer, rule_id, agreement_version, start_date, end_date \
             FROM loans WHERE device_id = $1 AND end_date IS NULL",
        )
        .bind(device.id)
        .fetch_optional(&self.pool)
        .await?
        .map(|r| loan_from(&r))
        .transpose()?;
        let warehouse_name = match device.warehouse_id {
            Some(w) => Some(db::query("SELECT name FROM warehouses WHERE id = $1").bind(w).fetch_one(&self.pool).await?.try_get("name")?),
            None => None,
        };
        let events = db::query(
            "SELECT id, device_id, occurred_at, kind, from_state, to_state, actor_user_id, patient_id, warehouse_id, note \
             FROM device_events WHERE device_id = $1 ORDER BY occurred_at, id",
        )
        .bind(device.id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(event_from)
        .collect::<Result<Vec<_>>>()?;
        let flags = db::query(&format!(
            "SELECT d.special_adapted, d.ce_marking_void, {} AS blocked_reason FROM devices d WHERE d.id = $1",
            crate::sql::supply::BLOCKED_REASON
        ))
        .bind(device.id)
        .fetch_one(&self.pool)
        .await?;
        Ok(Some(DeviceCard {
            device,
            article,
            loan,
            warehouse_name,
            events,
            special_adapted: flags.try_get("special_adapted")?,
            ce_marking_void: flags.try_get("ce_marking_void")?,
            blocked_reason: flags.try_get("blocked_reason")?,
        }))
    }

    async fn apply_device_change(&self, c: &DeviceChange) -> Result<()> {
        let mut tx = self.dialect.begin().await?;
        let updated = db::query(
            "UPDATE devices SET state = $1, warehouse_id = $2, patient_id = $3, unit_id = $4, state_since = $5 \
             WHERE id = $6 AND state = $7",
        )
        .bind(c.to.as_str()).bind(c.warehouse_id).bind(c.patient_id).bind(c.unit_id).bind(c.at)
        .bind(c.device_id).bind(c.expected.as_str())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if updated == 0 {
            let exists = db::query("SELECT state FROM devices WHERE id = $1").bind(c.device_id).fetch_optional(&mut *tx).await?;
            return Err(match exists {
                None => StorageError::NotFound(format!("device {}", c.device_id)),
                Some(r) => StorageError::StateMismatch(format!(
                    "device {} is {}, expected {}",
                    c.device_id,
                    r.try_get::<String, _>("state")?,
                    c.expected
                )),
            });
        }
        db::query(
            "INSERT INTO device_events (device_id, occurred_at, kind, from_state, to_state, actor_user_id, patient_id, warehouse_id, note) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(c.device_id).bind(c.at).bind(c.event.as_str()).bind(c.expected.as_str()).bind(c.to.as_str())
        .bind(c.actor_user_id).bind(c.patient_id).bind(c.warehouse_id).bind(&c.note)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn stock(&self, warehouse_id: Id) -> Result<Vec<StockLine>> {
        db::query(
            "SELECT a.id AS article_id, a.article_number, a.name, a.iso_code, \
             SUM(CASE WHEN d.state = 'in_stock' THEN 1 ELSE 0 END) AS in_stock, \
             SUM(CASE WHEN d.state = 'reserved' THEN 1 ELSE 0 END) AS reserved \
             FROM devices d JOIN articles a ON a.id = d.article_id \
             WHERE d.warehouse_id = $1 AND d.state IN ('in_stock', 'reserved') \
             GROUP BY a.id, a.article_number, a.name, a.iso_code ORDER BY a.iso_code, a.name",
        )
        .bind(warehouse_id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(StockLine {
                warehouse_id,
                article_id: r.try_get("article_id")?,
                article_number: r.try_get("article_number")?,
                article_name: r.try_get("name")?,
                iso_code: r.try_get("iso_code")?,
                in_stock: r.try_get("in_stock")?,
                reserved: r.try_get("reserved")?,
            })
        })
        .collect()
    }

    async fn lending_history(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<HistoryRow>> {
        db::query(
            "SELECT l.start_date, p.birth_date, a.iso_code, a.kind, a.purchase_price_ore, pr.name AS municipality, \
             (SELECT ps.setting FROM patient_settings ps WHERE ps.patient_id = p.id AND ps.valid_from <= l.start_date \
              AND (ps.valid_to IS NULL OR ps.valid_to >= l.start_date) ORDER BY ps.valid_from DESC LIMIT 1) AS setting \
             FROM loans l JOIN devices d ON d.id = l.device_id JOIN articles a ON a.id = d.article_id \
             JOIN patients p ON p.id = l.patient_id JOIN principals pr ON pr.id = p.municipality_id \
             WHERE l.start_date >= $1 AND l.start_date <= $2 ORDER BY l.start_date, l.id",
        )
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            let setting: Option<String> = r.try_get("setting")?;
            Ok(HistoryRow {
                start_date: r.try_get("start_date")?,
                birth_date: r.try_get("birth_date")?,
                setting: setting.map(|s| parse_stored("setting", &s)).transpose()?,
                iso_code: IsoCode::parse(&r.try_get::<String, _>("iso_code")?).map_err(StorageError::corrupt)?,
                kind: parse_stored("kind", &r.try_get::<String, _>("kind")?)?,
                municipality: r.try_get("municipality")?,
                purchase_price_ore: r.try_get("purchase_price_ore")?,
            })
        })
        .collect()
    }
}
