//! The assistive-device centre's side of the storage: receipts, pick
//! lists, returns and inspection, work orders with time and parts, special
//! adaptations signed by the prescriber, and safety notices. A supertrait
//! of [`crate::Storage`], implemented once for both engines by
//! `ramp_storage::SqlStorage` (`sql/supply.rs`). Like the ordering side, every
//! write transaction starts with a write, and state moves are conditional.

use crate::{Id, Result};
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use ramp_domain::device::DeviceState;
use ramp_domain::work_order::{WorkOrderKind, WorkOrderStatus};
use ramp_domain::workshop::AdaptationFields;
use serde::Serialize;

/// A device received against a purchase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReceivedDevice {
    pub article_id: Id,
    pub device_number: String,
    pub serial: Option<String>,
    pub purchase_price_ore: i64,
}

/// Consumables received by quantity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReceivedQuantity {
    pub article_id: Id,
    pub quantity: i32,
    pub unit_price_ore: i64,
    pub batch: Option<String>,
    pub expiry_date: Option<NaiveDate>,
}

/// A delivery from a supplier into a warehouse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReceipt {
    pub supplier_id: Id,
    pub warehouse_id: Id,
    pub reference: String,
    /// The supplier's delivery note number.
    pub delivery_note: String,
    /// Received against this purchase order: its lines count what came.
    pub purchase_order_id: Option<Id>,
    pub received_by: Id,
    pub at: DateTime<Utc>,
    pub purchase_date: NaiveDate,
    pub devices: Vec<NewReceivedDevice>,
    pub consumables: Vec<NewReceivedQuantity>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConsumableStockLine {
    pub article_id: Id,
    pub article_number: String,
    pub article_name: String,
    pub quantity: i64,
}

/// One line to pick for an order, with where it goes: a device (by its
/// number) or a counted consumable (by quantity, from the central
/// warehouse), and the address the route delivers it to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PickLine {
    pub order_id: Id,
    pub line_no: i32,
    pub order_status: ramp_domain::order::OrderStatus,
    /// `patient`, `unit` or `buffer` (a unit's buffer store).
    pub target: ramp_domain::order::OrderTarget,
    /// Never shown or serialised: the audit of a home address read.
    #[serde(skip)]
    pub patient_id: Option<Id>,
    pub promised_date: NaiveDate,
    pub unit_name: String,
    /// The receiving unit's delivery route, if set.
    pub route: Option<String>,
    pub delivery_method: ramp_domain::shipping::DeliveryMethod,
    /// Where the route takes it: the order's own address, else the unit's
    /// (`None` for a patient's order without one: the registered address,
    /// looked up when the route is planned; and for a collection at the centre).
    pub address: Option<String>,
    pub article_number: String,
    pub article_name: String,
    /// The article's GTIN (GS1 barcode on the pick list), if it has one.
    pub gtin: Option<String>,
    /// The reserved device; `None` for a consumable counted by quantity.
    pub device_number: Option<String>,
    pub quantity: i32,
    /// Picked already (scanned, or the whole order marked picked).
    pub picked: bool,
    pub blocked_reason: Option<String>,
}

/// A device coming back: collected on a pickup order (or handed in).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReturn {
    pub device_id: Id,
    pub warehouse_id: Id,
    pub actor: Id,
    pub at: DateTime<Utc>,
    pub on: NaiveDate,
}

/// The inspection of a returned device: reconditioning (a work order) or scrapping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewInspection {
    pub device_id: Id,
    pub actor: Id,
    pub at: DateTime<Utc>,
    pub scrap: bool,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewWorkOrder {
    pub kind: WorkOrderKind,
    pub device_id: Option<Id>,
    pub description: String,
    pub created_by: Id,
    pub at: DateTime<Utc>,
}

/// A work order in the technicians' queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkOrderRow {
    pub id: Id,
    pub kind: WorkOrderKind,
    pub status: WorkOrderStatus,
    pub description: String,
    pub device_id: Option<Id>,
    pub device_number: Option<String>,
    pub article_name: Option<String>,
    pub device_state: Option<DeviceState>,
    pub assigned_to: Option<Id>,
    pub assigned_name: Option<String>,
    pub safety_notice_id: Option<Id>,
    pub created_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    pub outcome: Option<String>,
    pub minutes: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkEntry {
    pub id: Id,
    pub user_id: Id,
    pub occurred_at: DateTime<Utc>,
    pub minutes: i32,
    pub part_article_number: Option<String>,
    pub part_quantity: Option<i32>,
    pub note: Option<String>,
    /// The part was recorded although none was in stock (confirmed).
    pub without_stock: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewWorkEntry {
    pub work_order_id: Id,
    pub user_id: Id,
    pub at: DateTime<Utc>,
    pub minutes: i32,
    pub part_article_id: Option<Id>,
    pub part_quantity: Option<i32>,
    pub note: Option<String>,
    pub without_stock: bool,
}

/// Finishing a work order and what it does to its device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FinishWorkOrder {
    pub id: Id,
    pub actor: Id,
    pub at: DateTime<Utc>,
    pub outcome: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAdaptationDocument {
    /// The random id it is addressed by (`/api/v1/adaptation-documents/{public_id}`).
    pub public_id: String,
    pub work_order_id: Id,
    pub device_id: Id,
    pub title: String,
    pub content: String,
    pub sha256: String,
    pub uploaded_by: Id,
    pub at: DateTime<Utc>,
    pub valid_until: NaiveDate,
    /// The structured fields the content was made from.
    pub fields: Option<AdaptationFields>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AdaptationDocument {
    /// The row id, for the storage only: never shown or serialized.
    #[serde(skip)]
    pub id: Id,
    /// The random id it is addressed by (serialized as `id`).
    #[serde(rename = "id")]
    pub public_id: String,
    pub work_order_id: Id,
    pub device_id: Id,
    pub title: String,
    pub content: String,
    pub sha256: String,
    pub uploaded_by: Id,
    pub uploaded_at: DateTime<Utc>,
    pub valid_until: NaiveDate,
    pub signed_by: Option<Id>,
    pub signed_at: Option<DateTime<Utc>>,
    /// The structured fields (documents of before issue 19 have none).
    pub fields: Option<AdaptationFields>,
    /// How the signer proved who they were again: `password` or `identity_provider`.
    pub signed_via: Option<String>,
}

/// The prescriber's signed approval of exactly the document they saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdaptationSignature {
    pub document_id: Id,
    pub sha256: String,
    pub signed_by: Id,
    pub at: DateTime<Utc>,
    pub on: NaiveDate,
    /// How the signer re-authenticated: `password` or `identity_provider`.
    pub via: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSafetyNotice {
    pub reference: String,
    pub title: String,
    pub article_ids: Vec<Id>,
    pub registered_by: Id,
    pub at: DateTime<Utc>,
}

/// A device a safety notice concerns, where it is, and its recall.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AffectedDevice {
    pub device_id: Id,
    pub device_number: String,
    pub article_number: String,
    pub state: DeviceState,
    pub warehouse_name: Option<String>,
    pub unit_name: Option<String>,
    pub patient_id: Option<Id>,
    pub work_order_id: Id,
    pub work_order_status: WorkOrderStatus,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SafetyNotice {
    pub id: Id,
    pub reference: String,
    pub title: String,
    pub registered_at: DateTime<Utc>,
    pub affected: i64,
    pub handled: i64,
}

/// The supply side of the storage; see the module documentation.
#[async_trait]
pub trait SupplyStore: Send + Sync {
    /// Registers a receipt: new devices in stock with their `received`
    /// events, consumables added to the count. A taken device number is a
    /// `Conflict` on `devices_device_number_key` and nothing is written.
    async fn receive(&self, r: &NewReceipt) -> Result<Id>;
    async fn consumable_stock(&self, warehouse_id: Id) -> Result<Vec<ConsumableStockLine>>;
    /// Open device lines of registered or picked orders whose device is in
    /// `warehouse_id`, promised by `until`, by route and promised date.
    async fn pick_list(&self, warehouse_id: Id, until: NaiveDate) -> Result<Vec<PickLine>>;
    /// A device out with a patient or unit comes back into the workshop:
    /// its loan ends (on the pickup order's rent end, or today), the pickup
    /// order is collected.
    async fn receive_return(&self, r: &NewReturn) -> Result<()>;
    /// Returns the reconditioning work order's id, or `None` when scrapped.
    async fn inspect(&self, i: &NewInspection) -> Result<Option<Id>>;
    async fn create_work_order(&self, w: &NewWorkOrder) -> Result<Id>;
    async fn work_orders(
        &self,
        status: Option<WorkOrderStatus>,
        kind: Option<WorkOrderKind>,
        limit: i64,
    ) -> Result<Vec<WorkOrderRow>>;
    async fn work_order(&self, id: Id) -> Result<Option<WorkOrderRow>>;
    async fn work_entries(&self, work_order_id: Id) -> Result<Vec<WorkEntry>>;
    /// `open` → `in_progress`, assigned to `user`.
    async fn start_work_order(&self, id: Id, user: Id, at: DateTime<Utc>) -> Result<()>;
    async fn add_work_entry(&self, e: &NewWorkEntry) -> Result<Id>;
    /// `in_progress` → `done`, with the kind's effect on the device:
    /// reconditioning and workshop repair put it back in stock, a recall
    /// lifts the safety-notice block, a special adaptation needs its signed
    /// document. A refused effect is a `StateMismatch` and nothing changes.
    async fn finish_work_order(&self, f: &FinishWorkOrder) -> Result<()>;
    /// Attaches the document and blocks the device until the prescriber signs.
    async fn attach_adaptation(&self, d: &NewAdaptationDocument) -> Result<Id>;
    /// The document addressed by its public id.
    async fn adaptation_document(&self, public_id: &str) -> Result<Option<AdaptationDocument>>;
    async fn adaptation_documents_for_device(&self, device_id: Id) -> Result<Vec<AdaptationDocument>>;
    /// Signs if unsigned, within validity and for the same content hash;
    /// otherwise `StateMismatch`. The device becomes a "Specialanpassad
    /// produkt" with its CE marking void, and the block is lifted.
    async fn sign_adaptation(&self, s: &AdaptationSignature) -> Result<()>;
    /// Registers a notice: a recall work order for every affected device
    /// still in the fleet, and affected devices in the house blocked.
    async fn register_safety_notice(&self, n: &NewSafetyNotice) -> Result<Id>;
    async fn safety_notices(&self) -> Result<Vec<SafetyNotice>>;
    async fn safety_notice(&self, id: Id) -> Result<Option<(SafetyNotice, Vec<AffectedDevice>)>>;
    async fn set_delivery_route(&self, unit_id: Id, route: Option<&str>) -> Result<()>;
    /// The patient a device is lent to, if any.
    async fn device_patient_id(&self, device_id: Id) -> Result<Option<Id>>;
    /// Whether the device is on an open order line of an order `user_id` placed.
    async fn device_ordered_by(&self, device_id: Id, user_id: Id) -> Result<bool>;
}
