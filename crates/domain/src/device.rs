//! The device lifecycle: which states a physical specimen can be in and
//! which moves between them are allowed.

use crate::Term;
use serde::{Deserialize, Serialize};
use strum::{IntoStaticStr, VariantArray};

/// Where a device is and what it is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[derive(IntoStaticStr, VariantArray, strum::Display)]
#[strum(serialize_all = "snake_case")]
pub enum DeviceState {
    /// On a shelf in a central warehouse or a unit's buffer store.
    InStock,
    /// Held for an order in a cart; returns to stock when the reservation expires.
    Reserved,
    /// Lent to a patient.
    WithPatient,
    /// Placed at a unit (basic equipment).
    WithUnit,
    /// Being inspected, cleaned, reconditioned or repaired.
    InWorkshop,
    /// Left the fleet for good.
    Scrapped,
    /// Reported lost ("förkommet").
    Lost,
    /// Sold as surplus basic equipment to a municipality: left the fleet,
    /// unlike scrapping, for money (see `surplus_sales`).
    Sold,
}

impl Term for DeviceState {
    const FIELD: &'static str = "state";
    const CODE: &'static str = "invalid_state";
}

/// What happened to a device; one row per change, never rewritten.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[derive(IntoStaticStr, VariantArray, strum::Display)]
#[strum(serialize_all = "snake_case")]
pub enum DeviceEventKind {
    Received,
    Reserved,
    /// The cart item was removed or its order cancelled.
    ReservationReleased,
    /// Nobody ordered within the reservation time; back to stock by itself.
    ReservationExpired,
    /// The reservation now belongs to a placed order.
    Ordered,
    Delivered,
    /// A pickup order ("hämtorder") was registered; the device is still with its holder.
    PickupOrdered,
    /// The pickup order was undone by its creator the same day, before anything happened to it.
    PickupUndone,
    /// A fault was reported; a repair work order was created.
    FaultReported,
    /// Inspected after a return; reconditioning ordered.
    Inspected,
    /// A safety notice concerns the device; a recall work order was created.
    RecallOrdered,
    /// The recall work order is done.
    RecallHandled,
    /// A special adaptation's document was attached; the device waits for the prescriber's signature.
    AdaptationDocumented,
    /// The prescriber signed the adaptation: a "Specialanpassad produkt", CE marking void.
    AdaptationSigned,
    Returned,
    Reconditioned,
    Repaired,
    Moved,
    Scrapped,
    ReportedLost,
    /// Sold as surplus used basic equipment ("försäljning av begagnad grundutrustning").
    Sold,
    /// The buyer complained ("reklamation") within the complaint window.
    ComplaintRegistered,
}

impl Term for DeviceEventKind {
    const FIELD: &'static str = "event";
    const CODE: &'static str = "invalid_event";
}

impl DeviceState {
    /// Swedish label for the UI.
    pub fn name_sv(self) -> &'static str {
        match self {
            DeviceState::InStock => "I lager",
            DeviceState::Reserved => "Reserverad",
            DeviceState::WithPatient => "Utlånad till patient",
            DeviceState::WithUnit => "Placerad på enhet",
            DeviceState::InWorkshop => "I verkstad",
            DeviceState::Scrapped => "Kasserad",
            DeviceState::Lost => "Förkommen",
            DeviceState::Sold => "Såld",
        }
    }

    /// Whether the device is out with someone (and so billed as rent).
    pub fn is_out(self) -> bool {
        matches!(self, DeviceState::WithPatient | DeviceState::WithUnit)
    }

    /// The state an event moves a device to, from this state; `None` when
    /// the move is not allowed (a lost device cannot be delivered, a
    /// scrapped one cannot come back).
    pub fn after(self, event: DeviceEventKind) -> Option<DeviceState> {
        use DeviceEventKind as E;
        use DeviceState as S;
        match (self, event) {
            (S::InStock, E::Reserved) => Some(S::Reserved),
            (S::Reserved, E::ReservationReleased | E::ReservationExpired) => Some(S::InStock),
            (S::Reserved, E::Ordered) => Some(S::Reserved),
            (S::WithPatient | S::WithUnit, E::PickupOrdered | E::PickupUndone | E::FaultReported) => Some(self),
            (S::InWorkshop, E::Inspected) => Some(S::InWorkshop),
            (_, E::RecallOrdered | E::RecallHandled | E::AdaptationDocumented | E::AdaptationSigned) => Some(self),
            (S::Reserved | S::InStock, E::Delivered) => Some(S::WithPatient),
            (S::WithPatient | S::WithUnit, E::Returned) => Some(S::InWorkshop),
            (S::InWorkshop, E::Reconditioned | E::Repaired) => Some(S::InStock),
            (S::InStock, E::Moved) => Some(S::InStock),
            (S::InStock | S::InWorkshop, E::Scrapped) => Some(S::Scrapped),
            (S::WithPatient | S::WithUnit, E::ReportedLost) => Some(S::Lost),
            (S::InStock, E::Sold) => Some(S::Sold),
            (S::Sold, E::ComplaintRegistered) => Some(S::Sold),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lost_device_cannot_be_delivered_or_returned() {
        assert_eq!(DeviceState::Lost.after(DeviceEventKind::Delivered), None);
        assert_eq!(DeviceState::Lost.after(DeviceEventKind::Returned), None);
    }

    #[test]
    fn a_returned_device_goes_to_the_workshop_then_back_to_stock() {
        let s = DeviceState::WithPatient.after(DeviceEventKind::Returned).unwrap();
        assert_eq!(s, DeviceState::InWorkshop);
        assert_eq!(s.after(DeviceEventKind::Reconditioned), Some(DeviceState::InStock));
    }

    #[test]
    fn only_a_device_in_stock_can_be_sold_and_a_sold_one_never_comes_back() {
        assert_eq!(DeviceState::InStock.after(DeviceEventKind::Sold), Some(DeviceState::Sold));
        assert_eq!(DeviceState::WithPatient.after(DeviceEventKind::Sold), None);
        assert_eq!(DeviceState::Sold.after(DeviceEventKind::Reserved), None);
        assert_eq!(DeviceState::Sold.after(DeviceEventKind::ComplaintRegistered), Some(DeviceState::Sold));
    }

    #[test]
    fn every_state_parses_from_its_own_name() {
        for s in DeviceState::ALL {
            assert_eq!(DeviceState::parse(s.as_str()).unwrap(), *s);
        }
    }
}
