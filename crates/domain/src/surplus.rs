//! Sale of surplus used basic equipment ("försäljning av begagnad
//! grundutrustning", Ledningsrådet 2024, seed 003): devices of earlier
//! assortment whose stock exceeds demand may be sold to a municipality as
//! basic equipment at 30 % of the purchase price, only while spare parts
//! remain available for a time after delivery; no ordinary warranty, but a
//! complaint ("reklamation") may be made within 30 days of delivery
//! ("fullt funktionella vid leverans"; issue 22: not from the sale).

use chrono::{Days, NaiveDate};

/// The share of the purchase price a surplus device is sold for, in percent.
pub const SALE_PERCENT: i64 = 30;

/// Days after delivery within which a complaint is accepted (the last day included).
pub const COMPLAINT_DAYS: u64 = 30;

/// Demand is what was ordered of the article in this many days before today.
pub const DEMAND_DAYS: i64 = 90;

/// The sale price in öre: 30 % of the purchase price, rounded to the
/// nearest öre with halves rounded up (a negative price is taken as zero).
pub fn sale_price_ore(purchase_price_ore: i64) -> i64 {
    let p = purchase_price_ore.max(0) as i128;
    ((p * SALE_PERCENT as i128 + 50) / 100) as i64
}

/// The last day a complaint is accepted for a device delivered on `delivered_on`.
pub fn complaint_deadline(delivered_on: NaiveDate) -> NaiveDate {
    delivered_on.checked_add_days(Days::new(COMPLAINT_DAYS)).unwrap_or(NaiveDate::MAX)
}

/// Spare parts must last at least through the complaint window, so a
/// complaint can be met by a repair: the day they must still be available,
/// counted from the sale (the earliest the device can be delivered; the
/// window itself starts at delivery).
pub fn spare_parts_needed_until(sold_on: NaiveDate) -> NaiveDate {
    complaint_deadline(sold_on)
}

/// Whether an article of earlier assortment ("tidigare sortiment"): its
/// assortment period ended before `today`.
pub fn is_earlier_assortment(valid_to: Option<NaiveDate>, today: NaiveDate) -> bool {
    valid_to.is_some_and(|to| to < today)
}

/// Whether a principal may buy surplus basic equipment on `today`: a
/// municipality whose agreement on basic equipment has begun (seed 003: the
/// sale "kommer gälla alla kommuner som har avtal om grundutrustning").
pub fn may_buy(principal_kind: &str, basic_equipment_since: Option<NaiveDate>, today: NaiveDate) -> bool {
    principal_kind == "municipality" && basic_equipment_since.is_some_and(|since| since <= today)
}

/// Devices of an article that may be sold: stock beyond demand.
pub fn surplus(in_stock: i64, demand: i64) -> i64 {
    (in_stock - demand.max(0)).max(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_price_is_thirty_percent_rounded_half_up_to_the_ore() {
        assert_eq!(sale_price_ore(250_000), 75_000);
        assert_eq!(sale_price_ore(5), 2, "1.5 öre rounds up to 2");
        assert_eq!(sale_price_ore(4), 1, "1.2 öre rounds down to 1");
        assert_eq!(sale_price_ore(1), 0, "0.3 öre rounds down to 0");
        assert_eq!(sale_price_ore(0), 0);
        assert_eq!(sale_price_ore(-100), 0);
    }

    #[test]
    fn only_a_municipality_whose_basic_equipment_agreement_has_begun_may_buy() {
        let today = d(2026, 11, 23);
        assert!(may_buy("municipality", Some(d(2021, 1, 1)), today));
        assert!(may_buy("municipality", Some(today), today), "from its first day");
        assert!(!may_buy("municipality", Some(d(2026, 12, 1)), today), "not before it begins");
        assert!(!may_buy("municipality", None, today), "no agreement");
        assert!(!may_buy("region", Some(d(2021, 1, 1)), today), "a region buys no basic equipment");
    }

    #[test]
    fn a_complaint_is_accepted_through_the_thirtieth_day_after_delivery() {
        assert_eq!(complaint_deadline(d(2026, 11, 23)), d(2026, 12, 23));
        assert_eq!(complaint_deadline(d(2027, 2, 1)), d(2027, 3, 3));
        assert_eq!(spare_parts_needed_until(d(2026, 11, 23)), d(2026, 12, 23));
    }

    #[test]
    fn an_article_is_of_earlier_assortment_from_the_day_after_its_last_day() {
        assert!(!is_earlier_assortment(None, d(2026, 11, 23)));
        assert!(!is_earlier_assortment(Some(d(2026, 11, 23)), d(2026, 11, 23)));
        assert!(is_earlier_assortment(Some(d(2026, 11, 22)), d(2026, 11, 23)));
    }

    #[test]
    fn surplus_is_stock_beyond_demand() {
        assert_eq!(surplus(5, 2), 3);
        assert_eq!(surplus(2, 5), 0);
        assert_eq!(surplus(3, -1), 3);
    }

    proptest! {
        #[test]
        fn the_price_is_within_half_an_ore_of_thirty_percent(p in 0i64..10_000_000_000) {
            let price = sale_price_ore(p);
            // In hundredths of an öre: a half rounds up, so the error is in (-50, 50].
            let diff = price as i128 * 100 - p as i128 * 30;
            prop_assert!(-50 < diff && diff <= 50, "{p} öre -> {price} öre");
        }
    }
}
