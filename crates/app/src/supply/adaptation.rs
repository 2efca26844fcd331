//! Special adaptation ("specialanpassning"): the technician attaches the
//! adaptation document; the prescriber approves and signs exactly that
//! document (its SHA-256) within 30 days. Until then the device cannot be
//! delivered. Signed, the device is a "Specialanpassad produkt" with its
//! CE marking void, and the document stays archived with it.

use super::require;
use crate::access::authorize_patient_read;
use crate::error::{AppError, Result};
use crate::App;
use chrono::Days;
use ramp_domain::role::Role;
use ramp_model::{AdaptationSignature, Id, NewAdaptationDocument, StorageError, User};
use sha2::{Digest, Sha256};

/// How long an adaptation document waits for the prescriber's signature.
pub const SIGNING_DAYS: u64 = 30;

#[derive(Debug, Clone, Default)]
pub struct AdaptationRequest {
    pub title: String,
    /// The adaptation and its risk assessment, as text.
    pub content: String,
}

pub fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// Attaches the document to a special-adaptation work order; returns its id.
pub async fn attach_adaptation(app: &App, user: &User, work_order_id: Id, req: &AdaptationRequest) -> Result<Id> {
    require(user, &[Role::Technician], "documenting a special adaptation")?;
    let title = req.title.trim();
    if title.is_empty() || title.chars().count() > 200 {
        return Err(AppError::invalid("title", "required", "give the document a title (at most 200 characters)"));
    }
    if req.content.trim().chars().count() < 20 || req.content.len() > 100_000 {
        return Err(AppError::invalid(
            "content",
            "required",
            "describe the adaptation and its risk assessment (20 characters to 100 kB)",
        ));
    }
    let order = app.storage.work_order(work_order_id).await?.ok_or_else(|| {
        AppError::not_found(Some("id"), "work_order_not_found", format!("no work order {work_order_id}"))
    })?;
    let device_id =
        order.device_id.ok_or_else(|| AppError::conflict("no_device", "the work order concerns no device"))?;
    let today = app.today();
    let d = NewAdaptationDocument {
        work_order_id,
        device_id,
        title: title.into(),
        content: req.content.clone(),
        sha256: sha256_hex(&req.content),
        uploaded_by: user.id,
        at: app.clock.now(),
        valid_until: today.checked_add_days(Days::new(SIGNING_DAYS)).unwrap_or(today),
    };
    app.storage.attach_adaptation(&d).await.map_err(|e| match e {
        StorageError::StateMismatch(m) => AppError::conflict("not_a_special_adaptation", m).with_field("id"),
        other => other.into(),
    })
}

/// An adaptation document to read: HMC staff and prescribers.
pub async fn adaptation_document(app: &App, user: &User, id: Id) -> Result<ramp_model::AdaptationDocument> {
    if !user.is_hmc() && !user.has_role(Role::Prescriber) {
        return Err(AppError::forbidden("role_required", "adaptation documents are for the centre and prescribers"));
    }
    app.storage
        .adaptation_document(id)
        .await?
        .ok_or_else(|| AppError::not_found(Some("id"), "document_not_found", format!("no adaptation document {id}")))
}

/// The adaptation documents archived with a device, for its card: HMC
/// staff and prescribers see them (others get none), newest last.
pub async fn adaptation_documents_of_device(
    app: &App,
    user: &User,
    device_id: Id,
) -> Result<Vec<ramp_model::AdaptationDocument>> {
    if !user.is_hmc() && !user.has_role(Role::Prescriber) {
        return Ok(vec![]);
    }
    Ok(app.storage.adaptation_documents_for_device(device_id).await?)
}

/// The prescriber approves and signs the document they read (`sha256` as shown to them).
pub async fn sign_adaptation(
    app: &App,
    user: &User,
    document_id: Id,
    sha256: &str,
    request_id: Option<&str>,
) -> Result<()> {
    if !user.has_role(Role::Prescriber) {
        return Err(AppError::forbidden("prescriber_role_required", "the prescriber approves and signs an adaptation"));
    }
    let doc = app.storage.adaptation_document(document_id).await?.ok_or_else(|| {
        AppError::not_found(Some("id"), "document_not_found", format!("no adaptation document {document_id}"))
    })?;
    match app.storage.device_patient_id(doc.device_id).await? {
        Some(pid) => {
            authorize_patient_read(app, user, pid, "adaptation.sign", request_id).await?;
        }
        None if !app.storage.device_ordered_by(doc.device_id, user.id).await? => {
            return Err(AppError::forbidden(
                "not_your_prescription",
                "only the prescriber who ordered the device, or one with a care relationship with its patient, signs",
            ));
        }
        None => {}
    }
    let s = AdaptationSignature {
        document_id,
        sha256: sha256.trim().to_lowercase(),
        signed_by: user.id,
        at: app.clock.now(),
        on: app.today(),
    };
    app.storage.sign_adaptation(&s).await.map_err(|e| match e {
        StorageError::StateMismatch(reason) => match reason.as_str() {
            "already_signed" => AppError::conflict("already_signed", "the adaptation is already signed"),
            "signing_window_passed" => AppError::conflict(
                "signing_window_passed",
                format!("the document had to be signed by {}; the technician must issue a new one", doc.valid_until),
            ),
            _ => AppError::invalid("sha256", "document_changed", "the document is not the one you read; read it again"),
        },
        other => other.into(),
    })
}
