//! The use-cases behind the FHIR R5 interface (issue 20): the same
//! patients, devices, orders, deliveries, charges and measurements as the
//! rest of Ramp, under the same rules. Every read of a patient's data
//! needs a care relationship, a declared emergency access or a centre
//! role and writes an audit row (`fhir.<resource>`), refusals too; an
//! order made as a `DeviceRequest` goes through [`crate::orders::place_order`]
//! (the same agreement, competence gate and idempotency as the API).
//! Mapping to FHIR JSON is the web layer's (`ramp_web::fhir`).

use crate::access::{audit_unknown_patient, authorize_patient_read, not_yours, patient_not_found, patient_to_read};
use crate::error::{AppError, Result};
use crate::orders::{place_order, LineRequest, OrderRequest, PlacedOrder};
use crate::App;
use chrono::NaiveDate;
use ramp_model::{Article, ArticleFilter, ChargeLine, HeldDevice, Id, MeasurementRow, Patient, RequestLine, User};

/// How many measurements a patient's `Observation` search reads at most.
const OBSERVATION_LIMIT: i64 = 1_000;

/// A resource Ramp serves that is not there (or not a patient's).
pub fn resource_not_found(kind: &str) -> AppError {
    AppError::not_found(None, "resource_not_found", format!("no {kind} with this id"))
}

/// The patient of Ramp's internal id, after the access check (`action`
/// audited, refusals too). An unknown id is audited as refused and
/// answered like a patient without a ground, except to the centre's
/// staff who see every patient.
pub async fn patient(app: &App, user: &User, id: Id, action: &str, request_id: Option<&str>) -> Result<Patient> {
    match app.storage.patient_by_id(id).await? {
        Some(p) => {
            authorize_patient_read(app, user, p.id, action, request_id).await?;
            Ok(p)
        }
        None => {
            audit_unknown_patient(app, user, action, request_id).await?;
            Err(if user.is_hmc() { resource_not_found("Patient") } else { not_yours() })
        }
    }
}

/// The patient of a personal identity number (a search by identifier):
/// `None` when there is none, told only to staff who see every patient.
pub async fn patient_by_identifier(
    app: &App,
    user: &User,
    personal_id: &str,
    request_id: Option<&str>,
) -> Result<Option<Patient>> {
    match patient_to_read(app, user, personal_id, "fhir.patient", request_id).await {
        Ok(p) => {
            authorize_patient_read(app, user, p.id, "fhir.patient", request_id).await?;
            Ok(Some(p))
        }
        Err(e) if e.code == patient_not_found().code => Ok(None),
        Err(e) => Err(e),
    }
}

/// The devices lent to the patient now, each with its article's id.
pub async fn patient_devices(
    app: &App,
    user: &User,
    patient_id: Id,
    rid: Option<&str>,
) -> Result<Vec<(HeldDevice, Option<Id>)>> {
    patient(app, user, patient_id, "fhir.device", rid).await?;
    let mut out = Vec::new();
    for d in app.storage.held_devices(patient_id, app.today()).await? {
        let article = app.storage.article_by_number(&d.article_number).await?.map(|a| a.id);
        out.push((d, article));
    }
    Ok(out)
}

/// The lines of the patient's orders (`DeviceRequest`).
pub async fn patient_requests(app: &App, user: &User, patient_id: Id, rid: Option<&str>) -> Result<Vec<RequestLine>> {
    patient(app, user, patient_id, "fhir.device_request", rid).await?;
    Ok(app.storage.request_lines(Some(patient_id), None).await?)
}

/// One line of a patient's order, after the access check on its patient.
pub async fn request_line(app: &App, user: &User, line_id: Id, action: &str, rid: Option<&str>) -> Result<RequestLine> {
    let line = app.storage.request_lines(None, Some(line_id)).await?.into_iter().next();
    let line = line.ok_or_else(|| resource_not_found("DeviceRequest"))?;
    authorize_patient_read(app, user, line.patient_id, action, rid).await?;
    Ok(line)
}

/// The patient's delivered lines (`DeviceDispense`).
pub async fn patient_dispenses(app: &App, user: &User, patient_id: Id, rid: Option<&str>) -> Result<Vec<RequestLine>> {
    patient(app, user, patient_id, "fhir.device_dispense", rid).await?;
    let lines = app.storage.request_lines(Some(patient_id), None).await?;
    Ok(lines.into_iter().filter(|l| l.delivered_at.is_some()).collect())
}

/// One delivered line; a line not delivered is no dispense.
pub async fn dispense(app: &App, user: &User, line_id: Id, rid: Option<&str>) -> Result<RequestLine> {
    let line = request_line(app, user, line_id, "fhir.device_dispense", rid).await?;
    if line.delivered_at.is_none() {
        return Err(resource_not_found("DeviceDispense"));
    }
    Ok(line)
}

/// The patient's billed invoice lines (`ChargeItem`).
pub async fn patient_charges(app: &App, user: &User, patient_id: Id, rid: Option<&str>) -> Result<Vec<ChargeLine>> {
    patient(app, user, patient_id, "fhir.charge_item", rid).await?;
    Ok(app.storage.charge_lines(Some(patient_id), None).await?)
}

/// One billed invoice line naming a patient.
pub async fn charge(app: &App, user: &User, line_id: Id, rid: Option<&str>) -> Result<ChargeLine> {
    let line = app.storage.charge_lines(None, Some(line_id)).await?.into_iter().next();
    let line = line.ok_or_else(|| resource_not_found("ChargeItem"))?;
    authorize_patient_read(app, user, line.patient_id, "fhir.charge_item", rid).await?;
    Ok(line)
}

/// The patient's measurements (`Observation`), newest first.
pub async fn patient_observations(
    app: &App,
    user: &User,
    patient_id: Id,
    rid: Option<&str>,
) -> Result<Vec<MeasurementRow>> {
    patient(app, user, patient_id, "fhir.observation", rid).await?;
    Ok(app.storage.patient_measurements(patient_id, OBSERVATION_LIMIT).await?)
}

/// One page of the catalog (`DeviceDefinition`): no patient data, open to
/// every logged-in user like the catalog pages.
pub async fn definitions(app: &App, filter: &ArticleFilter) -> Result<(Vec<Article>, i64)> {
    if let Some(iso) = &filter.iso_prefix {
        if iso.is_empty() || iso.len() > 6 || !iso.bytes().all(|b| b.is_ascii_digit()) {
            return Err(AppError::invalid("classification", "invalid_iso_code", "an ISO 9999 code is 2 to 6 digits"));
        }
    }
    Ok(app.storage.article_page(filter).await?)
}

/// What a `DeviceRequest` to create says, read from its JSON by the web layer.
#[derive(Debug, Clone)]
pub struct NewDeviceRequest {
    pub personal_id: String,
    pub article_number: String,
    pub quantity: Option<i32>,
    pub goal: Option<String>,
    pub evaluation_date: Option<NaiveDate>,
}

/// Places a one-line order for the patient, exactly as `POST /api/v1/orders`
/// with `lines` does, and returns the created (or, for a replayed
/// `Idempotency-Key`, the earlier) line.
pub async fn create_request(
    app: &App,
    user: &User,
    req: &NewDeviceRequest,
    idempotency_key: Option<&str>,
    rid: Option<&str>,
) -> Result<(RequestLine, bool)> {
    let order = OrderRequest {
        target: None,
        personal_id: Some(req.personal_id.clone()),
        unit_id: None,
        goal: req.goal.clone(),
        evaluation_date: req.evaluation_date,
        end_date: None,
        lines: Some(vec![LineRequest {
            article_number: req.article_number.clone(),
            quantity: req.quantity,
            ..LineRequest::default()
        }]),
        place_of_use: None,
        delivery: None,
        channel: Some(ramp_domain::order::api_channel(None, ramp_domain::order::OrderTarget::Patient)?),
    };
    let PlacedOrder { order, replayed } = place_order(app, user, &order, idempotency_key, rid).await?;
    let patient_id = order.patient_id.ok_or_else(|| resource_not_found("DeviceRequest"))?;
    let lines = app.storage.request_lines(Some(patient_id), None).await?;
    let line = lines.into_iter().find(|l| l.order_id == order.id).ok_or_else(|| resource_not_found("DeviceRequest"))?;
    Ok((line, replayed))
}
