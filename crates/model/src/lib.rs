//! Ramp's model of what it stores, without a database: the [`Storage`]
//! port and its sub-traits, the row and value types that cross it,
//! [`StorageError`], and the [`Clock`](clock::Clock) time comes from.
//!
//! The use-cases (`ramp-app`) and the web layer depend on this crate only;
//! the SQL adapter (`ramp-storage`, with the engine crates
//! `ramp-storage-sqlite` and `ramp-storage-postgres`) implements
//! [`Storage`] and passes the contract suite there. Nothing here depends
//! on sqlx.

mod admin;
mod audit;
mod billing;
mod catalog_import;
pub mod clock;
mod consult;
mod digital;
mod economy;
mod error;
mod fees;
mod figures;
mod interop;
mod order_lists;
mod order_page;
mod orders;
mod patient_invoices;
mod patient_register;
mod product;
mod replica;
mod routes;
mod security;
mod supply;
mod types;
mod unit_of_work;
mod warehouse;
mod workshop;

pub use admin::*;
pub use audit::*;
pub use billing::*;
pub use catalog_import::*;
pub use clock::{Clock, FixedClock, SystemClock};
pub use consult::*;
pub use digital::*;
pub use economy::*;
pub use error::{BoxError, Result, StorageError};
pub use fees::*;
pub use figures::*;
pub use interop::*;
pub use order_lists::*;
pub use order_page::*;
pub use orders::*;
pub use patient_invoices::*;
pub use patient_register::*;
pub use product::*;
pub use replica::ReplicaStatus;
pub use routes::*;
pub use security::*;
pub use supply::*;
pub use types::*;
pub use unit_of_work::*;
pub use warehouse::*;
pub use workshop::*;

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use ramp_domain::ids::PersonalId;

/// What a catalog search asks for. Words are matched as substrings of the
/// name, article number and ISO code (all of them must match); the ISO
/// prefix, when given, narrows to one class, subclass or division.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArticleQuery {
    pub words: Vec<String>,
    pub iso_prefix: Option<String>,
    pub limit: i64,
}

/// A user to create (`ramp user add`, admin UI).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub password_hash: Option<String>,
    pub principal_id: Id,
    pub unit_id: Option<Id>,
    pub roles: Vec<ramp_domain::role::Role>,
    pub competences: Vec<String>,
    pub created_at: DateTime<Utc>,
    /// The HSA id an OIDC login maps to this user (unique), if any.
    pub hsa_id: Option<String>,
}

/// Everything Ramp stores. Implemented once for both engines by
/// `ramp_storage::SqlStorage`, which passes the suite in
/// `ramp_storage::contract` on each. Every method is one transaction;
/// [`Storage::unit_of_work`] opens one that the caller composes.
#[async_trait]
pub trait Storage:
    OrderStore
    + SupplyStore
    + ConsultStore
    + FiguresStore
    + BillingStore
    + FeesStore
    + PatientInvoiceStore
    + EconomyStore
    + SecurityStore
    + AdminStore
    + AuditStore
    + PatientRegisterStore
    + OrderListStore
    + ProductStore
    + DigitalStore
    + InteropStore
    + CatalogImportStore
    + RouteStore
    + WarehouseStore
    + WorkshopStore
    + Send
    + Sync
    + 'static
{
    /// `sqlite` or `postgres`.
    fn engine(&self) -> &'static str;
    async fn migrate(&self) -> Result<()>;
    /// The invariants a database must hold (no order without lines, no
    /// device in two open loans, invoice totals the sum of their lines, ...)
    /// with the number of rows breaking each; empty when all hold.
    async fn invariant_violations(&self) -> Result<Vec<(String, i64)>>;
    /// Opens a write transaction for the caller to compose
    /// ([`UnitOfWork`]); dropped without a commit, it is rolled back.
    async fn unit_of_work(&self) -> Result<Box<dyn UnitOfWork>>;
    /// Where the storage takes the time for what it times itself (how
    /// long its cache of nearly static rows is served): the application's
    /// clock, set when the application is built on the storage.
    fn use_clock(&self, clock: std::sync::Arc<dyn Clock>);
    /// A trivial query: is the database answering?
    async fn ping(&self) -> Result<()>;
    /// Commits one small write (the `readiness_probe` row): does the
    /// database take writes now? A full or read-only disk answers a ping
    /// but fails here.
    async fn probe_write(&self, at: DateTime<Utc>) -> Result<()>;
    /// Checks the streaming read replica the follow-up reports are read
    /// from (PostgreSQL's `--read-replica-url`) and decides whether they
    /// are read from it until the next check; `None` without a replica.
    async fn check_read_replica(&self) -> Option<ReplicaStatus>;
    async fn counts(&self) -> Result<Counts>;

    // Bulk loading with explicit ids (demo data, imports). Each call is one transaction.
    async fn insert_principals(&self, rows: &[Principal]) -> Result<()>;
    async fn insert_customer_numbers(&self, rows: &[CustomerNumber]) -> Result<()>;
    async fn insert_units(&self, rows: &[Unit]) -> Result<()>;
    async fn insert_warehouses(&self, rows: &[Warehouse]) -> Result<()>;
    async fn insert_users(&self, rows: &[User]) -> Result<()>;
    async fn insert_patients(&self, rows: &[Patient]) -> Result<()>;
    async fn insert_patient_settings(&self, rows: &[PatientSetting]) -> Result<()>;
    async fn insert_care_relationships(&self, rows: &[CareRelationship]) -> Result<()>;
    async fn insert_product_areas(&self, rows: &[ProductArea]) -> Result<()>;
    async fn insert_suppliers(&self, rows: &[Supplier]) -> Result<()>;
    async fn insert_articles(&self, rows: &[Article]) -> Result<()>;
    async fn insert_replacement_groups(&self, rows: &[ReplacementGroup]) -> Result<()>;
    async fn insert_devices(&self, rows: &[Device]) -> Result<()>;
    async fn insert_loans(&self, rows: &[Loan]) -> Result<()>;
    async fn insert_device_events(&self, rows: &[DeviceEvent]) -> Result<()>;
    /// After explicit-id inserts: move id sequences past the loaded rows, refresh statistics.
    async fn finish_bulk_load(&self) -> Result<()>;

    // People and access.
    async fn create_user(&self, user: &NewUser) -> Result<Id>;
    async fn user_by_username(&self, username: &str) -> Result<Option<User>>;
    /// The user an OIDC login's HSA id maps to (active or not).
    async fn user_by_hsa_id(&self, hsa_id: &str) -> Result<Option<User>>;
    async fn user_by_id(&self, id: Id) -> Result<Option<User>>;
    async fn record_login(&self, user_id: Id, at: DateTime<Utc>) -> Result<()>;
    async fn create_session(
        &self,
        token_hash: &str,
        user_id: Id,
        at: DateTime<Utc>,
        expires: DateTime<Utc>,
    ) -> Result<()>;
    async fn session_user(&self, token_hash: &str, now: DateTime<Utc>) -> Result<Option<User>>;
    async fn delete_session(&self, token_hash: &str) -> Result<()>;
    async fn create_api_token(&self, user_id: Id, name: &str, token_hash: &str, at: DateTime<Utc>) -> Result<Id>;
    async fn api_token_user(&self, token_hash: &str) -> Result<Option<User>>;

    // Organisations.
    async fn principals(&self) -> Result<Vec<Principal>>;
    async fn principal_by_code(&self, code: &str) -> Result<Option<Principal>>;
    async fn unit(&self, id: Id) -> Result<Option<Unit>>;
    async fn warehouses(&self) -> Result<Vec<Warehouse>>;

    // Patients.
    async fn patient_by_personal_id(&self, personal_id: &PersonalId) -> Result<Option<Patient>>;
    async fn patient_settings(&self, patient_id: Id) -> Result<Vec<PatientSetting>>;
    async fn has_care_relationship(&self, patient_id: Id, unit_id: Id, on: NaiveDate) -> Result<bool>;
    /// The patient by personal identity number, with whether `unit_id` has
    /// a care relationship on `on`, whether `user_id` has emergency access
    /// at `now`, and the setting on `on` — one read.
    async fn patient_for_ordering(
        &self,
        personal_id: &PersonalId,
        user_id: Id,
        unit_id: Option<Id>,
        on: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<Option<PatientForOrdering>>;
    async fn has_emergency_access(&self, user_id: Id, patient_id: Id, now: DateTime<Utc>) -> Result<bool>;
    /// The patient's device overview: every device the patient holds now,
    /// with the payer in force on `on` (a move may have changed it, issue 22).
    async fn held_devices(&self, patient_id: Id, on: NaiveDate) -> Result<Vec<HeldDevice>>;

    // Audit.
    async fn append_audit(&self, entry: &NewAuditEntry) -> Result<Id>;
    async fn audit_for_patient(&self, patient_id: Id, limit: i64) -> Result<Vec<AuditEntry>>;
    async fn audit_recent(&self, limit: i64) -> Result<Vec<AuditEntry>>;

    // Catalog.
    async fn search_articles(&self, query: &ArticleQuery) -> Result<Vec<ArticleHit>>;
    /// Articles with their replacement group, by id from `after` (exclusive),
    /// `limit` at a time: what the search index is built from.
    async fn articles_for_index(&self, after: Id, limit: i64) -> Result<Vec<IndexedArticle>>;
    /// The same for the given ids (an index update after a catalog change).
    async fn articles_for_index_by_ids(&self, ids: &[Id]) -> Result<Vec<IndexedArticle>>;
    /// The given articles with their stock counts now, in no particular
    /// order (the product page; search hits count from the snapshot).
    async fn article_hits(&self, ids: &[Id]) -> Result<Vec<ArticleHit>>;
    /// Devices in stock now per article (articles without any are left out):
    /// the search index's stock snapshot.
    async fn in_stock_counts(&self) -> Result<Vec<(Id, i64)>>;
    async fn article_by_number(&self, article_number: &str) -> Result<Option<Article>>;
    async fn product_areas(&self) -> Result<Vec<ProductArea>>;

    // Devices.
    async fn device_card(&self, device_number: &str) -> Result<Option<DeviceCard>>;
    /// Applies the change only if the device is still in `change.expected`;
    /// otherwise `StateMismatch` and nothing is written.
    async fn apply_device_change(&self, change: &DeviceChange) -> Result<()>;
    async fn stock(&self, warehouse_id: Id) -> Result<Vec<StockLine>>;

    // History.
    /// Loans to patients that started in `from..=to`, oldest first.
    async fn lending_history(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<HistoryRow>>;
}
