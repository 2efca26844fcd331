//! Sale of surplus used basic equipment (Ledningsrådet, seed 003): the
//! centre's staff list devices of earlier assortment whose central stock
//! exceeds demand and sell one to a municipality as basic equipment at
//! 30 % of its purchase price, only while spare parts last; the buyer may
//! complain ("reklamation") within 30 days.
//!
//! A device blocked from going out (an open safety-notice recall, an
//! unsigned special adaptation) or specially adapted is neither offered nor
//! sold.
//!
//! Demand is the quantity of the article on order lines (not cancelled)
//! of orders placed in the last 90 days (`ramp_domain::surplus::DEMAND_DAYS`);
//! an order line names the article that went out, so substitutions by the
//! replacement chain count for the older article they handed out.

use crate::error::{AppError, Result};
use crate::App;
use chrono::{Duration, NaiveDate};
use ramp_domain::device::DeviceState;
use ramp_domain::role::Role;
use ramp_domain::surplus::{
    complaint_deadline, is_earlier_assortment, sale_price_ore, spare_parts_needed_until, surplus, DEMAND_DAYS,
};
use ramp_model::{
    Id, NewSurplusComplaint, NewSurplusSale, Principal, StorageError, SurplusArticle, SurplusDelivery, SurplusDevice,
    SurplusSale, User,
};
use serde::Serialize;

/// A device offered for sale, with its price.
#[derive(Debug, Clone, Serialize)]
pub struct OfferedDevice {
    #[serde(flatten)]
    pub device: SurplusDevice,
    pub price_ore: i64,
}

/// An article with surplus, and whether its devices may be sold today.
#[derive(Debug, Clone, Serialize)]
pub struct SurplusOffer {
    pub article_number: String,
    pub article_name: String,
    pub iso_code: String,
    pub valid_to: NaiveDate,
    pub spare_parts_until: Option<NaiveDate>,
    pub in_stock: i64,
    pub demand: i64,
    /// How many may be sold: stock beyond demand.
    pub surplus: i64,
    /// `None` when sellable; else the error code saying why not
    /// (`spare_parts_unknown`, `spare_parts_ending`).
    pub blocked_by: Option<&'static str>,
    pub devices: Vec<OfferedDevice>,
}

/// The surplus page: what may be sold, to whom, and what was sold.
#[derive(Debug, Clone, Serialize)]
pub struct SurplusOverview {
    pub today: NaiveDate,
    /// Demand counts orders placed from this day.
    pub demand_from: NaiveDate,
    /// Spare parts must last at least until this day for a sale today.
    pub spare_parts_needed_until: NaiveDate,
    pub offers: Vec<SurplusOffer>,
    pub municipalities: Vec<Principal>,
    pub sales: Vec<SurplusSale>,
}

fn hmc(user: &User) -> Result<()> {
    if user.is_hmc() {
        Ok(())
    } else {
        Err(AppError::forbidden("role_required", "surplus sales are handled by the assistive-device centre"))
    }
}

fn seller(user: &User) -> Result<()> {
    if [Role::Warehouse, Role::Finance, Role::Admin].iter().any(|r| user.has_role(*r)) {
        Ok(())
    } else {
        Err(AppError::forbidden(
            "role_required",
            "surplus devices are sold by the warehouse, finance or an administrator",
        ))
    }
}

fn blocked_by(spare_parts_until: Option<NaiveDate>, needed: NaiveDate) -> Option<&'static str> {
    match spare_parts_until {
        None => Some("spare_parts_unknown"),
        Some(d) if d < needed => Some("spare_parts_ending"),
        Some(_) => None,
    }
}

fn offer(a: SurplusArticle, needed: NaiveDate) -> SurplusOffer {
    SurplusOffer {
        blocked_by: blocked_by(a.spare_parts_until, needed),
        surplus: surplus(a.in_stock, a.demand),
        devices: a
            .devices
            .into_iter()
            .map(|d| OfferedDevice { price_ore: sale_price_ore(d.purchase_price_ore), device: d })
            .collect(),
        article_number: a.article_number,
        article_name: a.article_name,
        iso_code: a.iso_code,
        valid_to: a.valid_to,
        spare_parts_until: a.spare_parts_until,
        in_stock: a.in_stock,
        demand: a.demand,
    }
}

/// Articles of earlier assortment with stock beyond demand, the
/// municipalities that may buy (those with an agreement on basic
/// equipment), and the sales so far. HMC staff only.
pub async fn overview(app: &App, user: &User) -> Result<SurplusOverview> {
    hmc(user)?;
    let today = app.today();
    let needed = spare_parts_needed_until(today);
    let since = app.clock.now() - Duration::days(DEMAND_DAYS);
    let offers = app.storage.surplus_articles(today, since).await?.into_iter().map(|a| offer(a, needed)).collect();
    let municipalities =
        app.storage.principals().await?.into_iter().filter(|p| has_basic_equipment_agreement(p, today)).collect();
    Ok(SurplusOverview {
        today,
        demand_from: ramp_domain::time::stockholm_date(since),
        spare_parts_needed_until: needed,
        offers,
        municipalities,
        sales: app.storage.surplus_sales(100).await?,
    })
}

/// Records until when the supplier keeps spare parts for an article
/// (`None`: unknown, which blocks sales).
pub async fn set_spare_parts_until(
    app: &App,
    user: &User,
    article_number: &str,
    until: Option<NaiveDate>,
) -> Result<()> {
    seller(user)?;
    let number = article_number.trim();
    let article = app.storage.article_by_number(number).await?.ok_or_else(|| {
        AppError::not_found(Some("article_number"), "article_not_found", format!("no article {number}"))
    })?;
    Ok(app.storage.set_spare_parts_until(article.id, until).await?)
}

fn has_basic_equipment_agreement(p: &Principal, today: NaiveDate) -> bool {
    ramp_domain::surplus::may_buy(&p.kind, p.basic_equipment_since, today)
}

async fn buyer(app: &App, code: &str) -> Result<(Principal, Id)> {
    let code = code.trim();
    if code.is_empty() {
        return Err(AppError::invalid("municipality", "required", "choose the municipality that buys"));
    }
    let p = app.storage.principal_by_code(code).await?.ok_or_else(|| {
        AppError::not_found(Some("municipality"), "principal_not_found", format!("no principal with code {code}"))
    })?;
    if p.kind != "municipality" {
        return Err(AppError::invalid(
            "municipality",
            "not_a_municipality",
            "surplus basic equipment is sold to municipalities only",
        ));
    }
    let account = app.storage.customer_number_of_principal(p.id).await?.ok_or_else(|| {
        AppError::invalid("municipality", "no_customer_number", format!("{} has no customer number to invoice", p.name))
    })?;
    if !has_basic_equipment_agreement(&p, app.today()) {
        return Err(AppError::conflict(
            "no_basic_equipment_agreement",
            format!(
                "{} has no agreement on basic equipment; surplus is sold only to municipalities that have one",
                p.name
            ),
        )
        .with_field("municipality"));
    }
    Ok((p, account))
}

/// Sells one surplus device to a municipality at 30 % of its purchase
/// price (rounded half up to the öre). The device leaves the fleet
/// (`sold`) with its event in the same transaction.
pub async fn sell(app: &App, user: &User, device_number: &str, municipality_code: &str) -> Result<SurplusSale> {
    seller(user)?;
    let number = device_number.trim();
    if number.is_empty() {
        return Err(AppError::invalid("device_number", "required", "enter a device number"));
    }
    let (principal, account) = buyer(app, municipality_code).await?;
    let card = app.storage.device_card(number).await?.ok_or_else(|| {
        AppError::not_found(Some("device_number"), "device_not_found", format!("no device with number {number}"))
    })?;
    if card.device.state != DeviceState::InStock {
        return Err(AppError::conflict(
            "device_not_in_stock",
            format!("device {number} is {}, not on a shelf", card.device.state),
        )
        .with_field("device_number"));
    }
    if let Some(reason) = &card.blocked_reason {
        let blocked = StorageError::Blocked { device_id: card.device.id, reason: reason.clone() };
        return Err(AppError::from(blocked).with_field("device_number"));
    }
    if card.special_adapted {
        return Err(AppError::conflict(
            "special_adapted",
            "a specially adapted device (its CE marking void) is not sold as basic equipment",
        )
        .with_field("device_number"));
    }
    let today = app.today();
    if !is_earlier_assortment(card.article.valid_to, today) {
        return Err(AppError::conflict(
            "not_earlier_assortment",
            "only devices of earlier assortment (the article's agreement has ended) are sold",
        )
        .with_field("device_number"));
    }
    let needed = spare_parts_needed_until(today);
    let parts = app.storage.spare_parts_until(card.article.id).await?;
    if let Some(code) = blocked_by(parts, needed) {
        let message = match parts {
            None => "it is not known until when spare parts are available; record it first".to_string(),
            Some(d) => format!("spare parts are available only until {d}; they must last at least until {needed}"),
        };
        return Err(AppError::conflict(code, message)
            .with_field("spare_parts_until")
            .with_detail("needed_until", needed));
    }
    let since = app.clock.now() - Duration::days(DEMAND_DAYS);
    let offered = app.storage.surplus_articles(today, since).await?;
    let Some(line) = offered.iter().find(|a| a.article_id == card.article.id) else {
        return Err(AppError::conflict(
            "no_surplus",
            format!(
                "stock of {} in central warehouses does not exceed the demand of the last {DEMAND_DAYS} days",
                card.article.article_number
            ),
        )
        .with_field("device_number"));
    };
    if !line.devices.iter().any(|d| d.device_id == card.device.id) {
        return Err(AppError::conflict("device_not_in_stock", "the device is not in a central warehouse")
            .with_field("device_number"));
    }
    let price = sale_price_ore(card.device.purchase_price_ore);
    let sale = NewSurplusSale {
        device_id: card.device.id,
        buyer_principal_id: principal.id,
        customer_number_id: account,
        price_ore: price,
        sold_by: user.id,
        at: app.clock.now(),
        on: today,
        spare_parts_needed_until: needed,
        demand_since: since,
        note: format!("Såld som grundutrustning till {} för {}", principal.name, ramp_domain::money::Ore(price)),
    };
    let id = match app.storage.sell_surplus_device(&sale).await {
        Ok(id) => id,
        Err(e @ (StorageError::StateMismatch(_) | StorageError::Conflict { .. })) => {
            return Err(AppError::conflict("not_for_sale", format!("the device can no longer be sold: {e}"))
                .with_field("device_number"))
        }
        Err(e) => return Err(e.into()),
    };
    sale_by_id(app, id).await
}

async fn sale_by_id(app: &App, id: Id) -> Result<SurplusSale> {
    app.storage
        .surplus_sale(id)
        .await?
        .ok_or_else(|| AppError::not_found(Some("sale_id"), "sale_not_found", format!("no surplus sale {id}")))
}

/// One sale with its complaints: for HMC staff and the buying municipality's users.
pub async fn sale(app: &App, user: &User, id: Id) -> Result<SurplusSale> {
    let sale = sale_by_id(app, id).await?;
    if !user.is_hmc() && user.principal_id != sale.buyer_principal_id {
        return Err(AppError::forbidden("other_principal", "the sale was made to another principal"));
    }
    Ok(sale)
}

/// Records that the buyer received a sold device today: the complaint
/// window (30 days) starts. The warehouse, finance or an administrator.
pub async fn deliver(app: &App, user: &User, sale_id: Id) -> Result<SurplusSale> {
    seller(user)?;
    let s = sale_by_id(app, sale_id).await?;
    if let Some(on) = s.delivered_on {
        return Err(
            AppError::conflict("already_delivered", format!("the device was delivered on {on}")).with_field("sale_id")
        );
    }
    let today = app.today();
    let delivery =
        SurplusDelivery { sale_id, delivered_by: user.id, on: today, complaint_deadline: complaint_deadline(today) };
    match app.storage.deliver_surplus_sale(&delivery).await {
        Ok(()) => sale_by_id(app, sale_id).await,
        Err(StorageError::StateMismatch(m)) => Err(AppError::conflict("already_delivered", m).with_field("sale_id")),
        Err(e) => Err(e.into()),
    }
}

/// Registers a complaint ("reklamation") on a delivered sale, on or before
/// the 30th day after delivery; before delivery or later it is refused,
/// naming the sale (and its dates).
pub async fn register_complaint(app: &App, user: &User, sale_id: Id, description: &str) -> Result<SurplusSale> {
    let s = sale(app, user, sale_id).await?;
    let description = description.trim();
    if description.chars().count() < 5 {
        return Err(AppError::invalid("description", "required", "describe the fault (at least 5 characters)"));
    }
    if description.chars().count() > 2000 {
        return Err(AppError::invalid("description", "too_long", "at most 2,000 characters"));
    }
    let today = app.today();
    let (Some(delivered_on), Some(deadline)) = (s.delivered_on, s.complaint_deadline) else {
        return Err(AppError::conflict(
            "not_delivered",
            "the device has not been delivered yet; the 30 days for complaints start at delivery",
        )
        .with_field("sale_id")
        .with_detail("sold_on", s.sold_on));
    };
    let window_closed = || {
        AppError::conflict(
            "complaint_window_closed",
            format!(
                "a complaint must be made within 30 days of delivery: delivered on {delivered_on}, the last day was {deadline}"
            ),
        )
        .with_field("sale_id")
        .with_detail("sold_on", s.sold_on)
        .with_detail("delivered_on", delivered_on)
        .with_detail("complaint_deadline", deadline)
    };
    if today > deadline {
        return Err(window_closed());
    }
    let complaint = NewSurplusComplaint {
        sale_id,
        registered_by: user.id,
        at: app.clock.now(),
        on: today,
        description: description.to_string(),
    };
    match app.storage.register_surplus_complaint(&complaint).await {
        Ok(_) => sale_by_id(app, sale_id).await,
        Err(StorageError::StateMismatch(_)) => Err(window_closed()),
        Err(e) => Err(e.into()),
    }
}
