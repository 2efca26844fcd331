//! Who would pay for an article for the patient in view, before anything
//! is ordered: the product page's answer. It is the order preview's cost
//! decision (the same recipient resolution, place of use and agreement
//! engine), so the page and the order cannot disagree; the patient read
//! is audited as `catalog.product`.

use super::decision::{decide, LineDecision};
use super::recipient::resolve;
use crate::error::{AppError, Result};
use crate::patients::PatientInView;
use crate::App;
use ramp_domain::cost::{Need, NeededFact};
use ramp_domain::order::OrderTarget;
use ramp_domain::setting::Setting;
use ramp_model::{Article, User};
use serde::Serialize;
use std::collections::BTreeMap;

/// The audit action of reading the patient for a product page.
pub const PRODUCT_PAGE_ACTION: &str = "catalog.product";

/// What the agreement says about the article for this patient.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum PayerAnswer {
    /// Decided: who pays, on which rule and why.
    Decided { decision: LineDecision },
    /// The agreement asks questions first (answered in the order step).
    NeedsAnswers { needs: Vec<NeededFact> },
    /// Not orderable for this patient here; `code` and `message` say why,
    /// and the agreement's own words when a rule refuses.
    Refused { code: &'static str, message: String, explanation_sv: Option<String> },
}

/// The patient in view and the payer for `article` at `place` (default:
/// the patient's setting today), for a lasting need. A refusal of the
/// patient itself (no care relationship, unknown) is an error; a refusal
/// of the article for this patient is an answer.
pub async fn payer_for_patient(
    app: &App,
    user: &User,
    personal_id: &str,
    place: Option<Setting>,
    article: &Article,
    request_id: Option<&str>,
) -> Result<(PatientInView, PayerAnswer)> {
    let recipient =
        resolve(app, user, OrderTarget::Patient, Some(personal_id), None, PRODUCT_PAGE_ACTION, request_id).await?;
    recipient.write_audit(app).await?;
    let recipient = recipient.at_place(place);
    let patient = recipient
        .in_view()
        .ok_or_else(|| AppError::internal("patient in view", ramp_model::StorageError::NotFound("patient".into())))?;
    let answer = match decide(app, user, &recipient, article, Need::Lasting, &BTreeMap::new()).await {
        Ok(Ok(decision)) => PayerAnswer::Decided { decision },
        Ok(Err(needs)) => PayerAnswer::NeedsAnswers { needs },
        Err(e) if e.kind == crate::ErrorKind::Internal => return Err(e),
        Err(e) => {
            let explanation_sv = match e.refusal.as_ref().map(|r| &r.reason) {
                Some(super::RefusalReason::Rule { explanation_sv, .. }) => Some(explanation_sv.clone()),
                _ => None,
            };
            PayerAnswer::Refused { code: e.code, message: e.message, explanation_sv }
        }
    };
    Ok((patient, answer))
}
