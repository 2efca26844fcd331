//! The first step of placing an order: the request checked on its own,
//! before anything is read — the idempotency key, the request's digest,
//! the lines' shape and the form (goal, evaluation, end date).

use super::cart::{validate, LineRequest};
use crate::error::{AppError, Result};
use crate::App;
use chrono::NaiveDate;
use ramp_domain::order::{check_short_term_end, OrderChannel, OrderTarget};
use ramp_domain::setting::Setting;
use ramp_domain::shipping::{Delivery, DeliveryInput};
use ramp_domain::Term;
use ramp_model::Id;
use sha2::{Digest, Sha256};

/// At most this many lines in one order placed directly.
pub const MAX_DIRECT_LINES: usize = 50;

/// The order form: for whom, the goal and when it is evaluated.
#[derive(Debug, Clone, Default)]
pub struct OrderRequest {
    pub target: Option<OrderTarget>,
    pub personal_id: Option<String>,
    pub unit_id: Option<Id>,
    /// The goal of the prescription ("mål"); required for a patient.
    pub goal: Option<String>,
    /// When the prescription's effect is evaluated ("uppföljning"); required for a patient.
    pub evaluation_date: Option<NaiveDate>,
    /// The end of a short-term prescription; required when a line's need is temporary.
    pub end_date: Option<NaiveDate>,
    /// The lines, for an order placed in one request without the cart
    /// (`None`: the order is the recipient's lines in the user's cart).
    /// Each line's own target, personal id and unit are not read.
    pub lines: Option<Vec<LineRequest>>,
    /// Where a patient's devices are used, which decides who pays
    /// (`None`: the patient's setting today). Patient orders only.
    pub place_of_use: Option<Setting>,
    /// Where and how the order goes (`None`: the centre's transport to the
    /// registered address, normal lead time, nobody named to call).
    pub delivery: Option<DeliveryInput>,
    /// How the request came (`None`: the portal). The portal's orders
    /// placed by the centre's own staff are recorded as staff-registered.
    pub channel: Option<OrderChannel>,
}

pub(super) fn request_hash(req: &OrderRequest, target: OrderTarget) -> String {
    let mut text = format!(
        "{}|{}|{:?}|{}|{:?}|{:?}",
        target,
        req.personal_id.as_deref().map(|p| p.replace(['-', '+', ' '], "")).unwrap_or_default(),
        req.unit_id,
        req.goal.as_deref().unwrap_or("").trim(),
        req.evaluation_date,
        req.end_date
    );
    // An order without place of use and delivery hashes as it always did.
    if let Some(place) = req.place_of_use {
        text.push_str(&format!("|place={}", place.as_str()));
    }
    if let Some(d) = &req.delivery {
        text.push_str(&format!("|delivery={d:?}"));
    }
    // A cart order's hash is as it always was; a direct order's names its lines.
    for l in req.lines.iter().flatten() {
        let line = (l.article_number.trim(), l.quantity, l.need, &l.facts, l.replacement);
        text.push_str(&format!("|{line:?}"));
        // A line without a decline reason hashes as it did before there were any.
        if let Some(d) = &l.replacement_decline {
            text.push_str(&format!("|decline={d:?}"));
        }
    }
    Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

pub(super) fn check_key(key: Option<&str>) -> Result<Option<String>> {
    match key {
        None => Ok(None),
        Some(k) if !k.is_empty() && k.len() <= 100 && k.chars().all(|c| c.is_ascii_graphic()) => {
            Ok(Some(k.to_string()))
        }
        Some(_) => Err(AppError::invalid(
            "Idempotency-Key",
            "invalid_idempotency_key",
            "the Idempotency-Key is 1 to 100 visible ASCII characters",
        )),
    }
}

/// The lines of an order placed in one request: at least one, at most
/// [`MAX_DIRECT_LINES`], each well-formed (errors name `lines[i]`).
pub(super) fn check_lines(lines: &[LineRequest]) -> Result<()> {
    if lines.is_empty() {
        return Err(AppError::invalid(
            "lines",
            "no_lines",
            "give at least one line, or leave `lines` out to order what is in the cart",
        ));
    }
    if lines.len() > MAX_DIRECT_LINES {
        return Err(AppError::invalid(
            "lines",
            "too_many_lines",
            format!("an order has at most {MAX_DIRECT_LINES} lines"),
        ));
    }
    for (i, line) in lines.iter().enumerate() {
        validate(line).map_err(|e| e.within("lines", i))?;
    }
    Ok(())
}

pub(super) fn check_form(app: &App, req: &OrderRequest, target: OrderTarget, temporary: bool) -> Result<()> {
    if target == OrderTarget::Patient {
        let goal = req.goal.as_deref().map(str::trim).unwrap_or("");
        if goal.is_empty() {
            return Err(AppError::invalid("goal", "required", "state the goal of the prescription"));
        }
        if goal.chars().count() > 1000 {
            return Err(AppError::invalid("goal", "too_long", "the goal is at most 1,000 characters"));
        }
        match req.evaluation_date {
            None => return Err(AppError::invalid("evaluation_date", "required", "give the date of the evaluation")),
            Some(d) if d <= app.today() => {
                return Err(AppError::invalid("evaluation_date", "not_after_today", "the evaluation is after today"))
            }
            Some(_) => {}
        }
    }
    match (temporary, req.end_date) {
        (true, None) => Err(AppError::invalid(
            "end_date",
            "required",
            "a short-term prescription (temporary need) needs an end date, at most 6 months ahead",
        )),
        (true, Some(end)) => Ok(check_short_term_end(app.today(), end)?),
        (false, Some(_)) => Err(AppError::invalid(
            "end_date",
            "only_for_short_term",
            "an end date is given only for a short-term prescription (temporary need)",
        )),
        (false, None) => Ok(()),
    }
}

/// The delivery details and place of use, checked on their own: a place
/// of use is chosen for a patient only.
pub(super) fn check_delivery(req: &OrderRequest, target: OrderTarget) -> Result<Delivery> {
    if req.place_of_use.is_some() && target != OrderTarget::Patient {
        return Err(AppError::invalid(
            "place_of_use",
            "place_of_use_for_patient_only",
            "a place of use is chosen for a patient's order only",
        ));
    }
    match &req.delivery {
        Some(d) => Ok(d.check()?),
        None => Ok(Delivery::default()),
    }
}
