//! "Fakturering" in real Chromium (issue 6): the finance user runs a
//! month, finds the customer number's invoice, reads its lines with their
//! computations and credits it. axe-core on every page.

use super::billing::{d, lend, setup_with, BED};
use ramp_testkit::browser::{Browser, ENTER};
use ramp_testkit::TestApp;

async fn finance_staff_run_a_month_read_an_invoice_and_credit_it_in_the_browser(app: TestApp) {
    // Arrange: a bed at 450 kr a month delivered on 20 October 2026 on Lidingö's customer number.
    let hash = ramp_app::auth::hash_password(ramp_storage::fixture::PASSWORD).unwrap();
    setup_with(&app, Some(hash)).await;
    lend(&app, 500, BED, 1_200_000, d(2026, 1, 1), d(2026, 10, 20)).await;
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
    b.click(&b.by_text("button", "Fakturera månaden").await).await;
    b.wait_for_text("Skapade fakturor: 2").await;
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

ramp_testkit::on_both_engines!(finance_staff_run_a_month_read_an_invoice_and_credit_it_in_the_browser);
