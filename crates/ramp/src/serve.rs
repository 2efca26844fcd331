//! `ramp serve`: migrate, optionally load the demo data, serve until
//! SIGTERM or Ctrl-C, then drain in-flight requests.

use crate::{db, demo_cmd, CliError, Config};
use clap::Args;
use ramp_app::agreements::Agreements;
use ramp_app::{App, AppConfig, SystemClock};
use std::net::SocketAddr;
use std::sync::Arc;

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "RAMP_LISTEN")]
    pub listen: Option<String>,
    /// Load the demo data set first if the database is empty (prints the demo logins).
    #[arg(long)]
    pub demo: bool,
    /// Size of the demo data set: small, region or national.
    #[arg(long, default_value = "region")]
    pub demo_scale: String,
    /// Seed of the demo data set.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Subscribe to devices' measurements at this MQTT broker: `mqtt://USER:PASS@HOST:PORT`
    /// (Ramp's own broker user; `?client_id=` names its persistent session). Off when not given.
    #[arg(long, env = "RAMP_MQTT_URL", hide_env_values = true)]
    pub mqtt_url: Option<String>,
    /// Read the follow-up reports from this streaming read replica of the PostgreSQL database
    /// (`postgres://…` of a hot standby). Off when not given.
    #[arg(long, env = "RAMP_READ_REPLICA_URL", hide_env_values = true)]
    pub read_replica_url: Option<String>,
    /// Seconds the replica may be behind the primary before the reports are read from the primary.
    #[arg(long, env = "RAMP_READ_REPLICA_MAX_LAG", default_value_t = 30)]
    pub read_replica_max_lag: u64,
}

pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";

fn load_agreements(config: &Config) -> Result<Arc<Agreements>, CliError> {
    match &config.agreements_dir {
        None => Ok(Arc::new(Agreements::builtin())),
        Some(dir) => {
            let a = Agreements::from_dir(dir.clone()).map_err(|e| CliError::input(format!("agreements: {e}")))?;
            let a = Arc::new(a);
            a.clone().spawn_watcher(std::time::Duration::from_secs(2));
            Ok(a)
        }
    }
}

/// The region whose agreement decides orders: the configured one, else the
/// agreement whose `region_name` is the name of the database's region (so
/// the demo, in Västra Götaland, is decided by the demo region's agreement
/// and a database of Region Stockholm by Stockholm's), else the default.
async fn agreement_region(
    config: &Config,
    storage: &dyn ramp_app::model::Storage,
    agreements: &Agreements,
) -> Result<String, CliError> {
    if config.agreement_region_given {
        return Ok(config.agreement_region.clone());
    }
    let principals = storage.principals().await.map_err(|e| CliError::failed(format!("database: {e}")))?;
    let Some(region) = principals.iter().find(|p| p.kind == "region") else {
        return Ok(config.agreement_region.clone());
    };
    let set = agreements.current();
    let found = set
        .agreements()
        .find(|a| a.region() == region.code || a.region_name() == region.name)
        .map(|a| a.region().to_string());
    Ok(found.unwrap_or_else(|| config.agreement_region.clone()))
}

pub async fn run(args: ServeArgs, config: Config) -> Result<(), CliError> {
    let listen = args.listen.clone().or(config.listen.clone()).unwrap_or_else(|| DEFAULT_LISTEN.into());
    let addr: SocketAddr = listen
        .parse()
        .map_err(|_| CliError::input(format!("listen: '{listen}' is not an address like 127.0.0.1:8080")))?;
    let replica = db::ReplicaArgs::new(args.read_replica_url.clone(), args.read_replica_max_lag)?;
    let storage = db::open_migrated_with_replica(&config, replica.as_ref()).await?;
    if args.demo {
        demo_cmd::load_if_empty(&storage, &args.demo_scale, args.seed).await?;
    }
    let agreements = load_agreements(&config)?;
    let region = agreement_region(&config, storage.as_ref(), &agreements).await?;
    let app_config = AppConfig {
        reservation_ttl: chrono::Duration::minutes(config.reservation_minutes),
        agreement_region: region.clone(),
        emergency_access_roles: config.emergency_access_roles.clone(),
        mqtt_password_file: config.mqtt_password_file.clone(),
        ..AppConfig::default()
    };
    let mqtt = match args.mqtt_url.clone().or(config.mqtt_url.clone()) {
        Some(url) => Some(
            ramp_app::digital::mqtt::MqttSettings::parse(&url)
                .map_err(|e| CliError::input(format!("mqtt_url: {e}")))?,
        ),
        None => None,
    };
    if agreements.current().in_force(&region, chrono::NaiveDate::MAX).is_none() {
        return Err(CliError::input(format!(
            "agreement_region: no agreement for region '{region}' (see `ramp agreements list`)"
        )));
    }
    tracing::info!(region = %region, "orders are decided by this region's agreement");
    let mut app = App::new(storage, Arc::new(SystemClock), app_config);
    if let Some(settings) = config.oidc.clone() {
        tracing::info!(issuer = %settings.issuer_url, "login through the identity provider is on");
        app = app.with_oidc(ramp_app::oidc::Oidc::new(settings).map_err(CliError::failed)?);
    }
    spawn_search_index_build(app.clone());
    ramp_app::orders::spawn_reservation_sweeper(app.clone(), std::time::Duration::from_secs(30));
    ramp_app::consult::spawn_consultation_sweeper(app.clone(), std::time::Duration::from_secs(60));
    ramp_app::admin::spawn_inactivity_sweeper(app.clone(), std::time::Duration::from_secs(3600));
    ramp_app::digital::spawn_escalation_sweeper(app.clone(), std::time::Duration::from_secs(60));
    if replica.is_some() {
        spawn_replica_checks(app.clone(), std::time::Duration::from_secs(5));
    }
    if let Some(settings) = mqtt {
        ramp_app::digital::mqtt::spawn_subscriber(app.clone(), settings);
    }
    let cookie_secure = config.cookie_secure.unwrap_or(!addr.ip().is_loopback());
    let state = ramp_web::AppState::new(app, agreements, cookie_secure);
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| CliError::failed(format!("listen: cannot bind {addr}: {e}")))?;
    tracing::info!(%addr, engine = state.app.engine(), "serving");
    println!("Ramp is serving on http://{addr}/ (API: http://{addr}/api/openapi.json). Stop with Ctrl-C.");
    ramp_web::serve(listener, state, shutdown_signal()).await.map_err(|e| CliError::failed(format!("server: {e}")))?;
    tracing::info!("stopped");
    Ok(())
}

/// Checks the read replica every `every` and moves the follow-up reports
/// between it and the primary (see `ramp_storage::replica`).
fn spawn_replica_checks(app: App, every: std::time::Duration) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        loop {
            tick.tick().await;
            app.check_read_replica().await;
        }
    });
}

/// Builds the catalog search index in the background, after the
/// migrations and the demo load, so the first search does not pay for it
/// (seconds at 500,000 articles). The server does not wait: `/healthz` and
/// `/readyz` answer at once, because every other page works during the
/// build and a search that comes meanwhile waits for it (the lazy build
/// takes the same lock). If the build fails, the first search tries again.
fn spawn_search_index_build(app: App) {
    tokio::spawn(async move {
        let started = std::time::Instant::now();
        match app.warm_search_index().await {
            Ok(n) => tracing::info!(articles = n, ms = started.elapsed().as_millis() as u64, "search index ready"),
            Err(e) => tracing::warn!(error = %e, "search index not built at start; the first search builds it"),
        }
    });
}

/// Resolves on SIGTERM or Ctrl-C; the server then stops accepting and drains.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutdown requested; draining requests");
}

#[cfg(test)]
mod tests {
    use super::*;
    use ramp_app::admin::{bootstrap, Bootstrap};

    async fn region_of(code: &str, name: &str, given: Option<&str>) -> String {
        static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let file = std::env::temp_dir().join(format!("ramp-serve-region-{}-{n}.db", std::process::id()));
        let mut config = Config::load(&crate::ConfigArgs::default()).expect("default configuration");
        config.database_url = format!("sqlite:{}", file.display());
        if let Some(region) = given {
            (config.agreement_region, config.agreement_region_given) = (region.into(), true);
        }
        let storage = db::open_migrated(&config).await.expect("an in-memory database");
        let app = App::new(storage.clone(), Arc::new(SystemClock), AppConfig::default());
        let b = Bootstrap {
            region_code: code.into(),
            region_name: name.into(),
            username: "admin".into(),
            display_name: "Admin".into(),
            password: "a long enough password".into(),
            hsa_id: None,
        };
        bootstrap(&app, &b).await.expect("bootstrap");
        let region = agreement_region(&config, storage.as_ref(), &Agreements::builtin()).await.expect("a region");
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
        }
        region
    }

    #[tokio::test]
    async fn orders_are_decided_by_the_agreement_of_the_databases_region_unless_one_is_configured() {
        assert_eq!(region_of("region", "Västra Götalandsregionen", None).await, "vastra_gotaland");
        assert_eq!(region_of("sormland", "Region Sörmland (test)", None).await, "sormland");
        assert_eq!(region_of("region", "Region Ingenstans", None).await, crate::config::DEFAULT_AGREEMENT_REGION);
        assert_eq!(region_of("region", "Västra Götalandsregionen", Some("stockholm")).await, "stockholm");
    }
}
