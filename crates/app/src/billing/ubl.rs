//! An invoice or credit note as a PEPPOL BIS Billing 3 document: the stored
//! rows mapped into `ramp_domain::einvoice::EInvoice` and written as UBL 2.1.
//!
//! The seller is the assistive-device centre, run by the region (the first
//! region principal's invoice data). Lines are VAT exempt: the centre's rent
//! and charges for assistive devices are transfers between public principals
//! within health care (the reason is printed on the document). A credit
//! note's lines carry positive amounts in UBL (the document type says it is
//! a credit).

use super::{authorize, invoice, InvoiceDetail};
use crate::error::{AppError, Result};
use crate::App;
use chrono::NaiveDate;
use ramp_domain::einvoice::{to_ubl_xml, Address, DocumentKind, EInvoice, EInvoiceLine, Party, VatCategory};
use ramp_domain::figures::Month;
use ramp_model::{InvoiceLineRow, PrincipalBilling, User};

/// The bankgiro the centre is paid to (the demo's; an installation sets its own here).
pub const SELLER_BANKGIRO: &str = "5050-1055";

/// Why the lines carry no VAT, as printed on the document.
pub const VAT_EXEMPTION: &str =
    "Hjälpmedel inom hälso- och sjukvård, undantaget från skatteplikt (10 kap. 11 § mervärdesskattelagen)";

fn party(name: &str, b: &PrincipalBilling) -> Party {
    Party {
        name: name.to_string(),
        organisation_number: b.organisation_number.clone(),
        vat_number: b.vat_number.clone(),
        address: Address {
            street: b.street.clone(),
            city: b.city.clone(),
            postal_code: b.postal_code.clone(),
            country: "SE".into(),
        },
        contact_email: b.invoice_email.clone(),
    }
}

fn line(l: &InvoiceLineRow) -> EInvoiceLine {
    EInvoiceLine {
        id: l.line_no.to_string(),
        name: l.description.chars().take(200).collect(),
        description: Some(l.computation.clone()),
        article_number: None,
        quantity: l.quantity,
        unit_code: "EA".into(),
        unit_price_ore: l.unit_price_ore.abs(),
        line_amount_ore: l.amount_ore.abs(),
        period: l.period_from.zip(l.period_to),
        vat: VatCategory::Exempt { reason: VAT_EXEMPTION.into() },
    }
}

fn missing_party(what: &str) -> AppError {
    AppError::conflict("party_data_missing", format!("the {what} has no organisation number and address recorded"))
}

/// The seller: the region's invoice data under the centre's name.
async fn seller(app: &App) -> Result<Party> {
    let region = app
        .storage
        .principals()
        .await?
        .into_iter()
        .find(|p| p.kind == "region")
        .ok_or_else(|| missing_party("region"))?;
    let b = app.storage.principal_billing(region.id).await?.ok_or_else(|| missing_party("region"))?;
    Ok(party(&format!("Hjälpmedelscentralen, {}", region.name), &b))
}

fn month_period(month: &str) -> Option<(NaiveDate, NaiveDate)> {
    let m = Month::parse("month", month).ok()?;
    Some((m.first_day(), m.next().first_day().pred_opt()?))
}

/// The document for a stored invoice or credit note.
pub async fn einvoice_of(app: &App, user: &User, d: &InvoiceDetail) -> Result<EInvoice> {
    let inv = &d.invoice;
    let buyer = d.buyer.as_ref().ok_or_else(|| missing_party("buyer"))?;
    let billing_reference = match &inv.credited_number {
        Some(n) => Some((n.clone(), invoice(app, user, n).await?.invoice.issue_date)),
        None => None,
    };
    Ok(EInvoice {
        kind: if inv.kind == "credit_note" { DocumentKind::CreditNote } else { DocumentKind::Invoice },
        number: inv.number.clone(),
        issue_date: inv.issue_date,
        due_date: inv.due_date,
        buyer_reference: inv.customer_number.clone(),
        billing_reference,
        invoice_period: month_period(&inv.month),
        seller: seller(app).await?,
        buyer: party(&inv.principal_name, buyer),
        payment_account: SELLER_BANKGIRO.into(),
        payment_reference: Some(inv.number.clone()),
        note: inv.reason.clone(),
        lines: d.lines.iter().map(line).collect(),
    })
}

/// Invoice `number` as PEPPOL BIS Billing 3 UBL 2.1 XML.
pub async fn invoice_ubl(app: &App, user: &User, number: &str) -> Result<String> {
    authorize(user)?;
    let d = invoice(app, user, number).await?;
    let doc = einvoice_of(app, user, &d).await?;
    to_ubl_xml(&doc).map_err(|e| AppError::conflict(e.code, e.message).with_field(e.field))
}
