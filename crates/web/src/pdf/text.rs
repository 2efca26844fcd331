//! A flowing text document (headings, labelled fields, paragraphs) on A4
//! pages: lines wrap at a width estimated from Helvetica's average glyph
//! width and a new page starts when one is full (the adaptation document;
//! forms placed by position are another writer's). And
//! [`text_of`], which reads the text of such a PDF back for tests.

use super::{assemble, show, PAGE_HEIGHT, PAGE_WIDTH};
use pdf_writer::Content;

const MARGIN: f32 = 56.0;

/// One line to print: its text, size in points and weight.
struct Line {
    text: String,
    size: f32,
    bold: bool,
}

/// A document being written: headings and paragraphs, laid out top down.
#[derive(Default)]
pub struct TextDocument {
    lines: Vec<Line>,
    title: String,
}

impl TextDocument {
    /// A document with `title` in its metadata.
    pub fn new(title: &str) -> TextDocument {
        TextDocument { lines: vec![], title: title.into() }
    }

    /// A heading (bold, `size` points).
    pub fn heading(&mut self, text: &str, size: f32) -> &mut Self {
        self.push(text, size, true)
    }

    /// A paragraph of regular 10-point text; its own line breaks are kept.
    pub fn paragraph(&mut self, text: &str) -> &mut Self {
        for part in text.lines() {
            self.push(part, 10.0, false);
        }
        self
    }

    /// A label in bold followed by its value on the lines below.
    pub fn field(&mut self, label: &str, value: &str) -> &mut Self {
        self.push(label, 10.0, true);
        self.paragraph(if value.trim().is_empty() { "–" } else { value });
        self.blank()
    }

    /// An empty line.
    pub fn blank(&mut self) -> &mut Self {
        self.lines.push(Line { text: String::new(), size: 6.0, bold: false });
        self
    }

    fn push(&mut self, text: &str, size: f32, bold: bool) -> &mut Self {
        for l in wrap(text, max_chars(size)) {
            self.lines.push(Line { text: l, size, bold });
        }
        self
    }

    /// The finished PDF file.
    pub fn to_pdf(&self) -> Vec<u8> {
        let pages = self.paginate();
        let of = pages.len();
        let streams = pages.iter().enumerate().map(|(i, lines)| page_content(lines, i + 1, of)).collect();
        assemble(&self.title, streams)
    }

    /// The lines split into pages by their heights.
    fn paginate(&self) -> Vec<Vec<&Line>> {
        let mut pages = vec![vec![]];
        let mut y = PAGE_HEIGHT - MARGIN;
        for l in &self.lines {
            let h = l.size * 1.4;
            if y - h < MARGIN + 20.0 {
                pages.push(vec![]);
                y = PAGE_HEIGHT - MARGIN;
            }
            y -= h;
            pages.last_mut().expect("a page").push(l);
        }
        pages
    }
}

/// One page's content stream: its lines from the top, and "Sida n av m" at the foot.
fn page_content(lines: &[&Line], n: usize, of: usize) -> Vec<u8> {
    let mut c = Content::new();
    let mut y = PAGE_HEIGHT - MARGIN;
    for l in lines {
        y -= l.size * 1.4;
        if !l.text.is_empty() {
            show(&mut c, MARGIN, y, l.size, l.bold, &l.text);
        }
    }
    show(&mut c, MARGIN, MARGIN / 2.0, 8.0, false, &format!("Sida {n} av {of}"));
    c.finish()
}

/// The text of every literal string in a PDF written here, one per line,
/// decoded from WinAnsi: what a reader shows, for tests (no text
/// extraction tool is needed). Octal and character escapes are undone.
pub fn text_of(pdf: &[u8]) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < pdf.len() {
        if let Some((text, next)) = hex_string(pdf, i) {
            out.push_str(&decoded(&text));
            out.push('\n');
            i = next;
            continue;
        }
        if pdf[i] != b'(' {
            i += 1;
            continue;
        }
        let (mut depth, mut line) = (1, Vec::new());
        i += 1;
        while i < pdf.len() && depth > 0 {
            let c = pdf[i];
            match c {
                b'\\' if i + 1 < pdf.len() => {
                    let n = pdf[i + 1];
                    if n.is_ascii_digit() {
                        let digits: Vec<u8> =
                            pdf[i + 1..].iter().take(3).take_while(|d| d.is_ascii_digit()).copied().collect();
                        let v = digits.iter().fold(0u32, |acc, d| acc * 8 + u32::from(d - b'0'));
                        line.push(v as u8);
                        i += 1 + digits.len();
                        continue;
                    }
                    line.push(match n {
                        b'n' => b'\n',
                        b'r' => b'\r',
                        b't' => b'\t',
                        other => other,
                    });
                    i += 2;
                    continue;
                }
                b'(' => depth += 1,
                b')' => depth -= 1,
                _ => {}
            }
            if depth > 0 {
                line.push(c);
            }
            i += 1;
        }
        out.push_str(&decoded(&line));
        out.push('\n');
    }
    out
}

/// One string's text: UTF-16 after a byte-order mark (the document's
/// metadata), else WinAnsi (what the pages show).
fn decoded(bytes: &[u8]) -> String {
    match bytes.strip_prefix(&[0xFE, 0xFF]) {
        Some(utf16) => encoding_rs::UTF_16BE.decode_without_bom_handling(utf16).0.into_owned(),
        None => encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes).0.into_owned(),
    }
}

/// A hex string (`<48656A>`, as strings with bytes outside ASCII are
/// written) starting at `i`: its bytes and the index after it. Dictionary
/// delimiters (`<<`, `>>`) are not strings.
fn hex_string(pdf: &[u8], i: usize) -> Option<(Vec<u8>, usize)> {
    if pdf[i] != b'<' || pdf.get(i + 1) == Some(&b'<') || (i > 0 && pdf[i - 1] == b'<') {
        return None;
    }
    let end = i + 1 + pdf[i + 1..].iter().position(|&c| c == b'>')?;
    let digits: Vec<u8> = pdf[i + 1..end].iter().copied().filter(|c| !c.is_ascii_whitespace()).collect();
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    let nibble = |c: u8| (c as char).to_digit(16).unwrap_or(0) as u8;
    let bytes = digits.chunks(2).map(|p| nibble(p[0]) * 16 + p.get(1).map_or(0, |&c| nibble(c))).collect();
    Some((bytes, end + 1))
}

/// How many characters fit a line at `size` points (Helvetica's average
/// glyph is about half an em wide; a little less is assumed to be safe).
fn max_chars(size: f32) -> usize {
    ((PAGE_WIDTH - 2.0 * MARGIN) / (size * 0.55)) as usize
}

/// `text` wrapped at word boundaries to lines of at most `width`
/// characters (a longer word is cut).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut out = vec![];
    let mut line = String::new();
    for word in text.split_whitespace() {
        let mut word = word.to_string();
        while word.chars().count() > width {
            let head: String = word.chars().take(width).collect();
            word = word.chars().skip(width).collect();
            if !line.is_empty() {
                out.push(std::mem::take(&mut line));
            }
            out.push(head);
        }
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            out.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&word);
    }
    if !line.is_empty() || out.is_empty() {
        out.push(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn a_document_is_a_pdf_with_its_swedish_text_in_win_ansi() {
        let mut d = TextDocument::new("Prov");
        d.heading("Anpassning av rullstol", 16.0).field("Åtgärd", "Höjt ryggstöd, förstärkt fäste");
        let pdf = d.to_pdf();
        assert!(pdf.starts_with(b"%PDF-"));
        assert!(text_of(&pdf).contains("Höjt ryggstöd, förstärkt fäste"), "{}", text_of(&pdf));
        assert!(contains(&pdf, b"/WinAnsiEncoding"));
    }

    #[test]
    fn long_text_wraps_and_flows_onto_more_pages() {
        let mut d = TextDocument::new("Lång");
        for i in 0..200 {
            d.paragraph(&format!("Rad {i} med lite text som upprepas för att fylla sidan ordentligt"));
        }
        let pdf = d.to_pdf();
        assert!(contains(&pdf, b"/Count 4") || contains(&pdf, b"/Count 5"), "several pages");
        assert_eq!(wrap("a bb ccc", 4), vec!["a bb", "ccc"]);
        assert_eq!(wrap("abcdefghij", 4), vec!["abcd", "efgh", "ij"]);
    }
}
