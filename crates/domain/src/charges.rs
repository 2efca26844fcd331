//! What a lost device ("förkommet hjälpmedel") costs the care provider, with
//! the computation spelled out in Swedish so the payer can check it.
//!
//! The rules are the region's "Debiterbart värde" (seed 004, pilot project on
//! lost devices, Hjälpmedelsforum 2024-05-23):
//!
//! - main device: the residual value, but at least 20 % of the purchase price
//!   ("Restvärdet dock lägst 20% av inköpspriset"), so a lost device is charged
//!   even when fully written down;
//! - accessory: 50 % of the purchase price;
//! - only an article still in the assortment has a chargeable value;
//! - a chargeable value below 1 000 kr is not charged, neither to the care
//!   provider nor to the patient (exactly 1 000 kr is charged).
//!
//! Residual value is straight-line depreciation by whole months: a month the
//! device has only begun does not lower its value. Every share of a price is
//! rounded to whole öre, half up (see [`crate::rent`]).
//!
//! The numbers are data ([`LostDeviceRules`]): each agreement version may
//! have `[[lost_device]]` rule sets, scoped to kinds of care unit, flagged
//! when they are a pilot (issue 22: the seed's pilot covers "Primärvård och
//! SU", and it started "i mars 2024"). [`PILOT_2024`] are the seed's numbers.
//! Only main devices and accessories are named by the rules; a lost spare
//! part or care product is not charged.

use crate::money::Ore;
use crate::rent::mul_div_half_up;
use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// Whether the lost article is a main device, an accessory to one, or
/// another kind the lost-device rules do not name (a spare part, a care product).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChargeKind {
    MainDevice,
    Accessory,
    Other,
}

impl ChargeKind {
    /// The charge kind of a catalog article kind as stored (`main_device`, …).
    pub fn of_article_kind(kind: &str) -> ChargeKind {
        match kind {
            "main_device" => ChargeKind::MainDevice,
            "accessory" => ChargeKind::Accessory,
            _ => ChargeKind::Other,
        }
    }
}

/// One set of lost-device charge rules of an agreement version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LostDeviceRules {
    /// Stable id, e.g. `lost_device.pilot_2024`.
    pub id: String,
    /// A pilot project rather than the agreement's settled rule.
    pub pilot: bool,
    /// The kinds of care unit (`primary_care`, `hospital_ward`, …) the set
    /// applies to; empty: every unit.
    pub unit_kinds: Vec<String>,
    /// A main device is charged at least this share of its purchase price
    /// (0: the residual value alone).
    pub main_device_minimum_percent: i64,
    /// An accessory is charged this share of its purchase price.
    pub accessory_percent: i64,
    /// A chargeable value below this is not charged.
    pub minimum_charge: Ore,
    /// Only an article still in the assortment has a chargeable value.
    pub only_in_assortment: bool,
    /// The document and sentence the set rests on.
    pub source: String,
}

impl LostDeviceRules {
    /// Whether the set applies to a unit of `kind` (`None`: unknown unit).
    pub fn applies_to(&self, unit_kind: Option<&str>) -> bool {
        self.unit_kinds.is_empty() || unit_kind.is_some_and(|k| self.unit_kinds.iter().any(|u| u == k))
    }
}

/// The seed's pilot numbers ("Debiterbart värde", seed 004), for tests and
/// as the reference the shipped Västra Götaland version repeats.
pub fn pilot_2024() -> LostDeviceRules {
    LostDeviceRules {
        id: "lost_device.pilot_2024".into(),
        pilot: true,
        unit_kinds: vec!["primary_care".into(), "hospital_ward".into()],
        main_device_minimum_percent: MAIN_DEVICE_MINIMUM_PERCENT,
        accessory_percent: ACCESSORY_PERCENT,
        minimum_charge: MINIMUM_CHARGE,
        only_in_assortment: true,
        source: "Hjälpmedelsforum 2024-05-23, Pilotprojekt – förkomna hjälpmedel (seeds/004)".into(),
    }
}

/// What the charge rules need to know about a lost device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LostDevice {
    pub kind: ChargeKind,
    pub purchase_price: Ore,
    pub purchase_date: NaiveDate,
    /// The manufacturer's service life; zero means "already written down".
    pub service_life_months: u32,
    /// Whether the article is still in the assortment on the day of the loss.
    pub in_assortment: bool,
}

/// The amount to charge, the steps that led to it (Swedish, for the user and
/// the invoice), and the stable id of the rule that decided it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Charge {
    pub amount: Ore,
    pub steps: Vec<String>,
    pub rule: &'static str,
}

/// The lowest chargeable value: 1 000 kr.
pub const MINIMUM_CHARGE: Ore = Ore(100_000);
/// A main device is charged at least this share of its purchase price.
pub const MAIN_DEVICE_MINIMUM_PERCENT: i64 = 20;
/// An accessory is charged this share of its purchase price.
pub const ACCESSORY_PERCENT: i64 = 50;

/// Stable rule ids, stored with the charge and shown in audits.
pub mod rule {
    pub const NOT_IN_ASSORTMENT: &str = "lost_device.not_in_assortment";
    pub const BELOW_MINIMUM: &str = "lost_device.below_minimum";
    pub const MAIN_DEVICE_RESIDUAL_VALUE: &str = "lost_device.main_device.residual_value";
    pub const MAIN_DEVICE_MINIMUM_SHARE: &str = "lost_device.main_device.minimum_share";
    pub const ACCESSORY_SHARE: &str = "lost_device.accessory.share";
    pub const KIND_NOT_COVERED: &str = "lost_device.kind_not_covered";
}

/// The charge for `d`, lost on `lost_on`, under `rules`.
pub fn lost_device_charge(d: &LostDevice, lost_on: NaiveDate, rules: &LostDeviceRules) -> Charge {
    let pilot = if rules.pilot { " (pilotprojekt)" } else { "" };
    let mut steps = vec![describe(d), format!("Regler för förkomna hjälpmedel: {}{pilot}.", rules.id)];
    if d.kind == ChargeKind::Other {
        steps.push("Reglerna för förkomna hjälpmedel gäller huvudhjälpmedel och tillbehör: ingen debitering.".into());
        return Charge { amount: Ore(0), steps, rule: rule::KIND_NOT_COVERED };
    }
    if rules.only_in_assortment && !d.in_assortment {
        steps.push("Artikeln finns inte längre i sortimentet och har därför inget debiterbart värde.".into());
        return Charge { amount: Ore(0), steps, rule: rule::NOT_IN_ASSORTMENT };
    }
    let (value, rule) = match d.kind {
        ChargeKind::MainDevice => main_device_value(d, lost_on, rules.main_device_minimum_percent, &mut steps),
        ChargeKind::Accessory | ChargeKind::Other => {
            let percent = rules.accessory_percent;
            let value = mul_div_half_up(d.purchase_price, percent, 100);
            steps.push(format!("Tillbehör: {percent} % av inköpspriset = {value}."));
            (value, rule::ACCESSORY_SHARE)
        }
    };
    let minimum = rules.minimum_charge;
    if value < minimum || value.0 <= 0 {
        steps.push(format!(
            "Det debiterbara värdet {value} understiger {minimum}: ingen debitering till vårdgivare eller patient."
        ));
        return Charge { amount: Ore(0), steps, rule: rule::BELOW_MINIMUM };
    }
    steps.push(format!("Att debitera: {value}."));
    Charge { amount: value, steps, rule }
}

fn describe(d: &LostDevice) -> String {
    let kind = match d.kind {
        ChargeKind::MainDevice => "Huvudhjälpmedel",
        ChargeKind::Accessory => "Tillbehör",
        ChargeKind::Other => "Reservdel eller annan artikel",
    };
    format!("{kind}, inköpt {} för {}, livslängd {} månader.", d.purchase_date, d.purchase_price, d.service_life_months)
}

fn main_device_value(d: &LostDevice, lost_on: NaiveDate, floor: i64, steps: &mut Vec<String>) -> (Ore, &'static str) {
    let life = d.service_life_months;
    let used = whole_months_between(d.purchase_date, lost_on).min(life);
    let left = life - used;
    let residual = if life == 0 { Ore(0) } else { mul_div_half_up(d.purchase_price, i64::from(left), i64::from(life)) };
    steps.push(format!(
        "Förkommet {lost_on}: {used} hela månader efter inköp, {left} av {life} månader kvar av livslängden."
    ));
    steps.push(format!("Restvärde (linjär avskrivning): {} × {left} / {life} = {residual}.", d.purchase_price));
    if floor == 0 {
        steps.push(format!("Debiterbart värde: restvärdet {residual}."));
        return (residual, rule::MAIN_DEVICE_RESIDUAL_VALUE);
    }
    let minimum = mul_div_half_up(d.purchase_price, floor, 100);
    if residual >= minimum {
        steps.push(format!("Restvärdet är minst {floor} % av inköpspriset ({minimum}): debiterbart värde {residual}."));
        (residual, rule::MAIN_DEVICE_RESIDUAL_VALUE)
    } else {
        steps.push(format!("Restvärdet är lägre än {floor} % av inköpspriset: debiterbart värde {minimum}."));
        (minimum, rule::MAIN_DEVICE_MINIMUM_SHARE)
    }
}

/// Whole calendar months from `from` to `to`: the largest `m` with
/// `from + m months <= to` (a month from the 31st ends on the last day of a
/// shorter month). Zero when `to` is before `from`.
pub fn whole_months_between(from: NaiveDate, to: NaiveDate) -> u32 {
    if to <= from {
        return 0;
    }
    let guess = (to.year() - from.year()) * 12 + to.month() as i32 - from.month() as i32;
    let guess = guess.max(0) as u32;
    match from.checked_add_months(Months::new(guess)) {
        Some(d) if d <= to => guess,
        _ => guess.saturating_sub(1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use ChargeKind::{Accessory, MainDevice};

    fn date(s: &str) -> NaiveDate {
        s.parse().expect("test date")
    }

    fn device(kind: ChargeKind, price_ore: i64, bought: &str, life: u32, in_assortment: bool) -> LostDevice {
        LostDevice {
            kind,
            purchase_price: Ore(price_ore),
            purchase_date: date(bought),
            service_life_months: life,
            in_assortment,
        }
    }

    #[test]
    fn hand_computed_charges_follow_the_seed_rules() {
        // (why, device, lost on, amount in öre, rule)
        let table = [
            // "För huvudhjälpmedel: Restvärdet …": 12 000 kr, 29 whole months of 60 used, 31 left:
            // 12 000 × 31 / 60 = 6 200 kr.
            (
                "residual value",
                device(MainDevice, 1_200_000, "2022-03-15", 60, true),
                "2024-09-10",
                620_000,
                rule::MAIN_DEVICE_RESIDUAL_VALUE,
            ),
            // On the 15th the 30th month is complete: 12 000 × 30 / 60 = 6 000 kr.
            (
                "a completed month lowers it",
                device(MainDevice, 1_200_000, "2022-03-15", 60, true),
                "2024-09-15",
                600_000,
                rule::MAIN_DEVICE_RESIDUAL_VALUE,
            ),
            // "… dock lägst 20% av inköpspriset": fully written down, still 2 400 kr.
            (
                "at least 20 %",
                device(MainDevice, 1_200_000, "2018-01-10", 60, true),
                "2024-01-10",
                240_000,
                rule::MAIN_DEVICE_MINIMUM_SHARE,
            ),
            // 54 of 60 months used: 12 000 × 6 / 60 = 1 200 kr is below 20 % = 2 400 kr.
            (
                "the floor wins over a low residual",
                device(MainDevice, 1_200_000, "2020-01-10", 60, true),
                "2024-07-10",
                240_000,
                rule::MAIN_DEVICE_MINIMUM_SHARE,
            ),
            // 10 000 kr bought 31 January, lost 29 February (leap year): one whole month, 35 of 36 left:
            // 10 000 × 35 / 36 = 9 722,222… → 9 722,22 kr.
            (
                "month ends and rounding",
                device(MainDevice, 1_000_000, "2024-01-31", 36, true),
                "2024-02-29",
                972_222,
                rule::MAIN_DEVICE_RESIDUAL_VALUE,
            ),
            // A new device lost the day it was bought is worth its price.
            (
                "new device",
                device(MainDevice, 400_000, "2025-05-05", 60, true),
                "2025-05-05",
                400_000,
                rule::MAIN_DEVICE_RESIDUAL_VALUE,
            ),
            // "Understiger det debiterbara värdet 1000 kr, ska debitering inte ske": 20 % of 4 000 kr = 800 kr.
            (
                "below 1 000 kr",
                device(MainDevice, 400_000, "2015-01-01", 60, true),
                "2025-01-01",
                0,
                rule::BELOW_MINIMUM,
            ),
            // 20 % of 5 000 kr is exactly 1 000 kr, which does not fall below the limit.
            (
                "exactly 1 000 kr",
                device(MainDevice, 500_000, "2015-01-01", 60, true),
                "2025-01-01",
                100_000,
                rule::MAIN_DEVICE_MINIMUM_SHARE,
            ),
            // No service life recorded: nothing left to write down, the 20 % floor applies.
            (
                "no service life",
                device(MainDevice, 1_000_000, "2025-01-01", 0, true),
                "2025-01-02",
                200_000,
                rule::MAIN_DEVICE_MINIMUM_SHARE,
            ),
            // "För tillbehör: 50% av inköpspris": 3 000 kr → 1 500 kr, whatever its age.
            (
                "accessory",
                device(Accessory, 300_000, "2010-01-01", 12, true),
                "2025-01-01",
                150_000,
                rule::ACCESSORY_SHARE,
            ),
            // 50 % of 2 000,01 kr = 1 000,005 kr → 1 000,01 kr (half up), charged.
            (
                "accessory rounds half up",
                device(Accessory, 200_001, "2024-01-01", 12, true),
                "2025-01-01",
                100_001,
                rule::ACCESSORY_SHARE,
            ),
            // 50 % of 1 999,98 kr = 999,99 kr: below the limit.
            (
                "accessory below 1 000 kr",
                device(Accessory, 199_998, "2024-01-01", 12, true),
                "2025-01-01",
                0,
                rule::BELOW_MINIMUM,
            ),
            // "Hjälpmedlet (oavsett huvudhjälpmedel eller tillbehör) ska vara i sortiment".
            (
                "main device out of assortment",
                device(MainDevice, 5_000_000, "2025-01-01", 60, false),
                "2025-02-01",
                0,
                rule::NOT_IN_ASSORTMENT,
            ),
            (
                "accessory out of assortment",
                device(Accessory, 500_000, "2025-01-01", 60, false),
                "2025-02-01",
                0,
                rule::NOT_IN_ASSORTMENT,
            ),
        ];
        for (why, d, lost_on, amount, rule) in table {
            let charge = lost_device_charge(&d, date(lost_on), &pilot_2024());
            assert_eq!((charge.amount, charge.rule), (Ore(amount), rule), "{why}: {:#?}", charge.steps);
        }
    }

    #[test]
    fn the_computation_is_shown_in_swedish() {
        let d = device(MainDevice, 1_200_000, "2022-03-15", 60, true);
        let steps = lost_device_charge(&d, date("2024-09-10"), &pilot_2024()).steps;
        assert_eq!(
            steps,
            vec![
                "Huvudhjälpmedel, inköpt 2022-03-15 för 12\u{a0}000,00\u{a0}kr, livslängd 60 månader.",
                "Regler för förkomna hjälpmedel: lost_device.pilot_2024 (pilotprojekt).",
                "Förkommet 2024-09-10: 29 hela månader efter inköp, 31 av 60 månader kvar av livslängden.",
                "Restvärde (linjär avskrivning): 12\u{a0}000,00\u{a0}kr × 31 / 60 = 6\u{a0}200,00\u{a0}kr.",
                "Restvärdet är minst 20 % av inköpspriset (2\u{a0}400,00\u{a0}kr): debiterbart värde 6\u{a0}200,00\u{a0}kr.",
                "Att debitera: 6\u{a0}200,00\u{a0}kr.",
            ]
        );
    }

    #[test]
    fn a_charge_below_the_limit_says_nobody_is_charged() {
        let d = device(Accessory, 150_000, "2024-01-01", 12, true);
        let last = lost_device_charge(&d, date("2025-01-01"), &pilot_2024()).steps.pop().expect("steps");
        assert!(last.contains("understiger 1\u{a0}000,00\u{a0}kr"), "{last}");
        assert!(last.contains("ingen debitering till vårdgivare eller patient"), "{last}");
    }

    /// Seed 004: "Debitering ska kunna ske även om ett hjälpmedel saknar
    /// restvärde (20% av inköpspriset)" — a new principle of the pilot; the
    /// rules before it (and outside it) charge the residual value alone, and
    /// "För tillbehör: 50% av inköpspris (Som idag)".
    #[test]
    fn outside_the_pilot_a_written_down_device_costs_nothing_and_an_accessory_half_its_price() {
        let standard = LostDeviceRules {
            id: "lost_device.standard".into(),
            pilot: false,
            unit_kinds: vec![],
            main_device_minimum_percent: 0,
            accessory_percent: 50,
            minimum_charge: Ore(0),
            only_in_assortment: false,
            source: String::new(),
        };
        let written_down = device(MainDevice, 1_200_000, "2018-01-10", 60, true);
        let cheap_sling = device(Accessory, 150_000, "2024-01-01", 12, false);
        let spare_part = device(ChargeKind::Other, 900_000, "2025-01-01", 60, true);
        let on = date("2025-01-01");
        assert_eq!(lost_device_charge(&written_down, on, &standard).amount, Ore(0));
        assert_eq!(lost_device_charge(&written_down, on, &pilot_2024()).amount, Ore(240_000));
        assert_eq!(lost_device_charge(&cheap_sling, on, &standard).amount, Ore(75_000), "no 1 000 kr limit");
        assert_eq!(lost_device_charge(&cheap_sling, on, &pilot_2024()).amount, Ore(0));
        for rules in [standard, pilot_2024()] {
            let c = lost_device_charge(&spare_part, on, &rules);
            assert_eq!((c.amount, c.rule), (Ore(0), rule::KIND_NOT_COVERED), "a spare part is not charged");
        }
    }

    /// Seed 004: "Primärvård och SU ingår i pilotprojektet".
    #[test]
    fn the_pilot_applies_to_primary_care_and_hospital_wards_only() {
        let p = pilot_2024();
        assert!(p.applies_to(Some("primary_care")) && p.applies_to(Some("hospital_ward")));
        assert!(!p.applies_to(Some("home_care")) && !p.applies_to(None));
        let everyone = LostDeviceRules { unit_kinds: vec![], ..p };
        assert!(everyone.applies_to(None) && everyone.applies_to(Some("saebo")));
    }

    #[test]
    fn whole_months_count_only_completed_months() {
        let table = [
            ("2024-01-15", "2024-01-15", 0),
            ("2024-01-15", "2024-02-14", 0),
            ("2024-01-15", "2024-02-15", 1),
            ("2024-01-31", "2024-02-29", 1),
            ("2023-01-31", "2023-02-28", 1),
            ("2024-02-29", "2025-02-28", 12),
            ("2020-06-01", "2025-05-31", 59),
            ("2025-06-01", "2020-01-01", 0),
        ];
        for (from, to, months) in table {
            assert_eq!(whole_months_between(date(from), date(to)), months, "{from}..{to}");
        }
    }

    fn any_device() -> impl Strategy<Value = (LostDevice, NaiveDate)> {
        (any::<bool>(), 0i64..10_000_000, 0i64..15_000, 0u32..240, any::<bool>(), 0i64..15_000).prop_map(
            |(main, price, bought, life, in_assortment, after)| {
                let base = NaiveDate::from_ymd_opt(1990, 1, 1).expect("valid");
                let purchase_date = base + chrono::Duration::days(bought);
                let d = LostDevice {
                    kind: if main { MainDevice } else { Accessory },
                    purchase_price: Ore(price),
                    purchase_date,
                    service_life_months: life,
                    in_assortment,
                };
                (d, purchase_date + chrono::Duration::days(after))
            },
        )
    }

    proptest! {
        #[test]
        fn a_charge_is_never_negative_nor_above_the_purchase_price((d, lost_on) in any_device()) {
            let c = lost_device_charge(&d, lost_on, &pilot_2024());
            prop_assert!(c.amount >= Ore(0));
            prop_assert!(c.amount <= d.purchase_price);
        }

        #[test]
        fn nothing_below_one_thousand_kronor_is_charged((d, lost_on) in any_device()) {
            let c = lost_device_charge(&d, lost_on, &pilot_2024());
            prop_assert!(c.amount == Ore(0) || c.amount >= MINIMUM_CHARGE);
            if d.purchase_price < MINIMUM_CHARGE {
                prop_assert_eq!(c.amount, Ore(0));
            }
        }

        #[test]
        fn a_charged_main_device_costs_at_least_a_fifth_of_its_price((d, lost_on) in any_device()) {
            let c = lost_device_charge(&d, lost_on, &pilot_2024());
            if d.kind == MainDevice && c.amount > Ore(0) {
                prop_assert!(c.amount >= mul_div_half_up(d.purchase_price, MAIN_DEVICE_MINIMUM_PERCENT, 100));
            }
        }

        #[test]
        fn articles_out_of_assortment_are_never_charged((d, lost_on) in any_device()) {
            let d = LostDevice { in_assortment: false, ..d };
            prop_assert_eq!(lost_device_charge(&d, lost_on, &pilot_2024()).amount, Ore(0));
        }

        #[test]
        fn a_later_loss_never_costs_more((d, lost_on) in any_device(), later in 0i64..5_000) {
            let early = lost_device_charge(&d, lost_on, &pilot_2024()).amount;
            let late = lost_device_charge(&d, lost_on + chrono::Duration::days(later), &pilot_2024()).amount;
            prop_assert!(late <= early);
        }

        #[test]
        fn every_charge_ends_with_a_step_naming_its_amount((d, lost_on) in any_device()) {
            let c = lost_device_charge(&d, lost_on, &pilot_2024());
            prop_assert!(c.steps.len() >= 2);
            if c.amount > Ore(0) {
                prop_assert!(c.steps.last().expect("steps").contains(&c.amount.format_sv()));
            }
        }
    }
}
