//! The warehouse's view of its stock (issue 19): warehouses in a sensible
//! order and filtered, on-hand per article against reorder thresholds,
//! consumables per batch, and what a scanned code is.

use crate::error::{AppError, Result};
use crate::supply::require_role as require;
use crate::App;
use ramp_domain::collate::swedish_cmp;
use ramp_domain::role::Role;
use ramp_domain::scan::{self, Scanned};
use ramp_model::{Article, BatchLine, Id, OnHandLine, User, Warehouse};

/// Which warehouses to list: a kind (`central` or `buffer`) and words of the name.
#[derive(Debug, Clone, Default)]
pub struct WarehouseFilter {
    pub kind: Option<String>,
    pub name: Option<String>,
}

/// Central warehouses first (where the centre's staff work), then buffer
/// stores, each in Swedish alphabetical order (å ä ö after z).
pub fn sort_warehouses(ws: &mut [Warehouse]) {
    ws.sort_by(|a, b| (a.kind != "central").cmp(&(b.kind != "central")).then_with(|| swedish_cmp(&a.name, &b.name)));
}

/// The warehouses, sorted, narrowed by kind and name. HMC staff only.
pub async fn warehouses(app: &App, user: &User, f: &WarehouseFilter) -> Result<Vec<Warehouse>> {
    if !user.is_hmc() {
        return Err(AppError::forbidden("role_required", "stock is shown to the assistive-device centre's staff"));
    }
    let kind = f.kind.as_deref().map(str::trim).filter(|k| !k.is_empty());
    if kind.is_some_and(|k| k != "central" && k != "buffer") {
        return Err(AppError::invalid("kind", "invalid_kind", "central or buffer"));
    }
    let words: Vec<String> = f.name.as_deref().unwrap_or_default().split_whitespace().map(str::to_lowercase).collect();
    let mut ws: Vec<Warehouse> = app
        .storage
        .warehouses()
        .await?
        .into_iter()
        .filter(|w| kind.is_none_or(|k| w.kind == k))
        .filter(|w| {
            let name = w.name.to_lowercase();
            words.iter().all(|word| name.contains(word.as_str()))
        })
        .collect();
    sort_warehouses(&mut ws);
    Ok(ws)
}

/// The default warehouse in forms: the first central one.
pub fn default_warehouse(ws: &[Warehouse]) -> Option<&Warehouse> {
    ws.iter().find(|w| w.kind == "central").or(ws.first())
}

async fn known_warehouse(app: &App, id: Id, field: &str) -> Result<()> {
    if app.storage.warehouses().await?.iter().any(|w| w.id == id) {
        Ok(())
    } else {
        Err(AppError::not_found(Some(field), "warehouse_not_found", format!("no warehouse {id}")))
    }
}

/// On hand per article in a warehouse with its threshold.
pub async fn on_hand(app: &App, user: &User, warehouse_id: Id) -> Result<Vec<OnHandLine>> {
    require(user, &[Role::Warehouse, Role::CustomerService, Role::Technician, Role::Finance], "stock")?;
    known_warehouse(app, warehouse_id, "warehouse").await?;
    Ok(app.storage.on_hand(warehouse_id).await?)
}

/// Consumables per batch in a warehouse, soonest expiry first.
pub async fn batches(app: &App, user: &User, warehouse_id: Id) -> Result<Vec<BatchLine>> {
    require(user, &[Role::Warehouse, Role::CustomerService, Role::Technician, Role::Finance], "stock")?;
    known_warehouse(app, warehouse_id, "warehouse").await?;
    Ok(app.storage.batches(warehouse_id).await?)
}

/// What is below its reorder threshold, in every warehouse.
pub async fn below_threshold(app: &App, user: &User) -> Result<Vec<OnHandLine>> {
    require(user, &[Role::Warehouse, Role::Finance], "purchasing")?;
    Ok(app.storage.below_threshold().await?)
}

/// Sets the reorder threshold of an article in a warehouse (`None` removes it).
pub async fn set_threshold(
    app: &App,
    user: &User,
    warehouse_id: Id,
    article_number: &str,
    threshold: Option<i32>,
) -> Result<()> {
    require(user, &[Role::Warehouse], "purchasing")?;
    known_warehouse(app, warehouse_id, "warehouse_id").await?;
    let number = article_number.trim();
    let a = app
        .storage
        .article_by_number(number)
        .await?
        .ok_or_else(|| AppError::invalid("article_number", "article_not_found", format!("no article {number}")))?;
    if threshold.is_some_and(|t| !(0..=1_000_000).contains(&t)) {
        return Err(AppError::invalid("threshold", "invalid_threshold", "0 to 1,000,000"));
    }
    Ok(app.storage.set_reorder_threshold(warehouse_id, a.id, threshold).await?)
}

/// The article a scanned code (GTIN or article number) names.
pub async fn scanned_article(app: &App, user: &User, code: &str) -> Result<Article> {
    require(user, &[Role::Warehouse], "receiving")?;
    let code = code.trim();
    if code.is_empty() || code.len() > 60 {
        return Err(AppError::invalid("scan", "unknown_code", "scan an article's GTIN or article number"));
    }
    // Read as the pick list reads a scan: a GS1-128 label (`01…`, with or
    // without the scanner's `]C1`) or an EAN-13 names the article's GTIN.
    let candidates = match scan::parse(code) {
        Some(Scanned::Gtin(g)) => scan::gtin_spellings(&g),
        Some(Scanned::Text(t)) => vec![t],
        Some(Scanned::Order(_)) | None => vec![],
    };
    for c in candidates {
        if let Some(a) = app.storage.article_by_code(&c).await? {
            return Ok(a);
        }
    }
    Err(AppError::invalid("scan", "unknown_code", format!("no article has the code {code}")))
}

/// The catalog's suppliers in Swedish order, for the receipt and purchase forms.
pub async fn suppliers(app: &App, user: &User) -> Result<Vec<ramp_model::Supplier>> {
    require(user, &[Role::Warehouse, Role::Finance], "purchasing")?;
    let mut all = app.storage.suppliers().await?;
    all.sort_by(|a, b| swedish_cmp(&a.name, &b.name));
    Ok(all)
}
