//! Configuration in layers: built-in defaults, then an optional TOML file
//! (`--config` / `RAMP_CONFIG`), then environment variables, then flags.
//! Every setting is documented in the README's configuration table.

use clap::Args;
use ramp_app::oidc::{OidcInput, OidcSettings};
use ramp_domain::role::Role;
use ramp_domain::Term;
use serde::Deserialize;
use std::path::PathBuf;

/// Global options, accepted before or after the subcommand.
#[derive(Debug, Clone, Default, Args)]
pub struct ConfigArgs {
    /// Database: `sqlite:PATH` (embedded, the default `sqlite:data/ramp.db`) or `postgres://...`.
    #[arg(long, env = "DATABASE_URL", global = true)]
    pub database_url: Option<String>,
    /// PostgreSQL connections Ramp keeps open at most (default: twice the cores, plus one).
    #[arg(long, env = "RAMP_DATABASE_MAX_CONNECTIONS", global = true)]
    pub database_max_connections: Option<u32>,
    /// A TOML file with any of: database_url, database_max_connections, listen, agreements_dir, log_format, cookie_secure, agreement_region, reservation_minutes, emergency_access_roles, the oidc_* and the mqtt_* settings.
    #[arg(long, env = "RAMP_CONFIG", global = true)]
    pub config: Option<PathBuf>,
    /// Directory of cost-responsibility agreements (`<region>/<effective-date>.toml`); default: the built-in ones.
    #[arg(long, env = "RAMP_AGREEMENTS", global = true)]
    pub agreements_dir: Option<PathBuf>,
    /// Log format: `text` or `json` (structured, one object per line).
    #[arg(long, env = "RAMP_LOG_FORMAT", global = true)]
    pub log_format: Option<String>,
    /// The region whose cost-responsibility agreement decides prescriptions (default: the database's region's agreement, else `stockholm`).
    #[arg(long, env = "RAMP_AGREEMENT_REGION", global = true)]
    pub agreement_region: Option<String>,
    /// Minutes a device in a cart stays reserved (default 30).
    #[arg(long, env = "RAMP_RESERVATION_MINUTES", global = true)]
    pub reservation_minutes: Option<i64>,
    /// Login through the region's identity provider (OIDC): its issuer URL, e.g. https://idp.regionen.se/oidc.
    #[arg(long, env = "RAMP_OIDC_ISSUER_URL", global = true)]
    pub oidc_issuer_url: Option<String>,
    /// The client id Ramp is registered with at the identity provider.
    #[arg(long, env = "RAMP_OIDC_CLIENT_ID", global = true)]
    pub oidc_client_id: Option<String>,
    /// The client secret (prefer the environment or the file: a flag shows in the process list).
    #[arg(long, env = "RAMP_OIDC_CLIENT_SECRET", hide_env_values = true, global = true)]
    pub oidc_client_secret: Option<String>,
    /// Ramp's callback address as registered at the provider: https://<ramp>/login/oidc/callback.
    #[arg(long, env = "RAMP_OIDC_REDIRECT_URL", global = true)]
    pub oidc_redirect_url: Option<String>,
    /// The claim that carries the user's HSA id (default `hsa_id`).
    #[arg(long, env = "RAMP_OIDC_HSA_ID_CLAIM", global = true)]
    pub oidc_hsa_id_claim: Option<String>,
    /// Scopes to ask for, space-separated (default `openid profile`).
    #[arg(long, env = "RAMP_OIDC_SCOPES", global = true)]
    pub oidc_scopes: Option<String>,
    /// Where the provider returns the browser after logout (default: the redirect URL's /login).
    #[arg(long, env = "RAMP_OIDC_POST_LOGOUT_REDIRECT_URL", global = true)]
    pub oidc_post_logout_redirect_url: Option<String>,
    /// Roles that may declare emergency access, comma-separated (default `prescriber`; never unit_orderer, finance or admin).
    #[arg(long, env = "RAMP_EMERGENCY_ACCESS_ROLES", global = true, value_delimiter = ',')]
    pub emergency_access_roles: Option<Vec<String>>,
    /// The MQTT broker's password file (Mosquitto `password_file`), which Ramp keeps in step with the device secrets it issues and revokes.
    #[arg(long, env = "RAMP_MQTT_PASSWORD_FILE", global = true)]
    pub mqtt_password_file: Option<PathBuf>,
    /// A shell command Ramp runs after changing the password file, so the broker rereads it (e.g. `systemctl reload mosquitto`).
    #[arg(long, env = "RAMP_MQTT_RELOAD_COMMAND", global = true)]
    pub mqtt_reload_command: Option<String>,
}

/// The file layer.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    database_url: Option<String>,
    database_max_connections: Option<u32>,
    listen: Option<String>,
    agreements_dir: Option<PathBuf>,
    log_format: Option<String>,
    cookie_secure: Option<bool>,
    agreement_region: Option<String>,
    reservation_minutes: Option<i64>,
    oidc_issuer_url: Option<String>,
    oidc_client_id: Option<String>,
    oidc_client_secret: Option<String>,
    oidc_redirect_url: Option<String>,
    oidc_hsa_id_claim: Option<String>,
    oidc_scopes: Option<String>,
    oidc_post_logout_redirect_url: Option<String>,
    emergency_access_roles: Option<Vec<String>>,
    mqtt_password_file: Option<PathBuf>,
    mqtt_reload_command: Option<String>,
    mqtt_url: Option<String>,
}

/// The agreement region when neither the configuration nor the database names one.
pub const DEFAULT_AGREEMENT_REGION: &str = "stockholm";

/// The resolved configuration. Secrets are redacted in `Debug`.
#[derive(Clone)]
pub struct Config {
    pub database_url: String,
    /// The PostgreSQL pool's size; SQLite has one writer and its own readers.
    pub database_max_connections: u32,
    pub listen: Option<String>,
    pub agreements_dir: Option<PathBuf>,
    pub json_logs: bool,
    pub cookie_secure: Option<bool>,
    /// The region whose agreement decides orders. When not configured,
    /// `ramp serve` takes the agreement whose `region_name` is the name of
    /// the database's region (the demo: Västra Götalandsregionen), and
    /// [`DEFAULT_AGREEMENT_REGION`] when none matches.
    pub agreement_region: String,
    /// Whether `agreement_region` was configured (flag, environment or file).
    pub agreement_region_given: bool,
    pub reservation_minutes: i64,
    /// Login through the region's identity provider; `None` when off.
    pub oidc: Option<OidcSettings>,
    /// The roles the region lets declare emergency access.
    pub emergency_access_roles: Vec<Role>,
    /// The MQTT broker's password file and reload command, when a broker is used.
    pub mqtt_password_file: Option<ramp_app::digital::MqttPasswordFile>,
    /// The broker `ramp serve` subscribes to (from the file; the flag wins).
    pub mqtt_url: Option<String>,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("database_url", &redact_url(&self.database_url))
            .field("database_max_connections", &self.database_max_connections)
            .field("listen", &self.listen)
            .field("agreements_dir", &self.agreements_dir)
            .field("json_logs", &self.json_logs)
            .field("oidc", &self.oidc)
            .field("mqtt_password_file", &self.mqtt_password_file)
            .field("mqtt_url", &self.mqtt_url.as_deref().map(redact_url))
            .finish()
    }
}

/// Hides a password in a database URL (`postgres://user:secret@host` → `postgres://user:***@host`).
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{}:***{}", &url[..s + 3], user, &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

pub const DEFAULT_DATABASE_URL: &str = "sqlite:data/ramp.db";

/// Twice the cores, plus one: PostgreSQL does the most work with about as
/// many busy backends as it has cores; a few more cover connections waiting
/// on the network. More only wait for each other's locks and the CPU:
/// under `ramp bench orders` on 2 cores, 5 connections used less of
/// PostgreSQL's time per order than 32 and cut p99 latency by a fifth
/// (docs/BENCHMARKS.md, fifth round).
pub fn default_max_connections() -> u32 {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get()) as u32;
    (2 * cores + 1).min(MAX_CONNECTIONS)
}

/// The most connections a pool may be given (PostgreSQL's own default is 100).
const MAX_CONNECTIONS: u32 = 500;

impl Config {
    pub fn load(args: &ConfigArgs) -> Result<Config, String> {
        let file = match &args.config {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| format!("config file {}: {e}", path.display()))?;
                toml::from_str::<FileConfig>(&text).map_err(|e| format!("config file {}: {e}", path.display()))?
            }
            None => FileConfig::default(),
        };
        let log_format = args.log_format.clone().or(file.log_format).unwrap_or_else(|| "text".into());
        if !matches!(log_format.as_str(), "text" | "json") {
            return Err(format!("log_format: expected 'text' or 'json', got '{log_format}'"));
        }
        let reservation_minutes = args.reservation_minutes.or(file.reservation_minutes).unwrap_or(30);
        if !(1..=1440).contains(&reservation_minutes) {
            return Err(format!("reservation_minutes: expected 1 to 1440 minutes, got {reservation_minutes}"));
        }
        let database_max_connections = match args.database_max_connections.or(file.database_max_connections) {
            Some(n) if !(1..=MAX_CONNECTIONS).contains(&n) => {
                return Err(format!("database_max_connections: expected 1 to {MAX_CONNECTIONS}, got {n}"));
            }
            Some(n) => n,
            None => default_max_connections(),
        };
        let given_region = args.agreement_region.clone().or(file.agreement_region);
        let agreement_region_given = given_region.is_some();
        let agreement_region = given_region.unwrap_or_else(|| DEFAULT_AGREEMENT_REGION.into());
        let oidc = OidcSettings::from_input(&OidcInput {
            issuer_url: args.oidc_issuer_url.clone().or(file.oidc_issuer_url),
            client_id: args.oidc_client_id.clone().or(file.oidc_client_id),
            client_secret: args.oidc_client_secret.clone().or(file.oidc_client_secret),
            redirect_url: args.oidc_redirect_url.clone().or(file.oidc_redirect_url),
            hsa_id_claim: args.oidc_hsa_id_claim.clone().or(file.oidc_hsa_id_claim),
            scopes: args.oidc_scopes.clone().or(file.oidc_scopes),
            post_logout_redirect_url: args.oidc_post_logout_redirect_url.clone().or(file.oidc_post_logout_redirect_url),
        })?;
        let emergency_access_roles = match args.emergency_access_roles.clone().or(file.emergency_access_roles) {
            Some(names) => emergency_roles(&names)?,
            None => ramp_domain::access::DEFAULT_EMERGENCY_ROLES.to_vec(),
        };
        let mqtt_reload_command = args.mqtt_reload_command.clone().or(file.mqtt_reload_command);
        let mqtt_password_file = match args.mqtt_password_file.clone().or(file.mqtt_password_file) {
            Some(path) => Some(ramp_app::digital::MqttPasswordFile { path, reload_command: mqtt_reload_command }),
            None if mqtt_reload_command.is_some() => {
                return Err("mqtt_reload_command: set mqtt_password_file too".into());
            }
            None => None,
        };
        Ok(Config {
            oidc,
            mqtt_password_file,
            mqtt_url: file.mqtt_url,
            database_max_connections,
            agreement_region,
            agreement_region_given,
            reservation_minutes,
            emergency_access_roles,
            database_url: args
                .database_url
                .clone()
                .or(file.database_url)
                .unwrap_or_else(|| DEFAULT_DATABASE_URL.into()),
            listen: file.listen,
            agreements_dir: args.agreements_dir.clone().or(file.agreements_dir),
            json_logs: log_format == "json",
            cookie_secure: file.cookie_secure,
        })
    }
}

/// The roles named in `emergency_access_roles`: known roles, none that
/// never declares emergency access.
fn emergency_roles(names: &[String]) -> Result<Vec<Role>, String> {
    let setting = |e: ramp_domain::FieldError| format!("emergency_access_roles: {}", e.message);
    let roles = names
        .iter()
        .map(|n| n.trim())
        .filter(|n| !n.is_empty())
        .map(|n| Role::parse(n).map_err(setting))
        .collect::<Result<Vec<_>, _>>()?;
    ramp_domain::access::check_emergency_roles(&roles).map_err(setting)?;
    Ok(roles)
}

/// Structured logs to stderr; `RUST_LOG` filters (default `info`).
pub fn init_logging(config: &Config) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    if config.json_logs {
        builder.json().init();
    } else {
        builder.init();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_database_password_never_reaches_the_log() {
        assert_eq!(redact_url("postgres://ramp:hemligt@db:5432/ramp"), "postgres://ramp:***@db:5432/ramp");
        assert_eq!(redact_url("sqlite:data/ramp.db"), "sqlite:data/ramp.db");
    }

    #[test]
    fn a_pool_size_outside_one_to_five_hundred_is_refused_naming_the_setting() {
        for n in [0, 501] {
            let args = ConfigArgs { database_max_connections: Some(n), ..ConfigArgs::default() };
            let err = Config::load(&args).expect_err("refused");
            assert_eq!(err, format!("database_max_connections: expected 1 to 500, got {n}"));
        }
        let args = ConfigArgs { database_max_connections: Some(7), ..ConfigArgs::default() };
        assert_eq!(Config::load(&args).expect("accepted").database_max_connections, 7);
    }

    #[test]
    fn oidc_is_off_unless_configured_and_its_secret_never_reaches_the_log() {
        assert!(Config::load(&ConfigArgs::default()).unwrap().oidc.is_none());
        let args = ConfigArgs {
            oidc_issuer_url: Some("https://idp.regionen.se".into()),
            oidc_client_id: Some("ramp".into()),
            oidc_client_secret: Some("hemligt-klientlösen".into()),
            oidc_redirect_url: Some("https://ramp.regionen.se/login/oidc/callback".into()),
            ..ConfigArgs::default()
        };
        let config = Config::load(&args).unwrap();
        assert_eq!(config.oidc.as_ref().unwrap().hsa_id_claim, "hsa_id");
        assert!(!format!("{config:?}").contains("hemligt"));
        let partial = ConfigArgs { oidc_client_id: None, ..args };
        assert!(Config::load(&partial).unwrap_err().starts_with("oidc_client_id:"));
    }

    #[test]
    fn emergency_access_is_for_prescribers_by_default_and_never_for_orderers_finance_or_admins() {
        assert_eq!(Config::load(&ConfigArgs::default()).unwrap().emergency_access_roles, vec![Role::Prescriber]);
        let roles = |names: &[&str]| ConfigArgs {
            emergency_access_roles: Some(names.iter().map(|n| n.to_string()).collect()),
            ..ConfigArgs::default()
        };
        let both = Config::load(&roles(&["prescriber", "personal_orderer_health"])).unwrap();
        assert_eq!(both.emergency_access_roles, vec![Role::Prescriber, Role::PersonalOrdererHealth]);
        let err = Config::load(&roles(&["prescriber", "finance"])).expect_err("refused");
        assert_eq!(err, "emergency_access_roles: the role finance never declares emergency access");
        let err = Config::load(&roles(&["doctor"])).expect_err("refused");
        assert!(err.starts_with("emergency_access_roles: unknown value 'doctor'"), "{err}");
    }

    #[test]
    fn the_pool_defaults_to_twice_the_cores_plus_one() {
        let cores = std::thread::available_parallelism().unwrap().get() as u32;
        let config = Config::load(&ConfigArgs::default()).expect("defaults");
        assert_eq!(config.database_max_connections, 2 * cores + 1);
    }
}
