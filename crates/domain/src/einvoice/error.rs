//! Why a document cannot be written, naming the field.

use crate::FieldError;
use std::fmt;

/// An input the PEPPOL rules would reject. `field` is the path in
/// [`super::EInvoice`] (e.g. `buyer_reference`, `lines[2].unit_price_ore`,
/// `seller.organisation_number`); `code` is stable and machine-readable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EInvoiceError {
    pub field: String,
    pub code: &'static str,
    pub message: String,
}

impl EInvoiceError {
    pub(crate) fn new(field: impl Into<String>, code: &'static str, message: impl Into<String>) -> Self {
        Self { field: field.into(), code, message: message.into() }
    }
}

impl fmt::Display for EInvoiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl std::error::Error for EInvoiceError {}

/// The web layer reports it like every other validation error.
impl From<EInvoiceError> for FieldError {
    fn from(e: EInvoiceError) -> Self {
        FieldError::new(e.field, e.code, e.message)
    }
}
