//! What a month's invoice run bills: the billable facts of a calendar month
//! turned into invoice lines per customer number, each with a stable
//! `source_key` (so the database bills an event once) and a computation in
//! Swedish the payer can check.
//!
//! The rules (issue 6):
//! - function rent ("funktionshyra") from delivery to the loan's end day (the
//!   pickup order's rent end, see [`crate::calendar::pickup_rent_end`]), part
//!   months pro rata by day ([`crate::rent`]); the article's one monthly rent,
//!   the same for a new and a reconditioned device;
//! - sale articles and consumables billed once, in the month delivered, at the
//!   article's price;
//! - work orders billed where the price list has a rate for their kind;
//! - the acute delivery fee, where configured, once per order with acute lines
//!   delivered in the month, to the ordering unit's customer number;
//! - lost devices charged per seed 004 ([`crate::charges`]); a charge of zero
//!   is not billed;
//! - re-invoicing: a fact the agreement puts on the region but booked on a
//!   municipality's customer number (the municipality bought it) is billed to
//!   the region's customer number as a `reinvoice` line saying so.
//!
//! Pure: the caller loads the facts and passes the month.

mod facts;
mod party;
#[cfg(test)]
mod tests;

pub use facts::*;
pub use party::*;

use crate::charges::lost_device_charge;
use crate::cost::Payer;
use crate::figures::Month;
use crate::money::Ore;
use crate::rent::{mul_div_half_up, rent_for_period};
use crate::Term;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use strum::{IntoStaticStr, VariantArray};

/// What an invoice line bills.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[derive(IntoStaticStr, VariantArray, strum::Display)]
#[strum(serialize_all = "snake_case")]
pub enum LineKind {
    Rent,
    Sale,
    Service,
    AcuteFee,
    LostDevice,
    Reinvoice,
}

impl Term for LineKind {
    const FIELD: &'static str = "kind";
    const CODE: &'static str = "invalid_kind";
}

/// One invoice line as computed; `amount = quantity × unit_price`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Line {
    pub kind: LineKind,
    /// The billable event, e.g. `rent:loan:123:2026-10`, `lost:report:7`.
    pub source_key: String,
    pub device_id: Option<i64>,
    pub article_id: Option<i64>,
    pub patient_id: Option<i64>,
    pub description: String,
    pub quantity: i64,
    pub unit_price: Ore,
    pub amount: Ore,
    pub period: Option<(NaiveDate, NaiveDate)>,
    /// How the amount was computed, in Swedish.
    pub computation: String,
}

/// The lines of one customer number's invoice for the month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Draft {
    pub customer_number_id: i64,
    pub lines: Vec<Line>,
    pub total: Ore,
}

/// A line and the customer number it is billed to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Billed {
    pub customer_number_id: i64,
    pub line: Line,
}

/// Every billable line of the month, in fact order (rent, sales, work
/// orders, acute fees, lost devices), each routed to its customer number.
pub fn billable_lines(f: &Facts) -> Vec<Billed> {
    let mut out = Vec::new();
    for loan in &f.loans {
        for (period, line) in rent_lines(f.month, loan) {
            out.push(route(f, period.customer_number_id, period.payer, &period.rule_id, line));
        }
    }
    for sale in &f.sales {
        let line = sale_line(sale);
        out.push(route(f, sale.customer_number_id, sale.payer, &sale.rule_id, line));
    }
    for w in &f.work_orders {
        if let Some(line) = work_order_line(&f.prices, w) {
            out.push(route(f, w.customer_number_id, w.payer, &w.rule_id, line));
        }
    }
    if let Some(fee) = f.prices.acute_delivery_fee {
        for a in &f.acute_orders {
            out.push(Billed { customer_number_id: a.customer_number_id, line: acute_line(fee, a) });
        }
    }
    for lost in &f.lost {
        if let Some(line) = lost_line(lost) {
            out.push(Billed { customer_number_id: lost.customer_number_id, line });
        }
    }
    out
}

/// The month's invoices: billable lines grouped per customer number (in
/// customer-number order), numbered in fact order.
pub fn invoice_drafts(f: &Facts) -> Vec<Draft> {
    let mut per: BTreeMap<i64, Vec<Line>> = BTreeMap::new();
    for b in billable_lines(f) {
        per.entry(b.customer_number_id).or_default().push(b.line);
    }
    per.into_iter()
        .map(|(customer_number_id, lines)| {
            let total = Ore(lines.iter().map(|l| l.amount.0).sum());
            Draft { customer_number_id, lines, total }
        })
        .collect()
}

/// A line the agreement puts on the region but booked on a municipality's
/// customer number goes to the region's customer number as a re-invoice.
fn route(f: &Facts, account: i64, payer: Payer, rule: &str, line: Line) -> Billed {
    let region = f.region_customer_number.filter(|_| payer == Payer::Region && f.municipal_accounts.contains(&account));
    match region {
        Some(region) => {
            let computation = format!(
                "{} Köpt på kommunens kundnummer {}; enligt avtalet (regel {rule}) har regionen kostnadsansvaret: vidarefaktureras regionen.",
                line.computation,
                f.account_label(account)
            );
            let description = format!("Vidarefakturering: {}", line.description);
            Billed {
                customer_number_id: region,
                line: Line { kind: LineKind::Reinvoice, description, computation, ..line },
            }
        }
        None => Billed { customer_number_id: account, line },
    }
}

/// The rent of a loan for the days of `month` it was out, one line per payer
/// period that overlaps the month, each with the period it is billed under.
/// A month without a change of payer gives one line keyed as it always was.
pub fn rent_lines(month: Month, loan: &LoanFact) -> Vec<(LoanPeriod, Line)> {
    let first = LoanPeriod {
        from: loan.start,
        payer: loan.payer,
        rule_id: loan.rule_id.clone(),
        customer_number_id: loan.customer_number_id,
    };
    let periods: Vec<LoanPeriod> = std::iter::once(first).chain(loan.periods.iter().cloned()).collect();
    let mut out = Vec::new();
    for (i, p) in periods.iter().enumerate() {
        let until = periods.get(i + 1).and_then(|next| next.from.pred_opt());
        let end = match (loan.end, until) {
            (Some(e), Some(u)) => Some(e.min(u)),
            (e, u) => e.or(u),
        };
        let key = if i == 0 { None } else { Some(p.from) };
        if let Some(line) = rent_line_between(month, loan, p.from, end, key) {
            out.push((p.clone(), line));
        }
    }
    out
}

/// The rent of a loan for the days of `month` it was out, if any (a loan
/// without payer changes).
pub fn rent_line(month: Month, loan: &LoanFact) -> Option<Line> {
    rent_line_between(month, loan, loan.start, loan.end, None)
}

/// The rent for the days of `month` within `start..=end`; `key` names a
/// later payer period in the line's source key.
fn rent_line_between(
    month: Month,
    loan: &LoanFact,
    start: NaiveDate,
    end: Option<NaiveDate>,
    key: Option<NaiveDate>,
) -> Option<Line> {
    if loan.monthly_rent.0 <= 0 {
        return None;
    }
    let first = month.first_day();
    let last = month.next().first_day().pred_opt()?;
    let from = start.max(first);
    let to = end.map_or(last, |e| e.min(last));
    let line = rent_for_period(loan.monthly_rent, from, to).into_iter().next()?;
    let computation = if line.full_month {
        format!("Hel månad {}: {}.", month, loan.monthly_rent)
    } else {
        format!(
            "{} av {} dagar × {} = {} ({} × {} / {}, avrundat till hela ören).",
            line.days,
            line.days_in_month,
            loan.monthly_rent,
            line.amount,
            loan.monthly_rent,
            line.days,
            line.days_in_month
        )
    };
    Some(Line {
        kind: LineKind::Rent,
        source_key: match key {
            None => format!("rent:loan:{}:{}", loan.loan_id, month),
            Some(day) => format!("rent:loan:{}:{}:from:{day}", loan.loan_id, month),
        },
        device_id: Some(loan.device_id),
        article_id: Some(loan.article_id),
        patient_id: loan.patient_id,
        description: format!("Funktionshyra {} ({}) {}–{}", loan.article_name, loan.device_number, line.from, line.to),
        quantity: 1,
        unit_price: line.amount,
        amount: line.amount,
        period: Some((line.from, line.to)),
        computation,
    })
}

fn sale_line(s: &SaleFact) -> Line {
    let amount = Ore(s.unit_price.0 * s.quantity);
    Line {
        kind: LineKind::Sale,
        source_key: s.source_key(),
        device_id: s.device_id,
        article_id: Some(s.article_id),
        patient_id: s.patient_id,
        description: format!("{} {} levererad {}", s.article_number, s.article_name, s.delivered_on),
        quantity: s.quantity,
        unit_price: s.unit_price,
        amount,
        period: Some((s.delivered_on, s.delivered_on)),
        computation: format!("{} st × {} = {}.", s.quantity, s.unit_price, amount),
    }
}

fn work_order_line(prices: &PriceList, w: &WorkOrderFact) -> Option<Line> {
    let rate = *prices.work_order_hourly.get(w.kind.as_str())?;
    let amount = mul_div_half_up(rate, w.minutes, 60);
    if amount.0 <= 0 {
        return None;
    }
    Some(Line {
        kind: LineKind::Service,
        source_key: format!("work:order:{}", w.work_order_id),
        device_id: w.device_id,
        article_id: None,
        patient_id: w.patient_id,
        description: format!("Arbetsorder {} ({}) klar {}", w.work_order_id, w.kind, w.finished_on),
        quantity: 1,
        unit_price: amount,
        amount,
        period: Some((w.finished_on, w.finished_on)),
        computation: format!("{} min × {}/timme enligt prislistan = {}.", w.minutes, rate, amount),
    })
}

fn acute_line(fee: Ore, a: &AcuteOrderFact) -> Line {
    Line {
        kind: LineKind::AcuteFee,
        source_key: format!("acute:order:{}", a.order_id),
        device_id: None,
        article_id: None,
        patient_id: None,
        description: format!("Akut leverans, order {} levererad {}", a.order_id, a.delivered_on),
        quantity: 1,
        unit_price: fee,
        amount: fee,
        period: Some((a.delivered_on, a.delivered_on)),
        computation: format!("Akutavgift enligt prislistan till beställande enhet: {fee}."),
    }
}

fn lost_line(l: &LostFact) -> Option<Line> {
    let charge = lost_device_charge(&l.device, l.reported_on, l.rules.as_ref()?);
    if charge.amount.0 <= 0 {
        return None;
    }
    Some(Line {
        kind: LineKind::LostDevice,
        source_key: format!("lost:report:{}", l.report_id),
        device_id: Some(l.device_id),
        article_id: Some(l.article_id),
        patient_id: l.patient_id,
        description: format!("Förkommet hjälpmedel {} ({}) anmält {}", l.article_name, l.device_number, l.reported_on),
        quantity: 1,
        unit_price: charge.amount,
        amount: charge.amount,
        period: Some((l.reported_on, l.reported_on)),
        computation: charge.steps.join(" "),
    })
}
