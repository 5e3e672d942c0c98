//! Vacancies: list, create, read, replace, competence breakdown, draft → validated.

use actix_web::{get, post, put, web, HttpResponse};
use incontro_core::access::{Action, VacancyFilter};
use incontro_core::model::{ComuneCode, Vacancy};

use crate::api::{
    self, LangParams, Page, RequirementView, RequirementsBody, RequirementsView, VacancyBody,
    VacancyListParams,
};
use crate::auth::{Caller, Checked, NoParams};
use crate::error::ApiResult;
use crate::state::AppState;

/// The vacancies the caller may see (in their office), with filters, by id.
#[utoipa::path(
    tag = "vacancies",
    params(VacancyListParams),
    responses(
        (status = 200, description = "A page of vacancies", body = crate::api::PageDoc),
        (status = 403, description = "forbidden_role", body = crate::error::ErrorBody),
    ),
    security(("bearer" = []))
)]
#[get("/v1/vacancies")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    params: Checked<web::Query<VacancyListParams>>,
) -> ApiResult<HttpResponse> {
    caller.0.authorize(Action::ReadVacancy)?;
    let params = params.get()?;
    let params = params.into_inner();
    let (limit, offset) = api::page(params.limit, params.offset, state.config.max_page_size)?;
    let filter = VacancyFilter {
        company_id: params
            .company_id
            .as_deref()
            .map(api::entity_id)
            .transpose()?,
        comune: params
            .comune
            .as_deref()
            .map(ComuneCode::parse)
            .transpose()?,
        status: params.status,
    };
    let principal = caller.0;
    let (items, total) = state
        .call(move |engine| engine.vacancies_visible_to(&principal, &filter, limit, offset))
        .await?;
    Ok(HttpResponse::Ok().json(Page {
        items,
        total: Some(total),
        limit,
        offset,
    }))
}

/// Creates a vacancy as a draft (`id` in the body; 409 `vacancy_exists` when taken).
#[utoipa::path(
    tag = "vacancies",
    request_body = VacancyBody,
    responses(
        (status = 201, description = "Created (draft)", body = Object),
        (status = 400, description = "Invalid field", body = crate::error::ErrorBody),
        (status = 404, description = "company_not_found", body = crate::error::ErrorBody),
        (status = 409, description = "vacancy_exists", body = crate::error::ErrorBody),
        (status = 413, description = "payload_too_large", body = crate::error::ErrorBody),
    ),
    security(("bearer" = []))
)]
#[post("/v1/vacancies")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    body: Checked<web::Json<VacancyBody>>,
    query: Checked<web::Query<NoParams>>,
) -> ApiResult<HttpResponse> {
    caller.0.authorize(Action::WriteVacancy)?;
    let body = body.get()?;
    query.get()?;
    let vacancy = body.into_inner().into_vacancy(None)?;
    let principal = caller.0;
    let created = state
        .call(move |engine| engine.create_vacancy(&principal, &vacancy))
        .await?;
    Ok(HttpResponse::Created().json(created))
}

/// One vacancy.
#[utoipa::path(
    tag = "vacancies",
    params(("id" = String, Path, description = "Vacancy id")),
    responses(
        (status = 200, description = "The vacancy", body = Object),
        (status = 403, description = "forbidden_role or other_office", body = crate::error::ErrorBody),
        (status = 404, description = "vacancy_not_found", body = crate::error::ErrorBody),
    ),
    security(("bearer" = []))
)]
#[get("/v1/vacancies/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    query: Checked<web::Query<NoParams>>,
) -> ApiResult<HttpResponse> {
    caller.0.authorize(Action::ReadVacancy)?;
    query.get()?;
    let id = api::entity_id(&id)?;
    let principal = caller.0;
    let vacancy = state
        .call(move |engine| engine.vacancy_for(&principal, Action::ReadVacancy, &id))
        .await?;
    Ok(HttpResponse::Ok().json(vacancy))
}

/// Replaces a vacancy's content; it goes back to draft.
#[utoipa::path(
    tag = "vacancies",
    params(("id" = String, Path, description = "Vacancy id")),
    request_body = VacancyBody,
    responses(
        (status = 200, description = "Replaced (draft)", body = Object),
        (status = 404, description = "vacancy_not_found", body = crate::error::ErrorBody),
        (status = 409, description = "vacancy_closed", body = crate::error::ErrorBody),
    ),
    security(("bearer" = []))
)]
#[put("/v1/vacancies/{id}")]
pub async fn replace(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: Checked<web::Json<VacancyBody>>,
    query: Checked<web::Query<NoParams>>,
) -> ApiResult<HttpResponse> {
    caller.0.authorize(Action::WriteVacancy)?;
    let body = body.get()?;
    query.get()?;
    let id = api::entity_id(&id)?;
    let vacancy = body.into_inner().into_vacancy(Some(&id))?;
    let principal = caller.0;
    let replaced = state
        .call(move |engine| engine.update_vacancy(&principal, &vacancy))
        .await?;
    Ok(HttpResponse::Ok().json(replaced))
}

fn requirements_view(
    engine: &incontro_core::Engine,
    vacancy: &Vacancy,
    language: &str,
) -> incontro_core::Result<RequirementsView> {
    let uris: Vec<&str> = vacancy
        .requirements
        .iter()
        .map(|r| r.skill.as_str())
        .collect();
    let labels = engine.skill_labels(&uris, language)?;
    let mut essential = Vec::new();
    let mut optional = Vec::new();
    for (requirement, label) in vacancy.requirements.iter().zip(labels) {
        let view = RequirementView {
            skill: requirement.skill.as_str().to_string(),
            label: label.unwrap_or_default(),
            level: requirement.level.get(),
            level_name: requirement.level.name_it().to_string(),
            essential: requirement.essential,
            weight: requirement.weight.get(),
        };
        if requirement.essential {
            essential.push(view);
        } else {
            optional.push(view);
        }
    }
    Ok(RequirementsView {
        vacancy_id: vacancy.id.as_str().to_string(),
        status: vacancy.status.clone(),
        essential,
        optional,
    })
}

/// A vacancy's competence breakdown (essential and optional, with labels) and status.
#[utoipa::path(
    tag = "vacancies",
    params(("id" = String, Path, description = "Vacancy id"), LangParams),
    responses(
        (status = 200, description = "The breakdown", body = RequirementsView),
        (status = 404, description = "vacancy_not_found", body = crate::error::ErrorBody),
    ),
    security(("bearer" = []))
)]
#[get("/v1/vacancies/{id}/requirements")]
pub async fn requirements(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    params: Checked<web::Query<LangParams>>,
) -> ApiResult<HttpResponse> {
    caller.0.authorize(Action::ReadVacancy)?;
    let params = params.get()?;
    let id = api::entity_id(&id)?;
    let language = api::language(params.lang.as_deref())?;
    let principal = caller.0;
    let view = state
        .call(move |engine| {
            let vacancy = engine.vacancy_for(&principal, Action::ReadVacancy, &id)?;
            requirements_view(engine, &vacancy, &language)
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// Replaces a vacancy's competence breakdown; a validated vacancy goes back to draft.
#[utoipa::path(
    tag = "vacancies",
    params(("id" = String, Path, description = "Vacancy id")),
    request_body = RequirementsBody,
    responses(
        (status = 200, description = "The new breakdown", body = RequirementsView),
        (status = 400, description = "duplicate_skill, invalid_skill_uri, invalid_level", body = crate::error::ErrorBody),
        (status = 409, description = "vacancy_closed", body = crate::error::ErrorBody),
    ),
    security(("bearer" = []))
)]
#[put("/v1/vacancies/{id}/requirements")]
pub async fn set_requirements(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: Checked<web::Json<RequirementsBody>>,
    query: Checked<web::Query<NoParams>>,
) -> ApiResult<HttpResponse> {
    caller.0.authorize(Action::WriteVacancy)?;
    let body = body.get()?;
    query.get()?;
    let id = api::entity_id(&id)?;
    let new_requirements = api::requirements(body.into_inner().requirements)?;
    let principal = caller.0;
    let view = state
        .call(move |engine| {
            engine.vacancy_for(&principal, Action::WriteVacancy, &id)?;
            let vacancy = engine.set_requirements(&id, new_requirements)?;
            requirements_view(engine, &vacancy, "it")
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// Draft → validated, by the calling validator (the key's label) today.
#[utoipa::path(
    tag = "vacancies",
    params(("id" = String, Path, description = "Vacancy id")),
    responses(
        (status = 200, description = "Validated", body = Object),
        (status = 403, description = "forbidden_role (only validators and admins)", body = crate::error::ErrorBody),
        (status = 409, description = "vacancy_already_validated, vacancy_without_competences, vacancy_closed", body = crate::error::ErrorBody),
    ),
    security(("bearer" = []))
)]
#[post("/v1/vacancies/{id}/validate")]
pub async fn validate(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    query: Checked<web::Query<NoParams>>,
) -> ApiResult<HttpResponse> {
    caller.0.authorize(Action::ValidateVacancy)?;
    query.get()?;
    let id = api::entity_id(&id)?;
    let principal = caller.0;
    let vacancy = state
        .call(move |engine| {
            engine.vacancy_for(&principal, Action::ValidateVacancy, &id)?;
            let today = engine.today();
            engine.validate_vacancy(&id, &principal.label, today)
        })
        .await?;
    Ok(HttpResponse::Ok().json(vacancy))
}
