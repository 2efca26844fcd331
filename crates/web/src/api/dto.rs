//! The API's response shapes: the public contract, mapped from storage
//! rows so the database can change without breaking clients.

use chrono::{DateTime, NaiveDate, Utc};
use ramp_app::model as st;
use ramp_domain::Term;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct UserDto {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub roles: Vec<String>,
    pub competences: Vec<String>,
    pub principal_id: i64,
    pub unit_id: Option<i64>,
}

impl From<&st::User> for UserDto {
    fn from(u: &st::User) -> Self {
        Self {
            id: u.id,
            username: u.username.clone(),
            display_name: u.display_name.clone(),
            roles: u.roles.iter().map(|r| r.as_str().to_string()).collect(),
            competences: u.competences.clone(),
            principal_id: u.principal_id,
            unit_id: u.unit_id,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ArticleDto {
    pub id: i64,
    pub article_number: String,
    /// Six digits, e.g. `120606`.
    pub iso_code: String,
    pub gtin: Option<String>,
    pub name: String,
    pub supplier: String,
    pub purchase_price_ore: i64,
    pub monthly_rent_ore: i64,
    /// main_device | accessory | spare_part | consumable | medtech_product | nutrition
    pub kind: String,
    /// rental | sale
    pub billing: String,
    /// stock_4 | stock_7 | order_17 | acute
    pub lead_time_class: String,
    pub service_life_months: i32,
    pub reconditionable: bool,
    pub product_area: String,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
}

impl From<&st::Article> for ArticleDto {
    fn from(a: &st::Article) -> Self {
        Self {
            id: a.id,
            article_number: a.article_number.clone(),
            iso_code: a.iso_code.as_str().to_string(),
            gtin: a.gtin.clone(),
            name: a.name.clone(),
            supplier: a.supplier_name.clone(),
            purchase_price_ore: a.purchase_price_ore,
            monthly_rent_ore: a.monthly_rent_ore,
            kind: a.kind.as_str().into(),
            billing: a.billing.as_str().into(),
            lead_time_class: a.lead_time_class.as_str().into(),
            service_life_months: a.service_life_months,
            reconditionable: a.reconditionable,
            product_area: a.product_area.clone(),
            valid_from: a.valid_from,
            valid_to: a.valid_to,
        }
    }
}

/// A search hit: the article (every field of [`ArticleDto`]), its stock now, its score
/// and its name cut into segments, `hit` where a word of the search matched.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchHitDto {
    #[serde(flatten)]
    pub article: ArticleDto,
    pub in_stock: i64,
    /// Higher is better; only the order means something.
    pub score: f32,
    pub highlight: Vec<HighlightDto>,
}

/// A piece of an article name; `hit` if it matched the search.
#[derive(Debug, Serialize, ToSchema)]
pub struct HighlightDto {
    pub text: String,
    pub hit: bool,
}

/// How many hits have one value of a facet.
#[derive(Debug, Serialize, ToSchema)]
pub struct FacetCountDto {
    /// The value to filter by (a code, or an id as text).
    pub value: String,
    /// Its name (a product area's, supplier's or group's; else the value).
    pub label: String,
    pub count: u32,
}

/// The facet counts of a search, most first.
#[derive(Debug, Serialize, ToSchema)]
pub struct FacetsDto {
    pub total: usize,
    /// The exact words found nothing; the hits allow misspellings.
    pub fuzzy: bool,
    /// Hits with a device in stock.
    pub in_stock: u32,
    pub kind: Vec<FacetCountDto>,
    pub iso_code: Vec<FacetCountDto>,
    pub area: Vec<FacetCountDto>,
    pub lead_time_class: Vec<FacetCountDto>,
    pub supplier: Vec<FacetCountDto>,
    pub group: Vec<FacetCountDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HeldDeviceDto {
    pub device_number: String,
    pub article_number: String,
    pub article_name: String,
    pub iso_code: String,
    pub since: NaiveDate,
    /// region | municipality | patient
    pub payer: String,
    pub rule: String,
    /// When a pickup order is open: the last day of function rent.
    pub pickup_rent_end: Option<NaiveDate>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SettingPeriodDto {
    pub setting: String,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PatientOverviewDto {
    /// Twelve digits, YYYYMMDDNNNC.
    pub personal_id: String,
    /// personnummer | samordningsnummer
    pub personal_id_kind: String,
    pub given_name: String,
    pub family_name: String,
    pub birth_date: NaiveDate,
    pub age: u32,
    pub current_setting: Option<String>,
    pub settings: Vec<SettingPeriodDto>,
    pub devices: Vec<HeldDeviceDto>,
    /// The patient's orders, newest first, with their status.
    pub orders: Vec<super::orders_dto::OrderSummaryDto>,
    /// care_relationship | emergency_access | hmc_role: the ground recorded in the audit log.
    pub access: String,
    /// When `access` is emergency_access: when it ends.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub emergency_access_until: Option<DateTime<Utc>>,
}

impl From<&ramp_app::patients::PatientOverview> for PatientOverviewDto {
    fn from(o: &ramp_app::patients::PatientOverview) -> Self {
        Self {
            personal_id: o.patient.personal_id.as_str().to_string(),
            personal_id_kind: o.patient.personal_id.kind().as_str().into(),
            given_name: o.patient.given_name.clone(),
            family_name: o.patient.family_name.clone(),
            birth_date: o.patient.birth_date,
            age: o.age,
            current_setting: o.current_setting.map(|s| s.as_str().to_string()),
            settings: o
                .settings
                .iter()
                .map(|s| SettingPeriodDto {
                    setting: s.setting.as_str().into(),
                    valid_from: s.valid_from,
                    valid_to: s.valid_to,
                })
                .collect(),
            devices: o
                .devices
                .iter()
                .map(|d| HeldDeviceDto {
                    device_number: d.device_number.clone(),
                    article_number: d.article_number.clone(),
                    article_name: d.article_name.clone(),
                    iso_code: d.iso_code.clone(),
                    since: d.since,
                    payer: d.payer.as_str().into(),
                    rule: d.rule_id.clone(),
                    pickup_rent_end: d.pickup_rent_end,
                })
                .collect(),
            orders: o.orders.iter().map(super::orders_dto::OrderSummaryDto::from).collect(),
            access: o.access.as_str().into(),
            emergency_access_until: o.emergency_until,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DeviceEventDto {
    pub occurred_at: DateTime<Utc>,
    pub kind: String,
    pub from_state: Option<String>,
    pub to_state: String,
    pub note: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LoanDto {
    pub holder: String,
    pub payer: String,
    pub rule: String,
    pub agreement_version: String,
    pub since: NaiveDate,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DeviceCardDto {
    pub device_number: String,
    pub serial: Option<String>,
    /// in_stock | reserved | with_patient | with_unit | in_workshop | scrapped | lost
    pub state: String,
    pub state_since: DateTime<Utc>,
    pub purchase_date: NaiveDate,
    pub purchase_price_ore: i64,
    pub warehouse: Option<String>,
    pub article: ArticleDto,
    pub loan: Option<LoanDto>,
    pub events: Vec<DeviceEventDto>,
    /// Marked "Specialanpassad produkt" after a signed special adaptation.
    pub special_adapted: bool,
    /// The CE marking no longer applies (special adaptation).
    pub ce_marking_void: bool,
    /// Why the device may not go out now: safety_notice | adaptation_unsigned.
    pub blocked_reason: Option<String>,
}

impl From<&st::DeviceCard> for DeviceCardDto {
    fn from(c: &st::DeviceCard) -> Self {
        Self {
            device_number: c.device.device_number.clone(),
            serial: c.device.serial.clone(),
            state: c.device.state.as_str().into(),
            state_since: c.device.state_since,
            purchase_date: c.device.purchase_date,
            purchase_price_ore: c.device.purchase_price_ore,
            warehouse: c.warehouse_name.clone(),
            article: ArticleDto::from(&c.article),
            loan: c.loan.as_ref().map(|l| LoanDto {
                holder: if l.patient_id.is_some() { "patient".into() } else { "unit".into() },
                payer: l.payer.as_str().into(),
                rule: l.rule_id.clone(),
                agreement_version: l.agreement_version.clone(),
                since: l.start_date,
            }),
            events: c
                .events
                .iter()
                .map(|e| DeviceEventDto {
                    occurred_at: e.occurred_at,
                    kind: e.kind.as_str().into(),
                    from_state: e.from_state.map(|s| s.as_str().to_string()),
                    to_state: e.to_state.as_str().into(),
                    note: e.note.clone(),
                })
                .collect(),
            special_adapted: c.special_adapted,
            ce_marking_void: c.ce_marking_void,
            blocked_reason: c.blocked_reason.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WarehouseDto {
    pub id: i64,
    pub code: String,
    pub name: String,
    /// central | buffer
    pub kind: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StockLineDto {
    pub article_number: String,
    pub article_name: String,
    pub iso_code: String,
    pub in_stock: i64,
    pub reserved: i64,
}
