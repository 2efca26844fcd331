//! Every figure downloads as XLSX too (`<figure>.xlsx`, `?format=xlsx`): the
//! same table as the CSV, read back with calamine, with the numbers as
//! number cells Excel sums rather than text.

use calamine::{Data, Reader, Xlsx};
use ramp_testkit::TestApp;
use std::io::Cursor;

const FIGURES: [&str; 6] = [
    "delivery-reliability",
    "reuse-rate",
    "replacement-acceptance",
    "purchased-vs-prescribed",
    "open-work-orders",
    "safety-notices",
];

/// The first sheet of an XLSX download.
async fn sheet(app: &TestApp, token: &str, path: &str) -> Vec<Vec<Data>> {
    let resp = app.get(token, path).await;
    assert_eq!(resp.status(), 200, "{path}");
    assert_eq!(resp.headers()["content-type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    let bytes = resp.bytes().await.unwrap().to_vec();
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).expect("an XLSX workbook");
    let range = book.worksheet_range_at(0).expect("a sheet").expect("readable");
    range.rows().map(|r| r.to_vec()).collect()
}

/// A CSV field as the XLSX cell it should be: a Swedish decimal as a number.
fn expected(field: &str) -> Data {
    match field.replace(',', ".").parse::<f64>() {
        Ok(n) if !field.is_empty() && !field.starts_with('\'') => Data::Float(n),
        _ if field.is_empty() => Data::Empty,
        _ => Data::String(field.to_string()),
    }
}

async fn each_figure_downloads_as_xlsx_with_the_csv_rows_and_numbers_as_numbers(app: TestApp) {
    let admin = app.token_for("admin").await;
    for figure in FIGURES {
        // Act
        let csv = app.get(&admin, &format!("/api/v1/figures/{figure}.csv")).await.text().await.unwrap();
        let rows = sheet(&app, &admin, &format!("/api/v1/figures/{figure}.xlsx")).await;
        let same = sheet(&app, &admin, &format!("/api/v1/figures/{figure}?format=xlsx")).await;

        // Assert
        let csv_rows: Vec<Vec<Data>> =
            csv.trim_start_matches('\u{feff}').lines().map(|l| l.split(';').map(expected).collect()).collect();
        assert_eq!(rows.len(), csv_rows.len(), "{figure}");
        for (got, want) in rows.iter().zip(&csv_rows) {
            // calamine pads a row to the sheet's width with empty cells.
            assert_eq!(&got[..want.len()], &want[..], "{figure}");
            assert!(got[want.len()..].iter().all(|c| *c == Data::Empty), "{figure}");
        }
        assert_eq!(rows, same, "{figure}: the route and the format parameter give the same workbook");
    }
}

ramp_testkit::on_both_engines!(each_figure_downloads_as_xlsx_with_the_csv_rows_and_numbers_as_numbers);
