//! The follow-up reports issue 22 asks for, on both engines: each figure
//! computed from rows the test creates and checked against numbers
//! counted by hand, through the HTTP API as JSON, CSV and XLSX.

use super::figures::{line, place, End, Line};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use ramp_domain::article::LeadTimeClass;
use ramp_domain::cost::Payer;
use ramp_domain::device::DeviceState;
use ramp_domain::order::OrderChannel;
use ramp_storage::fixture_ordering;
use ramp_storage::*;
use ramp_testkit::{problem, TestApp};
use serde_json::{json, Value};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn utc(y: i32, m: u32, day: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, day, h, min, 0).unwrap()
}

async fn get_json(app: &TestApp, token: &str, path: &str) -> Value {
    let resp = app.get(token, path).await;
    assert_eq!(resp.status(), 200, "{path}");
    resp.json().await.unwrap()
}

/// An order placed at `ordered` through `channel`, left open (or cancelled).
fn order(ordered: DateTime<Utc>, channel: OrderChannel, end: End) -> Line {
    Line { ordered, end, channel, ..line("region", LeadTimeClass::Stock7, d(2026, 12, 1), ordered) }
}

/// Orders per channel of one month as the API reports them, in `OrderChannel::ALL` order.
fn per_channel(month: &Value) -> Vec<i64> {
    month["channels"].as_array().unwrap().iter().map(|c| c["orders"].as_i64().unwrap()).collect()
}

/// Seed 003: "När det gäller andelen digitala beställningar via 1177 ses en
/// ökning på totalen från 20 % till 25 %".
async fn the_share_of_digital_orders_is_1177_orders_of_all_orders_placed_per_stockholm_month(app: TestApp) {
    // Arrange
    fixture_ordering::load(app.storage.as_ref()).await.unwrap();
    use End::{Cancelled, Open};
    use OrderChannel::*;
    for (at, channel, end) in [
        (utc(2026, 9, 5, 10, 0), Portal, Open),
        (utc(2026, 9, 6, 10, 0), Api, Open),
        (utc(2026, 9, 7, 10, 0), Patient1177, Open),
        // 00:30 on 1 October in Stockholm (summer time): October's.
        (utc(2026, 9, 30, 22, 30), Patient1177, Open),
        (utc(2026, 10, 10, 10, 0), HmcStaff, Open),
        // Cancelled, but placed: counted.
        (utc(2026, 10, 12, 10, 0), Portal, Cancelled),
        (utc(2026, 10, 20, 10, 0), Patient1177, Open),
        // 00:30 on 1 November in Stockholm (winter time) and 23:30 on 31 August: outside.
        (utc(2026, 10, 31, 23, 30), Patient1177, Open),
        (utc(2026, 8, 31, 21, 30), Patient1177, Open),
    ] {
        place(&app, order(at, channel, end)).await;
    }
    let lager = app.token_for("lager").await;

    // Act
    let f = get_json(&app, &lager, "/api/v1/figures/digital-orders?from=2026-09&to=2026-10").await;

    // Assert: by hand, portal, API, 1177, centre staff:
    //   September 1, 1, 1, 0 → 1 of 3 = 33,33 %
    //   October   1, 0, 2, 1 → 2 of 4 = 50,00 %
    //   in total  2, 1, 3, 1 → 3 of 7 = 42,86 %
    let months = f["months"].as_array().unwrap();
    assert_eq!(months.iter().map(|m| m["month"].as_str().unwrap()).collect::<Vec<_>>(), ["2026-09", "2026-10"]);
    assert_eq!(per_channel(&months[0]), [1, 1, 1, 0]);
    assert_eq!(per_channel(&months[1]), [1, 0, 2, 1]);
    assert_eq!(per_channel(&f["total"]), [2, 1, 3, 1]);
    let shares: Vec<(i64, i64, Option<f64>)> = months
        .iter()
        .chain([&f["total"]])
        .map(|m| (m["digital"].as_i64().unwrap(), m["orders"].as_i64().unwrap(), m["digital_percent"].as_f64()))
        .collect();
    assert_eq!(shares, [(1, 3, Some(33.33)), (2, 4, Some(50.0)), (3, 7, Some(42.86))]);
    assert_eq!(months[0]["channels"][2]["channel"], "patient_1177");
    assert_eq!(months[0]["channels"][2]["name_sv"], "Patienten via 1177");
}

async fn the_share_of_digital_orders_downloads_as_csv_and_xlsx_and_a_month_without_orders_is_empty(app: TestApp) {
    // Arrange
    fixture_ordering::load(app.storage.as_ref()).await.unwrap();
    place(&app, order(utc(2026, 9, 7, 10, 0), OrderChannel::Patient1177, End::Open)).await;
    place(&app, order(utc(2026, 9, 8, 10, 0), OrderChannel::Portal, End::Open)).await;
    let lager = app.token_for("lager").await;

    // Act
    let csv = app.get(&lager, "/api/v1/figures/digital-orders.csv?from=2026-09&to=2026-10").await;
    let xlsx = app.get(&lager, "/api/v1/figures/digital-orders.xlsx?from=2026-09&to=2026-10").await;

    // Assert
    assert!(csv.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("digitala-bestallningar-2026-09-2026-10.csv"));
    let text = csv.text().await.unwrap();
    let lines: Vec<&str> = text.split("\r\n").collect();
    assert_eq!(
        lines[..4],
        [
            "\u{feff}Månad;Beställningar;Beställningsportalen;Annat system (API);Patienten via 1177;\
             Registrerad av Hjälpmedelscentralen;Andel digitala via 1177 (%)",
            "2026-09;2;1;0;1;0;50,00",
            "2026-10;0;0;0;0;0;",
            "Totalt;2;1;0;1;0;50,00",
        ]
    );
    assert_eq!(xlsx.status(), 200);
    assert_eq!(xlsx.headers()["content-type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    assert!(xlsx.bytes().await.unwrap().starts_with(b"PK"), "a zip (XLSX) file");
}

/// The channel is recorded where the order is placed: the API's own orders
/// as `api`, a 1177 relay's as `patient_1177` (patient orders only); the
/// portal's and the centre's are recorded by Ramp and cannot be claimed.
async fn an_order_placed_through_the_api_counts_as_api_unless_1177_relays_the_patients_own_order(app: TestApp) {
    // Arrange
    let f = fixture_ordering::load(app.storage.as_ref()).await.unwrap();
    let anna = app.token_for("anna").await;
    let body = |channel: Option<&str>| {
        let mut b = json!({ "personal_id": f.sven_pnr, "goal": "Torr natt", "evaluation_date": "2027-02-01",
            "lines": [{ "article_number": "K-600", "quantity": 1,
                "facts": { "pharmaceutical_benefit": false, "diabetes_self_test": false } }] });
        if let Some(c) = channel {
            b["channel"] = json!(c);
        }
        b
    };

    // Act
    let plain = app.post_json(&anna, "/api/v1/orders", &body(None)).await;
    let relayed = app.post_json(&anna, "/api/v1/orders", &body(Some("patient_1177"))).await;
    let claimed_portal = app.post_json(&anna, "/api/v1/orders", &body(Some("portal"))).await;
    let unit_1177 = app
        .post_json(
            &anna,
            "/api/v1/orders",
            &json!({ "target": "unit", "unit_id": 1, "channel": "patient_1177",
                "lines": [{ "article_number": "K-600", "quantity": 1 }] }),
        )
        .await;

    // Assert
    assert_eq!(plain.status(), 201, "{}", plain.text().await.unwrap());
    assert_eq!(relayed.status(), 201, "{}", relayed.text().await.unwrap());
    for (resp, code) in [(claimed_portal, "channel_not_allowed"), (unit_1177, "channel_not_allowed")] {
        assert_eq!(resp.status(), 422);
        let p = problem(resp).await;
        assert_eq!((p["field"].as_str(), p["code"].as_str()), (Some("channel"), Some(code)));
    }
    let lager = app.token_for("lager").await;
    let fig = get_json(&app, &lager, "/api/v1/figures/digital-orders?from=2026-11&to=2026-11").await;
    assert_eq!(per_channel(&fig["total"]), [0, 1, 1, 0], "portal, API, 1177, centre staff");
    assert_eq!(fig["total"]["digital_percent"].as_f64(), Some(50.0));
}

/// A device out with Sven, lent on `customer_number`, and its lost report on `lost_on`.
struct Lost {
    id: Id,
    article: Id,
    price_ore: i64,
    bought: NaiveDate,
    customer_number: Id,
    lost_on: NaiveDate,
}

/// The lost-device rows: three reports in September–October 2026 and one after.
async fn load_lost_reports(app: &TestApp) {
    let s = app.storage.as_ref();
    fixture_ordering::load(s).await.unwrap();
    let lost = [
        // R-200 (ISO 12 06 06) of 12 000 kr bought 1 Jan 2026, lent on Vårdcentralen Solna (100001):
        // 8 of 96 months used on 10 September → residual 11 000 kr.
        Lost {
            id: 80,
            article: 15,
            price_ore: 1_200_000,
            bought: d(2026, 1, 1),
            customer_number: 1,
            lost_on: d(2026, 9, 10),
        },
        // W-201, an accessory (12 24 06) of 1 500 kr: 50 % is 750 kr, below 1 000 kr: not charged.
        Lost {
            id: 81,
            article: 13,
            price_ore: 150_000,
            bought: d(2025, 1, 1),
            customer_number: 1,
            lost_on: d(2026, 10, 1),
        },
        // S-300 (09 33 03) of 10 000 kr from 2010, lent on Hemtjänst Lidingö (300001): written
        // down, so at least 20 % = 2 000 kr.
        Lost {
            id: 82,
            article: 11,
            price_ore: 1_000_000,
            bought: d(2010, 1, 1),
            customer_number: 2,
            lost_on: d(2026, 10, 31),
        },
        // November: outside September–October.
        Lost {
            id: 83,
            article: 15,
            price_ore: 500_000,
            bought: d(2025, 1, 1),
            customer_number: 3,
            lost_on: d(2026, 11, 2),
        },
    ];
    let devices: Vec<Device> = lost
        .iter()
        .map(|l| Device {
            id: l.id,
            device_number: format!("D-{}", l.id),
            article_id: l.article,
            serial: None,
            purchase_date: l.bought,
            purchase_price_ore: l.price_ore,
            state: DeviceState::WithPatient,
            warehouse_id: None,
            patient_id: Some(3),
            unit_id: None,
            state_since: utc(2026, 1, 2, 9, 0),
        })
        .collect();
    s.insert_devices(&devices).await.unwrap();
    let loans: Vec<Loan> = lost
        .iter()
        .map(|l| Loan {
            device_id: l.id,
            patient_id: Some(3),
            unit_id: None,
            customer_number_id: l.customer_number,
            payer: Payer::Region,
            rule_id: "test".into(),
            agreement_version: "2021-01-01".into(),
            start_date: d(2026, 1, 2),
            end_date: None,
        })
        .collect();
    s.insert_loans(&loans).await.unwrap();
    s.finish_bulk_load().await.unwrap();
    for l in &lost {
        let at = Utc.from_utc_datetime(&l.lost_on.and_hms_opt(9, 0, 0).unwrap());
        let report =
            NewLostReport { device_id: l.id, reported_by: 1, at, on: l.lost_on, circumstances: "Borttappad".into() };
        s.report_lost(&report).await.unwrap();
    }
}

/// (key, reports, charged, purchase value, chargeable value) of a row.
fn lost_row(r: &Value) -> (String, i64, i64, i64, i64) {
    let n = |k: &str| r[k].as_i64().unwrap();
    let key = r["key"].as_str().unwrap_or("").to_string();
    (key, n("reports"), n("charged"), n("purchase_value_ore"), n("chargeable_value_ore"))
}

/// Seed 004, the lost-device pilot: "För att tydligare kunna återrapportera
/// hur mycket svinn som rapporteras av olika vårdgivare och till vilket värde".
async fn lost_devices_are_counted_and_valued_per_ordering_unit_and_iso_class(app: TestApp) {
    // Arrange
    load_lost_reports(&app).await;
    let lager = app.token_for("lager").await;

    // Act
    let f = get_json(&app, &lager, "/api/v1/figures/lost-devices?from=2026-09&to=2026-10").await;

    // Assert: by hand (reports, charged, purchase value, chargeable value in öre)
    let rows = |k: &str| f[k].as_array().unwrap().iter().map(lost_row).collect::<Vec<_>>();
    assert_eq!(
        rows("units"),
        [("100001".into(), 2, 1, 1_350_000, 1_100_000), ("300001".into(), 1, 1, 1_000_000, 200_000)],
        "Vårdcentralen Solna first (most reports); the November report is outside"
    );
    assert_eq!(f["units"][0]["name"], "Vårdcentralen Solna");
    assert_eq!(f["units"][1]["principal"], "Lidingö stad");
    assert_eq!(rows("classes"), [("09".into(), 1, 1, 1_000_000, 200_000), ("12".into(), 2, 1, 1_350_000, 1_100_000)]);
    assert_eq!(lost_row(&f["total"]), (String::new(), 3, 2, 2_350_000, 1_300_000));
    let months: Vec<(String, i64)> = f["months"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["month"].as_str().unwrap().to_string(), m["reports"].as_i64().unwrap()))
        .collect();
    assert_eq!(months, [("2026-09".into(), 1), ("2026-10".into(), 2)]);
}

async fn lost_devices_download_as_csv_and_show_on_the_figures_page_with_names_not_codes(app: TestApp) {
    // Arrange
    load_lost_reports(&app).await;
    let lager = app.token_for("lager").await;

    // Act
    let csv = app.get(&lager, "/api/v1/figures/lost-devices.csv?from=2026-09&to=2026-10").await.text().await.unwrap();
    let xlsx = app.get(&lager, "/api/v1/figures/lost-devices.xlsx?from=2026-09&to=2026-10").await;
    let (client, _) = app.ui_session("lager").await;
    let html = client.get(app.url("/figures?from=2026-09&to=2026-10")).send().await.unwrap().text().await.unwrap();

    // Assert
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert_eq!(
        lines[..6],
        [
            "\u{feff}Indelning;Kod;Benämning;Huvudman;Anmälda;Debiterbara;Inköpsvärde (kr);Debiterbart värde (kr)",
            "Kundnummer;100001;Vårdcentralen Solna;Region Stockholm;2;1;13500,00;11000,00",
            "Kundnummer;300001;Hemtjänst Lidingö;Lidingö stad;1;1;10000,00;2000,00",
            "ISO-klass;09;Hjälpmedel för personlig vård;;1;1;10000,00;2000,00",
            "ISO-klass;12;Hjälpmedel för personlig förflyttning och transport;;2;1;13500,00;11000,00",
            "Totalt;;;;3;2;23500,00;13000,00",
        ]
    );
    assert_eq!(xlsx.status(), 200);
    let section = html.split("id=\"h-lost\"").nth(1).expect("the section");
    assert!(section.contains("Period: sep 2026–okt 2026"), "the period beside the figure");
    assert!(section.contains("till vilket värde"), "the source sentence");
    assert!(section.contains("id=\"chart-lost\""), "a chart");
    assert!(section.contains("12 Hjälpmedel för personlig förflyttning och transport"), "classes named");
    assert!(section.contains("13\u{a0}000,00\u{a0}kr"), "the chargeable value in kronor: {section}");
}

/// Seed 003, "kostnadseffektiv förskrivning": "utvärdera och följa upp
/// förskrivningen, utifrån målet med förskrivningen" and "återta hjälpmedel
/// som inte används". Seen on 23 November 2026 (the test clock).
async fn cost_effective_prescribing_counts_evaluations_due_and_devices_returned_within_30_days(app: TestApp) {
    // Arrange: orders with evaluation dates (R-200 is lent one by one, K-600 is a consumable).
    let f = fixture_ordering::load(app.storage.as_ref()).await.unwrap();
    let rollator = |ordered, end, evaluation| Line {
        article: 15,
        requested: 15,
        device: true,
        end,
        evaluation: Some(evaluation),
        ..order(ordered, OrderChannel::Portal, End::Open)
    };
    let delivered = |day| End::Delivered(utc(2026, 9, day, 10, 0));
    // Due in October, passed, the rollator still lent: counted as passed.
    place(&app, rollator(utc(2026, 8, 28, 9, 0), delivered(1), d(2026, 10, 15))).await;
    // Due in October, passed, a consumable: nothing lent.
    let consumable =
        Line { evaluation: Some(d(2026, 10, 20)), ..order(utc(2026, 8, 28, 9, 0), OrderChannel::Portal, delivered(2)) };
    place(&app, consumable).await;
    // Due on 30 November: not passed yet.
    place(&app, rollator(utc(2026, 8, 29, 9, 0), delivered(3), d(2026, 11, 30))).await;
    // Due on 1 November, passed, but never delivered: reserved, not lent.
    place(&app, rollator(utc(2026, 10, 20, 9, 0), End::Open, d(2026, 11, 1))).await;
    // Cancelled: not due.
    place(
        &app,
        Line {
            evaluation: Some(d(2026, 10, 10)),
            ..order(utc(2026, 9, 5, 9, 0), OrderChannel::Portal, End::Cancelled)
        },
    )
    .await;
    // Loans that ended (start, end): patient loans, a unit's, and a lost one.
    let loan = |device, start, end, unit: Option<Id>| Loan {
        device_id: device,
        patient_id: if unit.is_some() { None } else { Some(f.sven) },
        unit_id: unit,
        customer_number_id: 1,
        payer: Payer::Region,
        rule_id: "test".into(),
        agreement_version: "2021-01-01".into(),
        start_date: start,
        end_date: Some(end),
    };
    let s = app.storage.as_ref();
    s.insert_loans(&[
        loan(10, d(2026, 10, 1), d(2026, 10, 20), None),   // 19 days: soon
        loan(11, d(2025, 1, 1), d(2026, 10, 25), None),    // long
        loan(14, d(2026, 10, 2), d(2026, 10, 3), None),    // 1 day: soon
        loan(12, d(2026, 10, 15), d(2026, 11, 14), None),  // 30 days: soon
        loan(13, d(2026, 10, 15), d(2026, 11, 15), None),  // 31 days: not soon
        loan(16, d(2026, 10, 1), d(2026, 10, 5), Some(1)), // a unit's: not a patient loan
    ])
    .await
    .unwrap();
    // Sven's wheelchair, lent since March 2025, reported lost on 8 October: not a return.
    let at = utc(2026, 10, 8, 9, 0);
    let report =
        NewLostReport { device_id: 41, reported_by: 1, at, on: d(2026, 10, 8), circumstances: "Borttappad".into() };
    s.report_lost(&report).await.unwrap();
    let lager = app.token_for("lager").await;

    // Act
    let p = get_json(&app, &lager, "/api/v1/figures/cost-effective-prescribing?from=2026-10&to=2026-11").await;

    // Assert: by hand (due, passed still lent, returned, of which within 30 days, share)
    //   October:  2 due, 1 passed and still lent; returned 3, soon 2 → 66,67 %
    //   November: 2 due, 0;                        returned 2, soon 1 → 50,00 %
    let row = |m: &Value| {
        let n = |k: &str| m[k].as_i64().unwrap();
        (
            n("evaluations_due"),
            n("passed_still_lent"),
            n("returned"),
            n("returned_soon"),
            m["returned_soon_percent"].as_f64(),
        )
    };
    let months: Vec<_> = p["months"].as_array().unwrap().iter().map(row).collect();
    assert_eq!(months, [(2, 1, 3, 2, Some(66.67)), (2, 0, 2, 1, Some(50.0))]);
    assert_eq!(row(&p["total"]), (4, 1, 5, 3, Some(60.0)));
    assert_eq!((p["today"].as_str(), p["soon_days"].as_i64()), (Some("2026-11-23"), Some(30)));
    let csv = app
        .get(&lager, "/api/v1/figures/cost-effective-prescribing.csv?from=2026-10&to=2026-11")
        .await
        .text()
        .await
        .unwrap();
    assert!(csv.contains("\r\n2026-10;2;1;3;2;66,67\r\n") && csv.contains("\r\nTotalt;4;1;5;3;60,00\r\n"), "{csv}");
    let (client, _) = app.ui_session("lager").await;
    let html = client.get(app.url("/figures?from=2026-10&to=2026-11")).send().await.unwrap().text().await.unwrap();
    let section = html.split("id=\"h-prescribing\"").nth(1).expect("the section");
    assert!(section.contains("Period: okt 2026–nov 2026") && section.contains("id=\"chart-prescribing\""));
    assert!(section.contains("högst 30 dagar"), "the definition beside the figure");
    assert!(section.contains("<td class=\"num\">66,67 %</td>"), "{section}");
    // The counts the figure read were kept as the loans ended (migration 0041) and match the loans.
    let violations = app.storage.invariant_violations().await.unwrap();
    assert!(!violations.iter().any(|(what, _)| what.contains("kept count")), "{violations:?}");
}

/// Issue 22: "per-municipality breakdowns of every figure". The follow-up
/// reports narrow to one principal: lost devices by the customer number's,
/// orders by the ordering unit's.
async fn the_follow_up_reports_narrow_to_one_principal_and_an_unknown_principal_is_named(app: TestApp) {
    // Arrange: the lost reports (Vårdcentralen Solna is the region's, Hemtjänst Lidingö
    // Lidingö stad's) and a 1177 order at Vårdcentralen Solna.
    load_lost_reports(&app).await;
    place(&app, order(utc(2026, 9, 7, 10, 0), OrderChannel::Patient1177, End::Open)).await;
    let lager = app.token_for("lager").await;

    // Act
    let lidingo = get_json(&app, &lager, "/api/v1/figures/lost-devices?from=2026-09&to=2026-10&principal=0186").await;
    let region =
        get_json(&app, &lager, "/api/v1/figures/digital-orders?from=2026-09&to=2026-10&principal=region").await;
    let none = get_json(&app, &lager, "/api/v1/figures/digital-orders?from=2026-09&to=2026-10&principal=0186").await;
    let unknown = app.get(&lager, "/api/v1/figures/lost-devices?principal=9999").await;
    let (client, _) = app.ui_session("lager").await;
    let html = client
        .get(app.url("/figures?from=2026-09&to=2026-10&principal=0186"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();

    // Assert
    assert_eq!(lidingo["principal"], "0186");
    assert_eq!(
        lidingo["units"].as_array().unwrap().iter().map(lost_row).collect::<Vec<_>>(),
        [("300001".to_string(), 1, 1, 1_000_000, 200_000)]
    );
    assert_eq!(lost_row(&lidingo["total"]), (String::new(), 1, 1, 1_000_000, 200_000));
    assert_eq!((region["total"]["orders"].as_i64(), region["total"]["digital"].as_i64()), (Some(1), Some(1)));
    assert_eq!((none["total"]["orders"].as_i64(), none["total"]["digital_percent"].as_f64()), (Some(0), None));
    assert_eq!(unknown.status(), 422);
    let p = problem(unknown).await;
    assert_eq!((p["field"].as_str(), p["code"].as_str()), (Some("principal"), Some("unknown_principal")));
    assert!(html.contains("<option value=\"0186\" selected>Lidingö stad</option>"), "the choice is kept");
    let lost = html.split("id=\"h-lost\"").nth(1).expect("the lost-device section");
    assert!(lost.contains("Huvudman: Lidingö stad."), "the principal beside the period");
    assert!(lost.contains("/api/v1/figures/lost-devices.csv?from=2026-09&#38;to=2026-10&#38;principal=0186"), "{lost}");
}

async fn only_hmc_staff_see_the_follow_up_reports_and_they_are_documented(app: TestApp) {
    let anna = app.token_for("anna").await;
    for figure in ["digital-orders", "lost-devices", "cost-effective-prescribing"] {
        let resp = app.get(&anna, &format!("/api/v1/figures/{figure}")).await;
        assert_eq!(resp.status(), 403, "{figure}");
        assert_eq!(problem(resp).await["code"], "role_required");
    }
    let lager = app.token_for("lager").await;
    let resp = app.get(&lager, "/api/v1/figures/digital-orders?from=2026-13").await;
    assert_eq!(resp.status(), 422);
    assert_eq!(problem(resp).await["field"], "from");
    let doc: Value = app.client.get(app.url("/api/openapi.json")).send().await.unwrap().json().await.unwrap();
    for figure in ["digital-orders", "lost-devices", "cost-effective-prescribing"] {
        for suffix in ["", ".csv", ".xlsx"] {
            let path = format!("/api/v1/figures/{figure}{suffix}");
            assert!(doc["paths"][&path]["get"].is_object(), "{path}");
        }
    }
}

async fn the_figures_page_shows_the_share_of_digital_orders_with_its_period_definition_and_table(app: TestApp) {
    fixture_ordering::load(app.storage.as_ref()).await.unwrap();
    place(&app, order(utc(2026, 9, 7, 10, 0), OrderChannel::Patient1177, End::Open)).await;
    let (client, _) = app.ui_session("lager").await;
    let html = client.get(app.url("/figures?from=2026-09&to=2026-10")).send().await.unwrap().text().await.unwrap();
    let section = html.split("id=\"h-digital\"").nth(1).expect("the section");
    assert!(section.contains("Andel digitala beställningar"));
    assert!(section.contains("Period: sep 2026–okt 2026"), "the period beside the figure");
    assert!(section.contains("andelen digitala beställningar via 1177"), "the source sentence");
    assert!(section.contains("id=\"chart-digital\""), "a chart");
    assert!(section.contains("<th scope=\"col\" class=\"num\">Patienten via 1177</th>"), "named, not raw values");
    assert!(!section.contains("patient_1177<"), "no stored value on screen");
    assert!(section.contains("<td class=\"num\">100,00 %</td>"), "{section}");
}

ramp_testkit::on_both_engines!(
    the_share_of_digital_orders_is_1177_orders_of_all_orders_placed_per_stockholm_month,
    the_share_of_digital_orders_downloads_as_csv_and_xlsx_and_a_month_without_orders_is_empty,
    an_order_placed_through_the_api_counts_as_api_unless_1177_relays_the_patients_own_order,
    only_hmc_staff_see_the_follow_up_reports_and_they_are_documented,
    the_figures_page_shows_the_share_of_digital_orders_with_its_period_definition_and_table,
    cost_effective_prescribing_counts_evaluations_due_and_devices_returned_within_30_days,
);

/// The chargeable value of a lost device is the agreement's: the demo
/// region's version 2024-03-01 has the seed-004 pilot rules for primary care,
/// where these losses are reported (Region Stockholm's agreement has none).
mod in_demo_region {
    use super::*;

    ramp_testkit::on_both_engines!(
        with ramp_testkit::spawn_app_in_demo_region;
        lost_devices_are_counted_and_valued_per_ordering_unit_and_iso_class,
        lost_devices_download_as_csv_and_show_on_the_figures_page_with_names_not_codes,
        the_follow_up_reports_narrow_to_one_principal_and_an_unknown_principal_is_named,
    );
}
