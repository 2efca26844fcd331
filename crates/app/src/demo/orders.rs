//! A year of order history behind the generated deliveries, so the
//! figures page has something to show: every delivery of the last
//! [`HISTORY_DAYS`] days gets the order that led to it (placed by a
//! prescriber at the patient's unit, with a promised date from the
//! article's lead-time class, a few percent delivered late), the
//! replacement-chain answer when the article is in a replacement group,
//! and the workshop gets its open work orders.
//!
//! Pure like the rest of the generator, and drawn from streams of its own
//! (`stream::ORDER`, `stream::WORK`), so the devices, loans and events are
//! exactly what they were before order history existed.

use super::catalog::ArticleRef;
use super::devices::Ids;
use super::people::Staff;
use super::rng::{stream, Rng};
use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use ramp_domain::article::LeadTimeClass;
use ramp_domain::calendar::{add_working_days, is_working_day, promised_date};
use ramp_domain::cost::Payer;
use ramp_domain::order::{LineState, OrderChannel, OrderStatus, OrderTarget, Substitution};
use ramp_domain::product::DeclineReason;
use ramp_domain::role::Role;
use ramp_domain::work_order::{WorkOrderKind, WorkOrderStatus};
use ramp_domain::Term;
use ramp_model::{
    HistoryAnswer, HistoryOrder, HistoryOrderEvent, HistoryOrderLine, HistoryWorkOrder, Id, OrderHistory,
    ReplacementGroup, User,
};
use std::collections::HashMap;

/// How far back the order history reaches.
pub const HISTORY_DAYS: i64 = 365;

/// Replacement groups by member article, for the proposals behind an order.
#[derive(Debug, Default)]
pub struct GroupIndex {
    /// (group id, fixed, members oldest first).
    groups: Vec<(Id, bool, Vec<Id>)>,
    /// Article → (index into `groups`, the article's rank in it).
    by_article: HashMap<Id, (usize, usize)>,
}

impl GroupIndex {
    pub fn new(groups: &[ReplacementGroup]) -> GroupIndex {
        let mut index = GroupIndex::default();
        for g in groups {
            for (rank, a) in g.members.iter().enumerate() {
                index.by_article.insert(*a, (index.groups.len(), rank));
            }
            index.groups.push((g.id, g.fixed, g.members.clone()));
        }
        index
    }
}

/// Prescribers by unit, for who placed an order.
#[derive(Debug, Default)]
pub struct Prescribers {
    by_unit: HashMap<Id, Vec<Id>>,
}

impl Prescribers {
    pub fn new(users: &[User]) -> Prescribers {
        let mut by_unit: HashMap<Id, Vec<Id>> = HashMap::new();
        for u in users.iter().filter(|u| u.roles.contains(&Role::Prescriber)) {
            if let Some(unit) = u.unit_id {
                by_unit.entry(unit).or_default().push(u.id);
            }
        }
        Prescribers { by_unit }
    }

    /// A prescriber at `unit`, or the named prescriber (`forskrivare`, id 1) when the unit has none.
    fn at(&self, r: &mut Rng, unit: Id) -> Id {
        self.by_unit.get(&unit).map(|ids| *r.pick(ids)).unwrap_or(1)
    }
}

/// A delivery the device generator wrote: the order behind it is made here.
pub struct Delivery<'a> {
    pub device: Id,
    pub article: &'a ArticleRef,
    pub patient: Id,
    /// The unit that prescribed: the municipal unit when the municipality pays, else the regional one.
    pub unit: Id,
    /// The `delivered` event: its id draws the order's randomness, its instant is the delivery.
    pub event_id: Id,
    pub at: DateTime<Utc>,
    pub payer: Payer,
    pub rule: &'a str,
    /// The deciding rule's explanation (Swedish, English), as an order line keeps it.
    pub explanation: (&'a str, &'a str),
    pub customer_number: Id,
    pub warehouse_actor: Id,
}

/// The `n`-th working day before `day` (so `add_working_days(result, n) == day` for a working `day`).
fn working_days_before(day: NaiveDate, n: u32) -> NaiveDate {
    let mut d = day;
    let mut left = n;
    while left > 0 {
        d = d.pred_opt().expect("date within range");
        if is_working_day(d) {
            left -= 1;
        }
    }
    d
}

fn lead_days(class: LeadTimeClass) -> u32 {
    match class {
        LeadTimeClass::Stock4 => 4,
        LeadTimeClass::Stock7 => 7,
        LeadTimeClass::Order17 => 17,
        LeadTimeClass::Acute => 1,
    }
}

/// How likely a line of this class is delivered late in this month: a few
/// percent, acute orders rarely, more in January and in the summer when
/// suppliers are short (seed 003: "leverantörer haft svårt att leverera").
fn late_chance(class: LeadTimeClass, month: u32) -> f64 {
    let base = match class {
        // Seed 003: "Leveranssäkerhet på 4 ledtidsdagar, överstiger målet på 98 %".
        LeadTimeClass::Stock4 => 0.008,
        LeadTimeClass::Stock7 => 0.02,
        LeadTimeClass::Order17 => 0.03,
        LeadTimeClass::Acute => 0.004,
    };
    let season = [2.2, 1.6, 1.0, 0.8, 0.9, 1.2, 2.0, 1.5, 1.0, 0.7, 0.9, 1.4][month as usize - 1];
    base * season
}

/// The order date and promised date of a line delivered on `delivered`.
fn dates(r: &mut Rng, class: LeadTimeClass, delivered: NaiveDate) -> (NaiveDate, NaiveDate) {
    let n = lead_days(class);
    let first = if is_working_day(delivered) { delivered } else { add_working_days(delivered, 1) };
    let promised = if r.chance(late_chance(class, delivered.month())) {
        working_days_before(delivered, 1 + r.below(4) as u32)
    } else {
        // Delivered on the promised day or up to two working days before it;
        // the order always comes before the delivery.
        add_working_days(first, r.below(u64::from(n.min(3))) as u32)
    };
    let ordered = working_days_before(promised, n);
    debug_assert_eq!(promised_date(ordered, class), promised);
    (ordered, promised)
}

fn at_time(day: NaiveDate, minutes: u32) -> DateTime<Utc> {
    Utc.from_utc_datetime(&day.and_hms_opt(minutes / 60, minutes % 60, 0).expect("valid time"))
}

/// The requested article, the substitution and the answer recorded, for a
/// delivered article in a replacement group: a fixed group swaps a newer
/// article for an older one without asking; in an ordinary group about
/// two in three orderers accept the older one proposed (seed 004).
fn substitution(r: &mut Rng, groups: &GroupIndex, article: Id) -> (Id, Substitution, Option<(Id, Id, Id)>) {
    let none = (article, Substitution::None, None);
    let Some(&(g, rank)) = groups.by_article.get(&article) else { return none };
    let (group, fixed, members) = &groups.groups[g];
    let newer = &members[rank + 1..];
    let older = &members[..rank];
    if *fixed {
        if !newer.is_empty() && r.chance(0.7) {
            let requested = *r.pick(newer);
            return (requested, Substitution::Automatic, Some((*group, requested, article)));
        }
        return none;
    }
    if !r.chance(0.5) {
        return none;
    }
    if r.chance(0.65) {
        if newer.is_empty() {
            return none;
        }
        let requested = *r.pick(newer);
        (requested, Substitution::Accepted, Some((*group, requested, article)))
    } else {
        if older.is_empty() {
            return none;
        }
        let proposed = *r.pick(older);
        (article, Substitution::Declined, Some((*group, article, proposed)))
    }
}

/// How a demo order came, drawn from a stream of its own so the rest of
/// the history stays as it was: mostly the portal, some from other systems
/// and the centre's staff, and the patients' own 1177 orders growing from
/// 20 % a year ago to 25 % now, as seed 003 reports ("en ökning på totalen
/// från 20 % till 25 %").
fn channel(seed: u64, order: Id, age: Duration) -> OrderChannel {
    let mut r = Rng::derive(seed, stream::CHANNEL, order as u64);
    let days_ago = age.num_days().clamp(0, HISTORY_DAYS);
    // Per ten thousand: 2,500 now, 2,000 a year ago.
    let via_1177 = 2_500 - (500 * days_ago / HISTORY_DAYS) as u64;
    match r.below(10_000) {
        x if x < via_1177 => OrderChannel::Patient1177,
        x if x < via_1177 + 800 => OrderChannel::Api,
        x if x < via_1177 + 1_300 => OrderChannel::HmcStaff,
        _ => OrderChannel::Portal,
    }
}

/// The order behind a delivery of the last year; nothing for older ones.
pub fn for_delivery(
    seed: u64,
    today: NaiveDate,
    groups: &GroupIndex,
    prescribers: &Prescribers,
    d: &Delivery,
    ids: &mut Ids,
    out: &mut OrderHistory,
) {
    let delivered = d.at.date_naive();
    if delivered < today - Duration::days(HISTORY_DAYS) {
        return;
    }
    let mut r = Rng::derive(seed, stream::ORDER, d.event_id as u64);
    let class = d.article.lead;
    let (ordered, promised) = dates(&mut r, class, delivered);
    let created_at = at_time(ordered, 6 * 60 + r.below(9 * 60) as u32);
    let created_by = prescribers.at(&mut r, d.unit);
    let (requested, substitution, answer) = substitution(&mut r, groups, d.article.id);
    let (order, line) = (ids.order, ids.order);
    ids.order += 1;
    if let Some((group, requested, proposed)) = answer {
        out.answers.push(HistoryAnswer {
            id: ids.answer,
            occurred_at: created_at - Duration::minutes(2 + r.below(20) as i64),
            user_id: created_by,
            group_id: group,
            requested_article_id: requested,
            proposed_article_id: proposed,
            answer: substitution,
            // Drawn from the id, not the stream: the rest of the history stays as it was.
            decline_reason: (substitution == Substitution::Declined)
                .then(|| DeclineReason::ALL[(ids.answer as usize) % (DeclineReason::ALL.len() - 1)]),
        });
        ids.answer += 1;
    }
    out.orders.push(HistoryOrder {
        id: order,
        target: OrderTarget::Patient,
        patient_id: Some(d.patient),
        unit_id: d.unit,
        created_by,
        status: OrderStatus::Delivered,
        goal: None,
        received_by: None,
        channel: channel(seed, order, today - created_at.date_naive()),
        created_at,
        updated_at: d.at,
    });
    out.lines.push(HistoryOrderLine {
        id: line,
        order_id: order,
        line_no: 1,
        article_id: d.article.id,
        requested_article_id: requested,
        substitution,
        device_id: Some(d.device),
        quantity: 1,
        payer: d.payer,
        customer_number_id: d.customer_number,
        rule_id: d.rule.into(),
        agreement_version: super::devices::AGREEMENT_VERSION.into(),
        explanation_sv: d.explanation.0.to_string(),
        explanation_en: d.explanation.1.to_string(),
        trust_prescription: false,
        lead_time_class: class,
        promised_date: promised,
        state: LineState::Delivered,
        delivered_at: Some(d.at),
    });
    for (at, from, to, actor) in [
        (created_at, None, OrderStatus::Registered, created_by),
        (d.at, Some(OrderStatus::Registered), OrderStatus::Delivered, d.warehouse_actor),
    ] {
        out.events.push(HistoryOrderEvent {
            id: ids.order_event,
            order_id: order,
            occurred_at: at,
            from_status: from,
            to_status: to,
            actor_user_id: actor,
            note: None,
        });
        ids.order_event += 1;
    }
}

/// A device that came back into the workshop has an open work order from
/// the day it came back: mostly reconditioning, some repairs and maintenance.
pub fn workshop(seed: u64, staff: &Staff, device: Id, returned: DateTime<Utc>, ids: &mut Ids, out: &mut OrderHistory) {
    let mut r = Rng::derive(seed, stream::WORK, device as u64);
    let (kind, description) = [
        (WorkOrderKind::Reconditioning, "Rekonditionering efter retur"),
        (WorkOrderKind::Repair, "Reparation: fel upptäckt vid returkontroll"),
        (WorkOrderKind::Maintenance, "Förebyggande underhåll"),
    ][r.weighted(&[70, 22, 8])];
    work_order(&mut r, staff, kind, description, device, None, returned + Duration::hours(1), ids, out);
}

/// Now and then a device out with a patient has an open fault report or
/// maintenance visit, up to half a year old.
#[allow(clippy::too_many_arguments)] // the generator's context, passed along positionally
pub fn out_with_patient(
    seed: u64,
    today: NaiveDate,
    staff: &Staff,
    device: Id,
    patient: Id,
    since: NaiveDate,
    ids: &mut Ids,
    out: &mut OrderHistory,
) {
    let mut r = Rng::derive(seed, stream::WORK, device as u64);
    let (kind, description) = match r.weighted(&[990, 7, 3]) {
        0 => return,
        1 => (WorkOrderKind::Repair, "Felanmälan: fungerar inte som avsett"),
        _ => (WorkOrderKind::Maintenance, "Förebyggande underhåll hos brukaren"),
    };
    let days = (today - since).num_days().clamp(1, 200);
    let day = today - Duration::days(r.range(0, days - 1));
    let at = at_time(day, 7 * 60 + r.below(8 * 60) as u32);
    work_order(&mut r, staff, kind, description, device, Some(patient), at, ids, out);
}

#[allow(clippy::too_many_arguments)] // a work-order row, positionally
fn work_order(
    r: &mut Rng,
    staff: &Staff,
    kind: WorkOrderKind,
    description: &str,
    device: Id,
    patient: Option<Id>,
    at: DateTime<Utc>,
    ids: &mut Ids,
    out: &mut OrderHistory,
) {
    out.work_orders.push(HistoryWorkOrder {
        id: ids.work_order,
        kind,
        device_id: Some(device),
        patient_id: patient,
        status: WorkOrderStatus::Open,
        description: description.into(),
        created_by: *r.pick(&staff.customer_service),
        created_at: at,
        safety_notice_id: None,
    });
    ids.work_order += 1;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_generated_order_keeps_its_promise_rule_and_comes_before_its_delivery() {
        let mut r = Rng::new(5);
        let mut late = 0;
        let start = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
        for i in 0..3_000 {
            let delivered = start + Duration::days(i % 400);
            let class = [LeadTimeClass::Stock7, LeadTimeClass::Order17, LeadTimeClass::Acute][i as usize % 3];
            let (ordered, promised) = dates(&mut r, class, delivered);
            assert_eq!(promised_date(ordered, class), promised, "{delivered} {class}");
            assert!(ordered < delivered, "{ordered} !< {delivered}");
            late += usize::from(promised < delivered);
        }
        assert!((20..200).contains(&late), "a few percent late: {late} of 3000");
    }
}
