//! The figures the assistive-device council follows (issue 5; the seeds'
//! "Leveranssäkerhet, senaste 6 månaderna", "återanvändningsgraden",
//! "tackar JA till föreslagen ersättningsartikel", "Inköpta/Förskrivna"):
//! delivery reliability against its targets, reuse rate, replacement
//! acceptance, purchased vs prescribed per fixed replacement group, and
//! open work orders by age.
//!
//! This module owns the rules; the storage only counts. Which month or
//! quarter an instant belongs to (its Stockholm civil date), when a
//! delivery is on time, how a share is rounded and what the targets are
//! are decided here. The storage groups rows by [`UtcSlot`] — the UTC day
//! and whether the UTC hour is before 22, 22 or 23 — which is exactly fine
//! enough to know each row's Stockholm date (Stockholm is UTC+1 or UTC+2,
//! and summer time switches at 01:00 UTC), and these functions fold the
//! slots into Stockholm months.

pub mod channels;
pub mod lost;
pub mod prescribing;

use crate::article::LeadTimeClass;
use crate::cost::Payer;
use crate::order::Substitution;
use crate::time::{is_summer_time, stockholm_date};
use crate::{FieldError, Term};
use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use std::collections::BTreeMap;
use std::fmt;
use strum::{IntoStaticStr, VariantArray};

/// Whether a row of `principal_code` belongs in a figure narrowed to the
/// principal `filter` (issue 22: "per-municipality breakdowns"); without a
/// filter every row does. Which principal a row has is the figure's own
/// definition (the ordering unit's, or the customer number's that is invoiced).
pub fn is_of_principal(filter: Option<&str>, principal_code: &str) -> bool {
    filter.is_none_or(|f| f == principal_code)
}

/// The target for delivery reliability: 98 % for the 7- and 17-day
/// assortments, 100 % for acute orders (seed 004, "Avtalade mål"), 98 % for
/// the drug-adjacent 4-day assortment (seed 003: "Leveranssäkerhet på 4
/// ledtidsdagar, överstiger målet på 98 %").
pub fn target(class: LeadTimeClass) -> Percent {
    match class {
        LeadTimeClass::Acute => Percent::from_hundredths(10_000),
        LeadTimeClass::Stock4 | LeadTimeClass::Stock7 | LeadTimeClass::Order17 => Percent::from_hundredths(9_800),
    }
}

/// A delivery is on time when its Stockholm delivery date is on or before
/// the promised date (delivering early is on time).
pub fn is_on_time(delivered_on: NaiveDate, promised: NaiveDate) -> bool {
    delivered_on <= promised
}

/// The UTC instant at which the Stockholm civil date `date` begins.
pub fn stockholm_midnight_utc(date: NaiveDate) -> DateTime<Utc> {
    let midnight = Utc.from_utc_datetime(&date.and_hms_opt(0, 0, 0).expect("midnight exists"));
    let summer = midnight - Duration::hours(2);
    if is_summer_time(summer) {
        summer
    } else {
        midnight - Duration::hours(1)
    }
}

/// A calendar month (of Stockholm civil time).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    year: i32,
    month: u32,
}

const MONTHS_SV: [&str; 12] = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"];
const MONTHS_EN: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

impl Month {
    pub fn new(year: i32, month: u32) -> Option<Month> {
        ((1..=12).contains(&month) && crate::time::YEARS.contains(&year)).then_some(Month { year, month })
    }

    /// Parses `YYYY-MM`; an error names `field`.
    pub fn parse(field: &str, s: &str) -> Result<Month, FieldError> {
        let bad =
            || FieldError::new(field, "invalid_month", format!("'{s}' is not a month: write YYYY-MM, e.g. 2024-04"));
        let (y, m) = s.trim().split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || m.len() != 2 || !y.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        Month::new(y.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?).ok_or_else(bad)
    }

    /// The month a date falls in.
    pub fn of(date: NaiveDate) -> Month {
        Month { year: date.year(), month: date.month() }
    }

    pub fn year(self) -> i32 {
        self.year
    }

    /// 1 to 12.
    pub fn number(self) -> u32 {
        self.month
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).expect("a valid month")
    }

    pub fn next(self) -> Month {
        if self.month == 12 {
            Month { year: self.year + 1, month: 1 }
        } else {
            Month { year: self.year, month: self.month + 1 }
        }
    }

    pub fn prev(self) -> Month {
        if self.month == 1 {
            Month { year: self.year - 1, month: 12 }
        } else {
            Month { year: self.year, month: self.month - 1 }
        }
    }

    /// Months from `self` to `later`, counting both (1 when equal, 0 when `later` is earlier).
    pub fn count_to(self, later: Month) -> i32 {
        ((later.year - self.year) * 12 + later.month as i32 - self.month as i32 + 1).max(0)
    }

    pub fn quarter(self) -> Quarter {
        Quarter { year: self.year, q: (self.month - 1) / 3 + 1 }
    }

    /// "nov 2023", as a Swedish table header.
    pub fn label_sv(self) -> String {
        format!("{} {}", MONTHS_SV[self.month as usize - 1], self.year)
    }

    /// "Nov 2023".
    pub fn label_en(self) -> String {
        format!("{} {}", MONTHS_EN[self.month as usize - 1], self.year)
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// A calendar quarter: Q1 is January to March.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quarter {
    year: i32,
    q: u32,
}

impl Quarter {
    pub fn first_month(self) -> Month {
        Month { year: self.year, month: (self.q - 1) * 3 + 1 }
    }

    pub fn last_month(self) -> Month {
        Month { year: self.year, month: self.q * 3 }
    }

    pub fn next(self) -> Quarter {
        self.last_month().next().quarter()
    }

    /// "Q1 2024", as the seeds write it.
    pub fn label(self) -> String {
        format!("Q{} {}", self.q, self.year)
    }
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-Q{}", self.year, self.q)
    }
}

/// The months a report covers, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonthRange {
    pub from: Month,
    pub to: Month,
}

impl MonthRange {
    /// The longest range one report covers (three years), so a request
    /// cannot ask the database for decades.
    pub const MAX_MONTHS: i32 = 36;
    /// Months shown when none are asked for: the seeds' "senaste 6 månaderna".
    pub const DEFAULT_MONTHS: i32 = 6;

    /// `from`/`to` as given (`YYYY-MM`, either may be missing). Without
    /// `to`, the last complete month before `today`; without `from`, six
    /// months ending with `to`.
    pub fn parse(from: Option<&str>, to: Option<&str>, today: NaiveDate) -> Result<MonthRange, FieldError> {
        fn given(s: Option<&str>) -> Option<&str> {
            s.map(str::trim).filter(|s| !s.is_empty())
        }
        let to = match given(to) {
            Some(s) => Month::parse("to", s)?,
            None => Month::of(today).prev(),
        };
        let from = match given(from) {
            Some(s) => Month::parse("from", s)?,
            None => (1..Self::DEFAULT_MONTHS).fold(to, |m, _| m.prev()),
        };
        Self::new(from, to)
    }

    pub fn new(from: Month, to: Month) -> Result<MonthRange, FieldError> {
        if to < from {
            return Err(FieldError::new(
                "to",
                "month_range_reversed",
                format!("'to' ({to}) is before 'from' ({from})"),
            ));
        }
        if from.count_to(to) > Self::MAX_MONTHS {
            return Err(FieldError::new(
                "to",
                "month_range_too_long",
                format!("a report covers at most {} months", Self::MAX_MONTHS),
            ));
        }
        Ok(MonthRange { from, to })
    }

    pub fn months(&self) -> Vec<Month> {
        std::iter::successors(Some(self.from), |m| Some(m.next())).take_while(|m| *m <= self.to).collect()
    }

    pub fn contains(&self, m: Month) -> bool {
        self.from <= m && m <= self.to
    }

    /// When the range begins, in UTC (Stockholm midnight of its first day).
    pub fn start_utc(&self) -> DateTime<Utc> {
        stockholm_midnight_utc(self.from.first_day())
    }

    /// When the range ends (exclusive), in UTC.
    pub fn end_utc(&self) -> DateTime<Utc> {
        stockholm_midnight_utc(self.to.next().first_day())
    }

    /// The range widened to whole quarters (quarterly figures).
    pub fn whole_quarters(&self) -> MonthRange {
        MonthRange { from: self.from.quarter().first_month(), to: self.to.quarter().last_month() }
    }

    pub fn quarters(&self) -> Vec<Quarter> {
        let last = self.to.quarter();
        std::iter::successors(Some(self.from.quarter()), |q| Some(q.next())).take_while(|q| *q <= last).collect()
    }
}

/// An instant as the storage groups it: its UTC day, and its UTC hour as
/// 0 (any hour before 22), 22 or 23. Every instant of one slot has the
/// same Stockholm date, so counts per slot can be folded into Stockholm
/// days and months without reading each row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UtcSlot {
    pub day: NaiveDate,
    hour: u32,
}

impl UtcSlot {
    /// The slot of UTC `day` at UTC `hour` (0–23).
    pub fn new(day: NaiveDate, hour: u32) -> UtcSlot {
        UtcSlot { day, hour: if hour >= 22 { hour.min(23) } else { 0 } }
    }

    pub fn of(at: DateTime<Utc>) -> UtcSlot {
        let naive = at.naive_utc();
        UtcSlot::new(naive.date(), chrono::Timelike::hour(&naive))
    }

    /// 0, 22 or 23.
    pub fn hour(self) -> u32 {
        self.hour
    }

    /// The Stockholm civil date of every instant in the slot.
    pub fn stockholm_date(self) -> NaiveDate {
        // Summer time switches at 01:00 UTC, so hours 22 and 23 of one UTC
        // day never straddle a switch and 12:00 stands for hours 0–21.
        let hour = if self.hour == 0 { 12 } else { self.hour };
        stockholm_date(Utc.from_utc_datetime(&self.day.and_hms_opt(hour, 0, 0).expect("valid hour")))
    }

    pub fn month(self) -> Month {
        Month::of(self.stockholm_date())
    }
}

/// A percentage with two decimals, stored as hundredths of a percent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Percent(i64);

impl Percent {
    pub fn from_hundredths(h: i64) -> Percent {
        Percent(h)
    }

    /// `part` of `whole`, rounded half up to two decimals; `None` when
    /// `whole` is zero (nothing to measure: shown as "–", not as 0 %).
    pub fn of(part: i64, whole: i64) -> Option<Percent> {
        (whole > 0).then(|| Percent((part.max(0) * 20_000 + whole) / (2 * whole)))
    }

    pub fn hundredths(self) -> i64 {
        self.0
    }

    /// Whether `part` of `whole` reaches this percentage, exactly (no
    /// rounding): `part / whole >= hundredths / 10,000`. `None` when
    /// `whole` is zero.
    pub fn is_met_by(self, part: i64, whole: i64) -> Option<bool> {
        (whole > 0).then(|| i128::from(part.max(0)) * 10_000 >= i128::from(self.0) * i128::from(whole))
    }

    /// The number with a decimal comma: `95,51` (Swedish, and the CSV).
    pub fn number_sv(self) -> String {
        format!("{},{:02}", self.0 / 100, self.0 % 100)
    }

    /// The number with a decimal point: `95.51`.
    pub fn number_en(self) -> String {
        format!("{}.{:02}", self.0 / 100, self.0 % 100)
    }

    /// As a JSON number (`95.51`): exact to two decimals.
    pub fn as_f64(self) -> f64 {
        self.0 as f64 / 100.0
    }
}

/// Which agreement area a delivered line falls under, by the product area
/// of its article (issue 22; seed 003: "Hjälpmiddelscentralens rapport är
/// uppdelad på information kopplat till Samarbetsavtal för försörjning av
/// personliga hjälpmedel, Överenskommelse för hjälpmedel vid medicinsk
/// behandling och digitala hjälpmedel"). Each product area names its area
/// (`product_areas.agreement_area`); who pays does not decide it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[derive(IntoStaticStr, VariantArray)]
#[strum(serialize_all = "snake_case")]
pub enum Agreement {
    /// Samarbetsavtal för försörjning av personliga hjälpmedel.
    Cooperation,
    /// Överenskommelse för hjälpmedel vid medicinsk behandling.
    Overenskommelsen,
    /// Digitala hjälpmedel.
    Digital,
}

impl Term for Agreement {
    const FIELD: &'static str = "agreement_area";
    const CODE: &'static str = "invalid_agreement_area";
}

impl Agreement {
    pub const ALL: [Agreement; 3] = [Agreement::Cooperation, Agreement::Overenskommelsen, Agreement::Digital];

    pub fn name_sv(self) -> &'static str {
        match self {
            Agreement::Cooperation => "Samarbetsavtal",
            Agreement::Overenskommelsen => "Överenskommelsen",
            Agreement::Digital => "Digitala hjälpmedel",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            Agreement::Cooperation => "Cooperation agreement",
            Agreement::Overenskommelsen => "Region–municipality agreement",
            Agreement::Digital => "Digital assistive devices",
        }
    }
}

/// The seed's row label: "Samarbetsavtal - Leveranssäkerhet 7 dagars sortiment".
pub fn reliability_label_sv(agreement: Agreement, class: LeadTimeClass) -> String {
    format!("{} - {}", agreement.name_sv(), crate::tertial::reliability_name_sv(class))
}

pub fn reliability_label_en(agreement: Agreement, class: LeadTimeClass) -> String {
    format!("{} – {}", agreement.name_en(), crate::tertial::reliability_name_en(class).to_lowercase())
}

/// The rows of the delivery-reliability table: the seed's six rows (per
/// lead-time class, the cooperation agreement first), then the
/// drug-adjacent 4-day assortment and digital devices, each only when
/// something of it was delivered in the range (seed 004 has neither).
const STANDARD_ROWS: [(Agreement, LeadTimeClass); 6] = [
    (Agreement::Cooperation, LeadTimeClass::Stock7),
    (Agreement::Overenskommelsen, LeadTimeClass::Stock7),
    (Agreement::Cooperation, LeadTimeClass::Order17),
    (Agreement::Overenskommelsen, LeadTimeClass::Order17),
    (Agreement::Cooperation, LeadTimeClass::Acute),
    (Agreement::Overenskommelsen, LeadTimeClass::Acute),
];

/// Every (area, class) pair in table order: the seed's rows first.
pub fn reliability_rows() -> Vec<(Agreement, LeadTimeClass)> {
    let mut rows = STANDARD_ROWS.to_vec();
    for agreement in Agreement::ALL {
        for &class in LeadTimeClass::ALL {
            if !rows.contains(&(agreement, class)) {
                rows.push((agreement, class));
            }
        }
    }
    rows
}

/// Whether a row is shown although nothing of it was delivered: the seed's six.
pub fn is_standard_row(agreement: Agreement, class: LeadTimeClass) -> bool {
    STANDARD_ROWS.contains(&(agreement, class))
}

/// Delivered order lines of one payer, lead-time class, agreement area and
/// ordering principal delivered in one [`UtcSlot`], as the storage counts them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryGroup {
    pub payer: Payer,
    pub class: LeadTimeClass,
    pub area: Agreement,
    /// The code of the ordering unit's principal.
    pub principal: String,
    pub slot: UtcSlot,
    pub lines: i64,
    /// Lines whose promised date is on or after the slot's UTC day.
    pub promised_from_day: i64,
    /// Lines whose promised date is after the slot's UTC day.
    pub promised_after_day: i64,
    /// Lines that delivered an individual device.
    pub device_lines: i64,
    /// Of those, devices reconditioned before the delivery (reuse).
    pub reconditioned: i64,
}

impl DeliveryGroup {
    /// Lines delivered on time: the slot's Stockholm date is the UTC day or
    /// the day after, so [`is_on_time`] holds for exactly one of the counts.
    pub fn on_time(&self) -> i64 {
        let delivered_on = self.slot.stockholm_date();
        if is_on_time(delivered_on, self.slot.day) {
            self.promised_from_day
        } else {
            self.promised_after_day
        }
    }
}

/// One month of a share: how many of how many, and the percentage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShareCell {
    pub month: Month,
    pub part: i64,
    pub whole: i64,
    pub percent: Option<Percent>,
}

impl ShareCell {
    fn new(month: Month, part: i64, whole: i64) -> ShareCell {
        ShareCell { month, part, whole, percent: Percent::of(part, whole) }
    }
}

/// One row of the delivery-reliability table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReliabilityRow {
    pub agreement: Agreement,
    pub class: LeadTimeClass,
    pub target: Percent,
    /// One per month of the range: on time (`part`) of delivered (`whole`).
    pub cells: Vec<ShareCell>,
}

impl ReliabilityRow {
    /// Whether a month met the target (`None`: nothing delivered),
    /// compared as exact fractions: 19,999 of 20,000 shows as 100,00 % but
    /// does not meet a 100 % target (issue 22).
    pub fn meets_target(&self, cell: &ShareCell) -> Option<bool> {
        self.target.is_met_by(cell.part, cell.whole)
    }
}

/// Delivery reliability per month × agreement area × lead-time class, laid
/// out as in seed 004: the six rows it has, one column per month, then a row
/// for any other area and class that delivered something in the range (the
/// drug-adjacent 4-day assortment, digital devices).
pub fn delivery_reliability(range: &MonthRange, groups: &[DeliveryGroup]) -> Vec<ReliabilityRow> {
    let mut counts: BTreeMap<(Agreement, LeadTimeClass, Month), (i64, i64)> = BTreeMap::new();
    for g in groups {
        let month = g.slot.month();
        if range.contains(month) {
            let c = counts.entry((g.area, g.class, month)).or_default();
            c.0 += g.on_time();
            c.1 += g.lines;
        }
    }
    reliability_rows()
        .into_iter()
        .filter(|&(agreement, class)| {
            is_standard_row(agreement, class) || counts.keys().any(|&(a, c, _)| (a, c) == (agreement, class))
        })
        .map(|(agreement, class)| ReliabilityRow {
            agreement,
            class,
            target: target(class),
            cells: range
                .months()
                .into_iter()
                .map(|m| {
                    let (on_time, all) = counts.get(&(agreement, class, m)).copied().unwrap_or_default();
                    ShareCell::new(m, on_time, all)
                })
                .collect(),
        })
        .collect()
}

/// Reuse rate per month: deliveries of a device that had been
/// reconditioned before (`part`) of all deliveries of a device (`whole`).
pub fn reuse_rate(range: &MonthRange, groups: &[DeliveryGroup]) -> Vec<ShareCell> {
    per_month(range, groups.iter().map(|g| (g.slot, g.reconditioned, g.device_lines)))
}

/// Replacement-chain answers of one kind given in one slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnswerGroup {
    pub slot: UtcSlot,
    pub answer: Substitution,
    /// The principal of the prescriber who answered (the order's, as they order for their unit).
    pub principal_id: i64,
    pub count: i64,
}

/// One month of replacement answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AcceptanceMonth {
    /// `part`: accepted; `whole`: accepted + declined.
    pub share: ShareCell,
    pub declined: i64,
    /// Substituted by a fixed group without asking; not in the share.
    pub automatic: i64,
}

/// Replacement acceptance per month: accepted / (accepted + declined).
/// Automatic substitutions (fixed groups) were never a question, so they
/// are counted beside the share, not in it.
pub fn replacement_acceptance(range: &MonthRange, groups: &[AnswerGroup]) -> Vec<AcceptanceMonth> {
    let mut counts: BTreeMap<Month, [i64; 3]> = BTreeMap::new();
    for g in groups {
        let month = g.slot.month();
        let i = match g.answer {
            Substitution::Accepted => 0,
            Substitution::Declined => 1,
            Substitution::Automatic => 2,
            Substitution::None => continue,
        };
        counts.entry(month).or_default()[i] += g.count;
    }
    range
        .months()
        .into_iter()
        .map(|m| {
            let [accepted, declined, automatic] = counts.get(&m).copied().unwrap_or_default();
            AcceptanceMonth { share: ShareCell::new(m, accepted, accepted + declined), declined, automatic }
        })
        .collect()
}

fn per_month(range: &MonthRange, rows: impl Iterator<Item = (UtcSlot, i64, i64)>) -> Vec<ShareCell> {
    let mut counts: BTreeMap<Month, (i64, i64)> = BTreeMap::new();
    for (slot, part, whole) in rows {
        let c = counts.entry(slot.month()).or_default();
        c.0 += part;
        c.1 += whole;
    }
    range
        .months()
        .into_iter()
        .map(|m| {
            let (part, whole) = counts.get(&m).copied().unwrap_or_default();
            ShareCell::new(m, part, whole)
        })
        .collect()
}

/// A fixed replacement group, for the purchased-vs-prescribed figure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixedGroup {
    pub id: i64,
    pub code: String,
    pub name: String,
}

/// Devices of a group's articles purchased in one month (a civil date).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GroupMonthCount {
    pub group_id: i64,
    pub month: Month,
    pub count: i64,
}

/// Order lines asking for one of a group's articles, ordered in one slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GroupSlotCount {
    pub group_id: i64,
    pub slot: UtcSlot,
    pub count: i64,
}

/// Purchased and prescribed in one quarter.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct QuarterCell {
    pub purchased: i64,
    pub prescribed: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupQuarters {
    pub group: FixedGroup,
    /// One per quarter of the range.
    pub cells: Vec<QuarterCell>,
    pub total: QuarterCell,
}

/// Purchased vs prescribed per fixed replacement group per quarter (seed
/// 004: "Inköpta / Förskrivna" per group since the agreement started).
/// Purchased: devices of the group's articles by purchase date; prescribed:
/// order lines whose requested article is in the group, by the order's
/// Stockholm date. Groups with nothing in the range are left out.
pub fn purchased_vs_prescribed(
    quarters: &[Quarter],
    groups: &[FixedGroup],
    purchased: &[GroupMonthCount],
    prescribed: &[GroupSlotCount],
) -> Vec<GroupQuarters> {
    let index = |q: Quarter| quarters.iter().position(|x| *x == q);
    let mut cells: BTreeMap<i64, Vec<QuarterCell>> = BTreeMap::new();
    let mut add = |group: i64, q: Quarter, p: i64, r: i64| {
        if let Some(i) = index(q) {
            let row = cells.entry(group).or_insert_with(|| vec![QuarterCell::default(); quarters.len()]);
            row[i].purchased += p;
            row[i].prescribed += r;
        }
    };
    for c in purchased {
        add(c.group_id, c.month.quarter(), c.count, 0);
    }
    for c in prescribed {
        add(c.group_id, c.slot.month().quarter(), 0, c.count);
    }
    groups
        .iter()
        .filter_map(|g| {
            let row = cells.get(&g.id)?.clone();
            let total = row.iter().fold(QuarterCell::default(), |t, c| QuarterCell {
                purchased: t.purchased + c.purchased,
                prescribed: t.prescribed + c.prescribed,
            });
            Some(GroupQuarters { group: g.clone(), cells: row, total })
        })
        .collect()
}

/// How long a work order has been open, in days since it was created
/// (Stockholm dates).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AgeBucket {
    UpTo7,
    UpTo30,
    UpTo90,
    Over90,
}

impl AgeBucket {
    pub const ALL: [AgeBucket; 4] = [AgeBucket::UpTo7, AgeBucket::UpTo30, AgeBucket::UpTo90, AgeBucket::Over90];

    /// The bucket of a work order created on `created_on`, seen on `today`.
    pub fn of(created_on: NaiveDate, today: NaiveDate) -> AgeBucket {
        match (today - created_on).num_days() {
            ..=7 => AgeBucket::UpTo7,
            8..=30 => AgeBucket::UpTo30,
            31..=90 => AgeBucket::UpTo90,
            _ => AgeBucket::Over90,
        }
    }

    /// The oldest creation instant of each of the first three buckets on
    /// `today`: a work order created at or after `starts[i]` (and not in an
    /// earlier bucket) is in bucket `i`; before `starts[2]` it is over 90
    /// days. Lets the storage count buckets with three comparisons.
    pub fn starts(today: NaiveDate) -> [DateTime<Utc>; 3] {
        [7, 30, 90].map(|days| stockholm_midnight_utc(today - Duration::days(days)))
    }

    pub fn index(self) -> usize {
        self as usize
    }

    /// `0-7`, `8-30`, `31-90`, `>90` (days), for the API and CSV.
    pub fn as_str(self) -> &'static str {
        match self {
            AgeBucket::UpTo7 => "0-7",
            AgeBucket::UpTo30 => "8-30",
            AgeBucket::UpTo90 => "31-90",
            AgeBucket::Over90 => ">90",
        }
    }

    /// "0–7 dagar".
    pub fn label_sv(self) -> &'static str {
        match self {
            AgeBucket::UpTo7 => "0–7 dagar",
            AgeBucket::UpTo30 => "8–30 dagar",
            AgeBucket::UpTo90 => "31–90 dagar",
            AgeBucket::Over90 => "över 90 dagar",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            AgeBucket::UpTo7 => "0–7 days",
            AgeBucket::UpTo30 => "8–30 days",
            AgeBucket::UpTo90 => "31–90 days",
            AgeBucket::Over90 => "over 90 days",
        }
    }
}

/// Work-order kinds in the order the figures list them.
pub const WORK_ORDER_KINDS: [&str; 6] =
    ["repair", "maintenance", "reconditioning", "special_adaptation", "recall", "consultation"];

/// Open work orders (open or in progress) of one kind in one age bucket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkOrderAgeCount {
    pub kind: String,
    pub bucket: AgeBucket,
    pub count: i64,
}

/// One row of the open-work-orders table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkOrderAgeRow {
    pub kind: String,
    /// Indexed by [`AgeBucket::index`].
    pub buckets: [i64; 4],
    pub total: i64,
}

/// Open work orders by kind and age: every known kind, in
/// [`WORK_ORDER_KINDS`] order (zeros included), then any other kind.
pub fn open_work_orders(counts: &[WorkOrderAgeCount]) -> Vec<WorkOrderAgeRow> {
    let mut rows: Vec<WorkOrderAgeRow> = WORK_ORDER_KINDS
        .iter()
        .map(|k| WorkOrderAgeRow { kind: (*k).to_string(), buckets: [0; 4], total: 0 })
        .collect();
    for c in counts {
        let i = match rows.iter().position(|r| r.kind == c.kind) {
            Some(i) => i,
            None => {
                rows.push(WorkOrderAgeRow { kind: c.kind.clone(), buckets: [0; 4], total: 0 });
                rows.len() - 1
            }
        };
        rows[i].buckets[c.bucket.index()] += c.count;
        rows[i].total += c.count;
    }
    rows
}

/// A safety notice's recall progress. Registering a notice creates a
/// recall work order for every affected device still in the fleet; a
/// device is handled when its recall is done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeProgress {
    pub id: i64,
    pub reference: String,
    pub title: String,
    pub registered_at: DateTime<Utc>,
    /// Devices with a recall work order for the notice.
    pub affected: i64,
    /// Recalls done.
    pub handled: i64,
    /// Recalls open or in progress.
    pub remaining: i64,
}

impl NoticeProgress {
    /// Recalls cancelled: neither handled nor remaining.
    pub fn cancelled(&self) -> i64 {
        self.affected - self.handled - self.remaining
    }

    /// Handled of affected, two decimals (`None`: no device was affected).
    pub fn handled_share(&self) -> Option<Percent> {
        Percent::of(self.handled, self.affected)
    }

    /// Every affected device is handled (or its recall cancelled).
    pub fn is_complete(&self) -> bool {
        self.remaining == 0
    }

    pub fn registered_on(&self) -> NaiveDate {
        stockholm_date(self.registered_at)
    }
}

#[cfg(test)]
mod tests;
