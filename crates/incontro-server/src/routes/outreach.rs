//! Outreach: campaigns and their funnel (aggregates), and the operator's own call list and
//! call outcomes. An operator key's label is its operator id.

use actix_web::{get, post, web, HttpResponse};
use incontro_core::access::{Action, AuditEntry, Outcome, Role};
use incontro_core::outreach::{AttemptDetails, CallResult};
use incontro_core::ErrorCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::Page;
use crate::auth::{Caller, Checked, NoParams};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Every campaign (rules and selection reports; no person).
#[utoipa::path(
    tag = "outreach",
    responses((status = 200, description = "Campaigns", body = crate::api::PageDoc)),
    security(("bearer" = []))
)]
#[get("/v1/campaigns")]
pub async fn campaigns(
    state: web::Data<AppState>,
    caller: Caller,
    query: Checked<web::Query<NoParams>>,
) -> ApiResult<HttpResponse> {
    caller.0.authorize(Action::ReadAggregates)?;
    query.get()?;
    let items = state.call(|engine| engine.campaigns()).await?;
    let total = items.len();
    Ok(HttpResponse::Ok().json(Page {
        items,
        total: Some(total),
        limit: total,
        offset: 0,
    }))
}

/// A campaign's funnel by every dimension (people, called, answered, taken in charge, enrolled,
/// placed as reported and as confirmed by COB).
#[utoipa::path(
    tag = "outreach",
    params(("id" = String, Path, description = "Campaign id")),
    responses(
        (status = 200, description = "Funnel rows", body = crate::api::PageDoc),
        (status = 404, description = "campaign_not_found", body = crate::error::ErrorBody),
    ),
    security(("bearer" = []))
)]
#[get("/v1/campaigns/{id}/funnel")]
pub async fn funnel(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    query: Checked<web::Query<NoParams>>,
) -> ApiResult<HttpResponse> {
    caller.0.authorize(Action::ReadAggregates)?;
    query.get()?;
    let id = id.into_inner();
    let items = state.call(move |engine| engine.funnel(&id)).await?;
    let total = items.len();
    Ok(HttpResponse::Ok().json(Page {
        items,
        total: Some(total),
        limit: total,
        offset: 0,
    }))
}

/// Call-list parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CallListParams {
    /// Admins only: whose list (operators always get their own).
    pub operator: Option<String>,
}

fn operator_of(caller: &Caller, asked: Option<String>) -> ApiResult<String> {
    match (caller.0.role, asked) {
        (Role::Admin, Some(operator)) => Ok(operator),
        (Role::Admin, None) => Err(ApiError::invalid(
            ErrorCode::MissingOperator,
            "give operator",
        )),
        (_, Some(operator)) if operator != caller.0.label => {
            Err(ApiError::from(incontro_core::Error::Forbidden {
                code: ErrorCode::NotYourEntries,
                message: "operators see only their own call-list entries".into(),
            }))
        }
        _ => Ok(caller.0.label.clone()),
    }
}

/// The operator's call list for today: their own entries that are due, by priority, up to
/// their daily capacity (names and mobiles: every entry shown is audited).
#[utoipa::path(
    tag = "outreach",
    params(("id" = String, Path, description = "Campaign id"), CallListParams),
    responses(
        (status = 200, description = "Entries", body = crate::api::PageDoc),
        (status = 403, description = "forbidden_role, not_your_entries", body = crate::error::ErrorBody),
        (status = 404, description = "campaign_not_found, operator_not_found", body = crate::error::ErrorBody),
    ),
    security(("bearer" = []))
)]
#[get("/v1/campaigns/{id}/call-list")]
pub async fn call_list(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    params: Checked<web::Query<CallListParams>>,
) -> ApiResult<HttpResponse> {
    caller.0.authorize(Action::ReadOwnCallList)?;
    let params = params.get()?;
    let operator = operator_of(&caller, params.into_inner().operator)?;
    let campaign = id.into_inner();
    let principal = caller.0;
    let items = state
        .call_audited(move |engine| {
            let today = engine.today();
            let entries = engine.call_list(&campaign, &operator, today)?;
            let audit = entries
                .iter()
                .map(|entry| {
                    AuditEntry::now(
                        &principal,
                        "read_call_list_entry",
                        Some(&entry.person_ref),
                        Some(&campaign),
                        Outcome::Ok,
                    )
                })
                .collect();
            let receipt = engine.submit_audit(audit)?;
            Ok((entries, receipt))
        })
        .await?;
    let total = items.len();
    Ok(HttpResponse::Ok().json(Page {
        items,
        total: Some(total),
        limit: total,
        offset: 0,
    }))
}

/// The outcome of one call.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttemptBody {
    /// `answered`, `no_answer`, `busy`, `wrong_number` or `refused`.
    pub result: String,
    /// What was said (at most 500 characters; personal data, never logged).
    #[serde(default)]
    pub note: Option<String>,
    /// The day to call again, after today (only with `no_answer` or `busy`).
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub next_call: Option<chrono::NaiveDate>,
    /// The operator who made the call: required from an admin recording for an operator (the
    /// entry must be assigned to them), and when given by an operator it must be themselves.
    #[serde(default)]
    pub operator: Option<String>,
}

/// Records a call attempt on one of the caller's own entries.
#[utoipa::path(
    tag = "outreach",
    params(
        ("id" = String, Path, description = "Campaign id"),
        ("entry_no" = u32, Path, description = "Entry number")
    ),
    request_body = AttemptBody,
    responses(
        (status = 200, description = "Recorded: the attempt number", body = Object),
        (status = 403, description = "forbidden_role or not the caller's entry", body = crate::error::ErrorBody),
        (status = 404, description = "campaign_not_found, entry_not_found", body = crate::error::ErrorBody),
    ),
    security(("bearer" = []))
)]
#[post("/v1/campaigns/{id}/entries/{entry_no}/attempts")]
pub async fn record_attempt(
    state: web::Data<AppState>,
    caller: Caller,
    path: Checked<web::Path<(String, u32)>>,
    body: Checked<web::Json<AttemptBody>>,
    query: Checked<web::Query<NoParams>>,
) -> ApiResult<HttpResponse> {
    caller.0.authorize(Action::WriteOwnOutcome)?;
    let path = path.get()?;
    let body = body.get()?;
    query.get()?;
    let (campaign, entry_no) = path.into_inner();
    let body = body.into_inner();
    let result = CallResult::parse(&body.result)?;
    let details = AttemptDetails {
        note: body.note,
        next_call: body.next_call,
        ..Default::default()
    };
    let operator = operator_of(&caller, body.operator)?;
    let principal = caller.0;
    let attempt = state
        .call_audited(move |engine| {
            let today = engine.today();
            let attempt = engine
                .record_attempt_with(&campaign, entry_no, &operator, result, today, &details)?;
            let person = engine.entry_person_ref(&campaign, entry_no)?;
            let receipt = engine.submit_audit(vec![AuditEntry::now(
                &principal,
                "record_call_attempt",
                Some(&person),
                Some(&campaign),
                Outcome::Ok,
            )])?;
            Ok((attempt, receipt))
        })
        .await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "attempt": attempt })))
}

/// Why a refusal is undone.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UndoRefusalBody {
    /// Why (at most 500 characters; never logged).
    pub reason: String,
}

/// Undoes the `refused` outcome of an entry (admins): the entry is open again, the undo log keeps
/// the key's label and id, the time and the reason, and the audit log a row.
#[utoipa::path(
    tag = "outreach",
    params(
        ("id" = String, Path, description = "Campaign id"),
        ("entry_no" = u32, Path, description = "Entry number")
    ),
    request_body = UndoRefusalBody,
    responses(
        (status = 200, description = "The undo as logged", body = Object),
        (status = 403, description = "forbidden_role", body = crate::error::ErrorBody),
        (status = 404, description = "campaign_not_found, entry_not_found", body = crate::error::ErrorBody),
        (status = 409, description = "entry_not_refused, campaign_purged", body = crate::error::ErrorBody),
    ),
    security(("bearer" = []))
)]
#[post("/v1/campaigns/{id}/entries/{entry_no}/undo-refusal")]
pub async fn undo_refusal(
    state: web::Data<AppState>,
    caller: Caller,
    path: Checked<web::Path<(String, u32)>>,
    body: Checked<web::Json<UndoRefusalBody>>,
    query: Checked<web::Query<NoParams>>,
) -> ApiResult<HttpResponse> {
    caller.0.authorize(Action::UndoRefusal)?;
    let path = path.get()?;
    let body = body.get()?;
    query.get()?;
    let (campaign, entry_no) = path.into_inner();
    let reason = body.into_inner().reason;
    let principal = caller.0;
    let undo = state
        .call_audited(move |engine| {
            let by = format!("{} ({})", principal.label, principal.key_id);
            let undo = engine.undo_refusal(&campaign, entry_no, &by, &reason)?;
            let person = engine.entry_person_ref(&campaign, entry_no)?;
            let receipt = engine.submit_audit(vec![AuditEntry::now(
                &principal,
                "undo_refusal",
                Some(&person),
                Some(&campaign),
                Outcome::Ok,
            )])?;
            Ok((undo, receipt))
        })
        .await?;
    Ok(HttpResponse::Ok().json(undo))
}
