//! The unit orderer's line editor, one form for two pages: the order with
//! quantities and prices (`/unit-order/lines`, optionally filled from a
//! saved list) and a saved order list (`/order-lists/new`,
//! `/order-lists/{id}`). Every button submits the whole form with an
//! `action` (search, `add:<article number>`, `remove:<line>`, update,
//! order, save), so nothing typed is lost and it works without script;
//! after each step focus goes to what changed (`autofocus`: the search
//! results, the line just added, the lines after a removal).

use super::page::{render, sek, Page};
use crate::i18n::Lang;
use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use ramp_app::model::{ArticleHit, User};
use ramp_app::unit_orders::{LineInput, UnitBudget, UnitQuote};
use ramp_app::AppError;
use ramp_domain::article::Billing;

/// The form as posted: name (lists), search text, lines, and the button pressed.
#[derive(Debug, Default, Clone)]
pub struct LinesForm {
    pub name: String,
    pub q: String,
    pub lines: Vec<(String, String)>,
    pub action: String,
}

/// At most this many lines in the editor.
const MAX_ROWS: usize = ramp_app::order_lists::MAX_LINES;

impl LinesForm {
    /// Reads the posted pairs (`lines[i].article_number`, `lines[i].quantity`, …).
    pub fn from_pairs(pairs: Vec<(String, String)>) -> LinesForm {
        let mut f = LinesForm::default();
        for (k, v) in pairs {
            match k.as_str() {
                "name" => f.name = v,
                "q" => f.q = v,
                "action" => f.action = v,
                _ => {
                    let Some((i, field)) = row_key(&k) else { continue };
                    if i >= MAX_ROWS {
                        continue;
                    }
                    if f.lines.len() <= i {
                        f.lines.resize(i + 1, Default::default());
                    }
                    match field {
                        "article_number" => f.lines[i].0 = v,
                        "quantity" => f.lines[i].1 = v,
                        _ => {}
                    }
                }
            }
        }
        f.lines.retain(|(n, _)| !n.trim().is_empty());
        f
    }

    /// The lines for the use-cases; a quantity that is not a number is 0 (refused by name).
    pub fn inputs(&self) -> Vec<LineInput> {
        self.lines
            .iter()
            .map(|(n, q)| LineInput {
                article_number: n.trim().to_string(),
                quantity: match q.trim() {
                    "" => None,
                    q => Some(q.parse().unwrap_or(0)),
                },
            })
            .collect()
    }

    /// Applies an `add:` or `remove:` button; returns where focus goes next.
    pub fn apply_edit(&mut self) -> Focus {
        if let Some(number) = self.action.strip_prefix("add:") {
            let number = number.trim().to_string();
            if let Some(i) = self.lines.iter().position(|(n, _)| n.trim() == number) {
                return Focus::Line(i);
            }
            if self.lines.len() < MAX_ROWS {
                self.lines.push((number, "1".into()));
            }
            return Focus::Line(self.lines.len() - 1);
        }
        if let Some(i) = self.action.strip_prefix("remove:").and_then(|i| i.parse::<usize>().ok()) {
            if i < self.lines.len() {
                self.lines.remove(i);
            }
            return Focus::Lines;
        }
        Focus::None
    }
}

fn row_key(k: &str) -> Option<(usize, &str)> {
    let rest = k.strip_prefix("lines[")?;
    let (i, field) = rest.split_once("].")?;
    Some((i.parse().ok()?, field))
}

/// Where the page puts focus when it loads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    None,
    Hits,
    Line(usize),
    Lines,
}

/// A line as shown.
pub struct LineView {
    pub article_number: String,
    pub name: String,
    pub quantity: String,
    pub price: String,
    pub total: String,
    pub in_stock: String,
    pub focus: bool,
    pub error: Option<String>,
}

/// A search hit as shown.
pub struct HitView {
    pub article_number: String,
    pub name: String,
    pub price: String,
}

/// The budget as shown, amounts formatted.
pub struct BudgetView {
    pub principal: String,
    pub year: i32,
    pub budget: Option<String>,
    pub spent: String,
    pub this_order: String,
    pub left_after: Option<String>,
    pub over: bool,
}

impl From<&UnitBudget> for BudgetView {
    fn from(b: &UnitBudget) -> Self {
        BudgetView {
            principal: b.principal_name.clone(),
            year: b.year,
            budget: b.budget.map(|o| sek(&o.0)),
            spent: sek(&b.spent.0),
            this_order: sek(&b.this_order.0),
            left_after: b.left_after.map(|o| sek(&o.0)),
            over: b.left_after.is_some_and(|o| o.0 < 0),
        }
    }
}

/// How a price reads: "46,66 kr per månad" or "4,00 kr engångsköp".
pub fn price(lang: Lang, ore: i64, billing: Billing) -> String {
    let how = if billing == Billing::Rental { "uorder.per_month" } else { "uorder.once" };
    format!("{} {}", sek(&ore), lang.t(how))
}

#[derive(Template)]
#[template(path = "unit_lines.html")]
pub struct LinesTemplate {
    pub page: Page,
    pub heading: String,
    pub intro: &'static str,
    pub action: String,
    /// A saved list (name field, save button) rather than an order.
    pub is_list: bool,
    pub name: String,
    pub from_list: Option<String>,
    pub q: String,
    pub searched: bool,
    pub hits: Vec<HitView>,
    pub lines: Vec<LineView>,
    pub rent: Option<String>,
    pub purchase: Option<String>,
    pub budget: Option<BudgetView>,
    pub focus_hits: bool,
    pub focus_lines: bool,
}

/// What the editor shows besides the form: the search hits and the priced lines, or the error.
pub struct Shown {
    pub hits: Option<Vec<ArticleHit>>,
    pub quote: Option<UnitQuote>,
    pub errors: Vec<AppError>,
    pub focus: Focus,
}

/// The editor page for `f`.
pub fn page(lang: Lang, csrf: &str, user: &User, f: &LinesForm, shown: Shown, target: Target) -> Response {
    let nav = "unit";
    let title = if target.is_list { "ulist.title" } else { "uorder.title" };
    let mut page = Page::new(lang, title, Some(user), csrf, nav);
    let mut status = StatusCode::OK;
    for e in &shown.errors {
        super::desk::log_if_internal(e);
        status = crate::error::status_of(e.kind);
        page.add_error(e);
    }
    let lines = line_views(lang, &page, f, shown.quote.as_ref(), shown.focus);
    let hits = shown.hits.as_deref().unwrap_or_default();
    let hits = hits
        .iter()
        .map(|h| HitView {
            article_number: h.article.article_number.clone(),
            name: h.article.name.clone(),
            price: price(lang, unit_price(&h.article), h.article.billing),
        })
        .collect();
    let q = shown.quote.as_ref();
    let t = LinesTemplate {
        heading: lang.t(target.heading).to_string(),
        intro: lang.t(target.intro),
        action: target.action,
        is_list: target.is_list,
        name: f.name.clone(),
        from_list: target.from_list,
        q: f.q.clone(),
        searched: shown.hits.is_some(),
        hits,
        lines,
        rent: q.filter(|q| q.lines.iter().any(|l| l.monthly)).map(|q| sek(&q.rent_per_month.0)),
        purchase: q.filter(|q| q.lines.iter().any(|l| !l.monthly)).map(|q| sek(&q.purchase.0)),
        budget: q.filter(|_| !target.is_list).map(|q| BudgetView::from(&q.budget)),
        focus_hits: shown.focus == Focus::Hits,
        focus_lines: shown.focus == Focus::Lines,
        page,
    };
    render(&t, status)
}

/// Where the form posts and how the page is titled.
pub struct Target {
    pub action: String,
    pub is_list: bool,
    pub heading: &'static str,
    pub intro: &'static str,
    pub from_list: Option<String>,
}

fn unit_price(a: &ramp_app::model::Article) -> i64 {
    if a.billing == Billing::Rental {
        a.monthly_rent_ore
    } else {
        a.purchase_price_ore
    }
}

fn line_views(lang: Lang, page: &Page, f: &LinesForm, quote: Option<&UnitQuote>, focus: Focus) -> Vec<LineView> {
    f.lines
        .iter()
        .enumerate()
        .map(|(i, (number, quantity))| {
            let priced = quote.and_then(|q| q.lines.get(i));
            let error = page
                .error_for(&format!("lines[{i}].quantity"))
                .or_else(|| page.error_for(&format!("lines[{i}].article_number")))
                .map(str::to_string);
            LineView {
                article_number: number.clone(),
                name: priced.map(|p| p.article.name.clone()).unwrap_or_default(),
                quantity: quantity.clone(),
                price: priced.map(|p| price(lang, p.unit_price.0, p.article.billing)).unwrap_or_default(),
                total: priced.map(|p| price(lang, p.line_total.0, p.article.billing)).unwrap_or_default(),
                in_stock: priced.and_then(|p| p.in_stock).map(|n| n.to_string()).unwrap_or_else(|| "–".into()),
                focus: focus == Focus::Line(i),
                error,
            }
        })
        .collect()
}
