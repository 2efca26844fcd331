//! Devices with their histories. A history is written backwards from its
//! end (today, or the day the device was scrapped or lost), so that it
//! always fits before `today`: received, then cycles of delivered →
//! returned → reconditioned, then the final state. Every event follows
//! [`DeviceState::after`]; every delivery has a loan, closed when the device
//! came back and open for the one patient holding it now.

use super::catalog::{ArticleRef, Catalog};
use super::divisions::{Division, DIVISIONS, SUPPLIERS};
use super::geography::MUNICIPALITIES;
use super::orders::{self, Delivery, GroupIndex, Prescribers};
use super::organisations::Org;
use super::patients::{self, AgeGroup, Profile};
use super::people::Staff;
use super::rng::{stream, Rng};
use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use ramp_domain::cost::{AgreementSet, DecisionRequest, Kind, Need, Outcome, Patient as CostPatient, Payer, Product};
use ramp_domain::device::{DeviceEventKind as E, DeviceState as S};
use ramp_domain::setting::Setting;
use ramp_model::{Device, DeviceEvent, Id, Loan, OrderHistory};
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The agreement version every generated loan was decided under (the
/// first and only shipped version of [`DEMO_AGREEMENT_REGION`]'s).
pub const AGREEMENT_VERSION: &str = "2021-01-01";

/// The demo region's agreement (`agreements/vastra_gotaland/`): the demo's
/// loans are decided by it, and `ramp serve` decides the demo's orders by it
/// (the region principal's name matches the agreement's `region_name`).
pub const DEMO_AGREEMENT_REGION: &str = "vastra_gotaland";

/// Everything device generation reads.
pub struct Ctx<'a> {
    pub seed: u64,
    pub today: NaiveDate,
    pub org: &'a Org,
    pub catalog: &'a Catalog,
    pub staff: &'a Staff,
    pub patients: usize,
    pub groups: &'a GroupIndex,
    pub prescribers: &'a Prescribers,
}

/// Rows of one batch and the running ids.
#[derive(Debug, Default)]
pub struct DeviceRows {
    pub devices: Vec<Device>,
    pub loans: Vec<Loan>,
    pub events: Vec<DeviceEvent>,
    /// Orders behind the last year's deliveries, replacement answers, open work orders.
    pub history: OrderHistory,
}

/// Next free ids; every table is numbered in generation order.
#[derive(Debug, Clone, Copy)]
pub struct Ids {
    pub device: Id,
    pub event: Id,
    /// Orders and their (single) lines share ids.
    pub order: Id,
    pub order_event: Id,
    pub answer: Id,
    pub work_order: Id,
}

impl Ids {
    pub fn first() -> Ids {
        Ids { device: 1, event: 1, order: 1, order_event: 1, answer: 1, work_order: 1 }
    }
}

/// How a history ends.
#[derive(Debug, Clone, Copy)]
enum End {
    /// Lent to this patient since the date.
    Holder(Id, NaiveDate),
    /// On a shelf; moved to a buffer store if given.
    Stock(Option<Id>),
    Workshop,
    /// Scrapped on the date, after a return if true.
    Scrapped(NaiveDate, bool),
    Lost(NaiveDate),
}

/// One finished loan cycle.
struct Cycle {
    holder: Id,
    delivered: NaiveDate,
    returned: NaiveDate,
    reconditioned: NaiveDate,
}

/// The devices patient `p` holds now, with their histories.
pub fn for_patient(ctx: &Ctx, p: &Profile, ids: &mut Ids, out: &mut DeviceRows) {
    let mut r = Rng::derive(ctx.seed, stream::HOLDING, p.id as u64);
    if p.id == patients::TOLVAN {
        return tolvan(ctx, p, &mut r, ids, out);
    }
    let mut taken: Vec<usize> = Vec::new();
    for _ in 0..p.holdings {
        let Some(division) = pick_division(&mut r, p.group, &taken) else { continue };
        taken.push(division);
        let article = pick_article(&mut r, ctx.catalog, division);
        let delivered = delivery_date(&mut r, p, article, ctx.today);
        let home = ctx.org.central[MUNICIPALITIES[p.muni].hmc];
        device(ctx, &mut r, article, division, home, End::Holder(p.id, delivered), None, ids, out);
        let accessories = &ctx.catalog.accessories[division];
        if !accessories.is_empty() && r.chance(0.25) {
            let acc = *r.pick(accessories);
            let when = delivered.max(acc.valid_from + Duration::days(2)).min(ctx.today - Duration::days(1));
            device(ctx, &mut r, acc, division, home, End::Holder(p.id, when), None, ids, out);
        }
    }
}

/// Tolvan's rollator, wheelchair, bed and mattress: fixed articles (the
/// divisions' anchors) and dates relative to her move into SÄBO, each with
/// earlier holders so the device card shows a full history.
fn tolvan(ctx: &Ctx, p: &Profile, r: &mut Rng, ids: &mut Ids, out: &mut DeviceRows) {
    let home = ctx.org.central[MUNICIPALITIES[p.muni].hmc];
    let moved_in = ctx.today - Duration::days(patients::TOLVAN_SAEBO_DAYS);
    let plan: [(usize, i64, usize); 4] = [(0, -500, 2), (1, 25, 1), (2, 3, 1), (3, 3, 2)];
    for (division, offset, previous) in plan {
        let article = ctx.catalog.anchor(division);
        let delivered = moved_in + Duration::days(offset);
        device(ctx, r, article, division, home, End::Holder(p.id, delivered), Some(previous), ids, out);
    }
}

/// A device of the fleet that no patient holds: in stock, in the workshop,
/// scrapped or lost. The first few are rollators on the shelf in
/// Hjälpmedelscentralen Mölndal, then one of every lent division's anchor.
pub fn fleet(ctx: &Ctx, index: usize, ids: &mut Ids, out: &mut DeviceRows) {
    let mut r = Rng::derive(ctx.seed, stream::FLEET, index as u64);
    let muni = ctx.org.population.sample(&mut r);
    let hmc = MUNICIPALITIES[muni].hmc;
    let home = ctx.org.central[hmc];
    if index < 12 {
        let anchor = ctx.catalog.anchor(0);
        return device(ctx, &mut r, anchor, 0, ctx.org.central[0], End::Stock(None), None, ids, out);
    }
    if index < 12 + DIVISIONS.len() {
        let lent: Vec<usize> = (0..DIVISIONS.len()).filter(|d| !ctx.catalog.mains[*d].is_empty()).collect();
        if let Some(&d) = lent.get(index - 12) {
            return device(ctx, &mut r, ctx.catalog.anchor(d), d, home, End::Stock(None), None, ids, out);
        }
    }
    let division = pick_division(&mut r, AgeGroup::Elderly, &[]).unwrap_or(0);
    let accessories = &ctx.catalog.accessories[division];
    let article = if !accessories.is_empty() && r.chance(0.2) {
        *r.pick(accessories)
    } else {
        pick_article(&mut r, ctx.catalog, division)
    };
    let end = fleet_end(&mut r, ctx, hmc);
    device(ctx, &mut r, article, division, home, end, None, ids, out);
}

fn fleet_end(r: &mut Rng, ctx: &Ctx, hmc: usize) -> End {
    let ago = |r: &mut Rng, lo, hi| ctx.today - Duration::days(r.range(lo, hi));
    match r.weighted(&[55, 12, 25, 8]) {
        0 => {
            let buffers = &ctx.org.buffers_by_hmc[hmc];
            End::Stock((!buffers.is_empty() && r.chance(0.15)).then(|| *r.pick(buffers)))
        }
        1 => End::Workshop,
        2 => End::Scrapped(ago(r, 1, 1_500), r.chance(0.8)),
        _ => End::Lost(ago(r, 1, 1_500)),
    }
}

/// Divisions a patient needs, weighted by age group; `None` if every pick repeats.
fn pick_division(r: &mut Rng, group: AgeGroup, taken: &[usize]) -> Option<usize> {
    let weights: Vec<u32> = DIVISIONS
        .iter()
        .map(|d| match group {
            AgeGroup::Elderly => d.need.0,
            AgeGroup::Adult => d.need.1,
            AgeGroup::Child => d.need.2,
        })
        .collect();
    (0..3).map(|_| r.weighted(&weights)).find(|d| !taken.contains(d))
}

/// An article of the division; the anchor often, since the most common
/// model is the one most often out.
fn pick_article(r: &mut Rng, catalog: &Catalog, division: usize) -> ArticleRef {
    let mains = &catalog.mains[division];
    if r.chance(0.2) {
        mains[0]
    } else {
        *r.pick(mains)
    }
}

/// When the patient's current loan began: often after the current setting
/// began (so a SÄBO resident's devices are mostly SÄBO-era), never before
/// the article entered the assortment.
fn delivery_date(r: &mut Rng, p: &Profile, article: ArticleRef, today: NaiveDate) -> NaiveDate {
    let earliest = (article.valid_from + Duration::days(2)).max(p.birth + Duration::days(30));
    let latest = today - Duration::days(1);
    let from = if p.setting != Setting::Ordinary && r.chance(0.7) { p.since.max(earliest) } else { earliest };
    let span = (latest - from).num_days().clamp(0, 2_500);
    let back = if r.chance(0.4) { r.range(0, span.min(365)) } else { r.range(0, span) };
    (latest - Duration::days(back)).max(earliest.min(latest))
}

/// Writes one device with its history, loans and events.
#[allow(clippy::too_many_arguments)]
fn device(
    ctx: &Ctx,
    r: &mut Rng,
    article: ArticleRef,
    division: usize,
    home: Id,
    end: End,
    previous: Option<usize>,
    ids: &mut Ids,
    out: &mut DeviceRows,
) {
    let id = ids.device;
    ids.device += 1;
    let until = start_of_end(r, ctx.today, end);
    let wanted = previous.unwrap_or_else(|| {
        if article.reconditionable {
            [0, 1, 2, 3, 4][r.weighted(&[40, 30, 18, 8, 4])]
        } else {
            0
        }
    });
    let (purchased, cycles) = backwards(r, ctx, article, until, wanted, end);
    let mut w = Writer { ctx, id, article, division, home, warehouse: home, state: None, at: None, ids, out };
    w.event(r, purchased, E::Received, None, None);
    for c in &cycles {
        w.lend(r, c.holder, c.delivered, Some(c.returned));
        w.event(
            r,
            c.reconditioned,
            E::Reconditioned,
            None,
            Some("Rekonditionerad: rengjord och funktionskontrollerad"),
        );
    }
    w.finish(r, end, until);
    if let End::Holder(patient, since) = end {
        orders::out_with_patient(ctx.seed, ctx.today, ctx.staff, id, patient, since, w.ids, &mut w.out.history);
    }
    let (state, at) = (w.state.expect("at least one event"), w.at.expect("at least one event"));
    let supplier = SUPPLIERS[article.supplier].1;
    out.devices.push(Device {
        id,
        device_number: format!("{}", 1_000_000 + id),
        article_id: article.id,
        serial: Some(format!("{supplier}{:02}-{:06}", purchased.year() % 100, r.below(1_000_000))),
        purchase_date: purchased,
        purchase_price_ore: article.price_ore,
        state,
        warehouse_id: matches!(state, S::InStock | S::Reserved | S::InWorkshop).then_some(w_warehouse(&out.events, id)),
        patient_id: match end {
            End::Holder(p, _) => Some(p),
            _ => None,
        },
        unit_id: None,
        state_since: at,
    });
}

/// The warehouse of the device's last event that named one.
fn w_warehouse(events: &[DeviceEvent], device: Id) -> Id {
    events
        .iter()
        .rev()
        .take_while(|e| e.device_id == device)
        .find_map(|e| e.warehouse_id)
        .expect("a stocked device has been in a warehouse")
}

/// The first day of the final stretch: the history before it must end earlier.
fn start_of_end(r: &mut Rng, today: NaiveDate, end: End) -> NaiveDate {
    match end {
        End::Holder(_, since) => since,
        End::Stock(_) => today - Duration::days(r.range(1, 200)),
        End::Workshop => today - Duration::days(r.range(40, 400)),
        End::Scrapped(on, true) | End::Lost(on) => on - Duration::days(r.range(30, 900)),
        End::Scrapped(on, false) => on - Duration::days(r.range(1, 120)),
    }
}

/// Earlier loan cycles, generated backwards from `until`, and the purchase
/// date. Cycles that would start before the article entered the assortment
/// are dropped.
fn backwards(
    r: &mut Rng,
    ctx: &Ctx,
    article: ArticleRef,
    until: NaiveDate,
    wanted: usize,
    end: End,
) -> (NaiveDate, Vec<Cycle>) {
    let mut cycles = Vec::new();
    // A device back in stock at the end got there by a cycle of its own.
    let mut cursor = until;
    let floor = article.valid_from;
    for _ in 0..wanted {
        let reconditioned = cursor - Duration::days(r.range(2, 60));
        let returned = reconditioned - Duration::days(r.range(1, 21));
        let delivered = returned - Duration::days(r.range(30, 1_500));
        if delivered - Duration::days(1) <= floor {
            break;
        }
        cycles.push(Cycle { holder: previous_holder(r, ctx, end, delivered), delivered, returned, reconditioned });
        cursor = delivered;
    }
    cycles.reverse();
    let mut purchased = cursor - Duration::days(r.range(1, 30));
    if let Some(to) = article.valid_to {
        purchased = purchased.min(to);
    }
    (purchased.max(floor).min(cursor - Duration::days(1)), cycles)
}

/// An earlier holder: any other patient who was at least a year old when
/// the loan began (a few tries, then whoever came up last).
fn previous_holder(r: &mut Rng, ctx: &Ctx, end: End, delivered: NaiveDate) -> Id {
    let current = match end {
        End::Holder(p, _) => p,
        _ => 0,
    };
    let mut candidate = 2;
    for _ in 0..8 {
        candidate = 2 + r.below(ctx.patients.max(2) as u64 - 1) as Id;
        let born = patients::profile(ctx.seed, ctx.org, candidate, ctx.today).birth;
        if candidate != current && born + Duration::days(365) <= delivered {
            break;
        }
    }
    candidate
}

/// Appends one device's events and loans in order, tracking its state.
struct Writer<'a, 'b> {
    ctx: &'a Ctx<'a>,
    id: Id,
    article: ArticleRef,
    division: usize,
    home: Id,
    warehouse: Id,
    state: Option<S>,
    at: Option<DateTime<Utc>>,
    ids: &'b mut Ids,
    out: &'b mut DeviceRows,
}

impl Writer<'_, '_> {
    fn event(&mut self, r: &mut Rng, day: NaiveDate, kind: E, patient: Option<Id>, note: Option<&str>) {
        let to = match self.state {
            None => S::InStock,
            Some(s) => s.after(kind).expect("generated histories follow the lifecycle"),
        };
        let at = instant(r, day, kind);
        let (actor, warehouse) = match kind {
            E::Received | E::Moved | E::Returned => (pick(r, &self.ctx.staff.warehouse), Some(self.warehouse)),
            E::Delivered => (pick(r, &self.ctx.staff.warehouse), Some(self.warehouse)),
            E::Reconditioned | E::Repaired | E::Scrapped => {
                (pick(r, &self.ctx.staff.technicians), Some(self.warehouse))
            }
            _ => (pick(r, &self.ctx.staff.customer_service), None),
        };
        self.out.events.push(DeviceEvent {
            id: self.ids.event,
            device_id: self.id,
            occurred_at: at,
            kind,
            from_state: self.state,
            to_state: to,
            actor_user_id: Some(actor),
            patient_id: patient,
            warehouse_id: warehouse,
            note: note.map(Into::into),
        });
        self.ids.event += 1;
        self.state = Some(to);
        self.at = Some(at);
    }

    /// Delivered to `holder`, returned on `returned` if given (loan closed).
    fn lend(&mut self, r: &mut Rng, holder: Id, delivered: NaiveDate, returned: Option<NaiveDate>) {
        self.warehouse = self.home;
        self.event(r, delivered, E::Delivered, Some(holder), None);
        self.loan(holder, delivered, returned);
        self.order(holder);
        if let Some(back) = returned {
            self.event(r, back, E::Returned, Some(holder), Some("Retur via hämtorder"));
        }
    }

    /// The order behind the delivery just written (its event is the last), if within the order history.
    fn order(&mut self, holder: Id) {
        let (Some(event), Some(loan)) = (self.out.events.last(), self.out.loans.last()) else { return };
        let profile = patients::profile(self.ctx.seed, self.ctx.org, holder, self.ctx.today);
        let unit = match (loan.payer, profile.municipal) {
            (Payer::Municipality, Some(u)) => u,
            _ => profile.regional,
        };
        let decision = payer(self.ctx, &profile, &DIVISIONS[self.division], loan.start_date);
        let delivery = Delivery {
            device: self.id,
            article: &self.article,
            patient: holder,
            unit,
            event_id: event.id,
            at: event.occurred_at,
            payer: loan.payer,
            rule: &loan.rule_id,
            explanation: (&decision.explanation_sv, &decision.explanation_en),
            customer_number: loan.customer_number_id,
            warehouse_actor: event.actor_user_id.unwrap_or(1),
        };
        let c = self.ctx;
        orders::for_delivery(c.seed, c.today, c.groups, c.prescribers, &delivery, self.ids, &mut self.out.history);
    }

    fn loan(&mut self, holder: Id, start: NaiveDate, end: Option<NaiveDate>) {
        let profile = patients::profile(self.ctx.seed, self.ctx.org, holder, self.ctx.today);
        let decision = payer(self.ctx, &profile, &DIVISIONS[self.division], start);
        self.out.loans.push(Loan {
            device_id: self.id,
            patient_id: Some(holder),
            unit_id: None,
            customer_number_id: decision.customer_number,
            payer: decision.payer,
            rule_id: decision.rule,
            agreement_version: AGREEMENT_VERSION.into(),
            start_date: start,
            end_date: end,
        });
    }

    fn finish(&mut self, r: &mut Rng, end: End, until: NaiveDate) {
        let today = self.ctx.today;
        match end {
            End::Holder(p, since) => self.lend(r, p, since, None),
            End::Stock(buffer) => {
                if self.state == Some(S::InStock) && self.only_received() && r.chance(0.5) {
                    // Bought recently, never lent: nothing more to tell.
                } else {
                    let back = until - Duration::days(r.range(1, 20));
                    let out = back - Duration::days(r.range(30, 900));
                    if out > self.last_day() {
                        let holder = previous_holder(r, self.ctx, end, out);
                        self.lend(r, holder, out, Some(back));
                        self.event(
                            r,
                            until,
                            E::Reconditioned,
                            None,
                            Some("Rekonditionerad: rengjord och funktionskontrollerad"),
                        );
                    }
                }
                if let Some(b) = buffer {
                    let day = self.last_day() + Duration::days(r.range(1, 30));
                    if day < today {
                        self.warehouse = b;
                        self.event(r, day, E::Moved, None, Some("Flyttad till buffertförråd"));
                    }
                }
            }
            End::Workshop => {
                let back = today - Duration::days(r.range(1, 30));
                let out = until.max(self.last_day() + Duration::days(1)).min(back - Duration::days(1));
                let holder = previous_holder(r, self.ctx, end, out);
                self.lend(r, holder, out, Some(back));
                let returned = self.at.expect("returned");
                orders::workshop(self.ctx.seed, self.ctx.staff, self.id, returned, self.ids, &mut self.out.history);
            }
            End::Scrapped(on, after_return) => {
                if after_return {
                    let back = on - Duration::days(r.range(1, 14));
                    let out = until.max(self.last_day() + Duration::days(1)).min(back - Duration::days(1));
                    let holder = previous_holder(r, self.ctx, end, out);
                    self.lend(r, holder, out, Some(back));
                }
                let note = *r.pick(&[
                    "Kasserad: uttjänt",
                    "Kasserad: ej ekonomiskt reparerbar",
                    "Kasserad: utgånget sortiment",
                ]);
                let day = on.max(self.last_day());
                self.event(r, day, E::Scrapped, None, Some(note));
            }
            End::Lost(on) => {
                let out = until.max(self.last_day() + Duration::days(1)).min(on - Duration::days(1));
                let holder = previous_holder(r, self.ctx, end, out);
                self.warehouse = self.home;
                self.event(r, out, E::Delivered, Some(holder), None);
                self.loan(holder, out, Some(on));
                self.order(holder);
                self.event(r, on, E::ReportedLost, Some(holder), Some("Anmäld förkommen av förskrivare"));
            }
        }
    }

    fn only_received(&self) -> bool {
        self.out.events.last().is_some_and(|e| e.device_id == self.id && e.kind == E::Received)
    }

    fn last_day(&self) -> NaiveDate {
        self.at.expect("an event was written").date_naive()
    }
}

fn pick(r: &mut Rng, ids: &[Id]) -> Id {
    *r.pick(ids)
}

/// The time of day an event of this kind typically happens (UTC); the
/// order within one day follows the lifecycle.
fn instant(r: &mut Rng, day: NaiveDate, kind: E) -> DateTime<Utc> {
    let (h, spread) = match kind {
        E::Received => (6, 1),
        E::Moved => (7, 1),
        E::Delivered => (8, 3),
        E::ReportedLost => (9, 2),
        E::Returned => (12, 1),
        E::Reconditioned | E::Repaired => (13, 2),
        E::Scrapped => (15, 1),
        _ => (10, 1),
    };
    let minutes = h * 60 + r.below(spread * 60) as u32;
    Utc.from_utc_datetime(&day.and_hms_opt(minutes / 60, minutes % 60, 0).expect("valid time"))
}

/// The agreement set the demo decides its loans with (the shipped files).
fn agreements() -> &'static AgreementSet {
    static SET: OnceLock<AgreementSet> = OnceLock::new();
    SET.get_or_init(AgreementSet::builtin)
}

/// The patient's housing on `on`, as [`patients`] records the setting history.
fn setting_on(p: &Profile, on: NaiveDate) -> Setting {
    match p.past_stay {
        Some((from, to)) if (from..=to).contains(&on) => Setting::ShortTermStay,
        _ if on >= p.since => p.setting,
        _ => Setting::Ordinary,
    }
}

/// Who pays for a loan starting on `on`, decided by the demo region's
/// agreement ([`DEMO_AGREEMENT_REGION`]) exactly as an order for the same
/// patient and device would be: the rule's id and explanation are kept, and
/// the customer number invoiced is the regional unit's or, when the
/// municipality pays, the municipal unit's. The one fact the agreement asks
/// (enrolled in municipal home health care) is what the patient's profile
/// says on that day.
pub(super) fn payer(ctx: &Ctx, p: &Profile, division: &Division, on: NaiveDate) -> LoanDecision {
    let org = ctx.org;
    let home_health_care = p.municipal.is_some() && on >= p.municipal_since;
    // Loans older than the first shipped version are recorded as decided by
    // it (the demo has no older rules); the patient is taken as on that day.
    let first = NaiveDate::from_ymd_opt(2021, 1, 1).expect("valid date");
    let req = DecisionRequest {
        region: DEMO_AGREEMENT_REGION.into(),
        date: on.max(first),
        patient: CostPatient::Age(on.years_since(p.birth).unwrap_or(0)),
        setting: setting_on(p, on),
        product: Product {
            iso: Some(ramp_domain::ids::IsoCode::parse(division.iso).expect("a demo division has a valid ISO code")),
            kind: Kind::Device,
            facts: BTreeMap::from([("municipal_home_health_care".to_string(), home_health_care)]),
        },
        need: Need::Lasting,
    };
    let decision = match agreements().decide(&req) {
        Ok(Outcome::Decision(d)) => d,
        other => panic!("the demo region's agreement answers every demo loan: {other:?}"),
    };
    let customer_number = match (decision.payer, p.municipal) {
        (Payer::Municipality, Some(unit)) => org.customer_number_of(unit),
        _ => org.customer_number_of(p.regional),
    };
    LoanDecision {
        payer: decision.payer,
        rule: decision.rule,
        customer_number,
        explanation_sv: decision.explanation.sv,
        explanation_en: decision.explanation.en,
    }
}

/// A generated loan's cost decision.
#[derive(Debug, Clone)]
pub(super) struct LoanDecision {
    pub payer: Payer,
    pub rule: String,
    pub customer_number: Id,
    pub explanation_sv: String,
    pub explanation_en: String,
}
