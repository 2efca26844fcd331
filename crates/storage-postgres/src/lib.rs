//! Storage on PostgreSQL, the production engine.
//!
//! The SQL itself is [`SqlStorage`]'s, shared with SQLite; this crate
//! opens the pool and implements [`Dialect`] for PostgreSQL: row locks
//! with `SKIP LOCKED`, pg_trgm text search, identity sequences after a
//! bulk load, and the order group ([`order_group`]) for direct orders.

mod order_group;

use async_trait::async_trait;
use ramp_storage::db::{storage_error, Pool, QueryBuilder};
use ramp_storage::replica::ReadReplica;
use ramp_storage::write_tx::{WriteTx, WriterTurn};
use ramp_storage::{Dialect, DirectPlacement, NewDirectOrder, Result, SqlStorage, StorageError};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::PgPool;
use std::any::Any;
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

/// Opens Ramp's storage on a PostgreSQL database.
pub struct PostgresStorage;

impl PostgresStorage {
    /// Connects to a `postgres://` URL.
    pub async fn connect(url: &str, max_connections: u32) -> Result<SqlStorage> {
        let options = PgConnectOptions::from_str(url).map_err(|e| StorageError::Database(e.into()))?;
        let pool = PgPoolOptions::new()
            .max_connections(max_connections)
            // A request waits at most this long for a connection: while the
            // server is down or restarting, requests are answered 503 soon
            // instead of hanging (the pool reconnects when it is back).
            .acquire_timeout(Duration::from_secs(5))
            // No ping before every use: each statement on the pool would
            // cost a second round trip (measured under `ramp bench orders`).
            // A connection the server dropped fails its next statement
            // instead and is discarded; connections are also renewed after
            // 30 minutes (sqlx's `max_lifetime`) and closed after 10 idle.
            .test_before_acquire(false)
            .connect_with(options.clone())
            .await
            .map_err(storage_error)?;
        let group = Arc::new(order_group::OrderGroup::start(options)?);
        let dialect = PostgresDialect { pool: pool.clone(), group };
        Ok(SqlStorage::new(Pool::Postgres(pool), Arc::new(dialect)))
    }

    /// A streaming read replica (a hot standby of the primary) for the
    /// follow-up reports, at most `max_lag` behind (see
    /// [`ramp_storage::replica`]). Connects lazily: Ramp starts while the
    /// replica is down, and reads from the primary until a check finds
    /// the replica serving. Its connections are named `ramp-reports`
    /// (`pg_stat_activity.application_name`).
    pub fn read_replica(url: &str, max_connections: u32, max_lag: Duration) -> Result<ReadReplica> {
        let options = PgConnectOptions::from_str(url)
            .map_err(|e| StorageError::Database(e.into()))?
            .application_name("ramp-reports");
        let pool = PgPoolOptions::new()
            .max_connections(max_connections)
            // A replica that went away fails its reports quickly; the
            // next check moves them to the primary.
            .acquire_timeout(Duration::from_secs(2))
            .test_before_acquire(false)
            .connect_lazy_with(options);
        Ok(ReadReplica::new(Pool::Postgres(pool), max_lag))
    }

    /// Places `orders` in one statement, as the order group does (see
    /// [`order_group`]): every order or none. A line that finds no device
    /// fails the whole statement (a database error, division by zero) and
    /// nothing of it is kept. Public for the group's own tests; `storage`
    /// must be one [`PostgresStorage::connect`] opened.
    pub async fn place_direct_orders_together(
        storage: &SqlStorage,
        orders: &[NewDirectOrder],
    ) -> Result<Vec<DirectPlacement>> {
        let dialect = storage.dialect().as_any().downcast_ref::<PostgresDialect>().ok_or_else(|| {
            StorageError::Database(sqlx::Error::Configuration("not a PostgreSQL storage".into()).into())
        })?;
        let orders: Vec<&NewDirectOrder> = orders.iter().collect();
        let mut conn = dialect.group.pool().acquire().await.map_err(storage_error)?;
        order_group::together(&mut conn, &orders).await.map_err(storage_error)
    }
}

/// PostgreSQL's [`Dialect`].
struct PostgresDialect {
    pool: PgPool,
    /// Direct orders waiting to be written together ([`order_group`]).
    group: Arc<order_group::OrderGroup>,
}

#[async_trait]
impl Dialect for PostgresDialect {
    fn engine(&self) -> &'static str {
        "postgres"
    }

    async fn migrate(&self) -> Result<()> {
        sqlx::migrate!("./migrations").run(&self.pool).await.map_err(|e| StorageError::Migrate(e.into()))?;
        Ok(())
    }

    async fn finish_bulk_load(&self) -> Result<()> {
        for table in IDENTITY_TABLES {
            let sql = format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
            );
            sqlx::query(&sql).execute(&self.pool).await.map_err(storage_error)?;
        }
        sqlx::query("ANALYZE").execute(&self.pool).await.map_err(storage_error)?;
        Ok(())
    }

    /// A plain transaction: row locks and conditional updates order the writers.
    async fn begin(&self) -> Result<WriteTx> {
        WriteTx::begin(self.pool.acquire().await.map_err(storage_error)?.into(), None).await
    }

    /// No turn to wait for.
    async fn write_turn(&self) -> Option<WriterTurn> {
        None
    }

    /// Picking a device skips the rows other transactions are taking right
    /// now instead of queueing behind their locks.
    fn skip_locked(&self) -> &'static str {
        " FOR UPDATE OF d SKIP LOCKED"
    }

    fn max_binds(&self) -> usize {
        65_535
    }

    fn select_json_rows(&self, types: &[&str]) -> String {
        let columns: Vec<String> = types
            .iter()
            .enumerate()
            .map(|(i, t)| if *t == "text" { format!("value ->> {i}") } else { format!("(value ->> {i})::{t}") })
            .collect();
        format!("SELECT {} FROM jsonb_array_elements($1::jsonb) AS j(value)", columns.join(", "))
    }

    /// `search_text LIKE '%word%'`, served by the pg_trgm GIN index.
    fn push_text_match(&self, b: &mut QueryBuilder<'_>, word: &str) {
        let pattern = format!("%{}%", ramp_storage::sql::like_escape(word));
        b.push(" AND a.search_text LIKE ").push_bind(pattern).push(" ESCAPE '\\'");
    }

    /// A direct order goes into the next group of orders written as one
    /// statement ([`order_group`]).
    async fn place_direct(&self, storage: &SqlStorage, order: &NewDirectOrder) -> Result<DirectPlacement> {
        order_group::place(storage, &self.group, order.clone()).await
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}
