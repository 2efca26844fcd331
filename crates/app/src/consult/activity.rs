//! Consultation activities: opened by a prescriber for a patient they may
//! read (a care relationship, audited), read by them and by the centre's
//! consultants (audited), listed without patient data.

use super::slots::service;
use crate::access::{audit, authorize_patient_read, authorize_patient_read_deferred, patient_to_read, write_audit};
use crate::error::{AppError, Result};
use crate::App;
use ramp_domain::consult::{booking_deadline, is_overdue, ConsultationStatus};
use ramp_domain::role::Role;
use ramp_model::{
    AccessReason, Consultation, ConsultationService, ConsultationSummary, Id, NewConsultation, OutboxMessage, User,
};
use serde::Serialize;

/// What opening an activity asks for.
#[derive(Debug, Clone, Default)]
pub struct NewConsultationRequest {
    pub personal_id: String,
    pub service_code: String,
    /// What the prescriber wants help with.
    pub question: String,
}

/// An activity as its reader sees it.
#[derive(Debug, Clone, Serialize)]
pub struct ConsultationView {
    pub consultation: Consultation,
    pub service: ConsultationService,
    pub patient_name: String,
    /// The confirmation messages written for it.
    pub messages: Vec<OutboxMessage>,
    /// On what ground the caller sees the patient (written to the audit log).
    pub access: AccessReason,
}

/// Whether `user` may book, cancel or rebook this activity: the prescriber
/// who opened it, or a consultant.
pub(crate) fn may_act(user: &User, c: &Consultation) -> bool {
    user.id == c.prescriber_id || user.has_role(Role::Consultant)
}

/// Opens an activity. Only prescribers, for a patient with a ground to
/// read (audited as `consultation.create`); it must be booked within three days.
pub async fn create_consultation(
    app: &App,
    user: &User,
    req: &NewConsultationRequest,
    request_id: Option<&str>,
) -> Result<ConsultationView> {
    if !user.has_role(Role::Prescriber) {
        return Err(AppError::forbidden("prescriber_role_required", "consultations are requested by prescribers"));
    }
    let service = service(app, &req.service_code, "service_code").await?;
    let question = req.question.trim();
    if question.chars().count() < 5 {
        return Err(AppError::invalid(
            "question",
            "required",
            "describe what you need help with (at least 5 characters)",
        ));
    }
    if question.chars().count() > 2000 {
        return Err(AppError::invalid("question", "too_long", "at most 2,000 characters"));
    }
    let patient = patient_to_read(app, user, &req.personal_id, "consultation.create", request_id).await?;
    authorize_patient_read(app, user, patient.id, "consultation.create", request_id).await?;
    let now = app.clock.now();
    let id = app
        .storage
        .create_consultation(&NewConsultation {
            patient_id: patient.id,
            prescriber_id: user.id,
            unit_id: user.unit_id,
            service_code: service.code,
            question: question.to_string(),
            at: now,
            booking_deadline: booking_deadline(now),
        })
        .await?;
    view(app, user, id, "consultation.read", request_id).await
}

/// Reads an activity as `user`, closing it first if its deadline passed
/// without a booking. Audited under `action`.
pub(crate) async fn view(
    app: &App,
    user: &User,
    id: Id,
    action: &str,
    request_id: Option<&str>,
) -> Result<ConsultationView> {
    let c = load(app, id).await?;
    let access = authorize_patient_read(app, user, c.patient_id, action, request_id).await?;
    if c.status == ConsultationStatus::Open && is_overdue(c.booking_deadline, app.clock.now()) {
        app.storage.close_unbooked_consultations(app.clock.now()).await?;
        return assemble(app, load(app, id).await?, access).await;
    }
    assemble(app, c, access).await
}

/// Reads an activity to book, rebook or cancel it (`action`): a ground to
/// read the patient, and the user must be its prescriber or a consultant.
/// The audit row says what happened: granted, or refused — also when the
/// patient may be read but the activity is not the user's to change.
pub(crate) async fn view_to_act(
    app: &App,
    user: &User,
    id: Id,
    action: &str,
    request_id: Option<&str>,
) -> Result<ConsultationView> {
    let c = load(app, id).await?;
    let granted = authorize_patient_read_deferred(app, user, c.patient_id, action, request_id).await?;
    if !may_act(user, &c) {
        let refused = format!("{action}.refused");
        let detail = Some("not_your_consultation".to_string());
        audit(app, user, Some(c.patient_id), &refused, AccessReason::None, detail, request_id).await?;
        return Err(AppError::forbidden(
            "not_your_consultation",
            "only the prescriber who opened the consultation, or a consultant, books, rebooks or cancels it",
        ));
    }
    write_audit(app, &granted).await?;
    if c.status == ConsultationStatus::Open && is_overdue(c.booking_deadline, app.clock.now()) {
        app.storage.close_unbooked_consultations(app.clock.now()).await?;
        return assemble(app, load(app, id).await?, granted.reason).await;
    }
    assemble(app, c, granted.reason).await
}

/// Builds the view of an activity already authorized on `access`.
pub(crate) async fn assemble(app: &App, c: Consultation, access: AccessReason) -> Result<ConsultationView> {
    let patient = app
        .storage
        .patient_by_id(c.patient_id)
        .await?
        .ok_or_else(|| AppError::not_found(None, "patient_not_found", "the consultation's patient is gone"))?;
    let service = service(app, &c.service_code, "service_code").await?;
    let messages = app.storage.outbox_for_consultation(c.id).await?;
    Ok(ConsultationView {
        service,
        patient_name: format!("{} {}", patient.given_name, patient.family_name),
        messages,
        access,
        consultation: c,
    })
}

pub(crate) async fn load(app: &App, id: Id) -> Result<Consultation> {
    app.storage.consultation(id).await?.ok_or_else(|| {
        AppError::not_found(Some("consultation_id"), "consultation_not_found", format!("no consultation {id}"))
    })
}

/// Reads one activity (audited as `consultation.read`).
pub async fn consultation(app: &App, user: &User, id: Id, request_id: Option<&str>) -> Result<ConsultationView> {
    view(app, user, id, "consultation.read", request_id).await
}

/// The caller's activities: a prescriber's own, newest first; a
/// consultant's booked slots, soonest first. No patient data, so no audit.
/// Overdue ones are closed first (a write only when there is one).
pub async fn my_consultations(app: &App, user: &User) -> Result<Vec<ConsultationSummary>> {
    let now = app.clock.now();
    let mut list = mine(app, user).await?;
    if list.iter().any(|c| c.status == ConsultationStatus::Open && is_overdue(c.booking_deadline, now)) {
        app.storage.close_unbooked_consultations(now).await?;
        list = mine(app, user).await?;
    }
    Ok(list)
}

async fn mine(app: &App, user: &User) -> Result<Vec<ConsultationSummary>> {
    let mut out = Vec::new();
    if user.has_role(Role::Consultant) {
        out.extend(app.storage.consultations_for_consultant(user.id, 200).await?);
    }
    if user.has_role(Role::Prescriber) {
        out.extend(app.storage.consultations_by_prescriber(user.id, 200).await?);
    }
    Ok(out)
}
