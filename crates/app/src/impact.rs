//! Impact of a proposed agreement: replays the period's lending history
//! from the database under the proposal (`ramp agreements impact`).

use crate::error::{AppError, Result};
use ramp_domain::article::ArticleKind;
use ramp_domain::cost::{impact, Agreement, AgreementSet, HistoryLine, ImpactReport, Kind};
use ramp_domain::money::Ore;
use ramp_domain::setting::Setting;
use ramp_domain::time::age_on;
use ramp_model::{HistoryRow, Storage};

/// The agreement's product kind for a catalog article kind.
pub fn cost_kind(kind: ArticleKind) -> Kind {
    match kind {
        ArticleKind::MainDevice => Kind::Device,
        ArticleKind::Accessory | ArticleKind::SparePart => Kind::Accessory,
        ArticleKind::Consumable => Kind::Consumable,
        ArticleKind::MedtechProduct => Kind::MedtechProduct,
        ArticleKind::Nutrition => Kind::Nutrition,
    }
}

/// A history row as the simulation sees it. The line's cost is the
/// article's purchase price (what the paying principal bears for the
/// device); a patient with no recorded setting lives in ordinary housing.
pub fn history_line(r: &HistoryRow) -> HistoryLine {
    HistoryLine {
        date: r.start_date,
        age: age_on(r.birth_date, r.start_date),
        setting: r.setting.unwrap_or(Setting::Ordinary),
        iso: r.iso_code.clone(),
        kind: cost_kind(r.kind),
        municipality: r.municipality.clone(),
        cost: Ore(r.purchase_price_ore),
    }
}

/// Replays loans started in `from..=to` under `proposal`.
pub async fn simulate(
    storage: &dyn Storage,
    current: &AgreementSet,
    proposal: &Agreement,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
) -> Result<ImpactReport> {
    if to < from {
        return Err(AppError::invalid("to", "invalid_period", "the period ends before it starts"));
    }
    let rows = storage.lending_history(from, to).await?;
    let lines: Vec<HistoryLine> = rows.iter().map(history_line).collect();
    Ok(impact(current, proposal, &lines)?)
}
