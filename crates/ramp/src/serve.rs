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

pub async fn run(args: ServeArgs, config: Config) -> Result<(), CliError> {
    let listen = args.listen.clone().or(config.listen.clone()).unwrap_or_else(|| DEFAULT_LISTEN.into());
    let addr: SocketAddr = listen
        .parse()
        .map_err(|_| CliError::input(format!("listen: '{listen}' is not an address like 127.0.0.1:8080")))?;
    let storage = db::open_migrated(&config).await?;
    if args.demo {
        demo_cmd::load_if_empty(&storage, &args.demo_scale, args.seed).await?;
    }
    let agreements = load_agreements(&config)?;
    let app_config = AppConfig {
        reservation_ttl: chrono::Duration::minutes(config.reservation_minutes),
        agreement_region: config.agreement_region.clone(),
        emergency_access_roles: config.emergency_access_roles.clone(),
        ..AppConfig::default()
    };
    if agreements.current().in_force(&config.agreement_region, chrono::NaiveDate::MAX).is_none() {
        return Err(CliError::input(format!(
            "agreement_region: no agreement for region '{}' (see `ramp agreements list`)",
            config.agreement_region
        )));
    }
    let mut app = App::new(storage, Arc::new(SystemClock), app_config);
    if let Some(settings) = config.oidc.clone() {
        tracing::info!(issuer = %settings.issuer_url, "login through the identity provider is on");
        app = app.with_oidc(ramp_app::oidc::Oidc::new(settings).map_err(CliError::failed)?);
    }
    spawn_search_index_build(app.clone());
    ramp_app::orders::spawn_reservation_sweeper(app.clone(), std::time::Duration::from_secs(30));
    ramp_app::consult::spawn_consultation_sweeper(app.clone(), std::time::Duration::from_secs(60));
    ramp_app::admin::spawn_inactivity_sweeper(app.clone(), std::time::Duration::from_secs(3600));
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
