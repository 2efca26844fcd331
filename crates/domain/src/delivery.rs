//! The delivery rule: what delivering or cancelling an order does to the
//! devices reserved for it and to its lines. Storage only carries it out
//! (`ramp_app::orders::status` composes the writes in one unit of work).

use crate::device::{DeviceEventKind, DeviceState};
use crate::order::{LineState, OrderStatus, OrderTarget};

/// Where a reserved device goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Destination {
    /// Back on the shelf it was reserved from (the order was cancelled).
    BackToStock,
    /// Lent to the order's patient.
    Patient,
    /// Placed at the order's unit as basic equipment.
    Unit,
    /// Into the unit's buffer store, still in stock.
    BufferStore,
}

/// What happens to each reserved device and to the open lines when an
/// order reaches a final status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    pub destination: Destination,
    /// The device's state afterwards.
    pub device_state: DeviceState,
    /// The device event that records the move.
    pub event: DeviceEventKind,
    /// Whether a loan starts (who pays from now on): for devices handed
    /// to a patient or a unit, never for stock.
    pub opens_loan: bool,
    /// Whether a device under a recall or repair block stops the move: a
    /// blocked device must not leave the house, but may go back to stock.
    pub refuses_blocked: bool,
    /// What the open order lines become.
    pub line_state: LineState,
}

/// The outcome of an order becoming `to`, or `None` when the move
/// (picked, out for delivery) leaves the devices reserved and the lines open.
pub fn outcome(to: OrderStatus, target: OrderTarget) -> Option<Outcome> {
    let delivered = |destination, device_state, event, opens_loan| Outcome {
        destination,
        device_state,
        event,
        opens_loan,
        refuses_blocked: true,
        line_state: LineState::Delivered,
    };
    match (to, target) {
        (OrderStatus::Cancelled, _) => Some(Outcome {
            destination: Destination::BackToStock,
            device_state: DeviceState::InStock,
            event: DeviceEventKind::ReservationReleased,
            opens_loan: false,
            refuses_blocked: false,
            line_state: LineState::Cancelled,
        }),
        (OrderStatus::Delivered, OrderTarget::Patient) => {
            Some(delivered(Destination::Patient, DeviceState::WithPatient, DeviceEventKind::Delivered, true))
        }
        (OrderStatus::Delivered, OrderTarget::Unit) => {
            Some(delivered(Destination::Unit, DeviceState::WithUnit, DeviceEventKind::Delivered, true))
        }
        (OrderStatus::Delivered, OrderTarget::Buffer) => {
            Some(delivered(Destination::BufferStore, DeviceState::InStock, DeviceEventKind::Moved, false))
        }
        (OrderStatus::Registered | OrderStatus::Picked | OrderStatus::OutForDelivery, _) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_delivered_prescription_lends_the_device_to_the_patient_and_starts_a_loan() {
        let o = outcome(OrderStatus::Delivered, OrderTarget::Patient).unwrap();
        assert_eq!(
            (o.destination, o.device_state, o.event, o.opens_loan, o.line_state),
            (Destination::Patient, DeviceState::WithPatient, DeviceEventKind::Delivered, true, LineState::Delivered)
        );
        assert!(o.refuses_blocked);
    }

    #[test]
    fn basic_equipment_goes_to_the_unit_with_a_loan_and_buffer_stock_stays_stock_without_one() {
        let unit = outcome(OrderStatus::Delivered, OrderTarget::Unit).unwrap();
        assert_eq!((unit.device_state, unit.opens_loan), (DeviceState::WithUnit, true));
        let buffer = outcome(OrderStatus::Delivered, OrderTarget::Buffer).unwrap();
        assert_eq!(
            (buffer.destination, buffer.device_state, buffer.event, buffer.opens_loan),
            (Destination::BufferStore, DeviceState::InStock, DeviceEventKind::Moved, false)
        );
    }

    #[test]
    fn a_cancelled_order_releases_every_reservation_even_of_a_blocked_device() {
        for target in [OrderTarget::Patient, OrderTarget::Unit, OrderTarget::Buffer] {
            let o = outcome(OrderStatus::Cancelled, target).unwrap();
            assert_eq!(o.destination, Destination::BackToStock);
            assert_eq!(o.event, DeviceEventKind::ReservationReleased);
            assert!(!o.opens_loan && !o.refuses_blocked);
            assert_eq!(o.line_state, LineState::Cancelled);
        }
    }

    #[test]
    fn picking_and_sending_leave_the_devices_reserved() {
        for to in [OrderStatus::Picked, OrderStatus::OutForDelivery] {
            assert_eq!(outcome(to, OrderTarget::Patient), None);
        }
    }
}
