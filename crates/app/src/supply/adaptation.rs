//! Special adaptation ("specialanpassning"): the technician attaches the
//! adaptation document; the prescriber approves and signs exactly that
//! document (its SHA-256) within 30 days. Until then the device cannot be
//! delivered. Signed, the device is a "Specialanpassad produkt" with its
//! CE marking void, and the document stays archived with it.

use super::{require, WORKSHOP_STAFF};
use crate::access::{audit, authorize_patient_read};
use crate::error::{AppError, Result};
use crate::App;
use chrono::Days;
use ramp_domain::role::Role;
use ramp_domain::workshop::AdaptationFields;
use ramp_model::{AccessReason, AdaptationDocument, AdaptationSignature, DeviceCard, Id, NewAdaptationDocument};
use ramp_model::{StorageError, User};
use sha2::{Digest, Sha256};

/// How long an adaptation document waits for the prescriber's signature.
pub const SIGNING_DAYS: u64 = 30;

#[derive(Debug, Clone, Default)]
pub struct AdaptationRequest {
    pub title: String,
    /// The adaptation and its risk assessment, as free text (documents
    /// without `fields`, as before issue 19).
    pub content: String,
    /// The structured fields; given, the signed text is made from them.
    pub fields: Option<AdaptationFields>,
}

/// How the signer proves again, at the moment of signing, that they are
/// who the session says: their password (local accounts), or a fresh
/// authentication at the identity provider (OIDC step-up).
#[derive(Debug, Clone)]
pub enum Reauthentication {
    Password(String),
    IdentityProvider(StepUpProof),
}

/// Made only by the OIDC callback after it verified a fresh `auth_time`
/// for the same user, so no other path can claim a step-up.
#[derive(Debug, Clone)]
pub struct StepUpProof(pub(crate) ());

pub fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// A new document's public id: 128 random bits as 32 hex digits, so ids
/// cannot be guessed or counted through.
fn new_public_id() -> String {
    crate::auth::random_token()[..32].to_string()
}

/// Attaches the document to a special-adaptation work order; returns its
/// public id.
pub async fn attach_adaptation(app: &App, user: &User, work_order_id: Id, req: &AdaptationRequest) -> Result<String> {
    require(user, &[Role::Technician], "documenting a special adaptation")?;
    let title = req.title.trim();
    if title.is_empty() || title.chars().count() > 200 {
        return Err(AppError::invalid("title", "required", "give the document a title (at most 200 characters)"));
    }
    let fields = req.fields.clone();
    if let Some((field, code)) = fields.as_ref().and_then(AdaptationFields::invalid) {
        let code = if code == "required" { "required" } else { "too_long" };
        return Err(AppError::invalid(field, code, format!("fill in {field} (3 to 10,000 characters)")));
    }
    let content = fields.as_ref().map_or_else(|| req.content.clone(), AdaptationFields::text);
    if content.trim().chars().count() < 20 || content.len() > 100_000 {
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
        public_id: new_public_id(),
        work_order_id,
        device_id,
        title: title.into(),
        sha256: sha256_hex(&content),
        content,
        fields,
        uploaded_by: user.id,
        at: app.clock.now(),
        valid_until: today.checked_add_days(Days::new(SIGNING_DAYS)).unwrap_or(today),
    };
    app.storage.attach_adaptation(&d).await.map(|_| d.public_id.clone()).map_err(|e| match e {
        StorageError::StateMismatch(m) => AppError::conflict("not_a_special_adaptation", m).with_field("id"),
        other => other.into(),
    })
}

fn document_not_found() -> AppError {
    AppError::not_found(Some("id"), "document_not_found", "no such adaptation document")
}

/// The workshop staff (and administrators) read every adaptation document.
fn is_workshop(user: &User) -> bool {
    require(user, WORKSHOP_STAFF, "reading adaptation documents").is_ok()
}

/// An adaptation document to read, by its public id: the workshop staff,
/// or the prescriber of the device's patient — one with a ground to read
/// the patient the device is lent to, or, before it reaches the patient,
/// the prescriber who ordered it. Every read and refusal is audited
/// (`adaptation.read`, the document's public id in the detail).
pub async fn adaptation_document(
    app: &App,
    user: &User,
    public_id: &str,
    request_id: Option<&str>,
) -> Result<AdaptationDocument> {
    const ACTION: &str = "adaptation.read";
    let doc = app.storage.adaptation_document(public_id.trim()).await?.ok_or_else(document_not_found)?;
    let detail = Some(format!("document {}", doc.public_id));
    let patient = app.storage.device_patient_id(doc.device_id).await?;
    let reason = if is_workshop(user) {
        AccessReason::HmcRole
    } else if !user.has_role(Role::Prescriber) {
        audit(app, user, patient, &format!("{ACTION}.refused"), AccessReason::None, detail, request_id).await?;
        return Err(AppError::forbidden(
            "role_required",
            "adaptation documents are read by the workshop and the patient's prescriber",
        ));
    } else if let Some(pid) = patient {
        let granted = crate::access::authorize_patient_read_deferred(app, user, pid, ACTION, request_id).await?;
        granted.reason
    } else if app.storage.device_ordered_by(doc.device_id, user.id).await? {
        AccessReason::OrderCreator
    } else {
        audit(app, user, None, &format!("{ACTION}.refused"), AccessReason::None, detail, request_id).await?;
        return Err(AppError::forbidden(
            "not_your_prescription",
            "only the prescriber who ordered the device, or one with a care relationship with its patient, reads it",
        ));
    };
    audit(app, user, patient, ACTION, reason, detail, request_id).await?;
    Ok(doc)
}

/// The adaptation documents archived with a device, for its card (oldest
/// first): the workshop staff see them; a prescriber when the card's read
/// was granted on the device's patient (already audited as `device.card`)
/// or, before the device reaches a patient, when they ordered it. Others
/// get none.
pub async fn adaptation_documents_of_device(
    app: &App,
    user: &User,
    card: &DeviceCard,
) -> Result<Vec<AdaptationDocument>> {
    let device = &card.device;
    let may = is_workshop(user)
        || user.has_role(Role::Prescriber)
            && match device.patient_id {
                Some(_) => true,
                None => app.storage.device_ordered_by(device.id, user.id).await?,
            };
    if !may {
        return Ok(vec![]);
    }
    Ok(app.storage.adaptation_documents_for_device(device.id).await?)
}

/// Checks the signer's re-authentication; a wrong or missing password is
/// refused on the field `password` and audited (`adaptation.sign.reauth_refused`);
/// wrong passwords count with the account's failed logins and are throttled as they are.
async fn reauthenticate(
    app: &App,
    user: &User,
    how: &Reauthentication,
    doc: &str,
    request_id: Option<&str>,
) -> Result<&'static str> {
    let password = match how {
        Reauthentication::IdentityProvider(_) => return Ok("identity_provider"),
        Reauthentication::Password(p) => p,
    };
    if password.is_empty() {
        return Err(AppError::invalid("password", "required", "enter your password to sign"));
    }
    let stored = app.storage.user_by_username(&user.username).await?.and_then(|u| u.password_hash);
    let Some(hash) = stored else {
        return Err(AppError::invalid(
            "password",
            "no_local_password",
            "your account has no local password; sign in again through the identity provider",
        ));
    };
    if crate::auth::check_password_again(app, &user.username, password, &hash).await? {
        return Ok("password");
    }
    let detail = Some(format!("document {doc}: wrong password"));
    audit(app, user, None, "adaptation.sign.reauth_refused", AccessReason::None, detail, request_id).await?;
    Err(AppError::invalid("password", "wrong_password", "the password is wrong; the document is not signed"))
}

/// The prescriber approves and signs the document they read (`sha256` as
/// shown to them), proving who they are again (`how`). The prescriber who
/// ordered the device and the warehouse are notified in the same write.
pub async fn sign_adaptation(
    app: &App,
    user: &User,
    public_id: &str,
    sha256: &str,
    how: &Reauthentication,
    request_id: Option<&str>,
) -> Result<()> {
    if !user.has_role(Role::Prescriber) {
        return Err(AppError::forbidden("prescriber_role_required", "the prescriber approves and signs an adaptation"));
    }
    let doc = app.storage.adaptation_document(public_id.trim()).await?.ok_or_else(document_not_found)?;
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
    let via = reauthenticate(app, user, how, &doc.public_id, request_id).await?;
    let s = AdaptationSignature {
        via: via.into(),
        document_id: doc.id,
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

/// An adaptation document with the names a printout shows.
#[derive(Debug, Clone)]
pub struct PrintableAdaptation {
    pub doc: AdaptationDocument,
    pub device_number: Option<String>,
    pub uploaded_by: String,
    pub signed_by: Option<String>,
}

/// The document to print (PDF), read as [`adaptation_document`] (audited).
pub async fn printable_adaptation(
    app: &App,
    user: &User,
    public_id: &str,
    request_id: Option<&str>,
) -> Result<PrintableAdaptation> {
    let doc = adaptation_document(app, user, public_id, request_id).await?;
    let name = |u: Option<User>| u.map(|u| u.display_name);
    let uploaded_by = name(app.storage.user_by_id(doc.uploaded_by).await?).unwrap_or_default();
    let signed_by = match doc.signed_by {
        Some(id) => name(app.storage.user_by_id(id).await?),
        None => None,
    };
    let device_number = app.storage.work_order(doc.work_order_id).await?.and_then(|o| o.device_number);
    Ok(PrintableAdaptation { doc, device_number, uploaded_by, signed_by })
}
