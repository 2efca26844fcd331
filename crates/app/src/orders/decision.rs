//! Who pays for one line: the agreement engine for a patient's
//! prescription, the unit itself for basic equipment and buffer stock. The
//! answer is kept on the order line with its rule id and agreement version.

use super::recipient::Recipient;
use super::refusal::{Refusal, RefusalReason};
use crate::error::{AppError, Result};
use crate::impact::cost_kind;
use crate::App;
use ramp_domain::cost::{Channel, DecisionRequest, Need, Outcome, Patient as CostPatient, Payer, Product};
use ramp_domain::order::OrderTarget;
use ramp_domain::Term;
use ramp_model::{Article, Id, User};
use serde::Serialize;
use std::collections::BTreeMap;

/// The cost decision of one line, as stored on the order line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LineDecision {
    pub payer: Payer,
    pub channel: String,
    pub customer_number_id: Id,
    pub rule: String,
    pub agreement_version: String,
    pub explanation_sv: String,
    pub explanation_en: String,
    /// Prescribed on another principal's account ("förtroendeförskrivning").
    pub trust_prescription: bool,
}

/// Channels that go through this ordering portal; the others are bought
/// elsewhere ("beställs från egna avtalade leverantörer", seed 000).
fn orderable_here(c: Channel) -> bool {
    matches!(c, Channel::RegionPrescription | Channel::HmcPrescriptionInvoicedToMunicipality)
}

async fn region_principal(app: &App) -> Result<Id> {
    let all = app.storage.principals().await?;
    all.iter()
        .find(|p| p.kind == "region")
        .map(|p| p.id)
        .ok_or_else(|| AppError::conflict("no_region", "no region is registered"))
}

async fn customer_number(app: &App, recipient: &Recipient, principal: Id) -> Result<Id> {
    if recipient.unit.principal_id == principal {
        return Ok(recipient.unit.customer_number_id);
    }
    app.storage.customer_number_of_principal(principal).await?.ok_or_else(|| {
        AppError::conflict("no_customer_number", format!("principal {principal} has no customer number to invoice"))
    })
}

/// Decides who pays for `article` on this line. `Ok(Err(needs))` when the
/// agreement needs facts answered first.
pub(crate) async fn decide(
    app: &App,
    user: &User,
    recipient: &Recipient,
    article: &Article,
    need: Need,
    facts: &BTreeMap<String, bool>,
) -> Result<std::result::Result<LineDecision, Vec<ramp_domain::cost::NeededFact>>> {
    let Some(patient) = &recipient.patient else {
        return Ok(Ok(unit_decision(app, recipient).await?));
    };
    let today = app.today();
    let setting = recipient.setting.ok_or_else(|| {
        AppError::conflict("setting_unknown", "the patient's housing setting today is not recorded; record it first")
    })?;
    if article.iso_code.as_str().len() != 6 {
        return Err(AppError::invalid(
            "article_number",
            "article_without_iso_code",
            "the article has no full ISO 9999 code; cost responsibility cannot be decided",
        ));
    }
    let mut facts = facts.clone();
    // A catalog article as delivered is not specially adapted; adaptation is a later workshop decision.
    facts.entry("special_adapted".into()).or_insert(false);
    let req = DecisionRequest {
        region: app.config.agreement_region.clone(),
        date: today,
        patient: CostPatient::BirthDate(patient.birth_date),
        setting,
        product: Product { iso: Some(article.iso_code.clone()), kind: cost_kind(article.kind), facts },
        need,
    };
    let outcome = app.agreements.current().decide(&req).map_err(|e| match e.field.strip_prefix("product.facts.") {
        Some(fact) => AppError::invalid(format!("facts.{fact}"), e.code, e.message),
        None => AppError::conflict("agreement_unavailable", format!("no agreement can decide: {}", e.message)),
    })?;
    let d = match outcome {
        Outcome::Needs(needs) => return Ok(Err(needs)),
        Outcome::Decision(d) => d,
    };
    if !orderable_here(d.channel) {
        return Err(AppError::invalid(
            "article_number",
            "not_orderable_here",
            format!("{} ({})", d.explanation.en, d.rule),
        )
        .with_refusal(Refusal::new(RefusalReason::Rule {
            rule: d.rule.clone(),
            explanation_sv: d.explanation.sv.clone(),
        })));
    }
    let payer_principal = match d.payer {
        Payer::Region => region_principal(app).await?,
        Payer::Municipality => patient.municipality_id,
        Payer::Patient => {
            return Err(AppError::invalid("article_number", "not_orderable_here", d.explanation.en.clone()));
        }
    };
    let trust = payer_principal != user.principal_id;
    if trust && !d.trust_prescription_allowed {
        return Err(AppError::forbidden(
            "trust_prescription_not_allowed",
            format!(
                "this would be a trust-prescription (on another principal's account), which the agreement does not allow here: {} ({})",
                d.explanation.en, d.rule
            ),
        )
        .with_field("article_number")
        .with_refusal(Refusal::new(RefusalReason::Rule {
            rule: d.rule.clone(),
            explanation_sv: d.explanation.sv.clone(),
        })));
    }
    Ok(Ok(LineDecision {
        payer: d.payer,
        channel: d.channel.as_str().to_string(),
        customer_number_id: customer_number(app, recipient, payer_principal).await?,
        rule: d.rule,
        agreement_version: d.agreement.version,
        explanation_sv: d.explanation.sv,
        explanation_en: d.explanation.en,
        trust_prescription: trust,
    }))
}

/// Basic equipment and buffer stock: the unit's own principal pays, on the unit's customer number.
async fn unit_decision(app: &App, recipient: &Recipient) -> Result<LineDecision> {
    let principals = app.storage.principals().await?;
    let kind = principals
        .iter()
        .find(|p| p.id == recipient.unit.principal_id)
        .and_then(|p| Payer::parse(&p.kind).ok())
        .unwrap_or(Payer::Municipality);
    let (rule, sv, en) = match recipient.target {
        OrderTarget::Buffer => (
            "unit_order.buffer_stock",
            "Buffertförråd beställs av enheten och faktureras enhetens kundnummer.",
            "Buffer stock is ordered by the unit and invoiced to the unit's customer number.",
        ),
        _ => (
            "unit_order.basic_equipment",
            "Grundutrustning bekostas av verksamheten och faktureras enhetens kundnummer.",
            "Basic equipment is paid for by the operation and invoiced to the unit's customer number.",
        ),
    };
    Ok(LineDecision {
        payer: kind,
        channel: "unit_order".into(),
        customer_number_id: recipient.unit.customer_number_id,
        rule: rule.into(),
        agreement_version: "-".into(),
        explanation_sv: sv.into(),
        explanation_en: en.into(),
        trust_prescription: false,
    })
}
