//! The order list page (`GET /orders`): a GET form (scope, search text,
//! status, dates, page size) whose answer is one page of orders with sort
//! links on the column headers (`aria-sort` on the sorted one) and
//! previous/next links. Every state is a plain URL, so it works without
//! JavaScript; with htmx the form and links swap only the results region
//! (`HX-Request`), and `/assets/ramp.js` moves focus there. The URL holds
//! no patient identity: there is no patient search here.

use super::page::{render, url_encode, Page};
use crate::extract::{CsrfToken, UiUser};
use crate::i18n::Lang;
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use ramp_app::model::OrderSort;
use ramp_app::orders::{OrderList, OrderListParams, Scope, PAGE_SIZES};
use ramp_app::ErrorKind;
use ramp_domain::order::OrderStatus;
use ramp_domain::Term;
use serde::Deserialize;

/// The query string as typed; checked by the use-case.
#[derive(Deserialize, Default)]
pub struct ListQuery {
    scope: Option<String>,
    status: Option<String>,
    q: Option<String>,
    from: Option<String>,
    to: Option<String>,
    sort: Option<String>,
    dir: Option<String>,
    page: Option<String>,
    per_page: Option<String>,
}

impl ListQuery {
    fn params(self) -> OrderListParams {
        let ListQuery { scope, status, q, from, to, sort, dir, page, per_page } = self;
        OrderListParams { scope, status, q, from, to, sort, dir, page, per_page }
    }
}

/// The statuses offered in the filter, in lifecycle order.
const STATUSES: [OrderStatus; 5] = [
    OrderStatus::Registered,
    OrderStatus::Picked,
    OrderStatus::OutForDelivery,
    OrderStatus::Delivered,
    OrderStatus::Cancelled,
];

/// The sortable columns: their `sort` value and their sort.
const COLUMNS: [(&str, OrderSort); 3] =
    [("number", OrderSort::Number), ("date", OrderSort::Date), ("status", OrderSort::Status)];

#[derive(Template)]
#[template(path = "orders.html")]
struct ListTemplate {
    page: Page,
    list: OrderList,
    /// The scopes this user may choose: (value, label).
    scopes: Vec<(&'static str, &'static str)>,
    statuses: Vec<(&'static str, &'static str)>,
    sizes: Vec<i64>,
}

#[derive(Template)]
#[template(path = "orders_results.html")]
struct ResultsTemplate {
    page: Page,
    list: OrderList,
}

/// Links and labels the results need, shared by the page and the partial.
trait Results {
    fn page(&self) -> &Page;
    fn list(&self) -> &OrderList;

    /// This list's URL with another sort, direction and page.
    fn link(&self, sort: &str, descending: bool, page: i64) -> String {
        let c = &self.list().choice;
        let mut url = format!("/orders?scope={}", c.scope.as_str());
        if let Some(s) = c.status {
            url.push_str(&format!("&status={}", s.as_str()));
        }
        if !c.q.is_empty() {
            url.push_str(&format!("&q={}", url_encode(&c.q)));
        }
        if let Some(d) = c.from {
            url.push_str(&format!("&from={d}"));
        }
        if let Some(d) = c.to {
            url.push_str(&format!("&to={d}"));
        }
        let dir = if descending { "desc" } else { "asc" };
        url.push_str(&format!("&sort={sort}&dir={dir}&per_page={}&page={page}", c.per_page));
        url
    }

    fn sort_value(&self) -> &'static str {
        COLUMNS.iter().find(|c| c.1 == self.list().choice.sort).map_or("date", |c| c.0)
    }

    /// The header link of a column: the other direction when it is the
    /// sorted one, else its natural direction (newest, highest first;
    /// status from registered on); always from page 1.
    fn sort_link(&self, column: &str) -> String {
        let c = &self.list().choice;
        let descending = if column == self.sort_value() { !c.descending } else { column != "status" };
        self.link(column, descending, 1)
    }

    /// `ascending` or `descending` for the sorted column, else nothing.
    fn aria_sort(&self, column: &str) -> Option<&'static str> {
        (column == self.sort_value()).then_some(if self.list().choice.descending { "descending" } else { "ascending" })
    }

    /// The arrow after the sorted column's text (hidden from screen
    /// readers, which hear `aria-sort`).
    fn sort_arrow(&self, column: &str) -> &'static str {
        match self.aria_sort(column) {
            Some("ascending") => " ▲",
            Some(_) => " ▼",
            None => "",
        }
    }

    fn previous_link(&self) -> String {
        let c = &self.list().choice;
        self.link(self.sort_value(), c.descending, c.page - 1)
    }

    fn next_link(&self) -> String {
        let c = &self.list().choice;
        self.link(self.sort_value(), c.descending, c.page + 1)
    }

    /// Whether the results show the errors themselves (the partial: the
    /// page's error summary is not swapped).
    fn inline_errors(&self) -> bool;

    /// "Visar 1–25 av 312".
    fn showing(&self) -> String {
        let (p, l) = (self.page(), self.list());
        format!("{} {}–{} {} {}", p.t("orders.showing"), l.first(), l.last(), p.t("orders.of"), l.total)
    }
}

impl Results for ListTemplate {
    fn inline_errors(&self) -> bool {
        false
    }
    fn page(&self) -> &Page {
        &self.page
    }
    fn list(&self) -> &OrderList {
        &self.list
    }
}

impl Results for ResultsTemplate {
    fn inline_errors(&self) -> bool {
        true
    }
    fn page(&self) -> &Page {
        &self.page
    }
    fn list(&self) -> &OrderList {
        &self.list
    }
}

impl ListTemplate {
    fn status_value(&self) -> &'static str {
        self.list.choice.status.map_or("", |s| s.as_str())
    }

    fn first_day(&self) -> String {
        self.list.choice.from.map(|d| d.to_string()).unwrap_or_default()
    }

    fn last_day(&self) -> String {
        self.list.choice.to.map(|d| d.to_string()).unwrap_or_default()
    }
}

/// The title of the list: whose orders it shows.
fn title_key(scope: Scope) -> &'static str {
    match scope {
        Scope::Mine => "orders.title.mine",
        Scope::Unit => "orders.title.unit",
        Scope::All => "orders.title.all",
    }
}

/// Whether to answer with the results region only: an htmx request that
/// is not htmx restoring a page from history (which needs the whole page).
fn partial(headers: &HeaderMap) -> bool {
    headers.contains_key("hx-request") && !headers.contains_key("hx-history-restore-request")
}

/// The order list. A bad parameter shows the default list with the error
/// named in the error summary (422; 200 to htmx, which swaps only 2xx).
pub async fn page(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
) -> Response {
    let mut status = StatusCode::OK;
    let mut errors = Vec::new();
    let list = match ramp_app::orders::order_list(&state.app, &user, &q.params()).await {
        Ok(list) => list,
        Err(e) if matches!(e.kind, ErrorKind::Invalid | ErrorKind::Forbidden) => {
            status = crate::error::status_of(e.kind);
            errors.push(e);
            match ramp_app::orders::order_list(&state.app, &user, &OrderListParams::default()).await {
                Ok(list) => list,
                Err(e) => return super::page::error_page(lang, e),
            }
        }
        Err(e) => return super::page::error_page(lang, e),
    };
    let mut page = Page::new(lang, title_key(list.choice.scope), Some(&user), &csrf, "orders");
    for e in &errors {
        page.add_error(e);
    }
    let mut resp = if partial(&headers) {
        render(&ResultsTemplate { page, list }, StatusCode::OK)
    } else {
        let mut scopes = vec![("mine", lang.t("orders.scope.mine"))];
        if user.unit_id.is_some() {
            scopes.push(("unit", lang.t("orders.scope.unit")));
        }
        if user.is_hmc() {
            scopes.push(("all", lang.t("orders.scope.all")));
        }
        let statuses = STATUSES.iter().map(|s| (s.as_str(), page.order_status(s))).collect();
        render(&ListTemplate { page, list, scopes, statuses, sizes: PAGE_SIZES.to_vec() }, status)
    };
    resp.headers_mut().insert("vary", HeaderValue::from_static("HX-Request"));
    resp
}
