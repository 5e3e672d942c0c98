//! Proposals and placements of a job seeker (by contract or tirocinio): desk staff record them,
//! and they are read back with the person. Every read and write is audited.

use actix_web::{get, post, web, HttpResponse};
use incontro_core::access::{Action, AuditEntry, Outcome};
use incontro_core::placements::{NewPlacement, PlacementKind, PlacementMode};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::{self, PersonItems};
use crate::auth::{Caller, Checked, NoParams};
use crate::error::ApiResult;
use crate::state::AppState;

/// A proposal or placement to record for the job seeker of the path.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlacementRecordBody {
    /// The vacancy (of the caller's office).
    pub vacancy_id: String,
    /// `proposal` (the person was put forward) or `placement` (the person was placed; the
    /// vacancy must be open today).
    pub kind: String,
    /// `contract` or `tirocinio`.
    pub placement_type: String,
    /// Courses taken on the way (each must exist).
    #[serde(default)]
    pub course_ids: Vec<String>,
    /// Free text, at most 500 characters (personal data: never logged).
    #[serde(default)]
    pub note: Option<String>,
}

/// The job seeker's recorded proposals and placements, newest first.
#[utoipa::path(
    tag = "placements",
    params(("id" = String, Path, description = "Pseudonymous job seeker id")),
    responses(
        (status = 200, description = "Proposals and placements", body = crate::api::PersonItemsDoc),
        (status = 403, description = "forbidden_role or other_office", body = crate::error::ErrorBody),
        (status = 404, description = "job_seeker_not_found", body = crate::error::ErrorBody),
    ),
    security(("bearer" = []))
)]
#[get("/v1/job-seekers/{id}/placements")]
pub async fn list(
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
        "read_placements",
        |engine, id| {
            Ok(PersonItems {
                job_seeker_id: id.as_str().to_string(),
                items: engine.placements_for_person(id)?,
            })
        },
    )
    .await
}

/// Records a proposal or a placement of the job seeker in a vacancy; `recorded_by` is the
/// caller's key label. 409 `proposal_exists` for the same proposal twice, `vacancy_not_open` for
/// a placement in a vacancy that is not open today.
#[utoipa::path(
    tag = "placements",
    params(("id" = String, Path, description = "Pseudonymous job seeker id")),
    request_body = PlacementRecordBody,
    responses(
        (status = 201, description = "Recorded", body = Object),
        (status = 400, description = "invalid_placement_kind, invalid_placement_type, note_too_long, invalid_body", body = crate::error::ErrorBody),
        (status = 403, description = "forbidden_role or other_office", body = crate::error::ErrorBody),
        (status = 404, description = "job_seeker_not_found, vacancy_not_found, course_not_found", body = crate::error::ErrorBody),
        (status = 409, description = "proposal_exists, vacancy_not_open", body = crate::error::ErrorBody),
    ),
    security(("bearer" = []))
)]
#[post("/v1/job-seekers/{id}/placements")]
pub async fn record(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: Checked<web::Json<PlacementRecordBody>>,
    query: Checked<web::Query<NoParams>>,
) -> ApiResult<HttpResponse> {
    caller.0.authorize(Action::RecordPlacement)?;
    let body = body.get()?;
    query.get()?;
    let id = api::entity_id(&id)?;
    let body = body.into_inner();
    let record = NewPlacement {
        job_seeker_id: id.clone(),
        vacancy_id: api::entity_id(&body.vacancy_id)?,
        kind: PlacementKind::parse(&body.kind)?,
        placement_type: PlacementMode::parse(&body.placement_type)?,
        course_ids: body.course_ids,
        note: body.note,
        recorded_by: caller.0.label.clone(),
    };
    let principal = caller.0;
    let stored = state
        .call_audited(move |engine| {
            engine.check_job_seeker_access(&principal, Action::RecordPlacement, &id)?;
            engine.check_vacancy_in_scope(&principal, &record.vacancy_id)?;
            let stored = engine.record_placement(&record, engine.today())?;
            let receipt = engine.submit_audit(vec![AuditEntry::now(
                &principal,
                "record_placement",
                Some(id.as_str()),
                Some(&stored.vacancy_id),
                Outcome::Ok,
            )])?;
            Ok((stored, receipt))
        })
        .await?;
    Ok(HttpResponse::Created().json(stored))
}
