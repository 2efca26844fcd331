//! The figures the council follows (issue 5), for HMC staff: delivery
//! reliability against its targets, reuse rate, replacement acceptance,
//! purchased vs prescribed per fixed replacement group, open work orders
//! by age, safety-notice progress. The storage counts (one aggregate per figure), the domain
//! (`ramp_domain::figures`) decides months, on-time and rounding; this
//! module only authorizes, takes `today` from the clock and runs the
//! counts side by side.

use crate::error::{AppError, Result};
use crate::App;
use chrono::NaiveDate;
use ramp_domain::figures::channels::{self, DigitalOrders};
use ramp_domain::figures::lost::{self, LostDevices};
use ramp_domain::figures::prescribing::{self, Prescribing};
use ramp_domain::figures::{
    self as rules, AcceptanceMonth, AgeBucket, DeliveryGroup, GroupQuarters, Month, MonthRange, NoticeProgress,
    Percent, Quarter, QuarterCell, ReliabilityRow, ShareCell, WorkOrderAgeRow,
};
use ramp_domain::product::DeclineReason;
use ramp_domain::Term;
use ramp_model::{Principal, User};

/// Figures are for the assistive-device centre's staff, finance and administrators.
fn authorize(user: &User) -> Result<()> {
    if user.is_hmc() {
        Ok(())
    } else {
        Err(AppError::forbidden("role_required", "the figures are shown to the assistive-device centre's staff"))
    }
}

/// The months asked for (`YYYY-MM`, either may be missing): by default the
/// last six complete months before today (Stockholm).
pub fn month_range(app: &App, from: Option<&str>, to: Option<&str>) -> Result<MonthRange> {
    Ok(MonthRange::parse(from, to, app.today())?)
}

/// The principal (region or municipality) the follow-up reports of issue
/// 22 are narrowed to, by code (`None`: every principal). An unknown code
/// is refused naming the field.
pub async fn principal_filter(app: &App, code: Option<&str>) -> Result<Option<Principal>> {
    let Some(code) = code.map(str::trim).filter(|c| !c.is_empty()) else { return Ok(None) };
    match app.storage.principal_by_code(code).await? {
        Some(p) => Ok(Some(p)),
        None => Err(AppError::invalid("principal", "unknown_principal", format!("no principal has the code '{code}'"))),
    }
}

/// Every principal, for the figures page's choice of principal.
pub async fn principals(app: &App, user: &User) -> Result<Vec<Principal>> {
    authorize(user)?;
    Ok(app.storage.principals().await?)
}

fn code(principal: &Option<Principal>) -> Option<&str> {
    principal.as_ref().map(|p| p.code.as_str())
}

/// Delivery reliability per month × agreement area × lead-time class.
#[derive(Debug, Clone)]
pub struct Reliability {
    pub range: MonthRange,
    pub months: Vec<Month>,
    /// The seed's six rows, then the other areas and classes delivered.
    pub rows: Vec<ReliabilityRow>,
    /// The ordering units' principal the figure is narrowed to.
    pub principal: Option<Principal>,
}

/// A share per month and over the whole range.
#[derive(Debug, Clone)]
pub struct MonthlyShare {
    pub range: MonthRange,
    pub months: Vec<ShareCell>,
    pub total: ShareCell,
    /// The ordering units' principal the figure is narrowed to.
    pub principal: Option<Principal>,
}

#[derive(Debug, Clone)]
pub struct Acceptance {
    pub range: MonthRange,
    pub months: Vec<AcceptanceMonth>,
    pub total: AcceptanceMonth,
    /// Declined proposals in the range per reason, in the fixed list's
    /// order, then those declined without a reason (`None`); reasons
    /// nobody gave are left out.
    pub decline_reasons: Vec<(Option<DeclineReason>, i64)>,
    /// The answering prescribers' principal the figure is narrowed to.
    pub principal: Option<Principal>,
}

/// The counts in the order the figure shows them.
fn ordered_reasons(mut counts: Vec<(Option<DeclineReason>, i64)>) -> Vec<(Option<DeclineReason>, i64)> {
    counts.retain(|(_, n)| *n > 0);
    counts.sort_by_key(|(r, _)| r.map_or(usize::MAX, |r| DeclineReason::ALL.iter().position(|x| *x == r).unwrap_or(0)));
    counts
}

#[derive(Debug, Clone)]
pub struct PurchasedPrescribed {
    /// The range asked for, widened to whole quarters.
    pub range: MonthRange,
    pub quarters: Vec<Quarter>,
    /// Fixed groups with purchases or prescriptions in the range.
    pub groups: Vec<GroupQuarters>,
    /// All those groups together, per quarter.
    pub totals: Vec<QuarterCell>,
}

#[derive(Debug, Clone)]
pub struct WorkOrderAges {
    /// The day ages are counted to.
    pub today: NaiveDate,
    pub rows: Vec<WorkOrderAgeRow>,
    /// Per bucket, all kinds together.
    pub totals: [i64; 4],
    pub total: i64,
}

/// Every figure for one range: what the figures page shows.
#[derive(Debug, Clone)]
pub struct Overview {
    pub range: MonthRange,
    pub reliability: Reliability,
    pub reuse: MonthlyShare,
    pub acceptance: Acceptance,
    pub purchased: PurchasedPrescribed,
    pub work_orders: WorkOrderAges,
    pub safety_notices: Vec<NoticeProgress>,
    pub digital_orders: DigitalOrdersFigure,
    pub lost_devices: LostDevicesFigure,
    pub prescribing: PrescribingFigure,
}

/// Orders per Stockholm month and channel, and the share placed through 1177.
#[derive(Debug, Clone)]
pub struct DigitalOrdersFigure {
    pub range: MonthRange,
    /// The ordering units' principal the figure is narrowed to.
    pub principal: Option<Principal>,
    pub figure: DigitalOrders,
}

async fn digital_orders_of(app: &App, range: MonthRange, principal: Option<Principal>) -> Result<DigitalOrdersFigure> {
    let mut groups = app.storage.orders_per_channel(range.start_utc(), range.end_utc()).await?;
    groups.retain(|g| rules::is_of_principal(code(&principal), &g.principal));
    Ok(DigitalOrdersFigure { range, figure: channels::digital_orders(&range, &groups), principal })
}

/// Lost devices per month, ordering unit and ISO class, with their values.
#[derive(Debug, Clone)]
pub struct LostDevicesFigure {
    pub range: MonthRange,
    /// The principal of the customer numbers the figure is narrowed to.
    pub principal: Option<Principal>,
    pub figure: LostDevices,
}

async fn lost_devices_of(app: &App, range: MonthRange, principal: Option<Principal>) -> Result<LostDevicesFigure> {
    let (first, after) = (range.from.first_day(), range.to.next().first_day());
    let mut facts = app.storage.lost_report_facts(first, after).await?;
    facts.retain(|f| rules::is_of_principal(code(&principal), &f.principal_code));
    // The chargeable value is the one billing computes.
    for f in &mut facts {
        f.rules = crate::billing::lost_device_rules(app, f.reported_on, f.unit_kind.as_deref());
    }
    Ok(LostDevicesFigure { range, figure: lost::lost_devices(&range, &facts), principal })
}

/// Lost devices per unit and category (seed 004's lost-device pilot follow-up).
pub async fn lost_devices(
    app: &App,
    user: &User,
    range: MonthRange,
    principal: Option<Principal>,
) -> Result<LostDevicesFigure> {
    authorize(user)?;
    lost_devices_of(app, range, principal).await
}

/// Cost-effective prescribing: evaluations due, and devices returned soon after delivery.
#[derive(Debug, Clone)]
pub struct PrescribingFigure {
    pub range: MonthRange,
    /// The principal the figure is narrowed to (the ordering unit's for
    /// evaluations, the customer number's for returns).
    pub principal: Option<Principal>,
    /// The day "passed" is counted to.
    pub today: NaiveDate,
    pub figure: Prescribing,
}

async fn prescribing_of(app: &App, range: MonthRange, principal: Option<Principal>) -> Result<PrescribingFigure> {
    let (first, after, today) = (range.from.first_day(), range.to.next().first_day(), app.today());
    let (mut evaluations, mut returns) =
        tokio::try_join!(app.storage.evaluation_days(first, after), app.storage.returned_loans(first, after))?;
    evaluations.retain(|e| rules::is_of_principal(code(&principal), &e.principal));
    returns.retain(|r| rules::is_of_principal(code(&principal), &r.principal));
    let figure = prescribing::cost_effective_prescribing(&range, today, &evaluations, &returns);
    Ok(PrescribingFigure { range, principal, today, figure })
}

/// Cost-effective prescribing (seed 003, "kostnadseffektiv förskrivning").
pub async fn cost_effective_prescribing(
    app: &App,
    user: &User,
    range: MonthRange,
    principal: Option<Principal>,
) -> Result<PrescribingFigure> {
    authorize(user)?;
    prescribing_of(app, range, principal).await
}

/// Share of digital orders (seed 003: "andelen digitala beställningar via 1177").
pub async fn digital_orders(
    app: &App,
    user: &User,
    range: MonthRange,
    principal: Option<Principal>,
) -> Result<DigitalOrdersFigure> {
    authorize(user)?;
    digital_orders_of(app, range, principal).await
}

/// The delivered lines of `range`, of the ordering units of `principal` when given.
async fn delivery_groups(app: &App, range: &MonthRange, principal: &Option<Principal>) -> Result<Vec<DeliveryGroup>> {
    let mut groups = app.storage.delivery_groups(range.start_utc(), range.end_utc()).await?;
    groups.retain(|g| rules::is_of_principal(code(principal), &g.principal));
    Ok(groups)
}

fn reliability_of(range: MonthRange, groups: &[DeliveryGroup], principal: Option<Principal>) -> Reliability {
    Reliability { range, months: range.months(), rows: rules::delivery_reliability(&range, groups), principal }
}

fn total_of(range: &MonthRange, cells: &[ShareCell]) -> ShareCell {
    let (part, whole) = cells.iter().fold((0, 0), |(p, w), c| (p + c.part, w + c.whole));
    ShareCell { month: range.to, part, whole, percent: Percent::of(part, whole) }
}

fn reuse_of(range: MonthRange, groups: &[DeliveryGroup], principal: Option<Principal>) -> MonthlyShare {
    let months = rules::reuse_rate(&range, groups);
    MonthlyShare { range, total: total_of(&range, &months), months, principal }
}

/// Delivery reliability, narrowed to the ordering units of `principal` when given.
pub async fn delivery_reliability(
    app: &App,
    user: &User,
    range: MonthRange,
    principal: Option<Principal>,
) -> Result<Reliability> {
    authorize(user)?;
    Ok(reliability_of(range, &delivery_groups(app, &range, &principal).await?, principal))
}

/// The reuse rate, narrowed to the ordering units of `principal` when given.
pub async fn reuse_rate(
    app: &App,
    user: &User,
    range: MonthRange,
    principal: Option<Principal>,
) -> Result<MonthlyShare> {
    authorize(user)?;
    Ok(reuse_of(range, &delivery_groups(app, &range, &principal).await?, principal))
}

/// Replacement answers of `range`, of the prescribers of `principal` when given.
async fn acceptance_of(app: &App, range: MonthRange, principal: Option<Principal>) -> Result<Acceptance> {
    let id = principal.as_ref().map(|p| p.id);
    let (mut groups, reasons) = tokio::try_join!(
        app.storage.answer_groups(range.start_utc(), range.end_utc()),
        app.storage.decline_reasons(range.start_utc(), range.end_utc(), id),
    )?;
    groups.retain(|g| id.is_none_or(|id| g.principal_id == id));
    let months = rules::replacement_acceptance(&range, &groups);
    let shares: Vec<ShareCell> = months.iter().map(|m| m.share).collect();
    let total = AcceptanceMonth {
        share: total_of(&range, &shares),
        declined: months.iter().map(|m| m.declined).sum(),
        automatic: months.iter().map(|m| m.automatic).sum(),
    };
    Ok(Acceptance { range, months, total, decline_reasons: ordered_reasons(reasons), principal })
}

/// Replacement acceptance, narrowed to the answering prescribers' principal when given.
pub async fn replacement_acceptance(
    app: &App,
    user: &User,
    range: MonthRange,
    principal: Option<Principal>,
) -> Result<Acceptance> {
    authorize(user)?;
    acceptance_of(app, range, principal).await
}

async fn purchased_of(app: &App, range: MonthRange) -> Result<PurchasedPrescribed> {
    let range = range.whole_quarters();
    let (first, after) = (range.from.first_day(), range.to.next().first_day());
    let (groups, purchased, prescribed) = tokio::try_join!(
        app.storage.fixed_groups(),
        app.storage.purchased_per_fixed_group(first, after),
        app.storage.prescribed_per_fixed_group(range.start_utc(), range.end_utc()),
    )?;
    let quarters = range.quarters();
    let groups = rules::purchased_vs_prescribed(&quarters, &groups, &purchased, &prescribed);
    let totals = (0..quarters.len())
        .map(|i| QuarterCell {
            purchased: groups.iter().map(|g| g.cells[i].purchased).sum(),
            prescribed: groups.iter().map(|g| g.cells[i].prescribed).sum(),
        })
        .collect();
    Ok(PurchasedPrescribed { range, quarters, groups, totals })
}

pub async fn purchased_vs_prescribed(app: &App, user: &User, range: MonthRange) -> Result<PurchasedPrescribed> {
    authorize(user)?;
    purchased_of(app, range).await
}

async fn work_orders_of(app: &App) -> Result<WorkOrderAges> {
    let today = app.today();
    let counts = app.storage.open_work_order_ages(AgeBucket::starts(today)).await?;
    let rows = rules::open_work_orders(&counts);
    let mut totals = [0; 4];
    for r in &rows {
        for (t, n) in totals.iter_mut().zip(r.buckets) {
            *t += n;
        }
    }
    Ok(WorkOrderAges { today, total: totals.iter().sum(), rows, totals })
}

/// Work orders open or in progress, by kind and age (0–7, 8–30, 31–90, over 90 days).
pub async fn open_work_orders(app: &App, user: &User) -> Result<WorkOrderAges> {
    authorize(user)?;
    work_orders_of(app).await
}

/// Every safety notice's recall progress (affected, handled, remaining), newest first.
pub async fn safety_notices(app: &App, user: &User) -> Result<Vec<NoticeProgress>> {
    authorize(user)?;
    Ok(app.storage.safety_notice_progress().await?)
}

/// Every figure for `range`; the counts run side by side. Delivery
/// reliability, reuse and the follow-up reports of issue 22 are narrowed to
/// `principal`; the others (replacement answers, purchases, work orders,
/// safety notices) belong to no ordering unit and are shown for all.
pub async fn overview(app: &App, user: &User, range: MonthRange, principal: Option<Principal>) -> Result<Overview> {
    authorize(user)?;
    let (deliveries, acceptance, purchased, work_orders, safety_notices, digital_orders, lost_devices, prescribing) = tokio::try_join!(
        delivery_groups(app, &range, &principal),
        acceptance_of(app, range, principal.clone()),
        purchased_of(app, range),
        work_orders_of(app),
        async { Ok(app.storage.safety_notice_progress().await?) },
        digital_orders_of(app, range, principal.clone()),
        lost_devices_of(app, range, principal.clone()),
        prescribing_of(app, range, principal.clone()),
    )?;
    Ok(Overview {
        range,
        reliability: reliability_of(range, &deliveries, principal.clone()),
        reuse: reuse_of(range, &deliveries, principal),
        acceptance,
        purchased,
        work_orders,
        safety_notices,
        digital_orders,
        lost_devices,
        prescribing,
    })
}
