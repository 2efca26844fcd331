//! The document's figures in öre: the VAT breakdown per category and the
//! monetary totals, each a sum of figures that are themselves written, so
//! every totals rule of EN 16931 holds to the öre.

use super::{EInvoice, EInvoiceError, VatCategory};

/// The standard Swedish VAT rate, in percent.
pub(super) const STANDARD_RATE_PERCENT: i64 = 25;

/// A VAT category as written in UBL: code S at 25 %, or code E at 0 %.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Category {
    Standard,
    /// The exemption reasons of the exempt lines, distinct, in line order.
    Exempt {
        reason: String,
    },
}

/// One VAT breakdown (BG-23).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Subtotal {
    pub category: Category,
    pub taxable_ore: i64,
    pub tax_ore: i64,
}

/// Sum of lines (BT-106), the breakdowns, total VAT (BT-110) and the amount
/// due (BT-112 = BT-115: no allowances, charges or prepayments).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Totals {
    pub line_extension_ore: i64,
    pub subtotals: Vec<Subtotal>,
    pub tax_ore: i64,
    pub payable_ore: i64,
}

impl Totals {
    /// The figures of a checked document; an error only if they overflow.
    pub(super) fn of(doc: &EInvoice) -> Result<Self, EInvoiceError> {
        let too_large = || EInvoiceError::new("lines", "too_large", "the amounts are too large to add up");
        let mut standard: Option<i64> = None;
        let mut exempt: Option<(i64, Vec<&str>)> = None;
        let mut line_extension_ore: i64 = 0;
        for l in &doc.lines {
            line_extension_ore = line_extension_ore.checked_add(l.line_amount_ore).ok_or_else(too_large)?;
            match &l.vat {
                VatCategory::Standard25 => {
                    let sum = standard.get_or_insert(0);
                    *sum = sum.checked_add(l.line_amount_ore).ok_or_else(too_large)?;
                }
                VatCategory::Exempt { reason } => {
                    let (sum, reasons) = exempt.get_or_insert((0, Vec::new()));
                    *sum = sum.checked_add(l.line_amount_ore).ok_or_else(too_large)?;
                    if !reasons.contains(&reason.trim()) {
                        reasons.push(reason.trim());
                    }
                }
            }
        }
        let mut subtotals = Vec::new();
        if let Some(taxable_ore) = standard {
            let tax_ore = vat_of(taxable_ore, STANDARD_RATE_PERCENT).ok_or_else(too_large)?;
            subtotals.push(Subtotal { category: Category::Standard, taxable_ore, tax_ore });
        }
        if let Some((taxable_ore, reasons)) = exempt {
            let category = Category::Exempt { reason: reasons.join("; ") };
            subtotals.push(Subtotal { category, taxable_ore, tax_ore: 0 });
        }
        let tax_ore = subtotals.iter().map(|s| s.tax_ore).sum::<i64>();
        let payable_ore = line_extension_ore.checked_add(tax_ore).ok_or_else(too_large)?;
        Ok(Self { line_extension_ore, subtotals, tax_ore, payable_ore })
    }
}

/// `taxable × percent / 100`, rounded to whole öre half away from zero
/// (BR-CO-17 / BR-S-09: the category's VAT is its taxable amount times the
/// rate, rounded to two decimals).
pub(super) fn vat_of(taxable_ore: i64, percent: i64) -> Option<i64> {
    let scaled = i128::from(taxable_ore) * i128::from(percent);
    let half = if scaled < 0 { -50 } else { 50 };
    i64::try_from((scaled + half) / 100).ok()
}

/// Öre as SEK with exactly two decimals: 123456 → "1234.56", -5 → "-0.05".
pub(super) fn sek(ore: i64) -> String {
    let sign = if ore < 0 { "-" } else { "" };
    let abs = ore.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}
