use super::*;
use crate::calendar::pickup_rent_end;
use crate::charges::{rule, ChargeKind, LostDevice};
use crate::work_order::WorkOrderKind;
use proptest::prelude::*;

fn date(s: &str) -> NaiveDate {
    s.parse().expect("test date")
}

fn month(s: &str) -> Month {
    Month::parse("month", s).expect("test month")
}

const RENT: Ore = Ore(45_000); // 450,00 kr a month

fn loan(id: i64, account: i64, start: &str, end: Option<&str>) -> LoanFact {
    LoanFact {
        loan_id: id,
        device_id: 100 + id,
        device_number: format!("D{id}"),
        article_id: 7,
        article_name: "Rullator".into(),
        patient_id: Some(1),
        customer_number_id: account,
        payer: Payer::Municipality,
        rule_id: "r1".into(),
        monthly_rent: RENT,
        start: date(start),
        end: end.map(date),
        periods: vec![],
    }
}

fn lost(id: i64, kind: ChargeKind, price: i64, bought: &str, life: u32, in_assortment: bool, on: &str) -> LostFact {
    LostFact {
        report_id: id,
        device_id: 200 + id,
        device_number: format!("L{id}"),
        article_id: 8,
        article_name: "Säng".into(),
        patient_id: None,
        customer_number_id: 1,
        reported_on: date(on),
        device: LostDevice {
            kind,
            purchase_price: Ore(price),
            purchase_date: date(bought),
            service_life_months: life,
            in_assortment,
        },
        unit_kind: Some("primary_care".into()),
        rules: Some(crate::charges::pilot_2024()),
    }
}

fn rent_amounts(m: &str, loans: Vec<LoanFact>) -> Vec<(i64, String)> {
    let f = Facts { loans, ..Facts::empty(month(m)) };
    billable_lines(&f).into_iter().map(|b| (b.line.amount.0, b.line.computation)).collect()
}

#[test]
fn rent_is_pro_rata_by_day_in_part_months_and_whole_in_full_months() {
    // Delivered 20 October: 12 of October's 31 days, 450 × 12 / 31 = 174,193… → 174,19 kr.
    let oct = rent_amounts("2026-10", vec![loan(1, 1, "2026-10-20", None)]);
    assert_eq!(oct[0].0, 17_419);
    assert_eq!(
        oct[0].1,
        "12 av 31 dagar × 450,00\u{a0}kr = 174,19\u{a0}kr (450,00\u{a0}kr × 12 / 31, avrundat till hela ören)."
    );
    // November in full: the monthly rent.
    let nov = rent_amounts("2026-11", vec![loan(1, 1, "2026-10-20", None)]);
    assert_eq!(nov, vec![(45_000, "Hel månad 2026-11: 450,00\u{a0}kr.".to_string())]);
    // Returned with rent end 10 February: 10 of 28 days, 450 × 10 / 28 = 160,714… → 160,71 kr.
    assert_eq!(rent_amounts("2027-02", vec![loan(1, 1, "2026-10-20", Some("2027-02-10"))])[0].0, 16_071);
    // Not out in the month: nothing.
    assert!(rent_amounts("2027-03", vec![loan(1, 1, "2026-10-20", Some("2027-02-10"))]).is_empty());
    assert!(rent_amounts("2026-09", vec![loan(1, 1, "2026-10-20", None)]).is_empty());
}

#[test]
fn a_pickup_before_easter_ends_the_rent_on_the_third_working_day_after() {
    // Pickup registered Wednesday 1 April 2026; Good Friday 3 April and Easter Monday 6 April are
    // holidays: working days Thu 2, Tue 7, Wed 8 → rent ends 8 April.
    let end = pickup_rent_end(date("2026-04-01"));
    assert_eq!(end, date("2026-04-08"));
    // 8 of April's 30 days: 450 × 8 / 30 = 120,00 kr.
    let april = rent_amounts("2026-04", vec![loan(1, 1, "2026-01-10", Some(&end.to_string()))]);
    assert_eq!(april[0].0, 12_000);
}

#[test]
fn a_pickup_before_christmas_skips_christmas_eve_to_boxing_day() {
    // Registered Tuesday 22 December 2026: Wed 23, (24–27 Christmas and a weekend), Mon 28, Tue 29.
    let end = pickup_rent_end(date("2026-12-22"));
    assert_eq!(end, date("2026-12-29"));
    // 29 of 31 days: 450 × 29 / 31 = 420,967… → 420,97 kr.
    let dec = rent_amounts("2026-12", vec![loan(1, 1, "2026-11-02", Some(&end.to_string()))]);
    assert_eq!(dec[0].0, 42_097);
}

#[test]
fn the_same_rent_is_billed_for_a_new_and_a_reconditioned_device() {
    // The rent comes from the article, not the device: two loans of one article cost the same.
    let lines = rent_amounts("2026-10", vec![loan(1, 1, "2026-10-01", None), loan(2, 1, "2026-10-01", None)]);
    assert_eq!(lines[0].0, lines[1].0);
}

#[test]
fn each_lost_device_rule_and_threshold_is_billed_as_seed_004_says() {
    use ChargeKind::{Accessory, MainDevice};
    // (why, fact, amount billed in öre or None when not billed)
    let table = [
        // "Restvärdet": 12 000 kr, 29 of 60 months used → 12 000 × 31 / 60 = 6 200 kr.
        ("residual value", lost(1, MainDevice, 1_200_000, "2022-03-15", 60, true, "2024-09-10"), Some(620_000)),
        // "dock lägst 20% av inköpspriset": written down → 2 400 kr.
        ("20 % floor", lost(2, MainDevice, 1_200_000, "2018-01-10", 60, true, "2024-01-10"), Some(240_000)),
        // "För tillbehör: 50% av inköpspris": 3 000 kr → 1 500 kr.
        ("accessory half", lost(3, Accessory, 300_000, "2010-01-01", 12, true, "2025-01-01"), Some(150_000)),
        // "ska vara i sortiment": out of the assortment → nothing.
        ("out of assortment", lost(4, MainDevice, 5_000_000, "2025-01-01", 60, false, "2025-02-01"), None),
        // "Understiger det debiterbara värdet 1000 kr": 20 % of 4 000 kr = 800 kr → nothing.
        ("below 1 000 kr", lost(5, MainDevice, 400_000, "2015-01-01", 60, true, "2025-01-01"), None),
        // Exactly 1 000 kr (20 % of 5 000 kr) is billed.
        ("exactly 1 000 kr", lost(6, MainDevice, 500_000, "2015-01-01", 60, true, "2025-01-01"), Some(100_000)),
        // Accessory 50 % of 1 999,98 kr = 999,99 kr → nothing.
        ("accessory below 1 000 kr", lost(7, Accessory, 199_998, "2024-01-01", 12, true, "2025-01-01"), None),
    ];
    for (why, fact, expected) in table {
        let f = Facts { lost: vec![fact.clone()], ..Facts::empty(Month::of(fact.reported_on)) };
        let lines = billable_lines(&f);
        assert_eq!(lines.first().map(|b| b.line.amount.0), expected, "{why}");
        if let Some(b) = lines.first() {
            assert_eq!(b.line.source_key, format!("lost:report:{}", fact.report_id));
            assert!(b.line.computation.starts_with("Huvudhjälpmedel") || b.line.computation.starts_with("Tillbehör"));
            assert!(b.line.computation.ends_with(&format!("Att debitera: {}.", b.line.amount)), "{why}");
        }
    }
    assert_eq!(rule::BELOW_MINIMUM, "lost_device.below_minimum");
}

fn sale(id: i64, account: i64, payer: Payer, qty: i64, price: i64) -> SaleFact {
    SaleFact {
        source: SaleSource::OrderLine(id),
        article_id: 9,
        article_number: "A9".into(),
        article_name: "Inkontinensskydd".into(),
        device_id: None,
        patient_id: Some(3),
        customer_number_id: account,
        payer,
        rule_id: "region.consumables".into(),
        quantity: qty,
        unit_price: Ore(price),
        delivered_on: date("2026-10-05"),
    }
}

fn accounts() -> Facts {
    let mut f = Facts::empty(month("2026-10"));
    f.region_customer_number = Some(1);
    f.municipal_accounts = [2, 3].into_iter().collect();
    f.account_numbers = [(1, "R-100".to_string()), (2, "K-200".to_string()), (3, "K-300".to_string())].into();
    f
}

#[test]
fn a_sale_is_billed_once_at_quantity_times_price() {
    let f = Facts { sales: vec![sale(5, 2, Payer::Municipality, 3, 12_550)], ..accounts() };
    let lines = billable_lines(&f);
    assert_eq!(lines.len(), 1);
    assert_eq!((lines[0].customer_number_id, lines[0].line.amount), (2, Ore(37_650)));
    assert_eq!(lines[0].line.computation, "3 st × 125,50\u{a0}kr = 376,50\u{a0}kr.");
    assert_eq!(lines[0].line.source_key, "sale:line:5");
}

#[test]
fn a_municipality_buying_what_the_agreement_puts_on_the_region_is_reinvoiced_to_the_region() {
    let f = Facts { sales: vec![sale(5, 2, Payer::Region, 2, 10_000)], ..accounts() };
    let lines = billable_lines(&f);
    assert_eq!(lines[0].customer_number_id, 1);
    assert_eq!(lines[0].line.kind, LineKind::Reinvoice);
    assert_eq!(lines[0].line.amount, Ore(20_000));
    assert!(lines[0].line.computation.contains("kommunens kundnummer K-200"), "{}", lines[0].line.computation);
    assert!(lines[0].line.computation.contains("regel region.consumables"));
    // What the municipality pays itself stays with it.
    let own = Facts { sales: vec![sale(6, 3, Payer::Municipality, 1, 10_000)], ..accounts() };
    assert_eq!(billable_lines(&own)[0].customer_number_id, 3);
}

#[test]
fn the_acute_fee_goes_to_the_ordering_unit_only_where_configured() {
    let acute = AcuteOrderFact { order_id: 42, customer_number_id: 3, delivered_on: date("2026-10-07") };
    let without = Facts { acute_orders: vec![acute.clone()], ..accounts() };
    assert!(billable_lines(&without).is_empty());
    let mut with = Facts { acute_orders: vec![acute], ..accounts() };
    with.prices.acute_delivery_fee = Some(Ore(50_000));
    let lines = billable_lines(&with);
    assert_eq!((lines[0].customer_number_id, lines[0].line.amount), (3, Ore(50_000)));
    assert_eq!(lines[0].line.source_key, "acute:order:42");
}

#[test]
fn a_work_order_is_billed_by_the_minute_where_the_price_list_has_a_rate() {
    let w = |id, kind| WorkOrderFact {
        work_order_id: id,
        kind,
        device_id: Some(1),
        patient_id: None,
        customer_number_id: 2,
        payer: Payer::Municipality,
        rule_id: "r".into(),
        minutes: 95,
        finished_on: date("2026-10-12"),
    };
    let mut f =
        Facts { work_orders: vec![w(1, WorkOrderKind::Repair), w(2, WorkOrderKind::Reconditioning)], ..accounts() };
    f.prices.work_order_hourly.insert("repair".into(), Ore(60_000));
    let lines = billable_lines(&f);
    // 95 min × 600 kr / 60 = 950,00 kr; reconditioning has no rate and is not billed.
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0].line.amount, Ore(95_000));
    assert_eq!(lines[0].line.computation, "95 min × 600,00\u{a0}kr/timme enligt prislistan = 950,00\u{a0}kr.");
}

#[test]
fn drafts_group_lines_per_customer_number_with_their_totals() {
    let f = Facts {
        loans: vec![loan(1, 3, "2026-10-01", None), loan(2, 2, "2026-10-20", None)],
        sales: vec![sale(5, 3, Payer::Municipality, 1, 1_000)],
        ..accounts()
    };
    let drafts = invoice_drafts(&f);
    let shown: Vec<_> = drafts.iter().map(|d| (d.customer_number_id, d.lines.len(), d.total.0)).collect();
    assert_eq!(shown, vec![(2, 1, 17_419), (3, 2, 46_000)]);
}

fn any_loan() -> impl Strategy<Value = LoanFact> {
    (0i64..1000, 0i64..400, proptest::option::of(0i64..400), 0i64..2_000_000, 1i64..5, any::<bool>()).prop_map(
        |(id, start, len, rent, account, region)| {
            let start = date("2026-08-01") + chrono::Duration::days(start);
            LoanFact {
                monthly_rent: Ore(rent),
                payer: if region { Payer::Region } else { Payer::Municipality },
                end: len.map(|l| start + chrono::Duration::days(l)),
                start,
                ..loan(id, account, "2026-01-01", None)
            }
        },
    )
}

fn any_lost() -> impl Strategy<Value = LostFact> {
    (0i64..1000, any::<bool>(), 0i64..3_000_000, 0i64..4000, 0u32..120, any::<bool>()).prop_map(
        |(id, main, price, age, life, in_assortment)| {
            let kind = if main { ChargeKind::MainDevice } else { ChargeKind::Accessory };
            let bought = date("2026-10-15") - chrono::Duration::days(age);
            lost(id, kind, price, &bought.to_string(), life, in_assortment, "2026-10-15")
        },
    )
}

proptest! {
    #[test]
    fn the_invoice_lines_of_a_month_sum_to_its_billable_amounts(
        loans in proptest::collection::vec(any_loan(), 0..20),
        sales in proptest::collection::vec((0i64..1000, 1i64..5, 1i64..20, 0i64..100_000, any::<bool>()), 0..10),
        lost_facts in proptest::collection::vec(any_lost(), 0..10),
        acute in 0usize..5, fee in proptest::option::of(0i64..100_000),
    ) {
        let m = month("2026-10");
        let mut f = accounts();
        f.loans = loans.clone();
        f.sales = sales.iter().map(|&(id, a, q, p, r)| sale(id, a, if r { Payer::Region } else { Payer::Municipality }, q, p)).collect();
        f.lost = lost_facts.clone();
        f.acute_orders = (0..acute).map(|i| AcuteOrderFact { order_id: i as i64, customer_number_id: 2, delivered_on: date("2026-10-02") }).collect();
        f.prices.acute_delivery_fee = fee.map(Ore);

        // The billable amounts, computed the other way: each loan's whole period split by month.
        let rent: i64 = loans.iter().filter(|l| l.monthly_rent.0 > 0).map(|l| {
            let end = l.end.unwrap_or(date("2027-12-31"));
            rent_for_period(l.monthly_rent, l.start, end).iter().filter(|r| Month::of(r.from) == m).map(|r| r.amount.0).sum::<i64>()
        }).sum();
        let sold: i64 = sales.iter().map(|&(_, _, q, p, _)| q * p).sum();
        let charged: i64 = lost_facts.iter().map(|l| lost_device_charge(&l.device, l.reported_on, &crate::charges::pilot_2024()).amount.0).sum();
        let fees = fee.unwrap_or(0) * acute as i64;

        let drafts = invoice_drafts(&f);
        let invoiced: i64 = drafts.iter().flat_map(|d| &d.lines).map(|l| l.amount.0).sum();
        prop_assert_eq!(invoiced, rent + sold + charged + fees);
        for d in &drafts {
            prop_assert_eq!(d.total.0, d.lines.iter().map(|l| l.amount.0).sum::<i64>());
            for l in &d.lines {
                prop_assert_eq!(l.amount.0, l.quantity * l.unit_price.0);
            }
        }
    }
}
