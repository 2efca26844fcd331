//! `ramp demo`: the deterministic demo data set.

use crate::{db, CliError, Config};
use clap::Args;
use ramp_app::demo::{self, Scale};
use ramp_storage::Storage;
use std::sync::Arc;

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// small (seconds), region (1.7 million inhabitants, 49 municipalities) or national (for benchmarks).
    #[arg(long, default_value = "small")]
    pub scale: String,
    /// The same seed gives the same data.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

fn parse_scale(s: &str) -> Result<Scale, CliError> {
    s.parse::<Scale>().map_err(|e| CliError::input(format!("--scale: {}", e.message)))
}

/// Loads the demo data into an empty database; prints counts, time and logins.
pub async fn load(storage: &Arc<dyn Storage>, scale: Scale, seed: u64) -> Result<(), CliError> {
    let hash = ramp_app::auth::hash_password(demo::DEMO_PASSWORD)?;
    let today = ramp_domain::time::stockholm_date(ramp_app::Clock::now(&ramp_app::SystemClock));
    let progress = |line: &str| eprintln!("  {line}");
    eprintln!("loading demo data ({scale:?}, seed {seed}) into {} ...", storage.engine());
    let summary = demo::load(storage.as_ref(), scale, seed, &hash, today, &progress).await?;
    let c = &summary.counts;
    println!(
        "demo data loaded in {:.1} s: {} principals, {} users, {} patients, {} articles, {} devices, {} device events",
        summary.elapsed.as_secs_f64(),
        c.principals,
        c.users,
        c.patients,
        c.articles,
        c.devices,
        c.device_events
    );
    print_logins();
    Ok(())
}

pub fn print_logins() {
    println!("demo logins (password '{}' for all):", demo::DEMO_PASSWORD);
    for l in demo::demo_logins() {
        println!("  {:<14} {:<28} {}", l.username, l.role_sv, l.description);
    }
}

/// `ramp serve --demo`: loads only into an empty database, so a restart reuses the data.
pub async fn load_if_empty(storage: &Arc<dyn Storage>, scale: &str, seed: u64) -> Result<(), CliError> {
    let scale = parse_scale(scale)?;
    if storage.counts().await?.principals > 0 {
        println!("the database already holds data; reusing it");
        print_logins();
        return Ok(());
    }
    load(storage, scale, seed).await
}

/// `ramp bench …` on an empty database: the small demo, reported on
/// stderr only, so that stdout carries nothing but the result (`--json`).
pub async fn load_small_for_bench(storage: &Arc<dyn Storage>) -> Result<(), CliError> {
    let hash = ramp_app::auth::hash_password(demo::DEMO_PASSWORD)?;
    let today = ramp_domain::time::stockholm_date(ramp_app::Clock::now(&ramp_app::SystemClock));
    eprintln!("the database is empty: loading the small demo");
    let summary = demo::load(storage.as_ref(), Scale::Small, 1, &hash, today, &|_| {}).await?;
    eprintln!("small demo loaded in {:.1} s", summary.elapsed.as_secs_f64());
    Ok(())
}

pub async fn run(args: DemoArgs, config: &Config) -> Result<(), CliError> {
    let scale = parse_scale(&args.scale)?;
    let storage = db::open_migrated(config).await?;
    if storage.counts().await?.principals > 0 {
        return Err(CliError::input(
            "database_url: the database already holds data; load the demo into a new, empty database",
        ));
    }
    load(&storage, scale, args.seed).await
}
