//! The workshop's rules that need no storage: the structured adaptation
//! document and its canonical text (what the prescriber signs, hashed),
//! and what an uploaded attachment really is (by its first bytes).

use serde::{Deserialize, Serialize};

/// The fields of a special adaptation's document ("anpassningsdokument").
/// The signed text is made from them ([`AdaptationFields::text`]), so the
/// hash the prescriber signs covers every field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdaptationFields {
    /// The patient's need the adaptation answers (no identity, only the need).
    pub patient_need: String,
    /// Measurements taken (seat width, heights, lengths).
    pub measurements: String,
    /// What was changed on the device.
    pub changes_made: String,
    /// Materials and parts used.
    pub materials: String,
    /// The functional risk assessment and the measures against each risk.
    pub risk_assessment: String,
    /// When the adaptation is followed up (ISO date), if planned.
    pub follow_up_on: Option<chrono::NaiveDate>,
}

/// Each field's name, Swedish label and whether it must be filled in.
pub const ADAPTATION_FIELDS: &[(&str, &str, bool)] = &[
    ("patient_need", "Patientens behov", true),
    ("measurements", "Mått", false),
    ("changes_made", "Utförda ändringar", true),
    ("materials", "Material", false),
    ("risk_assessment", "Riskbedömning", true),
];

/// The longest text a field holds.
pub const FIELD_MAX_CHARS: usize = 10_000;

impl AdaptationFields {
    /// The value of a text field by name.
    pub fn get(&self, name: &str) -> &str {
        match name {
            "patient_need" => &self.patient_need,
            "measurements" => &self.measurements,
            "changes_made" => &self.changes_made,
            "materials" => &self.materials,
            "risk_assessment" => &self.risk_assessment,
            _ => "",
        }
    }

    /// The first field that is missing or too long: (name, why).
    pub fn invalid(&self) -> Option<(&'static str, &'static str)> {
        ADAPTATION_FIELDS.iter().find_map(|(name, _, required)| {
            let v = self.get(name).trim();
            if *required && v.chars().count() < 3 {
                Some((*name, "required"))
            } else if v.chars().count() > FIELD_MAX_CHARS {
                Some((*name, "too_long"))
            } else {
                None
            }
        })
    }

    /// The canonical text: each filled field under its Swedish label, in a
    /// fixed order; the follow-up date last. The same fields always give
    /// the same text, so the same hash.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for (name, label, _) in ADAPTATION_FIELDS {
            let v = self.get(name).trim();
            if !v.is_empty() {
                out.push_str(&format!("{label}:\n{v}\n\n"));
            }
        }
        if let Some(d) = self.follow_up_on {
            out.push_str(&format!("Uppföljning: {d}\n"));
        }
        out.trim_end().to_string()
    }
}

/// The attachment types a work order takes, told by their first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttachmentType {
    Jpeg,
    Png,
    Pdf,
}

/// The largest attachment (10 MiB).
pub const ATTACHMENT_MAX_BYTES: usize = 10 * 1024 * 1024;

impl AttachmentType {
    /// The type the content is, by its magic bytes; `None` for anything
    /// else, whatever its name says.
    pub fn sniff(content: &[u8]) -> Option<AttachmentType> {
        if content.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(AttachmentType::Jpeg)
        } else if content.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(AttachmentType::Png)
        } else if content.starts_with(b"%PDF-") {
            Some(AttachmentType::Pdf)
        } else {
            None
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            AttachmentType::Jpeg => "image/jpeg",
            AttachmentType::Png => "image/png",
            AttachmentType::Pdf => "application/pdf",
        }
    }

    fn extension(self) -> &'static str {
        match self {
            AttachmentType::Jpeg => "jpg",
            AttachmentType::Png => "png",
            AttachmentType::Pdf => "pdf",
        }
    }
}

/// A safe file name: the last path segment, only letters, digits, `-`,
/// `_` and `.` kept (others become `_`), no leading dot, at most 100
/// characters, and the extension the content's type has.
pub fn sanitize_filename(name: &str, kind: AttachmentType) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or("");
    let stem = last.rsplit_once('.').map_or(last, |(s, _)| s);
    let mut clean: String =
        stem.chars().map(|c| if c.is_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).take(90).collect();
    clean = clean.trim_matches('_').to_string();
    if clean.is_empty() {
        clean = "bilaga".into();
    }
    format!("{clean}.{}", kind.extension())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_canonical_text_names_each_filled_field_in_order() {
        let f = AdaptationFields {
            patient_need: "Sitter snett".into(),
            changes_made: "Bålstöd monterat".into(),
            risk_assessment: "Ingen ny risk".into(),
            follow_up_on: chrono::NaiveDate::from_ymd_opt(2027, 1, 15),
            ..Default::default()
        };
        assert_eq!(
            f.text(),
            "Patientens behov:\nSitter snett\n\nUtförda ändringar:\nBålstöd monterat\n\nRiskbedömning:\nIngen ny risk\n\nUppföljning: 2027-01-15"
        );
        assert_eq!(f.invalid(), None);
        let empty = AdaptationFields::default();
        assert_eq!(empty.invalid(), Some(("patient_need", "required")));
    }

    #[test]
    fn an_attachment_is_told_by_its_bytes_not_its_name() {
        assert_eq!(AttachmentType::sniff(b"%PDF-1.7 ..."), Some(AttachmentType::Pdf));
        assert_eq!(AttachmentType::sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some(AttachmentType::Jpeg));
        assert_eq!(AttachmentType::sniff(b"<html>"), None);
        assert_eq!(sanitize_filename("../../etc/pass wd.exe", AttachmentType::Png), "pass_wd.png");
        assert_eq!(sanitize_filename("C:\\bilder\\hjul ÅÄÖ.JPG", AttachmentType::Jpeg), "hjul_ÅÄÖ.jpg");
        assert_eq!(sanitize_filename(".htaccess", AttachmentType::Pdf), "bilaga.pdf");
    }
}
