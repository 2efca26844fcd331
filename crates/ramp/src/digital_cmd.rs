//! `ramp digital token` and `ramp digital revoke`: a lent digital device's
//! secret (issue 21), for the person who sets the device up. The secret is
//! printed once on stdout; only its hash is stored.

use crate::{db, CliError, Config};
use clap::Subcommand;
use ramp_app::{App, AppConfig, SystemClock};
use std::sync::Arc;

#[derive(Debug, Subcommand)]
pub enum DigitalCommand {
    /// Issue a secret for a digital device lent to a patient now; prints it once. Any earlier
    /// secret of the device stops working. The device sends it as `Authorization: Bearer` and as
    /// its MQTT password.
    Token {
        #[arg(long)]
        device_number: String,
    },
    /// Revoke a device's secret; the device can no longer report.
    Revoke {
        #[arg(long)]
        device_number: String,
    },
}

pub async fn run(cmd: DigitalCommand, config: &Config) -> Result<(), CliError> {
    let storage = db::open_migrated(config).await?;
    let app_config = AppConfig { mqtt_password_file: config.mqtt_password_file.clone(), ..AppConfig::default() };
    let app = App::new(storage, Arc::new(SystemClock), app_config);
    match cmd {
        DigitalCommand::Token { device_number } => {
            let secret = ramp_app::digital::issue_token(&app, &device_number, None).await?;
            println!("{secret}");
            eprintln!("store this secret in the device now; it is not shown again");
        }
        DigitalCommand::Revoke { device_number } => {
            ramp_app::digital::revoke_token(&app, &device_number, None).await?;
            println!("secret of {device_number} revoked");
        }
    }
    Ok(())
}
