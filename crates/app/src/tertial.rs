//! The tertial report (issue 22; seed 003: "Rapporten innehåller
//! kvalitetsuppföljning, ekonomiuppföljning och en del som beskriver
//! utvecklingsområden"): quality, economy and development for one
//! tertial, per agreement area. The rules are `ramp_domain::tertial`'s;
//! this module authorizes as the figures do (HMC staff, finance, admin),
//! reads the same counts as the monthly figures and the economy
//! follow-up, and puts the parts together.

use crate::economy::{complete_months, principal_years};
use crate::error::{AppError, Result};
use crate::App;
use ramp_domain::figures::Agreement;
use ramp_domain::tertial::{
    acceptance_share, area_of_principal_kind, area_quality, digital_share, reuse_share, sum_economy, tertial_economy,
    AreaQuality, EconomyTotal, Share, Tertial, TertialEconomy,
};
use ramp_model::{Principal, User};

/// The report is for the assistive-device centre's staff (HMC roles, which include finance and admin).
fn authorize(user: &User) -> Result<()> {
    if user.is_hmc() {
        Ok(())
    } else {
        Err(AppError::forbidden("role_required", "the tertial report is shown to the assistive-device centre's staff"))
    }
}

/// The tertial asked for (`year`, `tertial` 1–3); by default the last complete one.
pub fn tertial_of(app: &App, year: Option<&str>, tertial: Option<&str>) -> Result<Tertial> {
    Ok(Tertial::parse(year, tertial, app.today())?)
}

/// One principal's row of the economy part.
#[derive(Debug, Clone)]
pub struct PrincipalRow {
    pub principal: Principal,
    pub agreement: Agreement,
    pub economy: TertialEconomy,
}

/// The economy part of one agreement area.
#[derive(Debug, Clone)]
pub struct AreaEconomy {
    pub agreement: Agreement,
    pub total: EconomyTotal,
    pub principals: Vec<PrincipalRow>,
}

/// The development part: this tertial against the one before.
#[derive(Debug, Clone, Copy)]
pub struct Development {
    pub reuse: Share,
    pub reuse_before: Share,
    pub acceptance: Share,
    pub acceptance_before: Share,
    /// Orders placed through 1177 of all orders placed.
    pub digital: Share,
    pub digital_before: Share,
    /// Consultation bookings made (not cancelled).
    pub consultations: i64,
    pub consultations_before: i64,
}

#[derive(Debug, Clone)]
pub struct TertialReport {
    pub tertial: Tertial,
    /// Months of the tertial's year complete when the report was made
    /// (a tertial not yet over counts only those).
    pub complete_months: u32,
    pub quality: Vec<AreaQuality>,
    /// Replacement acceptance of the tertial, the whole region.
    pub acceptance: Share,
    pub economy: Vec<AreaEconomy>,
    pub development: Development,
    /// The principal the report is narrowed to: deliveries and orders of its
    /// units, its prescribers' replacement answers, its own economy.
    /// Consultations belong to no ordering unit and stay the whole region's.
    pub principal: Option<Principal>,
}

/// The tertial report for `year` and `tertial`, narrowed to `principal` when given
/// (issue 22: "per-municipality breakdowns of every figure").
pub async fn tertial_report(
    app: &App,
    user: &User,
    year: Option<&str>,
    tertial: Option<&str>,
    principal: Option<Principal>,
) -> Result<TertialReport> {
    authorize(user)?;
    let t = tertial_of(app, year, tertial)?;
    let (now, before) = (t.range(), t.prev().range());
    let (mut deliveries, mut answers, mut channels, consultations, consultations_before, mut principals) = tokio::try_join!(
        async { Ok::<_, AppError>(app.storage.delivery_groups(before.start_utc(), now.end_utc()).await?) },
        async { Ok::<_, AppError>(app.storage.answer_groups(before.start_utc(), now.end_utc()).await?) },
        async { Ok::<_, AppError>(app.storage.orders_per_channel(before.start_utc(), now.end_utc()).await?) },
        async { Ok::<_, AppError>(app.storage.consultations_booked(now.start_utc(), now.end_utc()).await?) },
        async { Ok::<_, AppError>(app.storage.consultations_booked(before.start_utc(), before.end_utc()).await?) },
        principal_years(app, t.year()),
    )?;
    if let Some(p) = &principal {
        deliveries.retain(|g| g.principal == p.code);
        channels.retain(|g| g.principal == p.code);
        answers.retain(|g| g.principal_id == p.id);
        principals.retain(|(row, _)| row.id == p.id);
    }
    let complete = complete_months(t.year(), app.today());
    let acceptance = acceptance_share(&now, &answers);
    Ok(TertialReport {
        tertial: t,
        complete_months: complete,
        quality: area_quality(&now, &deliveries),
        acceptance,
        economy: economy_of(t, complete, principals),
        development: Development {
            reuse: reuse_share(&now, &deliveries),
            reuse_before: reuse_share(&before, &deliveries),
            acceptance,
            acceptance_before: acceptance_share(&before, &answers),
            digital: digital_share(&now, &channels),
            digital_before: digital_share(&before, &channels),
            consultations,
            consultations_before,
        },
        principal,
    })
}

fn economy_of(
    t: Tertial,
    complete: u32,
    principals: Vec<(Principal, ramp_domain::budget::PrincipalYear)>,
) -> Vec<AreaEconomy> {
    let rows: Vec<PrincipalRow> = principals
        .into_iter()
        .filter_map(|(principal, year)| {
            let agreement = area_of_principal_kind(&principal.kind)?;
            Some(PrincipalRow { principal, agreement, economy: tertial_economy(t, &year, complete) })
        })
        .collect();
    // Seed 003: "I kommande tertialrapporter kan den ekonomiska
    // redovisningen för digitala hjälpmedel tas bort": no economy for digital.
    [Agreement::Cooperation, Agreement::Overenskommelsen]
        .iter()
        .map(|&agreement| {
            let principals: Vec<PrincipalRow> = rows.iter().filter(|r| r.agreement == agreement).cloned().collect();
            AreaEconomy { agreement, total: sum_economy(principals.iter().map(|r| &r.economy)), principals }
        })
        .collect()
}
