//! Catalog import (issue 20, M1 "Import of a national catalog export"):
//! which file layout a header is, and what one row says — with every
//! error named by its row and column, as a spreadsheet shows them (row 1 is
//! the header, columns count from 1), so that whoever prepared the file
//! can find and fix each one.
//!
//! Two layouts: the national article export as Inera's
//! Hjälpmedelstjänsten publishes it (Swedish headers; see
//! [`columns::INERA`] and docs/CATALOG_IMPORT.md for the mapping) and a
//! plain CSV with Ramp's own English column names ([`columns::PLAIN`]).
//! What is decided here is pure; reading files and comparing with the
//! catalog are `ramp_app::catalog_import`'s.

pub mod columns;
mod row;

pub use columns::{Columns, Field, Layout};
pub use row::{parse_row, Duplicates, ImportedArticle};

use serde::Serialize;

/// One thing wrong with the file, where a person finds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowError {
    /// The spreadsheet row: 1 is the header, the first article is 2.
    pub row: usize,
    /// The spreadsheet column from 1; 0 when the error is the whole row's.
    pub column: usize,
    /// The column's header as in the file (or the one that is missing).
    pub column_name: String,
    pub code: &'static str,
    pub message: String,
}

impl RowError {
    pub fn new(row: usize, column: usize, column_name: &str, code: &'static str, message: impl Into<String>) -> Self {
        RowError { row, column, column_name: column_name.to_string(), code, message: message.into() }
    }
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.column == 0 {
            write!(f, "row {}: {} ({})", self.row, self.message, self.code)
        } else {
            write!(
                f,
                "row {}, column {} ({}): {} ({})",
                self.row, self.column, self.column_name, self.message, self.code
            )
        }
    }
}

/// The 12 classes of ISO 9999:2022. A code whose class is not one of them
/// is no assistive-product code; the subclasses and divisions under each
/// are a licensed list Ramp does not ship, so they are checked for form.
pub const ISO_9999_CLASSES: [&str; 12] = ["04", "05", "06", "09", "12", "15", "18", "22", "24", "27", "28", "30"];

#[cfg(test)]
mod tests;
