//! What differs between the engines, in one place.
//!
//! The SQL of [`SqlStorage`] is written once; these are the only things
//! each engine does its own way ([`Dialect`], implemented by
//! `ramp-storage-sqlite` and `ramp-storage-postgres`):
//!
//! | | SQLite | PostgreSQL |
//! |---|---|---|
//! | [`engine`](Dialect::engine) | `sqlite` | `postgres` |
//! | [`migrate`](Dialect::migrate) | its migrations, then drops `sqlite_stat4` samples | its migrations |
//! | [`finish_bulk_load`](Dialect::finish_bulk_load) | `ANALYZE`, drops samples | moves identity sequences past loaded ids, `ANALYZE` |
//! | [`begin`](Dialect::begin) | waits for the writer turn, on the one writer connection | any connection, no turn |
//! | [`write_turn`](Dialect::write_turn) | the writer turn | none |
//! | [`skip_locked`](Dialect::skip_locked) | nothing | `FOR UPDATE OF d SKIP LOCKED` |
//! | [`max_binds`](Dialect::max_binds) | 32,766 | 65,535 |
//! | [`select_json_rows`](Dialect::select_json_rows) | `json_each($1)` | `jsonb_array_elements($1::jsonb)`, cast per column |
//! | [`push_text_match`](Dialect::push_text_match) | FTS5 trigram index (LIKE fallback) | `LIKE` on the pg_trgm index |
//! | [`place_direct`](Dialect::place_direct) | two batches on the writer thread | the order group (one statement for many orders) |
//!
//! Everything else (placeholders `$N`, `RETURNING`, `ON CONFLICT`, partial
//! indexes) is the SQL both accept.

use crate::db::QueryBuilder;
use crate::sql::SqlStorage;
use crate::write_tx::{WriteTx, WriterTurn};
use crate::{DirectPlacement, NewDirectOrder, Result};
use async_trait::async_trait;
use std::any::Any;

/// One engine's differences (see the module documentation for the list).
#[async_trait]
pub trait Dialect: Send + Sync + 'static {
    /// `sqlite` or `postgres` ([`crate::Storage::engine`]).
    fn engine(&self) -> &'static str;

    /// Runs the engine's migrations: each engine has its own directory of
    /// them (types, indexes and full-text search differ), and SQLite also
    /// drops the planner's samples an older version may have gathered.
    async fn migrate(&self) -> Result<()>;

    /// After explicit-id inserts: PostgreSQL's identity sequences must be
    /// moved past the loaded ids (SQLite's rowids need nothing); both
    /// gather the planner's statistics, SQLite without its samples.
    async fn finish_bulk_load(&self) -> Result<()>;

    /// A write transaction. SQLite has one writer at a time, so it waits
    /// for this process's writer turn and runs on the one writer
    /// connection; PostgreSQL orders its writers by row locks and
    /// conditional updates and begins on any connection of the pool.
    async fn begin(&self) -> Result<WriteTx>;

    /// The writer turn for one autocommit write: SQLite's writers queue
    /// in the process (see [`crate::write_tx`]); PostgreSQL's do not.
    async fn write_turn(&self) -> Option<WriterTurn>;

    /// The row-lock clause for picking a device: PostgreSQL skips the
    /// rows other transactions are taking instead of queueing behind
    /// them; SQLite's writer holds the whole database, so nothing.
    fn skip_locked(&self) -> &'static str;

    /// The most parameters one statement may bind (the engines' limits).
    fn max_binds(&self) -> usize;

    /// How many parameters a batch insert binds per statement: the limit,
    /// unless binding that many is slow (see SQLite's).
    fn batch_binds(&self) -> usize {
        self.max_binds()
    }

    /// `SELECT <one column per type> FROM <the JSON array bound as $1>`:
    /// many rows written with one parameter (a run's invoice lines), each
    /// row a JSON array of `types.len()` values (`bigint`, `integer`,
    /// `text`, `date`, `timestamptz`). SQLite reads it with `json_each`
    /// (its values keep their JSON types; dates are ISO text as stored);
    /// PostgreSQL with `jsonb_array_elements` and a cast per column (`jsonb`, not
    /// `json`: `->>` on a `json` value rescans its text for every column).
    fn select_json_rows(&self, types: &[&str]) -> String;

    /// Appends `AND <article a matches word>` to a catalog search:
    /// PostgreSQL's pg_trgm index serves `LIKE '%word%'` itself; SQLite's
    /// FTS5 trigram index must be asked through its own table and cannot
    /// serve an `ESCAPE` clause or fewer than three characters.
    fn push_text_match(&self, b: &mut QueryBuilder<'_>, word: &str);

    /// Places a direct order (`OrderStore::place_direct_order`). SQLite
    /// sends it in two batches on its writer thread
    /// ([`SqlStorage::place_direct_order_batched`]); PostgreSQL writes the
    /// orders that queue together as one statement (its order group),
    /// falling back to [`SqlStorage::place_direct_order_alone`].
    async fn place_direct(&self, storage: &SqlStorage, order: &NewDirectOrder) -> Result<DirectPlacement>;

    /// The engine's own type, for its crate's engine-only entry points.
    fn as_any(&self) -> &dyn Any;
}
