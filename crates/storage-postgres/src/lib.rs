//! Storage on PostgreSQL, the production engine.

mod order_group;

use ramp_storage::cache::StaticCache;
use ramp_storage::write_tx::{WriteTx, WriterTurn};
use ramp_storage::{Result, StorageError};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::PgPool;
use std::future::Future;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

/// Tables whose `id` is an identity column, moved past explicitly loaded ids.
const IDENTITY_TABLES: &[&str] = &[
    "principals",
    "customer_numbers",
    "units",
    "warehouses",
    "users",
    "api_tokens",
    "patients",
    "patient_settings",
    "care_relationships",
    "emergency_accesses",
    "suppliers",
    "articles",
    "replacement_groups",
    "devices",
    "loans",
    "device_events",
    "audit_log",
    "cart_items",
    "orders",
    "order_lines",
    "order_events",
    "replacement_answers",
    "pickup_orders",
    "work_orders",
    "lost_reports",
    "receipts",
    "receipt_lines",
    "safety_notices",
    "work_order_entries",
    "adaptation_documents",
    "consultation_locations",
    "consultation_slots",
    "consultations",
    "consultation_bookings",
    "consultation_events",
    "outbox",
    "surplus_sales",
    "surplus_complaints",
];

/// Ramp's storage on a PostgreSQL database.
#[derive(Clone)]
pub struct PostgresStorage {
    pool: PgPool,
    cache: Arc<StaticCache>,
    /// Direct orders waiting to be written together ([`order_group`]).
    group: Arc<order_group::OrderGroup>,
}

impl PostgresStorage {
    /// Connects to a `postgres://` URL.
    pub async fn connect(url: &str, max_connections: u32) -> Result<Self> {
        let options = PgConnectOptions::from_str(url).map_err(StorageError::Database)?;
        let pool = PgPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(Duration::from_secs(30))
            // No ping before every use: each statement on the pool would
            // cost a second round trip (measured under `ramp bench orders`).
            // A connection the server dropped fails its next statement
            // instead and is discarded; connections are also renewed after
            // 30 minutes (sqlx's `max_lifetime`) and closed after 10 idle.
            .test_before_acquire(false)
            .connect_with(options.clone())
            .await?;
        let group = Arc::new(order_group::OrderGroup::start(options)?);
        Ok(Self { pool, cache: Arc::default(), group })
    }

    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// Places `orders` in one statement, as the order group does (see
    /// [`order_group`]): every order or none. A line that finds no device
    /// fails the whole statement (a database error, division by zero) and
    /// nothing of it is kept. Public for the group's own tests.
    pub async fn place_direct_orders_together(
        &self,
        orders: &[ramp_storage::NewDirectOrder],
    ) -> Result<Vec<ramp_storage::DirectPlacement>> {
        let orders: Vec<&ramp_storage::NewDirectOrder> = orders.iter().collect();
        let mut conn = self.group.pool().acquire().await?;
        Ok(order_group::together(&mut conn, &orders).await?)
    }

    fn dialect_engine(&self) -> &'static str {
        "postgres"
    }

    /// A plain transaction: row locks and conditional updates order the writers.
    async fn dialect_begin(&self) -> Result<WriteTx<sqlx::Postgres>> {
        Ok(WriteTx::new(self.pool.begin().await?, None))
    }

    /// Where the caller is: PostgreSQL's writers wait only for row locks.
    async fn dialect_run_write<T: Send + 'static>(
        &self,
        work: impl Future<Output = Result<T>> + Send + 'static,
    ) -> Result<T> {
        work.await
    }

    /// One statement at a time: the extended protocol takes no batches.
    fn dialect_batches(&self) -> bool {
        false
    }

    /// A direct order goes into the next group of orders written as one
    /// statement ([`order_group`]).
    async fn dialect_place_direct(&self, d: &ramp_storage::NewDirectOrder) -> Result<ramp_storage::DirectPlacement> {
        order_group::place(self, d.clone()).await
    }

    /// A transaction sent in batches (unused: `dialect_batches` is false).
    async fn dialect_batch_tx(&self) -> Result<ramp_storage::batch::BatchTx<sqlx::Postgres>> {
        let turn = None;
        Ok(ramp_storage::batch::BatchTx::new(self.pool.acquire().await?, turn))
    }

    /// No turn to wait for.
    async fn dialect_write_turn(&self) -> Option<WriterTurn> {
        None
    }

    /// Picking a device skips the rows other transactions are taking right
    /// now instead of queueing behind their locks.
    fn dialect_skip_locked(&self) -> &'static str {
        " FOR UPDATE OF d SKIP LOCKED"
    }

    fn dialect_max_binds(&self) -> usize {
        65_535
    }

    /// `search_text LIKE '%word%'`, served by the pg_trgm GIN index.
    fn dialect_push_text_match(&self, b: &mut sqlx::QueryBuilder<'_, sqlx::Postgres>, word: &str) {
        let pattern = format!("%{}%", ramp_storage::sql::like_escape(word));
        b.push(" AND a.search_text LIKE ").push_bind(pattern).push(" ESCAPE '\\'");
    }

    async fn dialect_migrate(&self) -> Result<()> {
        sqlx::migrate!("./migrations").run(&self.pool).await?;
        Ok(())
    }

    async fn dialect_finish_bulk_load(&self) -> Result<()> {
        for table in IDENTITY_TABLES {
            let sql = format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
            );
            sqlx::query(&sql).execute(&self.pool).await?;
        }
        sqlx::query("ANALYZE").execute(&self.pool).await?;
        Ok(())
    }
}

ramp_storage::sql_storage!(PostgresStorage, sqlx::Postgres);
ramp_storage::sql_order_storage!(PostgresStorage, sqlx::Postgres);
ramp_storage::sql_figures_storage!(PostgresStorage, sqlx::Postgres);
ramp_storage::sql_supply_storage!(PostgresStorage, sqlx::Postgres);
ramp_storage::sql_consult_storage!(PostgresStorage, sqlx::Postgres);
ramp_storage::sql_fees_storage!(PostgresStorage, sqlx::Postgres);
ramp_storage::sql_economy_storage!(PostgresStorage, sqlx::Postgres);
ramp_storage::sql_billing_storage!(PostgresStorage, sqlx::Postgres);
