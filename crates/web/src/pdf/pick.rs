//! The loading bay's papers: the pick list by route and day (order, article
//! and device barcodes on every line), a delivery note per order (its
//! order code to scan at the door, a signature line) and device labels
//! (3 × 8 on an A4 label sheet).

use super::barcode::{code128, gs1_gtin, Bars};
use super::sheet::{Sheet, MARGIN, PAGE_HEIGHT, PAGE_WIDTH};
use crate::i18n::Lang;
use ramp_app::model::PickLine;
use ramp_domain::scan::order_code;

/// Width of one barcode module in points (0.35 mm: read at arm's length).
const MODULE: f32 = 1.0;
const BAR_HEIGHT: f32 = 26.0;
const ROW: f32 = 74.0;

/// A printed group: its heading and its lines, with where each goes.
pub struct Group<'a> {
    pub title: String,
    pub lines: Vec<(&'a PickLine, String)>,
}

/// The article's barcode: GS1-128 of its GTIN, else Code 128 of its number.
fn article_bars(l: &PickLine) -> Option<Bars> {
    l.gtin.as_deref().and_then(gs1_gtin).or_else(|| code128(&l.article_number))
}

fn what(lang: Lang, l: &PickLine) -> String {
    match &l.device_number {
        Some(d) => d.clone(),
        None => format!("{} {}", l.quantity, lang.t("pick.pieces")),
    }
}

/// The pick list: a heading per route and day, then per line the order,
/// the recipient and address, the article and the device, each with its barcode.
pub fn pick_list(lang: Lang, warehouse: &str, printed: &str, groups: &[Group]) -> Vec<u8> {
    let title = format!("{} – {warehouse}", lang.t("pdf.pick_list"));
    let mut s = Sheet::new(&title);
    let mut y = PAGE_HEIGHT - MARGIN;
    s.text(MARGIN, y - 16.0, 16.0, true, &title, 70);
    s.text(MARGIN, y - 30.0, 9.0, false, &format!("{} {printed}", lang.t("pdf.printed")), 80);
    y -= 44.0;
    for g in groups {
        if y - 20.0 - ROW < MARGIN + 10.0 {
            s.new_page();
            y = PAGE_HEIGHT - MARGIN;
        }
        s.text(MARGIN, y - 14.0, 12.0, true, &g.title, 80);
        y -= 22.0;
        for (l, address) in &g.lines {
            if y - ROW < MARGIN + 10.0 {
                s.new_page();
                y = PAGE_HEIGHT - MARGIN;
                s.text(MARGIN, y - 14.0, 12.0, true, &g.title, 80);
                y -= 22.0;
            }
            line_row(&mut s, lang, y, l, address);
            y -= ROW;
        }
    }
    s.finish()
}

fn line_row(s: &mut Sheet, lang: Lang, y: f32, l: &PickLine, address: &str) {
    s.rule(y);
    let order = format!("{} {} · {} · {}", lang.t("col.order"), l.order_id, l.unit_name, address);
    s.text(MARGIN, y - 11.0, 9.0, true, &order, 105);
    let article = format!("{} {} – {}", l.article_number, l.article_name, what(lang, l));
    s.text(MARGIN, y - 22.0, 9.0, false, &article, 105);
    let base = y - 24.0 - BAR_HEIGHT;
    if let Some(b) = code128(&order_code(l.order_id)) {
        s.barcode(MARGIN - 10.0, base, MODULE, BAR_HEIGHT, &b);
    }
    if let Some(b) = article_bars(l) {
        s.barcode(MARGIN + 160.0, base, MODULE, BAR_HEIGHT, &b);
    }
    if let Some(b) = l.device_number.as_deref().and_then(code128) {
        s.barcode(MARGIN + 330.0, base, MODULE, BAR_HEIGHT, &b);
    }
}

/// One delivery note per order, in the list's order.
pub fn delivery_notes(lang: Lang, printed: &str, orders: &[Vec<(&PickLine, String)>]) -> Vec<u8> {
    let mut s = Sheet::new(lang.t("pdf.delivery_note"));
    for (i, lines) in orders.iter().enumerate() {
        let Some((first, address)) = lines.first() else { continue };
        if i > 0 {
            s.new_page();
        }
        let top = PAGE_HEIGHT - MARGIN;
        let heading = format!("{} – {} {}", lang.t("pdf.delivery_note"), lang.t("col.order"), first.order_id);
        s.text(MARGIN, top - 18.0, 16.0, true, &heading, 70);
        if let Some(b) = code128(&order_code(first.order_id)) {
            s.barcode(PAGE_WIDTH - MARGIN - 150.0, top - 40.0, MODULE, 34.0, &b);
        }
        s.text(MARGIN, top - 40.0, 10.0, false, &first.unit_name, 60);
        s.text(MARGIN, top - 54.0, 10.0, false, address, 60);
        let route = first.route.as_deref().unwrap_or(lang.t("desk.no_route"));
        s.text(MARGIN, top - 68.0, 9.0, false, &format!("{route} · {} {printed}", lang.t("pdf.printed")), 80);
        let mut y = top - 90.0;
        for (l, _) in lines {
            s.rule(y);
            let text = format!("{} {} – {}", l.article_number, l.article_name, what(lang, l));
            s.text(MARGIN, y - 12.0, 10.0, false, &text, 95);
            y -= 22.0;
        }
        s.rule(y - 40.0);
        s.text(MARGIN, y - 52.0, 9.0, false, lang.t("pdf.signature"), 80);
    }
    s.finish()
}

/// A label per device on the list: article, device number and its barcode,
/// 24 to a sheet (70 × 37 mm).
pub fn labels(lang: Lang, lines: &[&PickLine]) -> Vec<u8> {
    const COLS: usize = 3;
    const ROWS: usize = 8;
    let (w, h) = (PAGE_WIDTH / COLS as f32, PAGE_HEIGHT / ROWS as f32);
    let mut s = Sheet::new(lang.t("pick.labels"));
    let devices: Vec<(&PickLine, &str)> =
        lines.iter().filter_map(|l| l.device_number.as_deref().map(|d| (*l, d))).collect();
    for (i, (l, number)) in devices.iter().enumerate() {
        let slot = i % (COLS * ROWS);
        if i > 0 && slot == 0 {
            s.new_page();
        }
        let (col, row) = (slot % COLS, slot / COLS);
        let (x, top) = (col as f32 * w + 14.0, PAGE_HEIGHT - row as f32 * h - 14.0);
        s.text(x, top - 8.0, 8.0, true, &l.article_name, 34);
        s.text(x, top - 18.0, 8.0, false, &l.article_number, 34);
        if let Some(b) = code128(number) {
            s.barcode(x - 8.0, top - 58.0, 0.9, 32.0, &b);
        }
    }
    s.finish()
}
