//! The assistive-device centre over HTTP: receipts, pick lists, returns
//! and inspection, work orders, special adaptations and safety notices.
//! Rows are returned as the storage shapes them (plain data, documented
//! field by field in the storage crate).

use crate::error::ApiError;
use crate::extract::{ApiJson, ApiUser, RequestId};
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use ramp_app::dates::parse_optional_date;
use ramp_app::supply as s;
use ramp_app::AppError;
use serde::Deserialize;
use serde_json::{json, Value};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReceivedDeviceBody {
    pub article_number: String,
    pub device_number: String,
    pub serial: Option<String>,
    /// Öre (1 SEK = 100 öre).
    pub purchase_price_ore: i64,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReceivedQuantityBody {
    pub article_number: String,
    pub quantity: i32,
    pub unit_price_ore: i64,
    /// The batch (lot) number, where the package has one.
    pub batch: Option<String>,
    /// The batch's expiry date (`YYYY-MM-DD`), where it has one.
    pub expiry_date: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReceiptBody {
    pub warehouse_id: i64,
    /// The delivering supplier (default: the articles' own supplier).
    pub supplier_id: Option<i64>,
    /// The supplier's delivery note number.
    #[serde(default)]
    pub delivery_note: String,
    /// The purchase's own reference (default: the delivery note number).
    #[serde(default)]
    pub reference: String,
    /// Received against this open purchase order: its lines count what came.
    pub purchase_order_id: Option<i64>,
    /// `YYYY-MM-DD`; default today.
    pub purchase_date: Option<String>,
    #[serde(default)]
    pub devices: Vec<ReceivedDeviceBody>,
    #[serde(default)]
    pub consumables: Vec<ReceivedQuantityBody>,
}

pub(super) fn to_json(v: impl serde::Serialize) -> Result<Json<Value>, ApiError> {
    Ok(Json(serde_json::to_value(v).map_err(|e| AppError::internal("serialize", e))?))
}

/// Receives a supplier's delivery into a warehouse: new devices (device number, serial, price) and consumables (by count, with batch and expiry), optionally against a purchase order. Every line is checked before anything is written.
#[utoipa::path(post, path = "/api/v1/receipts", tag = "supply", request_body = ReceiptBody, security(("token" = []), ("session" = [])), responses(
    (status = 201, description = "received: `{\"receipt_id\": n}`", body = Object),
    (status = 409, description = "device_number_taken: nothing was received", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "invalid line, naming it (e.g. `devices[1].device_number`, `consumables[0].expiry_date`; `over_receipt`: more than the purchase order has outstanding)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn receive(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(b): ApiJson<ReceiptBody>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let mut consumables = Vec::with_capacity(b.consumables.len());
    for (i, c) in b.consumables.into_iter().enumerate() {
        let field = format!("consumables[{i}].expiry_date");
        consumables.push(s::ReceivedQuantity {
            article_number: c.article_number,
            quantity: c.quantity,
            unit_price_ore: c.unit_price_ore,
            batch: c.batch,
            expiry_date: parse_optional_date(&field, c.expiry_date.as_deref(), "2028-06-30")?,
        });
    }
    let req = s::ReceiptRequest {
        warehouse_id: b.warehouse_id,
        supplier_id: b.supplier_id,
        delivery_note: b.delivery_note,
        reference: b.reference,
        purchase_order_id: b.purchase_order_id,
        purchase_date: parse_optional_date("purchase_date", b.purchase_date.as_deref(), "2027-02-01")?,
        devices: b
            .devices
            .into_iter()
            .map(|d| s::ReceivedDevice {
                article_number: d.article_number,
                device_number: d.device_number,
                serial: d.serial,
                purchase_price_ore: d.purchase_price_ore,
            })
            .collect(),
        consumables,
    };
    let id = s::receive(&state.app, &user, &req).await?;
    Ok((StatusCode::CREATED, Json(json!({ "receipt_id": id }))))
}

/// Consumables counted in a warehouse.
#[utoipa::path(get, path = "/api/v1/warehouses/{id}/consumables", tag = "supply", params(("id" = i64, Path, description = "the warehouse")), security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "article, quantity", body = Object),
    (status = 401, description = "not logged in", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 403, description = "role_required", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "warehouse_not_found", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 503, description = "unavailable: the database cannot be reached (retry later)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn consumables(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    to_json(s::consumable_stock(&state.app, &user, id).await?)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReturnBody {
    pub device_number: String,
    /// The warehouse whose workshop receives it.
    pub warehouse_id: i64,
}

/// Receives a returned device into the workshop; its loan ends and its pickup order is collected.
#[utoipa::path(post, path = "/api/v1/returns", tag = "supply", request_body = ReturnBody, security(("token" = []), ("session" = [])), responses(
    (status = 204, description = "received"),
    (status = 409, description = "device_not_out", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn receive_return(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(b): ApiJson<ReturnBody>,
) -> Result<StatusCode, ApiError> {
    s::receive_return(&state.app, &user, &b.device_number, b.warehouse_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InspectionBody {
    /// recondition | scrap
    pub decision: String,
    pub note: Option<String>,
}

/// Inspects a returned device: to reconditioning (a work order) or scrapped; flags a passed service life.
#[utoipa::path(post, path = "/api/v1/devices/{device_number}/inspection", tag = "supply", request_body = InspectionBody, params(("device_number" = String, Path, description = "the device number")), security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "work_order_id, scrapped, past_service_life", body = Object),
    (status = 409, description = "not_in_workshop", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn inspect(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(number): Path<String>,
    ApiJson(b): ApiJson<InspectionBody>,
) -> Result<Json<Value>, ApiError> {
    let scrap = match b.decision.as_str() {
        "recondition" => false,
        "scrap" => true,
        other => {
            return Err(AppError::invalid(
                "decision",
                "invalid_decision",
                format!("unknown decision '{other}' (expected recondition or scrap)"),
            )
            .into())
        }
    };
    to_json(s::inspect(&state.app, &user, &number, scrap, b.note.as_deref().unwrap_or("")).await?)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WorkQuery {
    /// open | in_progress | done | cancelled
    pub status: Option<String>,
    /// repair | maintenance | reconditioning | special_adaptation | recall | consultation
    pub kind: Option<String>,
}

/// The technicians' queue, oldest first.
#[utoipa::path(get, path = "/api/v1/work-orders", tag = "supply", params(WorkQuery), security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "work orders with device, assignee and minutes recorded", body = Object),
    (status = 401, description = "not logged in", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 403, description = "role_required", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "invalid kind or status (field named)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 503, description = "unavailable: the database cannot be reached (retry later)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn work_orders(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<WorkQuery>,
) -> Result<Json<Value>, ApiError> {
    to_json(s::work_orders(&state.app, &user, q.status.as_deref(), q.kind.as_deref()).await?)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewWorkOrderBody {
    /// repair | maintenance | recall | special_adaptation | consultation
    pub kind: String,
    pub device_number: String,
    pub description: String,
}

/// Creates a work order for a device.
#[utoipa::path(post, path = "/api/v1/work-orders", tag = "supply", request_body = NewWorkOrderBody, security(("token" = []), ("session" = [])), responses(
    (status = 201, description = "`{\"id\": n}`", body = Object),
    (status = 401, description = "not logged in", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 403, description = "role_required", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "invalid input (field named)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 503, description = "unavailable: the database cannot be reached (retry later)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn create_work_order(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(b): ApiJson<NewWorkOrderBody>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let id = s::create_work_order(&state.app, &user, &b.kind, &b.device_number, &b.description).await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))))
}

/// One work order with its time and parts entries and adaptation documents.
#[utoipa::path(get, path = "/api/v1/work-orders/{id}", tag = "supply", params(("id" = i64, Path, description = "the work order")), security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "the work order", body = Object),
    (status = 401, description = "not logged in", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 403, description = "role_required", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "work_order_not_found", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 503, description = "unavailable: the database cannot be reached (retry later)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn work_order(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    to_json(s::work_order(&state.app, &user, id).await?)
}

/// Takes the work order: in progress, assigned to the caller.
#[utoipa::path(post, path = "/api/v1/work-orders/{id}/start", tag = "supply", params(("id" = i64, Path, description = "the work order")), security(("token" = []), ("session" = [])), responses(
    (status = 204, description = "started"),
    (status = 409, description = "invalid_status_change", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn start(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    s::start_work_order(&state.app, &user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EntryBody {
    #[serde(default)]
    pub minutes: i32,
    pub part_article_number: Option<String>,
    pub part_quantity: Option<i32>,
    pub note: Option<String>,
    /// Record the part although the stock is short (after the `part_out_of_stock` warning).
    #[serde(default)]
    pub confirm_without_stock: bool,
}

/// Records time and parts on a work order.
#[utoipa::path(post, path = "/api/v1/work-orders/{id}/entries", tag = "supply", request_body = EntryBody, params(("id" = i64, Path, description = "the work order")), security(("token" = []), ("session" = [])), responses(
    (status = 201, description = "`{\"id\": n}`", body = Object),
    (status = 401, description = "not logged in", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 403, description = "role_required", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "work_order_not_found", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 409, description = "part_out_of_stock (field part_article_number, `stock` in the details): confirm with confirm_without_stock", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "invalid input (field named)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 503, description = "unavailable: the database cannot be reached (retry later)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn add_entry(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<EntryBody>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let req = s::WorkEntryRequest {
        minutes: b.minutes,
        part_article_number: b.part_article_number,
        part_quantity: b.part_quantity,
        note: b.note,
        confirm_without_stock: b.confirm_without_stock,
    };
    let entry = s::add_work_entry(&state.app, &user, id, &req).await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": entry }))))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FinishBody {
    pub outcome: Option<String>,
}

/// Finishes a work order; reconditioning puts its device back in stock, a recall lifts the block.
#[utoipa::path(post, path = "/api/v1/work-orders/{id}/finish", tag = "supply", request_body = FinishBody, params(("id" = i64, Path, description = "the work order")), security(("token" = []), ("session" = [])), responses(
    (status = 204, description = "done"),
    (status = 409, description = "invalid_status_change, adaptation_unsigned, or checklist_incomplete (field checklist, the item named)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn finish(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<FinishBody>,
) -> Result<StatusCode, ApiError> {
    s::finish_work_order(&state.app, &user, id, b.outcome.as_deref()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdaptationBody {
    pub title: String,
    /// Free text (documents without `fields`): the adaptation and its risk assessment.
    #[serde(default)]
    pub content: String,
    /// The structured fields; given, the signed text is made from them.
    pub fields: Option<AdaptationFieldsBody>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdaptationFieldsBody {
    /// Patientens behov (required).
    pub patient_need: String,
    /// Mått.
    #[serde(default)]
    pub measurements: String,
    /// Utförda ändringar (required).
    pub changes_made: String,
    /// Material.
    #[serde(default)]
    pub materials: String,
    /// Riskbedömning (required).
    pub risk_assessment: String,
    /// Uppföljning, `YYYY-MM-DD`.
    pub follow_up_on: Option<String>,
}

impl AdaptationFieldsBody {
    fn into_fields(self) -> Result<ramp_domain::workshop::AdaptationFields, AppError> {
        Ok(ramp_domain::workshop::AdaptationFields {
            follow_up_on: parse_optional_date("fields.follow_up_on", self.follow_up_on.as_deref(), "2027-03-01")?,
            patient_need: self.patient_need,
            measurements: self.measurements,
            changes_made: self.changes_made,
            materials: self.materials,
            risk_assessment: self.risk_assessment,
        })
    }
}

/// Attaches the special adaptation's document; the device waits for the prescriber's signature (30 days).
#[utoipa::path(post, path = "/api/v1/work-orders/{id}/adaptation-documents", tag = "supply", request_body = AdaptationBody, params(("id" = i64, Path, description = "the special-adaptation work order")), security(("token" = []), ("session" = [])), responses(
    (status = 201, description = "`{\"id\": \"<32 hex digits>\"}`: the document's random public id", body = Object),
    (status = 401, description = "not logged in", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 403, description = "role_required", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "work_order_not_found", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "invalid input (field named)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 503, description = "unavailable: the database cannot be reached (retry later)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn attach(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<AdaptationBody>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let fields = b.fields.map(AdaptationFieldsBody::into_fields).transpose()?;
    let req = s::AdaptationRequest { title: b.title, content: b.content, fields };
    let doc = s::attach_adaptation(&state.app, &user, id, &req).await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": doc }))))
}

/// An adaptation document to read before signing (with its SHA-256 and
/// validity), by its random public id. Read by the workshop staff and by
/// the prescriber of the device's patient (a ground to read the patient,
/// or, before delivery, the one who ordered it); every read and refusal is
/// audited as `adaptation.read`.
#[utoipa::path(get, path = "/api/v1/adaptation-documents/{id}", tag = "supply", params(("id" = String, Path, description = "the document's public id (32 hex digits)")), security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "the document", body = Object),
    (status = 403, description = "role_required, not_your_prescription or care_relationship_required (audited as refused)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "document_not_found", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn document(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    to_json(s::adaptation_document(&state.app, &user, &id, Some(&rid)).await?)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignatureBody {
    /// The SHA-256 of the document as read (hex).
    pub sha256: String,
    /// The signer's password again (re-authentication at signing).
    #[serde(default)]
    pub password: String,
}

/// The prescriber approves and signs the adaptation document they read.
#[utoipa::path(post, path = "/api/v1/adaptation-documents/{id}/signature", tag = "supply", request_body = SignatureBody, params(("id" = String, Path, description = "the document's public id")), security(("token" = []), ("session" = [])), responses(
    (status = 204, description = "signed: the device is a Specialanpassad produkt, CE marking void"),
    (status = 409, description = "signing_window_passed or already_signed", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "document_changed (field sha256); wrong_password or required (field password, audited as adaptation.sign.reauth_refused)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 429, description = "too_many_attempts: wrong passwords count with the account's failed logins; wait `Retry-After` seconds", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn sign(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<SignatureBody>,
) -> Result<StatusCode, ApiError> {
    let how = s::Reauthentication::Password(b.password);
    s::sign_adaptation(&state.app, &user, &id, &b.sha256, &how, Some(&rid)).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SafetyNoticeBody {
    pub reference: String,
    pub title: String,
    pub article_numbers: Vec<String>,
}

/// Registers a safety notice: recall work orders for every affected device; affected stock is blocked.
#[utoipa::path(post, path = "/api/v1/safety-notices", tag = "supply", request_body = SafetyNoticeBody, security(("token" = []), ("session" = [])), responses(
    (status = 201, description = "`{\"id\": n}`", body = Object),
    (status = 409, description = "reference_taken", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn register_notice(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(b): ApiJson<SafetyNoticeBody>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let req = s::SafetyNoticeRequest { reference: b.reference, title: b.title, article_numbers: b.article_numbers };
    let id = s::register_safety_notice(&state.app, &user, &req).await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))))
}

/// Safety notices with progress (affected, handled).
#[utoipa::path(get, path = "/api/v1/safety-notices", tag = "supply", security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "the notices", body = Object),
    (status = 401, description = "not logged in", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 403, description = "role_required", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 503, description = "unavailable: the database cannot be reached (retry later)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn notices(State(state): State<AppState>, ApiUser(user): ApiUser) -> Result<Json<Value>, ApiError> {
    to_json(s::safety_notices(&state.app, &user).await?)
}

/// One notice: every affected device, where it is, and its recall's status.
#[utoipa::path(get, path = "/api/v1/safety-notices/{id}", tag = "supply", params(("id" = i64, Path, description = "the notice")), security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "`{\"notice\": …, \"devices\": […]}`", body = Object),
    (status = 401, description = "not logged in", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 403, description = "role_required", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "safety_notice_not_found", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 503, description = "unavailable: the database cannot be reached (retry later)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn notice(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    let (notice, devices) = s::safety_notice(&state.app, &user, id).await?;
    to_json(json!({ "notice": notice, "devices": devices }))
}
