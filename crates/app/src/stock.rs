//! Stock per warehouse, for HMC staff.

use crate::error::{AppError, Result};
use crate::App;
use ramp_model::{Id, StockLine, User, Warehouse};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct StockOverview {
    pub warehouses: Vec<Warehouse>,
    pub selected: Option<Warehouse>,
    pub lines: Vec<StockLine>,
}

/// Lists warehouses and, for the chosen one (default: the first central
/// warehouse), stock per article. HMC roles only.
pub async fn stock_overview(app: &App, user: &User, warehouse_id: Option<Id>) -> Result<StockOverview> {
    if !user.is_hmc() {
        return Err(AppError::forbidden("role_required", "stock is shown to the assistive-device centre's staff"));
    }
    // Reservations that ran out go back on the shelf before counting.
    app.storage.expire_reservations(app.clock.now()).await?;
    let mut warehouses = app.storage.warehouses().await?;
    crate::warehouse::sort_warehouses(&mut warehouses);
    let selected = match warehouse_id {
        Some(id) => Some(warehouses.iter().find(|w| w.id == id).cloned().ok_or_else(|| {
            AppError::not_found(Some("warehouse"), "warehouse_not_found", format!("no warehouse {id}"))
        })?),
        None => warehouses.iter().find(|w| w.kind == "central").cloned(),
    };
    let lines = match &selected {
        Some(w) => app.storage.stock(w.id).await?,
        None => vec![],
    };
    Ok(StockOverview { warehouses, selected, lines })
}
