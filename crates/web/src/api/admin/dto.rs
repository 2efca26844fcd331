//! The administration API's request bodies and response shapes.

use chrono::{DateTime, NaiveDate, Utc};
use ramp_app::admin::{ChangePage, PrincipalWithNumbers};
use ramp_app::dates::parse_optional_date;
use ramp_app::model as st;
use ramp_app::AppError;
use ramp_domain::Term;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The id of what was created.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedDto {
    pub id: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerNumberDto {
    pub id: i64,
    pub number: String,
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PrincipalDto {
    pub id: i64,
    pub code: String,
    pub name: String,
    /// region | municipality
    pub kind: String,
    /// A municipality's agreement on basic equipment began this day (`null`: none).
    pub basic_equipment_since: Option<chrono::NaiveDate>,
    pub customer_numbers: Vec<CustomerNumberDto>,
}

impl From<&PrincipalWithNumbers> for PrincipalDto {
    fn from(p: &PrincipalWithNumbers) -> Self {
        Self {
            id: p.principal.id,
            code: p.principal.code.clone(),
            name: p.principal.name.clone(),
            kind: p.principal.kind.clone(),
            basic_equipment_since: p.principal.basic_equipment_since,
            customer_numbers: p
                .customer_numbers
                .iter()
                .map(|c| CustomerNumberDto { id: c.id, number: c.number.clone(), name: c.name.clone() })
                .collect(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UnitDto {
    pub id: i64,
    pub principal_id: i64,
    pub hsa_id: String,
    pub name: String,
    /// primary_care | hospital_ward | habilitation | vision_clinic | hearing_clinic | home_care |
    /// home_health_care | saebo | lss_housing | short_term_stay | daily_activity
    pub kind: String,
    pub customer_number_id: i64,
    pub active: bool,
    /// The delivery route that passes the unit (pick lists group by it).
    pub delivery_route: Option<String>,
    /// Where the unit takes its deliveries.
    pub address: Option<AddressDto>,
}

/// A delivery address; the postal code as `NNN NN`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddressDto {
    pub street: String,
    pub postal_code: String,
    pub city: String,
}

impl AddressDto {
    pub fn input(&self) -> ramp_app::admin::AddressInput {
        ramp_app::admin::AddressInput {
            street: self.street.clone(),
            postal_code: self.postal_code.clone(),
            city: self.city.clone(),
        }
    }
}

impl From<&st::UnitRecord> for UnitDto {
    fn from(u: &st::UnitRecord) -> Self {
        Self {
            id: u.id,
            principal_id: u.principal_id,
            hsa_id: u.hsa_id.clone(),
            name: u.name.clone(),
            kind: u.kind.clone(),
            customer_number_id: u.customer_number_id,
            active: u.active,
            delivery_route: u.delivery_route.clone(),
            address: u.address.as_ref().map(|a| AddressDto {
                street: a.street.clone(),
                postal_code: a.postal_code.clone(),
                city: a.city.clone(),
            }),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CompetenceDto {
    /// The competence a product area requires, e.g. `mobility`.
    pub competence: String,
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AdminUserDto {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub principal_id: i64,
    pub unit_id: Option<i64>,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub last_login_at: Option<DateTime<Utc>>,
    /// Whether the user has a local password (else only the identity provider).
    pub has_password: bool,
    /// The HSA id a SITHS login through the identity provider maps to this user.
    pub hsa_id: Option<String>,
    pub roles: Vec<String>,
    pub competences: Vec<CompetenceDto>,
}

impl From<&st::UserRecord> for AdminUserDto {
    fn from(u: &st::UserRecord) -> Self {
        Self {
            id: u.id,
            username: u.username.clone(),
            display_name: u.display_name.clone(),
            principal_id: u.principal_id,
            unit_id: u.unit_id,
            active: u.active,
            created_at: u.created_at,
            last_login_at: u.last_login_at,
            has_password: u.has_password,
            hsa_id: u.hsa_id.clone(),
            roles: u.roles.iter().map(|r| r.as_str().to_string()).collect(),
            competences: u
                .competences
                .iter()
                .map(|c| CompetenceDto {
                    competence: c.competence.clone(),
                    valid_from: c.valid_from,
                    valid_to: c.valid_to,
                })
                .collect(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenDto {
    pub id: i64,
    pub user_id: i64,
    pub username: String,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl From<&st::TokenRecord> for TokenDto {
    fn from(t: &st::TokenRecord) -> Self {
        Self {
            id: t.id,
            user_id: t.user_id,
            username: t.username.clone(),
            name: t.name.clone(),
            created_at: t.created_at,
            revoked_at: t.revoked_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AdminChangeDto {
    pub id: i64,
    pub occurred_at: DateTime<Utc>,
    /// Null: the system (`ramp admin init`, the inactivity job).
    pub actor_user_id: Option<i64>,
    pub actor_username: Option<String>,
    /// principal | customer_number | unit | user | api_token | article | product_area
    pub entity: String,
    pub entity_id: Option<i64>,
    /// e.g. create, edit, deactivate, reactivate, set_roles, set_unit, set_competences, revoke,
    /// retire, deactivate_inactive, bootstrap; for a refusal what was tried (list, read, …).
    pub action: String,
    /// done | refused
    pub outcome: String,
    /// The row before the change, as stored.
    #[schema(value_type = Option<Object>)]
    pub before: Option<serde_json::Value>,
    /// The row after the change.
    #[schema(value_type = Option<Object>)]
    pub after: Option<serde_json::Value>,
    pub request_id: Option<String>,
}

impl From<&st::AdminChange> for AdminChangeDto {
    fn from(c: &st::AdminChange) -> Self {
        let parse = |s: &Option<String>| s.as_deref().and_then(|s| serde_json::from_str(s).ok());
        Self {
            id: c.id,
            occurred_at: c.occurred_at,
            actor_user_id: c.actor_user_id,
            actor_username: c.actor_username.clone(),
            entity: c.entity.as_str().into(),
            entity_id: c.entity_id,
            action: c.action.clone(),
            outcome: c.outcome.as_str().into(),
            before: parse(&c.before),
            after: parse(&c.after),
            request_id: c.request_id.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChangePageDto {
    /// Newest first.
    pub changes: Vec<AdminChangeDto>,
    /// Pass as `before` for the next (older) page; null on the last page.
    pub next_before: Option<i64>,
}

impl From<&ChangePage> for ChangePageDto {
    fn from(p: &ChangePage) -> Self {
        Self { changes: p.changes.iter().map(AdminChangeDto::from).collect(), next_before: p.next_before_id }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PrincipalBody {
    /// A region's short code (e.g. `region`) or a municipality's four-digit code (e.g. `0186`).
    pub code: String,
    pub name: String,
    /// region | municipality
    pub kind: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NameBody {
    pub name: String,
}

/// A municipality's agreement on basic equipment: the day it began, or
/// `null` when it has none (any more).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BasicEquipmentBody {
    /// `YYYY-MM-DD` or `null`.
    pub since: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerNumberBody {
    /// Letters, digits or '-', at most 20.
    pub number: String,
    pub name: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UnitBody {
    pub principal_id: i64,
    /// e.g. `SE2321000016-15CQ`.
    pub hsa_id: String,
    pub name: String,
    /// A unit kind, e.g. `primary_care` (see UnitDto.kind).
    pub kind: String,
    /// One of the principal's customer numbers.
    pub customer_number_id: i64,
    /// The delivery route (at most 100 characters).
    #[serde(default)]
    pub delivery_route: Option<String>,
    #[serde(default)]
    pub address: Option<AddressDto>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UnitEditBody {
    pub name: String,
    pub kind: String,
    pub customer_number_id: i64,
    /// The delivery route; absent keeps it, `""` removes it.
    #[serde(default)]
    pub delivery_route: Option<String>,
    /// Absent keeps the address; all three parts empty removes it.
    #[serde(default)]
    pub address: Option<AddressDto>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompetenceBody {
    pub competence: String,
    /// `YYYY-MM-DD`; null or absent: from always.
    #[serde(default)]
    pub valid_from: Option<String>,
    /// `YYYY-MM-DD`, the last valid day; null or absent: no end.
    #[serde(default)]
    pub valid_to: Option<String>,
}

/// The competences, their dates read (an error names `competences[i].valid_from`).
pub fn competences(list: &[CompetenceBody]) -> Result<Vec<st::CompetencePeriod>, AppError> {
    list.iter()
        .enumerate()
        .map(|(i, c)| {
            let field = |f: &str| format!("competences[{i}].{f}");
            Ok(st::CompetencePeriod {
                competence: c.competence.clone(),
                valid_from: parse_optional_date(&field("valid_from"), c.valid_from.as_deref(), "2026-01-01")?,
                valid_to: parse_optional_date(&field("valid_to"), c.valid_to.as_deref(), "2027-12-31")?,
            })
        })
        .collect()
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserBody {
    /// 2–64 characters: a–z, 0–9, '.', '_' or '-'.
    pub username: String,
    pub display_name: String,
    /// At least 8 characters; absent: the user logs in only through the identity provider.
    #[serde(default)]
    pub password: Option<String>,
    /// The HSA id the region's identity provider vouches for (SITHS login), e.g. SE2321000016-1234.
    #[serde(default)]
    pub hsa_id: Option<String>,
    pub principal_id: i64,
    #[serde(default)]
    pub unit_id: Option<i64>,
    /// prescriber, unit_orderer, personal_orderer_health, personal_orderer_social,
    /// customer_service, warehouse, technician, consultant, finance, admin
    pub roles: Vec<String>,
    #[serde(default)]
    pub competences: Vec<CompetenceBody>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RolesBody {
    pub roles: Vec<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserUnitBody {
    /// A unit of the user's principal; null: none.
    pub unit_id: Option<i64>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompetencesBody {
    pub competences: Vec<CompetenceBody>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ArticleBody {
    /// 1–20 letters, digits or '-' (ignored when editing: the path names the article).
    #[serde(default)]
    pub article_number: String,
    /// Six digits, e.g. `120606`.
    pub iso_code: String,
    #[serde(default)]
    pub gtin: Option<String>,
    pub name: String,
    /// The supplier's name; a new one is created.
    pub supplier: String,
    pub purchase_price_ore: i64,
    #[serde(default)]
    pub monthly_rent_ore: i64,
    /// main_device | accessory | spare_part | consumable | medtech_product | nutrition
    pub kind: String,
    /// rental | sale
    pub billing: String,
    /// stock_4 | stock_7 | order_17 | acute
    pub lead_time_class: String,
    pub service_life_months: i32,
    pub reconditionable: bool,
    /// A product area's code, e.g. `mobility`.
    pub product_area: String,
    /// `YYYY-MM-DD`; absent: today.
    #[serde(default)]
    pub valid_from: Option<String>,
    /// `YYYY-MM-DD`, the last day in the assortment; absent: no end.
    #[serde(default)]
    pub valid_to: Option<String>,
    /// The product page's technical data, in the order shown; keys from a
    /// fixed list (max_user_weight_kg, width_cm, length_cm, height_cm,
    /// seat_width_cm, seat_depth_cm, seat_height_cm, handle_height_cm,
    /// weight_kg, folded_width_cm, lift_capacity_kg, battery_range_km,
    /// max_speed_kmh, size, material), each once, values 1–60 characters
    /// without the unit. Absent: kept as stored; `[]` removes it.
    #[serde(default)]
    pub technical_data: Option<Vec<TechnicalRowBody>>,
    /// The handbook's text about the article (at most 4,000 characters).
    /// Absent: kept as stored; empty removes it.
    #[serde(default)]
    pub handbook_text: Option<String>,
}

/// One row of technical data.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TechnicalRowBody {
    /// e.g. `max_user_weight_kg`
    pub key: String,
    /// e.g. `150` (the unit belongs to the key)
    pub value: String,
}

impl ArticleBody {
    pub fn input(&self) -> Result<ramp_app::admin::ArticleInput, AppError> {
        Ok(ramp_app::admin::ArticleInput {
            article_number: self.article_number.clone(),
            iso_code: self.iso_code.clone(),
            gtin: self.gtin.clone(),
            name: self.name.clone(),
            supplier: self.supplier.clone(),
            purchase_price_ore: self.purchase_price_ore,
            monthly_rent_ore: self.monthly_rent_ore,
            kind: self.kind.clone(),
            billing: self.billing.clone(),
            lead_time_class: self.lead_time_class.clone(),
            service_life_months: self.service_life_months,
            reconditionable: self.reconditionable,
            product_area: self.product_area.clone(),
            valid_from: parse_optional_date("valid_from", self.valid_from.as_deref(), "2026-01-01")?,
            valid_to: parse_optional_date("valid_to", self.valid_to.as_deref(), "2029-12-31")?,
            technical_data: self
                .technical_data
                .as_ref()
                .map(|rows| rows.iter().map(|r| (r.key.clone(), r.value.clone())).collect()),
            handbook_text: self.handbook_text.clone(),
        })
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RetireBody {
    /// `YYYY-MM-DD`: the last day the article is in the assortment.
    pub valid_to: String,
}
