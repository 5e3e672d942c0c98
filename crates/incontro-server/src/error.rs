//! The one error type of the service and THE table from error kind to HTTP status.
//!
//! Every error body is `{"message": "...", "code": "snake_case_code"}`. Codes are stable: clients
//! and tests match on `code`, never on `message`. Engine errors keep their own code (e.g.
//! `vacancy_not_found`); the service adds a few of its own (`missing_api_key`, `malformed_json`,
//! `payload_too_large`, `request_timeout`, …). 5xx bodies are generic; the cause is logged.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use incontro_core::{ErrorCode, ErrorKind};
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

/// THE table: error kind → HTTP status. Nothing else in the service picks an error status; the
/// kind of each code is in the registry ([`ErrorCode`]).
pub fn status_of(kind: ErrorKind) -> StatusCode {
    match kind {
        ErrorKind::Invalid => StatusCode::BAD_REQUEST,
        ErrorKind::Unauthenticated => StatusCode::UNAUTHORIZED,
        ErrorKind::Forbidden => StatusCode::FORBIDDEN,
        ErrorKind::NotFound => StatusCode::NOT_FOUND,
        ErrorKind::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
        ErrorKind::BodyTimeout => StatusCode::REQUEST_TIMEOUT,
        ErrorKind::Conflict => StatusCode::CONFLICT,
        ErrorKind::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        ErrorKind::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ErrorKind::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
        ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        ErrorKind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        ErrorKind::StorageFull => StatusCode::INSUFFICIENT_STORAGE,
    }
}

/// The HTTP status of a code.
pub fn status_of_code(code: ErrorCode) -> StatusCode {
    status_of(code.kind())
}

/// An error on its way to becoming a response.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{code}: {message}")]
pub struct ApiError {
    code: ErrorCode,
    message: String,
    /// The internal cause, logged for 5xx and never sent.
    cause: Option<String>,
}

impl ApiError {
    /// An error with a stable `code` (which decides the status).
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError {
            code,
            message: message.into(),
            cause: None,
        }
    }

    /// 400 with `code`.
    pub fn invalid(code: ErrorCode, message: impl Into<String>) -> Self {
        debug_assert_eq!(
            code.kind(),
            ErrorKind::Invalid,
            "{code} is not an invalid-input code"
        );
        ApiError::new(code, message)
    }

    /// 500 with a generic body; `cause` is logged.
    pub fn internal(cause: impl Into<String>) -> Self {
        ApiError {
            code: ErrorCode::Internal,
            message: "internal error".into(),
            cause: Some(cause.into()),
        }
    }

    /// 401: no `Authorization: Bearer` header.
    pub fn missing_key() -> Self {
        ApiError::new(
            ErrorCode::MissingApiKey,
            "send an api key as Authorization: Bearer <key>",
        )
    }

    /// 401: the key is unknown or revoked.
    pub fn invalid_key() -> Self {
        ApiError::new(
            ErrorCode::InvalidApiKey,
            "the api key is unknown or revoked",
        )
    }

    /// 503: not served within the request timeout.
    pub fn timeout() -> Self {
        ApiError::new(
            ErrorCode::RequestTimeout,
            "the request took too long; try again",
        )
    }

    /// The stable code.
    pub fn code(&self) -> ErrorCode {
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
                ErrorCode::PayloadTooLarge,
                format!("request body is larger than {limit} bytes"),
            ),
            J::ContentType => ApiError::new(
                ErrorCode::UnsupportedMediaType,
                "send the body as application/json",
            ),
            J::Deserialize(inner) if inner.is_data() => {
                ApiError::new(ErrorCode::InvalidBody, lowercase_first(&inner.to_string()))
            }
            J::Deserialize(inner) => ApiError::new(
                ErrorCode::MalformedJson,
                format!(
                    "body is not valid json: {}",
                    lowercase_first(&inner.to_string())
                ),
            ),
            J::Serialize(inner) => ApiError::internal(format!("serialize: {inner}")),
            J::Payload(inner) if crate::limits::is_body_timeout(inner) => ApiError::new(
                ErrorCode::BodyTimeout,
                "the request body was not received in time",
            ),
            J::Payload(inner) => ApiError::invalid(ErrorCode::MalformedBody, inner.to_string()),
            other => ApiError::invalid(ErrorCode::MalformedBody, other.to_string()),
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
        if error.kind() == ErrorKind::Internal {
            return ApiError::internal(error.to_string());
        }
        if error.kind() == ErrorKind::StorageFull {
            // The cause (a path, SQLite's words) is logged, never sent.
            return ApiError {
                code: error.code(),
                message: "the server's disk is full: nothing was written; try again later".into(),
                cause: Some(error.to_string()),
            };
        }
        ApiError::new(error.code(), error.to_string())
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        status_of_code(self.code)
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        if status.is_server_error() {
            tracing::error!(
                code = self.code.as_str(),
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

/// The first and last line of the generated error table in `docs/http.md`.
pub const DOCS_TABLE_MARKERS: (&str, &str) = (
    "<!-- error codes: generated from incontro_core::ErrorCode by the server's tests; do not edit -->",
    "<!-- end of error codes -->",
);

/// The error table of `docs/http.md`, generated from the registry: every code with its status
/// and meaning, by status.
pub fn docs_table() -> String {
    let mut codes = ErrorCode::ALL.to_vec();
    codes.sort_by_key(|code| status_of_code(*code).as_u16());
    let mut table = format!(
        "{}\n| code | status | meaning |\n|---|---|---|\n",
        DOCS_TABLE_MARKERS.0
    );
    for code in codes {
        table.push_str(&format!(
            "| `{}` | {} | {} |\n",
            code.as_str(),
            status_of_code(code).as_u16(),
            code.description().replace('|', "\\|")
        ));
    }
    table.push_str(DOCS_TABLE_MARKERS.1);
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engine_errors_keep_their_code_and_internal_ones_are_generic() {
        let not_found: ApiError =
            incontro_core::Error::not_found(ErrorCode::VacancyNotFound, "vacancy", "V9").into();
        assert_eq!(not_found.status_code(), StatusCode::NOT_FOUND);
        assert_eq!(not_found.code(), "vacancy_not_found");
        let internal: ApiError =
            incontro_core::Error::Internal("disk on fire at /secret/path".into()).into();
        assert_eq!(internal.status_code(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(internal.message, "internal error");
        assert_eq!(internal.code(), "internal");
    }

    /// `docs/http.md`'s error table is the registry's: every code documented with its status,
    /// no documented code that does not exist. `INCONTRO_BLESS=1` rewrites the table.
    #[test]
    fn docs_error_table_is_generated_from_the_registry() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/http.md");
        let docs = std::fs::read_to_string(path).expect("docs/http.md");
        let (start, end) = DOCS_TABLE_MARKERS;
        let from = docs
            .find(start)
            .expect("docs/http.md has the error table start marker");
        let to = docs[from..].find(end).expect("the error table end marker") + from + end.len();
        let generated = docs_table();
        if docs[from..to] == generated {
            return;
        }
        if std::env::var_os("INCONTRO_BLESS").is_some() {
            let updated = format!("{}{}{}", &docs[..from], generated, &docs[to..]);
            std::fs::write(path, updated).expect("write docs/http.md");
            return;
        }
        let documented: std::collections::BTreeSet<(String, String)> = docs[from..to]
            .lines()
            .filter_map(|line| {
                let mut cells = line.split('|').map(str::trim).skip(1);
                let code = cells.next()?.strip_prefix('`')?.strip_suffix('`')?;
                Some((code.to_string(), cells.next()?.to_string()))
            })
            .collect();
        let registry: std::collections::BTreeSet<(String, String)> = ErrorCode::ALL
            .iter()
            .map(|code| {
                let status = status_of_code(*code).as_u16().to_string();
                (code.as_str().to_string(), status)
            })
            .collect();
        panic!(
            "docs/http.md's error table differs from incontro_core::ErrorCode; \
             run `INCONTRO_BLESS=1 cargo test -p incontro-server --lib error::` and review the diff.\n\
             in the registry, not (so) documented: {:?}\ndocumented, not (so) in the registry: {:?}",
            registry.difference(&documented).collect::<Vec<_>>(),
            documented.difference(&registry).collect::<Vec<_>>(),
        );
    }

    /// Every error response the OpenAPI document names by a code has that code's status.
    #[test]
    fn openapi_error_responses_agree_with_the_registry() {
        let document = crate::openapi::document();
        let mut checked = 0;
        for (path, item) in document["paths"].as_object().expect("paths") {
            for (method, operation) in item.as_object().expect("path item") {
                let Some(responses) = operation["responses"].as_object() else {
                    continue;
                };
                for (status, response) in responses {
                    let description = response["description"].as_str().unwrap_or_default();
                    let first_word = description.split([' ', ',']).next().unwrap_or_default();
                    let Some(code) = ErrorCode::parse(first_word) else {
                        continue;
                    };
                    assert_eq!(
                        status_of_code(code).as_str(),
                        status,
                        "{method} {path}: {description}"
                    );
                    checked += 1;
                }
            }
        }
        assert!(
            checked > 20,
            "only {checked} coded responses in the openapi document"
        );
    }
}
