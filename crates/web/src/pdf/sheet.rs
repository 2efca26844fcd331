//! A4 pages drawn by position: text, rules and barcodes placed at points
//! from the bottom-left corner, as forms and labels need (a flowing text
//! document does not place a barcode beside a column).

use super::barcode::Bars;
use super::win_ansi;
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

pub const PAGE_WIDTH: f32 = 595.0;
pub const PAGE_HEIGHT: f32 = 842.0;
pub const MARGIN: f32 = 40.0;
const REGULAR: Name<'static> = Name(b"F1");
const BOLD: Name<'static> = Name(b"F2");

/// Pages being drawn; the last one is the current page.
pub struct Sheet {
    title: String,
    pages: Vec<Content>,
}

impl Sheet {
    /// A document with one empty page and `title` in its metadata.
    pub fn new(title: &str) -> Sheet {
        Sheet { title: title.into(), pages: vec![Content::new()] }
    }

    fn page(&mut self) -> &mut Content {
        self.pages.last_mut().expect("a sheet has a page")
    }

    pub fn new_page(&mut self) {
        self.pages.push(Content::new());
    }

    /// Text whose baseline starts at (`x`, `y`); cut to `max_chars`.
    pub fn text(&mut self, x: f32, y: f32, size: f32, bold: bool, text: &str, max_chars: usize) {
        let shown: String = text.chars().take(max_chars).collect();
        let c = self.page();
        c.begin_text();
        c.set_font(if bold { BOLD } else { REGULAR }, size);
        c.next_line(x, y);
        c.show(Str(&win_ansi(&shown)));
        c.end_text();
    }

    /// A horizontal rule across the page at `y`.
    pub fn rule(&mut self, y: f32) {
        let c = self.page();
        c.set_line_width(0.5);
        c.move_to(MARGIN, y);
        c.line_to(PAGE_WIDTH - MARGIN, y);
        c.stroke();
    }

    /// A barcode with its bottom-left corner at (`x`, `y`), each module
    /// `module` points wide, and its text under it.
    pub fn barcode(&mut self, x: f32, y: f32, module: f32, height: f32, bars: &Bars) {
        let c = self.page();
        c.set_fill_gray(0.0);
        let mut run_start: Option<usize> = None;
        let modules = &bars.modules;
        for i in 0..=modules.len() {
            let dark = modules.get(i).is_some_and(|m| *m == 1);
            match (dark, run_start) {
                (true, None) => run_start = Some(i),
                (false, Some(s)) => {
                    c.rect(x + s as f32 * module, y, (i - s) as f32 * module, height);
                    run_start = None;
                }
                _ => {}
            }
        }
        c.fill_nonzero();
        let label = bars.text.clone();
        self.text(x + super::barcode::QUIET as f32 * module, y - 9.0, 7.0, false, &label, 60);
    }

    /// The finished PDF, each page footed "title – Sida n av m".
    pub fn finish(mut self) -> Vec<u8> {
        let count = self.pages.len();
        let title = self.title.clone();
        for i in 0..count {
            let foot = format!("{title} – Sida {} av {count}", i + 1);
            let c = &mut self.pages[i];
            c.begin_text();
            c.set_font(REGULAR, 8.0);
            c.next_line(MARGIN, MARGIN / 2.0);
            c.show(Str(&win_ansi(&foot)));
            c.end_text();
        }
        let mut pdf = Pdf::new();
        let (catalog, tree, regular, bold, info) = (Ref::new(1), Ref::new(2), Ref::new(3), Ref::new(4), Ref::new(5));
        let page_ids: Vec<Ref> = (0..count).map(|i| Ref::new(6 + 2 * i as i32)).collect();
        pdf.catalog(catalog).pages(tree);
        pdf.pages(tree).kids(page_ids.iter().copied()).count(count as i32);
        pdf.type1_font(regular).base_font(Name(b"Helvetica")).encoding_predefined(Name(b"WinAnsiEncoding"));
        pdf.type1_font(bold).base_font(Name(b"Helvetica-Bold")).encoding_predefined(Name(b"WinAnsiEncoding"));
        pdf.document_info(info).title(TextStr(&self.title)).producer(TextStr("Ramp"));
        for (i, content) in self.pages.into_iter().enumerate() {
            let page_id = page_ids[i];
            let content_id = Ref::new(page_id.get() + 1);
            let mut page = pdf.page(page_id);
            page.media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT)).parent(tree).contents(content_id);
            page.resources().fonts().pair(REGULAR, regular).pair(BOLD, bold);
            page.finish();
            pdf.stream(content_id, &content.finish());
        }
        pdf.finish()
    }
}
