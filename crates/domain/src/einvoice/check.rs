//! The inputs the PEPPOL rules would reject, found before any XML is written.
//! Each check names the rule it anticipates.

use super::xml::is_xml_char;
use super::{Address, DocumentKind, EInvoice, EInvoiceError, EInvoiceLine, Party, VatCategory};
use chrono::NaiveDate;
use std::collections::HashSet;

type Checked = Result<(), EInvoiceError>;

/// Every field of `doc`, in document order, so the first error is the first
/// the reader meets.
pub(super) fn document(doc: &EInvoice) -> Checked {
    text("number", &doc.number)?;
    if doc.due_date < doc.issue_date {
        return Err(EInvoiceError::new("due_date", "before_issue_date", "the due date is before the issue date"));
    }
    optional_text("note", doc.note.as_deref())?;
    text("buyer_reference", &doc.buyer_reference)?;
    if let Some(period) = doc.invoice_period {
        ordered("invoice_period", period)?;
    }
    billing_reference(doc)?;
    party("seller", &doc.seller, true)?;
    party("buyer", &doc.buyer, false)?;
    payment_account(&doc.payment_account)?;
    optional_text("payment_reference", doc.payment_reference.as_deref())?;
    if doc.lines.is_empty() {
        return Err(EInvoiceError::new("lines", "required", "a document needs at least one line (BR-16)"));
    }
    let mut ids = HashSet::new();
    for (i, l) in doc.lines.iter().enumerate() {
        let at = format!("lines[{i}]");
        line(&at, l, doc)?;
        if !ids.insert(l.id.trim()) {
            return Err(EInvoiceError::new(format!("{at}.id"), "duplicate", "two lines have the same id"));
        }
    }
    Ok(())
}

/// A credit note names the invoice it corrects (BG-3), issued no later than itself.
fn billing_reference(doc: &EInvoice) -> Checked {
    match (&doc.billing_reference, doc.kind) {
        (None, DocumentKind::CreditNote) => Err(EInvoiceError::new(
            "billing_reference",
            "required",
            "a credit note must reference the invoice it credits",
        )),
        (None, DocumentKind::Invoice) => Ok(()),
        (Some((number, issued)), _) => {
            text("billing_reference", number)?;
            if *issued > doc.issue_date {
                return Err(EInvoiceError::new(
                    "billing_reference",
                    "after_issue_date",
                    "the referenced invoice is dated after this document",
                ));
            }
            Ok(())
        }
    }
}

fn party(at: &str, p: &Party, vat_required: bool) -> Checked {
    text(&format!("{at}.name"), &p.name)?;
    organisation_number(&format!("{at}.organisation_number"), &p.organisation_number)?;
    if vat_required || !p.vat_number.is_empty() {
        vat_number(&format!("{at}.vat_number"), &p.vat_number)?;
    }
    address(&format!("{at}.address"), &p.address)?;
    if let Some(email) = &p.contact_email {
        let field = format!("{at}.contact_email");
        text(&field, email)?;
        if !email.contains('@') || email.chars().any(char::is_whitespace) {
            return Err(EInvoiceError::new(field, "invalid", "not an e-mail address"));
        }
    }
    Ok(())
}

/// Ten digits with a valid Luhn check digit (PEPPOL-COMMON-R049, SE-R-003/004/013).
fn organisation_number(field: &str, nr: &str) -> Checked {
    if nr.len() != 10 || !nr.bytes().all(|b| b.is_ascii_digit()) {
        return Err(EInvoiceError::new(field, "invalid", "a Swedish organisation number is ten digits, no dash"));
    }
    if !luhn_valid(nr) {
        return Err(EInvoiceError::new(field, "check_digit", "the last digit of the organisation number is wrong"));
    }
    Ok(())
}

/// The Luhn check of a Swedish organisation number: from the left, every
/// other digit doubled (digit sums), the total a multiple of ten.
pub(super) fn luhn_valid(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 0 {
                let doubled = d * 2;
                doubled / 10 + doubled % 10
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// "SE" and twelve digits (SE-R-001, SE-R-002).
fn vat_number(field: &str, vat: &str) -> Checked {
    let ok = vat.len() == 14 && vat.starts_with("SE") && vat[2..].bytes().all(|b| b.is_ascii_digit());
    if !ok {
        return Err(EInvoiceError::new(field, "invalid", "a Swedish VAT number is SE and twelve digits"));
    }
    Ok(())
}

fn address(at: &str, a: &Address) -> Checked {
    text(&format!("{at}.street"), &a.street)?;
    text(&format!("{at}.city"), &a.city)?;
    text(&format!("{at}.postal_code"), &a.postal_code)?;
    if a.country.len() != 2 || !a.country.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(EInvoiceError::new(
            format!("{at}.country"),
            "invalid",
            "a country is two capital letters (ISO 3166)",
        ));
    }
    Ok(())
}

/// A bankgiro number (seven or eight digits, dash optional) or an IBAN.
fn payment_account(account: &str) -> Checked {
    const FIELD: &str = "payment_account";
    text(FIELD, account)?;
    let ok = match super::ubl::account_kind(account) {
        super::ubl::Account::Iban(iban) => {
            (15..=34).contains(&iban.len()) && iban.bytes().all(|b| b.is_ascii_alphanumeric())
        }
        super::ubl::Account::Bankgiro(digits) => {
            (7..=8).contains(&digits.len()) && account.chars().all(|c| c.is_ascii_digit() || c == '-' || c == ' ')
        }
    };
    if !ok {
        return Err(EInvoiceError::new(FIELD, "invalid", "neither a bankgiro number (7–8 digits) nor an IBAN"));
    }
    Ok(())
}

fn line(at: &str, l: &EInvoiceLine, doc: &EInvoice) -> Checked {
    text(&format!("{at}.id"), &l.id)?;
    text(&format!("{at}.name"), &l.name)?;
    optional_text(&format!("{at}.description"), l.description.as_deref())?;
    optional_text(&format!("{at}.article_number"), l.article_number.as_deref())?;
    let unit = &l.unit_code;
    if unit.is_empty() || unit.len() > 3 || !unit.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()) {
        return Err(EInvoiceError::new(
            format!("{at}.unit_code"),
            "invalid",
            "a unit is a UN/ECE rec. 20 code such as EA or MON",
        ));
    }
    if l.unit_price_ore < 0 {
        return Err(EInvoiceError::new(
            format!("{at}.unit_price_ore"),
            "negative",
            "a unit price is never negative (BR-27)",
        ));
    }
    if l.quantity.checked_mul(l.unit_price_ore) != Some(l.line_amount_ore) {
        return Err(EInvoiceError::new(
            format!("{at}.line_amount_ore"),
            "not_quantity_times_price",
            "the line amount must equal quantity × unit price (PEPPOL-EN16931-R120)",
        ));
    }
    if doc.kind == DocumentKind::CreditNote && l.line_amount_ore < 0 {
        return Err(EInvoiceError::new(
            format!("{at}.line_amount_ore"),
            "negative",
            "a credit note carries positive amounts; the document type makes them a credit",
        ));
    }
    if let Some(period) = l.period {
        line_period(&format!("{at}.period"), period, doc.invoice_period)?;
    }
    if let VatCategory::Exempt { reason } = &l.vat {
        text(&format!("{at}.vat.reason"), reason)?;
    }
    Ok(())
}

/// Ordered, and within the invoice period if there is one (BR-30, PEPPOL-EN16931-R110/R111).
fn line_period(field: &str, period: (NaiveDate, NaiveDate), within: Option<(NaiveDate, NaiveDate)>) -> Checked {
    ordered(field, period)?;
    if let Some((from, to)) = within {
        if period.0 < from || period.1 > to {
            return Err(EInvoiceError::new(
                field,
                "outside_invoice_period",
                "the line period is outside the invoice period",
            ));
        }
    }
    Ok(())
}

/// A period ends on or after the day it starts (BR-29, BR-30).
fn ordered(field: &str, (from, to): (NaiveDate, NaiveDate)) -> Checked {
    if to < from {
        return Err(EInvoiceError::new(field, "end_before_start", "the period ends before it starts"));
    }
    Ok(())
}

fn optional_text(field: &str, value: Option<&str>) -> Checked {
    value.map_or(Ok(()), |v| text(field, v))
}

/// Not blank (PEPPOL-EN16931-R008 forbids empty elements) and writable as XML.
fn text(field: &str, value: &str) -> Checked {
    if value.trim().is_empty() {
        return Err(EInvoiceError::new(field, "required", "must not be empty"));
    }
    if let Some(c) = value.chars().find(|c| !is_xml_char(*c)) {
        return Err(EInvoiceError::new(
            field,
            "invalid_character",
            format!("contains the character U+{:04X}, which XML cannot carry", u32::from(c)),
        ));
    }
    Ok(())
}
