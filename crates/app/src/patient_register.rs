//! The prescriber's own patients ("Mina patienter"), registering a new
//! patient, and a patient's setting history.
//!
//! Who: users placed at a unit who order for patients (prescribers and the
//! orderers of personal devices) see their unit's patients; prescribers
//! register patients (the registration starts their unit's care
//! relationship) and record a change of setting for a patient they have a
//! ground to read. Every list, registration and change is audited; an
//! attempt to register a number that is registered already is audited as
//! refused.

use crate::access::{audit, authorize_patient_read, patient_to_read};
use crate::error::{AppError, Result};
use crate::impact::cost_kind;
use crate::patients::parse_personal_id;
use crate::App;
use ramp_domain::cost::{DecisionRequest, Need, NeededFact, Outcome, Patient as CostPatient, Payer, Product};
use ramp_domain::ids::IsoCode;
use ramp_domain::role::Role;
use ramp_domain::setting::Setting;
use ramp_domain::Term;
use ramp_model::{AccessReason, Id, LoanPayerChange, MyPatient, NewAuditEntry, NewPatientRegistration, User};
use std::collections::BTreeMap;

/// The roles that order for patients and so have patients of their own.
const ORDERS_FOR_PATIENTS: &[Role] = &[Role::Prescriber, Role::PersonalOrdererHealth, Role::PersonalOrdererSocial];

fn unit_of(user: &User, roles: &[Role], what: &str) -> Result<Id> {
    if !roles.iter().any(|r| user.has_role(*r)) {
        return Err(AppError::forbidden("role_required", format!("{what} is for prescribers and orderers at a unit")));
    }
    user.unit_id.ok_or_else(|| AppError::forbidden("unit_required", format!("{what} needs a unit of care")))
}

/// The patients the user's unit has a care relationship with today, with
/// open orders, evaluations due and devices lent. One audit row says the
/// list was read and how long it was.
pub async fn my_patients(app: &App, user: &User, request_id: Option<&str>) -> Result<Vec<MyPatient>> {
    let unit = unit_of(user, ORDERS_FOR_PATIENTS, "the list of your patients")?;
    let patients = app.storage.my_patients(unit, app.today()).await?;
    let detail = Some(format!("{} patients", patients.len()));
    audit(app, user, None, "patient.list_mine", AccessReason::CareRelationship, detail, request_id).await?;
    Ok(patients)
}

/// A registration as the form or client gives it.
#[derive(Debug, Clone, Default)]
pub struct Registration {
    pub personal_id: String,
    pub given_name: String,
    pub family_name: String,
    /// The home municipality's code, e.g. `0186`.
    pub municipality: String,
    pub setting: String,
}

fn name(field: &str, value: &str) -> Result<String> {
    let v = value.trim();
    if v.is_empty() {
        return Err(AppError::invalid(field, "required", "enter the name"));
    }
    if v.chars().count() > 100 || v.chars().any(char::is_control) {
        return Err(AppError::invalid(field, "invalid_name", "at most 100 characters, no control characters"));
    }
    Ok(v.to_string())
}

fn setting(value: &str) -> Result<Setting> {
    if value.trim().is_empty() {
        return Err(AppError::invalid("setting", "required", "choose where the patient lives or is"));
    }
    Ok(Setting::parse(value.trim())?)
}

/// Registers a new patient with their setting from today and the user's
/// unit's care relationship from today; returns the patient's id. A number
/// registered already is refused (`patient_exists`) and audited.
pub async fn register_patient(app: &App, user: &User, r: &Registration, request_id: Option<&str>) -> Result<Id> {
    let unit = unit_of(user, &[Role::Prescriber], "registering a patient")?;
    let personal_id = parse_personal_id(app, &r.personal_id)?;
    let (given_name, family_name) = (name("given_name", &r.given_name)?, name("family_name", &r.family_name)?);
    let code = r.municipality.trim();
    let municipality = match app.storage.principal_by_code(code).await? {
        Some(p) if p.kind == "municipality" => p.id,
        _ if code.is_empty() => return Err(AppError::invalid("municipality", "required", "choose the municipality")),
        _ => return Err(AppError::invalid("municipality", "invalid_municipality", "no municipality has this code")),
    };
    let setting = setting(&r.setting)?;
    let new = NewPatientRegistration {
        birth_date: personal_id.birth_date(),
        personal_id,
        given_name,
        family_name,
        municipality_id: municipality,
        setting,
        unit_id: unit,
        on: app.today(),
        at: app.clock.now(),
    };
    let registered = NewAuditEntry {
        occurred_at: new.at,
        user_id: user.id,
        patient_id: None,
        action: "patient.register".into(),
        reason: AccessReason::CareRelationship,
        detail: Some(format!("setting {}", setting.as_str())),
        request_id: request_id.map(str::to_string),
    };
    match app.storage.register_patient(&new, &registered).await? {
        Some(id) => Ok(id),
        None => {
            let existing = app.storage.patient_by_personal_id(&new.personal_id).await?.map(|p| p.id);
            let detail = Some("already_registered".to_string());
            audit(app, user, existing, "patient.register.refused", AccessReason::None, detail, request_id).await?;
            Err(AppError::conflict("patient_exists", "a patient with this personal identity number is registered")
                .with_field("personal_id"))
        }
    }
}

/// What a change of setting did to the patient's open loans.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct SettingChanged {
    /// Loans whose payer or rule changes from the day of the change.
    pub payer_changes: Vec<PayerChangeView>,
    /// Loans the agreement cannot re-decide without more facts: their payer
    /// stays as it was; give the facts and record the change again.
    pub undecided: Vec<UndecidedLoan>,
}

/// One loan's new payer, as shown to the prescriber.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PayerChangeView {
    pub device_number: String,
    pub article_name: String,
    pub from: chrono::NaiveDate,
    pub payer_before: Payer,
    pub payer: Payer,
    pub rule: String,
    pub agreement_version: String,
    pub explanation_sv: String,
    pub explanation_en: String,
}

/// A loan whose new decision needs facts.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct UndecidedLoan {
    pub device_number: String,
    pub article_name: String,
    pub needs: Vec<NeededFact>,
}

/// Records that the patient lives or is somewhere else from `from`
/// (`YYYY-MM-DD`): for a prescriber with a ground to read the patient.
/// Each loan open that day is decided again under the agreement in force on
/// `from` for the new setting; where the payer or rule differs, the loan's
/// payer changes from `from` (issue 22) — in the same transaction.
pub async fn change_setting(
    app: &App,
    user: &User,
    personal_id: &str,
    setting_code: &str,
    from: &str,
    facts: &BTreeMap<String, bool>,
    request_id: Option<&str>,
) -> Result<SettingChanged> {
    if !user.has_role(Role::Prescriber) {
        return Err(AppError::forbidden("role_required", "prescribers record a patient's setting"));
    }
    let new_setting = setting(setting_code)?;
    let from = crate::dates::parse_date("valid_from", from, "2026-12-01")?;
    const ACTION: &str = "patient.setting_change";
    let patient = patient_to_read(app, user, personal_id, ACTION, request_id).await?;
    authorize_patient_read(app, user, patient.id, ACTION, request_id).await?;
    let (changes, outcome) = redecide_loans(app, &patient, new_setting, from, facts).await?;
    app.storage.change_setting(patient.id, new_setting, from, &changes).await?;
    Ok(outcome)
}

/// The new payer periods of the patient's loans open on `from`.
async fn redecide_loans(
    app: &App,
    patient: &ramp_model::Patient,
    setting: Setting,
    from: chrono::NaiveDate,
    facts: &BTreeMap<String, bool>,
) -> Result<(Vec<LoanPayerChange>, SettingChanged)> {
    let loans = app.storage.open_loan_payers(patient.id, from).await?;
    if loans.is_empty() {
        return Ok((Vec::new(), SettingChanged::default()));
    }
    let accounts = app.storage.payer_accounts(patient.id).await?;
    let agreements = app.agreements.current();
    let (mut changes, mut outcome) = (Vec::new(), SettingChanged::default());
    for loan in loans {
        let mut facts = facts.clone();
        // As when ordering: a catalog article as delivered is not specially adapted.
        facts.entry("special_adapted".into()).or_insert(false);
        let iso = loan.iso_code.as_deref().map(IsoCode::parse).transpose().ok().flatten();
        let req = DecisionRequest {
            region: app.config.agreement_region.clone(),
            date: from,
            patient: CostPatient::BirthDate(patient.birth_date),
            setting,
            product: Product { iso, kind: cost_kind(loan.kind), facts },
            need: Need::Lasting,
        };
        let decision = match agreements.decide(&req) {
            Ok(Outcome::Decision(d)) => d,
            Ok(Outcome::Needs(needs)) => {
                let (device_number, article_name) = (loan.device_number, loan.article_name);
                outcome.undecided.push(UndecidedLoan { device_number, article_name, needs });
                continue;
            }
            // Outside the agreement (not covered, no version that day): the payer stays.
            Err(_) => continue,
        };
        if (decision.payer, decision.rule.as_str()) == (loan.payer, loan.rule_id.as_str()) {
            continue;
        }
        let account = match decision.payer {
            Payer::Municipality => accounts.municipality,
            Payer::Region | Payer::Patient => accounts.region,
        };
        let Some(customer_number_id) = account else {
            return Err(AppError::conflict("no_customer_number", "the new payer has no customer number to bill"));
        };
        changes.push(LoanPayerChange {
            loan_id: loan.loan_id,
            from,
            setting,
            payer: decision.payer,
            customer_number_id,
            rule_id: decision.rule.clone(),
            agreement_version: decision.agreement.version.clone(),
        });
        outcome.payer_changes.push(PayerChangeView {
            device_number: loan.device_number,
            article_name: loan.article_name,
            from,
            payer_before: loan.payer,
            payer: decision.payer,
            rule: decision.rule,
            agreement_version: decision.agreement.version,
            explanation_sv: decision.explanation.sv,
            explanation_en: decision.explanation.en,
        });
    }
    Ok((changes, outcome))
}

/// The municipalities a patient may live in, as (code, name), for the
/// registration form.
pub async fn municipalities(app: &App) -> Result<Vec<(String, String)>> {
    let principals = app.storage.principals().await?;
    Ok(principals.into_iter().filter(|p| p.kind == "municipality").map(|p| (p.code, p.name)).collect())
}
