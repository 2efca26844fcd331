//! Catalog import in real Chromium (issue 20), axe-core on every page: the
//! administrator uploads the national export with a bad GTIN as a dry run
//! and reads the error by row and column, then imports a good file and
//! watches it finish.

use crate::ui_browser::log_in;
use ramp_testkit::browser::Browser;
use ramp_testkit::TestApp;

const HEADER: &str = "Artikelnummer;Artikelbenämning;ISO-kod;GTIN;Leverantör;Artikeltyp;Avtalspris";

fn write(app: &TestApp, name: &str, text: &str) -> String {
    let dir = std::env::temp_dir().join(format!("ramp-ui-import-{}-{:?}", std::process::id(), app.engine));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

async fn the_administrator_tries_a_file_reads_its_errors_then_imports_a_good_one(app: TestApp) {
    let bad = write(
        &app,
        "bad.csv",
        &format!("{HEADER}\nU-1;Rollator U;12 06 06;7300000000018;Etac Sverige AB;Huvudhjälpmedel;2 500,00\n"),
    );
    let good = write(
        &app,
        "good.csv",
        &format!("{HEADER}\nU-1;Rollator U;12 06 06;7300000000011;Etac Sverige AB;Huvudhjälpmedel;2 500,00\n"),
    );
    let b = Browser::start().await;
    log_in(&b, &app, "admin").await;

    b.goto(&app.url("/admin/catalog-import")).await;
    b.wait_for_text("Läs in den nationella artikelexporten").await;
    b.assert_accessible("the import form").await;
    b.type_into(&b.labelled("Fil").await, &bad).await;
    b.click(&b.by_text("button", "Läs in filen").await).await;
    b.wait_for_text("Filen har fel: ingenting är sparat.").await;
    let text = b.page_text().await;
    assert!(text.contains("GTIN är fel"), "{text}");
    b.assert_accessible("the report of a file with an error").await;

    b.click(&b.by_text("a", "Läs in en ny fil").await).await;
    b.wait_for_text("Läs in den nationella artikelexporten").await;
    b.type_into(&b.labelled("Fil").await, &good).await;
    b.click(&b.labelled("Provkörning: visa vad som skulle ändras utan att spara").await).await;
    b.click(&b.labelled("Behåll artiklar som saknas i filen").await).await;
    b.click(&b.by_text("button", "Läs in filen").await).await;
    b.wait_for_text("Klart: sortimentet är uppdaterat.").await;
    assert!(b.page_text().await.contains("Nya artiklar"));
    b.assert_accessible("the report of an import").await;
    b.quit().await;
    assert!(app.storage.all_articles().await.unwrap().iter().any(|a| a.article_number == "U-1"));
}

ramp_testkit::on_both_engines!(the_administrator_tries_a_file_reads_its_errors_then_imports_a_good_one);
