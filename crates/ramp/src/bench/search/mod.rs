//! `ramp bench search`: the catalog search at 64 clients (issue 18).
//!
//! Tops the catalog up to `--articles` articles (the demo's generator),
//! times building the search index, then drives `GET /api/v1/articles` and
//! `/api/v1/articles/facets` on an in-process server with bearer tokens of
//! prescribers copied from the demo prescriber, with a mix of what
//! prescribers type. The same queries then run at the same concurrency
//! without HTTP (the use case, reading the page of hits from the database)
//! and against the index alone (the ceiling); the report gives
//! p50/p95/p99/max, throughput, errors by status, the ratio to the ceiling
//! and the process's resident memory (the server runs in this process).

mod fill;
mod load;
mod queries;
mod report;

use super::setup::{self, RawDb};
use crate::{db, CliError, Config};
use clap::Args;
use ramp_app::{App, AppConfig, Clock, SystemClock};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The target (issue 18): p95 under 50 ms at 64 clients.
pub const TARGET_P95: Duration = Duration::from_millis(50);
/// The most articles `--articles` may ask for.
const MAX_ARTICLES: u64 = 5_000_000;
/// The most clients (a bench prescriber each).
const MAX_CLIENTS: u32 = 1_000;

#[derive(Debug, Clone, Args)]
pub struct SearchArgs {
    /// Top the catalog up to this many articles with generated ones (0: search the catalog as it is).
    #[arg(long, default_value_t = 0)]
    pub articles: u64,
    /// Concurrent clients (HTTP connections, then in-process tasks for the use case and the index).
    #[arg(long, default_value_t = 64)]
    pub clients: u32,
    /// Seconds measured at each level (HTTP, use case, index).
    #[arg(long, default_value_t = 20)]
    pub duration: u64,
    /// Seconds of load before each level's measurement starts.
    #[arg(long, default_value_t = 3)]
    pub warmup: u64,
    /// The demo prescriber whose unit and roles the bench prescribers copy.
    #[arg(long, default_value = "forskrivare")]
    pub prescriber: String,
    /// Print the result as one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

impl SearchArgs {
    fn check(&self) -> Result<(), CliError> {
        if self.articles > MAX_ARTICLES {
            return Err(CliError::input(format!("--articles: give 0 to {MAX_ARTICLES} (got {})", self.articles)));
        }
        super::check_load(self.clients, MAX_CLIENTS, self.duration, self.warmup)
    }
}

/// The process's resident memory now and at its peak (KiB), from
/// `/proc/self/status` (`VmRSS`, `VmHWM`); `None` where there is no procfs.
#[derive(Debug, Clone, Copy)]
pub struct Rss {
    pub now_kib: u64,
    pub peak_kib: u64,
}

fn rss() -> Option<Rss> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kib = |key: &str| {
        status.lines().find_map(|l| l.strip_prefix(key)?.trim().strip_suffix("kB")?.trim().parse::<u64>().ok())
    };
    Some(Rss { now_kib: kib("VmRSS:")?, peak_kib: kib("VmHWM:")? })
}

pub async fn run(args: SearchArgs, config: &Config) -> Result<(), CliError> {
    args.check()?;
    let storage = db::open_migrated(config).await?;
    let raw = RawDb::connect(&config.database_url).await?;
    let demo_loaded = storage.counts().await?.principals == 0;
    if demo_loaded {
        crate::demo_cmd::load_small_for_bench(&storage).await?;
    }
    let now = SystemClock.now();
    let filled = fill::top_up(storage.as_ref(), &raw, args.articles, ramp_domain::time::stockholm_date(now)).await?;
    let agreements = super::load_agreements(config)?;
    let app_config = AppConfig { agreement_region: config.agreement_region.clone(), ..AppConfig::default() };
    let app = App::new(storage.clone(), Arc::new(SystemClock), app_config).with_agreements(agreements.clone());

    let before_build = rss();
    eprintln!("building the search index on {} ...", storage.engine());
    let started = Instant::now();
    let indexed = app.build_search_index().await?;
    let build = started.elapsed();
    let segments = app.search_index_segments();
    let after_build = rss();

    let model = storage
        .user_by_username(&args.prescriber)
        .await?
        .ok_or_else(|| CliError::input(format!("--prescriber: no user '{}' (load the demo data)", args.prescriber)))?;
    let users = setup::prescribers(storage.as_ref(), &model, args.clients as usize, now).await?;
    let mut tokens = Vec::with_capacity(users.len());
    for user in &users {
        tokens.push(ramp_app::auth::create_api_token(&app, user, "ramp bench search").await?);
    }
    let first = storage.user_by_username(&users[0]).await?.ok_or_else(|| CliError::failed("bench user vanished"))?;
    let mix = Arc::new(queries::mix(&raw).await?);

    let state = ramp_web::AppState::new(app.clone(), agreements, false);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| CliError::failed(format!("bench: cannot bind a port: {e}")))?;
    let addr = listener.local_addr().map_err(|e| CliError::failed(format!("bench: {e}")))?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(ramp_web::serve(listener, state, async move {
        let _ = stopped.await;
    }));
    let (clients, warmup, duration) =
        (args.clients as usize, Duration::from_secs(args.warmup), Duration::from_secs(args.duration));
    eprintln!("driving {clients} clients over HTTP for {} s after {} s warm-up ...", args.duration, args.warmup);
    let target = load::Target::Http { base: format!("http://{addr}"), tokens };
    let http = load::run(target, &app, clients, mix.clone(), warmup, duration).await;
    let _ = stop.send(());
    server
        .await
        .map_err(|e| CliError::failed(format!("server task: {e}")))?
        .map_err(|e| CliError::failed(format!("server: {e}")))?;
    let after_load = rss();

    eprintln!("the same queries to the use case, then to the index alone ...");
    let target = load::Target::UseCase { app: app.clone(), user: Box::new(first) };
    let use_case = load::run(target, &app, clients, mix.clone(), warmup, duration).await;
    let index = load::run(load::Target::Index { app: app.clone() }, &app, clients, mix.clone(), warmup, duration).await;

    let report = report::Report {
        args: &args,
        engine: storage.engine(),
        database: crate::config::redact_url(&config.database_url),
        demo_loaded,
        filled,
        indexed,
        segments,
        build,
        queries: (mix.common.len(), mix.tail.len()),
        http: &http,
        use_case: &use_case,
        index: &index,
        rss: [before_build, after_build, after_load],
    };
    if args.json {
        println!("{}", report.json());
    } else {
        print!("{}", report.text());
    }
    if http.requests == 0 {
        return Err(CliError::failed("no search went through over HTTP; see the errors above"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn args(extra: &[&str]) -> SearchArgs {
        let cli = crate::Cli::try_parse_from([&["ramp", "bench", "search"], extra].concat()).expect("parses");
        match cli.command {
            crate::Command::Bench(super::super::BenchCommand::Search(a)) => a,
            other => panic!("not bench search: {other:?}"),
        }
    }

    #[test]
    fn the_defaults_are_64_clients_on_the_catalog_as_it_is() {
        let a = args(&[]);
        assert_eq!((a.articles, a.clients, a.duration, a.warmup), (0, 64, 20, 3));
        assert!(a.check().is_ok());
    }

    #[test]
    fn bad_values_are_bad_input_naming_the_option() {
        for (flag, value) in [
            ("--clients", "0"),
            ("--clients", "1001"),
            ("--duration", "0"),
            ("--warmup", "601"),
            ("--articles", "5000001"),
        ] {
            let err = args(&[flag, value]).check().expect_err("refused");
            assert_eq!(err.exit_code(), 2);
            assert!(err.message.starts_with(&format!("{flag}:")), "{}", err.message);
        }
    }

    #[test]
    fn the_resident_memory_is_read_from_procfs() {
        let r = rss().expect("Linux has /proc/self/status");
        assert!(r.now_kib > 0 && r.peak_kib >= r.now_kib);
    }
}
