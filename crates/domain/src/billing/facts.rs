//! The billable facts of a month, as the storage loads them.

use crate::charges::LostDevice;
use crate::cost::Payer;
use crate::figures::Month;
use crate::money::Ore;
use crate::work_order::WorkOrderKind;
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};

/// Everything a month's invoice run bills from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    pub month: Month,
    /// Loans of rental articles overlapping the month.
    pub loans: Vec<LoanFact>,
    /// Sale articles and consumables delivered in the month, and surplus sales.
    pub sales: Vec<SaleFact>,
    /// Work orders finished in the month on a lent device.
    pub work_orders: Vec<WorkOrderFact>,
    /// Orders with acute lines delivered in the month.
    pub acute_orders: Vec<AcuteOrderFact>,
    /// Lost-device reports made in the month.
    pub lost: Vec<LostFact>,
    pub prices: PriceList,
    /// The customer number region-paid facts are re-invoiced to.
    pub region_customer_number: Option<i64>,
    /// Customer numbers belonging to municipalities.
    pub municipal_accounts: BTreeSet<i64>,
    /// Customer number id → its number, for computations.
    pub account_numbers: BTreeMap<i64, String>,
}

impl Facts {
    /// No facts for `month`.
    pub fn empty(month: Month) -> Facts {
        Facts {
            month,
            loans: Vec::new(),
            sales: Vec::new(),
            work_orders: Vec::new(),
            acute_orders: Vec::new(),
            lost: Vec::new(),
            prices: PriceList::default(),
            region_customer_number: None,
            municipal_accounts: BTreeSet::new(),
            account_numbers: BTreeMap::new(),
        }
    }

    pub(crate) fn account_label(&self, id: i64) -> String {
        self.account_numbers.get(&id).cloned().unwrap_or_else(|| format!("#{id}"))
    }
}

/// The centre's price list: what is billed for services.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PriceList {
    /// The acute delivery fee; `None` where not configured.
    pub acute_delivery_fee: Option<Ore>,
    /// Hourly rate per work-order kind (`repair`, ...); kinds missing are not billed.
    pub work_order_hourly: BTreeMap<String, Ore>,
}

/// A loan (device out with a patient or unit).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoanFact {
    pub loan_id: i64,
    pub device_id: i64,
    pub device_number: String,
    pub article_id: i64,
    pub article_name: String,
    pub patient_id: Option<i64>,
    pub customer_number_id: i64,
    /// Whom the cost decision named.
    pub payer: Payer,
    pub rule_id: String,
    pub monthly_rent: Ore,
    /// The delivery day.
    pub start: NaiveDate,
    /// The last day of rent (the pickup order's rent end), inclusive.
    pub end: Option<NaiveDate>,
    /// Later stretches with another payer (the patient moved), by date;
    /// empty when the payer decided at delivery holds for the whole loan.
    pub periods: Vec<LoanPeriod>,
}

/// From `from` on, the loan's rent is `payer`'s, on `customer_number_id`
/// (issue 22: the payer follows the patient's setting history).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoanPeriod {
    pub from: NaiveDate,
    pub payer: Payer,
    pub rule_id: String,
    pub customer_number_id: i64,
}

/// Where a sale comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaleSource {
    OrderLine(i64),
    Surplus(i64),
}

/// A delivered sale article or consumable, or a surplus device sold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaleFact {
    pub source: SaleSource,
    pub article_id: i64,
    pub article_number: String,
    pub article_name: String,
    pub device_id: Option<i64>,
    pub patient_id: Option<i64>,
    pub customer_number_id: i64,
    pub payer: Payer,
    pub rule_id: String,
    pub quantity: i64,
    pub unit_price: Ore,
    pub delivered_on: NaiveDate,
}

impl SaleFact {
    pub fn source_key(&self) -> String {
        match self.source {
            SaleSource::OrderLine(id) => format!("sale:line:{id}"),
            SaleSource::Surplus(id) => format!("sale:surplus:{id}"),
        }
    }
}

/// A finished work order on a device, billed to the device's holder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkOrderFact {
    pub work_order_id: i64,
    pub kind: WorkOrderKind,
    pub device_id: Option<i64>,
    pub patient_id: Option<i64>,
    pub customer_number_id: i64,
    pub payer: Payer,
    pub rule_id: String,
    pub minutes: i64,
    pub finished_on: NaiveDate,
}

/// An order with acute lines delivered in the month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcuteOrderFact {
    pub order_id: i64,
    /// The ordering unit's customer number.
    pub customer_number_id: i64,
    pub delivered_on: NaiveDate,
}

/// A lost-device report with what the charge rules need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LostFact {
    pub report_id: i64,
    pub device_id: i64,
    pub device_number: String,
    pub article_id: i64,
    pub article_name: String,
    pub patient_id: Option<i64>,
    pub customer_number_id: i64,
    pub reported_on: NaiveDate,
    pub device: LostDevice,
    /// The kind of the reporting unit (`primary_care`, …), which decides
    /// whether a pilot's rules apply.
    pub unit_kind: Option<String>,
    /// The agreement's rules in force on `reported_on` for that unit; `None`:
    /// the agreement has none, and the loss is not charged.
    pub rules: Option<crate::charges::LostDeviceRules>,
}
