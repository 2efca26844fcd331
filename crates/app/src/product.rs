//! The product page of a catalog article: its row with stock, picture,
//! technical data, handbook text, what a prescriber needs to prescribe it
//! (and whether the user has it), its replacement group's articles side by
//! side, and — with a patient in view — who would pay for it for that
//! patient. [`compare`] is the side-by-side table alone, which the order
//! preview shows for a replacement proposal.

use crate::error::{AppError, Result};
use crate::orders::{payer_for_patient, PayerAnswer};
use crate::patients::PatientInView;
use crate::App;
use ramp_domain::product::{TechKey, TechRow};
use ramp_domain::setting::Setting;
use ramp_domain::Term;
use ramp_model::{Article, ArticleDetails, Id, ProductImage, User};
use serde::Serialize;
use std::collections::HashMap;

/// One article of a comparison: its row, stock now and technical data.
#[derive(Debug, Clone, Serialize)]
pub struct Compared {
    pub article: Article,
    pub in_stock: i64,
    pub technical_data: Vec<TechRow>,
}

impl Compared {
    /// The value of `key`, if the article states it.
    pub fn value(&self, key: TechKey) -> Option<&str> {
        self.technical_data.iter().find(|r| r.key == key).map(|r| r.value.as_str())
    }
}

/// Articles side by side, and the technical keys any of them states (in
/// the order of [`TechKey`]), so that the table's rows line up.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    pub articles: Vec<Compared>,
    pub keys: Vec<TechKey>,
}

/// What prescribing the article takes: the product area's competence
/// (the regional prescriber training), and whether the user holds it today.
#[derive(Debug, Clone, Serialize)]
pub struct Requirement {
    pub area_sv: String,
    pub area_en: String,
    /// `None`: anyone with the prescriber role may prescribe it.
    pub competence: Option<String>,
    pub is_prescriber: bool,
    /// The user holds the competence, valid today (true when none is needed).
    pub held: bool,
}

/// The replacement group the article belongs to.
#[derive(Debug, Clone, Serialize)]
pub struct GroupInfo {
    pub code: String,
    pub name: String,
    /// A fixed group substitutes the oldest equivalent without asking.
    pub fixed: bool,
}

/// The patient in view and who would pay for the article for them.
#[derive(Debug, Clone, Serialize)]
pub struct ForPatient {
    pub patient: PatientInView,
    /// The place of use the answer is for (the patient's setting today unless chosen).
    pub place_of_use: Option<Setting>,
    pub payer: PayerAnswer,
}

/// Everything the product page shows.
#[derive(Debug, Clone, Serialize)]
pub struct ProductPage {
    pub article: Article,
    pub in_stock: i64,
    pub technical_data: Vec<TechRow>,
    pub handbook_text: Option<String>,
    /// The product type has a picture (served at `/catalog/images/{iso_code}.svg`).
    pub image: Option<ImageText>,
    pub requirement: Requirement,
    pub group: Option<GroupInfo>,
    /// The group's articles still in the assortment, this one included, oldest first.
    pub equivalents: Comparison,
    pub for_patient: Option<ForPatient>,
}

/// A picture's alternative text.
#[derive(Debug, Clone, Serialize)]
pub struct ImageText {
    pub alt_sv: String,
    pub alt_en: String,
}

/// The patient the page is opened for, as posted (never in a URL).
#[derive(Debug, Clone, Default)]
pub struct PatientRef {
    pub personal_id: String,
    pub place_of_use: Option<Setting>,
}

fn article_not_found(id: Id) -> AppError {
    AppError::not_found(Some("id"), "article_not_found", format!("no article {id}"))
}

/// Articles side by side, in the order given (unknown ids are left out).
pub async fn compare(app: &App, ids: &[Id]) -> Result<Comparison> {
    let (hits, details) = tokio::try_join!(app.storage.article_hits(ids), app.storage.article_details(ids))?;
    let mut details: HashMap<Id, ArticleDetails> = details.into_iter().map(|d| (d.article_id, d)).collect();
    let mut by_id: HashMap<Id, ramp_model::ArticleHit> = hits.into_iter().map(|h| (h.article.id, h)).collect();
    let articles: Vec<Compared> = ids
        .iter()
        .filter_map(|id| by_id.remove(id))
        .map(|h| Compared {
            technical_data: details.remove(&h.article.id).map(|d| d.technical_data).unwrap_or_default(),
            article: h.article,
            in_stock: h.in_stock,
        })
        .collect();
    let keys = TechKey::ALL
        .iter()
        .copied()
        .filter(|k| articles.iter().any(|a| a.technical_data.iter().any(|r| r.key == *k)))
        .collect();
    Ok(Comparison { articles, keys })
}

/// Articles side by side by article number (the order preview's proposal).
pub async fn compare_numbers(app: &App, numbers: &[&str]) -> Result<Comparison> {
    let mut ids = Vec::with_capacity(numbers.len());
    for n in numbers {
        if let Some(a) = app.storage.article_by_number(n).await? {
            ids.push(a.id);
        }
    }
    compare(app, &ids).await
}

async fn requirement(app: &App, user: &User, article: &Article) -> Result<Requirement> {
    let areas = app.storage.product_areas().await?;
    let area = areas.iter().find(|a| a.code == article.product_area);
    let competence = area.and_then(|a| a.required_competence.clone());
    let held = match &competence {
        Some(c) if user.competences.contains(c) => app.storage.competence_valid_on(user.id, c, app.today()).await?,
        Some(_) => false,
        None => true,
    };
    Ok(Requirement {
        area_sv: area.map(|a| a.name_sv.clone()).unwrap_or_default(),
        area_en: area.map(|a| a.name_en.clone()).unwrap_or_default(),
        competence,
        is_prescriber: user.has_role(ramp_domain::role::Role::Prescriber),
        held,
    })
}

/// The group and its members still in the assortment today (this article always).
async fn equivalents(app: &App, article: &Article) -> Result<(Option<GroupInfo>, Comparison)> {
    let Some(group) = app.storage.replacement_group_of(article.id).await? else {
        return Ok((None, compare(app, &[article.id]).await?));
    };
    let mut comparison = compare(app, &group.members).await?;
    let today = app.today();
    comparison.articles.retain(|c| c.article.id == article.id || c.article.valid_to.is_none_or(|to| to >= today));
    let info = GroupInfo { code: group.code, name: group.name, fixed: group.fixed };
    Ok((Some(info), comparison))
}

/// The product page of article `id`. Every logged-in user may read it;
/// with `patient`, the user must be a prescriber who may read that patient
/// (audited as `catalog.product`) and the page says who would pay.
pub async fn product_page(
    app: &App,
    user: &User,
    id: Id,
    patient: Option<&PatientRef>,
    request_id: Option<&str>,
) -> Result<ProductPage> {
    let hit = app.storage.article_hits(&[id]).await?.pop().ok_or_else(|| article_not_found(id))?;
    let article = hit.article;
    let for_patient = match patient {
        Some(p) => {
            let (patient, payer) =
                payer_for_patient(app, user, &p.personal_id, p.place_of_use, &article, request_id).await?;
            let place_of_use = p.place_of_use.or(patient.setting);
            Some(ForPatient { patient, place_of_use, payer })
        }
        None => None,
    };
    let iso = article.iso_code.as_str().to_string();
    let (details, image, requirement, (group, equivalents)) = tokio::try_join!(
        async { Ok::<_, AppError>(app.storage.article_details(&[id]).await?.pop().unwrap_or_default()) },
        async { Ok::<_, AppError>(app.storage.product_image(&iso).await?) },
        requirement(app, user, &article),
        equivalents(app, &article),
    )?;
    Ok(ProductPage {
        in_stock: hit.in_stock,
        technical_data: details.technical_data,
        handbook_text: details.handbook_text,
        image: image.map(|i| ImageText { alt_sv: i.alt_sv, alt_en: i.alt_en }),
        requirement,
        group,
        equivalents,
        for_patient,
        article,
    })
}

/// The picture of a product type (six-digit ISO 9999 code), for any logged-in user.
pub async fn product_image(app: &App, iso_code: &str) -> Result<ProductImage> {
    let code = ramp_domain::ids::IsoCode::parse(iso_code)?;
    app.storage
        .product_image(code.as_str())
        .await?
        .ok_or_else(|| AppError::not_found(Some("iso_code"), "image_not_found", "no picture of this product type"))
}
