//! The SQL implementation of [`Storage`](crate::Storage) and its
//! sub-traits, written once for both engines as plain Rust.
//!
//! [`SqlStorage`] holds a [`Pool`] of either engine (the concrete layer in
//! [`crate::db`]), the engine's [`Dialect`] (the few real differences
//! between the engines) and a [`StaticCache`] of nearly static rows. The
//! SQL is written once, in the subset both SQLite and PostgreSQL accept
//! (`$n` placeholders, `RETURNING`, partial indexes, `ON CONFLICT`).
//!
//! One file per aggregate. [`Storage`](crate::Storage) itself is
//! implemented in `storage.rs`, each method handing over to its
//! aggregate's file: `bulk.rs` (explicit-id loading), `people.rs`,
//! `organisations.rs`, `patients.rs`, `audit.rs`, `catalog.rs`,
//! `devices.rs`. The sub-traits are implemented whole in theirs:
//! `orders.rs`, `supply.rs`, `consult.rs`, `figures.rs`, `billing.rs`,
//! `fees.rs`, `patient_invoices.rs`, `digital.rs`, `economy.rs`, `security.rs`, `admin.rs`, `audit_review.rs`, `order_lists.rs`, `product.rs`. Row mappers used by several are in `rows.rs`;
//! the unit of work that `ramp-app` composes is in `unit_of_work.rs`.

mod admin;
mod audit;
mod audit_review;
mod billing;
mod bulk;
mod catalog;
mod catalog_import;
mod catalog_index;
mod consult;
mod devices;
mod digital;
mod digital_ingest;
mod digital_models;
mod economy;
mod fees;
mod figures;
mod interop;
mod invariants;
mod invoice_write;
mod notifications;
mod order_lists;
mod order_page;
pub mod order_plan;
pub mod orders;
mod organisations;
pub mod patient_invoices;
mod patient_register;
mod patients;
mod people;
mod pickup_undo;
mod product;
mod routes;
mod rows;
mod security;
mod storage;
pub mod supply;
mod unit_of_work;
mod warehouse;
mod workshop;

use crate::cache::StaticCache;
use crate::db::Pool;
use crate::dialect::Dialect;
use crate::replica::ReadReplica;
use ramp_domain::Term;
use std::sync::Arc;

/// Ramp's storage on either engine: the one implementation of
/// [`Storage`](crate::Storage). Cheap to clone (every field is shared).
#[derive(Clone)]
pub struct SqlStorage {
    pool: Pool,
    dialect: Arc<dyn Dialect>,
    cache: Arc<StaticCache>,
    replica: Option<Arc<ReadReplica>>,
}

impl SqlStorage {
    /// Storage on `pool`, whose engine `dialect` describes.
    pub fn new(pool: Pool, dialect: Arc<dyn Dialect>) -> Self {
        Self { pool, dialect, cache: Arc::default(), replica: None }
    }

    /// Reads the follow-up reports from `replica` while it serves (see
    /// [`crate::replica`]).
    pub fn with_read_replica(mut self, replica: ReadReplica) -> Self {
        self.replica = Some(Arc::new(replica));
        self
    }

    /// Where the follow-up reports read: the replica while it serves,
    /// else the primary.
    pub(crate) fn reports(&self) -> &Pool {
        self.replica.as_ref().and_then(|r| r.serving_pool()).unwrap_or(&self.pool)
    }

    /// Times the cache of nearly static rows by `clock` (see
    /// [`Storage::use_clock`](crate::Storage::use_clock)).
    pub fn use_clock(&self, clock: Arc<dyn crate::Clock>) {
        self.cache.use_clock(clock);
    }

    /// The pool of connections (benchmarks, test set-up).
    pub fn pool(&self) -> &Pool {
        &self.pool
    }

    /// The engine's differences.
    pub fn dialect(&self) -> &dyn Dialect {
        &*self.dialect
    }
}

/// Column list of an article joined with its supplier's name.
pub const ARTICLE_COLUMNS: &str = "a.id, a.article_number, a.iso_code, a.gtin, a.name, a.supplier_id, \
    s.name AS supplier_name, a.purchase_price_ore, a.monthly_rent_ore, a.kind, a.billing, \
    a.lead_time_class, a.service_life_months, a.reconditionable, a.product_area, a.valid_from, a.valid_to";

/// The text a catalog search matches against: name, article number and ISO
/// code in lower case (Unicode-aware, so "Å" finds "å" on both engines).
pub fn search_text(name: &str, article_number: &str, iso_code: &str) -> String {
    format!("{} {} {}", name, article_number, iso_code).to_lowercase()
}

/// Escapes `%`, `_` and `\` so user input matches literally in `LIKE ... ESCAPE '\'`.
pub fn like_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Parses a stored enum, or reports the stored data as corrupt.
pub fn parse_stored<T: Term>(column: &str, s: &str) -> crate::Result<T> {
    T::parse(s).map_err(|_| crate::StorageError::corrupt(format!("{column} = '{s}'")))
}

/// The stored enum in `column` of `r` (a vocabulary written with `as_str`).
pub fn stored<T: Term>(r: &crate::db::Row, column: &str) -> crate::Result<T> {
    parse_stored(column, &r.try_get::<String, _>(column)?)
}

/// [`stored`], for a column that may be NULL.
pub fn stored_opt<T: Term>(r: &crate::db::Row, column: &str) -> crate::Result<Option<T>> {
    r.try_get::<Option<String>, _>(column)?.map(|s| parse_stored(column, &s)).transpose()
}
