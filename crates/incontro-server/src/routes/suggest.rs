//! Competences suggested from text (a job ad, notes from a company visit, a CV), and the
//! validators' and desk staff's decisions on them. The text is never stored or logged; decisions
//! are stored with who decided, and accepted ones become the vacancy's requirements or the
//! person's assessed competences.

use actix_web::{get, post, web, HttpResponse};
use incontro_core::access::{Action, AuditEntry, Outcome};
use incontro_core::model::{EntityId, Level};
use incontro_core::suggest::{Decision, FeedbackTarget, MatchKind, SuggestOptions};
use incontro_core::ErrorCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::{self, PersonItems};
use crate::auth::{Caller, Checked, NoParams};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// A text to suggest competences from.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SuggestBody {
    /// The text (at most 64 KiB; personal data in a CV is neither stored nor logged).
    pub text: String,
    /// `it` or `en`; detected from the text when absent.
    #[serde(default)]
    pub lang: Option<String>,
    /// How many competences (1-200, default 10).
    #[serde(default, deserialize_with = "crate::api::whole_number::option")]
    pub top: Option<usize>,
}

/// One decision on a suggested competence.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionBody {
    /// The suggested ESCO skill URI.
    pub skill_uri: String,
    /// Accepted (true) or rejected.
    pub accepted: bool,
    /// The level chosen, 1-4 (required when accepted).
    #[serde(default, deserialize_with = "crate::api::whole_number::option")]
    pub level: Option<u8>,
    /// Essential (true) or optional, for a vacancy's requirement.
    #[serde(default)]
    pub essential: bool,
    /// How the suggestion had matched (`exact`, `inflection`, `word_order`, `typo`, `partial`,
    /// `description`), kept for quality analysis.
    #[serde(default)]
    pub match_kind: Option<String>,
    /// The suggestion's score, kept for quality analysis.
    #[serde(default)]
    pub score: Option<f32>,
}

/// Decisions on suggested competences (1-500).
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FeedbackBody {
    /// The decisions.
    pub decisions: Vec<DecisionBody>,
}

impl FeedbackBody {
    pub(crate) fn into_decisions(self) -> ApiResult<Vec<Decision>> {
        self.decisions
            .into_iter()
            .map(|decision| {
                if let Some(score) = decision.score {
                    if !(0.0..=1.0).contains(&score) {
                        return Err(ApiError::invalid(
                            ErrorCode::InvalidScore,
                            "score must be between 0 and 1",
                        ));
                    }
                }
                Ok(Decision {
                    skill_uri: decision.skill_uri,
                    accepted: decision.accepted,
                    level: decision.level.map(Level::new).transpose()?,
                    essential: decision.essential,
                    kind: decision
                        .match_kind
                        .as_deref()
                        .map(MatchKind::parse)
                        .transpose()?,
                    score: decision.score,
                })
            })
            .collect()
    }
}

/// ESCO competences (and occupations) a text mentions, each with the words that evoked it and
/// how it matched. Nothing is stored.
#[utoipa::path(
    tag = "suggestions",
    request_body = SuggestBody,
    responses(
        (status = 200, description = "Suggestions: skills and occupation hints", body = Object),
        (status = 400, description = "empty_text, binary_text, invalid_language, undetected_language, invalid_top_k, invalid_body", body = crate::error::ErrorBody),
        (status = 403, description = "forbidden_role", body = crate::error::ErrorBody),
        (status = 413, description = "payload_too_large", body = crate::error::ErrorBody),
    ),
    security(("bearer" = []))
)]
#[post("/v1/suggestions")]
pub async fn suggest(
    state: web::Data<AppState>,
    caller: Caller,
    body: Checked<web::Json<SuggestBody>>,
    query: Checked<web::Query<NoParams>>,
) -> ApiResult<HttpResponse> {
    caller.0.authorize(Action::SuggestCompetences)?;
    let body = body.get()?;
    query.get()?;
    let body = body.into_inner();
    let options = SuggestOptions {
        language: body
            .lang
            .as_deref()
            .map(incontro_core::suggest::Lang::parse)
            .transpose()?,
        top_k: body.top.unwrap_or(10),
        ..SuggestOptions::default()
    };
    let found = state
        .call(move |engine| engine.suggest_competences_with(body.text.as_bytes(), &options))
        .await?;
    Ok(HttpResponse::Ok().json(found))
}

/// Records decisions on competences suggested for a vacancy; accepted ones become requirements
/// (with the level and essential flag chosen) and the vacancy goes back to draft.
#[utoipa::path(
    tag = "suggestions",
    params(("id" = String, Path, description = "Vacancy id")),
    request_body = FeedbackBody,
    responses(
        (status = 200, description = "Recorded, accepted, rejected counts", body = Object),
        (status = 400, description = "unknown_skill, duplicate_skill, missing_level, invalid_level, invalid_decisions, invalid_body", body = crate::error::ErrorBody),
        (status = 403, description = "forbidden_role or other_office", body = crate::error::ErrorBody),
        (status = 404, description = "vacancy_not_found", body = crate::error::ErrorBody),
        (status = 409, description = "vacancy_closed", body = crate::error::ErrorBody),
    ),
    security(("bearer" = []))
)]
#[post("/v1/vacancies/{id}/suggestion-feedback")]
pub async fn vacancy_feedback(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: Checked<web::Json<FeedbackBody>>,
    query: Checked<web::Query<NoParams>>,
) -> ApiResult<HttpResponse> {
    caller.0.authorize(Action::WriteVacancy)?;
    let body = body.get()?;
    query.get()?;
    let id = api::entity_id(&id)?;
    let decisions = body.into_inner().into_decisions()?;
    let principal = caller.0;
    let report = state
        .call(move |engine| {
            engine.vacancy_for(&principal, Action::WriteVacancy, &id)?;
            engine.record_suggestion_feedback(
                &FeedbackTarget::Vacancy(id),
                &principal.label,
                &decisions,
            )
        })
        .await?;
    Ok(HttpResponse::Ok().json(report))
}

/// The decisions stored for a vacancy, oldest first.
#[utoipa::path(
    tag = "suggestions",
    params(("id" = String, Path, description = "Vacancy id")),
    responses(
        (status = 200, description = "Decisions", body = crate::api::PageDoc),
        (status = 403, description = "forbidden_role or other_office", body = crate::error::ErrorBody),
        (status = 404, description = "vacancy_not_found", body = crate::error::ErrorBody),
    ),
    security(("bearer" = []))
)]
#[get("/v1/vacancies/{id}/suggestion-feedback")]
pub async fn vacancy_feedback_list(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    query: Checked<web::Query<NoParams>>,
) -> ApiResult<HttpResponse> {
    caller.0.authorize(Action::ReadVacancy)?;
    query.get()?;
    let id = api::entity_id(&id)?;
    let principal = caller.0;
    let items = state
        .call(move |engine| {
            engine.vacancy_for(&principal, Action::ReadVacancy, &id)?;
            engine.suggestion_feedback(&FeedbackTarget::Vacancy(id))
        })
        .await?;
    let total = items.len();
    Ok(HttpResponse::Ok().json(api::Page {
        items,
        total: Some(total),
        limit: total,
        offset: 0,
    }))
}

/// Records decisions on competences suggested for a job seeker (from a CV or an interview);
/// accepted ones become assessed competences at the level chosen. Audited.
#[utoipa::path(
    tag = "suggestions",
    params(("id" = String, Path, description = "Pseudonymous job seeker id")),
    request_body = FeedbackBody,
    responses(
        (status = 200, description = "Recorded, accepted, rejected counts", body = Object),
        (status = 400, description = "unknown_skill, duplicate_skill, missing_level, invalid_level, invalid_decisions, invalid_body", body = crate::error::ErrorBody),
        (status = 403, description = "forbidden_role or other_office", body = crate::error::ErrorBody),
        (status = 404, description = "job_seeker_not_found", body = crate::error::ErrorBody),
    ),
    security(("bearer" = []))
)]
#[post("/v1/job-seekers/{id}/suggestion-feedback")]
pub async fn person_feedback(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: Checked<web::Json<FeedbackBody>>,
    query: Checked<web::Query<NoParams>>,
) -> ApiResult<HttpResponse> {
    caller.0.authorize(Action::WritePersonCompetences)?;
    let body = body.get()?;
    query.get()?;
    let id = api::entity_id(&id)?;
    let decisions = body.into_inner().into_decisions()?;
    let principal = caller.0;
    let report = state
        .call_audited(move |engine| {
            engine.check_job_seeker_access(&principal, Action::WritePersonCompetences, &id)?;
            let report = engine.record_suggestion_feedback(
                &FeedbackTarget::JobSeeker(id.clone()),
                &principal.label,
                &decisions,
            )?;
            let receipt = engine.submit_audit(vec![AuditEntry::now(
                &principal,
                "record_competence_feedback",
                Some(id.as_str()),
                None,
                Outcome::Ok,
            )])?;
            Ok((report, receipt))
        })
        .await?;
    Ok(HttpResponse::Ok().json(report))
}

/// The decisions stored for a job seeker, oldest first. Audited.
#[utoipa::path(
    tag = "suggestions",
    params(("id" = String, Path, description = "Pseudonymous job seeker id")),
    responses(
        (status = 200, description = "Decisions", body = crate::api::PersonItemsDoc),
        (status = 403, description = "forbidden_role or other_office", body = crate::error::ErrorBody),
        (status = 404, description = "job_seeker_not_found", body = crate::error::ErrorBody),
    ),
    security(("bearer" = []))
)]
#[get("/v1/job-seekers/{id}/suggestion-feedback")]
pub async fn person_feedback_list(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    query: Checked<web::Query<NoParams>>,
) -> ApiResult<HttpResponse> {
    caller.0.authorize(Action::ReadPerson)?;
    query.get()?;
    super::people::read_person(
        &state,
        caller,
        &id,
        Action::ReadPerson,
        "read_competence_feedback",
        |engine, id: &EntityId| {
            Ok(PersonItems {
                job_seeker_id: id.as_str().to_string(),
                items: engine.suggestion_feedback(&FeedbackTarget::JobSeeker(id.clone()))?,
            })
        },
    )
    .await
}
