//! The product page over HTTP: `GET /api/v1/articles/{id}` (any logged-in
//! user) and, with a patient in view, `POST /api/v1/articles/{id}/for-patient`
//! (the personal identity number in the body, never in the URL; the read
//! is audited as `catalog.product`) which adds who would pay.

use super::dto::ArticleDto;
use super::orders_dto::{parse_place, DecisionDto, NeededFactDto};
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiUser, RequestId};
use crate::AppState;
use axum::extract::{Path, State};
use axum::Json;
use ramp_app::orders::PayerAnswer;
use ramp_app::product::{Comparison, PatientRef, ProductPage};
use ramp_app::AppError;
use ramp_domain::Term;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// One technical property: its key (fixed list), names and value.
#[derive(Debug, Serialize, ToSchema)]
pub struct TechnicalDto {
    /// e.g. `max_user_weight_kg`
    pub key: String,
    pub name_sv: String,
    pub name_en: String,
    /// e.g. `kg`; absent for a property without a unit.
    pub unit: Option<String>,
    pub value: String,
}

fn technical(rows: &[ramp_domain::product::TechRow]) -> Vec<TechnicalDto> {
    rows.iter()
        .map(|r| TechnicalDto {
            key: r.key.as_str().into(),
            name_sv: r.key.name_sv().into(),
            name_en: r.key.name_en().into(),
            unit: r.key.unit().map(str::to_string),
            value: r.value.clone(),
        })
        .collect()
}

/// An article of the replacement group, side by side with the others.
#[derive(Debug, Serialize, ToSchema)]
pub struct EquivalentDto {
    pub article: ArticleDto,
    pub in_stock: i64,
    pub technical_data: Vec<TechnicalDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GroupDto {
    pub code: String,
    pub name: String,
    /// A fixed group substitutes the oldest equivalent in stock without asking.
    pub fixed: bool,
}

/// What prescribing the article takes, and whether the caller has it.
#[derive(Debug, Serialize, ToSchema)]
pub struct RequirementDto {
    pub product_area_sv: String,
    pub product_area_en: String,
    /// The competence (the product area's code) a prescriber must hold; absent: none.
    pub competence: Option<String>,
    pub caller_is_prescriber: bool,
    /// The caller holds the competence, valid today (true when none is needed).
    pub caller_holds_competence: bool,
}

/// Who would pay for the article for the patient.
#[derive(Debug, Serialize, ToSchema)]
pub struct PayerDto {
    /// decided | needs_answers | refused
    pub outcome: String,
    pub decision: Option<DecisionDto>,
    /// The agreement's questions (answered in the order step).
    pub needs: Vec<NeededFactDto>,
    /// Why not orderable here for this patient (`refused`).
    pub code: Option<String>,
    pub message: Option<String>,
}

impl From<&PayerAnswer> for PayerDto {
    fn from(a: &PayerAnswer) -> Self {
        let empty = PayerDto { outcome: String::new(), decision: None, needs: vec![], code: None, message: None };
        match a {
            PayerAnswer::Decided { decision } => {
                PayerDto { outcome: "decided".into(), decision: Some(DecisionDto::from(decision)), ..empty }
            }
            PayerAnswer::NeedsAnswers { needs } => PayerDto {
                outcome: "needs_answers".into(),
                needs: needs
                    .iter()
                    .map(|n| NeededFactDto {
                        fact: n.fact.clone(),
                        question_sv: n.question.sv.clone(),
                        question_en: n.question.en.clone(),
                    })
                    .collect(),
                ..empty
            },
            PayerAnswer::Refused { code, message, .. } => PayerDto {
                outcome: "refused".into(),
                code: Some(code.to_string()),
                message: Some(message.clone()),
                ..empty
            },
        }
    }
}

/// The patient in view (their identity number is not echoed).
#[derive(Debug, Serialize, ToSchema)]
pub struct PatientViewDto {
    pub name: String,
    /// The patient's setting today.
    pub setting: Option<String>,
    /// The place of use the payer is decided for.
    pub place_of_use: Option<String>,
    /// care_relationship | emergency_access | hmc_role: the ground of the (audited) read.
    pub access: String,
    pub payer: PayerDto,
}

/// Everything the product page shows.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProductDto {
    pub article: ArticleDto,
    pub in_stock: i64,
    /// The product type's picture (SVG served by Ramp), if there is one.
    pub image_url: Option<String>,
    pub image_alt_sv: Option<String>,
    pub image_alt_en: Option<String>,
    pub technical_data: Vec<TechnicalDto>,
    pub handbook_text: Option<String>,
    pub requirement: RequirementDto,
    pub group: Option<GroupDto>,
    /// The group's articles still in the assortment, this one included, oldest first.
    pub equivalents: Vec<EquivalentDto>,
    /// Present when asked for a patient (`POST …/for-patient`).
    pub patient: Option<PatientViewDto>,
}

fn equivalents(c: &Comparison) -> Vec<EquivalentDto> {
    c.articles
        .iter()
        .map(|a| EquivalentDto {
            article: ArticleDto::from(&a.article),
            in_stock: a.in_stock,
            technical_data: technical(&a.technical_data),
        })
        .collect()
}

impl From<&ProductPage> for ProductDto {
    fn from(p: &ProductPage) -> Self {
        let r = &p.requirement;
        ProductDto {
            article: ArticleDto::from(&p.article),
            in_stock: p.in_stock,
            image_url: p.image.as_ref().map(|_| format!("/catalog/images/{}.svg", p.article.iso_code.as_str())),
            image_alt_sv: p.image.as_ref().map(|i| i.alt_sv.clone()),
            image_alt_en: p.image.as_ref().map(|i| i.alt_en.clone()),
            technical_data: technical(&p.technical_data),
            handbook_text: p.handbook_text.clone(),
            requirement: RequirementDto {
                product_area_sv: r.area_sv.clone(),
                product_area_en: r.area_en.clone(),
                competence: r.competence.clone(),
                caller_is_prescriber: r.is_prescriber,
                caller_holds_competence: r.held,
            },
            group: p.group.as_ref().map(|g| GroupDto { code: g.code.clone(), name: g.name.clone(), fixed: g.fixed }),
            equivalents: equivalents(&p.equivalents),
            patient: p.for_patient.as_ref().map(|f| PatientViewDto {
                name: f.patient.name.clone(),
                setting: f.patient.setting.map(|s| s.as_str().to_string()),
                place_of_use: f.place_of_use.map(|s| s.as_str().to_string()),
                access: f.patient.ground.as_str().to_string(),
                payer: PayerDto::from(&f.payer),
            }),
        }
    }
}

/// The patient the page is asked for.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ForPatientBody {
    /// The patient's personnummer or samordningsnummer.
    pub personal_id: String,
    /// Where the device would be used, which decides who pays: ordinary |
    /// saebo | lss_housing | socialpsychiatry_housing | short_term_stay |
    /// day_care | daily_activity. Default: the patient's setting today.
    pub place_of_use: Option<String>,
}

fn article_id(id: &str) -> Result<i64, AppError> {
    id.trim().parse().map_err(|_| AppError::not_found(Some("id"), "article_not_found", format!("no article {id}")))
}

/// The product page of a catalog article: facts, stock, lead time,
/// picture, technical data, handbook text, prescribing requirements and
/// the replacement group's equivalents side by side.
#[utoipa::path(get, path = "/api/v1/articles/{id}", tag = "catalog", params(("id" = i64, Path, description = "the article's id")), security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "the product page", body = ProductDto),
    (status = 404, description = "article_not_found", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn get_one(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    Path(id): Path<String>,
) -> Result<Json<ProductDto>, ApiError> {
    let p = ramp_app::product::product_page(&state.app, &user, article_id(&id)?, None, Some(&rid)).await?;
    Ok(Json(ProductDto::from(&p)))
}

/// The product page for a patient in view: as `GET /api/v1/articles/{id}`
/// plus who would pay for the article for this patient at the place of
/// use (the order preview's cost decision, for a lasting need). A read of
/// the patient: a prescriber with a care relationship (or emergency
/// access), audited as `catalog.product`.
#[utoipa::path(post, path = "/api/v1/articles/{id}/for-patient", tag = "catalog", request_body = ForPatientBody, params(("id" = i64, Path, description = "the article's id")), security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "the product page with the patient and payer", body = ProductDto),
    (status = 403, description = "prescriber_role_required, no care relationship", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "article_not_found, or no such patient", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "invalid personal_id or place_of_use, naming the field", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn for_patient(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ForPatientBody>,
) -> Result<Json<ProductDto>, ApiError> {
    let id = article_id(&id)?;
    let place_of_use = body.place_of_use.as_deref().map(parse_place).transpose().map_err(AppError::from)?;
    let patient = PatientRef { personal_id: body.personal_id, place_of_use };
    let p = ramp_app::product::product_page(&state.app, &user, id, Some(&patient), Some(&rid)).await?;
    Ok(Json(ProductDto::from(&p)))
}
