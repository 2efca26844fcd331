use super::*;
use proptest::prelude::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn utc(y: i32, m: u32, day: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, day, h, min, 0).unwrap()
}

fn month(s: &str) -> Month {
    Month::parse("m", s).unwrap()
}

#[test]
fn the_targets_are_98_percent_and_100_for_acute_orders() {
    assert_eq!(target(LeadTimeClass::Stock7).number_sv(), "98,00");
    assert_eq!(target(LeadTimeClass::Order17).number_sv(), "98,00");
    assert_eq!(target(LeadTimeClass::Acute).number_sv(), "100,00");
}

#[test]
fn delivering_on_the_promised_day_or_earlier_is_on_time_and_a_day_later_is_late() {
    assert!(is_on_time(d(2024, 4, 10), d(2024, 4, 10)));
    assert!(is_on_time(d(2024, 4, 2), d(2024, 4, 10)));
    assert!(!is_on_time(d(2024, 4, 11), d(2024, 4, 10)));
}

#[test]
fn shares_round_half_up_to_two_decimals_like_the_seed() {
    // Seed 004 writes 95,51 %, 99,84 %, 100,00 %.
    assert_eq!(Percent::of(2, 3).unwrap().number_sv(), "66,67");
    assert_eq!(Percent::of(1, 3).unwrap().number_sv(), "33,33");
    assert_eq!(Percent::of(1, 8).unwrap().number_sv(), "12,50");
    assert_eq!(Percent::of(1, 80_000).unwrap().number_sv(), "0,00", "0.00125 % rounds down");
    assert_eq!(Percent::of(1, 40_000).unwrap().number_sv(), "0,00", "0.0025 % rounds down");
    assert_eq!(Percent::of(1, 20_000).unwrap().number_sv(), "0,01", "0.005 % rounds half up");
    assert_eq!(Percent::of(624, 625).unwrap().number_sv(), "99,84");
    assert_eq!(Percent::of(7, 7).unwrap().number_en(), "100.00");
    assert_eq!(Percent::of(0, 5).unwrap().number_sv(), "0,00");
    assert_eq!(Percent::of(0, 0), None, "nothing delivered is no figure, not 0 %");
}

proptest! {
    #[test]
    fn a_share_is_the_exact_ratio_rounded_to_the_nearest_hundredth(whole in 1i64..1_000_000, frac in 0.0f64..=1.0) {
        let part = (whole as f64 * frac) as i64;
        let p = Percent::of(part, whole).unwrap().hundredths();
        // |p/100 - 100·part/whole| ≤ 0.005, in integers.
        let diff = (p * whole - 10_000 * part).abs();
        prop_assert!(2 * diff <= whole, "{part}/{whole} -> {p}");
        prop_assert!((0..=10_000).contains(&p));
    }

    #[test]
    fn every_instant_of_a_slot_has_the_slots_stockholm_date(secs in 1_577_836_800i64..1_893_456_000) {
        let at = DateTime::<Utc>::from_timestamp(secs, 0).unwrap();
        prop_assert_eq!(UtcSlot::of(at).stockholm_date(), stockholm_date(at));
    }

    #[test]
    fn on_time_counted_by_slot_agrees_with_the_rule_line_by_line(
        secs in 1_577_836_800i64..1_893_456_000,
        promised_offset in -3i64..3,
    ) {
        let at = DateTime::<Utc>::from_timestamp(secs, 0).unwrap();
        let slot = UtcSlot::of(at);
        let promised = slot.day + Duration::days(promised_offset);
        let g = DeliveryGroup {
            payer: Payer::Region,
            class: LeadTimeClass::Stock7,
            area: Agreement::Cooperation,
            principal: "1480".into(),
            slot,
            lines: 1,
            promised_from_day: i64::from(promised >= slot.day),
            promised_after_day: i64::from(promised > slot.day),
            device_lines: 0,
            reconditioned: 0,
        };
        prop_assert_eq!(g.on_time() == 1, is_on_time(stockholm_date(at), promised));
    }
}

#[test]
fn every_hour_around_the_summer_time_switches_has_its_slots_date() {
    for (y, m, day) in [(2026, 3, 28), (2026, 3, 29), (2026, 10, 24), (2026, 10, 25), (2024, 12, 31), (2025, 6, 30)] {
        for h in 0..24 {
            for min in [0, 30, 59] {
                let at = utc(y, m, day, h, min);
                assert_eq!(UtcSlot::of(at).stockholm_date(), stockholm_date(at), "{at}");
            }
        }
    }
}

#[test]
fn stockholm_midnight_is_23_utc_in_winter_and_22_in_summer_also_on_switch_days() {
    assert_eq!(stockholm_midnight_utc(d(2026, 1, 15)), utc(2026, 1, 14, 23, 0));
    assert_eq!(stockholm_midnight_utc(d(2026, 7, 1)), utc(2026, 6, 30, 22, 0));
    // Summer time starts 29 March 2026 at 02:00 local: that midnight is still winter.
    assert_eq!(stockholm_midnight_utc(d(2026, 3, 29)), utc(2026, 3, 28, 23, 0));
    assert_eq!(stockholm_midnight_utc(d(2026, 3, 30)), utc(2026, 3, 29, 22, 0));
    // It ends 25 October 2026 at 03:00 local: that midnight is still summer.
    assert_eq!(stockholm_midnight_utc(d(2026, 10, 25)), utc(2026, 10, 24, 22, 0));
    assert_eq!(stockholm_midnight_utc(d(2026, 10, 26)), utc(2026, 10, 25, 23, 0));
    for day in d(2025, 1, 1).iter_days().take(800) {
        let m = stockholm_midnight_utc(day);
        assert_eq!(stockholm_date(m), day);
        assert_eq!(stockholm_date(m - Duration::seconds(1)), day.pred_opt().unwrap());
    }
}

#[test]
fn a_month_is_written_yyyy_mm_and_anything_else_names_the_field() {
    assert_eq!(month("2024-04").to_string(), "2024-04");
    assert_eq!(month("2024-04").label_sv(), "apr 2024");
    assert_eq!(month("2023-11").label_en(), "Nov 2023");
    for bad in ["2024-4", "2024-13", "24-04", "april", "2024-00", "2024/04", "+024-04"] {
        let e = Month::parse("from", bad).unwrap_err();
        assert_eq!((e.field.as_str(), e.code), ("from", "invalid_month"), "{bad}");
    }
}

#[test]
fn months_and_quarters_step_across_new_year() {
    assert_eq!(month("2023-12").next(), month("2024-01"));
    assert_eq!(month("2024-01").prev(), month("2023-12"));
    assert_eq!(month("2023-11").count_to(month("2024-04")), 6);
    assert_eq!(month("2024-05").quarter().to_string(), "2024-Q2");
    assert_eq!(month("2024-05").quarter().label(), "Q2 2024");
    assert_eq!(month("2023-12").quarter().next().to_string(), "2024-Q1");
}

#[test]
fn without_a_range_the_report_covers_the_last_six_complete_months() {
    // Seed 004 was presented 2024-05-23: "Leveranssäkerhet, senaste 6 månaderna", Nov-23 to April-24.
    let r = MonthRange::parse(None, None, d(2024, 5, 23)).unwrap();
    assert_eq!((r.from, r.to), (month("2023-11"), month("2024-04")));
    assert_eq!(r.months().len(), 6);
    let r = MonthRange::parse(Some(""), Some("2024-02"), d(2024, 5, 23)).unwrap();
    assert_eq!((r.from, r.to), (month("2023-09"), month("2024-02")));
}

#[test]
fn a_reversed_or_too_long_range_is_refused_on_the_to_field() {
    let e = MonthRange::parse(Some("2024-05"), Some("2024-04"), d(2024, 6, 1)).unwrap_err();
    assert_eq!((e.field.as_str(), e.code), ("to", "month_range_reversed"));
    let e = MonthRange::parse(Some("2020-01"), Some("2023-01"), d(2024, 6, 1)).unwrap_err();
    assert_eq!((e.field.as_str(), e.code), ("to", "month_range_too_long"));
    assert!(MonthRange::parse(Some("2020-01"), Some("2022-12"), d(2024, 6, 1)).is_ok(), "36 months");
    let e = MonthRange::parse(Some("2024-4"), None, d(2024, 6, 1)).unwrap_err();
    assert_eq!(e.field, "from");
}

#[test]
fn a_range_begins_and_ends_at_stockholm_midnight() {
    let r = MonthRange::new(month("2024-03"), month("2024-10")).unwrap();
    assert_eq!(r.start_utc(), utc(2024, 2, 29, 23, 0));
    assert_eq!(r.end_utc(), utc(2024, 10, 31, 23, 0));
    let q = r.whole_quarters();
    assert_eq!((q.from, q.to), (month("2024-01"), month("2024-12")));
    let labels: Vec<String> = r.quarters().iter().map(|q| q.to_string()).collect();
    assert_eq!(labels, ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"]);
}

fn group(area: Agreement, class: LeadTimeClass, at: DateTime<Utc>, promised: NaiveDate) -> DeliveryGroup {
    let slot = UtcSlot::of(at);
    DeliveryGroup {
        payer: Payer::Region,
        class,
        area,
        principal: "1480".into(),
        slot,
        lines: 1,
        promised_from_day: i64::from(promised >= slot.day),
        promised_after_day: i64::from(promised > slot.day),
        device_lines: 1,
        reconditioned: 0,
    }
}

#[test]
fn the_reliability_table_has_the_seeds_six_rows_and_a_column_per_month() {
    use Agreement::{Cooperation, Overenskommelsen};
    use LeadTimeClass::*;
    let range = MonthRange::new(month("2026-09"), month("2026-10")).unwrap();
    let groups = [
        group(Cooperation, Stock7, utc(2026, 9, 10, 8, 0), d(2026, 9, 10)),
        // 00:30 on 11 September in Stockholm: a day late.
        group(Cooperation, Stock7, utc(2026, 9, 10, 22, 30), d(2026, 9, 10)),
        group(Cooperation, Stock7, utc(2026, 9, 14, 12, 0), d(2026, 9, 15)),
        // 00:30 on 1 October in Stockholm: October's, on time.
        group(Overenskommelsen, Order17, utc(2026, 9, 30, 22, 30), d(2026, 10, 1)),
        // After the switch to winter time 22:30 UTC is 23:30 the same day: on time.
        group(Cooperation, Acute, utc(2026, 10, 26, 22, 30), d(2026, 10, 26)),
        group(Cooperation, Acute, utc(2026, 10, 20, 22, 30), d(2026, 10, 20)),
    ];
    let rows = delivery_reliability(&range, &groups);
    let labels: Vec<String> = rows.iter().map(|r| reliability_label_sv(r.agreement, r.class)).collect();
    assert_eq!(
        labels,
        [
            "Samarbetsavtal - Leveranssäkerhet 7 dagars sortiment",
            "Överenskommelsen - Leveranssäkerhet 7 dagars sortiment",
            "Samarbetsavtal - Leveranssäkerhet 17 dagars sortiment",
            "Överenskommelsen - Leveranssäkerhet 17 dagars sortiment",
            "Samarbetsavtal - Leveranssäkerhet för akuta order",
            "Överenskommelsen - Leveranssäkerhet för akuta order",
        ]
    );
    let shown = |r: &ReliabilityRow| -> Vec<String> {
        r.cells.iter().map(|c| c.percent.map(|p| p.number_sv()).unwrap_or_else(|| "–".into())).collect()
    };
    assert_eq!(shown(&rows[0]), ["66,67", "–"]);
    assert_eq!(rows[0].meets_target(&rows[0].cells[0]), Some(false));
    assert_eq!(shown(&rows[3]), ["–", "100,00"]);
    assert_eq!(rows[3].meets_target(&rows[3].cells[1]), Some(true));
    assert_eq!(shown(&rows[4]), ["–", "50,00"]);
    assert_eq!((rows[4].cells[1].part, rows[4].cells[1].whole), (1, 2));
}

#[test]
fn the_drug_adjacent_four_day_assortment_and_digital_devices_get_their_own_rows_when_delivered() {
    // Seed 003: "Leveranssäkerhet på 4 ledtidsdagar, överstiger målet på 98 %", and "Samarbetsavtal för
    // försörjning av personliga hjälpmedel, Överenskommelse för hjälpmedel vid medicinsk behandling och
    // digitala hjälpmedel".
    let range = MonthRange::new(month("2024-08"), month("2024-08")).unwrap();
    let mut four = group(Agreement::Overenskommelsen, LeadTimeClass::Stock4, utc(2024, 8, 5, 9, 0), d(2024, 8, 9));
    (four.lines, four.promised_from_day, four.promised_after_day) = (50, 49, 49);
    let digital = group(Agreement::Digital, LeadTimeClass::Stock7, utc(2024, 8, 6, 9, 0), d(2024, 8, 5));
    let rows = delivery_reliability(&range, &[four, digital]);
    assert_eq!(rows.len(), 8, "the seed's six rows, then one per other area and class delivered");
    assert_eq!(
        reliability_label_sv(rows[6].agreement, rows[6].class),
        "Överenskommelsen - Leveranssäkerhet 4 ledtidsdagar (läkemedelsnära)"
    );
    assert_eq!((rows[6].cells[0].part, rows[6].cells[0].whole), (49, 50));
    assert_eq!(rows[6].target.number_sv(), "98,00");
    assert_eq!(rows[6].meets_target(&rows[6].cells[0]), Some(true), "49 of 50 is exactly 98 %");
    assert_eq!(
        reliability_label_sv(rows[7].agreement, rows[7].class),
        "Digitala hjälpmedel - Leveranssäkerhet 7 dagars sortiment"
    );
    assert_eq!(rows[7].meets_target(&rows[7].cells[0]), Some(false));
    assert_eq!(delivery_reliability(&range, &[]).len(), 6, "nothing delivered: only the seed's rows");
}

#[test]
fn the_agreement_area_is_the_articles_not_the_payers() {
    // Issue 22: "Delivery reliability splits by payer; the VGR reports split by product area".
    let range = MonthRange::new(month("2024-08"), month("2024-08")).unwrap();
    let mut line = group(Agreement::Overenskommelsen, LeadTimeClass::Stock7, utc(2024, 8, 5, 9, 0), d(2024, 8, 9));
    line.payer = Payer::Municipality;
    let rows = delivery_reliability(&range, &[line]);
    assert_eq!(rows[0].cells[0].whole, 0, "not under the cooperation agreement though a municipality pays");
    assert_eq!(rows[1].cells[0].whole, 1);
}

#[test]
fn reuse_counts_reconditioned_devices_among_device_deliveries() {
    let range = MonthRange::new(month("2024-01"), month("2024-02")).unwrap();
    let mut a = group(Agreement::Overenskommelsen, LeadTimeClass::Stock7, utc(2024, 1, 5, 9, 0), d(2024, 1, 9));
    (a.lines, a.device_lines, a.reconditioned) = (5, 4, 3);
    let cells = reuse_rate(&range, &[a]);
    assert_eq!((cells[0].part, cells[0].whole), (3, 4));
    assert_eq!(cells[0].percent.unwrap().number_sv(), "75,00");
    assert_eq!(cells[1].percent, None);
}

#[test]
fn acceptance_is_accepted_over_accepted_and_declined_and_leaves_automatic_aside() {
    let range = MonthRange::new(month("2024-03"), month("2024-03")).unwrap();
    let slot = UtcSlot::of(utc(2024, 3, 4, 10, 0));
    let g = |answer, count| AnswerGroup { slot, answer, principal_id: 1, count };
    let months = replacement_acceptance(
        &range,
        &[g(Substitution::Accepted, 13), g(Substitution::Declined, 7), g(Substitution::Automatic, 40)],
    );
    // Seed 004: "Ca 65% av beställarna tackar JA till föreslagen ersättningsartikel".
    assert_eq!(months[0].share.percent.unwrap().number_sv(), "65,00");
    assert_eq!((months[0].declined, months[0].automatic), (7, 40));
}

#[test]
fn purchases_and_prescriptions_fall_in_quarters_and_idle_groups_are_left_out() {
    let range = MonthRange::new(month("2024-02"), month("2024-04")).unwrap();
    let quarters = range.quarters();
    let fg = |id: i64, code: &str| FixedGroup { id, code: code.into(), name: code.into() };
    let groups = [fg(1, "FG-SANG"), fg(2, "FG-LYFT")];
    let purchased = [
        GroupMonthCount { group_id: 1, month: month("2024-01"), count: 10 },
        GroupMonthCount { group_id: 1, month: month("2024-05"), count: 4 },
    ];
    // 23:30 UTC on 31 March is 1 April in Stockholm: the second quarter.
    let prescribed = [GroupSlotCount { group_id: 1, slot: UtcSlot::of(utc(2024, 3, 31, 23, 30)), count: 6 }];
    let rows = purchased_vs_prescribed(&quarters, &groups, &purchased, &prescribed);
    assert_eq!(rows.len(), 1);
    assert_eq!(
        rows[0].cells,
        [QuarterCell { purchased: 10, prescribed: 0 }, QuarterCell { purchased: 4, prescribed: 6 }]
    );
    assert_eq!(rows[0].total, QuarterCell { purchased: 14, prescribed: 6 });
}

#[test]
fn work_order_age_buckets_are_0_7_8_30_31_90_and_over_90_days() {
    let today = d(2026, 11, 23);
    let age = |days| AgeBucket::of(today - Duration::days(days), today);
    assert_eq!(
        [age(0), age(7), age(8), age(30), age(31), age(90), age(91)],
        [
            AgeBucket::UpTo7,
            AgeBucket::UpTo7,
            AgeBucket::UpTo30,
            AgeBucket::UpTo30,
            AgeBucket::UpTo90,
            AgeBucket::UpTo90,
            AgeBucket::Over90
        ]
    );
}

#[test]
fn the_bucket_start_instants_agree_with_the_bucket_rule() {
    let today = d(2026, 11, 23);
    let starts = AgeBucket::starts(today);
    let by_instants = |at: DateTime<Utc>| match starts.iter().position(|s| at >= *s) {
        Some(0) => AgeBucket::UpTo7,
        Some(1) => AgeBucket::UpTo30,
        Some(2) => AgeBucket::UpTo90,
        _ => AgeBucket::Over90,
    };
    let mut at = utc(2026, 6, 1, 0, 0);
    while at < utc(2026, 11, 23, 12, 0) {
        assert_eq!(by_instants(at), AgeBucket::of(stockholm_date(at), today), "{at}");
        at += Duration::minutes(30);
    }
}

#[test]
fn open_work_orders_list_every_kind_with_zeros_then_unknown_kinds() {
    let c = |kind: &str, bucket, count| WorkOrderAgeCount { kind: kind.into(), bucket, count };
    let rows = open_work_orders(&[
        c("repair", AgeBucket::UpTo7, 2),
        c("repair", AgeBucket::Over90, 1),
        c("recall", AgeBucket::UpTo30, 5),
        c("inspection", AgeBucket::UpTo7, 1),
    ]);
    assert_eq!(rows.len(), 7);
    assert_eq!((rows[0].kind.as_str(), rows[0].buckets, rows[0].total), ("repair", [2, 0, 0, 1], 3));
    assert_eq!(rows[1].total, 0);
    assert_eq!(rows[4].buckets, [0, 5, 0, 0]);
    assert_eq!(rows[6].kind, "inspection");
}

#[test]
fn a_notice_is_complete_when_no_recall_remains_and_its_share_is_handled_of_affected() {
    let n = NoticeProgress {
        id: 1,
        reference: "SN-1".into(),
        title: "t".into(),
        registered_at: utc(2026, 11, 1, 23, 30),
        affected: 8,
        handled: 5,
        remaining: 2,
    };
    assert_eq!((n.cancelled(), n.is_complete()), (1, false));
    assert_eq!(n.handled_share().unwrap().number_sv(), "62,50");
    assert_eq!(n.registered_on(), d(2026, 11, 2), "00:30 in Stockholm");
    let none = NoticeProgress { affected: 0, handled: 0, remaining: 0, ..n };
    assert_eq!((none.handled_share(), none.is_complete()), (None, true));
}

/// Issue 22: "The target is compared after rounding (19,999 of 20,000 shows
/// 100.00 % and "meets" a 100 % target) — compare exact fractions."
#[test]
fn a_target_is_met_by_the_exact_fraction_not_by_the_rounded_percentage() {
    let hundred = target(LeadTimeClass::Acute);
    assert_eq!(Percent::of(19_999, 20_000).map(Percent::number_sv).as_deref(), Some("100,00"), "shown rounded");
    assert_eq!(hundred.is_met_by(19_999, 20_000), Some(false));
    assert_eq!(hundred.is_met_by(20_000, 20_000), Some(true));
    let ninety_eight = target(LeadTimeClass::Stock7);
    assert_eq!(ninety_eight.is_met_by(97_999, 100_000), Some(false), "97,999 % shows as 98,00 %");
    assert_eq!(ninety_eight.is_met_by(49, 50), Some(true), "exactly 98 %");
    assert_eq!(ninety_eight.is_met_by(0, 0), None, "nothing delivered: no verdict");
}
