//! Response shapes of the consultation and surplus-sale API.

use chrono::{DateTime, NaiveDate, Utc};
use ramp_app::consult::ConsultationView;
use ramp_app::model as st;
use ramp_app::surplus::{SurplusOffer, SurplusOverview};
use ramp_domain::Term;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceDto {
    /// `expectation_call` | `consultation` | …
    pub code: String,
    pub name_sv: String,
    pub name_en: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ServicesDto {
    pub services: Vec<ServiceDto>,
    pub locations: Vec<LocationDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LocationDto {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SlotDto {
    pub id: i64,
    pub consultant_name: String,
    pub location_id: i64,
    pub location: String,
    pub service_code: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// Whether a booking is in force (only a consultant's own list shows booked slots).
    pub booked: bool,
    pub withdrawn: bool,
}

impl From<&st::Slot> for SlotDto {
    fn from(s: &st::Slot) -> Self {
        Self {
            id: s.id,
            consultant_name: s.consultant_name.clone(),
            location_id: s.location_id,
            location: s.location.clone(),
            service_code: s.service_code.clone(),
            starts_at: s.starts_at,
            ends_at: s.ends_at,
            booked: s.booked_consultation_id.is_some(),
            withdrawn: s.withdrawn_at.is_some(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SlotListDto {
    pub slots: Vec<SlotDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BookingDto {
    pub id: i64,
    pub slot: SlotDto,
    pub booked_at: DateTime<Utc>,
    pub cancelled_at: Option<DateTime<Utc>>,
    /// The booking as an iCalendar entry (`text/calendar`).
    pub calendar_url: String,
}

impl From<&st::Booking> for BookingDto {
    fn from(b: &st::Booking) -> Self {
        Self {
            id: b.id,
            slot: SlotDto::from(&b.slot),
            booked_at: b.booked_at,
            cancelled_at: b.cancelled_at,
            calendar_url: format!("/api/v1/consultations/bookings/{}/calendar", b.id),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConsultationEventDto {
    pub occurred_at: DateTime<Utc>,
    /// created | booked | cancelled | rebooked | closed_unbooked
    pub kind: String,
    pub booking_id: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MessageDto {
    /// The recipient's Ramp username.
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
    /// Set by the dispatcher once sent.
    pub sent_at: Option<DateTime<Utc>>,
}

/// A consultation activity, as its reader sees it (the read is audited).
#[derive(Debug, Serialize, ToSchema)]
pub struct ConsultationDto {
    pub id: i64,
    pub patient_name: String,
    pub prescriber_name: String,
    pub service: ServiceDto,
    pub question: String,
    /// open | booked | closed_unbooked
    pub status: String,
    pub created_at: DateTime<Utc>,
    /// While open: it closes by itself at this instant unless booked.
    pub booking_deadline: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    /// The booking in force.
    pub booking: Option<BookingDto>,
    /// Every booking, newest first (cancelled ones too).
    pub bookings: Vec<BookingDto>,
    pub events: Vec<ConsultationEventDto>,
    /// Confirmation messages written to the outbox.
    pub messages: Vec<MessageDto>,
    /// On what ground the caller sees the patient: care_relationship | emergency_access | hmc_role
    pub access: String,
}

impl From<&ConsultationView> for ConsultationDto {
    fn from(v: &ConsultationView) -> Self {
        let c = &v.consultation;
        Self {
            id: c.id,
            patient_name: v.patient_name.clone(),
            prescriber_name: c.prescriber_name.clone(),
            service: ServiceDto::from(&v.service),
            question: c.question.clone(),
            status: c.status.as_str().to_string(),
            created_at: c.created_at,
            booking_deadline: c.booking_deadline,
            closed_at: c.closed_at,
            booking: c.booking().map(BookingDto::from),
            bookings: c.bookings.iter().map(BookingDto::from).collect(),
            events: c
                .events
                .iter()
                .map(|e| ConsultationEventDto {
                    occurred_at: e.occurred_at,
                    kind: e.kind.as_str().to_string(),
                    booking_id: e.booking_id,
                })
                .collect(),
            messages: v
                .messages
                .iter()
                .map(|m| MessageDto {
                    recipient: m.recipient.clone(),
                    subject: m.subject.clone(),
                    body: m.body.clone(),
                    created_at: m.created_at,
                    sent_at: m.sent_at,
                })
                .collect(),
            access: v.access.as_str().to_string(),
        }
    }
}

impl From<&st::ConsultationService> for ServiceDto {
    fn from(s: &st::ConsultationService) -> Self {
        Self { code: s.code.clone(), name_sv: s.name_sv.clone(), name_en: s.name_en.clone() }
    }
}

/// One activity in a list: no patient data.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConsultationSummaryDto {
    pub id: i64,
    pub service_code: String,
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub booking_deadline: DateTime<Utc>,
    pub slot_starts_at: Option<DateTime<Utc>>,
    pub location: Option<String>,
}

impl From<&st::ConsultationSummary> for ConsultationSummaryDto {
    fn from(s: &st::ConsultationSummary) -> Self {
        Self {
            id: s.id,
            service_code: s.service_code.clone(),
            status: s.status.as_str().to_string(),
            created_at: s.created_at,
            booking_deadline: s.booking_deadline,
            slot_starts_at: s.slot_starts_at,
            location: s.location.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConsultationListDto {
    pub consultations: Vec<ConsultationSummaryDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OfferedDeviceDto {
    pub device_number: String,
    pub purchase_date: NaiveDate,
    pub purchase_price_ore: i64,
    /// 30 % of the purchase price, rounded half up to the öre.
    pub price_ore: i64,
    pub warehouse: String,
}

/// An article of earlier assortment with more in central stock than demand.
#[derive(Debug, Serialize, ToSchema)]
pub struct SurplusOfferDto {
    pub article_number: String,
    pub article_name: String,
    pub iso_code: String,
    /// The last day of its assortment period.
    pub valid_to: NaiveDate,
    pub spare_parts_until: Option<NaiveDate>,
    pub in_stock: i64,
    /// Quantity ordered in the last 90 days.
    pub demand: i64,
    /// How many may be sold.
    pub surplus: i64,
    /// Why it cannot be sold today (spare_parts_unknown | spare_parts_ending), if so.
    pub blocked_by: Option<String>,
    pub devices: Vec<OfferedDeviceDto>,
}

impl From<&SurplusOffer> for SurplusOfferDto {
    fn from(o: &SurplusOffer) -> Self {
        Self {
            article_number: o.article_number.clone(),
            article_name: o.article_name.clone(),
            iso_code: o.iso_code.clone(),
            valid_to: o.valid_to,
            spare_parts_until: o.spare_parts_until,
            in_stock: o.in_stock,
            demand: o.demand,
            surplus: o.surplus,
            blocked_by: o.blocked_by.map(str::to_string),
            devices: o
                .devices
                .iter()
                .map(|d| OfferedDeviceDto {
                    device_number: d.device.device_number.clone(),
                    purchase_date: d.device.purchase_date,
                    purchase_price_ore: d.device.purchase_price_ore,
                    price_ore: d.price_ore,
                    warehouse: d.device.warehouse_name.clone(),
                })
                .collect(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ComplaintDto {
    pub id: i64,
    pub registered_at: DateTime<Utc>,
    pub registered_on: NaiveDate,
    pub description: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SaleDto {
    pub id: i64,
    pub device_number: String,
    pub article_number: String,
    pub article_name: String,
    pub buyer: String,
    pub customer_number: String,
    pub purchase_price_ore: i64,
    /// 30 % of the purchase price, rounded half up to the öre.
    pub price_ore: i64,
    pub sold_at: DateTime<Utc>,
    pub sold_on: NaiveDate,
    /// The day the buyer received the device (`null` until delivered).
    pub delivered_on: Option<NaiveDate>,
    /// The last day a complaint ("reklamation") is accepted: 30 days after
    /// delivery (`null` until delivered).
    pub complaint_deadline: Option<NaiveDate>,
    pub spare_parts_until: NaiveDate,
    pub complaints: Vec<ComplaintDto>,
}

impl From<&st::SurplusSale> for SaleDto {
    fn from(s: &st::SurplusSale) -> Self {
        Self {
            id: s.id,
            device_number: s.device_number.clone(),
            article_number: s.article_number.clone(),
            article_name: s.article_name.clone(),
            buyer: s.buyer_name.clone(),
            customer_number: s.customer_number.clone(),
            purchase_price_ore: s.purchase_price_ore,
            price_ore: s.price_ore,
            sold_at: s.sold_at,
            sold_on: s.sold_on,
            delivered_on: s.delivered_on,
            complaint_deadline: s.complaint_deadline,
            spare_parts_until: s.spare_parts_until,
            complaints: s
                .complaints
                .iter()
                .map(|c| ComplaintDto {
                    id: c.id,
                    registered_at: c.registered_at,
                    registered_on: c.registered_on,
                    description: c.description.clone(),
                })
                .collect(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MunicipalityDto {
    /// The municipality code, e.g. `0186`: what a sale names as buyer.
    pub code: String,
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SurplusOverviewDto {
    pub today: NaiveDate,
    /// Demand counts orders placed from this day.
    pub demand_from: NaiveDate,
    /// Spare parts must last at least until this day for a sale today.
    pub spare_parts_needed_until: NaiveDate,
    pub offers: Vec<SurplusOfferDto>,
    pub municipalities: Vec<MunicipalityDto>,
    pub sales: Vec<SaleDto>,
}

impl From<&SurplusOverview> for SurplusOverviewDto {
    fn from(o: &SurplusOverview) -> Self {
        Self {
            today: o.today,
            demand_from: o.demand_from,
            spare_parts_needed_until: o.spare_parts_needed_until,
            offers: o.offers.iter().map(SurplusOfferDto::from).collect(),
            municipalities: o
                .municipalities
                .iter()
                .map(|p| MunicipalityDto { code: p.code.clone(), name: p.name.clone() })
                .collect(),
            sales: o.sales.iter().map(SaleDto::from).collect(),
        }
    }
}
