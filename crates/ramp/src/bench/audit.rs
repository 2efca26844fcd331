//! `ramp bench audit`: the audit-log review at region scale. Tops the
//! audit log up to `--rows` rows (about a year of reads by the database's
//! users of its patients, in time order as a real log grows), then asks
//! the review's filtered, paged searches over HTTP as an audit reviewer
//! (`POST /api/v1/audit/search`, each search audited as in production)
//! and, as the ceiling, the same queries straight to the storage
//! (`AuditStore::search_audit`: the database's own time). Prints p50, p95
//! and max per kind of search and over all, against the target p95 < 100 ms.

use super::setup::RawDb;
use super::stats::{ms, nearest_rank};
use crate::{db, CliError, Config};
use chrono::{DateTime, Duration as Span, NaiveDate, Utc};
use clap::Args;
use ramp_app::model::{AccessReason, AuditQuery, Keyset, NewUser, Storage};
use ramp_app::{App, AppConfig, Clock, SystemClock};
use ramp_domain::audit::AuditOutcome;
use ramp_domain::figures::stockholm_midnight_utc;
use ramp_domain::role::Role;
use ramp_storage::db::{query, QueryBuilder};
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Args)]
pub struct AuditArgs {
    /// Audit rows the log holds before the searches (topped up if fewer).
    #[arg(long, default_value_t = 2_000_000)]
    pub rows: i64,
    /// Searches per kind (each also follows its `next` for two more pages).
    #[arg(long, default_value_t = 100)]
    pub samples: usize,
    /// Seed of the generated rows and of the searches' parameters.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

/// A small deterministic generator (splitmix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

struct People {
    /// (id, username, unit).
    users: Vec<(i64, String, Option<i64>)>,
    /// (id, personal id).
    patients: Vec<(i64, String)>,
    /// (id, HSA id).
    units: Vec<(i64, String)>,
}

fn db_err(e: ramp_storage::StorageError) -> CliError {
    CliError::failed(format!("database: {e}"))
}

async fn people(raw: &RawDb) -> Result<People, CliError> {
    let pool = raw.pool();
    let rows = query("SELECT id, username, unit_id FROM users ORDER BY id").fetch_all(pool).await.map_err(db_err)?;
    let users = rows
        .iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)))
        .collect::<Result<_, ramp_storage::StorageError>>()
        .map_err(db_err)?;
    let rows = query("SELECT id, personal_id FROM patients ORDER BY id").fetch_all(pool).await.map_err(db_err)?;
    let patients = rows
        .iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect::<Result<_, ramp_storage::StorageError>>()
        .map_err(db_err)?;
    let rows = query("SELECT id, hsa_id FROM units ORDER BY id").fetch_all(pool).await.map_err(db_err)?;
    let units = rows
        .iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect::<Result<_, ramp_storage::StorageError>>()
        .map_err(db_err)?;
    Ok(People { users, patients, units })
}

/// The year the generated rows span, ending now.
const SPAN_DAYS: i64 = 365;
const BATCH: usize = 1_000;

/// One generated row: a read by a user at a unit (care relationship, now
/// and then emergency access or a refusal) or by the centre's staff.
fn row(rng: &mut Rng, p: &People) -> (i64, i64, &'static str, &'static str, Option<i64>) {
    let (user, _, unit) = &p.users[rng.below(p.users.len())];
    let patient = p.patients[rng.below(p.patients.len())].0;
    let (reason, action) = match unit {
        None => ("hmc_role", ["device.card", "order.read", "patient.overview"][rng.below(3)]),
        Some(_) => match rng.below(1000) {
            0..15 => ("emergency_access", "patient.overview"),
            15..40 => ("none", "patient.overview.refused"),
            _ => (
                "care_relationship",
                ["patient.overview", "order.create", "device.card", "consultation.read"][rng.below(4)],
            ),
        },
    };
    (*user, patient, action, reason, *unit)
}

/// Appends `count` rows spread evenly over the year before `now`.
async fn load(raw: &RawDb, p: &People, count: i64, seed: u64, now: DateTime<Utc>) -> Result<(), CliError> {
    let mut rng = Rng(seed);
    let start = now - Span::days(SPAN_DAYS);
    let step = (SPAN_DAYS * 86_400_000_000) as f64 / count.max(1) as f64;
    let mut written = 0i64;
    while written < count {
        let n = (count - written).min(BATCH as i64);
        let mut b =
            QueryBuilder::new("INSERT INTO audit_log (occurred_at, user_id, patient_id, action, reason, unit_id) ");
        b.push_values(0..n, |mut s, i| {
            let at = start + Span::microseconds(((written + i) as f64 * step) as i64);
            let (user, patient, action, reason, unit) = row(&mut rng, p);
            s.push_bind(at).push_bind(user).push_bind(patient).push_bind(action).push_bind(reason).push_bind(unit);
        });
        b.build().execute(raw.pool()).await.map_err(db_err)?;
        written += n;
        if written % 200_000 < BATCH as i64 {
            eprintln!("  {written} of {count} rows");
        }
    }
    Ok(())
}

/// One search: its kind, the body the API gets, and the same as a storage query.
struct Probe {
    kind: &'static str,
    body: Value,
    query: AuditQuery,
}

const KINDS: [&str; 7] =
    ["patient", "user", "unit + 30 days", "emergency access", "refused + 7 days", "one day", "no filter"];

fn day_in_span(rng: &mut Rng, today: NaiveDate) -> NaiveDate {
    today - Span::days(1 + rng.below(SPAN_DAYS as usize - 31) as i64)
}

fn probe(kind: &'static str, rng: &mut Rng, p: &People, today: NaiveDate) -> Probe {
    let mut q = AuditQuery { limit: ramp_app::audit_review::DEFAULT_PAGE + 1, ..Default::default() };
    let period = |days: i64, q: &mut AuditQuery, rng: &mut Rng| {
        let from = day_in_span(rng, today);
        let to = from + Span::days(days - 1);
        q.from = Some(stockholm_midnight_utc(from));
        q.until = Some(stockholm_midnight_utc(to + Span::days(1)));
        (from.to_string(), to.to_string())
    };
    let body = match kind {
        "patient" => {
            let (id, pnr) = &p.patients[rng.below(p.patients.len())];
            q.patient_id = Some(*id);
            json!({ "personal_id": pnr })
        }
        "user" => {
            let (id, name, _) = &p.users[rng.below(p.users.len())];
            q.user_id = Some(*id);
            json!({ "user": name })
        }
        "unit + 30 days" => {
            let (id, hsa) = p.units[rng.below(p.units.len())].clone();
            q.unit_id = Some(id);
            let (from, to) = period(30, &mut q, rng);
            json!({ "unit": hsa, "from": from, "to": to })
        }
        "emergency access" => {
            q.reason = Some(AccessReason::EmergencyAccess);
            json!({ "legal_ground": "emergency_access" })
        }
        "refused + 7 days" => {
            q.outcome = Some(AuditOutcome::Refused);
            let (from, to) = period(7, &mut q, rng);
            json!({ "outcome": "refused", "from": from, "to": to })
        }
        "one day" => {
            let (from, to) = period(1, &mut q, rng);
            json!({ "from": from, "to": to })
        }
        _ => json!({}),
    };
    Probe { kind, body, query: q }
}

#[derive(Default)]
struct Timings {
    http: Vec<Duration>,
    db: Vec<Duration>,
    rows: usize,
}

fn percentile(v: &mut [Duration], p: f64) -> Duration {
    if v.is_empty() {
        return Duration::ZERO;
    }
    v.sort_unstable();
    v[nearest_rank(v.len(), p)]
}

/// Asks a probe's first three pages over HTTP and straight to the storage.
async fn measure(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    storage: &dyn Storage,
    p: &Probe,
    t: &mut Timings,
) -> Result<(), CliError> {
    let mut body = p.body.clone();
    let mut q = p.query.clone();
    for _page in 0..3 {
        let started = Instant::now();
        let resp = client
            .post(format!("{base}/api/v1/audit/search"))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .map_err(|e| CliError::failed(format!("search: {e}")))?;
        let status = resp.status();
        let page: Value = resp.json().await.map_err(|e| CliError::failed(format!("search: {e}")))?;
        t.http.push(started.elapsed());
        if !status.is_success() {
            return Err(CliError::failed(format!("search {} {} answered {status}: {page}", p.kind, p.body)));
        }
        let started = Instant::now();
        let rows = storage.search_audit(&q).await?;
        t.db.push(started.elapsed());
        t.rows += page["rows"].as_array().map_or(0, Vec::len);
        match (page["next"].as_str(), rows.get(ramp_app::audit_review::DEFAULT_PAGE as usize - 1)) {
            (Some(next), Some(last)) => {
                body["after"] = json!(next);
                q.after = Some(Keyset { at: last.entry.occurred_at, id: last.entry.id });
            }
            _ => break,
        }
    }
    Ok(())
}

pub async fn run(args: AuditArgs, config: &Config) -> Result<(), CliError> {
    if !(1..=100_000_000).contains(&args.rows) || !(1..=10_000).contains(&args.samples) {
        return Err(CliError::input("--rows: 1 to 100,000,000; --samples: 1 to 10,000"));
    }
    let storage = db::open_migrated(config).await?;
    let raw = RawDb::connect(&config.database_url).await?;
    if storage.counts().await?.principals == 0 {
        crate::demo_cmd::load_small_for_bench(&storage).await?;
    }
    let now = SystemClock.now();
    let people = people(&raw).await?;
    if people.patients.is_empty() || people.units.is_empty() {
        return Err(CliError::input("the database has no patients or units: load the demo data"));
    }
    let existing = storage.counts().await?.audit_log;
    let loading = Instant::now();
    if existing < args.rows {
        eprintln!("adding {} audit rows to {existing} on {} ...", args.rows - existing, storage.engine());
        load(&raw, &people, args.rows - existing, args.seed, now).await?;
        storage.finish_bulk_load().await?;
    }
    let loaded = loading.elapsed();

    let app = App::new(storage.clone(), Arc::new(SystemClock), AppConfig::default());
    let reviewer = "bench-granskare";
    if storage.user_by_username(reviewer).await?.is_none() {
        let principal =
            storage.principals().await?.first().map(|p| p.id).ok_or_else(|| CliError::input("no principal"))?;
        let user = NewUser {
            username: reviewer.into(),
            display_name: "Bench Granskare".into(),
            hsa_id: None,
            password_hash: None,
            principal_id: principal,
            unit_id: None,
            roles: vec![Role::AuditReviewer],
            competences: vec![],
            created_at: now,
        };
        storage.create_user(&user).await?;
    }
    let token = ramp_app::auth::create_api_token(&app, reviewer, "ramp bench audit").await?;
    let state = ramp_web::AppState::new(app, Arc::new(ramp_app::agreements::Agreements::builtin()), false);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| CliError::failed(format!("bench: cannot bind a port: {e}")))?;
    let base = format!("http://{}", listener.local_addr().map_err(|e| CliError::failed(format!("bench: {e}")))?);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(ramp_web::serve(listener, state, async move {
        let _ = stopped.await;
    }));
    let client = reqwest::Client::new();
    let today = ramp_domain::time::stockholm_date(now);
    let mut rng = Rng(args.seed ^ 0xA0D1);
    let mut by_kind: Vec<(&str, Timings)> = KINDS.iter().map(|k| (*k, Timings::default())).collect();
    // One warm-up round, not measured.
    for kind in KINDS {
        let p = probe(kind, &mut rng, &people, today);
        measure(&client, &base, &token, storage.as_ref(), &p, &mut Timings::default()).await?;
    }
    for _ in 0..args.samples {
        for (kind, t) in by_kind.iter_mut() {
            let p = probe(kind, &mut rng, &people, today);
            measure(&client, &base, &token, storage.as_ref(), &p, t).await?;
        }
    }
    let _ = stop.send(());
    let _ = server.await;

    let total = storage.counts().await?.audit_log;
    println!("ramp bench audit on {} ({})", storage.engine(), crate::config::redact_url(&config.database_url));
    println!(
        "audit log: {total} rows ({} added in {:.1} s); {} users, {} patients, {} units",
        (args.rows - existing).max(0),
        loaded.as_secs_f64(),
        people.users.len(),
        people.patients.len(),
        people.units.len()
    );
    println!(
        "searches: {} per kind, pages 1–3 each; HTTP = POST /api/v1/audit/search (audited); DB = search_audit alone",
        args.samples
    );
    println!(
        "{:<18} {:>8} {:>9} {:>9} {:>9} {:>9} {:>9} {:>8}",
        "kind", "requests", "HTTP p50", "HTTP p95", "HTTP max", "DB p50", "DB p95", "rows/req"
    );
    let (mut all_http, mut all_db) = (vec![], vec![]);
    for (kind, t) in &mut by_kind {
        let n = t.http.len();
        println!(
            "{:<18} {:>8} {:>9} {:>9} {:>9} {:>9} {:>9} {:>8.1}",
            kind,
            n,
            ms(percentile(&mut t.http, 50.0)),
            ms(percentile(&mut t.http, 95.0)),
            ms(percentile(&mut t.http, 100.0)),
            ms(percentile(&mut t.db, 50.0)),
            ms(percentile(&mut t.db, 95.0)),
            t.rows as f64 / n.max(1) as f64
        );
        all_http.extend(t.http.iter().copied());
        all_db.extend(t.db.iter().copied());
    }
    let (http95, db95) = (percentile(&mut all_http, 95.0), percentile(&mut all_db, 95.0));
    println!(
        "{:<18} {:>8} {:>9} {:>9} {:>9} {:>9} {:>9}",
        "all",
        all_http.len(),
        ms(percentile(&mut all_http, 50.0)),
        ms(http95),
        ms(percentile(&mut all_http, 100.0)),
        ms(percentile(&mut all_db, 50.0)),
        ms(db95)
    );
    println!(
        "target: HTTP p95 < 100 ms: {}; HTTP/DB p95 ratio {:.2}",
        if http95 < Duration::from_millis(100) { "met" } else { "NOT met" },
        http95.as_secs_f64() / db95.as_secs_f64().max(1e-9)
    );
    Ok(())
}
