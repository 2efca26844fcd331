//! Lost devices per ordering unit and product category (issue 22; seed
//! 004, the lost-device pilot: "För att tydligare kunna återrapportera hur
//! mycket svinn som rapporteras av olika vårdgivare och till vilket värde
//! (Rapporteras till beredningsgrupp Avtal och Överenskommelse)").
//!
//! A lost report counts in the month of its report date (a civil date).
//! Its value is given twice: the purchase value (what the centre paid) and
//! the chargeable value under the agreement's lost-device rules in force on
//! the report day for the reporting unit ([`lost_device_charge`]; under the
//! pilot: the residual value but at least 20 %, accessories 50 %, nothing
//! below 1 000 kr or for an article out of the assortment; zero where the
//! agreement has no rules). The ordering unit is
//! the customer number the device was lent on (the care provider that is
//! invoiced); the category is the article's ISO 9999 class.

use super::{Month, MonthRange};
use crate::charges::{lost_device_charge, ChargeKind, LostDevice, LostDeviceRules};
use crate::money::Ore;
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// One lost report as the storage reads it: the facts, no decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LostReportFact {
    pub reported_on: NaiveDate,
    /// The customer number the loan was on, and its name.
    pub customer_number: String,
    pub customer_name: String,
    /// The principal (region or municipality) the customer number belongs to.
    pub principal_code: String,
    pub principal_name: String,
    /// The article's ISO 9999 code (six digits).
    pub iso_code: String,
    pub kind: ChargeKind,
    pub purchase_price: Ore,
    pub purchase_date: NaiveDate,
    pub service_life_months: u32,
    /// The article's assortment period.
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    /// The reporting unit's kind, which decides whether a pilot applies.
    pub unit_kind: Option<String>,
    /// The agreement's rules for it on the report day (set by the caller).
    pub rules: Option<LostDeviceRules>,
}

impl LostReportFact {
    /// The chargeable value on the report date (zero when nothing is charged).
    pub fn chargeable(&self) -> Ore {
        let in_assortment = self.valid_from <= self.reported_on && self.valid_to.is_none_or(|t| t >= self.reported_on);
        let device = LostDevice {
            kind: self.kind,
            purchase_price: self.purchase_price,
            purchase_date: self.purchase_date,
            service_life_months: self.service_life_months,
            in_assortment,
        };
        match &self.rules {
            Some(rules) => lost_device_charge(&device, self.reported_on, rules).amount,
            None => Ore(0),
        }
    }

    /// The two-digit ISO 9999 class.
    pub fn iso_class(&self) -> &str {
        self.iso_code.get(..2).unwrap_or(&self.iso_code)
    }
}

/// Lost reports of one group: how many and what they were worth.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LostCount {
    pub reports: i64,
    /// Of those, with a chargeable value (the pilot's "Ca 20% går till debitering").
    pub charged: i64,
    pub purchase_value: Ore,
    pub chargeable_value: Ore,
}

impl LostCount {
    fn add(&mut self, f: &LostReportFact) {
        let value = f.chargeable();
        self.reports += 1;
        self.charged += i64::from(value > Ore(0));
        self.purchase_value = Ore(self.purchase_value.0 + f.purchase_price.0);
        self.chargeable_value = Ore(self.chargeable_value.0 + value.0);
    }
}

/// One row of a breakdown: its key (customer number or ISO class), its name, and the counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LostRow {
    pub key: String,
    pub name: String,
    /// The principal, for the per-unit rows (empty for the categories).
    pub principal: String,
    pub count: LostCount,
}

/// The figure for a range of months.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LostDevices {
    pub months: Vec<(Month, LostCount)>,
    /// Per ordering unit (customer number), most reports first, then by number.
    pub by_unit: Vec<LostRow>,
    /// Per ISO 9999 class, by class.
    pub by_class: Vec<LostRow>,
    pub total: LostCount,
}

/// Counts and values of the lost reports in `range`, per month, per
/// ordering unit and per ISO class.
pub fn lost_devices(range: &MonthRange, facts: &[LostReportFact]) -> LostDevices {
    let mut months: BTreeMap<Month, LostCount> =
        range.months().into_iter().map(|m| (m, LostCount::default())).collect();
    let mut units: BTreeMap<String, LostRow> = BTreeMap::new();
    let mut classes: BTreeMap<String, LostRow> = BTreeMap::new();
    let mut total = LostCount::default();
    for f in facts.iter().filter(|f| range.contains(Month::of(f.reported_on))) {
        months.entry(Month::of(f.reported_on)).or_default().add(f);
        let unit = units.entry(f.customer_number.clone()).or_insert_with(|| LostRow {
            key: f.customer_number.clone(),
            name: f.customer_name.clone(),
            principal: f.principal_name.clone(),
            count: LostCount::default(),
        });
        unit.count.add(f);
        let class = f.iso_class().to_string();
        let row = classes.entry(class.clone()).or_insert_with(|| LostRow {
            name: iso_class_name_sv(&class).to_string(),
            key: class,
            principal: String::new(),
            count: LostCount::default(),
        });
        row.count.add(f);
        total.add(f);
    }
    let mut by_unit: Vec<LostRow> = units.into_values().collect();
    by_unit.sort_by(|a, b| b.count.reports.cmp(&a.count.reports).then_with(|| a.key.cmp(&b.key)));
    LostDevices { months: months.into_iter().collect(), by_unit, by_class: classes.into_values().collect(), total }
}

/// ISO 9999 class names (Swedish, English), by two-digit class.
const ISO_CLASSES: [(&str, &str, &str); 12] = [
    (
        "04",
        "Hjälpmedel för mätning, stöd, träning eller ersättning av kroppsfunktioner",
        "Measuring, supporting, training or replacing body functions",
    ),
    ("05", "Hjälpmedel för utbildning och färdighetsträning", "Education and training in skills"),
    ("06", "Ortoser och proteser", "Orthoses and prostheses"),
    ("09", "Hjälpmedel för personlig vård", "Self-care activities"),
    ("12", "Hjälpmedel för personlig förflyttning och transport", "Personal mobility and transportation"),
    ("15", "Hjälpmedel för hushållsaktiviteter", "Domestic activities"),
    (
        "18",
        "Inredning och anpassning av bostäder och andra lokaler",
        "Furnishings and adaptations of homes and other premises",
    ),
    ("22", "Hjälpmedel för kommunikation och information", "Communication and information management"),
    (
        "24",
        "Hjälpmedel för att hantera föremål och apparater",
        "Controlling, carrying, moving and handling objects and devices",
    ),
    (
        "27",
        "Hjälpmedel för att anpassa och mäta den fysiska miljön",
        "Controlling, adapting or measuring the physical environment",
    ),
    ("28", "Hjälpmedel för arbete och arbetsträning", "Work activities and participation in employment"),
    ("30", "Hjälpmedel för rekreation och fritid", "Recreation and leisure"),
];

/// The Swedish name of an ISO 9999 class ("övrigt" for a class not in the standard's list).
pub fn iso_class_name_sv(class: &str) -> &'static str {
    ISO_CLASSES.iter().find(|(c, _, _)| *c == class).map_or("Övriga", |(_, sv, _)| sv)
}

pub fn iso_class_name_en(class: &str) -> &'static str {
    ISO_CLASSES.iter().find(|(c, _, _)| *c == class).map_or("Other", |(_, _, en)| en)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn fact(
        on: NaiveDate,
        customer: &str,
        iso: &str,
        kind: ChargeKind,
        price: i64,
        bought: NaiveDate,
    ) -> LostReportFact {
        LostReportFact {
            reported_on: on,
            customer_number: customer.into(),
            customer_name: format!("Enhet {customer}"),
            principal_code: "01".into(),
            principal_name: "Region".into(),
            iso_code: iso.into(),
            kind,
            purchase_price: Ore(price),
            purchase_date: bought,
            service_life_months: 96,
            valid_from: d(2020, 1, 1),
            valid_to: None,
            unit_kind: Some("primary_care".into()),
            rules: Some(crate::charges::pilot_2024()),
        }
    }

    #[test]
    fn figures_lost_reports_are_counted_and_valued_per_unit_class_and_month() {
        let range = MonthRange::new(Month::new(2026, 9).unwrap(), Month::new(2026, 10).unwrap()).unwrap();
        let facts = [
            // 12 000 kr, bought 2026-01-01, lost 2026-09-10: 8 of 96 months used → 11 000 kr.
            fact(d(2026, 9, 10), "K1", "120606", ChargeKind::MainDevice, 1_200_000, d(2026, 1, 1)),
            // Accessory of 1 500 kr: 50 % = 750 kr, below 1 000 kr: not charged.
            fact(d(2026, 10, 1), "K1", "122203", ChargeKind::Accessory, 150_000, d(2025, 1, 1)),
            // Fully written down: at least 20 % of 10 000 kr = 2 000 kr.
            fact(d(2026, 10, 31), "K2", "091203", ChargeKind::MainDevice, 1_000_000, d(2010, 1, 1)),
            // Outside the range.
            fact(d(2026, 11, 1), "K2", "091203", ChargeKind::MainDevice, 1_000_000, d(2010, 1, 1)),
        ];
        let f = lost_devices(&range, &facts);
        assert_eq!(
            f.total,
            LostCount { reports: 3, charged: 2, purchase_value: Ore(2_350_000), chargeable_value: Ore(1_300_000) }
        );
        assert_eq!(
            f.by_unit.iter().map(|r| (r.key.as_str(), r.count.reports)).collect::<Vec<_>>(),
            [("K1", 2), ("K2", 1)]
        );
        assert_eq!(f.by_unit[0].count.chargeable_value, Ore(1_100_000));
        assert_eq!(
            f.by_class.iter().map(|r| (r.key.as_str(), r.count.reports)).collect::<Vec<_>>(),
            [("09", 1), ("12", 2)]
        );
        assert_eq!(f.by_class[1].name, "Hjälpmedel för personlig förflyttning och transport");
        assert_eq!(f.months.iter().map(|(_, c)| c.reports).collect::<Vec<_>>(), [1, 2]);
    }

    #[test]
    fn figures_a_lost_article_no_longer_in_the_assortment_has_no_chargeable_value() {
        let mut f = fact(d(2026, 9, 10), "K1", "120606", ChargeKind::MainDevice, 1_200_000, d(2026, 1, 1));
        f.valid_to = Some(d(2026, 9, 9));
        assert_eq!(f.chargeable(), Ore(0));
    }
}
