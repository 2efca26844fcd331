//! Administration's side of the storage: listings for the admin pages and
//! the [`AdminWork`] unit of work that `ramp-app`'s admin use-cases compose
//! — read the row as it was, change it, read it as it is, and append the
//! `admin_audit` row with both, in one transaction. A supertrait of
//! [`crate::Storage`], implemented once for both engines by
//! `ramp_storage::SqlStorage` (`sql/admin.rs`). The rules (who may, what
//! is valid, when an account is inactive) are the caller's.

use crate::{Article, CustomerNumber, Id, Principal, ProductArea, Result, Supplier};
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use ramp_domain::admin::{AdminEntity, AdminOutcome};
use ramp_domain::article::{ArticleKind, Billing, LeadTimeClass};
use ramp_domain::ids::IsoCode;
use ramp_domain::role::Role;
use serde::Serialize;

/// A principal to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPrincipal {
    pub code: String,
    pub name: String,
    /// `region` or `municipality`.
    pub kind: String,
    pub municipality_code: Option<String>,
}

/// A care unit as the administrator sees it: with whether it is active.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitRecord {
    pub id: Id,
    pub principal_id: Id,
    pub hsa_id: String,
    pub name: String,
    /// A `ramp_domain::unit::UnitKind` name (older data may hold others).
    pub kind: String,
    pub customer_number_id: Id,
    pub active: bool,
    /// The delivery route that passes the unit (pick lists group by it).
    pub delivery_route: Option<String>,
    /// Where the unit takes its deliveries.
    pub address: Option<crate::UnitAddress>,
}

/// What a unit is created or edited with (its HSA id and principal are
/// given at creation only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitFields {
    pub name: String,
    pub kind: String,
    pub customer_number_id: Id,
    pub delivery_route: Option<String>,
    /// Its `unit_id` is ignored: the unit's own.
    pub address: Option<crate::UnitAddress>,
}

/// A competence ("förskrivarbehörighet") and the period it is valid in;
/// an open end is `None`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CompetencePeriod {
    pub competence: String,
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
}

impl CompetencePeriod {
    /// Whether the competence is valid on `day`.
    pub fn covers(&self, day: NaiveDate) -> bool {
        self.valid_from.is_none_or(|f| f <= day) && self.valid_to.is_none_or(|t| day <= t)
    }
}

/// A user as the administrator sees it: never the password hash, only
/// whether there is one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserRecord {
    pub id: Id,
    pub username: String,
    pub display_name: String,
    pub principal_id: Id,
    pub unit_id: Option<Id>,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub last_login_at: Option<DateTime<Utc>>,
    pub has_password: bool,
    /// The HSA id an OIDC login maps to this user, if any.
    pub hsa_id: Option<String>,
    pub roles: Vec<Role>,
    pub competences: Vec<CompetencePeriod>,
}

/// An account to create (its roles and competences are set after).
#[derive(Clone, PartialEq, Eq)]
pub struct NewAccount {
    pub username: String,
    pub display_name: String,
    pub password_hash: Option<String>,
    pub principal_id: Id,
    pub unit_id: Option<Id>,
    pub created_at: DateTime<Utc>,
    /// The HSA id an OIDC login maps to this user, if any (unique).
    pub hsa_id: Option<String>,
}

impl std::fmt::Debug for NewAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewAccount").field("username", &self.username).finish_non_exhaustive()
    }
}

/// Which users a listing shows, newest account last; `text` matches the
/// username or the name, in any case.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserQuery {
    pub text: Option<String>,
    pub active: Option<bool>,
    pub unit_id: Option<Id>,
    pub limit: i64,
    pub offset: i64,
}

/// An API token as the administrator sees it (never its hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenRecord {
    pub id: Id,
    pub user_id: Id,
    pub username: String,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// Which tokens a listing shows, newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TokenQuery {
    pub user_id: Option<Id>,
    pub include_revoked: bool,
    pub limit: i64,
}

/// A catalog article as the administrator writes it; the supplier is
/// named (and created when new).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleDraft {
    pub article_number: String,
    pub iso_code: IsoCode,
    pub gtin: Option<String>,
    pub name: String,
    pub supplier: String,
    pub purchase_price_ore: i64,
    pub monthly_rent_ore: i64,
    pub kind: ArticleKind,
    pub billing: Billing,
    pub lead_time_class: LeadTimeClass,
    pub service_life_months: i32,
    pub reconditionable: bool,
    pub product_area: String,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
}

/// One row of `admin_audit` to append.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAdminChange {
    pub occurred_at: DateTime<Utc>,
    /// `None`: the system (the bootstrap command, the inactivity job).
    pub actor_user_id: Option<Id>,
    pub entity: AdminEntity,
    pub entity_id: Option<Id>,
    /// What was done, e.g. `create`, `deactivate`, `set_roles`.
    pub action: String,
    pub outcome: AdminOutcome,
    /// The row before and after, as JSON; `None` where there is none.
    pub before: Option<String>,
    pub after: Option<String>,
    pub request_id: Option<String>,
}

/// One row of `admin_audit`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AdminChange {
    pub id: Id,
    pub occurred_at: DateTime<Utc>,
    pub actor_user_id: Option<Id>,
    /// The actor's username, when there is an actor.
    pub actor_username: Option<String>,
    pub entity: AdminEntity,
    pub entity_id: Option<Id>,
    pub action: String,
    pub outcome: AdminOutcome,
    pub before: Option<String>,
    pub after: Option<String>,
    pub request_id: Option<String>,
}

/// Which changes a listing shows, newest first; `before_id` pages on
/// (the rows with a smaller id), `from..to` bounds `occurred_at`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangeQuery {
    pub entity: Option<AdminEntity>,
    pub entity_id: Option<Id>,
    pub actor_user_id: Option<Id>,
    pub action: Option<String>,
    pub outcome: Option<AdminOutcome>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub before_id: Option<Id>,
    pub limit: i64,
}

/// Reads for the admin pages, and the unit of work for changes.
#[async_trait]
pub trait AdminStore: Send + Sync {
    /// Opens a write transaction for an administrative change; dropped
    /// without a commit, it is rolled back. Its commit also empties the
    /// cache of nearly static rows (principals, units, articles).
    async fn admin_work(&self) -> Result<Box<dyn AdminWork>>;
    /// Appends one `admin_audit` row on its own (a refused attempt).
    async fn append_admin_change(&self, c: &NewAdminChange) -> Result<Id>;
    async fn admin_changes(&self, q: &ChangeQuery) -> Result<Vec<AdminChange>>;
    /// Every customer number, by number.
    async fn customer_numbers(&self) -> Result<Vec<CustomerNumber>>;
    /// Every unit (of one principal, when given), by name.
    async fn unit_records(&self, principal_id: Option<Id>) -> Result<Vec<UnitRecord>>;
    async fn user_records(&self, q: &UserQuery) -> Result<Vec<UserRecord>>;
    async fn user_record(&self, id: Id) -> Result<Option<UserRecord>>;
    async fn token_records(&self, q: &TokenQuery) -> Result<Vec<TokenRecord>>;
    async fn suppliers(&self) -> Result<Vec<Supplier>>;
    /// Active accounts last used (logged in, or created if never) before `cutoff`.
    async fn inactive_user_ids(&self, cutoff: DateTime<Utc>) -> Result<Vec<Id>>;
    /// Whether a user with the role exists (active or not).
    async fn any_user_with_role(&self, role: Role) -> Result<bool>;
    /// Whether the competence is valid for the user on `day`.
    async fn competence_valid_on(&self, user_id: Id, competence: &str, day: NaiveDate) -> Result<bool>;
}

/// One administrative change's transaction (see the module documentation).
/// Each operation is one or a few statements and decides nothing; the
/// conditional ones report whether a row matched.
#[async_trait]
pub trait AdminWork: Send {
    /// Commits everything written; an error means nothing was.
    async fn commit(self: Box<Self>) -> Result<()>;
    async fn record(&mut self, c: &NewAdminChange) -> Result<Id>;

    async fn principal(&mut self, id: Id) -> Result<Option<Principal>>;
    async fn principal_by_code(&mut self, code: &str) -> Result<Option<Principal>>;
    async fn insert_principal(&mut self, p: &NewPrincipal) -> Result<Id>;
    async fn update_principal(&mut self, id: Id, name: &str, municipality_code: Option<&str>) -> Result<bool>;
    /// Records (or, with `None`, ends) a municipality's agreement on basic
    /// equipment; `false` when no municipality has the id.
    async fn set_basic_equipment_since(&mut self, id: Id, since: Option<chrono::NaiveDate>) -> Result<bool>;

    async fn customer_number(&mut self, id: Id) -> Result<Option<CustomerNumber>>;
    async fn insert_customer_number(&mut self, principal_id: Id, number: &str, name: &str) -> Result<Id>;
    async fn update_customer_number(&mut self, id: Id, name: &str) -> Result<bool>;

    async fn unit(&mut self, id: Id) -> Result<Option<UnitRecord>>;
    async fn insert_unit(&mut self, principal_id: Id, hsa_id: &str, f: &UnitFields) -> Result<Id>;
    async fn update_unit(&mut self, id: Id, f: &UnitFields) -> Result<bool>;
    /// Sets `active` if it is not already so; whether it changed.
    async fn set_unit_active(&mut self, id: Id, active: bool) -> Result<bool>;

    async fn user(&mut self, id: Id) -> Result<Option<UserRecord>>;
    async fn user_by_username(&mut self, username: &str) -> Result<Option<UserRecord>>;
    async fn insert_user(&mut self, a: &NewAccount) -> Result<Id>;
    /// Sets `active` if it is not already so; whether it changed.
    async fn set_user_active(&mut self, id: Id, active: bool) -> Result<bool>;
    /// Deactivates the account only if it is active and last used before
    /// `cutoff` (a login meanwhile keeps it); whether it did.
    async fn deactivate_if_unused_since(&mut self, id: Id, cutoff: DateTime<Utc>) -> Result<bool>;
    /// Ends every login session of the user; how many there were.
    async fn delete_sessions(&mut self, user_id: Id) -> Result<u64>;
    async fn set_roles(&mut self, user_id: Id, roles: &[Role]) -> Result<()>;
    async fn set_user_unit(&mut self, user_id: Id, unit_id: Option<Id>) -> Result<bool>;
    async fn set_competences(&mut self, user_id: Id, competences: &[CompetencePeriod]) -> Result<()>;

    async fn token(&mut self, id: Id) -> Result<Option<TokenRecord>>;
    /// Revokes the token if it is not revoked yet; whether it did.
    async fn revoke_token(&mut self, id: Id, at: DateTime<Utc>) -> Result<bool>;

    async fn article(&mut self, article_number: &str) -> Result<Option<Article>>;
    async fn insert_article(&mut self, a: &ArticleDraft) -> Result<Id>;
    async fn update_article(&mut self, id: Id, a: &ArticleDraft) -> Result<bool>;
    /// An article's technical data and handbook text (`None`: none written yet).
    async fn article_details(&mut self, article_id: Id) -> Result<Option<crate::ArticleDetails>>;
    /// Writes (or replaces) an article's technical data and handbook text.
    async fn put_article_details(&mut self, d: &crate::ArticleDetails) -> Result<()>;

    async fn product_areas(&mut self) -> Result<Vec<ProductArea>>;
    async fn insert_product_area(&mut self, a: &ProductArea) -> Result<()>;
    /// Sets an area's agreement area (`cooperation`, `overenskommelsen`, `digital`) and drug-adjacent flag.
    async fn update_product_area(&mut self, code: &str, agreement_area: &str, drug_adjacent: bool) -> Result<()>;
}
