//! The unit orderer over HTTP: the unit's saved order lists
//! (`/api/v1/order-lists`) and the price of an order with the unit's
//! budget (`/api/v1/unit-orders/quote`). Placing the order is the ordinary
//! `POST /api/v1/orders` with `"target": "unit"` and `lines`.

use crate::error::ApiError;
use crate::extract::{ApiJson, ApiUser};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use ramp_app::model::OrderList;
use ramp_app::order_lists::{self as uc, ListInput};
use ramp_app::unit_orders::{LineInput, PricedLine, UnitQuote};
use ramp_domain::Term;
use serde::{Deserialize, Serialize};
use utoipa::{OpenApi, ToSchema};

#[derive(OpenApi)]
#[openapi(
    paths(lists, create, one, replace, remove, quote),
    tags((name = "unit-orders", description = "The unit orderer: saved order lists of the caller's unit, and an order priced with the unit's budget. Unit orderers only, their own unit only."))
)]
pub struct UnitOrdersApi;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/order-lists", get(lists).post(create))
        .route("/api/v1/order-lists/{id}", get(one).put(replace).delete(remove))
        .route("/api/v1/unit-orders/quote", post(quote))
}

/// One line: an article and how many (1–99; default 1).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LineBody {
    pub article_number: String,
    pub quantity: Option<i32>,
}

/// A list as written: its name (1–80 characters, once per unit) and 1–50 lines, each article once.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ListBody {
    pub name: String,
    pub lines: Vec<LineBody>,
}

/// The lines of an order to price.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuoteBody {
    pub lines: Vec<LineBody>,
}

fn lines_of(lines: &[LineBody]) -> Vec<LineInput> {
    lines.iter().map(|l| LineInput { article_number: l.article_number.clone(), quantity: l.quantity }).collect()
}

/// A line with its price: per month for a rental article, once for a sale article.
#[derive(Debug, Serialize, ToSchema)]
pub struct PricedLineDto {
    pub article_number: String,
    pub name: String,
    /// main_device | accessory | spare_part | consumable | medtech_product | nutrition
    pub kind: String,
    /// rental (a monthly rent) | sale (a purchase)
    pub billing: String,
    pub quantity: i32,
    pub unit_price_ore: i64,
    pub line_total_ore: i64,
    /// Devices in central stock now (articles tracked one by one only).
    pub in_stock: Option<i64>,
}

impl From<&PricedLine> for PricedLineDto {
    fn from(l: &PricedLine) -> Self {
        Self {
            article_number: l.article.article_number.clone(),
            name: l.article.name.clone(),
            kind: l.article.kind.as_str().to_string(),
            billing: l.article.billing.as_str().to_string(),
            quantity: l.quantity,
            unit_price_ore: l.unit_price.0,
            line_total_ore: l.line_total.0,
            in_stock: l.in_stock,
        }
    }
}

/// A saved list.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrderListDto {
    pub id: i64,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub lines: Vec<ListLineDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ListLineDto {
    pub article_number: String,
    pub name: String,
    pub quantity: i32,
}

impl From<&OrderList> for OrderListDto {
    fn from(l: &OrderList) -> Self {
        Self {
            id: l.id,
            name: l.name.clone(),
            created_at: l.created_at,
            updated_at: l.updated_at,
            lines: l
                .lines
                .iter()
                .map(|x| ListLineDto {
                    article_number: x.article.article_number.clone(),
                    name: x.article.name.clone(),
                    quantity: x.quantity,
                })
                .collect(),
        }
    }
}

/// The principal's year beside the order.
#[derive(Debug, Serialize, ToSchema)]
pub struct BudgetDto {
    pub principal: String,
    pub year: i32,
    /// `null` when no budget is set for the year.
    pub budget_ore: Option<i64>,
    pub spent_ore: i64,
    /// Purchases plus the monthly rent for the rest of the year, the order's month included.
    pub this_order_ore: i64,
    pub left_after_ore: Option<i64>,
}

/// An order priced: its lines, totals and the unit's budget.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuoteDto {
    pub unit: String,
    pub lines: Vec<PricedLineDto>,
    pub rent_per_month_ore: i64,
    pub purchase_ore: i64,
    pub budget: BudgetDto,
}

impl From<&UnitQuote> for QuoteDto {
    fn from(q: &UnitQuote) -> Self {
        let b = &q.budget;
        Self {
            unit: q.unit_name.clone(),
            lines: q.lines.iter().map(PricedLineDto::from).collect(),
            rent_per_month_ore: q.rent_per_month.0,
            purchase_ore: q.purchase.0,
            budget: BudgetDto {
                principal: b.principal_name.clone(),
                year: b.year,
                budget_ore: b.budget.map(|o| o.0),
                spent_ore: b.spent.0,
                this_order_ore: b.this_order.0,
                left_after_ore: b.left_after.map(|o| o.0),
            },
        }
    }
}

/// The caller's unit's saved order lists, by name.
#[utoipa::path(get, path = "/api/v1/order-lists", tag = "unit-orders", security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "the unit's lists", body = [OrderListDto]),
    (status = 403, description = "not a unit orderer (orderer_role_required)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn lists(State(state): State<AppState>, ApiUser(user): ApiUser) -> Result<Json<Vec<OrderListDto>>, ApiError> {
    let lists = uc::lists(&state.app, &user).await?;
    Ok(Json(lists.iter().map(OrderListDto::from).collect()))
}

/// Saves a new order list for the caller's unit.
#[utoipa::path(post, path = "/api/v1/order-lists", tag = "unit-orders", request_body = ListBody, security(("token" = []), ("session" = [])), responses(
    (status = 201, description = "saved", body = OrderListDto),
    (status = 403, description = "not a unit orderer", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "no such article (lines[i].article_number)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 409, description = "the unit has a list of that name (order_list_name_taken, field name)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "invalid input, naming the field (name, lines, lines[i].quantity …)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn create(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(b): ApiJson<ListBody>,
) -> Result<(StatusCode, Json<OrderListDto>), ApiError> {
    let input = ListInput { name: b.name, lines: lines_of(&b.lines) };
    let list = uc::create(&state.app, &user, &input).await?;
    Ok((StatusCode::CREATED, Json(OrderListDto::from(&list))))
}

/// One of the caller's unit's lists.
#[utoipa::path(get, path = "/api/v1/order-lists/{id}", tag = "unit-orders", params(("id" = i64, Path)), security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "the list", body = OrderListDto),
    (status = 403, description = "another unit's list (other_unit), or not a unit orderer", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "no such list", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn one(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<OrderListDto>, ApiError> {
    Ok(Json(OrderListDto::from(&uc::list(&state.app, &user, id).await?)))
}

/// Replaces a list's name and lines.
#[utoipa::path(put, path = "/api/v1/order-lists/{id}", tag = "unit-orders", request_body = ListBody, params(("id" = i64, Path)), security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "saved", body = OrderListDto),
    (status = 403, description = "another unit's list (other_unit), or not a unit orderer", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "no such list or article", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 409, description = "the unit has another list of that name", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "invalid input, naming the field", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn replace(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<ListBody>,
) -> Result<Json<OrderListDto>, ApiError> {
    let input = ListInput { name: b.name, lines: lines_of(&b.lines) };
    Ok(Json(OrderListDto::from(&uc::update(&state.app, &user, id, &input).await?)))
}

/// Deletes a list.
#[utoipa::path(delete, path = "/api/v1/order-lists/{id}", tag = "unit-orders", params(("id" = i64, Path)), security(("token" = []), ("session" = [])), responses(
    (status = 204, description = "deleted"),
    (status = 403, description = "another unit's list (other_unit), or not a unit orderer", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "no such list", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn remove(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    uc::delete(&state.app, &user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Prices an order for the caller's unit: per line the price (monthly
/// rent or purchase, as the article's billing says) and the line's total,
/// the order's totals, and the unit's principal's budget for the year,
/// spent so far and what the order adds. Reserves nothing.
#[utoipa::path(post, path = "/api/v1/unit-orders/quote", tag = "unit-orders", request_body = QuoteBody, security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "the order priced", body = QuoteDto),
    (status = 403, description = "not a unit orderer", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "no such article (lines[i].article_number)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "invalid input, naming the field (lines[i].quantity …)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn quote(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(b): ApiJson<QuoteBody>,
) -> Result<Json<QuoteDto>, ApiError> {
    let q = ramp_app::unit_orders::quote(&state.app, &user, &lines_of(&b.lines)).await?;
    Ok(Json(QuoteDto::from(&q)))
}
