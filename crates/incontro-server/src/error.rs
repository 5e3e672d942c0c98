//! The one error type of the service and THE table from error kind to HTTP status.
//!
//! Every error body is `{"message": "...", "code": "snake_case_code"}`. Codes are stable: clients
//! and tests match on `code`, never on `message`. Engine errors keep their own code (e.g.
//! `vacancy_not_found`); the service adds a few of its own (`missing_api_key`, `malformed_json`,
//! `payload_too_large`, `request_timeout`, …). 5xx bodies are generic; the cause is logged.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use incontro_core::ErrorKind;
use serde::Serialize;
use utoipa::ToSchema;

/// The error body of every non-2xx response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, ToSchema)]
pub struct ErrorBody {
    /// Human-readable, lowercase, no trailing period. Not stable: match on `code`.
    pub message: String,
    /// Stable machine-readable snake_case code.
    pub code: String,
}

/// What went wrong, independent of the message: decides the status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiErrorKind {
    /// An engine error kind.
    Engine(ErrorKind),
    /// No or an unknown bearer key.
    Unauthenticated,
    /// The request body is not JSON or has the wrong content type.
    UnsupportedMediaType,
    /// The route exists but not with this method.
    MethodNotAllowed,
    /// The request could not be served in time, or the pool is saturated.
    Timeout,
    /// The client did not send its request body in time.
    BodyTimeout,
}

/// THE table: error kind → HTTP status. Nothing else in the service picks an error status.
pub fn status_of(kind: ApiErrorKind) -> StatusCode {
    match kind {
        ApiErrorKind::Engine(ErrorKind::Invalid) => StatusCode::BAD_REQUEST,
        ApiErrorKind::Engine(ErrorKind::NotFound) => StatusCode::NOT_FOUND,
        ApiErrorKind::Engine(ErrorKind::Conflict) => StatusCode::CONFLICT,
        ApiErrorKind::Engine(ErrorKind::Forbidden) => StatusCode::FORBIDDEN,
        ApiErrorKind::Engine(ErrorKind::TooLarge) => StatusCode::PAYLOAD_TOO_LARGE,
        ApiErrorKind::Engine(ErrorKind::Internal) => StatusCode::INTERNAL_SERVER_ERROR,
        ApiErrorKind::Unauthenticated => StatusCode::UNAUTHORIZED,
        ApiErrorKind::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ApiErrorKind::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
        ApiErrorKind::Timeout => StatusCode::SERVICE_UNAVAILABLE,
        ApiErrorKind::BodyTimeout => StatusCode::REQUEST_TIMEOUT,
    }
}

/// An error on its way to becoming a response.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{code}: {message}")]
pub struct ApiError {
    kind: ApiErrorKind,
    code: &'static str,
    message: String,
    /// The internal cause, logged for 5xx and never sent.
    cause: Option<String>,
}

impl ApiError {
    /// An error of `kind` with a stable `code`.
    pub fn new(kind: ApiErrorKind, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            kind,
            code,
            message: message.into(),
            cause: None,
        }
    }

    /// 400 with `code`.
    pub fn invalid(code: &'static str, message: impl Into<String>) -> Self {
        ApiError::new(ApiErrorKind::Engine(ErrorKind::Invalid), code, message)
    }

    /// 500 with a generic body; `cause` is logged.
    pub fn internal(cause: impl Into<String>) -> Self {
        ApiError {
            kind: ApiErrorKind::Engine(ErrorKind::Internal),
            code: "internal",
            message: "internal error".into(),
            cause: Some(cause.into()),
        }
    }

    /// 401: no `Authorization: Bearer` header.
    pub fn missing_key() -> Self {
        ApiError::new(
            ApiErrorKind::Unauthenticated,
            "missing_api_key",
            "send an api key as Authorization: Bearer <key>",
        )
    }

    /// 401: the key is unknown or revoked.
    pub fn invalid_key() -> Self {
        ApiError::new(
            ApiErrorKind::Unauthenticated,
            "invalid_api_key",
            "the api key is unknown or revoked",
        )
    }

    /// 503: not served within the request timeout.
    pub fn timeout() -> Self {
        ApiError::new(
            ApiErrorKind::Timeout,
            "request_timeout",
            "the request took too long; try again",
        )
    }

    /// The stable code.
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// The message sent to the client.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Maps a JSON body extraction failure.
    pub fn from_json(error: &actix_web::error::JsonPayloadError) -> Self {
        use actix_web::error::JsonPayloadError as J;
        match error {
            J::OverflowKnownLength { limit, .. } | J::Overflow { limit } => ApiError::new(
                ApiErrorKind::Engine(ErrorKind::TooLarge),
                "payload_too_large",
                format!("request body is larger than {limit} bytes"),
            ),
            J::ContentType => ApiError::new(
                ApiErrorKind::UnsupportedMediaType,
                "unsupported_media_type",
                "send the body as application/json",
            ),
            J::Deserialize(inner) if inner.is_data() => ApiError::new(
                ApiErrorKind::Engine(ErrorKind::Invalid),
                "invalid_body",
                lowercase_first(&inner.to_string()),
            ),
            J::Deserialize(inner) => ApiError::new(
                ApiErrorKind::Engine(ErrorKind::Invalid),
                "malformed_json",
                format!(
                    "body is not valid json: {}",
                    lowercase_first(&inner.to_string())
                ),
            ),
            J::Serialize(inner) => ApiError::internal(format!("serialize: {inner}")),
            J::Payload(inner) if crate::limits::is_body_timeout(inner) => ApiError::new(
                ApiErrorKind::BodyTimeout,
                "body_timeout",
                "the request body was not received in time",
            ),
            J::Payload(inner) => ApiError::invalid("malformed_body", inner.to_string()),
            other => ApiError::invalid("malformed_body", other.to_string()),
        }
    }
}

/// Lowercases the first letter of a message ("Expected …" → "expected …"), not of an acronym
/// ("EOF while …" stays).
fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    let second_is_upper = text.chars().nth(1).is_some_and(char::is_uppercase);
    match chars.next() {
        Some(first) if !second_is_upper => first.to_lowercase().chain(chars).collect(),
        _ => text.to_string(),
    }
}

impl From<incontro_core::Error> for ApiError {
    fn from(error: incontro_core::Error) -> Self {
        let kind = error.kind();
        if kind == ErrorKind::Internal {
            return ApiError::internal(error.to_string());
        }
        ApiError::new(ApiErrorKind::Engine(kind), error.code(), error.to_string())
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        status_of(self.kind)
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        if status.is_server_error() {
            tracing::error!(
                code = self.code,
                cause = self.cause.as_deref().unwrap_or(&self.message),
                "request failed"
            );
        }
        HttpResponse::build(status).json(ErrorBody {
            message: self.message.clone(),
            code: self.code.to_string(),
        })
    }
}

/// The service's result type.
pub type ApiResult<T> = Result<T, ApiError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engine_errors_keep_their_code_and_internal_ones_are_generic() {
        let not_found: ApiError =
            incontro_core::Error::not_found("vacancy_not_found", "vacancy", "V9").into();
        assert_eq!(not_found.status_code(), StatusCode::NOT_FOUND);
        assert_eq!(not_found.code(), "vacancy_not_found");
        let internal: ApiError =
            incontro_core::Error::Internal("disk on fire at /secret/path".into()).into();
        assert_eq!(internal.status_code(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(internal.message, "internal error");
        assert_eq!(internal.code(), "internal");
    }
}
