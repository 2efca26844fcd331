//! Invoices and credit notes as PEPPOL BIS Billing 3 documents (UBL 2.1 XML),
//! the format Swedish public-sector buyers must accept (lag 2018:1277 om
//! elektroniska fakturor till följd av offentlig upphandling).
//!
//! The billing use-cases map a stored invoice into an [`EInvoice`] and call
//! [`to_ubl_xml`]. Everything the official schematron rules (EN 16931 "BR-*"
//! and PEPPOL "PEPPOL-EN16931-R*", "SE-R-*") would reject for data reasons is
//! checked first and reported as an [`EInvoiceError`] naming the field, so a
//! document that comes out is one a buyer's access point accepts. The XML is
//! written by hand (no XML dependency): the document shape is fixed, and
//! [`xml`] escapes every text and attribute.
//!
//! Amounts are integer öre and become two-decimal SEK only when written; the
//! VAT of a category is its taxable amount × rate rounded half up to whole
//! öre, and every total is a sum of the written figures, so the totals rules
//! (BR-CO-10..17) hold exactly.

mod check;
mod error;
mod totals;
mod ubl;
mod xml;

#[cfg(test)]
mod tests;

pub use error::EInvoiceError;

use chrono::NaiveDate;

/// An invoice (UBL `Invoice`, type code 380) or a credit note (UBL
/// `CreditNote`, type code 381) that corrects an earlier invoice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocumentKind {
    Invoice,
    CreditNote,
}

/// A postal address; `country` is the ISO 3166-1 alpha-2 code ("SE").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    pub street: String,
    pub city: String,
    pub postal_code: String,
    pub country: String,
}

/// Seller or buyer. The organisation number is both the legal entity id and
/// the PEPPOL electronic address (scheme 0007, Swedish organisation number).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Party {
    pub name: String,
    /// Ten digits without a dash, e.g. "2321000131"; the last is a Luhn check digit.
    pub organisation_number: String,
    /// "SE" + twelve digits, e.g. "SE232100013101". Required of the seller;
    /// an empty buyer VAT number is left out of the document.
    pub vat_number: String,
    pub address: Address,
    pub contact_email: Option<String>,
}

/// The VAT of a line: standard 25 %, or exempt with the reason the buyer
/// sees (e.g. the paragraph of the VAT act). Exempt lines of one document
/// share one VAT breakdown (BR-E-01), whose reason lists their distinct reasons.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VatCategory {
    Standard25,
    Exempt { reason: String },
}

/// One invoice line. `line_amount_ore` must equal `quantity × unit_price_ore`
/// (PEPPOL-EN16931-R120); the unit price is never negative (BR-27), and a
/// credit note's lines carry positive amounts (the document type says it is a
/// credit).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EInvoiceLine {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub article_number: Option<String>,
    pub quantity: i64,
    /// UN/ECE recommendation 20: "EA" piece, "MON" month.
    pub unit_code: String,
    pub unit_price_ore: i64,
    pub line_amount_ore: i64,
    /// First and last day the line covers (rent), within the invoice period.
    pub period: Option<(NaiveDate, NaiveDate)>,
    pub vat: VatCategory,
}

/// The whole document, in SEK.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EInvoice {
    pub kind: DocumentKind,
    pub number: String,
    pub issue_date: NaiveDate,
    pub due_date: NaiveDate,
    /// The customer number (kundnummer); PEPPOL requires a buyer reference.
    pub buyer_reference: String,
    /// The credited invoice's number and issue date; required on a credit note.
    pub billing_reference: Option<(String, NaiveDate)>,
    pub invoice_period: Option<(NaiveDate, NaiveDate)>,
    pub seller: Party,
    pub buyer: Party,
    /// Bankgiro ("5050-1055") or IBAN ("SE45 5000 0000 0583 9825 7466").
    pub payment_account: String,
    /// The OCR number the payer quotes.
    pub payment_reference: Option<String>,
    pub note: Option<String>,
    pub lines: Vec<EInvoiceLine>,
}

/// The document as PEPPOL BIS Billing 3 UBL 2.1 XML (UTF-8), or the first
/// field that would make it invalid.
pub fn to_ubl_xml(doc: &EInvoice) -> Result<String, EInvoiceError> {
    check::document(doc)?;
    let totals = totals::Totals::of(doc)?;
    Ok(ubl::write(doc, &totals))
}
