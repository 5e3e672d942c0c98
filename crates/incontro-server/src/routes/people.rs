//! Job seekers (profile, competences with evidence, work history, personal data, lookup) and
//! matching in both directions. Every read of a person's data is audited before it is returned.

use actix_web::{get, post, web, HttpResponse};
use incontro_core::access::{
    Action, AuditEntry, AuditReceipt, Channel, Outcome, Principal, RankedItem, RankingLogEntry,
    RankingRequest, Whose,
};
use incontro_core::model::{CodiceFiscale, EntityId};

use crate::api::{self, ExplainParams, LookupBody, LookupResult, MatchParams, Page, PersonItems};
use crate::auth::{Caller, Checked, NoParams};
use crate::error::ApiResult;
use crate::state::AppState;

fn audit_one(
    engine: &incontro_core::Engine,
    principal: &Principal,
    action: &str,
    person: &str,
    target: Option<&str>,
) -> incontro_core::Result<AuditReceipt> {
    engine.submit_audit(vec![AuditEntry::now(
        principal,
        action,
        Some(person),
        target,
        Outcome::Ok,
    )])
}

/// The shape of every plain read of one person's data: role check, id, then on the pool the
/// office check, `load`, and the audit row; the reply is sent once the row is durable.
pub(crate) async fn read_person<T, F>(
    state: &AppState,
    caller: Caller,
    raw_id: &str,
    action: Action,
    audit_action: &'static str,
    load: F,
) -> ApiResult<HttpResponse>
where
    T: serde::Serialize + Send + 'static,
    F: FnOnce(&incontro_core::Engine, &EntityId) -> incontro_core::Result<T> + Send + 'static,
{
    caller.0.authorize(action)?;
    let id = api::entity_id(raw_id)?;
    let principal = caller.0;
    let value = state
        .call_audited(move |engine| {
            engine.check_job_seeker_access(&principal, action, &id)?;
            let value = load(engine, &id)?;
            let receipt = audit_one(engine, &principal, audit_action, id.as_str(), None)?;
            Ok((value, receipt))
        })
        .await?;
    Ok(HttpResponse::Ok().json(value))
}

/// A job seeker's analytical record (no direct identifiers).
#[utoipa::path(
    tag = "job seekers",
    params(("id" = String, Path, description = "Pseudonymous job seeker id")),
    responses(
        (status = 200, description = "The record", body = Object),
        (status = 403, description = "forbidden_role or other_office", body = crate::error::ErrorBody),
        (status = 404, description = "job_seeker_not_found", body = crate::error::ErrorBody),
    ),
    security(("bearer" = []))
)]
#[get("/v1/job-seekers/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    query: Checked<web::Query<NoParams>>,
) -> ApiResult<HttpResponse> {
    caller.0.authorize(Action::ReadPerson)?;
    query.get()?;
    read_person(
        &state,
        caller,
        &id,
        Action::ReadPerson,
        "read_job_seeker",
        |engine, id| engine.get_job_seeker(id),
    )
    .await
}

/// A job seeker's competence profile with evidence: explicit competences and those inferred
/// from work history, each with its provenance and confidence.
#[utoipa::path(
    tag = "job seekers",
    params(("id" = String, Path, description = "Pseudonymous job seeker id")),
    responses(
        (status = 200, description = "The profile", body = crate::api::PersonItemsDoc),
        (status = 404, description = "job_seeker_not_found", body = crate::error::ErrorBody),
    ),
    security(("bearer" = []))
)]
#[get("/v1/job-seekers/{id}/competences")]
pub async fn competences(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    query: Checked<web::Query<NoParams>>,
) -> ApiResult<HttpResponse> {
    caller.0.authorize(Action::ReadPerson)?;
    query.get()?;
    read_person(
        &state,
        caller,
        &id,
        Action::ReadPerson,
        "read_competences",
        |engine, id| {
            Ok(PersonItems {
                job_seeker_id: id.as_str().to_string(),
                items: engine.person_profile(id)?,
            })
        },
    )
    .await
}

/// A job seeker's work history.
#[utoipa::path(
    tag = "job seekers",
    params(("id" = String, Path, description = "Pseudonymous job seeker id")),
    responses(
        (status = 200, description = "Past jobs", body = crate::api::PersonItemsDoc),
        (status = 404, description = "job_seeker_not_found", body = crate::error::ErrorBody),
    ),
    security(("bearer" = []))
)]
#[get("/v1/job-seekers/{id}/work-history")]
pub async fn work_history(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    query: Checked<web::Query<NoParams>>,
) -> ApiResult<HttpResponse> {
    caller.0.authorize(Action::ReadPerson)?;
    query.get()?;
    read_person(
        &state,
        caller,
        &id,
        Action::ReadPerson,
        "read_work_history",
        |engine, id| {
            Ok(PersonItems {
                job_seeker_id: id.as_str().to_string(),
                items: engine.get_job_seeker(id)?.work_history,
            })
        },
    )
    .await
}

/// A job seeker's personal data (codice fiscale, names, contacts): desk staff and admins only.
#[utoipa::path(
    tag = "job seekers",
    params(("id" = String, Path, description = "Pseudonymous job seeker id")),
    responses(
        (status = 200, description = "Personal data", body = Object),
        (status = 403, description = "forbidden_role or other_office", body = crate::error::ErrorBody),
        (status = 404, description = "job_seeker_not_found", body = crate::error::ErrorBody),
    ),
    security(("bearer" = []))
)]
#[get("/v1/job-seekers/{id}/personal-data")]
pub async fn personal_data(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    query: Checked<web::Query<NoParams>>,
) -> ApiResult<HttpResponse> {
    caller.0.authorize(Action::ReadPersonalData)?;
    query.get()?;
    read_person(
        &state,
        caller,
        &id,
        Action::ReadPersonalData,
        "read_personal_data",
        |engine, id| engine.get_personal_data(id),
    )
    .await
}

/// Finds a job seeker by codice fiscale (sent in the body, never in the URL).
#[utoipa::path(
    tag = "job seekers",
    request_body = LookupBody,
    responses(
        (status = 200, description = "Found", body = LookupResult),
        (status = 400, description = "invalid_codice_fiscale", body = crate::error::ErrorBody),
        (status = 404, description = "job_seeker_not_found", body = crate::error::ErrorBody),
    ),
    security(("bearer" = []))
)]
#[post("/v1/job-seekers/lookup")]
pub async fn lookup(
    state: web::Data<AppState>,
    caller: Caller,
    body: Checked<web::Json<LookupBody>>,
    query: Checked<web::Query<NoParams>>,
) -> ApiResult<HttpResponse> {
    caller.0.authorize(Action::FindPerson)?;
    let body = body.get()?;
    query.get()?;
    let codice_fiscale = CodiceFiscale::parse(&body.codice_fiscale)?;
    let principal = caller.0;
    let found = state
        .call_audited(move |engine| {
            let id = engine.find_job_seeker_by_cf(&codice_fiscale)?;
            engine.check_job_seeker_access(&principal, Action::FindPerson, &id)?;
            let receipt = audit_one(
                engine,
                &principal,
                "find_by_codice_fiscale",
                id.as_str(),
                None,
            )?;
            Ok((
                LookupResult {
                    job_seeker_id: id.as_str().to_string(),
                },
                receipt,
            ))
        })
        .await?;
    Ok(HttpResponse::Ok().json(found))
}

/// The best open vacancies for a job seeker, with filters and an explanation each.
#[utoipa::path(
    tag = "matching",
    params(("id" = String, Path, description = "Pseudonymous job seeker id"), MatchParams),
    responses(
        (status = 200, description = "Ranked vacancies", body = crate::api::PageDoc),
        (status = 400, description = "invalid_k, invalid_distance, invalid_min_score", body = crate::error::ErrorBody),
        (status = 404, description = "job_seeker_not_found", body = crate::error::ErrorBody),
    ),
    security(("bearer" = []))
)]
#[get("/v1/job-seekers/{id}/vacancies")]
pub async fn vacancies_for_person(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    params: Checked<web::Query<MatchParams>>,
) -> ApiResult<HttpResponse> {
    caller.0.authorize(Action::MatchForPerson)?;
    let params = params.get()?;
    let id = api::entity_id(&id)?;
    let params = params.into_inner();
    let language = api::language(params.lang.as_deref())?;
    let max_k = state.config.max_k;
    let principal = caller.0;
    let ((items, query), log_id) = state
        .call_ranked(move |engine| {
            let home = engine.check_job_seeker_access(&principal, Action::MatchForPerson, &id)?;
            let mut query = params
                .to_query(max_k, Some(&home))
                .map_err(|error| incontro_core::Error::invalid(error.code(), error.message()))?;
            let scope_offices = engine.scope_offices(&principal, Whose::Vacancies);
            query.scope = engine.matching_scope(&principal, Whose::Vacancies)?;
            let revision = engine.data_revision()?;
            let items = engine.vacancies_for_person(&id, &query, &language)?;
            let ranking = RankingLogEntry::new(
                engine,
                &principal,
                Channel::Api,
                revision,
                RankingRequest::vacancies_for_person(&id, &query, scope_offices, &language),
                RankedItem::of_vacancies(&items),
            );
            let receipt = engine.submit_audit_and_ranking(
                vec![AuditEntry::now(
                    &principal,
                    "vacancies_for_person",
                    Some(id.as_str()),
                    None,
                    Outcome::Ok,
                )],
                ranking,
            )?;
            Ok(((items, query), receipt))
        })
        .await?;
    Ok(ranked_response(log_id).json(Page {
        items,
        total: None,
        limit: query.k,
        offset: query.offset,
    }))
}

/// Requirement by requirement: why a job seeker scores what they score against a vacancy.
#[utoipa::path(
    tag = "matching",
    params(
        ("id" = String, Path, description = "Pseudonymous job seeker id"),
        ("vacancy_id" = String, Path, description = "Vacancy id"),
        ExplainParams
    ),
    responses(
        (status = 200, description = "The explanation", body = Object),
        (status = 403, description = "forbidden_role, or other_office (the person or the vacancy)", body = crate::error::ErrorBody),
        (status = 404, description = "job_seeker_not_found or vacancy_not_found", body = crate::error::ErrorBody),
    ),
    security(("bearer" = []))
)]
#[get("/v1/job-seekers/{id}/vacancies/{vacancy_id}/explanation")]
pub async fn explanation(
    state: web::Data<AppState>,
    caller: Caller,
    path: Checked<web::Path<(String, String)>>,
    params: Checked<web::Query<ExplainParams>>,
) -> ApiResult<HttpResponse> {
    caller.0.authorize(Action::MatchForPerson)?;
    let path = path.get()?;
    let params = params.get()?;
    let (person, vacancy) = path.into_inner();
    let person = api::entity_id(&person)?;
    let vacancy = api::entity_id(&vacancy)?;
    let language = api::language(params.lang.as_deref())?;
    let exact = params.exact.unwrap_or(false);
    let principal = caller.0;
    let explanation = state
        .call_audited(move |engine| {
            engine.check_job_seeker_access(&principal, Action::MatchForPerson, &person)?;
            engine.check_vacancy_in_scope(&principal, &vacancy)?;
            let explanation = engine.explain_match(&person, &vacancy, exact, &language)?;
            let receipt = audit_one(
                engine,
                &principal,
                "explain_match",
                person.as_str(),
                Some(vacancy.as_str()),
            )?;
            Ok((explanation, receipt))
        })
        .await?;
    Ok(HttpResponse::Ok().json(explanation))
}

/// The best candidates for an open vacancy, with an explanation each (pseudonymous ids only;
/// every candidate listed is audited).
#[utoipa::path(
    tag = "matching",
    params(("id" = String, Path, description = "Vacancy id"), MatchParams),
    responses(
        (status = 200, description = "Ranked candidates", body = crate::api::PageDoc),
        (status = 404, description = "vacancy_not_found", body = crate::error::ErrorBody),
    ),
    security(("bearer" = []))
)]
#[get("/v1/vacancies/{id}/candidates")]
pub async fn candidates_for_vacancy(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    params: Checked<web::Query<MatchParams>>,
) -> ApiResult<HttpResponse> {
    caller.0.authorize(Action::MatchForVacancy)?;
    let params = params.get()?;
    let id = api::entity_id(&id)?;
    let params = params.into_inner();
    let language = api::language(params.lang.as_deref())?;
    let max_k = state.config.max_k;
    let principal = caller.0;
    let ((items, query), log_id) = state
        .call_ranked(move |engine| {
            let vacancy = engine.vacancy_for(&principal, Action::MatchForVacancy, &id)?;
            let mut query = params
                .to_query(max_k, Some(&vacancy.comune))
                .map_err(|error| incontro_core::Error::invalid(error.code(), error.message()))?;
            let scope_offices = engine.scope_offices(&principal, Whose::People);
            query.scope = engine.matching_scope(&principal, Whose::People)?;
            let revision = engine.data_revision()?;
            let items = engine.candidates_for_vacancy(&id, &query, &language)?;
            let ranking = RankingLogEntry::new(
                engine,
                &principal,
                Channel::Api,
                revision,
                RankingRequest::candidates_for_vacancy(&id, &query, scope_offices, &language),
                RankedItem::of_candidates(&items),
            );
            let entries = items
                .iter()
                .map(|candidate| {
                    AuditEntry::now(
                        &principal,
                        "candidates_for_vacancy",
                        Some(&candidate.job_seeker_id),
                        Some(id.as_str()),
                        Outcome::Ok,
                    )
                })
                .collect();
            let receipt = engine.submit_audit_and_ranking(entries, ranking)?;
            Ok(((items, query), receipt))
        })
        .await?;
    Ok(ranked_response(log_id).json(Page {
        items,
        total: None,
        limit: query.k,
        offset: query.offset,
    }))
}

/// A 200 response carrying the ranking log id of the ranking it serves.
pub(crate) fn ranked_response(log_id: Option<i64>) -> actix_web::HttpResponseBuilder {
    let mut response = HttpResponse::Ok();
    if let Some(log_id) = log_id {
        response.insert_header((crate::state::RANKING_LOG_HEADER, log_id.to_string()));
    }
    response
}
