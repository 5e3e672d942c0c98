//! The one error type of the engine.
//!
//! Every fallible call returns [`crate::Result`]. An [`Error`] carries an HTTP-agnostic
//! [`ErrorKind`] that the server maps to a status code and a stable machine-readable code, and a
//! message that is lowercase, concise and without a trailing period.

use std::fmt;

mod codes;

pub use codes::ErrorCode;

/// What kind of failure happened, independent of any transport. Each [`ErrorCode`] has one kind;
/// the server maps kinds to HTTP statuses in one table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The caller sent something malformed or out of range.
    Invalid,
    /// The object asked for does not exist.
    NotFound,
    /// The request conflicts with the current state (duplicate, wrong workflow step).
    Conflict,
    /// The caller may not do this.
    Forbidden,
    /// The payload is larger than allowed.
    TooLarge,
    /// Something went wrong inside the engine (I/O, database, index).
    Internal,
    /// No or an unknown credential (raised by the service, never by the engine).
    Unauthenticated,
    /// The route exists but not with this method (service only).
    MethodNotAllowed,
    /// The body is not in a format the service reads (service only).
    UnsupportedMediaType,
    /// The client did not send its request body in time (service only).
    BodyTimeout,
    /// Too many requests from one address; try again later (service only).
    TooManyRequests,
    /// The request could not be served in time; try again (service only).
    Unavailable,
}

/// One problem found in an input file, with its place.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct InputProblem {
    /// The file (or logical source) where the problem is.
    pub file: String,
    /// 1-based line number; 0 when the problem concerns the whole file.
    pub line: u64,
    /// The field (column) concerned, if any.
    pub field: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for InputProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.field {
            Some(field) => write!(
                f,
                "{}:{}: {}: {}",
                self.file, self.line, field, self.message
            ),
            None => write!(f, "{}:{}: {}", self.file, self.line, self.message),
        }
    }
}

/// The engine's error.
///
/// Match on [`Error::kind`] or [`Error::code`] rather than on the variants: new variants may be
/// added, and the storage behind [`Error::Database`] is not part of the interface.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A value failed validation (a field of a request, a CLI argument).
    #[error("{message}")]
    Invalid {
        /// Stable code, e.g. `invalid_codice_fiscale`.
        code: ErrorCode,
        /// Human-readable message.
        message: String,
    },
    /// An import found problems; nothing was written.
    #[error("{} problem(s) in input, nothing imported; first: {}", problems.len(), problems.first().map(|p| p.to_string()).unwrap_or_default())]
    InvalidInput {
        /// Every problem found (capped by the importer).
        problems: Vec<InputProblem>,
    },
    /// The object does not exist.
    #[error("{what} not found: {id}")]
    NotFound {
        /// Stable code, e.g. `vacancy_not_found`.
        code: ErrorCode,
        /// What was looked for.
        what: &'static str,
        /// The id asked for.
        id: String,
    },
    /// The request conflicts with the current state.
    #[error("{message}")]
    Conflict {
        /// Stable code.
        code: ErrorCode,
        /// Human-readable message.
        message: String,
    },
    /// The caller may not do this.
    #[error("{message}")]
    Forbidden {
        /// Stable code.
        code: ErrorCode,
        /// Human-readable message.
        message: String,
    },
    /// A payload over its limit.
    #[error("{message}")]
    TooLarge {
        /// Human-readable message.
        message: String,
    },
    /// The store failed (the message says how; the storage library's own error is not part of
    /// the interface).
    #[error("database error: {0}")]
    Database(DatabaseError),
    /// The search index failed.
    #[error("index error: {0}")]
    Index(String),
    /// Reading or writing a file failed.
    #[error("i/o error on {path}: {source}")]
    Io {
        /// The path concerned.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// Any other internal failure.
    #[error("internal error: {0}")]
    Internal(String),
}

/// What the store reported when it failed: a message, and the source error for
/// [`std::error::Error::source`] chains (its type is the storage library's and may change).
#[derive(Debug)]
pub struct DatabaseError {
    source: Box<dyn std::error::Error + Send + Sync + 'static>,
}

impl DatabaseError {
    /// The store's message.
    pub fn message(&self) -> String {
        self.source.to_string()
    }
}

impl fmt::Display for DatabaseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.source, f)
    }
}

impl std::error::Error for DatabaseError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(self.source.as_ref())
    }
}

#[doc(hidden)]
impl From<rusqlite::Error> for Error {
    fn from(error: rusqlite::Error) -> Self {
        Error::Database(DatabaseError {
            source: Box::new(error),
        })
    }
}

impl Error {
    /// The transport-independent kind of this error: the kind of its [`code`](Error::code), as
    /// the registry says.
    pub fn kind(&self) -> ErrorKind {
        self.code().kind()
    }

    /// The stable machine-readable code of this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Invalid { code, .. }
            | Error::NotFound { code, .. }
            | Error::Conflict { code, .. }
            | Error::Forbidden { code, .. } => *code,
            Error::InvalidInput { .. } => ErrorCode::InvalidInput,
            Error::TooLarge { .. } => ErrorCode::PayloadTooLarge,
            Error::Database(_) | Error::Index(_) | Error::Io { .. } | Error::Internal(_) => {
                ErrorCode::Internal
            }
        }
    }

    /// Shorthand for [`Error::Invalid`] (message cut to [`Problems::MESSAGE_CHARS`]: it may
    /// quote input).
    pub fn invalid(code: ErrorCode, message: impl Into<String>) -> Self {
        debug_assert_eq!(
            code.kind(),
            ErrorKind::Invalid,
            "{code} is not an invalid-input code"
        );
        Error::Invalid {
            code,
            message: crate::input::truncate_chars(&message.into(), Problems::MESSAGE_CHARS),
        }
    }

    /// Shorthand for [`Error::NotFound`].
    pub fn not_found(code: ErrorCode, what: &'static str, id: impl Into<String>) -> Self {
        debug_assert_eq!(
            code.kind(),
            ErrorKind::NotFound,
            "{code} is not a not-found code"
        );
        Error::NotFound {
            code,
            what,
            id: id.into(),
        }
    }

    /// Shorthand for [`Error::Conflict`].
    pub fn conflict(code: ErrorCode, message: impl Into<String>) -> Self {
        debug_assert_eq!(
            code.kind(),
            ErrorKind::Conflict,
            "{code} is not a conflict code"
        );
        Error::Conflict {
            code,
            message: message.into(),
        }
    }

    /// Shorthand for [`Error::Forbidden`].
    pub fn forbidden(code: ErrorCode, message: impl Into<String>) -> Self {
        debug_assert_eq!(
            code.kind(),
            ErrorKind::Forbidden,
            "{code} is not a forbidden code"
        );
        Error::Forbidden {
            code,
            message: message.into(),
        }
    }

    /// Shorthand for an I/O error on a path.
    pub fn io(path: impl AsRef<std::path::Path>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.as_ref().display().to_string(),
            source,
        }
    }
}

impl From<tantivy::TantivyError> for Error {
    fn from(error: tantivy::TantivyError) -> Self {
        Error::Index(error.to_string())
    }
}

impl From<csv::Error> for Error {
    fn from(error: csv::Error) -> Self {
        Error::Internal(format!("csv: {error}"))
    }
}

/// Collects input problems while an importer reads a file, capped so that a wholly wrong file
/// cannot exhaust memory.
#[derive(Debug, Default)]
pub struct Problems {
    /// The problems found so far (at most [`Problems::CAP`]).
    pub list: Vec<InputProblem>,
    /// How many problems were found in all, including those past the cap.
    pub total: u64,
}

impl Problems {
    /// At most this many problems are kept.
    pub const CAP: usize = 1000;

    /// The longest message kept, in characters: a message quoting input never carries more
    /// than a short excerpt of it.
    pub const MESSAGE_CHARS: usize = 300;

    /// Records one problem (message cut to [`Problems::MESSAGE_CHARS`], field name to 64).
    pub fn push(&mut self, file: &str, line: u64, field: Option<&str>, message: impl Into<String>) {
        self.total += 1;
        if self.list.len() < Self::CAP {
            self.list.push(InputProblem {
                file: file.to_string(),
                line,
                field: field.map(|field| crate::input::truncate_chars(field, 64)),
                message: crate::input::truncate_chars(&message.into(), Self::MESSAGE_CHARS),
            });
        }
    }

    /// True when no problem was found.
    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// Turns the problems into an error, or `Ok(())` when there are none.
    pub fn into_result(self) -> crate::Result<()> {
        if self.list.is_empty() {
            Ok(())
        } else {
            Err(Error::InvalidInput {
                problems: self.list,
            })
        }
    }
}
