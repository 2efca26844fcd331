//! The tertial report ("tertialrapport", seed 003): per tertial and per
//! agreement area, the three parts the council's reports have —
//! "Rapporten innehåller kvalitetsuppföljning, ekonomiuppföljning och en
//! del som beskriver utvecklingsområden" — computed from the same counts as
//! the monthly figures, so a tertial is exactly the sum of its four months.
//!
//! The agreement areas are the seed's "Samarbetsavtal för försörjning av
//! personliga hjälpmedel", "Överenskommelse för hjälpmedel vid medicinsk
//! behandling" and "digitala hjälpmedel" ([`Agreement`]): a delivered line
//! belongs to the area of its article's product area. Costs and budgets are
//! kept per principal, so the economy part splits by principal kind: a
//! municipality's costs under the cooperation agreement, the region's under
//! "Överenskommelsen". Figures Ramp cannot tie to an area (replacement
//! answers, consultations) are shown for the whole region.

use crate::article::LeadTimeClass;
use crate::budget::{follow_up, BudgetFollowUp, PrincipalYear};
use crate::figures::{
    is_standard_row, reliability_rows, target, Agreement, AnswerGroup, DeliveryGroup, Month, MonthRange, Percent,
};
use crate::money::Ore;
use crate::order::Substitution;
use crate::FieldError;
use chrono::{Datelike, NaiveDate};
use std::fmt;

/// A third of a year: T1 January–April, T2 May–August, T3 September–December
/// (Stockholm months).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Tertial {
    year: i32,
    n: u32,
}

const SPANS_SV: [&str; 3] = ["jan–apr", "maj–aug", "sep–dec"];
const SPANS_EN: [&str; 3] = ["Jan–Apr", "May–Aug", "Sep–Dec"];

impl Tertial {
    pub fn new(year: i32, n: u32) -> Option<Tertial> {
        ((1..=3).contains(&n) && crate::time::YEARS.contains(&year)).then_some(Tertial { year, n })
    }

    /// The tertial a date falls in.
    pub fn of(date: NaiveDate) -> Tertial {
        Tertial { year: date.year(), n: (date.month() - 1) / 4 + 1 }
    }

    /// `year` and `tertial` as given; either missing means the last
    /// complete tertial before `today` (the one the council discusses).
    /// An error names the field.
    pub fn parse(year: Option<&str>, tertial: Option<&str>, today: NaiveDate) -> Result<Tertial, FieldError> {
        let given = |s: Option<&str>| s.map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
        let last = Tertial::of(today).prev();
        let year = match given(year) {
            None => last.year,
            Some(s) => {
                s.parse::<i32>().ok().filter(|y| crate::time::YEARS.contains(y) && s.len() == 4).ok_or_else(|| {
                    FieldError::new("year", "invalid_year", format!("'{s}' is not a year: write e.g. 2026"))
                })?
            }
        };
        let n = match given(tertial) {
            None => last.n,
            Some(s) => s.parse::<u32>().ok().filter(|n| (1..=3).contains(n)).ok_or_else(|| {
                FieldError::new("tertial", "invalid_tertial", format!("'{s}' is not a tertial: write 1, 2 or 3"))
            })?,
        };
        Ok(Tertial { year, n })
    }

    pub fn year(self) -> i32 {
        self.year
    }

    /// 1, 2 or 3.
    pub fn number(self) -> u32 {
        self.n
    }

    /// Its four months.
    pub fn range(self) -> MonthRange {
        let first = Month::new(self.year, (self.n - 1) * 4 + 1).expect("a valid month");
        let last = Month::new(self.year, self.n * 4).expect("a valid month");
        MonthRange { from: first, to: last }
    }

    /// The tertial before (T3 of the year before T1).
    pub fn prev(self) -> Tertial {
        if self.n == 1 {
            Tertial { year: self.year - 1, n: 3 }
        } else {
            Tertial { year: self.year, n: self.n - 1 }
        }
    }

    /// "T2 2026 (maj–aug)".
    pub fn label_sv(self) -> String {
        format!("T{} {} ({})", self.n, self.year, SPANS_SV[self.n as usize - 1])
    }

    /// "T2 2026 (May–Aug)".
    pub fn label_en(self) -> String {
        format!("T{} {} ({})", self.n, self.year, SPANS_EN[self.n as usize - 1])
    }
}

impl fmt::Display for Tertial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-T{}", self.year, self.n)
    }
}

/// How many of how many, and the share (two decimals, `None` when nothing to measure).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Share {
    pub part: i64,
    pub whole: i64,
}

impl Share {
    pub fn percent(self) -> Option<Percent> {
        Percent::of(self.part, self.whole)
    }

    fn add(&mut self, part: i64, whole: i64) {
        self.part += part;
        self.whole += whole;
    }
}

/// One lead-time class's delivery reliability in the tertial.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClassReliability {
    pub class: LeadTimeClass,
    /// On time (`part`) of delivered (`whole`).
    pub share: Share,
    pub target: Percent,
}

impl ClassReliability {
    /// Compared as exact fractions (`Percent::is_met_by`); `None`: nothing delivered.
    pub fn meets_target(&self) -> Option<bool> {
        self.target.is_met_by(self.share.part, self.share.whole)
    }
}

/// The quality part for one agreement area.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AreaQuality {
    pub agreement: Agreement,
    /// Order lines delivered in the tertial ("Antalet levererade orderrader").
    pub delivered: i64,
    /// Per lead-time class, in the figures' order (7-day, 17-day, acute, then
    /// any other class delivered in the tertial).
    pub reliability: Vec<ClassReliability>,
    /// Deliveries of a reconditioned device (`part`) of device deliveries (`whole`).
    pub reuse: Share,
}

/// Delivered lines of the months of `range` per agreement area: the
/// monthly delivery-reliability counts added up over the tertial.
pub fn area_quality(range: &MonthRange, groups: &[DeliveryGroup]) -> Vec<AreaQuality> {
    Agreement::ALL
        .iter()
        .map(|&agreement| {
            let mine: Vec<&DeliveryGroup> =
                groups.iter().filter(|g| g.area == agreement && range.contains(g.slot.month())).collect();
            let mut reuse = Share::default();
            for g in &mine {
                reuse.add(g.reconditioned, g.device_lines);
            }
            let reliability = reliability_rows()
                .into_iter()
                .filter(|&(a, class)| {
                    a == agreement && (is_standard_row(a, class) || mine.iter().any(|g| g.class == class))
                })
                .map(|(_, class)| {
                    let mut share = Share::default();
                    for g in mine.iter().filter(|g| g.class == class) {
                        share.add(g.on_time(), g.lines);
                    }
                    ClassReliability { class, share, target: target(class) }
                })
                .collect();
            AreaQuality { agreement, delivered: mine.iter().map(|g| g.lines).sum(), reliability, reuse }
        })
        .collect()
}

/// Orders placed through 1177 (`part`) of all orders placed (`whole`) in
/// `range` (seed 003: "När det gäller andelen digitala beställningar via
/// 1177 ses en ökning på totalen från 20 % till 25 %").
pub fn digital_share(range: &MonthRange, groups: &[crate::figures::channels::ChannelGroup]) -> Share {
    let mut s = Share::default();
    for g in groups.iter().filter(|g| range.contains(g.slot.month())) {
        s.add(if g.channel.is_digital() { g.orders } else { 0 }, g.orders);
    }
    s
}

/// Reuse over every area in `range` (the development part's trend).
pub fn reuse_share(range: &MonthRange, groups: &[DeliveryGroup]) -> Share {
    let mut s = Share::default();
    for g in groups.iter().filter(|g| range.contains(g.slot.month())) {
        s.add(g.reconditioned, g.device_lines);
    }
    s
}

/// Accepted (`part`) of accepted + declined replacement proposals answered
/// in `range`; automatic substitutions were never a question.
pub fn acceptance_share(range: &MonthRange, answers: &[AnswerGroup]) -> Share {
    let mut s = Share::default();
    for a in answers.iter().filter(|a| range.contains(a.slot.month())) {
        match a.answer {
            Substitution::Accepted => s.add(a.count, a.count),
            Substitution::Declined => s.add(0, a.count),
            Substitution::Automatic | Substitution::None => {}
        }
    }
    s
}

/// One principal's economy for the tertial.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TertialEconomy {
    /// Invoiced in the tertial's complete months.
    pub actual: Ore,
    /// The year's budget pro rata: four twelfths, half up to the öre.
    pub budget: Option<Ore>,
    /// The year as of the tertial's end (or today, if earlier): actual to
    /// date, forecast and deviation from the year's budget.
    pub year: BudgetFollowUp,
}

/// The economy of tertial `t` for one principal, counting the months
/// complete by the end of the tertial or by today, whichever is earlier.
pub fn tertial_economy(t: Tertial, year: &PrincipalYear, complete_months_today: u32) -> TertialEconomy {
    let m = complete_months_today.min(t.n * 4);
    let year = follow_up(year, m);
    TertialEconomy {
        actual: year.tertials[t.n as usize - 1],
        budget: year.budget.map(|b| crate::rent::mul_div_half_up(b, 4, 12)),
        year,
    }
}

/// Several principals' economy added up (an agreement area's total). A
/// budget, forecast or deviation is summed over those that have one.
pub fn sum_economy<'a>(items: impl IntoIterator<Item = &'a TertialEconomy>) -> EconomyTotal {
    let mut t = EconomyTotal::default();
    let add = |sum: &mut Option<Ore>, v: Option<Ore>| {
        if let Some(v) = v {
            *sum = Some(Ore(sum.map_or(0, |s| s.0) + v.0));
        }
    };
    for e in items {
        t.actual.0 += e.actual.0;
        t.year_actual.0 += e.year.actual.0;
        add(&mut t.budget, e.budget);
        add(&mut t.year_budget, e.year.budget);
        add(&mut t.forecast, e.year.forecast);
        add(&mut t.deviation, e.year.deviation);
    }
    t
}

/// An agreement area's economy: the tertial and the year.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EconomyTotal {
    pub actual: Ore,
    pub budget: Option<Ore>,
    pub year_actual: Ore,
    pub year_budget: Option<Ore>,
    pub forecast: Option<Ore>,
    pub deviation: Option<Ore>,
}

/// The agreement area of a principal's costs: a municipality's under the
/// cooperation agreement, the region's under "Överenskommelsen".
pub fn area_of_principal_kind(kind: &str) -> Option<Agreement> {
    match kind {
        "municipality" => Some(Agreement::Cooperation),
        "region" => Some(Agreement::Overenskommelsen),
        _ => None,
    }
}

/// The seed's words for a lead-time class's row: "Leveranssäkerhet 7 dagars sortiment".
pub fn reliability_name_sv(class: LeadTimeClass) -> &'static str {
    match class {
        LeadTimeClass::Stock4 => "Leveranssäkerhet 4 ledtidsdagar (läkemedelsnära)",
        LeadTimeClass::Stock7 => "Leveranssäkerhet 7 dagars sortiment",
        LeadTimeClass::Order17 => "Leveranssäkerhet 17 dagars sortiment",
        LeadTimeClass::Acute => "Leveranssäkerhet för akuta order",
    }
}

pub fn reliability_name_en(class: LeadTimeClass) -> &'static str {
    match class {
        LeadTimeClass::Stock4 => "Delivery reliability, 4 lead days (drug-adjacent)",
        LeadTimeClass::Stock7 => "Delivery reliability, 7-day assortment",
        LeadTimeClass::Order17 => "Delivery reliability, 17-day assortment",
        LeadTimeClass::Acute => "Delivery reliability, acute orders",
    }
}

#[cfg(test)]
mod tests;
