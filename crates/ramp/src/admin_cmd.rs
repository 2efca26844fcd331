//! `ramp admin init` (bootstrap an empty database: the region, the first
//! administrator, the standard product areas) and `ramp admin
//! deactivate-inactive` (the inactivity job, once). Both are idempotent.

use crate::{db, CliError, Config};
use clap::{Args, Subcommand};
use ramp_app::admin::{self, Bootstrap};
use ramp_app::{App, AppConfig, Clock, SystemClock};
use std::io::BufRead;
use std::sync::Arc;

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create the region's principal and the first administrator on an empty database.
    /// Run again with the same values it changes nothing and exits 0; with other values it
    /// exits 2 naming the field. The password comes from --password, RAMP_ADMIN_PASSWORD or
    /// (when neither is given) one line on stdin.
    Init(InitArgs),
    /// Deactivate every account not used (logged in) for 12 months, as `ramp serve` does hourly.
    DeactivateInactive,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The region principal's code (a–z, 0–9, '_' or '-').
    #[arg(long, default_value = "region")]
    pub region_code: String,
    /// The region's name, e.g. "Region Stockholm".
    #[arg(long)]
    pub region_name: String,
    /// The administrator's username.
    #[arg(long)]
    pub username: String,
    /// The administrator's full name.
    #[arg(long)]
    pub name: String,
    /// The administrator's password (at least 8 characters). Prefer RAMP_ADMIN_PASSWORD or stdin:
    /// a flag is visible to other users of the machine.
    #[arg(long, env = "RAMP_ADMIN_PASSWORD", hide_env_values = true)]
    pub password: Option<String>,
    /// The administrator's HSA id, to log in with SITHS through the region's identity provider.
    #[arg(long)]
    pub hsa_id: Option<String>,
}

async fn app(config: &Config, clock: Arc<dyn Clock>) -> Result<App, CliError> {
    let storage = db::open_migrated(config).await?;
    Ok(App::new(storage, clock, AppConfig::default()))
}

fn password(given: Option<String>) -> Result<String, CliError> {
    if let Some(p) = given {
        return Ok(p);
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| CliError::input(format!("password: cannot read stdin: {e}")))?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

pub async fn run(cmd: AdminCommand, config: &Config) -> Result<(), CliError> {
    match cmd {
        AdminCommand::Init(args) => {
            let password = password(args.password.clone())?;
            let lines = init(&app(config, Arc::new(SystemClock)).await?, args, password).await?;
            lines.iter().for_each(|l| println!("{l}"));
            Ok(())
        }
        AdminCommand::DeactivateInactive => {
            let ids = admin::deactivate_inactive_users(&app(config, Arc::new(SystemClock)).await?).await?;
            println!("{} inactive account(s) deactivated", ids.len());
            Ok(())
        }
    }
}

/// The bootstrap; what it did, one line each.
pub async fn init(app: &App, args: InitArgs, password: String) -> Result<Vec<String>, CliError> {
    let b = Bootstrap {
        region_code: args.region_code.clone(),
        region_name: args.region_name.clone(),
        username: args.username.clone(),
        display_name: args.name,
        password,
        hsa_id: args.hsa_id.clone(),
    };
    let done = admin::bootstrap(app, &b).await?;
    let mut lines = vec![];
    if done.principal_created {
        lines.push(format!("region '{}' ({}) created", args.region_code, args.region_name));
    }
    if done.admin_created {
        lines.push(format!(
            "administrator '{}' created: log in at /login and continue under Administration",
            args.username
        ));
    }
    if done.product_areas_created > 0 {
        lines.push(format!("{} standard product areas created", done.product_areas_created));
    }
    if lines.is_empty() {
        lines.push(format!(
            "already initialised: region '{}' and administrator '{}' exist; nothing changed",
            args.region_code, args.username
        ));
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(name: &str) -> InitArgs {
        InitArgs {
            region_code: "region".into(),
            region_name: "Region Gävleborg".into(),
            username: "ada".into(),
            name: name.into(),
            password: None,
            hsa_id: None,
        }
    }

    #[tokio::test]
    async fn init_on_an_empty_database_creates_the_region_and_admin_once_and_refuses_other_values() {
        let dir = std::env::temp_dir().join(format!("ramp-admin-init-{}", std::process::id()));
        let url = format!("sqlite:{}/ramp.db", dir.display());
        let config = Config::load(&crate::ConfigArgs { database_url: Some(url), ..Default::default() }).unwrap();
        let app = app(&config, Arc::new(SystemClock)).await.expect("open");
        let first = init(&app, args("Ada Admin"), "lösenord-123".into()).await.expect("first run");
        assert_eq!(first.len(), 3, "{first:?}");
        let again = init(&app, args("Ada Admin"), "lösenord-123".into()).await.expect("second run");
        assert!(again[0].starts_with("already initialised"), "{again:?}");
        let other = init(&app, args("Ada Adminsson"), "lösenord-123".into()).await.expect_err("other name");
        assert!(other.bad_input && other.message.starts_with("name:"), "{}", other.message);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
