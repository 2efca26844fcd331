//! The tertial report (issue 22's acceptance: "The tertial report for the
//! demo region produced as XLSX and as a page with charts, and its figures
//! reconciled in a test against the rows they are computed from"), on
//! both engines. Seed 003: "Hjälpmiddelscentralens rapport är uppdelad på
//! information kopplat till Samarbetsavtal för försörjning av personliga
//! hjälpmedel, Överenskommelse för hjälpmedel vid medicinsk behandling …
//! Rapporten innehåller kvalitetsuppföljning, ekonomiuppföljning och en
//! del som beskriver utvecklingsområden."
//!
//! The small demo is loaded, May–August 2026 invoiced and budgets set; the
//! XLSX of tertial 2 2026 is read with calamine and every figure compared
//! with what this test counts itself from `order_lines`, `invoice_lines`,
//! `replacement_answers` and `consultation_bookings`.

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use ramp_app::agreements::Agreements;
use ramp_app::demo::{self, Scale};
use ramp_app::{App, AppConfig, FixedClock};
use ramp_domain::time::stockholm_date;
use ramp_storage::{db, SqlStorage, Storage};
use ramp_storage_postgres::PostgresStorage;
use ramp_storage_sqlite::SqliteStorage;
use ramp_testkit::{fresh_url, problem, test_now, DemoApp, Engine, TestApp};
use std::collections::BTreeMap;
use std::io::Cursor;
use std::sync::Arc;

/// The demo served, with a raw handle on its database for the test's own counts.
struct Demo {
    server: DemoApp,
    raw: SqlStorage,
}

const T2_MONTHS: [&str; 4] = ["2026-05", "2026-06", "2026-07", "2026-08"];
/// Budgets set by finance for 2026 (öre): the region and one municipality.
const REGION_BUDGET: i64 = 1_200_000_000;
const MUNICIPALITY_BUDGET: i64 = 300_000_000;

async fn demo(engine: Engine) -> Demo {
    let url = fresh_url(engine).await;
    let raw = match engine {
        Engine::Sqlite => SqliteStorage::connect(&url).await.expect("open sqlite"),
        Engine::Postgres => PostgresStorage::connect(&url, 8).await.expect("connect postgres"),
    };
    raw.migrate().await.expect("migrate");
    let storage: Arc<dyn Storage> = Arc::new(raw.clone());
    let hash = ramp_app::auth::hash_password(demo::DEMO_PASSWORD).expect("hash");
    demo::load(storage.as_ref(), Scale::Small, 1, &hash, test_now().date_naive(), &|_| {}).await.expect("demo");
    let clock = Arc::new(FixedClock::new(test_now()));
    let app = App::new(storage.clone(), clock.clone(), AppConfig::default());
    let finance = storage.user_by_username("ekonomi").await.unwrap().expect("the demo's finance user");
    for month in T2_MONTHS {
        ramp_app::billing::run_invoices(&app, &finance, month).await.expect("invoice run");
    }
    ramp_app::economy::set_budget(&app, &finance, "region", 2026, REGION_BUDGET).await.expect("budget");
    let municipality = storage.principals().await.unwrap().into_iter().find(|p| p.kind == "municipality").unwrap();
    ramp_app::economy::set_budget(&app, &finance, &municipality.code, 2026, MUNICIPALITY_BUDGET).await.expect("budget");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let state = ramp_web::AppState::new(app, Arc::new(Agreements::builtin()), false);
    tokio::spawn(ramp_web::serve(listener, state, std::future::pending()));
    Demo { server: DemoApp { engine, base, storage, clock }, raw }
}

/// An instant as either engine prints it (`2026-05-04T09:00:00+00:00`, `2026-05-04 09:00:00.5+00`).
fn instant(text: &str) -> DateTime<Utc> {
    let naive = NaiveDateTime::parse_from_str(&text[..19].replace('T', " "), "%Y-%m-%d %H:%M:%S").expect(text);
    naive.and_utc()
}

/// The Stockholm date falls in tertial 2 2026 (May–August).
fn in_t2(at: DateTime<Utc>) -> bool {
    let day = stockholm_date(at);
    (NaiveDate::from_ymd_opt(2026, 5, 1).unwrap()..NaiveDate::from_ymd_opt(2026, 9, 1).unwrap()).contains(&day)
}

fn in_t1(at: DateTime<Utc>) -> bool {
    let day = stockholm_date(at);
    (NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()..NaiveDate::from_ymd_opt(2026, 5, 1).unwrap()).contains(&day)
}

/// Per agreement area's Swedish name and lead-time class's row label: (delivered, on time);
/// per area: (device deliveries, of them reconditioned before).
#[derive(Default)]
struct Deliveries {
    lines: BTreeMap<(String, String), (i64, i64)>,
    delivered: BTreeMap<String, i64>,
    reuse: BTreeMap<String, (i64, i64)>,
    /// Every payer (the development part is the whole region's): T2, T1.
    reuse_t2: (i64, i64),
    reuse_t1: (i64, i64),
}

/// Counts delivered order lines straight from `order_lines`, as seed 004
/// and FIGURES.md define them, without `delivery_slots`.
async fn deliveries(raw: &SqlStorage) -> Deliveries {
    let sql = "SELECT pa.agreement_area, l.lead_time_class, CAST(l.promised_date AS TEXT) AS promised,
                CAST(l.delivered_at AS TEXT) AS delivered_at,
                CAST(CASE WHEN l.device_id IS NULL THEN 0 ELSE 1 END AS BIGINT) AS device,
                CAST(CASE WHEN EXISTS (SELECT 1 FROM device_events e WHERE e.device_id = l.device_id
                    AND e.kind = 'reconditioned' AND e.occurred_at < l.delivered_at) THEN 1 ELSE 0 END AS BIGINT) AS reused
         FROM order_lines l JOIN articles a ON a.id = l.article_id JOIN product_areas pa ON pa.code = a.product_area
         WHERE l.state = 'delivered' AND l.delivered_at IS NOT NULL";
    let rows = db::query(sql).fetch_all(raw.pool()).await.expect("read order lines");
    let mut d = Deliveries::default();
    for r in &rows {
        let at = instant(&r.try_get::<String, _>("delivered_at").unwrap());
        let (device, reused): (i64, i64) = (r.try_get("device").unwrap(), r.try_get("reused").unwrap());
        if in_t1(at) {
            d.reuse_t1 = (d.reuse_t1.0 + device, d.reuse_t1.1 + reused);
        }
        if !in_t2(at) {
            continue;
        }
        d.reuse_t2 = (d.reuse_t2.0 + device, d.reuse_t2.1 + reused);
        // Seed 003: "Samarbetsavtal för försörjning av personliga hjälpmedel, Överenskommelse för
        // hjälpmedel vid medicinsk behandling och digitala hjälpmedel" — the article's product area's.
        let area = match r.try_get::<String, _>("agreement_area").unwrap().as_str() {
            "cooperation" => "Samarbetsavtal",
            "overenskommelsen" => "Överenskommelsen",
            _ => "Digitala hjälpmedel",
        };
        let promised: String = r.try_get("promised").unwrap();
        let on_time = stockholm_date(at) <= NaiveDate::parse_from_str(&promised[..10], "%Y-%m-%d").unwrap();
        let class = match r.try_get::<String, _>("lead_time_class").unwrap().as_str() {
            "stock_4" => "Leveranssäkerhet 4 ledtidsdagar (läkemedelsnära)",
            "stock_7" => "Leveranssäkerhet 7 dagars sortiment",
            "order_17" => "Leveranssäkerhet 17 dagars sortiment",
            _ => "Leveranssäkerhet för akuta order",
        };
        let c = d.lines.entry((area.into(), class.into())).or_default();
        *c = (c.0 + 1, c.1 + i64::from(on_time));
        *d.delivered.entry(area.into()).or_default() += 1;
        let u = d.reuse.entry(area.into()).or_default();
        *u = (u.0 + device, u.1 + reused);
    }
    d
}

/// Invoiced per agreement area in May–August 2026 (öre), from `invoice_lines`.
async fn invoiced(raw: &SqlStorage) -> BTreeMap<String, i64> {
    let sql = "SELECT p.kind, i.month, CAST(l.amount_ore AS BIGINT) AS amount
         FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id JOIN principals p ON p.id = i.principal_id";
    let mut out = BTreeMap::new();
    for r in db::query(sql).fetch_all(raw.pool()).await.expect("read invoice lines") {
        let month: String = r.try_get("month").unwrap();
        if !T2_MONTHS.contains(&month.as_str()) {
            continue;
        }
        let area =
            if r.try_get::<String, _>("kind").unwrap() == "region" { "Överenskommelsen" } else { "Samarbetsavtal" };
        *out.entry(area.to_string()).or_default() += r.try_get::<i64, _>("amount").unwrap();
    }
    out
}

/// Rows of instants from `sql`'s first column, split by tertial (T2, T1).
async fn instants(raw: &SqlStorage, sql: &str) -> Vec<DateTime<Utc>> {
    let rows = db::query(sql).fetch_all(raw.pool()).await.expect("read instants");
    rows.iter().map(|r| instant(&r.try_get::<String, _>("at").unwrap())).collect()
}

type Sheet = calamine::Range<Data>;

fn sheets(bytes: Vec<u8>) -> (Sheet, Sheet, Sheet) {
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).expect("an XLSX workbook");
    let mut read = |name: &str| book.worksheet_range(name).unwrap_or_else(|e| panic!("sheet {name}: {e}"));
    (read("Kvalitet"), read("Ekonomi"), read("Utveckling"))
}

/// The row whose first cells are `keys`.
fn row<'a>(sheet: &'a Sheet, keys: &[&str]) -> &'a [Data] {
    sheet
        .rows()
        .find(|r| keys.iter().enumerate().all(|(i, k)| r.get(i).map(|c| c.to_string()).as_deref() == Some(*k)))
        .unwrap_or_else(|| panic!("a row {keys:?}"))
}

fn number(c: &Data) -> f64 {
    match c {
        Data::Float(f) => *f,
        Data::Int(i) => *i as f64,
        other => panic!("a number, not {other:?}"),
    }
}

/// The share as the report rounds it (half up to two decimals), or an empty cell.
fn share_cell(c: &Data, part: i64, whole: i64) {
    match ramp_domain::figures::Percent::of(part, whole) {
        Some(p) => assert_eq!(number(c), p.as_f64(), "{part} of {whole}"),
        None => assert!(matches!(c, Data::Empty) || c.to_string().is_empty(), "nothing to measure: {c:?}"),
    }
}

async fn the_tertial_report_xlsx_reconciles_with_the_stored_rows(demo: Demo) {
    // Arrange: what the rows say.
    let d = deliveries(&demo.raw).await;
    let costs = invoiced(&demo.raw).await;
    let answers = "SELECT CAST(occurred_at AS TEXT) AS at FROM replacement_answers WHERE answer = 'accepted'";
    let accepted = instants(&demo.raw, answers).await;
    let answered = instants(
        &demo.raw,
        "SELECT CAST(occurred_at AS TEXT) AS at FROM replacement_answers WHERE answer IN ('accepted', 'declined')",
    )
    .await;
    let booked = instants(
        &demo.raw,
        "SELECT CAST(booked_at AS TEXT) AS at FROM consultation_bookings WHERE cancelled_at IS NULL",
    )
    .await;
    let orders = instants(&demo.raw, "SELECT CAST(created_at AS TEXT) AS at FROM orders").await;
    let via_1177 =
        instants(&demo.raw, "SELECT CAST(created_at AS TEXT) AS at FROM orders WHERE channel = 'patient_1177'").await;
    let client = demo.server.ui_logged_in("ekonomi").await;

    // Act
    let resp =
        client.get(demo.server.url("/api/v1/reports/tertial.xlsx?year=2026&tertial=2")).send().await.expect("xlsx");

    // Assert: quality, per agreement area and lead-time class.
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    let (quality, economy, development) = sheets(resp.bytes().await.unwrap().to_vec());
    assert!(d.delivered.values().sum::<i64>() > 0, "the demo delivers lines in May–August 2026");
    for area in ["Samarbetsavtal", "Överenskommelsen"] {
        let delivered = d.delivered.get(area).copied().unwrap_or(0);
        assert_eq!(number(&row(&quality, &[area, "Levererade orderrader"])[2]), delivered as f64, "{area}");
        let seeds_rows = [
            "Leveranssäkerhet 7 dagars sortiment",
            "Leveranssäkerhet 17 dagars sortiment",
            "Leveranssäkerhet för akuta order",
        ];
        let delivered_classes = d.lines.keys().filter(|(a, _)| a == area).map(|(_, c)| c.as_str());
        let mut classes: Vec<&str> = seeds_rows.to_vec();
        classes.extend(delivered_classes.filter(|c| !seeds_rows.contains(c)));
        for class in classes {
            let (all, on_time) = d.lines.get(&(area.to_string(), class.to_string())).copied().unwrap_or((0, 0));
            let r = row(&quality, &[area, class]);
            assert_eq!((number(&r[2]), number(&r[3])), (all as f64, on_time as f64), "{area} {class}");
            share_cell(&r[4], on_time, all);
        }
        let (devices, reused) = d.reuse.get(area).copied().unwrap_or((0, 0));
        let r = row(&quality, &[area, "Återanvändningsgrad"]);
        assert_eq!((number(&r[2]), number(&r[3])), (devices as f64, reused as f64), "{area} reuse");
        share_cell(&r[4], reused, devices);
    }
    let four_day = ("Överenskommelsen".to_string(), "Leveranssäkerhet 4 ledtidsdagar (läkemedelsnära)".to_string());
    assert!(d.lines.contains_key(&four_day), "the demo delivers drug-adjacent 4-day lines");
    let (acc, ans) = (accepted.iter().filter(|a| in_t2(**a)).count(), answered.iter().filter(|a| in_t2(**a)).count());
    let r = row(&quality, &["Hela regionen", "Accepterade ersättningsförslag"]);
    assert_eq!((number(&r[2]), number(&r[3])), (ans as f64, acc as f64));

    // Economy: "Rapporten visar ett positivt resultat mot budget" — the tertial's invoiced cost per area.
    assert!(costs.values().sum::<i64>() > 0, "May–August 2026 were invoiced");
    for area in ["Samarbetsavtal", "Överenskommelsen"] {
        let r = row(&economy, &[area, "Summa"]);
        assert_eq!(number(&r[2]), costs.get(area).copied().unwrap_or(0) as f64 / 100.0, "{area}");
    }
    let region_budget_t2 = (REGION_BUDGET * 4 + 6) / 12;
    assert_eq!(number(&row(&economy, &["Överenskommelsen", "Summa"])[3]), region_budget_t2 as f64 / 100.0);
    assert_eq!(number(&row(&economy, &["Samarbetsavtal", "Summa"])[5]), MUNICIPALITY_BUDGET as f64 / 100.0);

    // Development: "återanvändningsgraden av hjälpmedel nu är uppe i 69 %" — reuse against the tertial before.
    let (all, reused) = d.reuse_t2;
    let r = row(&development, &["Leveranser av individer"]);
    assert_eq!((number(&r[1]), number(&r[2])), (all as f64, d.reuse_t1.0 as f64));
    assert_eq!(number(&row(&development, &["Varav rekonditionerade"])[1]), reused as f64);
    share_cell(&row(&development, &["Återanvändningsgrad (%)"])[1], reused, all);
    share_cell(&row(&development, &["Återanvändningsgrad (%)"])[2], d.reuse_t1.1, d.reuse_t1.0);
    // "När det gäller andelen digitala beställningar via 1177 ses en ökning på totalen från 20 % till 25 %"
    let count = |v: &[DateTime<Utc>], f: fn(DateTime<Utc>) -> bool| v.iter().filter(|a| f(**a)).count();
    let (all_t2, digital_t2) = (count(&orders, in_t2), count(&via_1177, in_t2));
    assert!(all_t2 > 0 && digital_t2 > 0, "the demo placed orders, some through 1177, in May–August");
    let r = row(&development, &["Beställningar"]);
    assert_eq!((number(&r[1]), number(&r[2])), (all_t2 as f64, count(&orders, in_t1) as f64));
    assert_eq!(number(&row(&development, &["Varav via 1177"])[1]), digital_t2 as f64);
    share_cell(&row(&development, &["Andel digitala beställningar via 1177 (%)"])[1], digital_t2 as i64, all_t2 as i64);
    // "aktiviteter för att öka tillgänglighet till förväntningssamtal genom webbtidbokning"
    let r = row(&development, &["Bokade konsultationer"]);
    let (now, before) = (booked.iter().filter(|b| in_t2(**b)).count(), booked.iter().filter(|b| in_t1(**b)).count());
    assert_eq!((number(&r[1]), number(&r[2])), (now as f64, before as f64));
}

async fn the_tertial_page_shows_each_part_as_a_chart_beside_a_table_of_the_same_numbers(demo: Demo) {
    // Arrange
    let d = deliveries(&demo.raw).await;
    let client = demo.server.ui_logged_in("ekonomi").await;

    // Act
    let figures = client.get(demo.server.url("/figures")).send().await.unwrap().text().await.unwrap();
    let resp = client.get(demo.server.url("/figures/tertial?year=2026&tertial=2")).send().await.unwrap();

    // Assert
    assert!(figures.contains("href=\"/figures/tertial\""), "linked from the figures page");
    assert_eq!(resp.status(), 200);
    let html = resp.text().await.unwrap();
    assert!(html.contains("T2 2026 (maj–aug)"), "the period is shown");
    for id in ["quality", "economy", "development"] {
        assert!(html.contains(&format!("id=\"chart-tertial-{id}\"")), "the {id} chart");
        assert!(html.contains(&format!("id=\"table-tertial-{id}\"")), "the {id} table");
    }
    let delivered = d.delivered.get("Samarbetsavtal").copied().unwrap_or(0);
    assert!(html.contains(&format!("<td>Levererade orderrader</td><td class=\"num\">{delivered}</td>")), "{html}");
    let link = html.find("/api/v1/reports/tertial.xlsx?").map(|i| &html[i..i + 60]).unwrap_or_default();
    assert!(link.contains("year=2026&") && link.contains("tertial=2\""), "the download link: {link}");
    for raw_value in ["cooperation", "overenskommelsen", "stock_7", "order_17"] {
        assert!(!html.contains(raw_value), "no raw enum value on screen: {raw_value}");
    }
}

async fn the_tertial_report_narrows_to_one_principals_units_and_economy(demo: Demo) {
    // Issue 22: "per-municipality breakdowns of every figure".
    // Arrange: the municipality with a budget, and its units' delivered lines in T2, counted here.
    let municipality =
        demo.server.storage.principals().await.unwrap().into_iter().find(|p| p.kind == "municipality").unwrap();
    let sql = "SELECT CAST(l.delivered_at AS TEXT) AS at FROM order_lines l JOIN orders o ON o.id = l.order_id
         JOIN units u ON u.id = o.unit_id WHERE l.state = 'delivered' AND u.principal_id = $1";
    let rows = db::query(sql).bind(municipality.id).fetch_all(demo.raw.pool()).await.unwrap();
    let delivered = rows.iter().filter(|r| in_t2(instant(&r.try_get::<String, _>("at").unwrap()))).count() as i64;
    let client = demo.server.ui_logged_in("ekonomi").await;
    let query = format!("year=2026&tertial=2&principal={}", municipality.code);

    // Act
    let json: serde_json::Value = client
        .get(demo.server.url(&format!("/api/v1/reports/tertial?{query}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let xlsx = client.get(demo.server.url(&format!("/api/v1/reports/tertial.xlsx?{query}"))).send().await.unwrap();
    let page = client.get(demo.server.url(&format!("/figures/tertial?{query}"))).send().await.unwrap();
    let unknown =
        client.get(demo.server.url("/api/v1/reports/tertial?year=2026&tertial=2&principal=9999")).send().await.unwrap();

    // Assert
    assert_eq!(json["principal"], municipality.code.as_str());
    let quality_sum: i64 = json["quality"].as_array().unwrap().iter().map(|q| q["delivered"].as_i64().unwrap()).sum();
    assert!(delivered > 0, "the municipality's units received deliveries in T2");
    assert_eq!(quality_sum, delivered);
    let principals: Vec<&str> = json["economy"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|a| a["principals"].as_array().unwrap().iter().map(|p| p["principal"].as_str().unwrap()))
        .collect();
    assert_eq!(principals, [municipality.code.as_str()], "only its own economy");
    let disposition = xlsx.headers()["content-disposition"].to_str().unwrap().to_string();
    assert!(disposition.contains(&format!("tertialrapport-2026-t2-{}.xlsx", municipality.code)), "{disposition}");
    let html = page.text().await.unwrap();
    assert!(html.contains(&format!("Huvudman: {}.", municipality.name)), "the principal beside the period");
    assert_eq!(unknown.status(), 422);
    assert_eq!(problem(unknown).await["field"], "principal");
}

async fn a_bad_year_or_tertial_is_refused_naming_the_field(app: TestApp) {
    // Arrange
    let lager = app.token_for("lager").await;
    let (ui, _) = app.ui_session("lager").await;

    // Act
    let tertial = app.get(&lager, "/api/v1/reports/tertial.xlsx?year=2026&tertial=4").await;
    let year = app.get(&lager, "/api/v1/reports/tertial?year=20x6&tertial=1").await;
    let page = ui.get(app.url("/figures/tertial?year=2026&tertial=T1")).send().await.unwrap();

    // Assert
    assert_eq!(tertial.status(), 422);
    assert_eq!(problem(tertial).await["field"], "tertial");
    assert_eq!(year.status(), 422);
    assert_eq!(problem(year).await["field"], "year");
    assert_eq!(page.status(), 422);
    assert!(page.text().await.unwrap().contains("id=\"tertial-error\""));
}

ramp_testkit::on_both_engines!(with super::demo;
    the_tertial_report_xlsx_reconciles_with_the_stored_rows,
    the_tertial_page_shows_each_part_as_a_chart_beside_a_table_of_the_same_numbers,
    the_tertial_report_narrows_to_one_principals_units_and_economy,
);

mod fixture {
    use super::*;
    ramp_testkit::on_both_engines!(a_bad_year_or_tertial_is_refused_naming_the_field);
}
