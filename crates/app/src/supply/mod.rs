//! The assistive-device centre's use-cases: receiving, pick lists,
//! returns and inspection, the technicians' work orders, special
//! adaptations signed by the prescriber, and safety notices.

mod adaptation;
mod picking;
mod purchase;
mod receiving;
mod returns;
mod safety;
mod work;
mod workshop;

pub use adaptation::{
    adaptation_document, adaptation_documents_of_device, attach_adaptation, printable_adaptation, sha256_hex,
    sign_adaptation, AdaptationRequest, PrintableAdaptation, Reauthentication, StepUpProof, SIGNING_DAYS,
};
pub use picking::{deliver_scan, pending_pickups, pick_list, pick_scan, pick_until, PickScan};
pub use purchase::{
    create_purchase_order, purchase_order, purchase_orders, PurchaseLineRequest, PurchaseOrderRequest,
    PurchaseOrderView,
};
pub use receiving::{consumable_stock, receive, ReceiptRequest, ReceivedDevice, ReceivedQuantity};
pub use returns::{inspect, receive_return, InspectionResult};
pub use safety::{register_safety_notice, safety_notice, safety_notices, SafetyNoticeRequest};
pub use work::{
    add_work_entry, create_work_order, finish_work_order, start_work_order, work_order, work_orders, WorkEntryRequest,
    WorkOrderDetail, BY_HAND,
};
pub use workshop::{add_attachment, add_spare_part, attachment, check_item, spare_parts, workshop_notifications};

use crate::error::{AppError, Result};
use ramp_domain::role::Role;
use ramp_model::User;

/// The centre's operative staff: the work-order queue and its documents.
pub(crate) const WORKSHOP_STAFF: &[Role] =
    &[Role::Technician, Role::Warehouse, Role::CustomerService, Role::Consultant];

/// Allows only users with one of `roles` (administrators always).
pub(crate) fn require_role(user: &User, roles: &[Role], what: &str) -> Result<()> {
    require(user, roles, what)
}

/// Allows only users with one of `roles` (administrators always).
pub(crate) fn require(user: &User, roles: &[Role], what: &str) -> Result<()> {
    if user.has_role(Role::Admin) || roles.iter().any(|r| user.has_role(*r)) {
        Ok(())
    } else {
        Err(AppError::forbidden("role_required", format!("{what} is done by the assistive-device centre's staff")))
    }
}

/// A device by number, or 404 naming the field.
pub(crate) async fn device(app: &crate::App, number: &str) -> Result<ramp_model::DeviceCard> {
    let number = number.trim();
    if number.is_empty() || number.len() > 40 {
        return Err(AppError::invalid("device_number", "invalid_device_number", "enter a device number"));
    }
    app.storage.device_card(number).await?.ok_or_else(|| {
        AppError::not_found(Some("device_number"), "device_not_found", format!("no device with number {number}"))
    })
}
