//! Delivery routes: where units take their deliveries, the devices
//! waiting to be collected along each route, and the lookups a scanner at
//! the loading bay needs.

use crate::{Id, Result};
use async_trait::async_trait;
use chrono::NaiveDate;
use serde::Serialize;

/// A unit's delivery address, printed on pick lists and delivery notes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitAddress {
    pub unit_id: Id,
    pub street: String,
    pub postal_code: String,
    pub city: String,
}

/// A unit's route and address, as the demo loads them or an administrator sets them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitDelivery {
    pub route: Option<String>,
    pub address: Option<UnitAddress>,
}

/// A device waiting to be collected (an open pickup order), with the route
/// that passes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PendingPickup {
    pub id: Id,
    pub device_number: String,
    pub article_name: String,
    pub registered_on: NaiveDate,
    pub rent_end_date: NaiveDate,
    /// The unit holding the device, or the unit that ordered it for the patient.
    pub unit_name: Option<String>,
    pub route: Option<String>,
    /// The unit's address, or the patient's order's own delivery address;
    /// `None` for a patient without one (the registered address).
    pub address: Option<String>,
    /// Held by a patient (the address read is audited, never the identity shown).
    pub at_patient: bool,
    #[serde(skip)]
    pub patient_id: Option<Id>,
    pub note: Option<String>,
}

#[async_trait]
pub trait RouteStore {
    /// Sets the routes and addresses of many units at once (the demo load).
    async fn set_unit_deliveries(&self, rows: &[(Id, UnitDelivery)]) -> Result<()>;
    async fn unit_address(&self, unit_id: Id) -> Result<Option<UnitAddress>>;
    /// Open pickup orders by route (no route last), then rent end.
    async fn pending_pickups(&self) -> Result<Vec<PendingPickup>>;
    /// The order whose open line reserves the device with this number.
    async fn open_order_of_device(&self, device_number: &str) -> Result<Option<Id>>;
}
