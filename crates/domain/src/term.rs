//! Closed vocabularies: enums stored in the database and sent in JSON and
//! forms as their snake_case names.
//!
//! Each vocabulary derives its names with `strum` (`IntoStaticStr`,
//! `VariantArray`, `Display`) and implements [`Term`], which parses a name
//! back and reports an unknown one against the field the user sees.

use crate::FieldError;

/// A closed vocabulary stored and sent as its snake_case name.
pub trait Term: Copy + Eq + 'static + strum::VariantArray + Into<&'static str> {
    /// The field an unknown value is reported against.
    const FIELD: &'static str;
    /// The error code of an unknown value: `invalid_` and the field.
    const CODE: &'static str;
    /// What the error message calls the value: "unknown value 'x'".
    const NOUN: &'static str = "value";
    /// Every value, in declaration order.
    const ALL: &'static [Self] = Self::VARIANTS;

    /// The snake_case name used in the database, JSON and forms.
    fn as_str(self) -> &'static str {
        self.into()
    }

    /// Parses the snake_case name; the error names the field and lists the
    /// allowed values.
    fn parse(s: &str) -> Result<Self, FieldError> {
        Self::ALL.iter().copied().find(|v| v.as_str() == s).ok_or_else(|| {
            let expected: Vec<&str> = Self::ALL.iter().map(|v| v.as_str()).collect();
            let message = format!("unknown {} '{s}' (expected one of: {})", Self::NOUN, expected.join(", "));
            FieldError::new(Self::FIELD, Self::CODE, message)
        })
    }
}
