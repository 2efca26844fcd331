//! Topping the catalog up to `--articles` articles before the search bench:
//! the demo's own article generator, continued past the catalog's largest
//! id (the region demo's 30,000 articles become the first 30,000 of the
//! national demo's 500,000), inserted 5,000 at a time through the storage's
//! bulk loader, then the sequences moved and statistics refreshed.

use super::super::setup::RawDb;
use crate::CliError;
use ramp_storage::db::query;
use ramp_storage::Storage;
use std::time::{Duration, Instant};

/// Articles generated and inserted per batch (one transaction each).
const BATCH: usize = 5_000;
/// The demo's seed: the same articles the demo would have generated.
const SEED: u64 = 1;

/// What the top-up found and did.
#[derive(Debug, Clone, Copy, Default)]
pub struct Filled {
    pub before: i64,
    pub added: i64,
    pub elapsed: Duration,
}

/// Adds generated articles until the catalog holds `target` (0: none).
pub async fn top_up(
    storage: &dyn Storage,
    raw: &RawDb,
    target: u64,
    today: chrono::NaiveDate,
) -> Result<Filled, CliError> {
    let started = Instant::now();
    let before = storage.counts().await?.articles;
    let missing = (target as i64 - before).max(0) as usize;
    if missing == 0 {
        return Ok(Filled { before, ..Filled::default() });
    }
    demo_catalog_present(raw).await?;
    eprintln!("adding {missing} generated articles to {before} on {} ...", storage.engine());
    let mut next = raw.max_id("articles").await? as usize;
    let mut left = missing;
    while left > 0 {
        let n = left.min(BATCH);
        storage.insert_articles(&ramp_app::demo::articles_at(SEED, next..next + n, today)).await?;
        (next, left) = (next + n, left - n);
        if (missing - left) % 100_000 < BATCH {
            eprintln!("  {} of {missing} articles", missing - left);
        }
    }
    storage.finish_bulk_load().await?;
    Ok(Filled { before, added: missing as i64, elapsed: started.elapsed() })
}

/// The generated articles name the demo's suppliers and product areas:
/// refuses (naming the option) a catalog that lacks them.
async fn demo_catalog_present(raw: &RawDb) -> Result<(), CliError> {
    let db = |e: ramp_storage::StorageError| CliError::failed(format!("database: {e}"));
    let suppliers = ramp_app::demo::suppliers();
    let sql = "SELECT COUNT(*) FROM suppliers WHERE id <= $1";
    let found: i64 =
        query(sql).bind(suppliers.len() as i64).fetch_one(raw.pool()).await.and_then(|r| r.try_get(0)).map_err(db)?;
    let mut areas_found = 0_usize;
    let areas = ramp_app::demo::product_area_codes();
    for code in &areas {
        let sql = "SELECT COUNT(*) FROM product_areas WHERE code = $1";
        let n: i64 = query(sql).bind(*code).fetch_one(raw.pool()).await.and_then(|r| r.try_get(0)).map_err(db)?;
        areas_found += usize::from(n > 0);
    }
    if found < suppliers.len() as i64 || areas_found < areas.len() {
        return Err(CliError::input(
            "--articles: the generated articles name the demo's suppliers and product areas, which this catalog \
             lacks; top up a demo database (`ramp demo`), or give --articles 0 to search the catalog as it is",
        ));
    }
    Ok(())
}
