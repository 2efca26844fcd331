//! Catalog articles: create, edit, and retire (the last day in the
//! assortment, `valid_to`). Bulk import is another issue. Each change,
//! once committed, is handed to the search index (`App::articles_changed`).

use super::{authorize, json, not_found, record_and_commit, text, Caller, Change};
use crate::error::{AppError, Result};
use crate::App;
use chrono::NaiveDate;
use ramp_domain::admin::AdminEntity;
use ramp_domain::article::{ArticleKind, Billing, LeadTimeClass};
use ramp_domain::ids::{ArticleNumber, Gtin, IsoCode};
use ramp_domain::product::{parse_handbook_text, parse_technical_data, TechRow};
use ramp_domain::Term;
use ramp_model::{Article, ArticleDetails, ArticleDraft, Id};

/// The highest price an article may have: 100 million kronor (a typo
/// beyond it would overflow the sums of a region's invoices).
pub const MAX_PRICE_ORE: i64 = 10_000_000_000;

/// An article as the administrator writes it. Prices are öre.
#[derive(Debug, Clone, Default)]
pub struct ArticleInput {
    pub article_number: String,
    pub iso_code: String,
    pub gtin: Option<String>,
    pub name: String,
    pub supplier: String,
    pub purchase_price_ore: i64,
    pub monthly_rent_ore: i64,
    pub kind: String,
    pub billing: String,
    pub lead_time_class: String,
    pub service_life_months: i32,
    pub reconditionable: bool,
    pub product_area: String,
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
    /// The product page's technical data as (key, value) pairs; `None`
    /// keeps what is stored (an edit that does not mention it).
    pub technical_data: Option<Vec<(String, String)>>,
    /// The handbook text; `None` keeps what is stored, empty removes it.
    pub handbook_text: Option<String>,
}

/// The technical data and handbook text as given, checked; `None` where not given.
type DetailsInput = (Option<Vec<TechRow>>, Option<Option<String>>);

fn details_input(input: &ArticleInput) -> Result<DetailsInput> {
    let technical = input.technical_data.as_deref().map(parse_technical_data).transpose()?;
    let handbook = input.handbook_text.as_deref().map(parse_handbook_text).transpose()?;
    Ok((technical, handbook))
}

/// An article as the record of changes keeps it: its row and its product-page details.
#[derive(serde::Serialize)]
struct ArticleRecord<'a> {
    #[serde(flatten)]
    article: &'a Article,
    technical_data: &'a [TechRow],
    handbook_text: Option<&'a str>,
}

fn record(article: &Option<Article>, details: &ArticleDetails) -> Option<String> {
    let article = article.as_ref()?;
    json(&ArticleRecord {
        article,
        technical_data: &details.technical_data,
        handbook_text: details.handbook_text.as_deref(),
    })
}

/// Writes the details given over those stored; returns what is stored after.
async fn write_details(
    work: &mut Box<dyn ramp_model::AdminWork>,
    id: Id,
    before: &ArticleDetails,
    (technical, handbook): DetailsInput,
) -> Result<ArticleDetails> {
    if technical.is_none() && handbook.is_none() {
        return Ok(before.clone());
    }
    let after = ArticleDetails {
        article_id: id,
        technical_data: technical.unwrap_or_else(|| before.technical_data.clone()),
        handbook_text: handbook.unwrap_or_else(|| before.handbook_text.clone()),
    };
    work.put_article_details(&after).await?;
    Ok(after)
}

fn price(field: &str, ore: i64) -> Result<i64> {
    if (0..=MAX_PRICE_ORE).contains(&ore) {
        Ok(ore)
    } else {
        Err(AppError::invalid(field, "invalid_amount", "an amount from 0 to 100 000 000 kronor"))
    }
}

/// The input, checked into the row to write.
async fn draft(app: &App, input: &ArticleInput) -> Result<ArticleDraft> {
    let article_number = ArticleNumber::parse(&input.article_number)?;
    let iso_code = IsoCode::parse(&input.iso_code)?;
    if iso_code.as_str().len() != 6 {
        return Err(AppError::invalid("iso_code", "invalid_iso_code", "an article has a full six-digit ISO code"));
    }
    let gtin = input.gtin.as_deref().map(str::trim).filter(|g| !g.is_empty()).map(Gtin::parse).transpose()?;
    let service_life_months = input.service_life_months;
    if !(1..=600).contains(&service_life_months) {
        return Err(AppError::invalid("service_life_months", "invalid_service_life", "1 to 600 months"));
    }
    let product_area = input.product_area.trim();
    if !app.storage.product_areas().await?.iter().any(|a| a.code == product_area) {
        return Err(AppError::invalid("product_area", "unknown_product_area", "choose a product area from the list"));
    }
    let valid_from = input.valid_from.unwrap_or_else(|| app.today());
    if input.valid_to.is_some_and(|to| to < valid_from) {
        return Err(AppError::invalid("valid_to", "after_to", "the last day is before the first"));
    }
    Ok(ArticleDraft {
        article_number: article_number.as_str().to_string(),
        iso_code,
        gtin: gtin.map(|g| g.as_str().to_string()),
        name: text("name", &input.name, 200)?,
        supplier: text("supplier", &input.supplier, 200)?,
        purchase_price_ore: price("purchase_price_ore", input.purchase_price_ore)?,
        monthly_rent_ore: price("monthly_rent_ore", input.monthly_rent_ore)?,
        kind: ArticleKind::parse(&input.kind)?,
        billing: Billing::parse(&input.billing)?,
        lead_time_class: LeadTimeClass::parse(&input.lead_time_class)?,
        service_life_months,
        reconditionable: input.reconditionable,
        product_area: product_area.to_string(),
        valid_from,
        valid_to: input.valid_to,
    })
}

/// One article, as the edit page shows it.
pub async fn article(app: &App, caller: Caller<'_>, article_number: &str) -> Result<Article> {
    authorize(app, caller, AdminEntity::Article, "read", None).await?;
    let number = ArticleNumber::parse(article_number)?;
    app.storage
        .article_by_number(number.as_str())
        .await?
        .ok_or_else(|| not_found("article_number", "article_not_found", "article"))
}

pub async fn create_article(app: &App, caller: Caller<'_>, input: &ArticleInput) -> Result<Id> {
    authorize(app, caller, AdminEntity::Article, "create", None).await?;
    let draft = draft(app, input).await?;
    let details = details_input(input)?;
    let mut work = app.storage.admin_work().await?;
    let id = work.insert_article(&draft).await.map_err(|e| {
        if e.is_conflict_on("articles_article_number_key", "articles.article_number") {
            AppError::invalid("article_number", "article_number_taken", "an article with this number exists")
        } else {
            e.into()
        }
    })?;
    let empty = ArticleDetails { article_id: id, ..ArticleDetails::default() };
    let stored = write_details(&mut work, id, &empty, details).await?;
    let after = work.article(&draft.article_number).await?;
    let change = Change {
        entity: AdminEntity::Article,
        entity_id: id,
        action: "create",
        before: None,
        after: record(&after, &stored),
    };
    record_and_commit(app, work, Some(caller), change).await?;
    app.articles_changed(&[id]).await;
    Ok(id)
}

/// Changes an article (its number stays: devices and orders name it).
pub async fn edit_article(app: &App, caller: Caller<'_>, article_number: &str, input: &ArticleInput) -> Result<()> {
    authorize(app, caller, AdminEntity::Article, "edit", None).await?;
    let input = ArticleInput { article_number: article_number.to_string(), ..input.clone() };
    let draft = draft(app, &input).await?;
    let details = details_input(&input)?;
    let mut work = app.storage.admin_work().await?;
    let before = work
        .article(&draft.article_number)
        .await?
        .ok_or_else(|| not_found("article_number", "article_not_found", "article"))?;
    let details_before = work
        .article_details(before.id)
        .await?
        .unwrap_or(ArticleDetails { article_id: before.id, ..ArticleDetails::default() });
    work.update_article(before.id, &draft).await?;
    let details_after = write_details(&mut work, before.id, &details_before, details).await?;
    let after = work.article(&draft.article_number).await?;
    let change = Change {
        entity: AdminEntity::Article,
        entity_id: before.id,
        action: "edit",
        before: record(&Some(before.clone()), &details_before),
        after: record(&after, &details_after),
    };
    record_and_commit(app, work, Some(caller), change).await?;
    app.articles_changed(&[before.id]).await;
    Ok(())
}

/// Retires an article: `last_day` is its last day in the assortment.
pub async fn retire_article(app: &App, caller: Caller<'_>, article_number: &str, last_day: NaiveDate) -> Result<()> {
    authorize(app, caller, AdminEntity::Article, "retire", None).await?;
    let article_number = ArticleNumber::parse(article_number)?;
    let mut work = app.storage.admin_work().await?;
    let before = work
        .article(article_number.as_str())
        .await?
        .ok_or_else(|| not_found("article_number", "article_not_found", "article"))?;
    if last_day < before.valid_from {
        return Err(AppError::invalid("valid_to", "after_to", "the last day is before the article's first"));
    }
    let draft = ArticleDraft {
        article_number: before.article_number.clone(),
        iso_code: before.iso_code.clone(),
        gtin: before.gtin.clone(),
        name: before.name.clone(),
        supplier: before.supplier_name.clone(),
        purchase_price_ore: before.purchase_price_ore,
        monthly_rent_ore: before.monthly_rent_ore,
        kind: before.kind,
        billing: before.billing,
        lead_time_class: before.lead_time_class,
        service_life_months: before.service_life_months,
        reconditionable: before.reconditionable,
        product_area: before.product_area.clone(),
        valid_from: before.valid_from,
        valid_to: Some(last_day),
    };
    work.update_article(before.id, &draft).await?;
    let after = work.article(article_number.as_str()).await?;
    let change = Change {
        entity: AdminEntity::Article,
        entity_id: before.id,
        action: "retire",
        before: json(&before),
        after: json(&after),
    };
    record_and_commit(app, work, Some(caller), change).await?;
    app.articles_changed(&[before.id]).await;
    Ok(())
}
