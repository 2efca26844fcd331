//! The unit orderer's order (issue 18, point 5): articles from the
//! unit-orderable assortment with quantities, each line priced as the
//! article's billing says (monthly rent, or a purchase), the totals, and
//! the unit's principal's budget for the year beside what the order adds.
//! Ordering itself is the ordinary order placed in one request
//! ([`crate::orders::place_order`] with lines), where a device's quantity
//! becomes that many devices, each reserved.

use crate::error::{AppError, Result};
use crate::App;
use chrono::Datelike;
use ramp_domain::article::Billing;
use ramp_domain::budget::order_cost_in_year;
use ramp_domain::money::Ore;
use ramp_domain::role::Role;
use ramp_model::{Article, ArticleHit, Id, Order, Unit, User};
use serde::Serialize;

/// At most this many of one article on a unit's order line or saved list.
pub const MAX_QUANTITY: i32 = 99;

/// A line as the orderer gives it: an article number and how many.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineInput {
    pub article_number: String,
    /// `None`: one.
    pub quantity: Option<i32>,
}

/// A priced line: what one costs and what the line costs, per month for a
/// rental article or once for a sale article.
#[derive(Debug, Clone, Serialize)]
pub struct PricedLine {
    pub article: Article,
    pub quantity: i32,
    /// Rent per month (rental) or purchase price (sale), for one.
    pub unit_price: Ore,
    pub line_total: Ore,
    /// Billed as monthly rent rather than once.
    pub monthly: bool,
    /// Devices in central stock now (articles tracked one by one), for the orderer to see what is missing.
    pub in_stock: Option<i64>,
}

/// The principal's year beside this order.
#[derive(Debug, Clone, Serialize)]
pub struct UnitBudget {
    pub principal_name: String,
    pub year: i32,
    /// `None`: no budget set for the year.
    pub budget: Option<Ore>,
    /// Invoiced so far this year.
    pub spent: Ore,
    /// What this order adds this year ([`order_cost_in_year`]).
    pub this_order: Ore,
    /// Budget minus spent minus this order; negative is an overrun.
    pub left_after: Option<Ore>,
}

/// A unit's order priced, with its totals and the budget.
#[derive(Debug, Clone, Serialize)]
pub struct UnitQuote {
    pub unit_name: String,
    pub lines: Vec<PricedLine>,
    pub rent_per_month: Ore,
    pub purchase: Ore,
    pub budget: UnitBudget,
}

/// The orderer's unit: only unit orderers with a unit order for one.
pub(crate) async fn orderer_unit(app: &App, user: &User) -> Result<Unit> {
    if !user.has_role(Role::UnitOrderer) {
        return Err(AppError::forbidden("orderer_role_required", "the unit's orders and lists are its orderers'"));
    }
    let id = user.unit_id.ok_or_else(|| AppError::forbidden("unit_required", "your account belongs to no unit"))?;
    app.storage
        .unit(id)
        .await?
        .ok_or_else(|| AppError::forbidden("unit_required", "your account's unit does not exist"))
}

/// An article a unit may order today, by number: it exists and is in the assortment.
pub(crate) async fn orderable_article(app: &App, number: &str) -> Result<Article> {
    let number = number.trim();
    if number.is_empty() || number.len() > 40 {
        return Err(AppError::invalid("article_number", "required", "enter an article number"));
    }
    let article = app.storage.article_by_number(number).await?.ok_or_else(|| {
        AppError::not_found(Some("article_number"), "article_not_found", format!("no article {number}"))
    })?;
    if !in_assortment(&article, app.today()) {
        return Err(AppError::invalid("article_number", "not_in_assortment", "the article is not in the assortment"));
    }
    Ok(article)
}

fn in_assortment(a: &Article, today: chrono::NaiveDate) -> bool {
    a.valid_from <= today && a.valid_to.is_none_or(|to| to >= today)
}

/// A quantity from 1 to [`MAX_QUANTITY`] (`None` is one).
pub(crate) fn check_quantity(q: Option<i32>) -> Result<i32> {
    match q.unwrap_or(1) {
        q @ 1..=MAX_QUANTITY => Ok(q),
        _ => Err(AppError::invalid("quantity", "invalid_unit_quantity", "the quantity is a whole number from 1 to 99")),
    }
}

/// Searches the catalog (the ordinary search) for articles the unit may
/// order today: those in the assortment.
pub async fn search(app: &App, user: &User, q: &str) -> Result<Vec<ArticleHit>> {
    orderer_unit(app, user).await?;
    let today = app.today();
    let hits = crate::catalog::search(app, user, q, 50).await?;
    Ok(hits.into_iter().filter(|h| in_assortment(&h.article, today)).take(20).collect())
}

fn priced(article: Article, quantity: i32, in_stock: Option<i64>) -> PricedLine {
    let monthly = article.billing == Billing::Rental;
    let unit_price = Ore(if monthly { article.monthly_rent_ore } else { article.purchase_price_ore });
    PricedLine { line_total: Ore(unit_price.0 * i64::from(quantity)), unit_price, monthly, quantity, in_stock, article }
}

/// Prices the lines for the user's unit and sets them beside the unit's
/// budget. A line that names no orderable article, or a quantity out of
/// range, is refused naming `lines[i]`'s field.
pub async fn quote(app: &App, user: &User, lines: &[LineInput]) -> Result<UnitQuote> {
    let unit = orderer_unit(app, user).await?;
    let mut priced_lines = Vec::with_capacity(lines.len());
    for (i, l) in lines.iter().enumerate() {
        let line = async {
            let article = orderable_article(app, &l.article_number).await?;
            let quantity = check_quantity(l.quantity)?;
            let in_stock = if article.kind.is_individual() {
                let stock = app.storage.central_stock(&[article.id], app.clock.now()).await?;
                Some(stock.first().map_or(0, |s| s.1))
            } else {
                None
            };
            Ok::<_, AppError>(priced(article, quantity, in_stock))
        };
        priced_lines.push(line.await.map_err(|e| e.within("lines", i))?);
    }
    with_totals(app, unit, priced_lines).await
}

async fn with_totals(app: &App, unit: Unit, lines: Vec<PricedLine>) -> Result<UnitQuote> {
    let rent_per_month = Ore(lines.iter().filter(|l| l.monthly).map(|l| l.line_total.0).sum());
    let purchase = Ore(lines.iter().filter(|l| !l.monthly).map(|l| l.line_total.0).sum());
    let budget = unit_budget(app, &unit, purchase, rent_per_month).await?;
    Ok(UnitQuote { unit_name: unit.name, lines, rent_per_month, purchase, budget })
}

/// A unit's placed order priced for its confirmation: one line per
/// article (a quantity of devices is one order line per device), at
/// today's catalog prices, beside the unit's budget.
pub async fn placed(app: &App, user: &User, order_id: Id, request_id: Option<&str>) -> Result<(Order, UnitQuote)> {
    let order = crate::orders::order(app, user, order_id, request_id).await?;
    let unit = orderer_unit(app, user).await?;
    let mut grouped: Vec<(Id, i32)> = vec![];
    for l in &order.lines {
        match grouped.iter_mut().find(|(a, _)| *a == l.article_id) {
            Some(g) => g.1 += l.quantity,
            None => grouped.push((l.article_id, l.quantity)),
        }
    }
    let ids: Vec<Id> = grouped.iter().map(|g| g.0).collect();
    let articles = app.storage.articles_by_ids(&ids).await?;
    let lines = grouped
        .iter()
        .filter_map(|(id, q)| articles.iter().find(|a| a.id == *id).map(|a| priced(a.clone(), *q, None)))
        .collect();
    let quote = with_totals(app, unit, lines).await?;
    Ok((order, quote))
}

async fn unit_budget(app: &App, unit: &Unit, purchase: Ore, rent: Ore) -> Result<UnitBudget> {
    let today = app.today();
    let year = today.year();
    let (budget, spent) = crate::economy::principal_spent(app, unit.principal_id, year).await?;
    let principal_name = principal_name(app, unit.principal_id).await?;
    let this_order = order_cost_in_year(purchase, rent, today.month());
    let left_after = budget.map(|b| Ore(b.0 - spent.0 - this_order.0));
    Ok(UnitBudget { principal_name, year, budget, spent, this_order, left_after })
}

async fn principal_name(app: &App, id: Id) -> Result<String> {
    Ok(app.storage.principals().await?.into_iter().find(|p| p.id == id).map(|p| p.name).unwrap_or_default())
}
