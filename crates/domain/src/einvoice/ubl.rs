//! The UBL 2.1 element tree of a checked document, in the element order the
//! UBL schemas prescribe (Invoice-2 / CreditNote-2), with the PEPPOL BIS
//! Billing 3 identifiers.

use super::totals::{sek, Category, Subtotal, Totals, STANDARD_RATE_PERCENT};
use super::xml::Xml;
use super::{DocumentKind, EInvoice, EInvoiceLine, Party, VatCategory};
use chrono::NaiveDate;

pub(super) const CUSTOMIZATION_ID: &str = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0";
pub(super) const PROFILE_ID: &str = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0";
const CURRENCY: &str = "SEK";
/// ISO 6523 ICD of the Swedish organisation number (Bolagsverket).
const SCHEME_SE_ORGNR: &str = "0007";
/// UNCL 4461: credit transfer (SE-R-012: domestic Swedish payments use 30).
const PAYMENT_CREDIT_TRANSFER: &str = "30";
const CAC: &str = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2";
const CBC: &str = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2";

/// The names that differ between an invoice and a credit note.
struct Shape {
    root: &'static str,
    namespace: &'static str,
    type_code_tag: &'static str,
    type_code: &'static str,
    line_tag: &'static str,
    quantity_tag: &'static str,
}

const INVOICE: Shape = Shape {
    root: "Invoice",
    namespace: "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    type_code_tag: "cbc:InvoiceTypeCode",
    type_code: "380",
    line_tag: "cac:InvoiceLine",
    quantity_tag: "cbc:InvoicedQuantity",
};

const CREDIT_NOTE: Shape = Shape {
    root: "CreditNote",
    namespace: "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
    type_code_tag: "cbc:CreditNoteTypeCode",
    type_code: "381",
    line_tag: "cac:CreditNoteLine",
    quantity_tag: "cbc:CreditedQuantity",
};

/// How the payee account is written: an IBAN as it is, a bankgiro number as
/// its digits with the branch `SE:BANKGIRO` (SE-R-008/009/011).
pub(super) enum Account {
    Iban(String),
    Bankgiro(String),
}

pub(super) fn account_kind(account: &str) -> Account {
    let compact: String = account.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    if compact.len() >= 2 && compact.as_bytes()[..2].iter().all(u8::is_ascii_alphabetic) {
        Account::Iban(compact.to_ascii_uppercase())
    } else {
        Account::Bankgiro(compact)
    }
}

pub(super) fn write(doc: &EInvoice, totals: &Totals) -> String {
    let shape = match doc.kind {
        DocumentKind::Invoice => &INVOICE,
        DocumentKind::CreditNote => &CREDIT_NOTE,
    };
    let mut x = Xml::new();
    x.open(shape.root, &[("xmlns", shape.namespace), ("xmlns:cac", CAC), ("xmlns:cbc", CBC)]);
    header(&mut x, doc, shape);
    party(&mut x, "cac:AccountingSupplierParty", &doc.seller);
    party(&mut x, "cac:AccountingCustomerParty", &doc.buyer);
    payment(&mut x, doc);
    tax_total(&mut x, totals);
    monetary_total(&mut x, totals);
    for l in &doc.lines {
        line(&mut x, l, shape);
    }
    x.close();
    x.finish()
}

fn date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn amount(x: &mut Xml, tag: &'static str, ore: i64) {
    x.leaf(tag, &[("currencyID", CURRENCY)], &sek(ore));
}

fn header(x: &mut Xml, doc: &EInvoice, shape: &Shape) {
    x.leaf("cbc:CustomizationID", &[], CUSTOMIZATION_ID);
    x.leaf("cbc:ProfileID", &[], PROFILE_ID);
    x.leaf("cbc:ID", &[], &doc.number);
    x.leaf("cbc:IssueDate", &[], &date(doc.issue_date));
    if doc.kind == DocumentKind::Invoice {
        // UBL 2.1 has no document-level due date on a credit note; there it
        // is the payment means' due date.
        x.leaf("cbc:DueDate", &[], &date(doc.due_date));
    }
    x.leaf(shape.type_code_tag, &[], shape.type_code);
    if let Some(note) = &doc.note {
        x.leaf("cbc:Note", &[], note);
    }
    x.leaf("cbc:DocumentCurrencyCode", &[], CURRENCY);
    x.leaf("cbc:BuyerReference", &[], &doc.buyer_reference);
    if let Some(p) = doc.invoice_period {
        period(x, p);
    }
    if let Some((number, issued)) = &doc.billing_reference {
        x.open("cac:BillingReference", &[]);
        x.open("cac:InvoiceDocumentReference", &[]);
        x.leaf("cbc:ID", &[], number);
        x.leaf("cbc:IssueDate", &[], &date(*issued));
        x.close();
        x.close();
    }
}

fn period(x: &mut Xml, (from, to): (NaiveDate, NaiveDate)) {
    x.open("cac:InvoicePeriod", &[]);
    x.leaf("cbc:StartDate", &[], &date(from));
    x.leaf("cbc:EndDate", &[], &date(to));
    x.close();
}

fn party(x: &mut Xml, role: &'static str, p: &Party) {
    x.open(role, &[]);
    x.open("cac:Party", &[]);
    x.leaf("cbc:EndpointID", &[("schemeID", SCHEME_SE_ORGNR)], &p.organisation_number);
    x.open("cac:PartyName", &[]);
    x.leaf("cbc:Name", &[], &p.name);
    x.close();
    x.open("cac:PostalAddress", &[]);
    x.leaf("cbc:StreetName", &[], &p.address.street);
    x.leaf("cbc:CityName", &[], &p.address.city);
    x.leaf("cbc:PostalZone", &[], &p.address.postal_code);
    x.open("cac:Country", &[]);
    x.leaf("cbc:IdentificationCode", &[], &p.address.country);
    x.close();
    x.close();
    if !p.vat_number.is_empty() {
        x.open("cac:PartyTaxScheme", &[]);
        x.leaf("cbc:CompanyID", &[], &p.vat_number);
        tax_scheme(x);
        x.close();
    }
    x.open("cac:PartyLegalEntity", &[]);
    x.leaf("cbc:RegistrationName", &[], &p.name);
    x.leaf("cbc:CompanyID", &[("schemeID", SCHEME_SE_ORGNR)], &p.organisation_number);
    x.close();
    if let Some(email) = &p.contact_email {
        x.open("cac:Contact", &[]);
        x.leaf("cbc:ElectronicMail", &[], email);
        x.close();
    }
    x.close();
    x.close();
}

fn tax_scheme(x: &mut Xml) {
    x.open("cac:TaxScheme", &[]);
    x.leaf("cbc:ID", &[], "VAT");
    x.close();
}

/// Credit transfer to the seller's account, and the due date in words: a
/// credit note can carry its due date only here (BR-CO-25).
fn payment(x: &mut Xml, doc: &EInvoice) {
    x.open("cac:PaymentMeans", &[]);
    x.leaf("cbc:PaymentMeansCode", &[], PAYMENT_CREDIT_TRANSFER);
    if doc.kind == DocumentKind::CreditNote {
        x.leaf("cbc:PaymentDueDate", &[], &date(doc.due_date));
    }
    if let Some(reference) = &doc.payment_reference {
        x.leaf("cbc:PaymentID", &[], reference);
    }
    x.open("cac:PayeeFinancialAccount", &[]);
    match account_kind(&doc.payment_account) {
        Account::Iban(iban) => x.leaf("cbc:ID", &[], &iban),
        Account::Bankgiro(digits) => {
            x.leaf("cbc:ID", &[], &digits);
            x.open("cac:FinancialInstitutionBranch", &[]);
            x.leaf("cbc:ID", &[], "SE:BANKGIRO");
            x.close();
        }
    }
    x.close();
    x.close();
    x.open("cac:PaymentTerms", &[]);
    x.leaf("cbc:Note", &[], &format!("Förfallodag {}", date(doc.due_date)));
    x.close();
}

fn tax_total(x: &mut Xml, totals: &Totals) {
    x.open("cac:TaxTotal", &[]);
    amount(x, "cbc:TaxAmount", totals.tax_ore);
    for s in &totals.subtotals {
        subtotal(x, s);
    }
    x.close();
}

fn subtotal(x: &mut Xml, s: &Subtotal) {
    x.open("cac:TaxSubtotal", &[]);
    amount(x, "cbc:TaxableAmount", s.taxable_ore);
    amount(x, "cbc:TaxAmount", s.tax_ore);
    x.open("cac:TaxCategory", &[]);
    match &s.category {
        Category::Standard => {
            x.leaf("cbc:ID", &[], "S");
            x.leaf("cbc:Percent", &[], &STANDARD_RATE_PERCENT.to_string());
        }
        Category::Exempt { reason } => {
            x.leaf("cbc:ID", &[], "E");
            x.leaf("cbc:Percent", &[], "0");
            x.leaf("cbc:TaxExemptionReason", &[], reason);
        }
    }
    tax_scheme(x);
    x.close();
    x.close();
}

fn monetary_total(x: &mut Xml, t: &Totals) {
    x.open("cac:LegalMonetaryTotal", &[]);
    amount(x, "cbc:LineExtensionAmount", t.line_extension_ore);
    amount(x, "cbc:TaxExclusiveAmount", t.line_extension_ore);
    amount(x, "cbc:TaxInclusiveAmount", t.payable_ore);
    amount(x, "cbc:PayableAmount", t.payable_ore);
    x.close();
}

fn line(x: &mut Xml, l: &EInvoiceLine, shape: &Shape) {
    x.open(shape.line_tag, &[]);
    x.leaf("cbc:ID", &[], &l.id);
    x.leaf(shape.quantity_tag, &[("unitCode", l.unit_code.as_str())], &l.quantity.to_string());
    amount(x, "cbc:LineExtensionAmount", l.line_amount_ore);
    if let Some(p) = l.period {
        period(x, p);
    }
    x.open("cac:Item", &[]);
    if let Some(description) = &l.description {
        x.leaf("cbc:Description", &[], description);
    }
    x.leaf("cbc:Name", &[], &l.name);
    if let Some(article) = &l.article_number {
        x.open("cac:SellersItemIdentification", &[]);
        x.leaf("cbc:ID", &[], article);
        x.close();
    }
    x.open("cac:ClassifiedTaxCategory", &[]);
    match &l.vat {
        VatCategory::Standard25 => {
            x.leaf("cbc:ID", &[], "S");
            x.leaf("cbc:Percent", &[], &STANDARD_RATE_PERCENT.to_string());
        }
        VatCategory::Exempt { .. } => {
            x.leaf("cbc:ID", &[], "E");
            x.leaf("cbc:Percent", &[], "0");
        }
    }
    tax_scheme(x);
    x.close();
    x.close();
    x.open("cac:Price", &[]);
    amount(x, "cbc:PriceAmount", l.unit_price_ore);
    x.close();
    x.close();
}
