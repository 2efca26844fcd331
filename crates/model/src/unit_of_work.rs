//! Units of work: one write transaction that `ramp-app` composes from
//! several data-access operations, so that a rule decided in the domain
//! (the delivery rule first) is carried out by plain reads and writes and
//! committed or rolled back as a whole.
//!
//! A unit of work is opened with [`crate::Storage::unit_of_work`]. It
//! holds its connection (and, on SQLite, the writer turn) until
//! [`UnitOfWork::commit`]; dropped without a commit, everything it wrote
//! is rolled back. Each operation is one statement and decides nothing:
//! the conditional ones (`WHERE status = …`) report whether a row
//! matched, and the caller decides what that means.

use crate::{Id, Loan, Result};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use ramp_domain::cost::Payer;
use ramp_domain::device::{DeviceEventKind, DeviceState};
use ramp_domain::order::{LineState, OrderStatus, OrderTarget};

/// Moves an order from `expected` to `to` if it still is `expected`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderMove<'a> {
    pub order_id: Id,
    pub expected: OrderStatus,
    pub to: OrderStatus,
    pub at: DateTime<Utc>,
    /// Who took the delivery; kept when `None`.
    pub received_by: Option<&'a str>,
}

/// Whom a moved order is for, as the conditional update returned it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MovedOrder {
    pub target: OrderTarget,
    pub patient_id: Option<Id>,
    pub unit_id: Id,
}

/// One row of an order's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOrderEvent<'a> {
    pub order_id: Id,
    pub at: DateTime<Utc>,
    pub from: OrderStatus,
    pub to: OrderStatus,
    pub actor_user_id: Id,
    pub note: Option<&'a str>,
}

/// An open order line with a device reserved for it, and who pays for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReservedLine {
    pub device_id: Id,
    pub payer: Payer,
    pub customer_number_id: Id,
    pub rule_id: String,
    pub agreement_version: String,
}

/// Who holds a device after a move: all three are written as given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Holder {
    pub patient_id: Option<Id>,
    pub unit_id: Option<Id>,
    pub warehouse_id: Option<Id>,
}

/// Ends a device's reservation if it is still reserved: it becomes `to`,
/// with `holder` when given (a delivery) or where it was (a release).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReservationEnd {
    pub device_id: Id,
    pub to: DeviceState,
    pub at: DateTime<Utc>,
    pub holder: Option<Holder>,
}

/// One row of a device's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewDeviceEvent {
    pub device_id: Id,
    pub at: DateTime<Utc>,
    pub kind: DeviceEventKind,
    pub from: DeviceState,
    pub to: DeviceState,
    pub actor_user_id: Option<Id>,
    pub patient_id: Option<Id>,
    pub warehouse_id: Option<Id>,
}

/// A write transaction composed by the caller (see the module documentation).
#[async_trait]
pub trait UnitOfWork: Send {
    /// Commits everything written; an error means nothing was.
    async fn commit(self: Box<Self>) -> Result<()>;

    /// The conditional status update: `None` when the order is not
    /// (or no longer) `expected`, or does not exist.
    async fn move_order(&mut self, m: &OrderMove<'_>) -> Result<Option<MovedOrder>>;
    /// The order's status now, `None` when there is no such order.
    async fn order_status(&mut self, order_id: Id) -> Result<Option<OrderStatus>>;
    async fn add_order_event(&mut self, e: &NewOrderEvent<'_>) -> Result<()>;
    /// The order's open lines that have a device, in line order.
    async fn reserved_lines(&mut self, order_id: Id) -> Result<Vec<ReservedLine>>;
    /// Why the device must not leave the house now (an open recall or
    /// repair), if it must not.
    async fn device_block(&mut self, device_id: Id) -> Result<Option<String>>;
    /// Ends the reservation: `None` when the device is no longer
    /// reserved; otherwise the warehouse it is registered at afterwards.
    async fn end_reservation(&mut self, r: &ReservationEnd) -> Result<Option<Option<Id>>>;
    async fn add_device_event(&mut self, e: &NewDeviceEvent) -> Result<()>;
    /// Starts a loan (the row's `end_date` is ignored: a new loan is open).
    async fn open_loan(&mut self, loan: &Loan) -> Result<()>;
    /// Tells the order's creator that it became `e.to`, unless they moved it themselves.
    async fn notify_creator(&mut self, e: &NewOrderEvent<'_>) -> Result<()>;
    /// Marks the order's open lines not yet picked as picked by `actor`
    /// at `at` (the whole order picked at once).
    async fn mark_lines_picked(&mut self, order_id: Id, at: DateTime<Utc>, actor: Id) -> Result<()>;
    /// Marks one open, unpicked line as picked: `false` when it is not
    /// (or no longer) open and unpicked — a second scan of the same line.
    async fn pick_line(&mut self, order_id: Id, line_no: i32, at: DateTime<Utc>, actor: Id) -> Result<bool>;
    /// How many of the order's open lines are not picked yet.
    async fn unpicked_lines(&mut self, order_id: Id) -> Result<i64>;
    /// Sets the state of every open line of the order.
    async fn close_open_lines(
        &mut self,
        order_id: Id,
        state: LineState,
        delivered_at: Option<DateTime<Utc>>,
    ) -> Result<()>;
}
