//! Row types: what the storage hands back and takes in. Plain data; the
//! validated domain types are used wherever a column holds one.

use chrono::{DateTime, NaiveDate, Utc};
use ramp_domain::article::{ArticleKind, Billing, LeadTimeClass};
use ramp_domain::device::{DeviceEventKind, DeviceState};
use ramp_domain::ids::{IsoCode, PersonalId};
use ramp_domain::role::Role;
use ramp_domain::setting::Setting;
use serde::Serialize;

pub type Id = i64;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Principal {
    pub id: Id,
    pub code: String,
    pub name: String,
    /// `region` or `municipality`.
    pub kind: String,
    pub municipality_code: Option<String>,
    /// A municipality's agreement on basic equipment ("avtal om
    /// grundutrustning") began this day; `None`: it has none. Surplus basic
    /// equipment is sold only to those that have one (seed 003).
    pub basic_equipment_since: Option<chrono::NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CustomerNumber {
    pub id: Id,
    pub number: String,
    pub principal_id: Id,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unit {
    pub id: Id,
    pub principal_id: Id,
    pub hsa_id: String,
    pub name: String,
    pub kind: String,
    pub customer_number_id: Id,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warehouse {
    pub id: Id,
    pub code: String,
    pub name: String,
    /// `central` or `buffer` (a unit's buffer store).
    pub kind: String,
    pub unit_id: Option<Id>,
}

/// A user as stored; `password_hash` is an argon2 PHC string or `None`
/// for users who only log in through an identity provider.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct User {
    pub id: Id,
    pub username: String,
    pub display_name: String,
    #[serde(skip)]
    pub password_hash: Option<String>,
    pub principal_id: Id,
    pub unit_id: Option<Id>,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub last_login_at: Option<DateTime<Utc>>,
    pub roles: Vec<Role>,
    pub competences: Vec<String>,
    /// The HSA id the region's identity provider vouches for (OIDC login);
    /// `None` for local-only accounts.
    pub hsa_id: Option<String>,
}

impl std::fmt::Debug for User {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("User")
            .field("id", &self.id)
            .field("username", &self.username)
            .field("password_hash", &self.password_hash.as_ref().map(|_| "<redacted>"))
            .field("roles", &self.roles)
            .finish_non_exhaustive()
    }
}

impl User {
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    pub fn is_hmc(&self) -> bool {
        self.roles.iter().any(|r| r.is_hmc())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Patient {
    pub id: Id,
    pub personal_id: PersonalId,
    pub birth_date: NaiveDate,
    pub given_name: String,
    pub family_name: String,
    pub municipality_id: Id,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PatientSetting {
    pub patient_id: Id,
    pub setting: Setting,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
}

/// A patient with what ordering for them needs to know, read in one
/// query instead of four (patient, care relationship, emergency access,
/// setting): every order asks all of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatientForOrdering {
    pub patient: Patient,
    /// The unit asked about has a care relationship with the patient on the day asked.
    pub care_relationship: bool,
    /// The user asked about holds an emergency access to the patient now.
    pub emergency_access: bool,
    /// The patient's housing setting on the day asked (the latest period covering it).
    pub setting: Option<Setting>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CareRelationship {
    pub patient_id: Id,
    pub unit_id: Id,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProductArea {
    pub code: String,
    pub name_sv: String,
    pub name_en: String,
    pub required_competence: Option<String>,
    /// Treatment devices close to pharmaceuticals ("behandlingshjälpmedel/
    /// läkemedelsnära produkter", e.g. wound care, VAC therapy): the only
    /// area the costly-treatment application counts (seed 000).
    pub drug_adjacent: bool,
    /// Digital assistive devices that report measurements (issue 21):
    /// blood-pressure monitors, scales, medication dispensers, pulse oximeters.
    pub digital: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Supplier {
    pub id: Id,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Article {
    pub id: Id,
    pub article_number: String,
    pub iso_code: IsoCode,
    pub gtin: Option<String>,
    pub name: String,
    pub supplier_id: Id,
    pub supplier_name: String,
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

/// A catalog article with how many of it are in stock right now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArticleHit {
    pub article: Article,
    pub in_stock: i64,
}

/// An article as the search index takes it: with its replacement group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexedArticle {
    pub article: Article,
    pub group: Option<GroupSummary>,
}

/// A replacement group's id, code and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupSummary {
    pub id: Id,
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReplacementGroup {
    pub id: Id,
    pub code: String,
    pub name: String,
    pub fixed: bool,
    /// Article ids, oldest first (the order the replacement chain proposes them).
    pub members: Vec<Id>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Device {
    pub id: Id,
    pub device_number: String,
    pub article_id: Id,
    pub serial: Option<String>,
    pub purchase_date: NaiveDate,
    pub purchase_price_ore: i64,
    pub state: DeviceState,
    pub warehouse_id: Option<Id>,
    pub patient_id: Option<Id>,
    pub unit_id: Option<Id>,
    pub state_since: DateTime<Utc>,
}

/// The open lending of a device: to whom, since when, who pays and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Loan {
    pub device_id: Id,
    pub patient_id: Option<Id>,
    pub unit_id: Option<Id>,
    pub customer_number_id: Id,
    pub payer: ramp_domain::cost::Payer,
    pub rule_id: String,
    pub agreement_version: String,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeviceEvent {
    pub id: Id,
    pub device_id: Id,
    pub occurred_at: DateTime<Utc>,
    pub kind: DeviceEventKind,
    pub from_state: Option<DeviceState>,
    pub to_state: DeviceState,
    pub actor_user_id: Option<Id>,
    pub patient_id: Option<Id>,
    pub warehouse_id: Option<Id>,
    pub note: Option<String>,
}

/// One line of a patient's device overview ("hjälpmedelsbild").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HeldDevice {
    pub device_id: Id,
    pub device_number: String,
    pub article_number: String,
    pub article_name: String,
    pub iso_code: String,
    pub since: NaiveDate,
    pub payer: ramp_domain::cost::Payer,
    pub rule_id: String,
    /// When a pickup order is open: the last day of rent.
    pub pickup_rent_end: Option<NaiveDate>,
}

/// Everything on a device card ("individkort").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeviceCard {
    pub device: Device,
    pub article: Article,
    pub loan: Option<Loan>,
    pub warehouse_name: Option<String>,
    pub events: Vec<DeviceEvent>,
    /// Marked "Specialanpassad produkt" after a signed special adaptation.
    pub special_adapted: bool,
    /// The manufacturer's CE marking no longer applies (special adaptation).
    pub ce_marking_void: bool,
    /// Why the device may not go out now: `safety_notice` or `adaptation_unsigned`.
    pub blocked_reason: Option<String>,
}

/// Stock of one article in one warehouse.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StockLine {
    pub warehouse_id: Id,
    pub article_id: Id,
    pub article_number: String,
    pub article_name: String,
    pub iso_code: String,
    pub in_stock: i64,
    pub reserved: i64,
}

/// Why a user saw a patient's data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AccessReason {
    CareRelationship,
    EmergencyAccess,
    HmcRole,
    /// The user placed the order they read (their own documentation).
    OrderCreator,
    /// No ground: the row records a refusal.
    None,
}

impl AccessReason {
    pub fn as_str(self) -> &'static str {
        match self {
            AccessReason::CareRelationship => "care_relationship",
            AccessReason::EmergencyAccess => "emergency_access",
            AccessReason::HmcRole => "hmc_role",
            AccessReason::OrderCreator => "order_creator",
            AccessReason::None => "none",
        }
    }

    pub fn parse(s: &str) -> AccessReason {
        match s {
            "care_relationship" => AccessReason::CareRelationship,
            "emergency_access" => AccessReason::EmergencyAccess,
            "hmc_role" => AccessReason::HmcRole,
            "order_creator" => AccessReason::OrderCreator,
            _ => AccessReason::None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    pub id: Id,
    pub occurred_at: DateTime<Utc>,
    pub user_id: Id,
    pub patient_id: Option<Id>,
    pub action: String,
    pub reason: AccessReason,
    pub detail: Option<String>,
    pub request_id: Option<String>,
}

/// A new audit row. Written in the same request as the read it records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAuditEntry {
    pub occurred_at: DateTime<Utc>,
    pub user_id: Id,
    pub patient_id: Option<Id>,
    pub action: String,
    pub reason: AccessReason,
    pub detail: Option<String>,
    pub request_id: Option<String>,
}

/// A state change of one device: applied only if the device is still in
/// `expected` state, together with its event row, in one transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceChange {
    pub device_id: Id,
    pub expected: DeviceState,
    pub event: DeviceEventKind,
    pub to: DeviceState,
    pub at: DateTime<Utc>,
    pub actor_user_id: Option<Id>,
    pub warehouse_id: Option<Id>,
    pub patient_id: Option<Id>,
    pub unit_id: Option<Id>,
    pub note: Option<String>,
}

/// Counts shown by `/metrics` and the start-up log.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub principals: i64,
    pub users: i64,
    pub patients: i64,
    pub articles: i64,
    pub devices: i64,
    pub device_events: i64,
    pub audit_log: i64,
}

/// A past lending to a patient, as the impact simulation replays it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HistoryRow {
    pub start_date: NaiveDate,
    pub birth_date: NaiveDate,
    /// The patient's setting on the start date, if recorded.
    pub setting: Option<Setting>,
    pub iso_code: IsoCode,
    pub kind: ArticleKind,
    pub municipality: String,
    pub purchase_price_ore: i64,
}
