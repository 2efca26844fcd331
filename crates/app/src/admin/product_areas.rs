//! Product areas ("produktområden") as follow-up data: which agreement
//! area an area's deliveries are followed up under (seed 003: "Samarbetsavtal
//! för försörjning av personliga hjälpmedel, Överenskommelse för hjälpmedel
//! vid medicinsk behandling och digitala hjälpmedel") and whether it holds
//! treatment devices close to pharmaceuticals, the only ones the
//! costly-treatment application counts (seed 000: "t ex sårvårdsmaterial,
//! VAC-terapi"). Both were fixed at installation; an administrator changes
//! them here, in the change log. A delivery keeps the area it was counted
//! under; a change applies to deliveries from then on.

use super::{authorize, json, not_found, Caller};
use crate::error::Result;
use crate::App;
use ramp_domain::admin::{AdminEntity, AdminOutcome};
use ramp_domain::figures::Agreement;
use ramp_domain::Term;
use ramp_model::{NewAdminChange, ProductArea};

/// What the form and the API send.
#[derive(Debug, Clone, Default)]
pub struct ProductAreaInput {
    /// `cooperation`, `overenskommelsen` or `digital`.
    pub agreement_area: String,
    pub drug_adjacent: bool,
}

/// Every product area, by code.
pub async fn list_product_areas(app: &App, caller: Caller<'_>) -> Result<Vec<ProductArea>> {
    authorize(app, caller, AdminEntity::ProductArea, "list", None).await?;
    Ok(app.storage.product_areas().await?)
}

/// Sets an area's agreement area and drug-adjacent flag; the change log
/// keeps the area before and after (its code names it: areas have no id).
pub async fn edit_product_area(app: &App, caller: Caller<'_>, code: &str, input: &ProductAreaInput) -> Result<()> {
    authorize(app, caller, AdminEntity::ProductArea, "edit", None).await?;
    let agreement_area = Agreement::parse(input.agreement_area.trim())?;
    let mut work = app.storage.admin_work().await?;
    let before = work
        .product_areas()
        .await?
        .into_iter()
        .find(|a| a.code == code)
        .ok_or_else(|| not_found("code", "product_area_not_found", "product area"))?;
    work.update_product_area(code, agreement_area.as_str(), input.drug_adjacent).await?;
    let after = ProductArea { agreement_area, drug_adjacent: input.drug_adjacent, ..before.clone() };
    work.record(&NewAdminChange {
        occurred_at: app.clock.now(),
        actor_user_id: Some(caller.user.id),
        entity: AdminEntity::ProductArea,
        entity_id: None,
        action: "edit".into(),
        outcome: AdminOutcome::Done,
        before: json(&before),
        after: json(&after),
        request_id: caller.request_id.map(str::to_string),
    })
    .await?;
    work.commit().await?;
    Ok(())
}
