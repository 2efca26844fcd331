//! The ordering portal's use-cases: put devices in a cart (reserving them
//! for a limited time), answer replacement-chain proposals, place orders
//! (idempotently), follow and move their status, and report pickup, fault
//! and loss. Cost responsibility is decided by the agreement engine for
//! every line and stored on it with rule id and agreement version.

mod cart;
mod decision;
mod direct;
mod list;
mod payer;
mod pickup_undo;
mod place;
mod plan;
mod quantity;
mod recipient;
mod refusal;
mod reports;
mod request;
mod status;

pub use cart::{add_to_cart, cart, preview_line, remove_from_cart, CartLine, LinePreview, LineRequest, Proposal};
pub use decision::LineDecision;
pub use list::{order_list, OrderList, OrderListChoice, OrderListParams, Scope, DEFAULT_PAGE_SIZE, PAGE_SIZES};
pub use payer::{payer_for_patient, PayerAnswer, PRODUCT_PAGE_ACTION};
pub use pickup_undo::undo_pickup;
pub use place::{order, order_with_patient, place_order, PlacedOrder};
pub use quantity::MAX_DEVICES;
pub use refusal::{Alternative, Refusal, RefusalReason};
pub use reports::{register_pickup, report_fault, report_lost, LostReported, PickupRegistered};
pub use request::{OrderRequest, MAX_DIRECT_LINES};
pub use status::{apply as apply_status_change, apply_in as apply_status_change_in, change_status, order_queue};

use crate::App;
use std::time::Duration;

/// Returns expired reservations to stock every `every`, so stock figures
/// are right even when nobody orders. Ordering itself never depends on
/// it: an expired reservation is available to the next reservation anyway.
pub fn spawn_reservation_sweeper(app: App, every: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        loop {
            tick.tick().await;
            match app.storage.expire_reservations(app.clock.now()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(devices = n, "expired reservations returned to stock"),
                Err(e) => tracing::warn!(error = %e, "expiring reservations failed"),
            }
        }
    })
}
