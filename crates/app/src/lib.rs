//! Use-cases: one function per thing a user does. Each owns its
//! transaction(s), takes time from the [`Clock`], decides authorization and
//! writes the audit row for every read of patient data.

mod access;
pub mod admin;
pub mod agreements;
pub mod audit_review;
pub mod auth;
mod auth_cache;
pub mod billing;
pub mod catalog;
pub mod catalog_import;
pub mod consult;
pub mod dates;
pub mod demo;
pub mod devices;
pub mod digital;
pub mod economy;
mod error;
pub mod fees;
pub mod fhir;
pub mod figures;
pub mod impact;
pub mod notifications;
pub mod oidc;
pub mod order_lists;
pub mod orders;
pub mod patient_invoices;
pub mod patient_register;
pub mod patients;
pub mod product;
pub mod search;
pub mod stock;
pub mod supply;
pub mod surplus;
pub mod tertial;
pub mod unit_orders;
pub mod users;
pub mod warehouse;

pub use error::{AppError, ErrorKind};
/// The model the use-cases work on (the storage port, its row types and
/// errors), for the web layer, which depends on the use-cases only.
pub use ramp_model as model;
pub use ramp_model::clock;
pub use ramp_model::clock::{Clock, FixedClock, SystemClock};

use ramp_model::Storage;
use std::sync::Arc;

/// Settings the use-cases need; read once at start-up, passed in (no globals).
#[derive(Debug, Clone)]
pub struct AppConfig {
    /// How long a login session lasts.
    pub session_ttl: chrono::Duration,
    /// How long a declared emergency access lasts.
    pub emergency_access_ttl: chrono::Duration,
    /// How long a device added to a cart stays reserved.
    pub reservation_ttl: chrono::Duration,
    /// The region whose cost-responsibility agreement decides who pays
    /// for this installation's prescriptions (e.g. `stockholm`).
    pub agreement_region: String,
    /// The roles the region lets declare emergency access (by default the
    /// prescribers); a user also needs a unit, where they meet patients.
    /// Unit orderers, finance and administrators never may
    /// (`ramp_domain::access::NEVER_EMERGENCY_ROLES`).
    pub emergency_access_roles: Vec<ramp_domain::role::Role>,
    /// How long an alarm may stay unacknowledged before it is escalated (issue 21).
    pub alarm_escalation_after: chrono::Duration,
    /// The second unit an escalated alarm is shown to, if any (e.g. a
    /// central alarm desk); without one it stays with the responsible unit,
    /// marked escalated, and the centre's staff see it as they see all.
    pub alarm_escalation_unit: Option<ramp_model::Id>,
    /// The MQTT broker's password file, kept in step with device secrets
    /// (issue 21); `None` when no broker is used.
    pub mqtt_password_file: Option<digital::MqttPasswordFile>,
}

impl Default for AppConfig {
    fn default() -> Self {
        Self {
            session_ttl: chrono::Duration::hours(10),
            emergency_access_ttl: chrono::Duration::hours(4),
            reservation_ttl: chrono::Duration::minutes(30),
            agreement_region: "stockholm".into(),
            emergency_access_roles: ramp_domain::access::DEFAULT_EMERGENCY_ROLES.to_vec(),
            alarm_escalation_after: chrono::Duration::minutes(30),
            alarm_escalation_unit: None,
            mqtt_password_file: None,
        }
    }
}

/// Everything a use-case needs, cheap to clone.
#[derive(Clone)]
pub struct App {
    pub(crate) storage: Arc<dyn Storage>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) config: AppConfig,
    /// The cost-responsibility agreements in force (reloadable).
    pub(crate) agreements: Arc<agreements::Agreements>,
    auth_cache: Arc<auth_cache::AuthCache>,
    /// The region's identity provider, when login through OIDC is on.
    pub(crate) oidc: Option<Arc<oidc::Oidc>>,
    /// The catalog search index, shared by every clone of the app.
    pub(crate) search: Arc<search::Search>,
    /// Catalog imports running or just ended (their progress for the UI).
    pub(crate) imports: Arc<catalog_import::ImportJobs>,
    /// Invoice runs running or just ended (their progress for the UI and the API).
    pub(crate) invoice_runs: Arc<billing::jobs::InvoiceRunJobs>,
    /// Ingest counters and the broker's state, for `/metrics` and `/readyz`.
    pub(crate) digital_stats: Arc<digital::DigitalStats>,
    /// HTTP ingest's group commit (concurrent reports share a transaction).
    pub(crate) http_commits: Arc<digital::GroupCommit>,
}

impl App {
    /// The app on `storage`, taking time from `clock`; the storage times
    /// its cache by the same clock.
    pub fn new(storage: Arc<dyn Storage>, clock: Arc<dyn Clock>, config: AppConfig) -> Self {
        storage.use_clock(clock.clone());
        let agreements = Arc::new(agreements::Agreements::builtin());
        Self {
            storage,
            clock,
            config,
            agreements,
            auth_cache: Arc::default(),
            oidc: None,
            search: Arc::new(search::Search::new()),
            imports: Arc::default(),
            invoice_runs: Arc::default(),
            digital_stats: Arc::default(),
            http_commits: Arc::default(),
        }
    }

    /// The ingest counters and the broker's state (issue 21).
    pub fn digital_stats(&self) -> &digital::DigitalStats {
        &self.digital_stats
    }

    /// Alarms not closed, across every unit, for `/metrics`.
    pub async fn open_alarm_count(&self) -> error::Result<i64> {
        Ok(self.storage.unclosed_alarm_count().await?)
    }

    /// The same app with login through the region's identity provider on.
    pub fn with_oidc(mut self, oidc: oidc::Oidc) -> Self {
        self.oidc = Some(Arc::new(oidc));
        self
    }

    /// Whether users may log in through the region's identity provider.
    pub fn oidc_enabled(&self) -> bool {
        self.oidc.is_some()
    }

    /// The identity provider's origin (`https://idp.example:8443`) when
    /// OIDC is on: the browser is sent there from a form (login, logout),
    /// so the pages' `form-action` policy must allow it.
    pub fn oidc_origin(&self) -> Option<String> {
        self.oidc.as_ref().and_then(|o| o.issuer_origin())
    }

    /// The same app deciding with the given agreement store.
    pub fn with_agreements(mut self, agreements: Arc<agreements::Agreements>) -> Self {
        self.agreements = agreements;
        self
    }

    /// Readiness: the database answers and takes a write now. Turns
    /// `Unavailable` while writes fail (a full or read-only disk, a
    /// server restarting), so a load balancer stops sending requests.
    pub async fn readiness(&self) -> error::Result<()> {
        self.storage.ping().await?;
        self.storage.probe_write(self.clock.now()).await?;
        Ok(())
    }

    /// Checks the read replica of the follow-up reports (if one is
    /// configured) and lets it serve them or not until the next check.
    pub async fn check_read_replica(&self) -> Option<ramp_model::ReplicaStatus> {
        self.storage.check_read_replica().await
    }

    /// The database engine's name (`sqlite` or `postgres`), for the log.
    pub fn engine(&self) -> &'static str {
        self.storage.engine()
    }

    /// Now, by the application's clock.
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }

    /// The settings the app was started with.
    pub fn config(&self) -> &AppConfig {
        &self.config
    }

    /// Today's date in Stockholm.
    pub fn today(&self) -> chrono::NaiveDate {
        ramp_domain::time::stockholm_date(self.clock.now())
    }
}
