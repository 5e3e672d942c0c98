//! Aggregates (no person in them) and the admin's audit log and key list.

use actix_web::{get, web, HttpResponse};
use incontro_core::access::{Action, AuditQuery};

use crate::api::{self, AuditParams, Page, Stats};
use crate::auth::{Caller, Checked, NoParams};
use crate::error::ApiResult;
use crate::state::AppState;

/// Counts per entity and of the taxonomy.
#[utoipa::path(
    tag = "aggregates",
    responses(
        (status = 200, description = "Counts", body = Stats),
        (status = 403, description = "forbidden_role", body = crate::error::ErrorBody),
    ),
    security(("bearer" = []))
)]
#[get("/v1/stats")]
pub async fn stats(
    state: web::Data<AppState>,
    caller: Caller,
    query: Checked<web::Query<NoParams>>,
) -> ApiResult<HttpResponse> {
    caller.0.authorize(Action::ReadAggregates)?;
    query.get()?;
    let stats = state
        .call(|engine| {
            Ok(Stats {
                taxonomy: engine.taxonomy_stats()?,
                entities: engine.entity_counts()?.0,
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(stats))
}

/// The audit log, newest first (admins only).
#[utoipa::path(
    tag = "admin",
    params(AuditParams),
    responses(
        (status = 200, description = "Audit rows", body = crate::api::PageDoc),
        (status = 403, description = "forbidden_role", body = crate::error::ErrorBody),
    ),
    security(("bearer" = []))
)]
#[get("/v1/admin/audit")]
pub async fn audit(
    state: web::Data<AppState>,
    caller: Caller,
    params: Checked<web::Query<AuditParams>>,
) -> ApiResult<HttpResponse> {
    caller.0.authorize(Action::ReadAudit)?;
    let params = params.get()?;
    let params = params.into_inner();
    let (limit, offset) = api::page(params.limit, params.offset, state.config.max_page_size)?;
    let query = AuditQuery {
        person_id: params.person_id,
        key_id: params.key_id,
        action: params.action,
        since: params.since,
        until: params.until,
        limit,
        offset,
    };
    let items = state.call(move |engine| engine.audit_log(&query)).await?;
    Ok(HttpResponse::Ok().json(Page {
        items,
        total: None,
        limit,
        offset,
    }))
}

/// The API keys (never their tokens; admins only).
#[utoipa::path(
    tag = "admin",
    responses(
        (status = 200, description = "Keys", body = crate::api::PageDoc),
        (status = 403, description = "forbidden_role", body = crate::error::ErrorBody),
    ),
    security(("bearer" = []))
)]
#[get("/v1/admin/keys")]
pub async fn keys(
    state: web::Data<AppState>,
    caller: Caller,
    query: Checked<web::Query<NoParams>>,
) -> ApiResult<HttpResponse> {
    caller.0.authorize(Action::ReadAudit)?;
    query.get()?;
    let items = state.call(|engine| engine.list_api_keys()).await?;
    let limit = items.len();
    Ok(HttpResponse::Ok().json(Page {
        total: Some(items.len()),
        items,
        limit,
        offset: 0,
    }))
}
