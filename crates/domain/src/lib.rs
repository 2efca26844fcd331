//! Ramp's pure domain: validated identifiers, money, the working-day calendar,
//! device lifecycle, the cost-responsibility engine and the rules of the
//! figures HMC reports (delivery reliability, reuse, acceptance).
//!
//! Nothing here performs IO or reads the clock: dates and instants are
//! arguments, so every rule can be tested by tables and properties.

pub mod access;
pub mod admin;
pub mod alarm;
pub mod article;
pub mod audit;
pub mod billing;
pub mod budget;
pub mod calendar;
pub mod catalog_import;
pub mod charges;
pub mod collate;
pub mod consult;
pub mod cost;
pub mod costly_applications;
pub mod delivery;
pub mod device;
pub mod einvoice;
pub mod error;
pub mod fees;
pub mod figures;
pub mod ids;
pub mod measurement;
pub mod money;
pub mod order;
pub mod product;
pub mod rent;
pub mod role;
pub mod scan;
pub mod setting;
pub mod shipping;
pub mod surplus;
pub mod term;
pub mod tertial;
pub mod throttle;
pub mod time;
pub mod unit;
pub mod work_order;
pub mod workshop;

pub use error::FieldError;
pub use term::Term;
