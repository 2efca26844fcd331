//! A patient's fee statement ("avgiftsspecifikation"). Like the other
//! patient endpoints it is a POST with the personal identity number in the
//! body, never in the URL.

use crate::error::ApiError;
use crate::extract::{ApiJson, ApiUser, RequestId};
use crate::AppState;
use axum::extract::State;
use axum::Json;
use chrono::{DateTime, NaiveDate, Utc};
use ramp_app::fees::FeeStatement;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FeeStatementBody {
    /// Personnummer or samordningsnummer, e.g. `19121212-1212`.
    pub personal_id: String,
    /// First day of the statement, `YYYY-MM-DD`; default: twelve months before `to`.
    pub from: Option<String>,
    /// Last day of the statement, `YYYY-MM-DD`, at the latest today (default).
    pub to: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FeeLineDto {
    pub source_key: String,
    pub due_on: NaiveDate,
    pub order_line_id: i64,
    pub fee_id: String,
    /// short_term | yearly | one_off
    pub kind: String,
    pub name_sv: String,
    pub name_en: String,
    pub article_name: String,
    /// The fee-table version that priced it, e.g. `stockholm 2026-01-01`.
    pub fee_table: String,
    pub list_amount_ore: i64,
    pub amount_ore: i64,
    /// charged | cap_reached | free_card | exempt_age
    pub outcome: String,
    pub recorded_at: Option<DateTime<Utc>>,
    /// The patient invoice that bills the fee, once one does (e.g. `P2026000001`).
    pub invoice_number: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CapPeriodDto {
    pub from: NaiveDate,
    /// Last day of the 12-month period.
    pub to: NaiveDate,
    pub cap_ore: i64,
    pub paid_ore: i64,
    /// The day the free card ("frikort") began, if the cap was reached.
    pub free_card_from: Option<NaiveDate>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FeeStatementDto {
    pub patient_id: i64,
    pub age: u32,
    pub region: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub lines: Vec<FeeLineDto>,
    pub total_ore: i64,
    pub cap_period: Option<CapPeriodDto>,
    /// Charges recorded by this call; 0 when the statement is opened again.
    pub newly_recorded: u64,
    /// care_relationship | emergency_access | hmc_role
    pub access: String,
}

impl From<&FeeStatement> for FeeStatementDto {
    fn from(s: &FeeStatement) -> Self {
        Self {
            patient_id: s.patient.id,
            age: s.age,
            region: s.region.clone(),
            from: s.from,
            to: s.to,
            lines: s
                .lines
                .iter()
                .map(|l| FeeLineDto {
                    source_key: l.charge.source_key.clone(),
                    due_on: l.charge.due_on,
                    order_line_id: l.charge.line_id,
                    fee_id: l.charge.fee_id.clone(),
                    kind: l.charge.kind.as_str().into(),
                    name_sv: l.charge.name_sv.clone(),
                    name_en: l.charge.name_en.clone(),
                    article_name: l.charge.article_name.clone(),
                    fee_table: l.charge.table.clone(),
                    list_amount_ore: l.charge.list_amount.0,
                    amount_ore: l.charge.amount.0,
                    outcome: l.charge.outcome.as_str().into(),
                    recorded_at: l.recorded_at,
                    invoice_number: l.invoice_number.clone(),
                })
                .collect(),
            total_ore: s.total.0,
            cap_period: s.cap_period.as_ref().map(|p| CapPeriodDto {
                from: p.from,
                to: p.to,
                cap_ore: p.cap.0,
                paid_ore: p.paid.0,
                free_card_from: p.free_card_from,
            }),
            newly_recorded: s.newly_recorded,
            access: s.access.as_str().into(),
        }
    }
}

/// The patient's fee statement: every fee due in the period under the
/// region's fee table, the fee cap (högkostnadsskydd) and the age
/// exemptions, and the cap period in force at its end. Records the fees due
/// through today, once each. Needs a care relationship, a declared
/// emergency access or an HMC role; every call writes an audit row.
#[utoipa::path(post, path = "/api/v1/patients/fee-statement", tag = "patients", request_body = FeeStatementBody, security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "the statement", body = FeeStatementDto),
    (status = 403, description = "no care relationship (code care_relationship_required)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "no such patient", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "invalid personal identity number or period (field personal_id, from or to)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn fee_statement(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    ApiJson(body): ApiJson<FeeStatementBody>,
) -> Result<Json<FeeStatementDto>, ApiError> {
    let s = ramp_app::fees::fee_statement(
        &state.app,
        &user,
        &body.personal_id,
        body.from.as_deref(),
        body.to.as_deref(),
        Some(&rid),
    )
    .await?;
    Ok(Json(FeeStatementDto::from(&s)))
}
