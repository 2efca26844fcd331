//! Principals with their customer numbers, and units.

use super::caller;
use super::dto::*;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiUser, RequestId};
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use ramp_app::admin as uc;
use serde::Deserialize;
use utoipa::IntoParams;

/// Every principal with its customer numbers.
#[utoipa::path(get, path = "/api/v1/admin/principals", tag = "admin", security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "the principals", body = Vec<PrincipalDto>),
    (status = 403, description = "role_required", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn principals(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
) -> Result<Json<Vec<PrincipalDto>>, ApiError> {
    let list = uc::list_principals(&state.app, caller(&user, &rid)).await?;
    Ok(Json(list.iter().map(PrincipalDto::from).collect()))
}

/// Creates a principal: a region or a municipality.
#[utoipa::path(post, path = "/api/v1/admin/principals", tag = "admin", request_body = PrincipalBody, security(("token" = []), ("session" = [])), responses(
    (status = 201, description = "created", body = CreatedDto),
    (status = 403, description = "role_required", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "required, invalid_code, invalid_municipality_code, code_taken (field code); invalid_principal_kind (field kind)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn create_principal(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    ApiJson(b): ApiJson<PrincipalBody>,
) -> Result<(StatusCode, Json<CreatedDto>), ApiError> {
    let input = uc::PrincipalInput { code: b.code, name: b.name, kind: b.kind };
    let id = uc::create_principal(&state.app, caller(&user, &rid), &input).await?;
    Ok((StatusCode::CREATED, Json(CreatedDto { id })))
}

/// Renames a principal.
#[utoipa::path(put, path = "/api/v1/admin/principals/{id}", tag = "admin", request_body = NameBody, params(("id" = i64, Path, description = "the principal")), security(("token" = []), ("session" = [])), responses(
    (status = 204, description = "changed"),
    (status = 403, description = "role_required", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "principal_not_found", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "required (field name)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn edit_principal(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<NameBody>,
) -> Result<StatusCode, ApiError> {
    uc::edit_principal(&state.app, caller(&user, &rid), id, &b.name).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Records the day a municipality's agreement on basic equipment began
/// (`since`), or with `null` that it has none; surplus basic equipment is
/// sold only to municipalities that have one. Recorded in the change log.
#[utoipa::path(put, path = "/api/v1/admin/principals/{id}/basic-equipment-agreement", tag = "admin", request_body = BasicEquipmentBody, params(("id" = i64, Path, description = "the municipality (principal id)")), security(("token" = []), ("session" = [])), responses(
    (status = 204, description = "recorded"),
    (status = 403, description = "role_required", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "principal_not_found", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "invalid_date, not_a_municipality (field basic_equipment_since)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn basic_equipment_agreement(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<BasicEquipmentBody>,
) -> Result<StatusCode, ApiError> {
    let since = ramp_app::dates::parse_optional_date("basic_equipment_since", b.since.as_deref(), "2021-01-01")?;
    uc::set_basic_equipment_agreement(&state.app, caller(&user, &rid), id, since).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Adds a customer number to a principal.
#[utoipa::path(post, path = "/api/v1/admin/principals/{id}/customer-numbers", tag = "admin", request_body = CustomerNumberBody, params(("id" = i64, Path, description = "the principal")), security(("token" = []), ("session" = [])), responses(
    (status = 201, description = "created", body = CreatedDto),
    (status = 403, description = "role_required", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "principal_not_found", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "required, invalid_customer_number, customer_number_taken (field number); required (field name)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn add_customer_number(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<CustomerNumberBody>,
) -> Result<(StatusCode, Json<CreatedDto>), ApiError> {
    let id = uc::add_customer_number(&state.app, caller(&user, &rid), id, &b.number, &b.name).await?;
    Ok((StatusCode::CREATED, Json(CreatedDto { id })))
}

/// Renames a customer number (the number stays).
#[utoipa::path(put, path = "/api/v1/admin/customer-numbers/{id}", tag = "admin", request_body = NameBody, params(("id" = i64, Path, description = "the customer number's id")), security(("token" = []), ("session" = [])), responses(
    (status = 204, description = "changed"),
    (status = 403, description = "role_required", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "customer_number_not_found", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "required (field name)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn edit_customer_number(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<NameBody>,
) -> Result<StatusCode, ApiError> {
    uc::edit_customer_number(&state.app, caller(&user, &rid), id, &b.name).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UnitParams {
    /// Only this principal's units.
    pub principal_id: Option<i64>,
}

/// Every unit (of one principal), active and deactivated.
#[utoipa::path(get, path = "/api/v1/admin/units", tag = "admin", params(UnitParams), security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "the units, by name", body = Vec<UnitDto>),
    (status = 403, description = "role_required", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn units(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    Query(q): Query<UnitParams>,
) -> Result<Json<Vec<UnitDto>>, ApiError> {
    let list = uc::list_units(&state.app, caller(&user, &rid), q.principal_id).await?;
    Ok(Json(list.iter().map(UnitDto::from).collect()))
}

/// Creates a unit of a principal, invoiced under one of its customer numbers.
#[utoipa::path(post, path = "/api/v1/admin/units", tag = "admin", request_body = UnitBody, security(("token" = []), ("session" = [])), responses(
    (status = 201, description = "created", body = CreatedDto),
    (status = 403, description = "role_required", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "principal_not_found (field principal_id), customer_number_not_found (field customer_number_id)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "invalid_hsa_id, hsa_id_taken (field hsa_id); required (name); invalid_unit_kind (kind); customer_number_of_other_principal (customer_number_id); too_long (delivery_route); required, too_long (street, city); invalid_postal_code (postal_code)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn create_unit(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    ApiJson(b): ApiJson<UnitBody>,
) -> Result<(StatusCode, Json<CreatedDto>), ApiError> {
    let input = uc::UnitInput {
        principal_id: b.principal_id,
        hsa_id: b.hsa_id,
        name: b.name,
        kind: b.kind,
        customer_number_id: b.customer_number_id,
        delivery_route: b.delivery_route,
        address: b.address.as_ref().map(AddressDto::input),
    };
    let id = uc::create_unit(&state.app, caller(&user, &rid), &input).await?;
    Ok((StatusCode::CREATED, Json(CreatedDto { id })))
}

/// Changes a unit's name, kind, customer number, delivery route and address (absent route/address: kept).
#[utoipa::path(put, path = "/api/v1/admin/units/{id}", tag = "admin", request_body = UnitEditBody, params(("id" = i64, Path, description = "the unit")), security(("token" = []), ("session" = [])), responses(
    (status = 204, description = "changed"),
    (status = 403, description = "role_required", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "unit_not_found, customer_number_not_found", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "as when creating", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn edit_unit(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<UnitEditBody>,
) -> Result<StatusCode, ApiError> {
    let input = uc::UnitInput {
        name: b.name,
        kind: b.kind,
        customer_number_id: b.customer_number_id,
        delivery_route: b.delivery_route,
        address: b.address.as_ref().map(AddressDto::input),
        ..Default::default()
    };
    uc::edit_unit(&state.app, caller(&user, &rid), id, &input).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Deactivates a unit: it gets no new users. Deactivating it again changes nothing.
#[utoipa::path(post, path = "/api/v1/admin/units/{id}/deactivate", tag = "admin", params(("id" = i64, Path, description = "the unit")), security(("token" = []), ("session" = [])), responses(
    (status = 204, description = "deactivated"),
    (status = 403, description = "role_required", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "unit_not_found", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn deactivate_unit(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    uc::deactivate_unit(&state.app, caller(&user, &rid), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Reactivates a unit.
#[utoipa::path(post, path = "/api/v1/admin/units/{id}/reactivate", tag = "admin", params(("id" = i64, Path, description = "the unit")), security(("token" = []), ("session" = [])), responses(
    (status = 204, description = "reactivated"),
    (status = 403, description = "role_required", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "unit_not_found", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn reactivate_unit(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    RequestId(rid): RequestId,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    uc::reactivate_unit(&state.app, caller(&user, &rid), id).await?;
    Ok(StatusCode::NO_CONTENT)
}
