//! Skills and occupations: type-ahead search, details, hierarchy.

use actix_web::{get, web, HttpResponse};
use incontro_core::access::Action;
use incontro_core::ErrorCode;

use crate::api::{self, LangParams, OccupationSearchParams, Page, SkillSearchParams};
use crate::auth::{Caller, Checked};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Skill type-ahead across languages, typos tolerated.
#[utoipa::path(
    tag = "taxonomy",
    params(SkillSearchParams),
    responses(
        (status = 200, description = "Matching skills, best first", body = crate::api::PageDoc),
        (status = 400, description = "Bad parameters", body = crate::error::ErrorBody),
        (status = 401, description = "No or unknown key", body = crate::error::ErrorBody),
    ),
    security(("bearer" = []))
)]
#[get("/v1/skills")]
pub async fn search_skills(
    state: web::Data<AppState>,
    caller: Caller,
    params: Checked<web::Query<SkillSearchParams>>,
) -> ApiResult<HttpResponse> {
    caller.0.authorize(Action::ReadTaxonomy)?;
    let params = params.get()?;
    let params = params.into_inner();
    let language = api::language(params.lang.as_deref())?;
    let limit = params.limit.unwrap_or(10);
    if !(1..=50).contains(&limit) {
        return Err(ApiError::invalid(
            ErrorCode::InvalidLimit,
            "limit must be 1 to 50",
        ));
    }
    if params.q.trim().is_empty() || params.q.chars().count() > 100 {
        return Err(ApiError::invalid(
            ErrorCode::InvalidQuery,
            "q must be 1-100 characters",
        ));
    }
    let hits = state
        .call(move |engine| engine.skill_search(&params.q, &language, limit))
        .await?;
    Ok(HttpResponse::Ok().json(Page {
        total: None,
        limit,
        offset: 0,
        items: hits,
    }))
}

/// One skill: labels in every language, description, type, reuse level, related skills.
#[utoipa::path(
    tag = "taxonomy",
    params(("id" = String, Path, description = "ESCO skill identifier (the part after http://data.europa.eu/esco/skill/)"), LangParams),
    responses(
        (status = 200, description = "The skill", body = Object),
        (status = 404, description = "skill_not_found", body = crate::error::ErrorBody),
    ),
    security(("bearer" = []))
)]
#[get("/v1/skills/{id}")]
pub async fn skill(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    params: Checked<web::Query<LangParams>>,
) -> ApiResult<HttpResponse> {
    caller.0.authorize(Action::ReadTaxonomy)?;
    let params = params.get()?;
    let language = api::language(params.lang.as_deref())?;
    let id = id.into_inner();
    let detail = state
        .call(move |engine| engine.skill_detail(&id, &language))
        .await?;
    Ok(HttpResponse::Ok().json(detail))
}

/// A skill's ancestors (every path to the top) and direct children.
#[utoipa::path(
    tag = "taxonomy",
    params(("id" = String, Path, description = "ESCO skill identifier"), LangParams),
    responses(
        (status = 200, description = "The hierarchy around the skill", body = Object),
        (status = 404, description = "skill_not_found", body = crate::error::ErrorBody),
    ),
    security(("bearer" = []))
)]
#[get("/v1/skills/{id}/hierarchy")]
pub async fn skill_hierarchy(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    params: Checked<web::Query<LangParams>>,
) -> ApiResult<HttpResponse> {
    caller.0.authorize(Action::ReadTaxonomy)?;
    let params = params.get()?;
    let language = api::language(params.lang.as_deref())?;
    let id = id.into_inner();
    let hierarchy = state
        .call(move |engine| engine.skill_hierarchy(&id, &language))
        .await?;
    Ok(HttpResponse::Ok().json(hierarchy))
}

/// Occupations whose labels contain every word of `q` (any language).
#[utoipa::path(
    tag = "taxonomy",
    params(OccupationSearchParams),
    responses(
        (status = 200, description = "Matching occupations", body = crate::api::PageDoc),
        (status = 400, description = "Bad parameters", body = crate::error::ErrorBody),
    ),
    security(("bearer" = []))
)]
#[get("/v1/occupations")]
pub async fn search_occupations(
    state: web::Data<AppState>,
    caller: Caller,
    params: Checked<web::Query<OccupationSearchParams>>,
) -> ApiResult<HttpResponse> {
    caller.0.authorize(Action::ReadTaxonomy)?;
    let params = params.get()?;
    let params = params.into_inner();
    let language = api::language(params.lang.as_deref())?;
    let (limit, offset) = api::page(params.limit, params.offset, state.config.max_page_size)?;
    if params.q.chars().count() > 100 {
        return Err(ApiError::invalid(
            ErrorCode::InvalidQuery,
            "q must be 1-100 characters",
        ));
    }
    let (items, total) = state
        .call(move |engine| engine.occupation_search(&params.q, &language, limit, offset))
        .await?;
    Ok(HttpResponse::Ok().json(Page {
        items,
        total: Some(total),
        limit,
        offset,
    }))
}

/// One occupation with its essential and optional skills.
#[utoipa::path(
    tag = "taxonomy",
    params(("id" = String, Path, description = "ESCO occupation identifier"), LangParams),
    responses(
        (status = 200, description = "The occupation", body = Object),
        (status = 404, description = "occupation_not_found", body = crate::error::ErrorBody),
    ),
    security(("bearer" = []))
)]
#[get("/v1/occupations/{id}")]
pub async fn occupation(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    params: Checked<web::Query<LangParams>>,
) -> ApiResult<HttpResponse> {
    caller.0.authorize(Action::ReadTaxonomy)?;
    let params = params.get()?;
    let language = api::language(params.lang.as_deref())?;
    let id = id.into_inner();
    let detail = state
        .call(move |engine| engine.occupation_detail(&id, &language))
        .await?;
    Ok(HttpResponse::Ok().json(detail))
}
