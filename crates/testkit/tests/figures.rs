//! The council's figures on both engines (issue 5): a small fixed data set
//! put in through the storage API — orders placed and delivered at chosen
//! instants, replacement answers, purchases, fault reports — and the
//! figures checked against values computed by hand, through the HTTP API
//! as JSON and as CSV.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use ramp_domain::article::{ArticleKind, Billing, LeadTimeClass};
use ramp_domain::device::{DeviceEventKind, DeviceState};
use ramp_domain::ids::IsoCode;
use ramp_domain::order::{OrderChannel, OrderStatus, OrderTarget, Substitution};
use ramp_domain::work_order::{WorkOrderKind, WorkOrderStatus};
use ramp_domain::Term;
use ramp_storage::fixture_ordering;
use ramp_storage::*;
use ramp_testkit::{problem, TestApp};
use serde_json::Value;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn utc(y: i32, m: u32, day: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, day, h, min, 0).unwrap()
}

const ANNA: Id = 1;
const LAGER: Id = 3;
const SVEN: Id = 3;
/// K-600, a consumable: lines without a device (incontinence: "Samarbetsavtal").
const CONSUMABLE: Id = 14;
/// K-700, a consumable of the area "medical" ("Överenskommelsen"): the
/// region's lines are of it, so that the table has both agreement areas.
const TREATMENT: Id = 33;
/// K-400, a drug-adjacent consumable in the 4-day assortment ("Överenskommelsen").
const DRUG_ADJACENT: Id = 34;
/// Lidingö stad's home care: a unit of another principal than unit 1's (the region).
const LIDINGO_UNIT: Id = 2;
/// F-300: a rollator whose three devices are lent in the reuse test.
const REUSE_ARTICLE: Id = 30;
/// The fixed replacement group FG-DUSCH: S-290 (12) and S-300 (11).
const SHOWER_OLD: Id = 12;
const SHOWER_NEW: Id = 11;

/// One order line to place at `ordered` (and deliver at `delivered`, or cancel, or leave open).
pub(crate) struct Line {
    pub payer: &'static str,
    pub class: LeadTimeClass,
    pub promised: NaiveDate,
    pub ordered: DateTime<Utc>,
    pub end: End,
    pub article: Id,
    pub requested: Id,
    pub device: bool,
    /// How the order came (the share of digital orders).
    pub channel: OrderChannel,
    /// When the prescription is evaluated (cost-effective prescribing).
    pub evaluation: Option<NaiveDate>,
    /// The ordering unit.
    pub unit: Id,
}

pub(crate) enum End {
    Delivered(DateTime<Utc>),
    Cancelled,
    Open,
}

/// A line of the consumable K-600, ordered three days before its delivery.
pub(crate) fn line(payer: &'static str, class: LeadTimeClass, promised: NaiveDate, delivered: DateTime<Utc>) -> Line {
    Line {
        payer,
        class,
        promised,
        ordered: delivered - Duration::days(3),
        end: End::Delivered(delivered),
        article: CONSUMABLE,
        requested: CONSUMABLE,
        device: false,
        channel: OrderChannel::Portal,
        evaluation: None,
        unit: 1,
    }
}

pub(crate) async fn place(app: &TestApp, l: Line) -> Id {
    let s = app.storage.as_ref();
    let item = s
        .add_to_cart(&NewCartItem {
            user_id: ANNA,
            target: OrderTarget::Patient,
            patient_id: Some(SVEN),
            unit_id: None,
            article_id: l.article,
            requested_article_id: l.requested,
            substitution: Substitution::None,
            individual: l.device,
            quantity: 1,
            need: None,
            facts: "{}".into(),
            at: l.ordered,
            until: l.ordered + Duration::minutes(30),
            answer: None,
            audit: None,
        })
        .await
        .unwrap()
        .expect("in stock");
    let order = s
        .place_order(&NewOrder {
            target: OrderTarget::Patient,
            patient_id: Some(SVEN),
            unit_id: l.unit,
            created_by: ANNA,
            goal: None,
            evaluation_date: l.evaluation,
            end_date: None,
            idempotency_key: None,
            request_hash: None,
            place_of_use: None,
            delivery: Default::default(),
            channel: l.channel,
            at: l.ordered,
            lines: vec![NewOrderLine {
                cart_item_id: item.id,
                article_id: l.article,
                requested_article_id: l.requested,
                substitution: Substitution::None,
                device_id: item.device_id,
                quantity: 1,
                need: None,
                payer: ramp_domain::cost::Payer::parse(l.payer).expect("a payer"),
                customer_number_id: 1,
                rule_id: "test".into(),
                agreement_version: "2021-01-01".into(),
                explanation_sv: "test".into(),
                explanation_en: "test".into(),
                trust_prescription: false,
                lead_time_class: l.class,
                promised_date: l.promised,
            }],
            audit: None,
        })
        .await
        .unwrap();
    // An order is delivered only after it is picked (migration 0033).
    let steps = match l.end {
        End::Delivered(at) => {
            vec![(OrderStatus::Registered, OrderStatus::Picked, at), (OrderStatus::Picked, OrderStatus::Delivered, at)]
        }
        End::Cancelled => vec![(OrderStatus::Registered, OrderStatus::Cancelled, l.ordered + Duration::hours(1))],
        End::Open => return order,
    };
    for (expected, to, at) in steps {
        ramp_app::orders::apply_status_change(
            s,
            &OrderStatusChange {
                order_id: order,
                expected,
                to,
                at,
                on: ramp_domain::time::stockholm_date(at),
                actor_user_id: LAGER,
                received_by: None,
                buffer_warehouse_id: None,
            },
        )
        .await
        .unwrap();
    }
    order
}

fn device(id: Id, article: Id, bought: NaiveDate) -> Device {
    Device {
        id,
        device_number: format!("F-{id}"),
        article_id: article,
        serial: None,
        purchase_date: bought,
        purchase_price_ore: 300_000,
        state: DeviceState::InStock,
        warehouse_id: Some(1),
        patient_id: None,
        unit_id: None,
        state_since: utc(2026, 1, 1, 9, 0),
    }
}

fn event(id: Id, device: Id, at: DateTime<Utc>, kind: DeviceEventKind) -> DeviceEvent {
    DeviceEvent {
        id,
        device_id: device,
        occurred_at: at,
        kind,
        from_state: (kind != DeviceEventKind::Received).then_some(DeviceState::InStock),
        to_state: DeviceState::InStock,
        actor_user_id: Some(LAGER),
        patient_id: None,
        warehouse_id: Some(1),
        note: None,
    }
}

/// The rows the figures are computed from, loaded on top of both fixtures.
/// Public so the browser test shows the page with data.
pub async fn load_figures_data(app: &TestApp) {
    use LeadTimeClass::*;
    let s = app.storage.as_ref();
    fixture_ordering::load(s).await.expect("ordering fixture");
    s.insert_product_areas(&[ProductArea {
        code: "medical".into(),
        name_sv: "Medicinsk behandling".into(),
        name_en: "Medical treatment".into(),
        required_competence: None,
        drug_adjacent: true,
        agreement_area: ramp_domain::figures::Agreement::Overenskommelsen,
    }])
    .await
    .unwrap();
    let consumable = |id, number: &str, name: &str, class| Article {
        id,
        article_number: number.into(),
        iso_code: IsoCode::parse("043303").unwrap(),
        gtin: None,
        name: name.into(),
        supplier_id: 1,
        supplier_name: "Etac Sverige AB".into(),
        purchase_price_ore: 5_000,
        monthly_rent_ore: 0,
        kind: ArticleKind::Consumable,
        billing: Billing::Sale,
        lead_time_class: class,
        service_life_months: 0,
        reconditionable: false,
        product_area: "medical".into(),
        valid_from: d(2020, 1, 1),
        valid_to: None,
    };
    s.insert_articles(&[
        consumable(TREATMENT, "K-700", "Sårvårdsförband", Stock7),
        consumable(DRUG_ADJACENT, "K-400", "Förband för VAC-behandling", Stock4),
    ])
    .await
    .unwrap();
    s.insert_articles(&[Article {
        id: REUSE_ARTICLE,
        article_number: "F-300".into(),
        iso_code: IsoCode::parse("120606").unwrap(),
        gtin: None,
        name: "Rollator Återbruk".into(),
        supplier_id: 1,
        supplier_name: "Etac Sverige AB".into(),
        purchase_price_ore: 300_000,
        monthly_rent_ore: 5_000,
        kind: ArticleKind::MainDevice,
        billing: Billing::Rental,
        lead_time_class: Stock7,
        service_life_months: 96,
        reconditionable: true,
        product_area: "mobility".into(),
        valid_from: d(2020, 1, 1),
        valid_to: None,
    }])
    .await
    .unwrap();
    s.insert_devices(&[
        // The reuse test's rollators, handed out oldest first: 60, 61, 62.
        device(60, REUSE_ARTICLE, d(2020, 1, 1)),
        device(61, REUSE_ARTICLE, d(2021, 1, 1)),
        device(62, REUSE_ARTICLE, d(2022, 1, 1)),
        // Purchases in the fixed group FG-DUSCH.
        device(70, SHOWER_OLD, d(2026, 6, 30)),
        device(71, SHOWER_OLD, d(2026, 7, 15)),
        device(72, SHOWER_NEW, d(2026, 9, 30)),
        device(73, SHOWER_NEW, d(2026, 10, 1)),
        device(74, SHOWER_NEW, d(2026, 12, 31)),
        device(75, SHOWER_OLD, d(2027, 1, 1)),
    ])
    .await
    .unwrap();
    s.insert_device_events(&[
        event(100, 60, utc(2020, 1, 2, 8, 0), DeviceEventKind::Received),
        event(101, 60, utc(2026, 8, 1, 13, 0), DeviceEventKind::Reconditioned),
        event(102, 61, utc(2021, 1, 2, 8, 0), DeviceEventKind::Received),
        event(103, 62, utc(2022, 1, 2, 8, 0), DeviceEventKind::Received),
        // Reconditioned only after its delivery on 5 October: not a reuse.
        event(104, 62, utc(2026, 10, 5, 12, 0), DeviceEventKind::Reconditioned),
    ])
    .await
    .unwrap();
    s.finish_bulk_load().await.unwrap();

    // The region's lines are of K-700 ("Överenskommelsen"), the others' of K-600 ("Samarbetsavtal").
    let line = |payer, class, promised, delivered| {
        let l = line(payer, class, promised, delivered);
        if payer == "region" {
            Line { article: TREATMENT, requested: TREATMENT, ..l }
        } else {
            l
        }
    };
    // Delivery reliability (payer, class, promised date, delivered at, UTC).
    // September is summer time (UTC+2), from 25 October winter time (UTC+1).
    let lines = [
        // 1. Samarbetsavtal 7 d, delivered 10:00 on the promised day: on time.
        line("municipality", Stock7, d(2026, 9, 10), utc(2026, 9, 10, 8, 0)),
        // 2. 22:30 UTC is 00:30 on 11 September in Stockholm: a day late.
        line("municipality", Stock7, d(2026, 9, 10), utc(2026, 9, 10, 22, 30)),
        // 3. A day early: on time.
        line("municipality", Stock7, d(2026, 9, 15), utc(2026, 9, 14, 12, 0)),
        // 4. Överenskommelsen 7 d, a day late.
        line("region", Stock7, d(2026, 9, 20), utc(2026, 9, 21, 9, 0)),
        // 5. 23:59 on 30 September in Stockholm: September's, on time.
        line("region", Stock7, d(2026, 9, 30), utc(2026, 9, 30, 21, 59)),
        // 6. Överenskommelsen 17 d: 00:30 on 1 October in Stockholm, October's, on time.
        line("region", Order17, d(2026, 10, 1), utc(2026, 9, 30, 22, 30)),
        // 7. Samarbetsavtal acute, winter time: 22:30 UTC is 23:30 the same day, on time.
        line("municipality", Acute, d(2026, 10, 26), utc(2026, 10, 26, 22, 30)),
        // 8. The same hour a week earlier, summer time: 00:30 the next day, late.
        line("municipality", Acute, d(2026, 10, 20), utc(2026, 10, 20, 22, 30)),
        // 9. Överenskommelsen acute, on time.
        line("region", Acute, d(2026, 10, 5), utc(2026, 10, 5, 10, 0)),
        // 10–12. Samarbetsavtal 17 d: two days late, on the day, a day early.
        line("municipality", Order17, d(2026, 10, 10), utc(2026, 10, 12, 9, 0)),
        line("municipality", Order17, d(2026, 10, 14), utc(2026, 10, 14, 9, 0)),
        line("municipality", Order17, d(2026, 10, 14), utc(2026, 10, 13, 9, 0)),
        // 13. Överenskommelsen 7 d: 00:10 on 3 November in Stockholm, late.
        line("region", Stock7, d(2026, 11, 2), utc(2026, 11, 2, 23, 10)),
        // 14–15. On time.
        line("region", Stock7, d(2026, 11, 3), utc(2026, 11, 2, 23, 10)),
        line("region", Stock7, d(2026, 11, 10), utc(2026, 11, 5, 9, 0)),
        // 16. The patient pays: counted under its article's area (K-600, Samarbetsavtal), late.
        line("patient", Stock7, d(2026, 9, 1), utc(2026, 9, 20, 9, 0)),
        // 17. Lidingö's home care orders K-700 and the municipality pays: "Överenskommelsen"
        // all the same (the product area decides, not the payer), on time.
        Line {
            unit: LIDINGO_UNIT,
            article: TREATMENT,
            requested: TREATMENT,
            ..line("municipality", Stock7, d(2026, 11, 20), utc(2026, 11, 19, 9, 0))
        },
        // 18–19. The drug-adjacent 4-day assortment: on time, then a day late.
        Line {
            article: DRUG_ADJACENT,
            requested: DRUG_ADJACENT,
            ..line("region", Stock4, d(2026, 10, 8), utc(2026, 10, 8, 9, 0))
        },
        Line {
            article: DRUG_ADJACENT,
            requested: DRUG_ADJACENT,
            ..line("region", Stock4, d(2026, 10, 8), utc(2026, 10, 9, 9, 0))
        },
        // Not counted: 23:30 on 31 August in Stockholm, August's (it would make September 1/3) …
        line("region", Stock7, d(2026, 8, 31), utc(2026, 8, 31, 21, 30)),
        // … 00:30 on 1 December in Stockholm, December's (it would make November 2/4).
        line("region", Stock7, d(2026, 11, 30), utc(2026, 11, 30, 23, 30)),
    ];
    for l in lines {
        place(app, l).await;
    }
    // … a cancelled line and one not yet delivered (past its promised date).
    let cancelled = Line { end: End::Cancelled, ..line("region", Stock7, d(2026, 10, 9), utc(2026, 10, 9, 9, 0)) };
    place(app, cancelled).await;
    let open = Line { end: End::Open, ..line("region", Stock7, d(2026, 10, 9), utc(2026, 10, 9, 9, 0)) };
    place(app, open).await;

    // Reuse: three rollator deliveries the patient pays (mobility:
    // "Samarbetsavtal", 7 days, on time). Device 60 was reconditioned on 1 August.
    for at in [utc(2026, 9, 10, 9, 0), utc(2026, 10, 5, 8, 0), utc(2026, 10, 5, 8, 30)] {
        let l = Line {
            article: REUSE_ARTICLE,
            requested: REUSE_ARTICLE,
            device: true,
            ..line("patient", Stock7, d(2026, 12, 1), at)
        };
        place(app, l).await;
    }

    // Prescribed in FG-DUSCH (left open): asked for S-300, orders placed on
    // 10 August (Q3), 5 October and 00:30 on 1 October in Stockholm (Q4).
    for ordered in [utc(2026, 8, 10, 9, 0), utc(2026, 10, 5, 9, 0), utc(2026, 9, 30, 22, 30)] {
        let l = Line {
            ordered,
            end: End::Open,
            article: SHOWER_OLD,
            requested: SHOWER_NEW,
            ..line("region", Stock7, d(2026, 12, 1), ordered)
        };
        place(app, l).await;
    }

    // Replacement answers in the ordinary group RG-RULL (W-200 asked for, W-190 proposed).
    let answers = [
        (utc(2026, 10, 2, 9, 0), Substitution::Accepted),
        (utc(2026, 10, 15, 9, 0), Substitution::Accepted),
        // 23:30 on 31 October UTC is 00:30 on 1 November in Stockholm (winter time).
        (utc(2026, 10, 31, 23, 30), Substitution::Accepted),
        (utc(2026, 10, 20, 9, 0), Substitution::Declined),
        (utc(2026, 10, 21, 9, 0), Substitution::Automatic),
        (utc(2026, 10, 21, 9, 5), Substitution::Automatic),
    ];
    for (at, answer) in answers {
        s.add_to_cart(&NewCartItem {
            user_id: ANNA,
            target: OrderTarget::Patient,
            patient_id: Some(SVEN),
            unit_id: None,
            article_id: CONSUMABLE,
            requested_article_id: CONSUMABLE,
            substitution: Substitution::None,
            individual: false,
            quantity: 1,
            need: None,
            facts: "{}".into(),
            at,
            until: at + Duration::minutes(30),
            answer: Some(NewReplacementAnswer {
                group_id: 2,
                requested_article_id: 2,
                proposed_article_id: 10,
                answer,
                decline: None,
            }),
            audit: None,
        })
        .await
        .unwrap();
    }

    // Work orders, seen on 23 November 2026 (the test clock).
    let fault = |device, at| NewFaultReport {
        device_id: device,
        reported_by: ANNA,
        at,
        description: "Bromsen tar inte".into(),
    };
    s.report_fault(&fault(40, utc(2026, 11, 20, 10, 0))).await.unwrap(); // 3 days
    s.report_fault(&fault(40, utc(2026, 11, 15, 23, 30))).await.unwrap(); // 16 Nov in Stockholm: 7 days
    s.report_fault(&fault(41, utc(2026, 10, 30, 10, 0))).await.unwrap(); // 24 days
    s.report_fault(&fault(1, utc(2026, 6, 1, 10, 0))).await.unwrap(); // 175 days
    let wo = |id, status, at| HistoryWorkOrder {
        id,
        kind: WorkOrderKind::Reconditioning,
        device_id: Some(61),
        patient_id: None,
        status,
        description: "Rekonditionering".into(),
        created_by: LAGER,
        created_at: at,
        safety_notice_id: None,
    };
    s.insert_order_history(&OrderHistory {
        work_orders: vec![
            wo(900, WorkOrderStatus::InProgress, utc(2026, 9, 1, 9, 0)), // 83 days
            wo(901, WorkOrderStatus::Done, utc(2026, 11, 1, 9, 0)),
            wo(902, WorkOrderStatus::Cancelled, utc(2026, 11, 1, 9, 0)),
        ],
        ..OrderHistory::default()
    })
    .await
    .unwrap();
    s.finish_bulk_load().await.unwrap();

    // Safety notices: a recall work order for every affected device.
    // SN-2026-07 concerns S-290 (D-0013 and devices 70, 71, 75); one recall done.
    // SN-2026-03 concerns L-500 (D-0016 only); done.
    for (reference, title, article, at, done) in [
        ("SN-2026-03", "Mobillyft: kontrollera nödsänkningen", 16, utc(2026, 9, 15, 9, 0), 1),
        ("SN-2026-07", "Duschstol: risk för spricka i sitsen", SHOWER_OLD, utc(2026, 11, 2, 10, 0), 1),
    ] {
        let notice = s
            .register_safety_notice(&NewSafetyNotice {
                reference: reference.into(),
                title: title.into(),
                article_ids: vec![article],
                registered_by: LAGER,
                at,
            })
            .await
            .unwrap();
        let (_, devices) = s.safety_notice(notice).await.unwrap().unwrap();
        for d in devices.iter().take(done) {
            s.start_work_order(d.work_order_id, LAGER, at + Duration::days(1)).await.unwrap();
            for c in s.checklist(d.work_order_id).await.unwrap() {
                s.check_item(d.work_order_id, c.item_id, LAGER, at + Duration::days(1)).await.unwrap();
            }
            let finish =
                FinishWorkOrder { id: d.work_order_id, actor: LAGER, at: at + Duration::days(2), outcome: None };
            s.finish_work_order(&finish).await.unwrap();
        }
    }
}

async fn get_json(app: &TestApp, token: &str, path: &str) -> Value {
    let resp = app.get(token, path).await;
    assert_eq!(resp.status(), 200, "{path}");
    resp.json().await.unwrap()
}

fn shown(row: &Value) -> Vec<Option<f64>> {
    row["cells"].as_array().unwrap().iter().map(|c| c["percent"].as_f64()).collect()
}

async fn delivery_reliability_reproduces_the_hand_computed_table(app: TestApp) {
    load_figures_data(&app).await;
    let lager = app.token_for("lager").await;
    let t = get_json(&app, &lager, "/api/v1/figures/delivery-reliability?from=2026-09&to=2026-11").await;
    assert_eq!(t["months"], serde_json::json!(["2026-09", "2026-10", "2026-11"]));
    let rows = t["rows"].as_array().unwrap();
    let labels: Vec<&str> = rows.iter().map(|r| r["label"].as_str().unwrap()).collect();
    assert_eq!(
        labels,
        [
            "Samarbetsavtal - Leveranssäkerhet 7 dagars sortiment",
            "Överenskommelsen - Leveranssäkerhet 7 dagars sortiment",
            "Samarbetsavtal - Leveranssäkerhet 17 dagars sortiment",
            "Överenskommelsen - Leveranssäkerhet 17 dagars sortiment",
            "Samarbetsavtal - Leveranssäkerhet för akuta order",
            "Överenskommelsen - Leveranssäkerhet för akuta order",
            "Överenskommelsen - Leveranssäkerhet 4 ledtidsdagar (läkemedelsnära)",
        ]
    );
    // By hand, on time / delivered per month (Sep, Oct, Nov):
    //   Samarbetsavtal 7 d:     lines 1, 3 and a rollator of 1–3, 16 and the rollator → 3/5 = 60,00 %;
    //                           the two rollators → 2/2 = 100,00 %;  –
    //   Överenskommelsen 7 d:   line 5 of 4–5 → 1/2 = 50,00 %;  – (the cancelled and
    //                           the open line do not count);  lines 14, 15, 17 of 13–15, 17 → 3/4 = 75,00 %
    //   Samarbetsavtal 17 d:    –;  lines 11, 12 of 10–12 → 2/3 = 66,67 %;  –
    //   Överenskommelsen 17 d:  –;  line 6 (delivered 1 Oct Stockholm time) → 1/1 = 100,00 %;  –
    //   Samarbetsavtal akut:    –;  line 7 of 7–8 → 1/2 = 50,00 %;  –
    //   Överenskommelsen akut:  –;  line 9 → 1/1 = 100,00 %;  –
    //   Överenskommelsen 4 d:   –;  line 18 of 18–19 → 1/2 = 50,00 %;  –
    let expected: [[Option<f64>; 3]; 7] = [
        [Some(60.0), Some(100.0), None],
        [Some(50.0), None, Some(75.0)],
        [None, Some(66.67), None],
        [None, Some(100.0), None],
        [None, Some(50.0), None],
        [None, Some(100.0), None],
        [None, Some(50.0), None],
    ];
    for (row, want) in rows.iter().zip(expected) {
        assert_eq!(shown(row), want, "{}", row["label"]);
    }
    assert_eq!(
        (rows[1]["cells"][2]["on_time"].as_i64(), rows[1]["cells"][2]["delivered"].as_i64()),
        (Some(3), Some(4))
    );
    assert_eq!(
        (rows[6]["agreement"].as_str(), rows[6]["lead_time_class"].as_str()),
        (Some("overenskommelsen"), Some("stock_4"))
    );
    // Seed 003: "Leveranssäkerhet på 4 ledtidsdagar, överstiger målet på 98 %".
    assert_eq!(rows[6]["target_percent"].as_f64(), Some(98.0));
    assert_eq!(rows[6]["cells"][1]["meets_target"], false);
    assert_eq!((rows[0]["target_percent"].as_f64(), rows[4]["target_percent"].as_f64()), (Some(98.0), Some(100.0)));
    assert_eq!(rows[3]["cells"][1]["meets_target"], true);
    assert_eq!(rows[4]["cells"][1]["meets_target"], false);
    assert_eq!(rows[4]["cells"][0]["meets_target"], Value::Null, "nothing delivered: no verdict");
}

async fn delivery_reliability_as_csv_opens_in_swedish_excel(app: TestApp) {
    load_figures_data(&app).await;
    let lager = app.token_for("lager").await;
    for path in [
        "/api/v1/figures/delivery-reliability.csv?from=2026-09&to=2026-11",
        "/api/v1/figures/delivery-reliability?from=2026-09&to=2026-11&format=csv",
    ] {
        let resp = app.get(&lager, path).await;
        assert_eq!(resp.status(), 200);
        assert_eq!(resp.headers()["content-type"], "text/csv; charset=utf-8");
        assert!(resp.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("leveranssakerhet-2026-09-2026-11.csv"));
        let text = resp.text().await.unwrap();
        let lines: Vec<&str> = text.split("\r\n").collect();
        assert_eq!(lines[0], "\u{feff}Leveranstyp;Mål;2026-09;2026-10;2026-11", "BOM, semicolons, Swedish names");
        assert_eq!(lines[1], "Samarbetsavtal - Leveranssäkerhet 7 dagars sortiment;98,00;60,00;100,00;");
        assert_eq!(lines[2], "Överenskommelsen - Leveranssäkerhet 7 dagars sortiment;98,00;50,00;;75,00");
        assert_eq!(lines[6], "Överenskommelsen - Leveranssäkerhet för akuta order;100,00;;100,00;");
        assert_eq!(lines[7], "Överenskommelsen - Leveranssäkerhet 4 ledtidsdagar (läkemedelsnära);98,00;;50,00;");
        assert_eq!(lines.len(), 9, "seven rows, a header and the final line end");
    }
}

async fn reuse_counts_devices_reconditioned_before_their_delivery(app: TestApp) {
    load_figures_data(&app).await;
    let lager = app.token_for("lager").await;
    let r = get_json(&app, &lager, "/api/v1/figures/reuse-rate?from=2026-09&to=2026-11").await;
    // September: device 60, reconditioned on 1 August → 1/1. October: 61
    // (never reconditioned) and 62 (reconditioned after the delivery) → 0/2.
    let months: Vec<(i64, i64, Option<f64>)> = r["months"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["part"].as_i64().unwrap(), m["whole"].as_i64().unwrap(), m["percent"].as_f64()))
        .collect();
    assert_eq!(months, [(1, 1, Some(100.0)), (0, 2, Some(0.0)), (0, 0, None)]);
    assert_eq!(r["total"]["percent"].as_f64(), Some(33.33));
    let csv = app.get(&lager, "/api/v1/figures/reuse-rate.csv?from=2026-09&to=2026-11").await.text().await.unwrap();
    assert!(csv.contains("2026-10;2;0;0,00\r\n") && csv.contains("Totalt;3;1;33,33\r\n"), "{csv}");
}

async fn replacement_acceptance_is_accepted_of_answered_per_stockholm_month(app: TestApp) {
    load_figures_data(&app).await;
    let lager = app.token_for("lager").await;
    let a = get_json(&app, &lager, "/api/v1/figures/replacement-acceptance?from=2026-10&to=2026-11").await;
    // October: 2 accepted, 1 declined → 66,67 %; 2 automatic beside. November: the answer at 00:30 on 1 November.
    assert_eq!(a["months"][0]["accepted"], 2);
    assert_eq!(a["months"][0]["declined"], 1);
    assert_eq!(a["months"][0]["automatic"], 2);
    assert_eq!(a["months"][0]["percent"].as_f64(), Some(66.67));
    assert_eq!(a["months"][1]["percent"].as_f64(), Some(100.0));
    assert_eq!(a["total"]["percent"].as_f64(), Some(75.0));
    // Read from the counts kept as the answers were given (migration 0042), which match the answers.
    let violations = app.storage.invariant_violations().await.unwrap();
    assert!(!violations.iter().any(|(what, _)| what.contains("kept count")), "{violations:?}");
}

async fn purchased_and_prescribed_fall_in_whole_quarters_per_fixed_group(app: TestApp) {
    load_figures_data(&app).await;
    let lager = app.token_for("lager").await;
    let p = get_json(&app, &lager, "/api/v1/figures/purchased-vs-prescribed?from=2026-09&to=2026-11").await;
    assert_eq!((p["from"].as_str(), p["to"].as_str()), (Some("2026-07"), Some("2026-12")), "widened to whole quarters");
    assert_eq!(p["quarters"], serde_json::json!(["2026-Q3", "2026-Q4"]));
    let groups = p["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 1, "only FG-DUSCH had purchases or prescriptions: {groups:?}");
    assert_eq!(groups[0]["code"], "FG-DUSCH");
    // Purchased: 15 Jul, 30 Sep (Q3); 1 Oct, 31 Dec (Q4); 30 Jun and 1 Jan 2027 outside.
    // Prescribed: ordered 10 Aug (Q3); 5 Oct and 00:30 on 1 Oct in Stockholm (Q4).
    let cells: Vec<(i64, i64)> = groups[0]["quarters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["purchased"].as_i64().unwrap(), c["prescribed"].as_i64().unwrap()))
        .collect();
    assert_eq!(cells, [(2, 1), (2, 2)]);
    let csv = app
        .get(&lager, "/api/v1/figures/purchased-vs-prescribed.csv?from=2026-09&to=2026-11")
        .await
        .text()
        .await
        .unwrap();
    assert!(csv.starts_with("\u{feff}Ersättningsgrupp;Benämning;Kvartal;Inköpta;Förskrivna\r\n"), "{csv}");
    assert!(csv.contains("FG-DUSCH;Duschstolar;Q4 2026;2;2\r\n"), "{csv}");
    // Purchases read from the counts kept as devices were registered (migration 0043), which match the devices.
    let violations = app.storage.invariant_violations().await.unwrap();
    assert!(!violations.iter().any(|(what, _)| what.contains("kept count")), "{violations:?}");
}

async fn open_work_orders_are_counted_by_kind_and_age_in_stockholm_days(app: TestApp) {
    load_figures_data(&app).await;
    let lager = app.token_for("lager").await;
    let w = get_json(&app, &lager, "/api/v1/figures/open-work-orders").await;
    assert_eq!(w["today"], "2026-11-23");
    let row = |kind: &str| w["rows"].as_array().unwrap().iter().find(|r| r["kind"] == kind).unwrap().clone();
    // Repairs: 3 and 7 days (23:30 UTC on 15 November is the 16th in Stockholm), 24 days, 175 days.
    let repair = row("repair");
    assert_eq!(
        [&repair["days_0_7"], &repair["days_8_30"], &repair["days_31_90"], &repair["days_over_90"]],
        [2, 1, 0, 1]
    );
    let recon = row("reconditioning");
    assert_eq!(
        (recon["days_31_90"].as_i64(), recon["total"].as_i64()),
        (Some(1), Some(1)),
        "done and cancelled are not open"
    );
    // Three recalls of SN-2026-07 remain, registered 21 days ago.
    let recall = row("recall");
    assert_eq!((recall["days_8_30"].as_i64(), recall["total"].as_i64()), (Some(3), Some(3)));
    assert_eq!(w["total"]["total"], 8);
    let csv = app.get(&lager, "/api/v1/figures/open-work-orders.csv").await.text().await.unwrap();
    assert!(
        csv.starts_with(
            "\u{feff}Typ;0–7 dagar;8–30 dagar;31–90 dagar;över 90 dagar;Totalt\r\nReparation;2;1;0;1;4\r\n"
        ),
        "{csv}"
    );
}

/// One notice's progress as the API reports it: reference, affected, handled, remaining, percent, complete.
type NoticeProgress<'a> = (&'a str, i64, i64, i64, Option<f64>, bool);

async fn safety_notice_progress_counts_affected_handled_and_remaining_devices(app: TestApp) {
    load_figures_data(&app).await;
    let lager = app.token_for("lager").await;
    let n = get_json(&app, &lager, "/api/v1/figures/safety-notices").await;
    let n = n.as_array().unwrap();
    let summary: Vec<NoticeProgress> = n
        .iter()
        .map(|x| {
            (
                x["reference"].as_str().unwrap(),
                x["affected"].as_i64().unwrap(),
                x["handled"].as_i64().unwrap(),
                x["remaining"].as_i64().unwrap(),
                x["handled_percent"].as_f64(),
                x["complete"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [("SN-2026-07", 4, 1, 3, Some(25.0), false), ("SN-2026-03", 1, 1, 0, Some(100.0), true)],
        "newest first"
    );
    assert_eq!(n[0]["registered_on"], "2026-11-02");
    let csv = app.get(&lager, "/api/v1/figures/safety-notices.csv").await.text().await.unwrap();
    assert!(csv.contains("SN-2026-07;Duschstol: risk för spricka i sitsen;2026-11-02;4;1;3;0;25,00\r\n"), "{csv}");
}

async fn delivery_reliability_reuse_and_acceptance_narrow_to_one_principal(app: TestApp) {
    // Issue 22: "per-municipality breakdowns of every figure".
    load_figures_data(&app).await;
    let lager = app.token_for("lager").await;
    let path = "/api/v1/figures/delivery-reliability?from=2026-09&to=2026-11&principal=0186";
    let t = get_json(&app, &lager, path).await;
    assert_eq!(t["principal"], "0186");
    let rows = t["rows"].as_array().unwrap();
    let delivered: Vec<i64> = rows
        .iter()
        .flat_map(|r| r["cells"].as_array().unwrap().iter().map(|c| c["delivered"].as_i64().unwrap()))
        .collect();
    assert_eq!(delivered.iter().sum::<i64>(), 1, "Lidingö's units ordered one delivered line");
    assert_eq!(rows.len(), 6, "no 4-day row: Lidingö received nothing of it");
    assert_eq!(
        (rows[1]["cells"][2]["on_time"].as_i64(), rows[1]["cells"][2]["delivered"].as_i64()),
        (Some(1), Some(1))
    );
    let region =
        get_json(&app, &lager, "/api/v1/figures/delivery-reliability?from=2026-09&to=2026-11&principal=region").await;
    assert_eq!(
        (region["rows"][1]["cells"][2]["on_time"].as_i64(), region["rows"][1]["cells"][2]["delivered"].as_i64()),
        (Some(2), Some(3)),
        "the region's units: lines 13–15 without Lidingö's"
    );
    let reuse = get_json(&app, &lager, "/api/v1/figures/reuse-rate?from=2026-09&to=2026-11&principal=0186").await;
    assert_eq!((reuse["total"]["whole"].as_i64(), reuse["principal"].as_str()), (Some(0), Some("0186")));
    // Replacement answers go by the answering prescriber's principal: Anna's, the region's.
    let all = get_json(&app, &lager, "/api/v1/figures/replacement-acceptance?from=2026-10&to=2026-11").await;
    let region =
        get_json(&app, &lager, "/api/v1/figures/replacement-acceptance?from=2026-10&to=2026-11&principal=region").await;
    let lidingo =
        get_json(&app, &lager, "/api/v1/figures/replacement-acceptance?from=2026-10&to=2026-11&principal=0186").await;
    assert_eq!(region["total"], all["total"]);
    assert!(all["total"]["accepted"].as_i64().unwrap() > 0);
    assert_eq!((lidingo["total"]["accepted"].as_i64(), lidingo["total"]["declined"].as_i64()), (Some(0), Some(0)));
    assert_eq!(lidingo["principal"], "0186");
    let resp =
        app.get(&lager, "/api/v1/figures/delivery-reliability.xlsx?from=2026-09&to=2026-11&principal=0186").await;
    assert_eq!(resp.status(), 200);
    let disposition = resp.headers()["content-disposition"].to_str().unwrap().to_string();
    assert!(disposition.contains("leveranssakerhet-2026-09-2026-11-0186.xlsx"), "{disposition}");
    let unknown = app.get(&lager, "/api/v1/figures/reuse-rate?from=2026-09&to=2026-11&principal=9999").await;
    assert_eq!(unknown.status(), 422);
    assert_eq!(problem(unknown).await["field"], "principal");
}

async fn only_hmc_staff_see_figures_and_bad_months_are_named(app: TestApp) {
    let anna = app.token_for("anna").await;
    let resp = app.get(&anna, "/api/v1/figures/delivery-reliability").await;
    assert_eq!(resp.status(), 403, "a prescriber does not see the figures");
    assert_eq!(problem(resp).await["code"], "role_required");
    let resp = app.get(&anna, "/api/v1/figures/open-work-orders.csv").await;
    assert_eq!(resp.status(), 403);
    let admin = app.token_for("admin").await;
    let t = get_json(&app, &admin, "/api/v1/figures/delivery-reliability").await;
    assert_eq!(
        (t["from"].as_str(), t["to"].as_str()),
        (Some("2026-05"), Some("2026-10")),
        "the last six complete months"
    );

    for (query, field, code) in [
        ("from=2026-13", "from", "invalid_month"),
        ("from=nov&to=2026-11", "from", "invalid_month"),
        ("to=2026-1", "to", "invalid_month"),
        ("from=2026-11&to=2026-10", "to", "month_range_reversed"),
        ("from=2020-01&to=2026-10", "to", "month_range_too_long"),
        ("format=pdf", "format", "invalid_format"),
    ] {
        let resp = app.get(&admin, &format!("/api/v1/figures/delivery-reliability?{query}")).await;
        assert_eq!(resp.status(), 422, "{query}");
        let p = problem(resp).await;
        assert_eq!((p["field"].as_str(), p["code"].as_str()), (Some(field), Some(code)), "{query}");
    }
    let resp = app.get(&admin, "/api/v1/figures/reuse-rate.csv?from=2026-13").await;
    assert_eq!(problem(resp).await["field"], "from");
    let resp = app.client.get(app.url("/api/v1/figures/reuse-rate")).send().await.unwrap();
    assert_eq!(resp.status(), 401);
}

async fn the_figures_are_in_the_openapi_document(app: TestApp) {
    let doc: Value = app.client.get(app.url("/api/openapi.json")).send().await.unwrap().json().await.unwrap();
    for path in [
        "/api/v1/figures/delivery-reliability",
        "/api/v1/figures/delivery-reliability.csv",
        "/api/v1/figures/reuse-rate",
        "/api/v1/figures/replacement-acceptance",
        "/api/v1/figures/purchased-vs-prescribed",
        "/api/v1/figures/open-work-orders.csv",
        "/api/v1/figures/safety-notices",
    ] {
        assert!(doc["paths"][path]["get"].is_object(), "{path}");
    }
    let content = &doc["paths"]["/api/v1/figures/delivery-reliability"]["get"]["responses"]["200"]["content"];
    assert!(content["application/json"].is_object() && content["text/csv"].is_object(), "{content}");
}

ramp_testkit::on_both_engines!(
    delivery_reliability_reproduces_the_hand_computed_table,
    delivery_reliability_as_csv_opens_in_swedish_excel,
    reuse_counts_devices_reconditioned_before_their_delivery,
    replacement_acceptance_is_accepted_of_answered_per_stockholm_month,
    purchased_and_prescribed_fall_in_whole_quarters_per_fixed_group,
    open_work_orders_are_counted_by_kind_and_age_in_stockholm_days,
    safety_notice_progress_counts_affected_handled_and_remaining_devices,
    only_hmc_staff_see_figures_and_bad_months_are_named,
    the_figures_are_in_the_openapi_document,
    delivery_reliability_reuse_and_acceptance_narrow_to_one_principal,
);
