//! The order list ("Beställningar", `GET /orders` and `GET /api/v1/orders`):
//! whose orders (mine, my unit's, or all for the centre's staff), filtered
//! by status, date and text, sorted and paged. The parameters arrive as
//! text from a query string; each is checked here, once for both the page
//! and the API, and a bad one is refused naming it.
//!
//! Rows carry no patient identity (the list shows article, unit and
//! status), so listing reads no patient and writes no audit row; opening
//! an order does both. Search by patient name is left out on purpose: it
//! would put what identifies a patient in a URL.

use crate::dates::parse_optional_date;
use crate::error::{AppError, Result};
use crate::App;
use ramp_domain::figures::stockholm_midnight_utc;
use ramp_domain::order::OrderStatus;
use ramp_domain::Term;
use ramp_model::{OrderPageQuery, OrderSort, OrderSummary, User};

/// The page sizes offered; anything else is refused on `per_page`.
pub const PAGE_SIZES: [i64; 4] = [10, 25, 50, 100];
/// The page size when none is asked for.
pub const DEFAULT_PAGE_SIZE: i64 = 25;
/// The longest search text accepted.
pub const MAX_SEARCH_CHARS: usize = 100;
/// The highest page number accepted (a typo beyond it is refused, not a slow scan).
pub const MAX_PAGE: i64 = 100_000;

/// Whose orders the list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The orders the user placed.
    Mine,
    /// The orders of the user's unit.
    Unit,
    /// Every order: the centre's staff only.
    All,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Mine => "mine",
            Scope::Unit => "unit",
            Scope::All => "all",
        }
    }
}

/// The list's parameters as typed (query string): blank means not given.
#[derive(Debug, Clone, Default)]
pub struct OrderListParams {
    pub scope: Option<String>,
    pub status: Option<String>,
    pub q: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub sort: Option<String>,
    pub dir: Option<String>,
    pub page: Option<String>,
    pub per_page: Option<String>,
}

/// The parameters once checked: what the page echoes back in its form,
/// sort links and paging links.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderListChoice {
    pub scope: Scope,
    pub status: Option<OrderStatus>,
    pub q: String,
    pub from: Option<chrono::NaiveDate>,
    pub to: Option<chrono::NaiveDate>,
    pub sort: OrderSort,
    pub descending: bool,
    pub page: i64,
    pub per_page: i64,
}

/// One page of the list with what it was asked for and the total count.
#[derive(Debug, Clone)]
pub struct OrderList {
    pub choice: OrderListChoice,
    pub orders: Vec<OrderSummary>,
    pub total: i64,
}

impl OrderList {
    /// The 1-based position of the first row shown (0 when none).
    pub fn first(&self) -> i64 {
        if self.orders.is_empty() {
            0
        } else {
            (self.choice.page - 1) * self.choice.per_page + 1
        }
    }

    /// The position of the last row shown.
    pub fn last(&self) -> i64 {
        self.first() + self.orders.len() as i64 - i64::from(!self.orders.is_empty())
    }

    /// How many pages the matching orders fill (at least 1).
    pub fn pages(&self) -> i64 {
        ((self.total + self.choice.per_page - 1) / self.choice.per_page).max(1)
    }

    pub fn has_previous(&self) -> bool {
        self.choice.page > 1
    }

    pub fn has_next(&self) -> bool {
        self.choice.page < self.pages()
    }
}

fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

fn number(field: &str, v: Option<&str>, default: i64, ok: impl Fn(i64) -> bool, expected: &str) -> Result<i64> {
    match v {
        None => Ok(default),
        Some(v) => v
            .parse::<i64>()
            .ok()
            .filter(|n| ok(*n))
            .ok_or_else(|| AppError::invalid(field, "invalid_number", format!("expected {expected}"))),
    }
}

/// Checks the parameters for `user`; a bad one is refused naming it.
pub fn choose(user: &User, p: &OrderListParams) -> Result<OrderListChoice> {
    let scope = match given(&p.scope) {
        None if user.is_hmc() => Scope::All,
        None | Some("mine") => Scope::Mine,
        Some("unit") => Scope::Unit,
        Some("all") => Scope::All,
        Some(_) => return Err(AppError::invalid("scope", "invalid_scope", "expected mine, unit or all")),
    };
    if scope == Scope::All && !user.is_hmc() {
        return Err(AppError::forbidden("role_required", "all orders are for the assistive-device centre's staff"));
    }
    if scope == Scope::Unit && user.unit_id.is_none() {
        return Err(AppError::invalid("scope", "no_unit", "you belong to no unit"));
    }
    let status = given(&p.status)
        .map(|s| {
            OrderStatus::parse(s).map_err(|_| {
                AppError::invalid(
                    "status",
                    "invalid_status",
                    "expected registered, picked, out_for_delivery, delivered or cancelled",
                )
            })
        })
        .transpose()?;
    let q = given(&p.q).unwrap_or("").to_string();
    if q.chars().count() > MAX_SEARCH_CHARS {
        return Err(AppError::invalid("q", "query_too_long", format!("at most {MAX_SEARCH_CHARS} characters")));
    }
    let from = parse_optional_date("from", given(&p.from), "2026-11-01")?;
    let to = parse_optional_date("to", given(&p.to), "2026-11-30")?;
    if let (Some(f), Some(t)) = (from, to) {
        if f > t {
            return Err(AppError::invalid("from", "after_to", "the first day is after the last day"));
        }
    }
    let sort = match given(&p.sort) {
        None | Some("date") => OrderSort::Date,
        Some("status") => OrderSort::Status,
        Some("number") => OrderSort::Number,
        Some(_) => return Err(AppError::invalid("sort", "invalid_sort", "expected date, status or number")),
    };
    let descending = match given(&p.dir) {
        None => sort != OrderSort::Status,
        Some("desc") => true,
        Some("asc") => false,
        Some(_) => return Err(AppError::invalid("dir", "invalid_dir", "expected asc or desc")),
    };
    let page = number("page", given(&p.page), 1, |n| (1..=MAX_PAGE).contains(&n), "a page number from 1")?;
    let per_page =
        number("per_page", given(&p.per_page), DEFAULT_PAGE_SIZE, |n| PAGE_SIZES.contains(&n), "10, 25, 50 or 100")?;
    Ok(OrderListChoice { scope, status, q, from, to, sort, descending, page, per_page })
}

/// The storage query for a checked choice: scope, filters, sort and page.
fn query(user: &User, c: &OrderListChoice) -> OrderPageQuery {
    let text = c.q.trim_start_matches('#').trim().to_lowercase();
    OrderPageQuery {
        created_by: (c.scope == Scope::Mine).then_some(user.id),
        unit_id: if c.scope == Scope::Unit { user.unit_id } else { None },
        status: c.status,
        from: c.from.map(stockholm_midnight_utc),
        until: c.to.and_then(|t| t.succ_opt()).map(stockholm_midnight_utc),
        order_number: text.parse().ok(),
        text: Some(text).filter(|t| !t.is_empty()),
        sort: c.sort,
        descending: c.descending,
        limit: c.per_page,
        offset: (c.page - 1) * c.per_page,
    }
}

/// One page of the orders `user` may list, as `p` asks.
pub async fn order_list(app: &App, user: &User, p: &OrderListParams) -> Result<OrderList> {
    let choice = choose(user, p)?;
    let page = app.storage.order_page(&query(user, &choice)).await?;
    Ok(OrderList { choice, orders: page.orders, total: page.total })
}
