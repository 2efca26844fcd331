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
use ramp_domain::Term;
use ramp_model::{Article, ArticleDraft, Id};

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
    let mut work = app.storage.admin_work().await?;
    let id = work.insert_article(&draft).await.map_err(|e| {
        if e.is_conflict_on("articles_article_number_key", "articles.article_number") {
            AppError::invalid("article_number", "article_number_taken", "an article with this number exists")
        } else {
            e.into()
        }
    })?;
    let after = work.article(&draft.article_number).await?;
    let change =
        Change { entity: AdminEntity::Article, entity_id: id, action: "create", before: None, after: json(&after) };
    record_and_commit(app, work, Some(caller), change).await?;
    app.articles_changed(&[id]).await;
    Ok(id)
}

/// Changes an article (its number stays: devices and orders name it).
pub async fn edit_article(app: &App, caller: Caller<'_>, article_number: &str, input: &ArticleInput) -> Result<()> {
    authorize(app, caller, AdminEntity::Article, "edit", None).await?;
    let input = ArticleInput { article_number: article_number.to_string(), ..input.clone() };
    let draft = draft(app, &input).await?;
    let mut work = app.storage.admin_work().await?;
    let before = work
        .article(&draft.article_number)
        .await?
        .ok_or_else(|| not_found("article_number", "article_not_found", "article"))?;
    work.update_article(before.id, &draft).await?;
    let after = work.article(&draft.article_number).await?;
    let change = Change {
        entity: AdminEntity::Article,
        entity_id: before.id,
        action: "edit",
        before: json(&before),
        after: json(&after),
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
