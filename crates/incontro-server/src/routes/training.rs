//! Gap and training proposals for a person, and the competence demand report (an aggregate).

use actix_web::{get, web, HttpResponse};
use incontro_core::access::{
    Action, AuditEntry, Channel, Outcome, RankedItem, RankingLogEntry, RankingRequest, Whose,
};
use incontro_core::model::ComuneCode;
use incontro_core::training::{DemandQuery, DoorsOptions, TrainingOptions};
use incontro_core::ErrorCode;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::api::{self, PersonItems};
use crate::auth::{Caller, Checked};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Course proposal parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CourseParams {
    /// In-presence courses within this many km of the person (default 50).
    pub max_km: Option<f64>,
    /// Exact coverage instead of the default mode.
    pub exact: Option<bool>,
    /// Label language.
    pub lang: Option<String>,
}

fn training_options(params: &CourseParams, today: chrono::NaiveDate) -> ApiResult<TrainingOptions> {
    let language = api::language(params.lang.as_deref())?;
    let mut options = TrainingOptions::on(today);
    if let Some(km) = params.max_km {
        if !km.is_finite() || km <= 0.0 || km > 1000.0 {
            return Err(ApiError::invalid(
                ErrorCode::InvalidDistance,
                "max_km must be in (0, 1000]",
            ));
        }
        options.max_km = Some(km);
    }
    options.exact = params.exact.unwrap_or(false);
    options.language = language;
    Ok(options)
}

/// The courses that close a person's gap to one vacancy (minimum hours), the score before and
/// after, the competences no course teaches, and the placement path.
#[utoipa::path(
    tag = "training",
    params(
        ("id" = String, Path, description = "Pseudonymous job seeker id"),
        ("vacancy_id" = String, Path, description = "Vacancy id"),
        CourseParams
    ),
    responses(
        (status = 200, description = "The proposal", body = Object),
        (status = 404, description = "job_seeker_not_found or vacancy_not_found", body = crate::error::ErrorBody),
    ),
    security(("bearer" = []))
)]
#[get("/v1/job-seekers/{id}/vacancies/{vacancy_id}/courses")]
pub async fn courses_for_gap(
    state: web::Data<AppState>,
    caller: Caller,
    path: Checked<web::Path<(String, String)>>,
    params: Checked<web::Query<CourseParams>>,
) -> ApiResult<HttpResponse> {
    caller.0.authorize(Action::ReadTraining)?;
    let path = path.get()?;
    let params = params.get()?;
    let (person, vacancy) = path.into_inner();
    let person = api::entity_id(&person)?;
    let vacancy = api::entity_id(&vacancy)?;
    let options = training_options(&params, state.engine.today())?;
    let principal = caller.0;
    let proposal = state
        .call_audited(move |engine| {
            engine.check_job_seeker_access(&principal, Action::ReadTraining, &person)?;
            engine.check_vacancy_in_scope(&principal, &vacancy)?;
            let proposal = engine.propose_courses(&person, &vacancy, &options)?;
            let receipt = engine.submit_audit(vec![AuditEntry::now(
                &principal,
                "propose_courses",
                Some(person.as_str()),
                Some(vacancy.as_str()),
                Outcome::Ok,
            )])?;
            Ok((proposal, receipt))
        })
        .await?;
    Ok(HttpResponse::Ok().json(proposal))
}

/// Doors parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DoorsParams {
    /// How many courses (1-50, default 5).
    pub k: Option<usize>,
    /// Only vacancies within this many km of the person.
    pub vacancy_max_km: Option<f64>,
    /// Label language.
    pub lang: Option<String>,
}

/// The courses that open the most vacancies to a person.
#[utoipa::path(
    tag = "training",
    params(("id" = String, Path, description = "Pseudonymous job seeker id"), DoorsParams),
    responses(
        (status = 200, description = "Courses by vacancies opened", body = crate::api::PersonItemsDoc),
        (status = 404, description = "job_seeker_not_found", body = crate::error::ErrorBody),
    ),
    security(("bearer" = []))
)]
#[get("/v1/job-seekers/{id}/course-doors")]
pub async fn course_doors(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    params: Checked<web::Query<DoorsParams>>,
) -> ApiResult<HttpResponse> {
    caller.0.authorize(Action::ReadTraining)?;
    let params = params.get()?;
    let id = api::entity_id(&id)?;
    let k = params.k.unwrap_or(5);
    if !(1..=50).contains(&k) {
        return Err(ApiError::invalid(ErrorCode::InvalidK, "k must be 1 to 50"));
    }
    let mut options = DoorsOptions::on(state.engine.today());
    options.k = k;
    options.vacancy_max_km = params.vacancy_max_km;
    options.training.language = api::language(params.lang.as_deref())?;
    let principal = caller.0;
    let (doors, log_id) = state
        .call_ranked(move |engine| {
            engine.check_job_seeker_access(&principal, Action::ReadTraining, &id)?;
            let scope_offices = engine.scope_offices(&principal, Whose::Vacancies);
            options.vacancy_scope = engine.matching_scope(&principal, Whose::Vacancies)?;
            let revision = engine.data_revision()?;
            let doors = engine.course_doors(&id, &options)?;
            let ranking = RankingLogEntry::new(
                engine,
                &principal,
                Channel::Api,
                revision,
                RankingRequest::course_doors(&id, &options, scope_offices),
                RankedItem::of_doors(&doors),
            );
            let receipt = engine.submit_audit_and_ranking(
                vec![AuditEntry::now(
                    &principal,
                    "course_doors",
                    Some(id.as_str()),
                    None,
                    Outcome::Ok,
                )],
                ranking,
            )?;
            Ok((
                PersonItems {
                    job_seeker_id: id.as_str().to_string(),
                    items: doors,
                },
                receipt,
            ))
        })
        .await?;
    Ok(super::people::ranked_response(log_id).json(doors))
}

/// Demand report parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DemandParams {
    /// Comuni of the area, comma-separated codes (e.g. `E715,B648`).
    pub comuni: String,
    /// First day of the period (YYYY-MM-DD).
    #[param(value_type = String, format = Date)]
    pub from: chrono::NaiveDate,
    /// Last day of the period.
    #[param(value_type = String, format = Date)]
    pub to: chrono::NaiveDate,
    /// Courses held within this many km of the area count.
    pub course_max_km: Option<f64>,
    /// Count draft vacancies too (default false: validated vacancies only).
    pub include_drafts: Option<bool>,
    /// Label language.
    pub lang: Option<String>,
}

/// The competences local vacancies demand, how many local job seekers lack them, and the courses
/// that teach them (aggregates only).
#[utoipa::path(
    tag = "aggregates",
    params(DemandParams),
    responses(
        (status = 200, description = "Demand tables", body = Object),
        (status = 400, description = "invalid_area, invalid_period, invalid_comune", body = crate::error::ErrorBody),
    ),
    security(("bearer" = []))
)]
#[get("/v1/reports/demand")]
pub async fn demand(
    state: web::Data<AppState>,
    caller: Caller,
    params: Checked<web::Query<DemandParams>>,
) -> ApiResult<HttpResponse> {
    caller.0.authorize(Action::ReadAggregates)?;
    let params = params.get()?;
    let params = params.into_inner();
    let language = api::language(params.lang.as_deref())?;
    let mut comuni = Vec::new();
    for code in params
        .comuni
        .split(',')
        .filter(|code| !code.trim().is_empty())
        .take(500)
    {
        comuni.push(ComuneCode::parse(code)?);
    }
    let query = DemandQuery {
        comuni,
        from: params.from,
        to: params.to,
        course_max_km: params.course_max_km,
        include_drafts: params.include_drafts.unwrap_or(false),
    };
    let tables = state
        .call(move |engine| engine.demand_report(&query, &language, &incontro_core::NoProgress))
        .await?;
    Ok(HttpResponse::Ok().json(tables))
}
