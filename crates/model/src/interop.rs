//! The read side that the FHIR interface (issue 20) needs beyond the
//! ordinary pages: a patient's order lines with their deliveries, the
//! billed invoice lines that name a patient, and the catalog a page at a
//! time. A supertrait of [`crate::Storage`], implemented once for both
//! engines by `ramp_storage::SqlStorage` (`sql/interop.rs`). Who may read
//! what is decided in `ramp_app::fhir`, never here.

use crate::{Article, Id, Result};
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use ramp_domain::order::OrderStatus;

/// One line of a patient's order: a FHIR `DeviceRequest`, and once
/// delivered a `DeviceDispense`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestLine {
    pub line_id: Id,
    pub order_id: Id,
    pub line_no: i32,
    pub patient_id: Id,
    pub order_status: OrderStatus,
    /// `open`, `delivered` or `cancelled`.
    pub line_state: String,
    pub article_id: Id,
    pub article_number: String,
    pub article_name: String,
    pub quantity: i32,
    pub goal: Option<String>,
    pub orderer_name: String,
    pub unit_name: String,
    pub placed_at: DateTime<Utc>,
    pub promised_date: NaiveDate,
    pub delivered_at: Option<DateTime<Utc>>,
    /// The device the line reserved or delivered (devices only).
    pub device_number: Option<String>,
}

/// A billed invoice line that names a patient: a FHIR `ChargeItem`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChargeLine {
    pub line_id: Id,
    pub patient_id: Id,
    pub invoice_number: String,
    pub line_no: i32,
    /// `rent`, `sale`, `service`, `acute_fee`, `lost_device` or `reinvoice`.
    pub kind: String,
    pub description: String,
    pub quantity: i64,
    pub unit_price_ore: i64,
    pub amount_ore: i64,
    pub period_from: Option<NaiveDate>,
    pub period_to: Option<NaiveDate>,
    pub issued_at: DateTime<Utc>,
    pub device_number: Option<String>,
    /// Whether a credit note has taken the line back.
    pub credited: bool,
}

/// Which catalog articles to list: all when every filter is `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArticleFilter {
    pub id: Option<Id>,
    pub article_number: Option<String>,
    pub gtin: Option<String>,
    /// An ISO 9999 code or its first digits (class, subclass).
    pub iso_prefix: Option<String>,
    pub offset: i64,
    pub limit: i64,
}

#[async_trait]
pub trait InteropStore: Send + Sync {
    /// The lines of the patient's orders, oldest first; one line when
    /// `line_id` is given (`None` when it is no line of a patient order).
    async fn request_lines(&self, patient_id: Option<Id>, line_id: Option<Id>) -> Result<Vec<RequestLine>>;
    /// The patient's billed invoice lines, oldest first; one line when
    /// `line_id` is given.
    async fn charge_lines(&self, patient_id: Option<Id>, line_id: Option<Id>) -> Result<Vec<ChargeLine>>;
    /// One page of catalog articles by article number and the count of all
    /// that match.
    async fn article_page(&self, filter: &ArticleFilter) -> Result<(Vec<Article>, i64)>;
}
