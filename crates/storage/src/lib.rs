//! Ramp's storage on SQL: the one implementation of the [`Storage`] port
//! (defined with its row types in `ramp-model`, re-exported here) and the
//! one contract suite both engines pass.
//!
//! Both engines share one SQL implementation, [`SqlStorage`] (`sql/`, one
//! file per aggregate), written as plain Rust over a thin concrete layer
//! that dispatches on the engine ([`db`]); only migrations and the few
//! differences listed in [`dialect`] are the engines' own. That keeps the
//! two engines from drifting apart, the failure the atuin and vaultwarden
//! anchors warn about.

pub mod batch;
pub mod cache;
pub mod contract;
pub mod contract_audit;
pub mod db;
pub mod dialect;
pub mod fixture;
pub mod fixture_consult;
pub mod fixture_digital;
pub mod fixture_ordering;
pub mod replica;
pub mod sql;
pub mod write_tx;
pub mod writer_thread;

pub use dialect::Dialect;
pub use ramp_model::*;
pub use sql::SqlStorage;
