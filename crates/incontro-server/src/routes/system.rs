//! Unauthenticated system routes: health, metrics, the OpenAPI document and its HTML page.

use actix_web::{get, web, HttpResponse};

use crate::api::Health;
use crate::auth::{Checked, NoParams};
use crate::error::ApiResult;
use crate::state::AppState;

/// Liveness and the store's data revision.
#[utoipa::path(
    tag = "system",
    responses((status = 200, description = "Up", body = Health))
)]
#[get("/health")]
pub async fn health(
    state: web::Data<AppState>,
    query: Checked<web::Query<NoParams>>,
) -> ApiResult<HttpResponse> {
    query.get()?;
    let data_revision = state.call(|engine| engine.data_revision()).await?;
    Ok(HttpResponse::Ok().json(Health {
        status: "ok".into(),
        data_revision,
    }))
}

/// Request counts and latency histograms (Prometheus text format).
#[utoipa::path(
    tag = "system",
    responses((status = 200, description = "Prometheus text", content_type = "text/plain"))
)]
#[get("/metrics")]
pub async fn metrics(
    state: web::Data<AppState>,
    query: Checked<web::Query<NoParams>>,
) -> ApiResult<HttpResponse> {
    query.get()?;
    Ok(HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(state.metrics.render()))
}

/// This document (OpenAPI 3.1).
#[utoipa::path(
    tag = "system",
    responses((status = 200, description = "The OpenAPI document", content_type = "application/json"))
)]
#[get("/openapi.json")]
pub async fn openapi(query: Checked<web::Query<NoParams>>) -> ApiResult<HttpResponse> {
    query.get()?;
    Ok(HttpResponse::Ok().json(crate::openapi::document()))
}

/// The API reference as plain HTML, rendered on the server from the OpenAPI document.
#[utoipa::path(
    tag = "system",
    responses((status = 200, description = "The API reference", content_type = "text/html"))
)]
#[get("/docs")]
pub async fn docs(query: Checked<web::Query<NoParams>>) -> ApiResult<HttpResponse> {
    query.get()?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((
            actix_web::http::header::CONTENT_SECURITY_POLICY,
            // The page's one inline stylesheet; no scripts, nothing loaded.
            "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
        ))
        .body(crate::openapi::html()))
}
