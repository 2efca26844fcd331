//! The audit-log review over HTTP, for audit reviewers only: a filtered,
//! keyset-paged search (a patient is named in the body of a POST, never
//! in the URL), a patient's log extract as JSON or CSV, and the
//! emergency-access review list with its sign-off. Every call is itself
//! written to the audit log.

use super::figures::Csv;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiUser, RequestId};
use crate::i18n::Lang;
use crate::ui::audit_text::{action_label, legal_ground_label, outcome_label};
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, NaiveDate, Utc};
use ramp_app::audit_review::{self as uc, AuditFilter, AuditPage, LogExtract, ReviewRow};
use ramp_app::model::EmergencyAccessRecord;
use ramp_domain::audit::csv_safe;
use ramp_domain::Term;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Filters of a search; all optional, combined with AND.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AuditSearchBody {
    /// The patient's personnummer or samordningsnummer.
    pub personal_id: Option<String>,
    /// The user's username.
    pub user: Option<String>,
    /// The HSA id of the unit the user acted for.
    pub unit: Option<String>,
    /// First day, `YYYY-MM-DD` (Swedish time).
    pub from: Option<String>,
    /// Last day, inclusive.
    pub to: Option<String>,
    /// `care_relationship`, `emergency_access`, `hmc_role` or `none`.
    pub legal_ground: Option<String>,
    /// `granted` or `refused`.
    pub outcome: Option<String>,
    /// The `next` of the previous page.
    pub after: Option<String>,
    /// Rows a page, 1–200 (default 50).
    pub limit: Option<i64>,
}

/// The same filters without a patient, for `GET /api/v1/audit`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AuditParams {
    pub user: Option<String>,
    pub unit: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub legal_ground: Option<String>,
    pub outcome: Option<String>,
    pub after: Option<String>,
    pub limit: Option<i64>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LogExtractBody {
    pub personal_id: String,
    /// First day, `YYYY-MM-DD`; the whole history when left out.
    pub from: Option<String>,
    /// Last day, inclusive.
    pub to: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EmergencyParams {
    /// `unreviewed` (default) or `all`.
    pub status: Option<String>,
    /// The `next` of the previous page.
    pub after: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignOffBody {
    /// `justified` or `unjustified`.
    pub verdict: String,
    /// What the review found (3–1,000 characters).
    pub comment: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PatientRefDto {
    pub personal_id: String,
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditRowDto {
    pub id: i64,
    pub occurred_at: DateTime<Utc>,
    pub username: String,
    pub user_name: String,
    /// The unit the user acted for.
    pub unit: Option<String>,
    pub patient: Option<PatientRefDto>,
    /// What was done, e.g. `patient.overview`; refusals end in `.refused`.
    pub action: String,
    /// `care_relationship`, `emergency_access`, `hmc_role` or `none`.
    pub legal_ground: String,
    /// `granted` or `refused`.
    pub outcome: String,
    /// `no_care_relationship`, `emergency_access`.
    pub flags: Vec<String>,
    pub detail: Option<String>,
    pub request_id: Option<String>,
}

impl From<&ReviewRow> for AuditRowDto {
    fn from(r: &ReviewRow) -> Self {
        let e = &r.record.entry;
        Self {
            id: e.id,
            occurred_at: e.occurred_at,
            username: r.record.username.clone(),
            user_name: r.record.user_name.clone(),
            unit: r.record.unit_name.clone(),
            patient: r.record.patient.as_ref().map(|p| PatientRefDto {
                personal_id: p.personal_id.display(),
                name: format!("{} {}", p.given_name, p.family_name),
            }),
            action: e.action.clone(),
            legal_ground: e.reason.as_str().into(),
            outcome: r.outcome.as_str().into(),
            flags: r.flags.iter().map(|f| f.as_str().to_string()).collect(),
            detail: e.detail.clone(),
            request_id: e.request_id.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditPageDto {
    /// Newest first.
    pub rows: Vec<AuditRowDto>,
    /// Send as `after` for the next page; absent on the last page.
    pub next: Option<String>,
}

impl From<&AuditPage> for AuditPageDto {
    fn from(p: &AuditPage) -> Self {
        Self { rows: p.rows.iter().map(AuditRowDto::from).collect(), next: p.next.clone() }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LogExtractDto {
    pub patient: PatientRefDto,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub made_at: DateTime<Utc>,
    pub rows: Vec<AuditRowDto>,
    /// More than 10,000 rows: the newest are given; ask for a shorter period.
    pub truncated: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SignOffDto {
    pub reviewed_by: String,
    pub reviewed_at: DateTime<Utc>,
    /// `justified` or `unjustified`.
    pub verdict: String,
    pub comment: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EmergencyAccessDto {
    pub id: i64,
    pub username: String,
    pub user_name: String,
    pub unit: Option<String>,
    pub patient: PatientRefDto,
    /// Why, from the fixed list: urgent_care | unregistered_care_relationship | device_safety | other.
    pub category: String,
    /// The reason the user gave.
    pub reason: String,
    pub granted_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// Reads of the patient's data under it.
    pub uses: i64,
    pub sign_off: Option<SignOffDto>,
}

impl From<&EmergencyAccessRecord> for EmergencyAccessDto {
    fn from(e: &EmergencyAccessRecord) -> Self {
        Self {
            id: e.id,
            username: e.username.clone(),
            user_name: e.user_name.clone(),
            unit: e.unit_name.clone(),
            patient: PatientRefDto {
                personal_id: e.patient.personal_id.display(),
                name: format!("{} {}", e.patient.given_name, e.patient.family_name),
            },
            category: e.category.as_str().into(),
            reason: e.reason.clone(),
            granted_at: e.granted_at,
            expires_at: e.expires_at,
            uses: e.uses,
            sign_off: e.review.as_ref().map(|r| SignOffDto {
                reviewed_by: r.reviewer_name.clone(),
                reviewed_at: r.reviewed_at,
                verdict: r.verdict.as_str().into(),
                comment: r.comment.clone(),
            }),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EmergencyPageDto {
    pub accesses: Vec<EmergencyAccessDto>,
    pub next: Option<String>,
}

/// Searches the audit log: who did what with whose data, when, on what
/// legal ground and with what outcome; newest first, a page at a time.
/// Audit reviewers only; the search is itself audited.
#[utoipa::path(post, path = "/api/v1/audit/search", tag = "audit", request_body = AuditSearchBody, security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "a page of rows", body = AuditPageDto),
    (status = 403, description = "role_required (audit_reviewer)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "patient_not_found, user_not_found, unit_not_found (field named)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "invalid_personal_id, invalid_date, after_to, invalid_legal_ground, invalid_outcome, invalid_cursor, invalid_limit (field named)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn search(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    ApiJson(b): ApiJson<AuditSearchBody>,
) -> Result<Json<AuditPageDto>, ApiError> {
    let filter = AuditFilter {
        personal_id: b.personal_id,
        user: b.user,
        unit: b.unit,
        from: b.from,
        to: b.to,
        legal_ground: b.legal_ground,
        outcome: b.outcome,
        after: b.after,
        limit: b.limit,
    };
    Ok(Json(AuditPageDto::from(&uc::search(&state.app, &user, &filter, Some(&rid)).await?)))
}

/// The same search without a patient, its filters in the query string.
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditParams), security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "a page of rows", body = AuditPageDto),
    (status = 403, description = "role_required (audit_reviewer)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "an invalid filter (field named)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    Query(p): Query<AuditParams>,
) -> Result<Json<AuditPageDto>, ApiError> {
    let filter = AuditFilter {
        personal_id: None,
        user: p.user,
        unit: p.unit,
        from: p.from,
        to: p.to,
        legal_ground: p.legal_ground,
        outcome: p.outcome,
        after: p.after,
        limit: p.limit,
    };
    Ok(Json(AuditPageDto::from(&uc::search(&state.app, &user, &filter, Some(&rid)).await?)))
}

async fn extract(
    state: &AppState,
    user: &ramp_app::model::User,
    b: &LogExtractBody,
    rid: &str,
) -> Result<LogExtract, ApiError> {
    Ok(uc::log_extract(&state.app, user, &b.personal_id, b.from.as_deref(), b.to.as_deref(), Some(rid)).await?)
}

/// A patient's log extract ("loggutdrag"): every logged access to the
/// patient's data in the period, newest first. Audited.
#[utoipa::path(post, path = "/api/v1/audit/log-extract", tag = "audit", request_body = LogExtractBody, security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "the extract", body = LogExtractDto),
    (status = 403, description = "role_required (audit_reviewer)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "patient_not_found", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "invalid_personal_id, invalid_date, after_to", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn log_extract(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    ApiJson(b): ApiJson<LogExtractBody>,
) -> Result<Json<LogExtractDto>, ApiError> {
    let x = extract(&state, &user, &b, &rid).await?;
    Ok(Json(LogExtractDto {
        patient: PatientRefDto {
            personal_id: x.patient.personal_id.display(),
            name: format!("{} {}", x.patient.given_name, x.patient.family_name),
        },
        from: x.from,
        to: x.to,
        made_at: x.made_at,
        rows: x.rows.iter().map(AuditRowDto::from).collect(),
        truncated: x.truncated,
    }))
}

/// The log extract as CSV for Swedish Excel (`;`, BOM, CRLF), in Swedish;
/// every cell that a spreadsheet would read as a formula starts with `'`.
pub(crate) fn extract_csv(x: &LogExtract) -> Csv {
    let lang = Lang::Sv;
    let mut csv = Csv::new(
        format!("loggutdrag-{}.csv", x.made_at.format("%Y%m%d")),
        &["Tidpunkt", "Användare", "Enhet", "Händelse", "Rättslig grund", "Utfall"],
    );
    for r in &x.rows {
        let e = &r.record.entry;
        let cells = [
            ramp_domain::time::stockholm(e.occurred_at).format("%Y-%m-%d %H:%M").to_string(),
            r.record.user_name.clone(),
            r.record.unit_name.clone().unwrap_or_default(),
            action_label(lang, &e.action),
            legal_ground_label(lang, e.reason).to_string(),
            outcome_label(lang, r.outcome).to_string(),
        ];
        csv.row(cells.iter().map(|c| csv_safe(c)));
    }
    csv
}

/// The log extract as CSV for Swedish Excel, formula cells neutralised.
#[utoipa::path(post, path = "/api/v1/audit/log-extract.csv", tag = "audit", request_body = LogExtractBody, security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "Tidpunkt;Användare;Enhet;Händelse;Rättslig grund;Utfall", body = String, content_type = "text/csv"),
    (status = 403, description = "role_required (audit_reviewer)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "patient_not_found", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn log_extract_csv(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    ApiJson(b): ApiJson<LogExtractBody>,
) -> Result<Response, ApiError> {
    Ok(extract_csv(&extract(&state, &user, &b, &rid).await?).into_response())
}

/// Emergency accesses for review, newest first, with how often each was
/// used and its sign-off. Audited.
#[utoipa::path(get, path = "/api/v1/audit/emergency-accesses", tag = "audit", params(EmergencyParams), security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "a page of emergency accesses", body = EmergencyPageDto),
    (status = 403, description = "role_required (audit_reviewer)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "invalid_status, invalid_cursor", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn emergency_accesses(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    Query(p): Query<EmergencyParams>,
) -> Result<Json<EmergencyPageDto>, ApiError> {
    let unreviewed = match p.status.as_deref().unwrap_or("unreviewed") {
        "unreviewed" => true,
        "all" => false,
        _ => {
            let e = ramp_app::AppError::invalid("status", "invalid_status", "expected unreviewed or all");
            return Err(ApiError(e));
        }
    };
    let page = uc::emergency_accesses(&state.app, &user, unreviewed, p.after.as_deref(), Some(&rid)).await?;
    Ok(Json(EmergencyPageDto {
        accesses: page.accesses.iter().map(EmergencyAccessDto::from).collect(),
        next: page.next,
    }))
}

/// Signs off an emergency access with a verdict and a comment, once.
/// Nobody signs off their own. The sign-off is audited.
#[utoipa::path(post, path = "/api/v1/audit/emergency-accesses/{id}/sign-off", tag = "audit", request_body = SignOffBody, params(("id" = i64, Path, description = "the emergency access")), security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "signed off", body = EmergencyAccessDto),
    (status = 403, description = "role_required, own_emergency_access", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "emergency_access_not_found", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 409, description = "already_signed_off", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "invalid_verdict, comment_required", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn sign_off(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<SignOffBody>,
) -> Result<Json<EmergencyAccessDto>, ApiError> {
    let e = uc::sign_off(&state.app, &user, id, &b.verdict, &b.comment, Some(&rid)).await?;
    Ok(Json(EmergencyAccessDto::from(&e)))
}
