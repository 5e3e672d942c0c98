//! Bearer-key authentication: the [`Caller`] extractor.
//!
//! `Authorization: Bearer inc_…` is looked up (by its SHA-256) in the engine's key cache, or on
//! the pool when not seen in the last [`incontro_core::access::KEY_CACHE_TTL`]; a missing header is
//! 401 `missing_api_key`, an unknown or revoked key 401 `invalid_api_key`. Authorization of the
//! action itself is the engine's ([`incontro_core::access`]): handlers name their action.

use incontro_core::ErrorCode;
use std::future::Future;
use std::pin::Pin;

use actix_web::http::header::AUTHORIZATION;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use incontro_core::access::Principal;

use crate::error::ApiError;
use crate::state::AppState;

/// The authenticated caller.
#[derive(Debug, Clone)]
pub struct Caller(pub Principal);

/// The key id of the request, kept in the request extensions for the access log.
#[derive(Debug, Clone)]
pub struct KeyId(pub String);

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(request: &HttpRequest, _payload: &mut actix_web::dev::Payload) -> Self::Future {
        let request = request.clone();
        Box::pin(async move {
            let state = request
                .app_data::<web::Data<AppState>>()
                .cloned()
                .ok_or_else(|| ApiError::internal("application state missing"))?;
            let header = request
                .headers()
                .get(AUTHORIZATION)
                .and_then(|value| value.to_str().ok())
                .ok_or_else(ApiError::missing_key)?;
            let token = header
                .strip_prefix("Bearer ")
                .or_else(|| header.strip_prefix("bearer "))
                .ok_or_else(ApiError::missing_key)?
                .trim()
                .to_string();
            // A key seen in the last few seconds is answered from memory, on this thread;
            // otherwise the key table is queried on the pool.
            let principal = match state.engine.cached_principal(&token) {
                Some(principal) => principal,
                None => state
                    .call(move |engine| engine.authenticate(&token))
                    .await?
                    .ok_or_else(ApiError::invalid_key)?,
            };
            request
                .extensions_mut()
                .insert(KeyId(principal.key_id.clone()));
            Ok(Caller(principal))
        })
    }
}

/// An extractor whose failure waits for the handler: the query, path and body of a request are
/// checked only after its key (401) and its role (403), in the documented order (docs/http.md),
/// never before. The handler calls [`Checked::get`] after `authorize`.
#[derive(Debug)]
pub struct Checked<T>(Result<T, ApiError>);

impl<T> Checked<T> {
    /// The extracted value, or the extraction's error (400, 413 or 415).
    pub fn get(self) -> Result<T, ApiError> {
        self.0
    }
}

impl<T> FromRequest for Checked<T>
where
    T: FromRequest + 'static,
    T::Future: 'static,
{
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(request: &HttpRequest, payload: &mut actix_web::dev::Payload) -> Self::Future {
        let extraction = T::from_request(request, payload);
        Box::pin(async move {
            let result = extraction.await.map_err(|error| {
                let error: actix_web::Error = error.into();
                match error.as_error::<ApiError>() {
                    Some(api_error) => api_error.clone(),
                    None => {
                        ApiError::invalid(ErrorCode::InvalidQuery, error.to_string().to_lowercase())
                    }
                }
            });
            Ok(Checked(result))
        })
    }
}

/// The query of a route that takes no parameters: any parameter is refused (`invalid_query`).
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct NoParams {}
