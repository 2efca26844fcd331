//! The ordering portal over HTTP: preview a line, the cart (reservations
//! that run out by themselves), orders (idempotent with `Idempotency-Key`)
//! and their status. Personal identity numbers travel in bodies only.

use super::orders_dto::{parse_place, CartDto, CartItemDto, DeliveryBody, OrderDto, OrderListDto, PreviewDto};
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiUser, RequestId};
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use ramp_app::dates::parse_optional_date;
use ramp_app::orders::{LineRequest, OrderRequest};
use ramp_app::AppError;
use ramp_domain::cost::Need;
use ramp_domain::order::{api_channel, OrderStatus, OrderTarget, ReplacementAnswer};
use ramp_domain::product::ReplacementDecline;
use ramp_domain::Term;
use serde::Deserialize;
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};

/// One line: for whom and what.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LineBody {
    /// patient (default) | unit | buffer
    pub target: Option<String>,
    /// The patient's personnummer or samordningsnummer (target patient).
    pub personal_id: Option<String>,
    /// The unit (target unit or buffer); default the orderer's own.
    pub unit_id: Option<i64>,
    pub article_number: String,
    /// For articles not tracked one by one (consumables); devices are one per line.
    pub quantity: Option<i32>,
    /// lasting (default) | temporary | during_stay_only | continues_at_home
    pub need: Option<String>,
    /// Answers to the agreement's questions, e.g. `{"carer_controlled": false}`.
    #[serde(default)]
    pub facts: BTreeMap<String, bool>,
    /// accept | decline: the answer to a replacement proposal in an ordinary group.
    pub replacement: Option<String>,
    /// Why the proposal is declined (with `replacement: decline` only).
    pub replacement_decline: Option<DeclineBody>,
}

/// Why a replacement proposal is declined: a reason from the fixed list
/// and an optional note (required for `other`). Counted in the
/// replacement-acceptance figure.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeclineBody {
    /// patient_needs | does_not_fit | accessories_do_not_fit | tried_out | environment | other
    pub reason: String,
    /// At most 500 characters; required when the reason is `other`.
    pub note: Option<String>,
}

impl DeclineBody {
    fn parse(&self) -> Result<ReplacementDecline, ramp_domain::FieldError> {
        ReplacementDecline::parse(&self.reason, self.note.as_deref())
    }
}

fn parse_or<T>(
    v: Option<&str>,
    parse: impl Fn(&str) -> Result<T, ramp_domain::FieldError>,
) -> Result<Option<T>, ApiError> {
    Ok(v.map(parse).transpose()?)
}

impl LineBody {
    fn to_request(&self) -> Result<LineRequest, ApiError> {
        Ok(LineRequest {
            target: parse_or(self.target.as_deref(), OrderTarget::parse)?,
            personal_id: self.personal_id.clone(),
            unit_id: self.unit_id,
            article_number: self.article_number.clone(),
            quantity: self.quantity,
            need: parse_or(self.need.as_deref(), Need::parse)?,
            facts: self.facts.clone(),
            replacement: parse_or(self.replacement.as_deref(), ReplacementAnswer::parse)?,
            replacement_decline: self.replacement_decline.as_ref().map(DeclineBody::parse).transpose()?,
        })
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderBody {
    /// patient (default) | unit | buffer
    pub target: Option<String>,
    pub personal_id: Option<String>,
    pub unit_id: Option<i64>,
    /// The goal of the prescription (required for a patient).
    pub goal: Option<String>,
    /// `YYYY-MM-DD`, after today (required for a patient).
    pub evaluation_date: Option<String>,
    /// `YYYY-MM-DD`: the end of a short-term prescription, at most 6 months ahead.
    pub end_date: Option<String>,
    /// The lines, to place the order in this one request without the cart
    /// (1 to 50): each device is reserved as the order is placed, or the
    /// order is refused naming the line (`lines[0].article_number`). Left
    /// out, the order is the recipient's lines in the caller's cart.
    pub lines: Option<Vec<OrderLineBody>>,
    /// Where the devices are used, which decides who pays: ordinary (home) |
    /// saebo | lss_housing | socialpsychiatry_housing | short_term_stay |
    /// day_care | daily_activity. Default: the patient's setting today.
    /// Patient orders only.
    pub place_of_use: Option<String>,
    /// Where and how the order goes. Left out: the centre's transport to
    /// the registered address, normal urgency, nobody named to call.
    pub delivery: Option<DeliveryBody>,
    /// How the order came: api (default) | patient_1177 (the patient's own
    /// order through the 1177 e-service, patient orders only). Counted in
    /// the share of digital orders.
    pub channel: Option<String>,
}

/// One line of an order placed directly; for whom is the order's.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderLineBody {
    pub article_number: String,
    /// For articles not tracked one by one (consumables); for a patient a device is one per
    /// line. On a unit's or buffer's order a device's quantity (1–99) becomes that many lines,
    /// each with its own reserved device, or is refused `not_enough_in_stock` on this field.
    pub quantity: Option<i32>,
    /// lasting (default) | temporary | during_stay_only | continues_at_home
    pub need: Option<String>,
    /// Answers to the agreement's questions, e.g. `{"carer_controlled": false}`.
    #[serde(default)]
    pub facts: BTreeMap<String, bool>,
    /// accept | decline: the answer to a replacement proposal in an ordinary group.
    pub replacement: Option<String>,
    /// Why the proposal is declined (with `replacement: decline` only).
    pub replacement_decline: Option<DeclineBody>,
}

impl OrderLineBody {
    fn to_request(&self, index: usize) -> Result<LineRequest, AppError> {
        let within = |e: ramp_domain::FieldError| AppError::from(e).within("lines", index);
        Ok(LineRequest {
            article_number: self.article_number.clone(),
            quantity: self.quantity,
            need: self.need.as_deref().map(Need::parse).transpose().map_err(within)?,
            facts: self.facts.clone(),
            replacement: self.replacement.as_deref().map(ReplacementAnswer::parse).transpose().map_err(within)?,
            replacement_decline: self
                .replacement_decline
                .as_ref()
                .map(DeclineBody::parse)
                .transpose()
                .map_err(within)?,
            ..LineRequest::default()
        })
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusBody {
    /// picked | out_for_delivery | delivered | cancelled
    pub status: String,
    /// Who took the delivery.
    pub received_by: Option<String>,
}

/// The order list's parameters. Each is optional; a bad value is a 422
/// naming it. Rows carry no patient identity, and there is no search by
/// patient: what identifies a patient never goes in a URL.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrderListQuery {
    /// mine (the caller's own orders) | unit (the caller's unit's) | all
    /// (the centre's staff only). Default: all for the centre's staff, else mine.
    pub scope: Option<String>,
    /// registered | picked | out_for_delivery | delivered | cancelled
    pub status: Option<String>,
    /// Search text (at most 100 characters): an order number, or part of a
    /// line's article name, article number or ISO code.
    pub q: Option<String>,
    /// `YYYY-MM-DD`: placed on or after this day (Swedish time).
    pub from: Option<String>,
    /// `YYYY-MM-DD`: placed on or before this day; not before `from`.
    pub to: Option<String>,
    /// date (default) | status (in lifecycle order) | number. Ties are
    /// broken by the order number, so pages never repeat or skip a row.
    pub sort: Option<String>,
    /// asc | desc. Default: desc, but asc for sort=status.
    pub dir: Option<String>,
    /// The page, from 1 (default 1, at most 100000).
    pub page: Option<String>,
    /// Orders per page: 10 | 25 (default) | 50 | 100.
    pub per_page: Option<String>,
}

impl OrderListQuery {
    fn params(self) -> ramp_app::orders::OrderListParams {
        ramp_app::orders::OrderListParams {
            scope: self.scope,
            status: self.status,
            q: self.q,
            from: self.from,
            to: self.to,
            sort: self.sort,
            dir: self.dir,
            page: self.page,
            per_page: self.per_page,
        }
    }
}

/// Previews a line: the replacement proposal, who pays and why, or the
/// agreement's questions. Reserves nothing; audited as a read of the patient.
#[utoipa::path(post, path = "/api/v1/cart/preview", tag = "ordering", request_body = LineBody, security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "what ordering the line would mean", body = PreviewDto),
    (status = 403, description = "no care relationship, missing competence (competence_required) or trust-prescription not allowed", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "invalid input or not orderable here, naming the field", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn preview(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    ApiJson(body): ApiJson<LineBody>,
) -> Result<Json<PreviewDto>, ApiError> {
    let p = ramp_app::orders::preview_line(&state.app, &user, &body.to_request()?, Some(&rid)).await?;
    Ok(Json(PreviewDto::from(&p)))
}

/// Adds a line to the caller's cart and reserves its device (the oldest in
/// central stock) until `reserved_until`; then it returns to stock by itself.
#[utoipa::path(post, path = "/api/v1/cart/items", tag = "ordering", request_body = LineBody, security(("token" = []), ("session" = [])), responses(
    (status = 201, description = "added and reserved", body = CartItemDto),
    (status = 403, description = "no care relationship, competence_required, trust_prescription_not_allowed, orderer_role_required, other_unit", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "no such article or patient", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 409, description = "no_longer_available (with `alternatives`) or replacement_answer_required (with `proposal`)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "invalid input, facts_needed (with `needs`), not_orderable_here; invalid_decline_reason, required (replacement_decline.reason, replacement_decline.note for `other`), too_long (replacement_decline.note), only_when_declining (replacement_decline)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn add_item(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    ApiJson(body): ApiJson<LineBody>,
) -> Result<(StatusCode, Json<CartItemDto>), ApiError> {
    let line = ramp_app::orders::add_to_cart(&state.app, &user, &body.to_request()?, Some(&rid)).await?;
    Ok((StatusCode::CREATED, Json(CartItemDto::from(&line))))
}

/// The caller's cart; lines whose reservation ran out are gone.
#[utoipa::path(get, path = "/api/v1/cart", tag = "ordering", security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "the cart", body = CartDto),
    (status = 401, description = "not logged in", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 503, description = "unavailable: the database cannot be reached (retry later)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn cart(State(state): State<AppState>, ApiUser(user): ApiUser) -> Result<Json<CartDto>, ApiError> {
    let lines = ramp_app::orders::cart(&state.app, &user).await?;
    Ok(Json(CartDto { items: lines.iter().map(CartItemDto::from).collect() }))
}

/// Removes a line from the caller's cart; its device returns to stock.
#[utoipa::path(delete, path = "/api/v1/cart/items/{id}", tag = "ordering", params(("id" = i64, Path, description = "the cart item")), security(("token" = []), ("session" = [])), responses(
    (status = 204, description = "removed"),
    (status = 404, description = "no such item in your cart", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn remove_item(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    ramp_app::orders::remove_from_cart(&state.app, &user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Places an order for the recipient: from the caller's cart lines, or,
/// with `lines`, in this one request (each device reserved as the order is
/// placed). With an `Idempotency-Key` header a retry returns the same order
/// (200, header `Idempotent-Replayed: true`) instead of creating another.
#[utoipa::path(post, path = "/api/v1/orders", tag = "ordering", request_body = OrderBody, params(("Idempotency-Key" = Option<String>, Header, description = "1–100 visible ASCII characters; the same key returns the same order")), security(("token" = []), ("session" = [])), responses(
    (status = 201, description = "the order, registered", body = OrderDto),
    (status = 200, description = "a retry: the order the key already created", body = OrderDto),
    (status = 403, description = "no care relationship, competence_required or trust_prescription_not_allowed (naming the line)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "no such patient or article (lines[i].article_number)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 409, description = "reservation_expired: a device went back to stock; no_longer_available (lines[i].article_number, with `alternatives`) or replacement_answer_required (lines[i].replacement, with `proposal`) for a direct order", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "invalid input naming the field (goal, evaluation_date, end_date, place_of_use, delivery.address, delivery.contact_name, delivery.contact_phone, delivery.method, delivery.urgency, delivery.note, cart, lines, lines[i].…, Idempotency-Key)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn place(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    headers: HeaderMap,
    ApiJson(body): ApiJson<OrderBody>,
) -> Result<Response, ApiError> {
    let key = match headers.get("idempotency-key") {
        None => None,
        Some(v) => Some(v.to_str().map_err(|_| {
            AppError::invalid("Idempotency-Key", "invalid_idempotency_key", "the Idempotency-Key is visible ASCII")
        })?),
    };
    let target = parse_or(body.target.as_deref(), OrderTarget::parse)?;
    let channel = api_channel(body.channel.as_deref(), target.unwrap_or(OrderTarget::Patient))?;
    let req = OrderRequest {
        target,
        personal_id: body.personal_id.clone(),
        unit_id: body.unit_id,
        goal: body.goal.clone(),
        evaluation_date: parse_optional_date("evaluation_date", body.evaluation_date.as_deref(), "2027-02-01")?,
        end_date: parse_optional_date("end_date", body.end_date.as_deref(), "2027-02-01")?,
        lines: match &body.lines {
            None => None,
            Some(lines) => Some(lines.iter().enumerate().map(|(i, l)| l.to_request(i)).collect::<Result<_, _>>()?),
        },
        place_of_use: body.place_of_use.as_deref().map(parse_place).transpose()?,
        delivery: body.delivery.as_ref().map(DeliveryBody::to_input).transpose()?,
        channel: Some(channel),
    };
    let placed = ramp_app::orders::place_order(&state.app, &user, &req, key, Some(&rid)).await?;
    let status = if placed.replayed { StatusCode::OK } else { StatusCode::CREATED };
    let mut resp = (status, Json(OrderDto::from(&placed.order))).into_response();
    if placed.replayed {
        resp.headers_mut().insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    Ok(resp)
}

/// One order with its lines (payer, rule, agreement version, promised date) and status history.
#[utoipa::path(get, path = "/api/v1/orders/{id}", tag = "ordering", params(("id" = i64, Path, description = "the order")), security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "the order", body = OrderDto),
    (status = 403, description = "not yours and no ground to read the patient", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "no such order", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn get_order(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    Path(id): Path<i64>,
) -> Result<Json<OrderDto>, ApiError> {
    let o = ramp_app::orders::order(&state.app, &user, id, Some(&rid)).await?;
    Ok(Json(OrderDto::from(&o)))
}

/// The order list: the caller's own orders (or their unit's, or for the
/// centre's staff all orders), filtered, sorted and a page at a time, with
/// the count of all matching orders. Reads no patient (rows carry no
/// patient identity), so it writes no audit row.
#[utoipa::path(get, path = "/api/v1/orders", tag = "ordering", params(OrderListQuery), security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "one page of orders", body = OrderListDto),
    (status = 403, description = "scope=all is for the centre's staff (role_required)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "a bad parameter, named in `field` (scope, status, q, from, to, sort, dir, page, per_page)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<OrderListQuery>,
) -> Result<Json<OrderListDto>, ApiError> {
    let list = ramp_app::orders::order_list(&state.app, &user, &q.params()).await?;
    Ok(Json(OrderListDto::from(&list)))
}

/// Moves an order: picked, out for delivery, delivered (the devices go to
/// the patient or unit and their loans start), or cancelled (back to stock).
#[utoipa::path(post, path = "/api/v1/orders/{id}/status", tag = "ordering", request_body = StatusBody, params(("id" = i64, Path, description = "the order")), security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "the order after the move", body = OrderDto),
    (status = 403, description = "only the warehouse moves orders; the creator may cancel a registered one", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 409, description = "invalid_status_change or state_changed", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn change_status(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<StatusBody>,
) -> Result<Json<OrderDto>, ApiError> {
    let to = OrderStatus::parse(&body.status)?;
    let o = ramp_app::orders::change_status(&state.app, &user, id, to, body.received_by.as_deref()).await?;
    Ok(Json(OrderDto::from(&o)))
}
