//! Companies: list, create, read, replace.

use actix_web::{get, post, put, web, HttpResponse};
use incontro_core::access::Action;

use crate::api::{self, CompanyBody, Page, PageParams};
use crate::auth::{Caller, Checked, NoParams};
use crate::error::ApiResult;
use crate::state::AppState;

/// The companies the caller may see (those with a site in their office), by id.
#[utoipa::path(
    tag = "companies",
    params(PageParams),
    responses(
        (status = 200, description = "A page of companies", body = crate::api::PageDoc),
        (status = 403, description = "forbidden_role", body = crate::error::ErrorBody),
    ),
    security(("bearer" = []))
)]
#[get("/v1/companies")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    params: Checked<web::Query<PageParams>>,
) -> ApiResult<HttpResponse> {
    caller.0.authorize(Action::ReadCompany)?;
    let params = params.get()?;
    let (limit, offset) = api::page(params.limit, params.offset, state.config.max_page_size)?;
    let principal = caller.0;
    let (items, total) = state
        .call(move |engine| engine.companies_visible_to(&principal, limit, offset))
        .await?;
    Ok(HttpResponse::Ok().json(Page {
        items,
        total: Some(total),
        limit,
        offset,
    }))
}

/// Creates a company (`id` in the body; 409 `company_exists` when taken).
#[utoipa::path(
    tag = "companies",
    request_body = CompanyBody,
    responses(
        (status = 201, description = "Created", body = Object),
        (status = 400, description = "Invalid field", body = crate::error::ErrorBody),
        (status = 409, description = "company_exists", body = crate::error::ErrorBody),
    ),
    security(("bearer" = []))
)]
#[post("/v1/companies")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    body: Checked<web::Json<CompanyBody>>,
    query: Checked<web::Query<NoParams>>,
) -> ApiResult<HttpResponse> {
    caller.0.authorize(Action::WriteCompany)?;
    let body = body.get()?;
    query.get()?;
    let company = body.into_inner().into_company(None)?;
    let principal = caller.0;
    let created = state
        .call(move |engine| {
            engine.create_company(&principal, &company)?;
            Ok(company)
        })
        .await?;
    Ok(HttpResponse::Created().json(created))
}

/// One company.
#[utoipa::path(
    tag = "companies",
    params(("id" = String, Path, description = "Company id")),
    responses(
        (status = 200, description = "The company", body = Object),
        (status = 403, description = "forbidden_role or other_office", body = crate::error::ErrorBody),
        (status = 404, description = "company_not_found", body = crate::error::ErrorBody),
    ),
    security(("bearer" = []))
)]
#[get("/v1/companies/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    query: Checked<web::Query<NoParams>>,
) -> ApiResult<HttpResponse> {
    caller.0.authorize(Action::ReadCompany)?;
    query.get()?;
    let id = api::entity_id(&id)?;
    let principal = caller.0;
    let company = state
        .call(move |engine| engine.company_for(&principal, Action::ReadCompany, &id))
        .await?;
    Ok(HttpResponse::Ok().json(company))
}

/// Replaces a company.
#[utoipa::path(
    tag = "companies",
    params(("id" = String, Path, description = "Company id")),
    request_body = CompanyBody,
    responses(
        (status = 200, description = "Replaced", body = Object),
        (status = 404, description = "company_not_found", body = crate::error::ErrorBody),
    ),
    security(("bearer" = []))
)]
#[put("/v1/companies/{id}")]
pub async fn replace(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: Checked<web::Json<CompanyBody>>,
    query: Checked<web::Query<NoParams>>,
) -> ApiResult<HttpResponse> {
    caller.0.authorize(Action::WriteCompany)?;
    let body = body.get()?;
    query.get()?;
    let id = api::entity_id(&id)?;
    let company = body.into_inner().into_company(Some(&id))?;
    let principal = caller.0;
    let replaced = state
        .call(move |engine| {
            engine.update_company(&principal, &company)?;
            Ok(company)
        })
        .await?;
    Ok(HttpResponse::Ok().json(replaced))
}
