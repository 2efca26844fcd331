//! [`Storage`] for [`SqlStorage`]: the engine, migrations, counts; every
//! other method hands over to its aggregate's file (`bulk.rs`,
//! `people.rs`, `organisations.rs`, `patients.rs`, `audit.rs`,
//! `catalog.rs`, `devices.rs`).

use super::{audit, bulk, catalog, catalog_index, devices, organisations, patients, people};
use crate::db;
use crate::sql::SqlStorage;
use crate::*;
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use ramp_domain::ids::PersonalId;

impl SqlStorage {
    async fn count(&self, table: &str) -> Result<i64> {
        let sql = format!("SELECT COUNT(*) AS n FROM {table}");
        db::query(&sql).fetch_one(&self.pool).await?.try_get("n")
    }
}

#[async_trait]
impl Storage for SqlStorage {
    fn engine(&self) -> &'static str {
        self.dialect.engine()
    }

    async fn invariant_violations(&self) -> Result<Vec<(String, i64)>> {
        super::invariants::invariant_violations(self).await
    }

    async fn migrate(&self) -> Result<()> {
        self.dialect.migrate().await
    }

    async fn unit_of_work(&self) -> Result<Box<dyn UnitOfWork>> {
        self.open_unit_of_work().await
    }

    fn use_clock(&self, clock: std::sync::Arc<dyn crate::Clock>) {
        SqlStorage::use_clock(self, clock);
    }

    async fn ping(&self) -> Result<()> {
        db::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    async fn check_read_replica(&self) -> Option<crate::ReplicaStatus> {
        let replica = self.replica.as_ref()?;
        Some(replica.check(&self.pool).await)
    }

    async fn probe_write(&self, at: DateTime<Utc>) -> Result<()> {
        let mut tx = self.dialect.begin().await?;
        db::query(
            "INSERT INTO readiness_probe (id, checked_at) VALUES (1, $1) \
             ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at",
        )
        .bind(at)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
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
        bulk::insert_principals(self, rows).await
    }

    async fn insert_customer_numbers(&self, rows: &[CustomerNumber]) -> Result<()> {
        bulk::insert_customer_numbers(self, rows).await
    }

    async fn insert_units(&self, rows: &[Unit]) -> Result<()> {
        bulk::insert_units(self, rows).await
    }

    async fn insert_warehouses(&self, rows: &[Warehouse]) -> Result<()> {
        bulk::insert_warehouses(self, rows).await
    }

    async fn insert_users(&self, rows: &[User]) -> Result<()> {
        bulk::insert_users(self, rows).await
    }

    async fn insert_patients(&self, rows: &[Patient]) -> Result<()> {
        bulk::insert_patients(self, rows).await
    }

    async fn insert_patient_settings(&self, rows: &[PatientSetting]) -> Result<()> {
        bulk::insert_patient_settings(self, rows).await
    }

    async fn insert_care_relationships(&self, rows: &[CareRelationship]) -> Result<()> {
        bulk::insert_care_relationships(self, rows).await
    }

    async fn insert_product_areas(&self, rows: &[ProductArea]) -> Result<()> {
        bulk::insert_product_areas(self, rows).await
    }

    async fn insert_suppliers(&self, rows: &[Supplier]) -> Result<()> {
        bulk::insert_suppliers(self, rows).await
    }

    async fn insert_articles(&self, rows: &[Article]) -> Result<()> {
        bulk::insert_articles(self, rows).await
    }

    async fn insert_replacement_groups(&self, rows: &[ReplacementGroup]) -> Result<()> {
        bulk::insert_replacement_groups(self, rows).await
    }

    async fn insert_devices(&self, rows: &[Device]) -> Result<()> {
        bulk::insert_devices(self, rows).await
    }

    async fn insert_loans(&self, rows: &[Loan]) -> Result<()> {
        bulk::insert_loans(self, rows).await
    }

    async fn insert_device_events(&self, rows: &[DeviceEvent]) -> Result<()> {
        bulk::insert_device_events(self, rows).await
    }

    async fn finish_bulk_load(&self) -> Result<()> {
        self.cache.invalidate();
        self.dialect.finish_bulk_load().await
    }

    async fn create_user(&self, u: &NewUser) -> Result<Id> {
        people::create_user(self, u).await
    }

    async fn user_by_username(&self, username: &str) -> Result<Option<User>> {
        people::user_by_username(self, username).await
    }

    async fn user_by_hsa_id(&self, hsa_id: &str) -> Result<Option<User>> {
        people::user_by_hsa_id(self, hsa_id).await
    }

    async fn user_by_id(&self, id: Id) -> Result<Option<User>> {
        people::user_by_id(self, id).await
    }

    async fn record_login(&self, user_id: Id, at: DateTime<Utc>) -> Result<()> {
        people::record_login(self, user_id, at).await
    }

    async fn create_session(
        &self,
        token_hash: &str,
        user_id: Id,
        at: DateTime<Utc>,
        expires: DateTime<Utc>,
    ) -> Result<()> {
        people::create_session(self, token_hash, user_id, at, expires).await
    }

    async fn session_user(&self, token_hash: &str, now: DateTime<Utc>) -> Result<Option<User>> {
        people::session_user(self, token_hash, now).await
    }

    async fn delete_session(&self, token_hash: &str) -> Result<()> {
        people::delete_session(self, token_hash).await
    }

    async fn create_api_token(&self, user_id: Id, name: &str, token_hash: &str, at: DateTime<Utc>) -> Result<Id> {
        people::create_api_token(self, user_id, name, token_hash, at).await
    }

    async fn api_token_user(&self, token_hash: &str) -> Result<Option<User>> {
        people::api_token_user(self, token_hash).await
    }

    async fn principals(&self) -> Result<Vec<Principal>> {
        organisations::principals(self).await
    }

    async fn principal_by_code(&self, code: &str) -> Result<Option<Principal>> {
        organisations::principal_by_code(self, code).await
    }

    async fn unit(&self, id: Id) -> Result<Option<Unit>> {
        organisations::unit(self, id).await
    }

    async fn warehouses(&self) -> Result<Vec<Warehouse>> {
        organisations::warehouses(self).await
    }

    async fn patient_by_personal_id(&self, personal_id: &PersonalId) -> Result<Option<Patient>> {
        patients::patient_by_personal_id(self, personal_id).await
    }

    async fn patient_settings(&self, patient_id: Id) -> Result<Vec<PatientSetting>> {
        patients::patient_settings(self, patient_id).await
    }

    async fn has_care_relationship(&self, patient_id: Id, unit_id: Id, on: NaiveDate) -> Result<bool> {
        patients::has_care_relationship(self, patient_id, unit_id, on).await
    }

    async fn patient_for_ordering(
        &self,
        personal_id: &PersonalId,
        user_id: Id,
        unit_id: Option<Id>,
        on: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<Option<PatientForOrdering>> {
        patients::patient_for_ordering(self, personal_id, user_id, unit_id, on, now).await
    }

    async fn has_emergency_access(&self, user_id: Id, patient_id: Id, now: DateTime<Utc>) -> Result<bool> {
        patients::has_emergency_access(self, user_id, patient_id, now).await
    }

    async fn held_devices(&self, patient_id: Id, on: NaiveDate) -> Result<Vec<HeldDevice>> {
        patients::held_devices(self, patient_id, on).await
    }

    async fn append_audit(&self, e: &NewAuditEntry) -> Result<Id> {
        audit::append_audit(self, e).await
    }

    async fn audit_for_patient(&self, patient_id: Id, limit: i64) -> Result<Vec<AuditEntry>> {
        audit::audit_for_patient(self, patient_id, limit).await
    }

    async fn audit_recent(&self, limit: i64) -> Result<Vec<AuditEntry>> {
        audit::audit_recent(self, limit).await
    }

    async fn search_articles(&self, q: &ArticleQuery) -> Result<Vec<ArticleHit>> {
        catalog::search_articles(self, q).await
    }

    async fn articles_for_index(&self, after: Id, limit: i64) -> Result<Vec<IndexedArticle>> {
        catalog_index::articles_for_index(self, after, limit).await
    }

    async fn articles_for_index_by_ids(&self, ids: &[Id]) -> Result<Vec<IndexedArticle>> {
        catalog_index::articles_for_index_by_ids(self, ids).await
    }

    async fn article_hits(&self, ids: &[Id]) -> Result<Vec<ArticleHit>> {
        catalog_index::article_hits(self, ids).await
    }

    async fn in_stock_counts(&self) -> Result<Vec<(Id, i64)>> {
        catalog_index::in_stock_counts(self).await
    }

    async fn article_by_number(&self, article_number: &str) -> Result<Option<Article>> {
        catalog::article_by_number(self, article_number).await
    }

    async fn product_areas(&self) -> Result<Vec<ProductArea>> {
        catalog::product_areas(self).await
    }

    async fn device_card(&self, device_number: &str) -> Result<Option<DeviceCard>> {
        devices::device_card(self, device_number).await
    }

    async fn apply_device_change(&self, c: &DeviceChange) -> Result<()> {
        devices::apply_device_change(self, c).await
    }

    async fn stock(&self, warehouse_id: Id) -> Result<Vec<StockLine>> {
        devices::stock(self, warehouse_id).await
    }

    async fn lending_history(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<HistoryRow>> {
        devices::lending_history(self, from, to).await
    }
}
