//! The Ramp binary: command line, configuration, start-up and shutdown.
//! Each subcommand lives in its own module; this file only parses and
//! dispatches.

mod admin_cmd;
pub mod agreements_cmd;
mod backup_cmd;
mod bench;
mod catalog_cmd;
mod config;
pub mod db;
pub mod decide;
mod demo_cmd;
mod digital_cmd;
mod impact_cmd;
mod serve;
mod users_cmd;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

pub use config::{Config, ConfigArgs};

#[derive(Debug, Parser)]
#[command(name = "ramp", version, about = "Ramp: assistive-device supply — ordering portal and supply system")]
pub struct Cli {
    #[command(flatten)]
    pub config: ConfigArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web UI and the JSON API.
    Serve(serve::ServeArgs),
    /// Create or upgrade the database schema, then exit.
    Migrate,
    /// Write a consistent copy of the database to a new file, while Ramp serves.
    Backup(backup_cmd::BackupArgs),
    /// Put a backup into a new, empty database, migrate it and check its invariants.
    Restore(backup_cmd::RestoreArgs),
    /// Check the database's invariants (after a restore, a crash, by hand).
    Verify,
    /// Load the deterministic demo data set into an empty database.
    Demo(demo_cmd::DemoArgs),
    /// Manage users.
    #[command(subcommand)]
    User(users_cmd::UserCommand),
    /// Manage API tokens for integrations.
    #[command(subcommand)]
    Token(users_cmd::TokenCommand),
    /// The catalog: import the national article export or a plain CSV.
    #[command(subcommand)]
    Catalog(catalog_cmd::CatalogCommand),
    /// Digital assistive devices: issue or revoke a lent device's secret.
    #[command(subcommand)]
    Digital(digital_cmd::DigitalCommand),
    /// Bootstrap an empty database (`admin init`) and run administrative jobs.
    #[command(subcommand)]
    Admin(admin_cmd::AdminCommand),
    /// Decide cost responsibility for JSON Lines on stdin (no database needed).
    Decide(decide::DecideArgs),
    /// Check, compare and simulate cost-responsibility agreements.
    #[command(subcommand)]
    Agreements(agreements_cmd::AgreementsCommand),
    /// End-to-end benchmarks over HTTP, each against its ceiling measured in the same run.
    #[command(subcommand)]
    Bench(bench::BenchCommand),
}

/// Parses the command line and runs the command. Exit codes: 0 success,
/// 1 failure, 2 bad input.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match Config::load(&cli.config) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("ramp: {e}");
            return ExitCode::from(2);
        }
    };
    match cli.command {
        Command::Decide(args) => return decide::run_stdio(&args, &config),
        Command::Agreements(cmd) if !matches!(cmd, agreements_cmd::AgreementsCommand::Impact(_)) => {
            return agreements_cmd::run(cmd, &config)
        }
        _ => {}
    }
    config::init_logging(&config);
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("tokio runtime");
    runtime.block_on(async move {
        let result = match cli.command {
            Command::Serve(args) => serve::run(args, config).await,
            Command::Migrate => db::migrate_only(&config).await,
            Command::Backup(args) => backup_cmd::backup(args, &config).await,
            Command::Restore(args) => backup_cmd::restore(args, &config).await,
            Command::Verify => backup_cmd::verify(&config).await,
            Command::Demo(args) => demo_cmd::run(args, &config).await,
            Command::User(cmd) => users_cmd::run_user(cmd, &config).await,
            Command::Token(cmd) => users_cmd::run_token(cmd, &config).await,
            Command::Digital(cmd) => digital_cmd::run(cmd, &config).await,
            Command::Catalog(cmd) => catalog_cmd::run(cmd, &config).await,
            Command::Admin(cmd) => admin_cmd::run(cmd, &config).await,
            Command::Bench(cmd) => bench::run(cmd, &config).await,
            Command::Agreements(agreements_cmd::AgreementsCommand::Impact(args)) => {
                impact_cmd::run(args, &config).await
            }
            Command::Decide(_) | Command::Agreements(_) => unreachable!("handled above"),
        };
        match result {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("ramp: {e}");
                ExitCode::from(e.exit_code())
            }
        }
    })
}

/// A command's failure: a message for stderr and an exit code.
#[derive(Debug)]
pub struct CliError {
    pub message: String,
    /// 2 for bad input (the user can fix it), 1 otherwise.
    pub bad_input: bool,
}

impl CliError {
    pub fn input(message: impl Into<String>) -> Self {
        Self { message: message.into(), bad_input: true }
    }

    pub fn failed(message: impl Into<String>) -> Self {
        Self { message: message.into(), bad_input: false }
    }

    pub fn exit_code(&self) -> u8 {
        if self.bad_input {
            2
        } else {
            1
        }
    }
}

impl std::fmt::Display for CliError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<ramp_app::AppError> for CliError {
    fn from(e: ramp_app::AppError) -> Self {
        let bad_input = matches!(
            e.kind,
            ramp_app::ErrorKind::Invalid | ramp_app::ErrorKind::NotFound | ramp_app::ErrorKind::Conflict
        );
        Self { message: e.to_string(), bad_input }
    }
}

impl From<ramp_storage::StorageError> for CliError {
    fn from(e: ramp_storage::StorageError) -> Self {
        Self::failed(format!("database: {e}"))
    }
}
