//! Just enough XML writing for one fixed document shape: nested elements,
//! escaped text and attribute values, two-space indentation.

/// Whether XML 1.0 can carry `c` at all (no escape exists for the others).
pub(crate) fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// `s` with the five markup characters replaced by entities; a carriage
/// return becomes a character reference so a parser does not fold it into a
/// line feed. The caller has checked every character with [`is_xml_char`].
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
    out
}

/// An XML document being written top-down.
pub(crate) struct Xml {
    out: String,
    open: Vec<&'static str>,
}

impl Xml {
    pub(crate) fn new() -> Self {
        Self { out: String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"), open: Vec::new() }
    }

    fn indent(&mut self) {
        for _ in 0..self.open.len() {
            self.out.push_str("  ");
        }
    }

    fn start_tag(&mut self, tag: &'static str, attrs: &[(&str, &str)]) {
        self.indent();
        self.out.push('<');
        self.out.push_str(tag);
        for (name, value) in attrs {
            self.out.push_str(&format!(" {name}=\"{}\"", escape(value)));
        }
        self.out.push('>');
    }

    /// Opens `tag`; the matching [`Xml::close`] ends it.
    pub(crate) fn open(&mut self, tag: &'static str, attrs: &[(&str, &str)]) {
        self.start_tag(tag, attrs);
        self.out.push('\n');
        self.open.push(tag);
    }

    /// Ends the innermost open element.
    pub(crate) fn close(&mut self) {
        let tag = self.open.pop().expect("close without open");
        self.indent();
        self.out.push_str(&format!("</{tag}>\n"));
    }

    /// `<tag attrs>text</tag>` on one line.
    pub(crate) fn leaf(&mut self, tag: &'static str, attrs: &[(&str, &str)], text: &str) {
        self.start_tag(tag, attrs);
        self.out.push_str(&escape(text));
        self.out.push_str(&format!("</{tag}>\n"));
    }

    pub(crate) fn finish(self) -> String {
        assert!(self.open.is_empty(), "unclosed elements: {:?}", self.open);
        self.out
    }
}
