//! Catalog import on both engines (issue 20): a generated 500,000-row file
//! (dry run, import, a second run that changes nothing), a national export
//! with deliberate errors whose report names each row and column and
//! writes nothing, an update that keeps article numbers and ids, adds and
//! retires, and the export read from XLSX.

use ramp_app::catalog_import::{import_catalog, ImportOptions, ImportReport, Phase};
use ramp_testkit::TestApp;
use ramp_web::xlsx::{workbook, Cell};
use std::fmt::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

const INERA_HEADER: &str = "Artikelnummer;Artikelbenämning;ISO-kod;GTIN;Leverantör;Artikeltyp;Avtalspris;Produktnummer";

fn file(app: &TestApp, name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ramp-import-{}-{:?}", std::process::id(), app.engine));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// A GTIN-13 with its check digit.
fn gtin(n: u64) -> String {
    let body = format!("73{n:010}");
    let sum: u32 =
        body.bytes().rev().enumerate().map(|(i, d)| u32::from(d - b'0') * if i % 2 == 0 { 3 } else { 1 }).sum();
    format!("{body}{}", (10 - sum % 10) % 10)
}

async fn import(app: &TestApp, path: &std::path::Path, opts: ImportOptions) -> ImportReport {
    import_catalog(&app.app, None, path, &opts, &|_, _, _| {}).await.expect("the import runs")
}

fn dry() -> ImportOptions {
    ImportOptions { dry_run: true, ..ImportOptions::default() }
}

async fn article_count(app: &TestApp) -> usize {
    app.storage.all_articles().await.unwrap().len()
}

async fn a_generated_500000_row_file_imports_and_a_second_run_changes_nothing(app: TestApp) {
    // Arrange: 500,000 articles in Ramp's plain CSV, every ISO class, 150 suppliers.
    let classes = ["04", "05", "06", "09", "12", "15", "18", "22", "24", "27", "28", "30"];
    let mut csv = String::from("article_number,name,iso_code,gtin,supplier,kind,purchase_price_sek\n");
    for i in 0..500_000u64 {
        let iso = format!("{}{:02}{:02}", classes[(i % 12) as usize], (i / 12) % 40, (i / 480) % 30);
        let kind = ["main_device", "accessory", "spare_part", "consumable"][(i % 4) as usize];
        writeln!(csv, "N{i:07},Artikel {i},{iso},{},Leverantör {},{kind},{}.50", gtin(i), i % 150, 100 + i % 5000)
            .unwrap();
    }
    let path = file(&app, "national.csv", csv.as_bytes());
    let before = article_count(&app).await;
    let opts =
        || ImportOptions { keep_missing: true, default_area: Some("mobility".into()), ..ImportOptions::default() };

    // Act and assert: the dry run writes nothing.
    let report = import(&app, &path, ImportOptions { dry_run: true, ..opts() }).await;
    assert_eq!((report.rows, report.new, report.errors.len(), report.applied), (500_000, 500_000, 0, false));
    assert_eq!(article_count(&app).await, before, "a dry run changes nothing");

    // The import, with progress through every phase.
    let writing = AtomicUsize::new(0);
    let progress = |p: Phase, done: usize, _: usize| {
        if p == Phase::Writing {
            writing.store(done, Ordering::Relaxed);
        }
    };
    let report = import_catalog(&app.app, None, &path, &opts(), &progress).await.unwrap();
    assert!(report.applied, "{:?}", report.errors);
    assert_eq!(writing.load(Ordering::Relaxed), 500_000, "the progress reached every row");
    assert_eq!(article_count(&app).await, before + 500_000);

    // The same file again changes nothing.
    let again = import(&app, &path, opts()).await;
    assert_eq!((again.new, again.changed, again.unchanged, again.retired), (0, 0, 500_000, 0));
}

async fn a_national_export_with_deliberate_errors_names_each_row_and_column_and_writes_nothing(app: TestApp) {
    // Arrange: seed 1's row layout with four mistakes (rows as a spreadsheet counts them).
    let rows = [
        format!("E-1;Rollator Lätt;12 06 06;{};Etac Sverige AB;Huvudhjälpmedel;2 500,00;P-1", gtin(1)),
        "E-2;Rullstolsdyna;18 10 06;7300000000029;Etac Sverige AB;Tillbehör;450,00;P-2".to_string(),
        format!("E-3;Duschpall;13 03 03;{};Etac Sverige AB;Huvudhjälpmedel;900,00;P-3", gtin(3)),
        format!("E-1;Rollator Lätt igen;12 06 06;{};Etac Sverige AB;Huvudhjälpmedel;2 500,00;P-1", gtin(4)),
        format!("E-5;;09 12 03;{};Etac Sverige AB;Huvudhjälpmedel;1 200,00;P-5", gtin(5)),
    ];
    let path = file(&app, "errors.csv", format!("{INERA_HEADER}\n{}\n", rows.join("\n")).as_bytes());
    let before = article_count(&app).await;

    // Act
    let report = import(&app, &path, ImportOptions::default()).await;

    // Assert: each error by row, column and code; nothing written.
    let got: Vec<(usize, usize, &str, &str)> =
        report.errors.iter().map(|e| (e.row, e.column, e.column_name.as_str(), e.code)).collect();
    assert_eq!(
        got,
        [
            (3, 4, "GTIN", "invalid_gtin"),
            (4, 3, "ISO-kod", "unknown_iso_code"),
            (5, 1, "Artikelnummer", "duplicate"),
            (6, 2, "Artikelbenämning", "required"),
        ]
    );
    assert_eq!(report.errors[2].message, "article number E-1 is already on row 2");
    assert_eq!(report.layout, "inera");
    assert!(!report.applied);
    assert_eq!(article_count(&app).await, before, "a file with errors writes nothing");
}

async fn an_update_keeps_numbers_and_ids_adds_new_articles_and_retires_the_missing(app: TestApp) {
    // Arrange: the fixture's catalog is R-100, W-200 and R-101; a device of R-100 is lent to Tolvan.
    let catalog = app.storage.all_articles().await.unwrap();
    let id_of = |n: &str| catalog.iter().find(|a| a.article_number == n).unwrap().id;
    let csv = "article_number;name;iso_code;supplier;kind;purchase_price_sek;product_area\n\
               R-100;Rollator Gåstöd Classic 2;120606;Etac Sverige AB;main_device;2600;mobility\n\
               W-200;Rullstol Manuell Komfort;122203;Etac Sverige AB;main_device;9000;mobility\n\
               N-300;Rollator Ny;120606;Ny Leverantör AB;main_device;3100,50;mobility\n";
    let path = file(&app, "update.csv", csv.as_bytes());

    // Act: the dry run tells the same as the import does.
    let preview = import(&app, &path, dry()).await;
    let report = import(&app, &path, ImportOptions::default()).await;

    // Assert
    assert_eq!((preview.new, preview.changed, preview.unchanged, preview.retired), (1, 1, 1, 1));
    assert_eq!((report.new, report.changed, report.unchanged, report.retired, report.applied), (1, 1, 1, 1, true));
    let after = app.storage.all_articles().await.unwrap();
    let get = |n: &str| after.iter().find(|a| a.article_number == n).unwrap().clone();
    assert_eq!(get("R-100").id, id_of("R-100"), "an update keeps the id that devices refer to");
    assert_eq!((get("R-100").name.as_str(), get("R-100").purchase_price_ore), ("Rollator Gåstöd Classic 2", 260_000));
    assert_eq!(get("R-101").id, id_of("R-101"), "retired, not deleted");
    assert_eq!(get("R-101").valid_to, Some(app.app.today()));
    assert_eq!((get("N-300").supplier_name.as_str(), get("N-300").purchase_price_ore), ("Ny Leverantör AB", 310_050));
    let card = app.storage.device_card(app.fixture.lent_device_number).await.unwrap().unwrap();
    assert_eq!(card.article.name, "Rollator Gåstöd Classic 2", "the lent device is of the updated article");
    let anna = app.token_for("anna").await;
    let hits: serde_json::Value = app.get(&anna, "/api/v1/articles?q=Rollator%20Ny").await.json().await.unwrap();
    assert!(hits.to_string().contains("N-300"), "the search index has the new article: {hits}");
}

async fn the_national_export_is_read_from_xlsx(app: TestApp) {
    let header: Vec<Cell> = INERA_HEADER.split(';').map(|h| Cell::Text(h.into())).collect();
    let text = |s: &str| Cell::Text(s.into());
    let rows = vec![
        header,
        vec![
            text("X-1"),
            text("Gånghjälpmedel X"),
            text("120606"),
            text(&gtin(7)),
            text("Etac Sverige AB"),
            text("Huvudhjälpmedel"),
            Cell::Number(1999.5),
            text("P-7"),
        ],
        vec![
            text("X-2"),
            text("Korg X"),
            text("12 06 06"),
            text(""),
            text("Etac Sverige AB"),
            text("Tillbehör"),
            Cell::Number(250.0),
            text("P-8"),
        ],
    ];
    let path = file(&app, "export.xlsx", &workbook("Artiklar", &rows));
    let report = import(&app, &path, ImportOptions { keep_missing: true, ..ImportOptions::default() }).await;
    assert_eq!((report.layout, report.new, report.errors.len()), ("inera", 2, 0), "{:?}", report.errors);
    let after = app.storage.all_articles().await.unwrap();
    let x1 = after.iter().find(|a| a.article_number == "X-1").unwrap();
    assert_eq!(
        (x1.purchase_price_ore, x1.gtin.as_deref(), x1.product_area.as_str()),
        (199_950, Some(gtin(7).as_str()), "mobility")
    );
}

/// A multipart form body as a browser sends it: the CSRF token first, then the file and the boxes.
fn multipart(csrf: &str, file: &str, ticked: &[&str]) -> (String, String) {
    let b = "----rampboundary";
    let mut body = format!("--{b}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n");
    body += &format!("--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"export.csv\"\r\nContent-Type: text/csv\r\n\r\n{file}\r\n");
    for name in ticked {
        body += &format!("--{b}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\non\r\n");
    }
    body += &format!("--{b}--\r\n");
    (format!("multipart/form-data; boundary={b}"), body)
}

/// Polls a page until it no longer says the import is running (the import runs in the background).
async fn until_done(client: &reqwest::Client, url: &str) -> String {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let html = client.get(url).send().await.unwrap().text().await.unwrap();
        if !html.contains("hx-trigger=\"every 1s\"") || std::time::Instant::now() > deadline {
            return html;
        }
        tokio::task::yield_now().await;
    }
}

async fn an_administrator_imports_through_the_page_sees_the_report_and_others_are_refused(app: TestApp) {
    // A dry run of a file with one bad row: the report names it, in Swedish.
    let (client, csrf) = app.ui_session("admin").await;
    // Larger than the 256 KB every other form may send: an export is tens of megabytes.
    let mut bad =
        format!("{INERA_HEADER}\nE-9;Rollator;12 06 06;7300000000018;Etac Sverige AB;Huvudhjälpmedel;100;P\n");
    for i in 0..6_000u64 {
        writeln!(
            bad,
            "F-{i};Artikel {i} med ett ganska långt namn;12 06 06;{};Etac Sverige AB;Tillbehör;100;P",
            gtin(1000 + i)
        )
        .unwrap();
    }
    assert!(bad.len() > 256 * 1024);
    let (ct, body) = multipart(&csrf, &bad, &["dry_run"]);
    let resp =
        client.post(app.url("/admin/catalog-import")).header("content-type", ct).body(body).send().await.unwrap();
    assert_eq!(resp.status(), 303);
    let at = resp.headers()["location"].to_str().unwrap().to_string();
    let html = until_done(&client, &app.url(&format!("{at}/status"))).await;
    assert!(html.contains("Filen har fel: ingenting är sparat."), "{html}");
    assert!(html.contains("<td>2</td><td>4 (GTIN)</td><td>GTIN är fel"), "{html}");

    // The real run of a good file updates the catalog; the page says so.
    let good = format!("{INERA_HEADER}\nE-9;Rollator E;12 06 06;{};Etac Sverige AB;Huvudhjälpmedel;100;P\n", gtin(9));
    let (ct, body) = multipart(&csrf, &good, &["keep_missing"]);
    let resp =
        client.post(app.url("/admin/catalog-import")).header("content-type", ct).body(body).send().await.unwrap();
    let at = resp.headers()["location"].to_str().unwrap().to_string();
    let html = until_done(&client, &app.url(&format!("{at}/status"))).await;
    assert!(html.contains("Klart: sortimentet är uppdaterat."), "{html}");
    assert!(app.storage.all_articles().await.unwrap().iter().any(|a| a.article_number == "E-9"));

    // Over the API: started, then read by id; another role is refused and nothing runs.
    let admin = app.token_for("admin").await;
    let resp = app
        .client
        .post(app.url("/api/v1/admin/catalog-imports?dry_run=true"))
        .bearer_auth(&admin)
        .body(good.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 202);
    let started: serde_json::Value = resp.json().await.unwrap();
    let url = started["status_url"].as_str().unwrap().to_string();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let job = loop {
        let job: serde_json::Value = app.get(&admin, &url).await.json().await.unwrap();
        if job["phase"] == "done" || std::time::Instant::now() > deadline {
            break job;
        }
        tokio::task::yield_now().await;
    };
    assert_eq!(
        (job["report"]["unchanged"].as_u64(), job["report"]["applied"].as_bool()),
        (Some(1), Some(false)),
        "{job}"
    );
    let anna = app.token_for("anna").await;
    let resp =
        app.client.post(app.url("/api/v1/admin/catalog-imports")).bearer_auth(&anna).body(good).send().await.unwrap();
    assert_eq!(resp.status(), 403);
    let resp =
        app.client.post(app.url("/api/v1/admin/catalog-imports")).bearer_auth(&admin).body("").send().await.unwrap();
    assert_eq!(ramp_testkit::problem(resp).await["field"], "file");
}

ramp_testkit::on_both_engines!(
    an_administrator_imports_through_the_page_sees_the_report_and_others_are_refused,
    a_generated_500000_row_file_imports_and_a_second_run_changes_nothing,
    a_national_export_with_deliberate_errors_names_each_row_and_column_and_writes_nothing,
    an_update_keeps_numbers_and_ids_adds_new_articles_and_retires_the_missing,
    the_national_export_is_read_from_xlsx,
);
