//! What a product page says about an article beyond its catalog row:
//! technical data under a fixed list of keys (so that equivalent articles
//! line up row by row in a comparison, and every key has a Swedish and an
//! English name), the handbook text, and the fixed list of reasons a
//! prescriber gives for declining a replacement proposal (counted in the
//! replacement-acceptance figure).

use crate::{FieldError, Term};
use serde::{Deserialize, Serialize};
use strum::{IntoStaticStr, VariantArray};

/// A technical property an article may state. The unit is part of the key,
/// so values are compared like with like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[derive(IntoStaticStr, VariantArray)]
#[strum(serialize_all = "snake_case")]
pub enum TechKey {
    MaxUserWeightKg,
    WidthCm,
    LengthCm,
    HeightCm,
    SeatWidthCm,
    SeatDepthCm,
    SeatHeightCm,
    HandleHeightCm,
    WeightKg,
    FoldedWidthCm,
    LiftCapacityKg,
    BatteryRangeKm,
    MaxSpeedKmh,
    Size,
    Material,
}

impl Term for TechKey {
    const FIELD: &'static str = "key";
    const CODE: &'static str = "unknown_technical_key";
    const NOUN: &'static str = "technical property";
}

impl TechKey {
    /// The Swedish name, as in the handbook.
    pub fn name_sv(self) -> &'static str {
        match self {
            TechKey::MaxUserWeightKg => "Max brukarvikt",
            TechKey::WidthCm => "Bredd",
            TechKey::LengthCm => "Längd",
            TechKey::HeightCm => "Höjd",
            TechKey::SeatWidthCm => "Sittbredd",
            TechKey::SeatDepthCm => "Sittdjup",
            TechKey::SeatHeightCm => "Sitthöjd",
            TechKey::HandleHeightCm => "Handtagshöjd",
            TechKey::WeightKg => "Vikt",
            TechKey::FoldedWidthCm => "Bredd hopfälld",
            TechKey::LiftCapacityKg => "Lyftkapacitet",
            TechKey::BatteryRangeKm => "Räckvidd per laddning",
            TechKey::MaxSpeedKmh => "Högsta hastighet",
            TechKey::Size => "Storlek",
            TechKey::Material => "Material",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            TechKey::MaxUserWeightKg => "Maximum user weight",
            TechKey::WidthCm => "Width",
            TechKey::LengthCm => "Length",
            TechKey::HeightCm => "Height",
            TechKey::SeatWidthCm => "Seat width",
            TechKey::SeatDepthCm => "Seat depth",
            TechKey::SeatHeightCm => "Seat height",
            TechKey::HandleHeightCm => "Handle height",
            TechKey::WeightKg => "Weight",
            TechKey::FoldedWidthCm => "Width folded",
            TechKey::LiftCapacityKg => "Lifting capacity",
            TechKey::BatteryRangeKm => "Range per charge",
            TechKey::MaxSpeedKmh => "Top speed",
            TechKey::Size => "Size",
            TechKey::Material => "Material",
        }
    }

    /// The unit the value is given in (shown after it), if any.
    pub fn unit(self) -> Option<&'static str> {
        match self {
            TechKey::MaxUserWeightKg | TechKey::WeightKg | TechKey::LiftCapacityKg => Some("kg"),
            TechKey::WidthCm
            | TechKey::LengthCm
            | TechKey::HeightCm
            | TechKey::SeatWidthCm
            | TechKey::SeatDepthCm
            | TechKey::SeatHeightCm
            | TechKey::HandleHeightCm
            | TechKey::FoldedWidthCm => Some("cm"),
            TechKey::BatteryRangeKm => Some("km"),
            TechKey::MaxSpeedKmh => Some("km/h"),
            TechKey::Size | TechKey::Material => None,
        }
    }
}

/// One row of technical data: a key and its value as the supplier states
/// it ("150", "48–58", "Aluminium"), without the unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TechRow {
    pub key: TechKey,
    pub value: String,
}

/// At most this many rows per article; a value is at most this long.
pub const MAX_TECH_ROWS: usize = 20;
pub const MAX_TECH_VALUE: usize = 60;
/// The handbook text is at most this many characters.
pub const MAX_HANDBOOK_TEXT: usize = 4000;

/// Checks technical data as written (key, value pairs): known keys, each
/// once, a value of 1 to 60 characters. Errors name the row
/// (`technical_data[2].key`). Rows keep the order given.
pub fn parse_technical_data(rows: &[(String, String)]) -> Result<Vec<TechRow>, FieldError> {
    if rows.len() > MAX_TECH_ROWS {
        return Err(FieldError::new(
            "technical_data",
            "too_many_rows",
            format!("at most {MAX_TECH_ROWS} rows of technical data"),
        ));
    }
    let mut out: Vec<TechRow> = Vec::with_capacity(rows.len());
    for (i, (key, value)) in rows.iter().enumerate() {
        let at = |f: &str| format!("technical_data[{i}].{f}");
        let key = TechKey::parse(key.trim()).map_err(|e| e.at(at("key")))?;
        if out.iter().any(|r| r.key == key) {
            return Err(FieldError::new(at("key"), "duplicate_key", "each technical property is given once"));
        }
        let value = value.trim();
        if value.is_empty() || value.chars().count() > MAX_TECH_VALUE {
            return Err(FieldError::new(at("value"), "invalid_value", "a value of 1 to 60 characters"));
        }
        out.push(TechRow { key, value: value.to_string() });
    }
    Ok(out)
}

/// Checks the handbook text: trimmed, empty means none, at most 4,000 characters.
pub fn parse_handbook_text(text: &str) -> Result<Option<String>, FieldError> {
    let t = text.trim();
    if t.chars().count() > MAX_HANDBOOK_TEXT {
        return Err(FieldError::new("handbook_text", "too_long", "the handbook text is at most 4,000 characters"));
    }
    Ok((!t.is_empty()).then(|| t.to_string()))
}

/// Why a prescriber declined a replacement proposal: a fixed list, so the
/// figure can count them (free text goes in the note).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[derive(IntoStaticStr, VariantArray)]
#[strum(serialize_all = "snake_case")]
pub enum DeclineReason {
    /// The patient's needs call for the article asked for.
    PatientNeeds,
    /// The proposed one does not fit the patient's size or weight.
    DoesNotFit,
    /// Accessories or adaptations in use do not fit the proposed one.
    AccessoriesDoNotFit,
    /// The patient has tried out the article asked for.
    TriedOut,
    /// The proposed one does not work where it is used.
    Environment,
    /// Another reason, written in the note.
    Other,
}

impl Term for DeclineReason {
    const FIELD: &'static str = "replacement_decline.reason";
    const CODE: &'static str = "invalid_decline_reason";
    const NOUN: &'static str = "decline reason";
}

impl DeclineReason {
    pub fn name_sv(self) -> &'static str {
        match self {
            DeclineReason::PatientNeeds => "Patientens behov kräver den begärda artikeln",
            DeclineReason::DoesNotFit => "Passar inte patientens mått eller vikt",
            DeclineReason::AccessoriesDoNotFit => "Tillbehör eller anpassningar passar inte",
            DeclineReason::TriedOut => "Patienten har provat ut den begärda artikeln",
            DeclineReason::Environment => "Fungerar inte i miljön där den ska användas",
            DeclineReason::Other => "Annat skäl (skriv i kommentaren)",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            DeclineReason::PatientNeeds => "The patient's needs call for the requested article",
            DeclineReason::DoesNotFit => "Does not fit the patient's size or weight",
            DeclineReason::AccessoriesDoNotFit => "Accessories or adaptations do not fit",
            DeclineReason::TriedOut => "The patient has tried out the requested article",
            DeclineReason::Environment => "Does not work where it is to be used",
            DeclineReason::Other => "Another reason (written in the note)",
        }
    }
}

/// A declined proposal's reason and optional note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplacementDecline {
    pub reason: DeclineReason,
    pub note: Option<String>,
}

/// The note is at most this many characters.
pub const MAX_DECLINE_NOTE: usize = 500;

impl ReplacementDecline {
    /// Checks a reason and note as given; "other" needs a note. Errors
    /// name `replacement_decline.reason` or `replacement_decline.note`.
    pub fn parse(reason: &str, note: Option<&str>) -> Result<ReplacementDecline, FieldError> {
        let reason = match reason.trim() {
            "" => return Err(FieldError::new(DeclineReason::FIELD, "required", "choose why the proposal is declined")),
            r => DeclineReason::parse(r)?,
        };
        let note = note.map(str::trim).filter(|n| !n.is_empty()).map(str::to_string);
        if note.as_ref().is_some_and(|n| n.chars().count() > MAX_DECLINE_NOTE) {
            return Err(FieldError::new("replacement_decline.note", "too_long", "the note is at most 500 characters"));
        }
        if reason == DeclineReason::Other && note.is_none() {
            return Err(FieldError::new("replacement_decline.note", "required", "write the other reason in the note"));
        }
        Ok(ReplacementDecline { reason, note })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn technical_data_keeps_known_keys_in_the_order_given() {
        let t = parse_technical_data(&rows(&[("seat_height_cm", " 48–58 "), ("max_user_weight_kg", "150")])).unwrap();
        assert_eq!(t[0], TechRow { key: TechKey::SeatHeightCm, value: "48–58".into() });
        assert_eq!(t[1].key.unit(), Some("kg"));
    }

    #[test]
    fn bad_technical_data_names_the_row_and_the_part() {
        let field = |p: &[(&str, &str)]| parse_technical_data(&rows(p)).unwrap_err().field;
        assert_eq!(field(&[("width_cm", "60"), ("colour", "red")]), "technical_data[1].key");
        assert_eq!(field(&[("width_cm", "60"), ("width_cm", "61")]), "technical_data[1].key");
        assert_eq!(field(&[("width_cm", "  ")]), "technical_data[0].value");
    }

    #[test]
    fn a_decline_reason_comes_from_the_fixed_list_and_other_needs_a_note() {
        let e = ReplacementDecline::parse("cheaper", None).unwrap_err();
        assert_eq!((e.field.as_str(), e.code), ("replacement_decline.reason", "invalid_decline_reason"));
        assert_eq!(ReplacementDecline::parse("other", Some(" ")).unwrap_err().field, "replacement_decline.note");
        let d = ReplacementDecline::parse("does_not_fit", Some(" för smal ")).unwrap();
        assert_eq!((d.reason, d.note.as_deref()), (DeclineReason::DoesNotFit, Some("för smal")));
    }

    #[test]
    fn every_key_and_reason_has_both_names() {
        assert!(TechKey::ALL.iter().all(|k| !k.name_sv().is_empty() && !k.name_en().is_empty()));
        assert!(DeclineReason::ALL.iter().all(|r| !r.name_sv().is_empty() && !r.name_en().is_empty()));
    }
}
