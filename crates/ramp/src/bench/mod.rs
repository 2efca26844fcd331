//! `ramp bench`: end-to-end benchmarks that drive the real HTTP API with
//! concurrent clients and measure, in the same run on the same database,
//! the ceiling the figure is held against.
//!
//! `ramp bench orders`: orders per second (add a cart item + submit the
//! order, as prescribers), p50/p99 latency per order, errors by code; the
//! ceiling is pgbench's TPC-B-like script (PostgreSQL) or a bare loop of
//! write transactions of one order's size (SQLite); and the ratio.
//!
//! `ramp bench audit`: the audit-log review's searches over a log of about
//! two million rows, over HTTP against the same queries in the database.
//!
//! `ramp bench digital`: digital devices' measurements in over MQTT and
//! HTTP against the broker's own QoS 1 throughput (issue 21).
//!
//! `ramp bench search`: the catalog search at 64 clients over HTTP, against
//! the same queries to the in-process index (issue 18).

mod audit;
mod ceiling;
mod digital;
mod driver;
mod report;
mod search;
mod setup;
mod stats;

use crate::{db, CliError, Config};
use clap::{Args, Subcommand};
use ramp_app::agreements::Agreements;
use ramp_app::{App, AppConfig, Clock, SystemClock};
use setup::RawDb;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Orders per second over HTTP against the database's own ceiling.
    Orders(OrdersArgs),
    /// The audit-log review's filtered, paged searches over ~2 million audit rows: p50/p95 over HTTP and in the database.
    Audit(audit::AuditArgs),
    /// Catalog search at 64 clients over HTTP: index build time, p50/p95/p99, throughput, RSS, against the index alone.
    Search(search::SearchArgs),
    /// Digital devices' measurements in over MQTT and HTTP against the broker's own QoS 1 throughput; alarm latency; RSS.
    Digital(digital::DigitalArgs),
}

#[derive(Debug, Clone, Args)]
pub struct OrdersArgs {
    /// How an order is placed: `direct` (one request with its lines) or `cart` (add to cart, then order).
    #[arg(long, value_enum, default_value_t = driver::Flow::Direct)]
    pub flow: driver::Flow,
    /// Concurrent HTTP clients (and pgbench clients / SQLite loop tasks for the ceiling).
    #[arg(long, default_value_t = 16)]
    pub clients: u32,
    /// Seconds measured, for the orders and for the ceiling each.
    #[arg(long, default_value_t = 20)]
    pub duration: u64,
    /// Seconds of load before the measurement starts.
    #[arg(long, default_value_t = 3)]
    pub warmup: u64,
    /// The demo prescriber whose unit, roles and competences the bench prescribers copy.
    #[arg(long, default_value = "forskrivare")]
    pub prescriber: String,
    /// Candidate articles (main devices outside replacement groups, most in stock first) ordered round robin.
    #[arg(long, default_value_t = 64)]
    pub articles: u32,
    /// Devices of each article kept in stock before the run (topped up).
    /// Enough that no article runs out during a default run at 2,500
    /// orders per second (the busiest article gets about 6 % of the
    /// orders): an order refused for stock is not an order, and its
    /// refusal (with alternatives) costs a client a second or more.
    #[arg(long, default_value_t = 6000)]
    pub stock: u32,
    /// The pgbench program (PostgreSQL only).
    #[arg(long, default_value = "/usr/lib/postgresql/15/bin/pgbench")]
    pub pgbench: PathBuf,
    /// pgbench's scale factor (branches; 100,000 accounts each).
    #[arg(long, default_value_t = 16)]
    pub pgbench_scale: u32,
    /// Skip the ceiling (only the orders).
    #[arg(long)]
    pub no_ceiling: bool,
    /// Print the result as one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

/// The most clients a run may use: a bench prescriber and a pool slot each.
const MAX_CLIENTS: u32 = 1_000;

impl OrdersArgs {
    fn check(&self) -> Result<(), CliError> {
        check_load(self.clients, MAX_CLIENTS, self.duration, self.warmup)?;
        if self.articles == 0 || self.articles > 100 {
            return Err(CliError::input(format!("--articles: give 1 to 100 (got {})", self.articles)));
        }
        if self.pgbench_scale == 0 {
            return Err(CliError::input("--pgbench-scale: give 1 or more"));
        }
        Ok(())
    }
}

/// The limits every load benchmark shares: clients, seconds measured, seconds of warm-up.
pub(crate) fn check_load(clients: u32, max_clients: u32, duration: u64, warmup: u64) -> Result<(), CliError> {
    if clients == 0 || clients > max_clients {
        return Err(CliError::input(format!("--clients: give 1 to {max_clients} (got {clients})")));
    }
    if duration == 0 || duration > 3_600 {
        return Err(CliError::input(format!("--duration: give 1 to 3600 seconds (got {duration})")));
    }
    if warmup > 600 {
        return Err(CliError::input(format!("--warmup: give 0 to 600 seconds (got {warmup})")));
    }
    Ok(())
}

pub async fn run(cmd: BenchCommand, config: &Config) -> Result<(), CliError> {
    match cmd {
        BenchCommand::Orders(args) => orders(args, config).await,
        BenchCommand::Audit(args) => audit::run(args, config).await,
        BenchCommand::Search(args) => search::run(args, config).await,
        BenchCommand::Digital(args) => digital::run(args, config).await,
    }
}

async fn orders(args: OrdersArgs, config: &Config) -> Result<(), CliError> {
    args.check()?;
    let url = config.database_url.clone();
    let storage = db::open_migrated(config).await?;
    let raw = RawDb::connect(&url).await?;
    let engine = storage.engine();
    let demo_loaded = storage.counts().await?.principals == 0;
    if demo_loaded {
        crate::demo_cmd::load_small_for_bench(&storage).await?;
    }
    let agreements = load_agreements(config)?;
    let app_config = AppConfig {
        reservation_ttl: chrono::Duration::minutes(config.reservation_minutes),
        agreement_region: config.agreement_region.clone(),
        ..AppConfig::default()
    };
    let app = App::new(storage.clone(), Arc::new(SystemClock), app_config).with_agreements(agreements.clone());
    let prepared = prepare(&args, &app, storage.as_ref(), &raw).await?;

    let state = ramp_web::AppState::new(app, agreements, false);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| CliError::failed(format!("bench: cannot bind a port: {e}")))?;
    let addr = listener.local_addr().map_err(|e| CliError::failed(format!("bench: {e}")))?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(ramp_web::serve(listener, state, async move {
        let _ = stopped.await;
    }));
    let now = SystemClock.now();
    let plan = driver::Plan {
        base: format!("http://{addr}"),
        flow: args.flow,
        clients: prepared.clients,
        evaluation_date: (ramp_domain::time::stockholm_date(now) + chrono::Duration::days(90)).to_string(),
        run_id: format!("bench-{}", now.timestamp_micros()),
    };
    let (warmup, duration) = (Duration::from_secs(args.warmup), Duration::from_secs(args.duration));
    eprintln!(
        "driving {} clients for {} s after {} s warm-up on {engine} ...",
        args.clients, args.duration, args.warmup
    );
    let load = driver::run(plan, warmup, duration).await;
    let _ = stop.send(());
    server
        .await
        .map_err(|e| CliError::failed(format!("server task: {e}")))?
        .map_err(|e| CliError::failed(format!("server: {e}")))?;

    let ceiling = if args.no_ceiling {
        None
    } else {
        eprintln!("measuring the ceiling on the same database ...");
        Some(match &raw {
            RawDb::Sqlite(s) => ceiling::sqlite_loop(s, args.flow, args.clients, warmup, duration).await?,
            RawDb::Postgres(p) => {
                let opts = ceiling::Pgbench {
                    program: args.pgbench.clone(),
                    scale: args.pgbench_scale,
                    clients: args.clients,
                    duration,
                };
                ceiling::pgbench(&url, p.pool().as_postgres().expect("a PostgreSQL storage"), &opts).await?
            }
        })
    };
    let max_connections = (engine == "postgres").then_some(config.database_max_connections);
    let setup = report::Setup {
        engine,
        database: crate::config::redact_url(&url),
        max_connections,
        demo_loaded,
        ..prepared.setup
    };
    let report = report::Report { args: &args, setup, load: &load, ceiling: ceiling.as_ref() };
    if args.json {
        println!("{}", report.json());
    } else {
        print!("{}", report.text());
    }
    if load.orders == 0 {
        return Err(CliError::failed("no order went through; see the errors above"));
    }
    Ok(())
}

/// The agreements as `ramp serve` loads them (a directory is read once: no watcher during a run).
fn load_agreements(config: &Config) -> Result<Arc<Agreements>, CliError> {
    let agreements = match &config.agreements_dir {
        None => Agreements::builtin(),
        Some(dir) => Agreements::from_dir(dir.clone()).map_err(|e| CliError::input(format!("agreements: {e}")))?,
    };
    if agreements.current().in_force(&config.agreement_region, chrono::NaiveDate::MAX).is_none() {
        return Err(CliError::input(format!(
            "agreement_region: no agreement for region '{}' (see `ramp agreements list`)",
            config.agreement_region
        )));
    }
    Ok(Arc::new(agreements))
}

struct Prepared {
    clients: Vec<driver::ClientPlan>,
    setup: report::Setup,
}

/// Bench prescribers and their tokens, what they order, and the stock for it.
async fn prepare(
    args: &OrdersArgs,
    app: &App,
    storage: &dyn ramp_app::model::Storage,
    raw: &RawDb,
) -> Result<Prepared, CliError> {
    let now = app.now();
    let model = storage
        .user_by_username(&args.prescriber)
        .await?
        .ok_or_else(|| CliError::input(format!("--prescriber: no user '{}' (load the demo data)", args.prescriber)))?;
    let unit = model
        .unit_id
        .ok_or_else(|| CliError::input(format!("--prescriber: '{}' works at no unit", args.prescriber)))?;
    let patients = raw.patients_of_unit(unit, app.today(), MAX_PATIENTS).await?;
    if patients.is_empty() {
        return Err(CliError::input(format!("--prescriber: the unit of '{}' has no patients", args.prescriber)));
    }
    let users = setup::prescribers(storage, &model, args.clients as usize, now).await?;
    let first = storage.user_by_username(&users[0]).await?.ok_or_else(|| CliError::failed("bench user vanished"))?;
    let candidates = raw.candidate_articles(i64::from(args.articles)).await?;
    let (jobs, refused) = setup::jobs(app, &first, &patients, &candidates, JOBS_PER_PATIENT).await?;
    if jobs.is_empty() {
        let why: Vec<String> = refused.iter().map(|(k, n)| format!("{k} ×{n}")).collect();
        return Err(CliError::failed(format!(
            "no patient of the unit of '{}' can be prescribed any of {} candidate articles ({})",
            args.prescriber,
            candidates.len(),
            why.join(", ")
        )));
    }
    let mut articles: Vec<setup::BenchArticle> = jobs.iter().map(|j| j.article.clone()).collect();
    articles.sort_by_key(|a| a.id);
    articles.dedup();
    let warehouse = *raw.central_warehouses().await?.first().ok_or_else(|| CliError::failed("no central warehouse"))?;
    let added = setup::top_up_stock(storage, raw, &articles, warehouse, i64::from(args.stock), now).await?;
    let vacuumed = raw.vacuum().await?;
    let pairs: Vec<(String, String)> = jobs.iter().map(|j| (j.personal_id.clone(), j.article.number.clone())).collect();
    let mut clients = Vec::with_capacity(users.len());
    for (i, user) in users.iter().enumerate() {
        let token = ramp_app::auth::create_api_token(app, user, "ramp bench").await?;
        // Every client walks all pairs, each from its own starting point.
        let mut mine = pairs.clone();
        mine.rotate_left(i * pairs.len() / users.len());
        clients.push(driver::ClientPlan { token, jobs: mine });
    }
    let setup = report::Setup {
        engine: "",
        database: String::new(),
        max_connections: None,
        demo_loaded: false,
        bench_users: users.len(),
        patients: jobs.iter().map(|j| &j.personal_id).collect::<std::collections::BTreeSet<_>>().len(),
        pairs: jobs.len(),
        refused,
        articles: articles.iter().map(|a| a.number.clone()).collect(),
        warehouse,
        stock_added: added,
        stock_per_article: args.stock,
        vacuumed,
    };
    Ok(Prepared { clients, setup })
}

/// Patients of the unit the bench orders for, at most.
const MAX_PATIENTS: i64 = 200;
/// Articles tried and kept per patient.
const JOBS_PER_PATIENT: usize = 2;

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn args(extra: &[&str]) -> OrdersArgs {
        let cli = crate::Cli::try_parse_from([&["ramp", "bench", "orders"], extra].concat()).expect("parses");
        match cli.command {
            crate::Command::Bench(BenchCommand::Orders(a)) => a,
            other => panic!("not bench orders: {other:?}"),
        }
    }

    #[test]
    fn the_defaults_are_accepted() {
        let a = args(&[]);
        assert_eq!((a.clients, a.duration, a.warmup), (16, 20, 3));
        assert!(a.check().is_ok());
    }

    #[test]
    fn zero_clients_is_bad_input_naming_the_flag() {
        let err = args(&["--clients", "0"]).check().expect_err("refused");
        assert!(err.bad_input);
        assert!(err.message.starts_with("--clients:"), "{}", err.message);
    }

    #[test]
    fn zero_duration_is_bad_input_naming_the_flag() {
        let err = args(&["--duration", "0"]).check().expect_err("refused");
        assert_eq!(err.exit_code(), 2);
        assert!(err.message.starts_with("--duration:"), "{}", err.message);
    }

    #[tokio::test]
    async fn an_unknown_database_scheme_is_bad_input_before_anything_runs() {
        let config = Config { database_url: "sqlit:/tmp/nowhere.db".into(), ..test_config() };
        let err = orders(args(&["--duration", "1"]), &config).await.expect_err("refused");
        assert!(err.bad_input);
        assert!(err.message.starts_with("database_url: unknown scheme"), "{}", err.message);
    }

    fn test_config() -> Config {
        Config::load(&crate::ConfigArgs::default()).expect("default configuration")
    }
}
