//! The deterministic demo data set: `ramp demo --scale small|region|national [--seed N]`.
//!
//! A fictional population in a real map: Västra Götalandsregionen (1.7
//! million inhabitants, 49 municipalities), its units, staff and
//! assistive-device centre, a catalog over real ISO 9999 divisions, and
//! patients holding devices with several years of history. The same seed,
//! scale and `today` give the same rows, byte for byte, forever: the
//! generator has its own PRNG ([`rng`]) and never reads the clock.
//!
//! Generation is pure ([`generator::Generator`] yields insert batches);
//! [`load`] only inserts them, batch by batch, so memory stays bounded even
//! at national scale (5 million devices).
//!
//! **Demo logins** ([`demo_logins`]): `forskrivare`, `forskrivare2`,
//! `bestallare`, `kundtjanst`, `lager`, `tekniker`, `ekonomi`, `admin`, all
//! with the password [`DEMO_PASSWORD`] (`demo`). Log in as `forskrivare` and
//! open 19121212-1212 (Tolvan Tolvansson, in SÄBO) to see a patient with a
//! rollator, a wheelchair, a bed and a mattress, each with a history.

mod billing;
mod catalog;
mod devices;
pub(crate) mod divisions;
pub mod generator;
mod geography;
mod names;
mod orders;
mod organisations;
mod patients;
mod people;
mod product;
pub mod rng;
mod scale;

pub use catalog::{articles_at, product_area_codes, suppliers};
pub use scale::Scale;

use generator::{Batch, Generator};
use ramp_model::{Counts, Result, Storage};
use std::time::{Duration, Instant};

/// The password of every demo account, named and generated. Demo data only:
/// never load it into a database that holds real patients.
pub const DEMO_PASSWORD: &str = "demo";

/// The personal identity number of the demo patient every README points to.
pub const DEMO_PATIENT: &str = "19121212-1212";

/// A named demo account, for the CLI and `ramp serve --demo` to print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoLogin {
    pub username: String,
    pub password: String,
    /// The role's Swedish name, as the UI shows it.
    pub role_sv: String,
    /// Who the account is and what to try with it (Swedish).
    pub description: String,
}

/// What was loaded and how long it took.
#[derive(Debug, Clone)]
pub struct DemoSummary {
    pub counts: Counts,
    pub logins: Vec<DemoLogin>,
    pub elapsed: Duration,
}

/// The named demo accounts: the same at every scale and seed, all with
/// password [`DEMO_PASSWORD`].
pub fn demo_logins() -> Vec<DemoLogin> {
    people::demo_logins()
}

/// Generates the demo data set and inserts it into an empty, migrated
/// database, reporting progress one short line per batch
/// (`articles 30000/30000`).
///
/// `password_hash` is one argon2 hash of [`DEMO_PASSWORD`], computed by the
/// caller and given to every user: hashing 8,700 passwords one by one would
/// take minutes. `today` is the reference date: every history ends before it.
pub async fn load(
    storage: &dyn Storage,
    scale: Scale,
    seed: u64,
    password_hash: &str,
    today: chrono::NaiveDate,
    progress: &(dyn Fn(&str) + Sync),
) -> Result<DemoSummary> {
    let started = Instant::now();
    for (batch, line) in Generator::new(scale, seed, password_hash, today) {
        insert(storage, batch).await?;
        progress(&line);
    }
    storage.finish_bulk_load().await?;
    progress("finished: sequences moved, statistics refreshed");
    Ok(DemoSummary { counts: storage.counts().await?, logins: demo_logins(), elapsed: started.elapsed() })
}

async fn insert(storage: &dyn Storage, batch: Batch) -> Result<()> {
    match batch {
        Batch::Principals(rows) => {
            storage.insert_principals(&rows).await?;
            let parties: Vec<_> = rows.iter().map(billing::principal_billing).collect();
            storage.set_principal_billing(&parties).await?;
            for price in billing::prices() {
                storage.set_billing_price(&price).await?;
            }
            Ok(())
        }
        Batch::CustomerNumbers(rows) => storage.insert_customer_numbers(&rows).await,
        Batch::Units(rows, deliveries) => {
            storage.insert_units(&rows).await?;
            storage.set_unit_deliveries(&deliveries).await
        }
        Batch::Warehouses(rows) => storage.insert_warehouses(&rows).await,
        Batch::ProductAreas(rows) => {
            storage.insert_product_areas(&rows).await?;
            storage.insert_product_images(&product::images()).await
        }
        Batch::Suppliers(rows) => storage.insert_suppliers(&rows).await,
        Batch::Users(rows) => storage.insert_users(&rows).await,
        Batch::Articles(rows) => {
            storage.insert_articles(&rows).await?;
            storage.insert_article_details(&product::details(&rows)).await
        }
        Batch::ReplacementGroups(rows) => storage.insert_replacement_groups(&rows).await,
        Batch::Patients(rows) => {
            storage.insert_patients(&rows.patients).await?;
            storage.insert_patient_settings(&rows.settings).await?;
            storage.insert_care_relationships(&rows.relationships).await
        }
        Batch::Devices(rows) => {
            storage.insert_devices(&rows.devices).await?;
            storage.insert_loans(&rows.loans).await?;
            storage.insert_device_events(&rows.events).await?;
            if rows.history.is_empty() {
                return Ok(());
            }
            storage.insert_order_history(&rows.history).await
        }
    }
}

#[cfg(test)]
mod tests;
