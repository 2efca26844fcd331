//! Ramp's printable documents as PDF: the warehouse's pick lists, delivery
//! notes and device labels with barcodes, drawn by position ([`sheet`],
//! [`barcode`], [`pick`]), and the adaptation document ([`adaptation`])
//! written as flowing text ([`text`]). Base-14 Helvetica with WinAnsi
//! encoding: no font file is embedded and Swedish å ä ö print; content
//! streams are not compressed, so a test can find the text in the file
//! ([`text::text_of`]).

pub mod adaptation;
pub mod barcode;
pub mod pick;
pub mod sheet;
pub mod text;

pub use text::{text_of, TextDocument};

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

/// A4 in points.
pub const PAGE_WIDTH: f32 = 595.0;
pub const PAGE_HEIGHT: f32 = 842.0;
/// The two fonts every page may use: Helvetica and Helvetica-Bold.
pub(crate) const REGULAR: Name<'static> = Name(b"F1");
pub(crate) const BOLD: Name<'static> = Name(b"F2");

/// Writes `text` (Windows-1252) with its baseline starting at (`x`, `y`).
pub(crate) fn show(c: &mut Content, x: f32, y: f32, size: f32, bold: bool, text: &str) {
    c.begin_text();
    c.set_font(if bold { BOLD } else { REGULAR }, size);
    c.next_line(x, y);
    c.show(Str(&win_ansi(text)));
    c.end_text();
}

/// The PDF file of A4 pages (finished content streams, in order) that use
/// the two fonts, with `title` in its metadata.
pub(crate) fn assemble(title: &str, pages: Vec<Vec<u8>>) -> Vec<u8> {
    let mut pdf = Pdf::new();
    let (catalog, tree, regular, bold, info) = (Ref::new(1), Ref::new(2), Ref::new(3), Ref::new(4), Ref::new(5));
    let page_ids: Vec<Ref> = (0..pages.len()).map(|i| Ref::new(6 + 2 * i as i32)).collect();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree).kids(page_ids.iter().copied()).count(pages.len() as i32);
    pdf.type1_font(regular).base_font(Name(b"Helvetica")).encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.type1_font(bold).base_font(Name(b"Helvetica-Bold")).encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.document_info(info).title(TextStr(title)).producer(TextStr("Ramp"));
    for (page_id, content) in page_ids.into_iter().zip(pages) {
        let content_id = Ref::new(page_id.get() + 1);
        let mut page = pdf.page(page_id);
        page.media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT)).parent(tree).contents(content_id);
        page.resources().fonts().pair(REGULAR, regular).pair(BOLD, bold);
        page.finish();
        pdf.stream(content_id, &content);
    }
    pdf.finish()
}

/// `text` in Windows-1252 (WinAnsi), what base-14 fonts print.
pub fn win_ansi(text: &str) -> Vec<u8> {
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(text);
    bytes.into_owned()
}
