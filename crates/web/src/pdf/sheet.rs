//! A4 pages drawn by position: text, rules and barcodes placed at points
//! from the bottom-left corner, as forms and labels need (a flowing text
//! document does not place a barcode beside a column).

use super::barcode::Bars;
use super::{assemble, show};
use pdf_writer::Content;

pub use super::{PAGE_HEIGHT, PAGE_WIDTH};
pub const MARGIN: f32 = 40.0;

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
        show(self.page(), x, y, size, bold, &shown);
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
    pub fn finish(self) -> Vec<u8> {
        let count = self.pages.len();
        let pages = self
            .pages
            .into_iter()
            .enumerate()
            .map(|(i, mut c)| {
                show(&mut c, MARGIN, MARGIN / 2.0, 8.0, false, &format!("{} – Sida {} av {count}", self.title, i + 1));
                c.finish()
            })
            .collect();
        assemble(&self.title, pages)
    }
}
