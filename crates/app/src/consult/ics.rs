//! A booking as an iCalendar entry (RFC 5545), written by hand: one
//! VCALENDAR with one VEVENT, times in UTC, text escaped (§3.3.11), lines
//! ended by CRLF and folded at 75 octets without splitting a UTF-8
//! character (§3.1).

use chrono::{DateTime, Utc};

/// What one calendar entry says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IcsEvent {
    /// Globally unique and stable for the booking (a cancellation reuses it).
    pub uid: String,
    /// When the booking (or its cancellation) was recorded.
    pub stamp: DateTime<Utc>,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub summary: String,
    pub location: String,
    pub description: String,
    /// A cancelled booking: `STATUS:CANCELLED` with a higher `SEQUENCE`.
    pub cancelled: bool,
}

/// The media type of the document [`calendar`] writes.
pub const CONTENT_TYPE: &str = "text/calendar; charset=utf-8";

fn utc(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

/// Escapes a TEXT value: backslash, semicolon, comma and newlines.
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds one content line: at most 75 octets per physical line, the
/// continuation lines starting with a space; ends it with CRLF.
pub fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

/// The whole `text/calendar` document for one event.
pub fn calendar(e: &IcsEvent) -> String {
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".to_string(),
        "PRODID:-//Ramp//Konsultationsbokning//SV".to_string(),
        "CALSCALE:GREGORIAN".to_string(),
        format!("METHOD:{}", if e.cancelled { "CANCEL" } else { "PUBLISH" }),
        "BEGIN:VEVENT".to_string(),
        format!("UID:{}", escape_text(&e.uid)),
        format!("DTSTAMP:{}", utc(e.stamp)),
        format!("DTSTART:{}", utc(e.start)),
        format!("DTEND:{}", utc(e.end)),
        format!("SUMMARY:{}", escape_text(&e.summary)),
        format!("LOCATION:{}", escape_text(&e.location)),
        format!("DESCRIPTION:{}", escape_text(&e.description)),
        format!("STATUS:{}", if e.cancelled { "CANCELLED" } else { "CONFIRMED" }),
        format!("SEQUENCE:{}", u8::from(e.cancelled)),
        "END:VEVENT".to_string(),
        "END:VCALENDAR".to_string(),
    ];
    let mut out = String::new();
    for line in lines.drain(..) {
        fold(&line, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn event() -> IcsEvent {
        IcsEvent {
            uid: "consultation-booking-7@ramp".into(),
            stamp: Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap(),
            start: Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0).unwrap(),
            end: Utc.with_ymd_and_hms(2026, 11, 24, 9, 45, 0).unwrap(),
            summary: "Förväntningssamtal, konsultation 7".into(),
            location: "Hjälpmedelscentralen Solna; rum 3".into(),
            description: "Konsulent: Karl Konsulent\nFörskrivare: Anna Arbetsterapeut".into(),
            cancelled: false,
        }
    }

    #[test]
    fn a_booking_is_one_vevent_in_utc_with_crlf_line_endings() {
        let ics = calendar(&event());
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:"));
        assert!(ics.ends_with("END:VEVENT\r\nEND:VCALENDAR\r\n"));
        for expected in [
            "\r\nUID:consultation-booking-7@ramp\r\n",
            "\r\nDTSTAMP:20261123T090000Z\r\n",
            "\r\nDTSTART:20261124T090000Z\r\n",
            "\r\nDTEND:20261124T094500Z\r\n",
            "\r\nSUMMARY:Förväntningssamtal\\, konsultation 7\r\n",
            "\r\nLOCATION:Hjälpmedelscentralen Solna\\; rum 3\r\n",
            "\r\nSTATUS:CONFIRMED\r\n",
        ] {
            assert!(ics.contains(expected), "missing {expected:?} in\n{ics}");
        }
        assert_eq!(ics.matches("BEGIN:VEVENT").count(), 1);
        assert!(!ics.replace("\r\n", "").contains('\n'), "no bare LF");
        assert!(!ics.replace("\r\n", "").contains('\r'), "no bare CR");
    }

    #[test]
    fn long_lines_are_folded_at_75_octets_without_splitting_a_character() {
        let mut e = event();
        e.description = "Åäö ".repeat(40);
        let ics = calendar(&e);
        for line in ics.split("\r\n") {
            assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
        }
        let unfolded = ics.replace("\r\n ", "");
        assert!(unfolded.contains(&format!("DESCRIPTION:{}\r\n", "Åäö ".repeat(40))), "{unfolded}");
        assert!(ics.contains("\r\n "), "the description was folded");
    }

    #[test]
    fn a_cancelled_booking_says_so_with_a_higher_sequence() {
        let ics = calendar(&IcsEvent { cancelled: true, ..event() });
        assert!(ics.contains("\r\nMETHOD:CANCEL\r\n") && ics.contains("\r\nSTATUS:CANCELLED\r\n"));
        assert!(ics.contains("\r\nSEQUENCE:1\r\n"));
    }

    #[test]
    fn text_values_escape_backslashes_separators_and_newlines() {
        assert_eq!(escape_text("a\\b;c,d\r\ne"), "a\\\\b\\;c\\,d\\ne");
    }
}
