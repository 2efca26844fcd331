//! Preparing a database for the order benchmark: the small demo if it is
//! empty, one prescriber per client at the demo prescriber's unit, the
//! patients that unit has a care relationship with, a few articles, and
//! enough in-stock devices of them for the run.

use crate::CliError;
use chrono::{DateTime, NaiveDate, Utc};
use ramp_app::orders::LineRequest;
use ramp_app::App;
use ramp_domain::device::{DeviceEventKind, DeviceState};
use ramp_storage::db::{query, Pool};
use ramp_storage::{Device, DeviceEvent, Id, NewUser, SqlStorage, Storage, StorageError, User};
use ramp_storage_postgres::PostgresStorage;
use ramp_storage_sqlite::SqliteStorage;
use std::collections::BTreeMap;

/// A second, concrete connection to the database, for the SQL the Storage
/// trait has no method for (finding patients and articles, the ceiling).
pub enum RawDb {
    Sqlite(SqlStorage),
    Postgres(SqlStorage),
}

fn db_err(e: StorageError) -> CliError {
    CliError::failed(format!("database: {e}"))
}

impl RawDb {
    /// Connects to a URL `crate::db::open` has already accepted.
    pub async fn connect(url: &str) -> Result<Self, CliError> {
        let failed = |e| CliError::failed(format!("database_url: {e}"));
        if let Some(path) = url.strip_prefix("sqlite:") {
            let path = path.trim_start_matches("//");
            Ok(RawDb::Sqlite(SqliteStorage::connect(&format!("sqlite:{path}")).await.map_err(failed)?))
        } else {
            Ok(RawDb::Postgres(PostgresStorage::connect(url, 4).await.map_err(failed)?))
        }
    }

    /// The pool of either engine, for the engine-neutral [`query`].
    pub(super) fn pool(&self) -> &Pool {
        match self {
            RawDb::Sqlite(s) | RawDb::Postgres(s) => s.pool(),
        }
    }

    pub(super) async fn max_id(&self, table: &str) -> Result<Id, CliError> {
        let sql = format!("SELECT COALESCE(MAX(id), 0) FROM {table}");
        query(sql).fetch_one(self.pool()).await.and_then(|r| r.try_get(0)).map_err(db_err)
    }

    /// Patients with a care relationship to `unit` on `today`, oldest first.
    pub async fn patients_of_unit(&self, unit: Id, today: NaiveDate, limit: i64) -> Result<Vec<String>, CliError> {
        let sql = "SELECT p.personal_id FROM care_relationships c JOIN patients p ON p.id = c.patient_id \
                   WHERE c.unit_id = $1 AND c.valid_from <= $2 AND (c.valid_to IS NULL OR c.valid_to >= $2) \
                   ORDER BY p.id LIMIT $3";
        let rows = query(sql).bind(unit).bind(today).bind(limit).fetch_all(self.pool()).await.map_err(db_err)?;
        rows.iter().map(|r| r.try_get(0)).collect::<Result<_, _>>().map_err(db_err)
    }

    /// Candidate articles: current main devices outside every replacement
    /// group (so no proposal to answer), the ones with most in stock first.
    pub async fn candidate_articles(&self, count: i64) -> Result<Vec<BenchArticle>, CliError> {
        let sql = "SELECT a.id, a.article_number, a.purchase_price_ore FROM articles a \
                   WHERE a.kind = 'main_device' AND a.valid_to IS NULL \
                   AND a.id NOT IN (SELECT article_id FROM replacement_group_members) \
                   ORDER BY (SELECT COUNT(*) FROM devices d WHERE d.article_id = a.id AND d.state = 'in_stock') DESC, a.id \
                   LIMIT $1";
        let rows = query(sql).bind(count).fetch_all(self.pool()).await.map_err(db_err)?;
        rows.iter()
            .map(|r| Ok(BenchArticle { id: r.try_get(0)?, number: r.try_get(1)?, price_ore: r.try_get(2)? }))
            .collect::<Result<_, _>>()
            .map_err(db_err)
    }

    /// Devices of `article` in stock in `warehouse`.
    pub async fn in_stock(&self, article: Id, warehouse: Id) -> Result<i64, CliError> {
        let sql = "SELECT COUNT(*) FROM devices WHERE article_id = $1 AND warehouse_id = $2 AND state = 'in_stock'";
        query(sql).bind(article).bind(warehouse).fetch_one(self.pool()).await.and_then(|r| r.try_get(0)).map_err(db_err)
    }

    /// PostgreSQL only: `VACUUM (ANALYZE)` of the tables an order reads and
    /// writes, as `pgbench -i` vacuums its own tables before the ceiling
    /// runs. Without it the measured window starts with the dead index
    /// entries of earlier runs' picks (the pick walks past them: 1,434
    /// against 1,941 orders/s in consecutive runs) and autovacuum or
    /// autoanalyze of the top-up during the window, whose snapshot keeps
    /// the pick from marking entries dead. SQLite removes index entries as
    /// rows change, so it has nothing to do. Returns whether it vacuumed.
    pub async fn vacuum(&self) -> Result<bool, CliError> {
        match self {
            RawDb::Postgres(s) => {
                query(VACUUMED).execute(s.pool()).await.map_err(db_err)?;
                Ok(true)
            }
            RawDb::Sqlite(_) => Ok(false),
        }
    }

    /// The central warehouses, by id.
    pub async fn central_warehouses(&self) -> Result<Vec<Id>, CliError> {
        let sql = "SELECT id FROM warehouses WHERE kind = 'central' ORDER BY id";
        let rows = query(sql).fetch_all(self.pool()).await.map_err(db_err)?;
        rows.iter().map(|r| r.try_get(0)).collect::<Result<_, _>>().map_err(db_err)
    }
}

/// The tables `RawDb::vacuum` vacuums: what an order placed directly reads and writes.
const VACUUMED: &str =
    "VACUUM (ANALYZE) devices, device_events, orders, order_lines, order_events, audit_log, cart_items";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BenchArticle {
    pub id: Id,
    pub number: String,
    pub price_ore: i64,
}

/// Bench prescribers `bench-000`, `bench-001`, …: copies of `model` (same
/// unit, roles and competences), without a password; created when missing.
pub async fn prescribers(
    storage: &dyn Storage,
    model: &User,
    count: usize,
    now: DateTime<Utc>,
) -> Result<Vec<String>, CliError> {
    let mut names = Vec::with_capacity(count);
    for i in 0..count {
        let username = format!("bench-{i:03}");
        if storage.user_by_username(&username).await?.is_none() {
            storage
                .create_user(&NewUser {
                    username: username.clone(),
                    display_name: format!("Bench prescriber {i}"),
                    password_hash: None,
                    principal_id: model.principal_id,
                    unit_id: model.unit_id,
                    roles: model.roles.clone(),
                    competences: model.competences.clone(),
                    created_at: now,
                    hsa_id: None,
                })
                .await?;
        }
        names.push(username);
    }
    Ok(names)
}

/// Tops the stock of every article in `warehouse` up to `per_article`
/// devices in stock, each with its `received` event, ids past the current
/// maximum. Returns how many devices were added.
pub async fn top_up_stock(
    storage: &dyn Storage,
    raw: &RawDb,
    articles: &[BenchArticle],
    warehouse: Id,
    per_article: i64,
    now: DateTime<Utc>,
) -> Result<u64, CliError> {
    let mut next_device = raw.max_id("devices").await? + 1;
    let mut next_event = raw.max_id("device_events").await? + 1;
    let mut added = 0_u64;
    let today = ramp_domain::time::stockholm_date(now);
    for article in articles {
        let missing = per_article - raw.in_stock(article.id, warehouse).await?;
        if missing <= 0 {
            continue;
        }
        let mut devices = Vec::with_capacity(missing as usize);
        let mut events = Vec::with_capacity(missing as usize);
        for _ in 0..missing {
            devices.push(Device {
                id: next_device,
                device_number: format!("{}", 1_000_000 + next_device),
                article_id: article.id,
                serial: Some(format!("BENCH-{next_device}")),
                purchase_date: today,
                purchase_price_ore: article.price_ore,
                state: DeviceState::InStock,
                warehouse_id: Some(warehouse),
                patient_id: None,
                unit_id: None,
                state_since: now,
            });
            events.push(DeviceEvent {
                id: next_event,
                device_id: next_device,
                occurred_at: now,
                kind: DeviceEventKind::Received,
                from_state: None,
                to_state: DeviceState::InStock,
                actor_user_id: None,
                patient_id: None,
                warehouse_id: Some(warehouse),
                note: Some("ramp bench stock".into()),
            });
            next_device += 1;
            next_event += 1;
        }
        storage.insert_devices(&devices).await?;
        storage.insert_device_events(&events).await?;
        added += missing as u64;
    }
    if added > 0 {
        storage.finish_bulk_load().await?;
    }
    Ok(added)
}

/// One thing to order: an article for a patient.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    pub personal_id: String,
    pub article: BenchArticle,
}

/// Pairs patients with articles whose line goes through for them, asked
/// through the same use-case the API calls (`preview_line`: no replacement
/// proposal, no open question, orderable here, no refused
/// trust-prescription): up to `per_patient` articles each, walking the
/// candidates from a different place for each patient so that every
/// article gets its share. Also returns why the other pairs were refused.
pub async fn jobs(
    app: &App,
    prescriber: &User,
    patients: &[String],
    candidates: &[BenchArticle],
    per_patient: usize,
) -> Result<(Vec<Job>, BTreeMap<String, u64>), CliError> {
    let mut jobs = Vec::new();
    let mut refused = BTreeMap::new();
    for (p, personal_id) in patients.iter().enumerate() {
        let mut found = 0;
        for k in 0..candidates.len() {
            let article = &candidates[(p + k) % candidates.len()];
            let req = LineRequest {
                personal_id: Some(personal_id.clone()),
                article_number: article.number.clone(),
                ..LineRequest::default()
            };
            let why = match ramp_app::orders::preview_line(app, prescriber, &req, None).await {
                Ok(preview) if preview.decision.is_some() && preview.proposal.is_none() => {
                    jobs.push(Job { personal_id: personal_id.clone(), article: article.clone() });
                    found += 1;
                    if found == per_patient {
                        break;
                    }
                    continue;
                }
                Ok(preview) if preview.proposal.is_some() => "replacement proposal".to_string(),
                Ok(_) => "facts_needed".to_string(),
                Err(e) => e.code.to_string(),
            };
            *refused.entry(why).or_default() += 1;
        }
    }
    Ok((jobs, refused))
}
