//! "Fakturering" in real Chromium (issues 6 and 19): the finance user runs
//! a month preliminarily, then finally, watching the run's progress page,
//! finds the customer number's invoice, reads its lines with their
//! computations, downloads its PEPPOL XML and XLSX specification and
//! credits it. axe-core on every page.

use super::billing::{d, lend, setup_with, BED};
use ramp_testkit::browser::{Browser, ENTER};
use ramp_testkit::TestApp;

async fn finance_staff_run_a_month_read_an_invoice_and_credit_it_in_the_browser(app: TestApp) {
    // Arrange: a bed at 450 kr a month delivered on 20 October 2026 on Lidingö's customer number.
    let hash = ramp_app::auth::hash_password(ramp_storage::fixture::PASSWORD).unwrap();
    setup_with(&app, Some(hash)).await;
    lend(&app, 500, BED, 1_200_000, d(2026, 1, 1), d(2026, 10, 20)).await;
    give_every_principal_invoice_party_data(&app).await;
    let b = Browser::start().await;
    b.goto(&app.url("/login")).await;
    b.type_into(&b.labelled("Användarnamn").await, "ekonomi").await;
    b.type_into(&b.labelled("Lösenord").await, ramp_storage::fixture::PASSWORD).await;
    b.press(ENTER).await;
    b.wait_for_text("Välkommen").await;

    // Act: a month not yet ended is refused beside the field, then October is run.
    b.click(&b.by_text("a", "Fakturering").await).await;
    b.wait_for_text("Kör fakturering").await;
    b.assert_accessible("the invoicing page").await;
    let month = b.labelled("Månad").await;
    b.set_value(&month, "2026-11").await;
    b.click(&b.by_text("button", "Fakturera månaden").await).await;
    b.wait_for_text("Månaden är inte slut ännu").await;
    let field = b.find("#run-month").await;
    assert_eq!(b.attribute(&field, "aria-invalid").await.as_deref(), Some("true"));
    b.assert_accessible("the invoicing page with an error").await;
    b.set_value(&b.find("#run-month").await, "2026-10").await;
    b.click(&b.by_text("button", "Preliminär körning (sparar ingenting)").await).await;
    b.wait_for_text("Klar: preliminär körning, ingenting är sparat.").await;
    let text = b.page_text().await;
    assert!(text.contains("Preliminär fakturakörning 2026-10"), "{text}");
    assert!(text.contains("Per huvudman") && text.contains("Per kundnummer"), "{text}");
    assert!(text.contains("300001"), "{text}");
    b.assert_accessible("a preliminary run's result").await;
    b.click(&b.by_text("a", "Till fakturorna").await).await;
    b.wait_for_text("Inga fakturor.").await;
    b.set_value(&b.find("#run-month").await, "2026-10").await;
    b.click(&b.by_text("button", "Fakturera månaden").await).await;
    // The run's page: its status (polled by htmx while it runs), then the result.
    b.wait_for_text("Klar: fakturorna är skapade.").await;
    assert!(b.current_url().await.contains("/billing/runs/"), "the run's own page");
    let status = b.find("#run-status [role=status]").await;
    assert_eq!(b.text(&status).await, "Klar: fakturorna är skapade.");
    b.assert_accessible("a final run's result").await;
    b.click(&b.by_text("a", "Visa månadens fakturor").await).await;
    b.wait_for_text("2026000002").await;
    b.assert_accessible("the invoices of October").await;
    b.click(&b.by_text("a", "2026000002").await).await;
    b.wait_for_text("Fakturarader med beräkning").await;

    // Assert: the line's computation is shown, and the credit note refers back.
    let text = b.page_text().await.replace('\u{a0}', " ");
    assert!(text.contains("12 av 31 dagar × 450,00 kr = 174,19 kr"), "{text}");
    assert!(text.contains("300001 Hemtjänst Lidingö"), "{text}");
    // Issue 19: the invoice links its PEPPOL BIS 3 XML beside the CSV.
    let xml = b.by_text("a", "Ladda ner e-fakturan (PEPPOL BIS Billing 3, XML)").await;
    assert_eq!(b.attribute(&xml, "href").await.as_deref(), Some("/api/v1/invoices/2026000002.xml"));
    let xlsx = b.by_text("a", "Ladda ner fakturaspecifikationen (XLSX)").await;
    assert_eq!(b.attribute(&xlsx, "href").await.as_deref(), Some("/api/v1/invoices/2026000002.xlsx"));
    let xml = download(&b, "/api/v1/invoices/2026000002.xml").await;
    assert!(xml.starts_with("200 application/xml"), "{xml}");
    assert!(xml.contains("<Invoice") && xml.contains("2026000002"), "{xml}");
    let xlsx = download(&b, "/api/v1/invoices/2026000002.xlsx").await;
    assert!(xlsx.starts_with("200 application/vnd.openxmlformats-officedocument.spreadsheetml.sheet PK"), "{xlsx}");
    b.assert_accessible("an invoice").await;
    b.type_into(&b.labelled("Orsak").await, "Fel leveransdatum").await;
    b.click(&b.by_text("button", "Skapa kreditfaktura").await).await;
    b.wait_for_text("Kreditfaktura 2026000003").await;
    let text = b.page_text().await.replace('\u{a0}', " ");
    assert!(text.contains("Krediterar"), "{text}");
    assert!(text.contains("\u{2212}174,19 kr"), "{text}");
    b.assert_accessible("a credit note").await;
    b.quit().await;
}

/// Fetches a link as the browser would with its session: status, content
/// type and the start of the body.
async fn download(b: &Browser, href: &str) -> String {
    let script = "var x = new XMLHttpRequest(); x.open('GET', arguments[0], false); \
        x.overrideMimeType('text/plain; charset=x-user-defined'); x.send(); \
        return x.status + ' ' + x.getResponseHeader('content-type') + ' ' + x.responseText.slice(0, 2000);";
    b.execute(script, serde_json::json!([href])).await.as_str().unwrap_or_default().to_string()
}

/// Who each principal is on an invoice, so the PEPPOL export has a buyer.
async fn give_every_principal_invoice_party_data(app: &TestApp) {
    let mut principals: Vec<i64> = app.storage.accounts().await.unwrap().iter().map(|a| a.principal_id).collect();
    principals.sort_unstable();
    principals.dedup();
    let rows: Vec<ramp_storage::PrincipalBilling> = principals
        .into_iter()
        .map(|principal_id| ramp_storage::PrincipalBilling {
            principal_id,
            organisation_number: "2120000142".into(),
            vat_number: "SE212000014201".into(),
            street: "Box 1".into(),
            postal_code: "18100".into(),
            city: "Lidingö".into(),
            peppol_id: Some("0007:2120000142".into()),
            invoice_email: None,
        })
        .collect();
    app.storage.set_principal_billing(&rows).await.unwrap();
}

ramp_testkit::on_both_engines!(finance_staff_run_a_month_read_an_invoice_and_credit_it_in_the_browser);
