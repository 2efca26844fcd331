//! "Mina patienter", registering a patient and recording a change of
//! setting. Personal identity numbers travel in bodies, never in URLs.

use crate::error::ApiError;
use crate::extract::{ApiJson, ApiUser, RequestId};
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use ramp_app::model::MyPatient;
use ramp_app::patient_register::{self as uc, Registration};
use ramp_domain::Term;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct MyPatientDto {
    /// As written, e.g. `19121212-1212`.
    pub personal_id: String,
    pub given_name: String,
    pub family_name: String,
    /// ordinary | saebo | lss_housing | socialpsychiatry_housing | short_term_stay | day_care | daily_activity
    pub setting: Option<String>,
    pub open_orders: i64,
    /// Delivered orders whose evaluation date has come.
    pub evaluations_due: i64,
    pub devices_lent: i64,
}

impl From<&MyPatient> for MyPatientDto {
    fn from(p: &MyPatient) -> Self {
        Self {
            personal_id: p.personal_id.display(),
            given_name: p.given_name.clone(),
            family_name: p.family_name.clone(),
            setting: p.setting.map(|s| s.as_str().to_string()),
            open_orders: p.open_orders,
            evaluations_due: p.evaluations_due,
            devices_lent: p.devices_lent,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegistrationBody {
    /// Personnummer or samordningsnummer, e.g. `19121212-1212`.
    pub personal_id: String,
    pub given_name: String,
    pub family_name: String,
    /// The home municipality's code, e.g. `0186`.
    pub municipality: String,
    /// Where the patient lives or is from today (see `MyPatientDto.setting`).
    pub setting: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RegisteredDto {
    pub id: i64,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SettingBody {
    pub personal_id: String,
    pub setting: String,
    /// `YYYY-MM-DD`: from this day on.
    pub valid_from: String,
    /// Answers to the agreement's questions about the patient's lent devices,
    /// when a loan's new decision needs them (see `undecided` in the answer).
    #[serde(default)]
    pub facts: std::collections::BTreeMap<String, bool>,
}

/// What the change did to the patient's open loans (issue 22: the payer
/// follows the setting history from the day of the change).
#[derive(Debug, Serialize, ToSchema)]
pub struct SettingChangedDto {
    /// Loans whose payer (or deciding rule) changes from `valid_from`.
    pub payer_changes: Vec<PayerChangeDto>,
    /// Loans that keep their payer because the new decision needs facts.
    pub undecided: Vec<UndecidedLoanDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PayerChangeDto {
    pub device_number: String,
    pub article_name: String,
    pub from: chrono::NaiveDate,
    /// `region`, `municipality` or `patient`.
    pub payer_before: String,
    pub payer: String,
    pub rule: String,
    pub agreement_version: String,
    pub explanation_sv: String,
    pub explanation_en: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UndecidedLoanDto {
    pub device_number: String,
    pub article_name: String,
    /// The facts to give in `facts`, with the question in Swedish.
    pub needs: Vec<NeededFactDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NeededFactDto {
    pub fact: String,
    pub question_sv: String,
    pub question_en: String,
}

impl From<uc::SettingChanged> for SettingChangedDto {
    fn from(c: uc::SettingChanged) -> Self {
        let change = |p: uc::PayerChangeView| PayerChangeDto {
            device_number: p.device_number,
            article_name: p.article_name,
            from: p.from,
            payer_before: p.payer_before.as_str().to_string(),
            payer: p.payer.as_str().to_string(),
            rule: p.rule,
            agreement_version: p.agreement_version,
            explanation_sv: p.explanation_sv,
            explanation_en: p.explanation_en,
        };
        let undecided = |u: uc::UndecidedLoan| UndecidedLoanDto {
            device_number: u.device_number,
            article_name: u.article_name,
            needs: u
                .needs
                .into_iter()
                .map(|n| NeededFactDto { fact: n.fact, question_sv: n.question.sv, question_en: n.question.en })
                .collect(),
        };
        SettingChangedDto {
            payer_changes: c.payer_changes.into_iter().map(change).collect(),
            undecided: c.undecided.into_iter().map(undecided).collect(),
        }
    }
}

/// The patients the caller's unit has a care relationship with today, with
/// open orders, due evaluations and lent devices (audited as one read).
#[utoipa::path(get, path = "/api/v1/patients/mine", tag = "patients", security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "the unit's patients by name", body = [MyPatientDto]),
    (status = 403, description = "role_required (prescribers and orderers of personal devices), unit_required", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn mine(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
) -> Result<Json<Vec<MyPatientDto>>, ApiError> {
    let patients = uc::my_patients(&state.app, &user, Some(&rid)).await?;
    Ok(Json(patients.iter().map(MyPatientDto::from).collect()))
}

/// Registers a new patient with a setting and the caller's unit's care
/// relationship, both from today (prescribers at a unit).
#[utoipa::path(post, path = "/api/v1/patients", tag = "patients", request_body = RegistrationBody, security(("token" = []), ("session" = [])), responses(
    (status = 201, description = "registered", body = RegisteredDto),
    (status = 403, description = "role_required, unit_required", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 409, description = "patient_exists (field personal_id; audited)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "personal_id, given_name, family_name, municipality (invalid_municipality) or setting (invalid_setting) missing or invalid", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn register(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    ApiJson(b): ApiJson<RegistrationBody>,
) -> Result<(StatusCode, Json<RegisteredDto>), ApiError> {
    let r = Registration {
        personal_id: b.personal_id,
        given_name: b.given_name,
        family_name: b.family_name,
        municipality: b.municipality,
        setting: b.setting,
    };
    let id = uc::register_patient(&state.app, &user, &r, Some(&rid)).await?;
    Ok((StatusCode::CREATED, Json(RegisteredDto { id })))
}

/// Records where the patient lives or is from a day on; the setting open
/// then ends the day before (prescribers with a ground to read the patient).
/// Each device lent to the patient that day is decided again for the new
/// setting under the agreement then in force; where the payer changes, the
/// rent is billed to the new payer from that day.
#[utoipa::path(post, path = "/api/v1/patients/settings", tag = "patients", request_body = SettingBody, security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "recorded, with the loans whose payer changes and those that need facts", body = SettingChangedDto),
    (status = 403, description = "role_required, or no ground to read the patient (care_relationship_required; audited)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 409, description = "no_customer_number: a loan's new payer has no customer number to bill (nothing is written)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "setting (invalid_setting), valid_from (invalid_date), facts or personal_id invalid", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn change_setting(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    ApiJson(b): ApiJson<SettingBody>,
) -> Result<Json<SettingChangedDto>, ApiError> {
    let changed =
        uc::change_setting(&state.app, &user, &b.personal_id, &b.setting, &b.valid_from, &b.facts, Some(&rid)).await?;
    Ok(Json(changed.into()))
}
