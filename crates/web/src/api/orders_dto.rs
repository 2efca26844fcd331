//! Response shapes of the ordering API, and the delivery details it takes.

use super::dto::ArticleDto;
use chrono::{DateTime, NaiveDate, Utc};
use ramp_app::model as st;
use ramp_app::orders::{CartLine, LineDecision, LinePreview, Proposal};
use ramp_domain::setting::Setting;
use ramp_domain::shipping::{Delivery, DeliveryInput, DeliveryMethod, Urgency};
use ramp_domain::Term;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Who pays for a line and why, as the agreement engine decided.
#[derive(Debug, Serialize, ToSchema)]
pub struct DecisionDto {
    /// region | municipality | patient
    pub payer: String,
    pub channel: String,
    pub customer_number_id: i64,
    pub rule: String,
    pub agreement_version: String,
    pub explanation_sv: String,
    pub explanation_en: String,
    /// Prescribed on another principal's account ("förtroendeförskrivning").
    pub trust_prescription: bool,
}

impl From<&LineDecision> for DecisionDto {
    fn from(d: &LineDecision) -> Self {
        Self {
            payer: d.payer.as_str().into(),
            channel: d.channel.clone(),
            customer_number_id: d.customer_number_id,
            rule: d.rule.clone(),
            agreement_version: d.agreement_version.clone(),
            explanation_sv: d.explanation_sv.clone(),
            explanation_en: d.explanation_en.clone(),
            trust_prescription: d.trust_prescription,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProposalDto {
    pub group_code: String,
    pub group_name: String,
    /// A fixed group substitutes without asking.
    pub fixed: bool,
    pub article_number: String,
    pub article_name: String,
    pub in_stock: i64,
}

impl From<&Proposal> for ProposalDto {
    fn from(p: &Proposal) -> Self {
        Self {
            group_code: p.group_code.clone(),
            group_name: p.group_name.clone(),
            fixed: p.fixed,
            article_number: p.article_number.clone(),
            article_name: p.article_name.clone(),
            in_stock: p.in_stock,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NeededFactDto {
    pub fact: String,
    pub question_sv: String,
    pub question_en: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PreviewDto {
    pub requested: ArticleDto,
    pub proposal: Option<ProposalDto>,
    /// The article that goes out given the answer.
    pub article: ArticleDto,
    /// none | automatic | accepted | declined
    pub substitution: String,
    pub in_stock: i64,
    pub decision: Option<DecisionDto>,
    pub needs: Vec<NeededFactDto>,
}

impl From<&LinePreview> for PreviewDto {
    fn from(p: &LinePreview) -> Self {
        Self {
            requested: ArticleDto::from(&p.requested),
            proposal: p.proposal.as_ref().map(ProposalDto::from),
            article: ArticleDto::from(&p.article),
            substitution: p.substitution.as_str().into(),
            in_stock: p.in_stock,
            decision: p.decision.as_ref().map(DecisionDto::from),
            needs: p
                .needs
                .iter()
                .map(|n| NeededFactDto {
                    fact: n.fact.clone(),
                    question_sv: n.question.sv.clone(),
                    question_en: n.question.en.clone(),
                })
                .collect(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CartItemDto {
    pub id: i64,
    /// patient | unit | buffer
    pub target: String,
    pub patient_name: Option<String>,
    pub unit_id: Option<i64>,
    pub article_number: String,
    pub article_name: String,
    pub requested_article_number: String,
    /// none | automatic | accepted | declined
    pub substitution: String,
    pub device_number: Option<String>,
    pub quantity: i32,
    pub need: Option<String>,
    /// The reservation runs out at this time; the device then returns to stock by itself.
    pub reserved_until: DateTime<Utc>,
    pub decision: Option<DecisionDto>,
    /// An accessory whose main device was substituted: check that it still fits.
    pub needs_review: bool,
}

impl From<&CartLine> for CartItemDto {
    fn from(l: &CartLine) -> Self {
        let i = &l.item;
        Self {
            id: i.id,
            target: i.target.as_str().into(),
            patient_name: l.patient_name.clone(),
            unit_id: i.unit_id,
            article_number: i.article.article_number.clone(),
            article_name: i.article.name.clone(),
            requested_article_number: i.requested_article_number.clone(),
            substitution: i.substitution.as_str().into(),
            device_number: i.device_number.clone(),
            quantity: i.quantity,
            need: i.need.map(|n| n.as_str().into()),
            reserved_until: i.reserved_until,
            decision: l.decision.as_ref().map(DecisionDto::from),
            needs_review: l.needs_review,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CartDto {
    pub items: Vec<CartItemDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrderLineDto {
    pub line_no: i32,
    pub article_number: String,
    pub article_name: String,
    pub requested_article_number: String,
    pub substitution: String,
    pub device_number: Option<String>,
    pub quantity: i32,
    pub need: Option<String>,
    pub payer: String,
    pub customer_number: String,
    pub rule: String,
    pub agreement_version: String,
    pub explanation_sv: String,
    pub explanation_en: String,
    pub trust_prescription: bool,
    /// stock_4 | stock_7 | order_17 | acute
    pub lead_time_class: String,
    pub promised_date: NaiveDate,
    /// open | delivered | cancelled
    pub state: String,
    pub delivered_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrderEventDto {
    pub occurred_at: DateTime<Utc>,
    pub from_status: Option<String>,
    pub to_status: String,
    pub note: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrderDto {
    pub id: i64,
    /// patient | unit | buffer
    pub target: String,
    /// registered | picked | out_for_delivery | delivered | cancelled
    pub status: String,
    pub unit_name: String,
    pub goal: Option<String>,
    pub evaluation_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub received_by: Option<String>,
    /// The place of use the lines were decided for (a setting); absent on unit orders.
    pub place_of_use: Option<String>,
    pub delivery: DeliveryDto,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub lines: Vec<OrderLineDto>,
    pub events: Vec<OrderEventDto>,
}

impl From<&st::Order> for OrderDto {
    fn from(o: &st::Order) -> Self {
        Self {
            id: o.id,
            target: o.target.as_str().into(),
            status: o.status.as_str().into(),
            unit_name: o.unit_name.clone(),
            goal: o.goal.clone(),
            evaluation_date: o.evaluation_date,
            end_date: o.end_date,
            received_by: o.received_by.clone(),
            place_of_use: o.place_of_use.map(|p| p.as_str().into()),
            delivery: DeliveryDto::from(&o.delivery),
            created_at: o.created_at,
            updated_at: o.updated_at,
            lines: o
                .lines
                .iter()
                .map(|l| OrderLineDto {
                    line_no: l.line_no,
                    article_number: l.article_number.clone(),
                    article_name: l.article_name.clone(),
                    requested_article_number: l.requested_article_number.clone(),
                    substitution: l.substitution.as_str().into(),
                    device_number: l.device_number.clone(),
                    quantity: l.quantity,
                    need: l.need.map(|n| n.as_str().into()),
                    payer: l.payer.as_str().into(),
                    customer_number: l.customer_number.clone(),
                    rule: l.rule_id.clone(),
                    agreement_version: l.agreement_version.clone(),
                    explanation_sv: l.explanation_sv.clone(),
                    explanation_en: l.explanation_en.clone(),
                    trust_prescription: l.trust_prescription,
                    lead_time_class: l.lead_time_class.as_str().into(),
                    promised_date: l.promised_date,
                    state: l.state.as_str().into(),
                    delivered_at: l.delivered_at,
                })
                .collect(),
            events: o
                .events
                .iter()
                .map(|e| OrderEventDto {
                    occurred_at: e.occurred_at,
                    from_status: e.from_status.map(|s| s.as_str().to_string()),
                    to_status: e.to_status.as_str().into(),
                    note: e.note.clone(),
                })
                .collect(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrderSummaryDto {
    pub id: i64,
    pub target: String,
    pub status: String,
    pub unit_name: String,
    pub created_at: DateTime<Utc>,
    pub lines: i64,
    pub first_article: String,
    /// normal | urgent
    pub urgency: String,
    /// centre_transport | pickup_at_centre | pickup_point | carrier
    pub delivery_method: String,
}

impl From<&st::OrderSummary> for OrderSummaryDto {
    fn from(o: &st::OrderSummary) -> Self {
        Self {
            id: o.id,
            target: o.target.as_str().into(),
            status: o.status.as_str().into(),
            unit_name: o.unit_name.clone(),
            created_at: o.created_at,
            lines: o.lines,
            first_article: o.first_article.clone(),
            urgency: o.urgency.as_str().into(),
            delivery_method: o.delivery_method.as_str().into(),
        }
    }
}

/// One page of the order list.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrderListDto {
    pub orders: Vec<OrderSummaryDto>,
    /// How many orders match, on all pages.
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
    /// How many pages the matching orders fill (at least 1).
    pub pages: i64,
    /// The scope the list was read with: mine | unit | all.
    pub scope: String,
}

impl From<&ramp_app::orders::OrderList> for OrderListDto {
    fn from(l: &ramp_app::orders::OrderList) -> Self {
        Self {
            orders: l.orders.iter().map(OrderSummaryDto::from).collect(),
            total: l.total,
            page: l.choice.page,
            per_page: l.choice.per_page,
            pages: l.pages(),
            scope: l.choice.scope.as_str().into(),
        }
    }
}

/// Where and how an order goes, as given when ordering.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeliveryBody {
    /// Another delivery address; left out, the patient's registered address (or the unit's).
    pub address: Option<String>,
    /// Whom the driver calls (required).
    pub contact_name: Option<String>,
    /// 7 to 15 digits (required).
    pub contact_phone: Option<String>,
    /// centre_transport (default) | pickup_at_centre | pickup_point | carrier
    pub method: Option<String>,
    /// normal (default) | urgent: a stock item the next working day.
    pub urgency: Option<String>,
    /// To the warehouse, at most 500 characters.
    pub note: Option<String>,
}

impl DeliveryBody {
    pub fn to_input(&self) -> Result<DeliveryInput, ramp_domain::FieldError> {
        Ok(DeliveryInput {
            address: self.address.clone(),
            contact_name: self.contact_name.clone(),
            contact_phone: self.contact_phone.clone(),
            method: self.method.as_deref().map(DeliveryMethod::parse).transpose()?,
            urgency: self.urgency.as_deref().map(Urgency::parse).transpose()?,
            note: self.note.clone(),
        })
    }
}

/// A place of use, named as the order's field (`place_of_use`).
pub fn parse_place(s: &str) -> Result<Setting, ramp_domain::FieldError> {
    Setting::parse(s).map_err(|e| ramp_domain::FieldError::new("place_of_use", "invalid_place_of_use", e.message))
}

/// The delivery details of an order.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryDto {
    /// Absent: the patient's registered address (or the unit's).
    pub address: Option<String>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    /// centre_transport | pickup_at_centre | pickup_point | carrier
    pub method: String,
    /// normal | urgent
    pub urgency: String,
    pub note: Option<String>,
}

impl From<&Delivery> for DeliveryDto {
    fn from(d: &Delivery) -> Self {
        Self {
            address: d.address.clone(),
            contact_name: d.contact_name.clone(),
            contact_phone: d.contact_phone.clone(),
            method: d.method.as_str().into(),
            urgency: d.urgency.as_str().into(),
            note: d.note.clone(),
        }
    }
}
