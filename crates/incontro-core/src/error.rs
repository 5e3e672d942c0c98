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
    /// The disk holding the store is full: nothing was written.
    StorageFull,
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
    kind: DbErrorKind,
}

/// What kind of failure a [`DatabaseError`] is, the same on both backends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DbErrorKind {
    /// The store said its disk is full (`SQLITE_FULL`, PostgreSQL's `53100 disk_full`).
    DiskFull,
    /// A unique, foreign-key or check constraint refused the write.
    Constraint,
    /// A query that reads one row found none.
    NoRows,
    /// The database could not be reached (connection refused or lost).
    Unavailable,
    /// Anything else.
    Other,
}

impl DatabaseError {
    pub(crate) fn new(kind: DbErrorKind, message: &str) -> Self {
        DatabaseError {
            source: message.to_owned().into(),
            kind,
        }
    }

    /// The store's message.
    pub fn message(&self) -> String {
        self.source.to_string()
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> DbErrorKind {
        self.kind
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
        let kind = match &error {
            rusqlite::Error::SqliteFailure(failure, _) => match failure.code {
                rusqlite::ErrorCode::DiskFull => DbErrorKind::DiskFull,
                rusqlite::ErrorCode::ConstraintViolation => DbErrorKind::Constraint,
                _ => DbErrorKind::Other,
            },
            rusqlite::Error::QueryReturnedNoRows => DbErrorKind::NoRows,
            _ => DbErrorKind::Other,
        };
        Error::Database(DatabaseError {
            source: Box::new(error),
            kind,
        })
    }
}

#[doc(hidden)]
impl From<postgres::Error> for Error {
    fn from(error: postgres::Error) -> Self {
        use postgres::error::SqlState;
        let kind = match error.code() {
            Some(code) if *code == SqlState::DISK_FULL => DbErrorKind::DiskFull,
            Some(code)
                if *code == SqlState::UNIQUE_VIOLATION
                    || *code == SqlState::FOREIGN_KEY_VIOLATION
                    || *code == SqlState::CHECK_VIOLATION
                    || *code == SqlState::NOT_NULL_VIOLATION =>
            {
                DbErrorKind::Constraint
            }
            Some(_) => DbErrorKind::Other,
            None if error.is_closed() => DbErrorKind::Unavailable,
            None => {
                if std::error::Error::source(&error)
                    .is_some_and(|source| source.is::<std::io::Error>())
                {
                    DbErrorKind::Unavailable
                } else {
                    DbErrorKind::Other
                }
            }
        };
        // PostgreSQL's own message with its detail ("Key (id)=(V1) already exists.").
        let message = match error.as_db_error() {
            Some(db) => match db.detail() {
                Some(detail) => format!("{}: {detail}", db.message()),
                None => db.message().to_owned(),
            },
            None => error.to_string(),
        };
        Error::Database(DatabaseError {
            source: message.into(),
            kind,
        })
    }
}

impl Error {
    /// The same error with `what` said before its message (database errors only).
    pub(crate) fn context(self, what: &str) -> Self {
        match self {
            Error::Database(DatabaseError { source, kind }) => Error::Database(DatabaseError {
                source: format!("{what}: {source}").into(),
                kind,
            }),
            other => other,
        }
    }

    /// True when a constraint of the store (unique key, foreign key, check) refused a write.
    pub fn is_constraint_violation(&self) -> bool {
        matches!(self, Error::Database(database) if database.kind == DbErrorKind::Constraint)
    }

    /// True when the database could not be reached.
    pub fn is_unavailable(&self) -> bool {
        matches!(self, Error::Database(database) if database.kind == DbErrorKind::Unavailable)
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
            _ if self.is_disk_full() => ErrorCode::StorageFull,
            Error::Database(_) | Error::Index(_) | Error::Io { .. } | Error::Internal(_) => {
                ErrorCode::Internal
            }
        }
    }

    /// True when the store's disk is full: SQLite's `SQLITE_FULL`, or `ENOSPC` from a file
    /// write (also as the search index reports it). Such a write changed nothing (the
    /// transaction rolled back), so it is a refusal (`storage_full`), not an internal error.
    pub fn is_disk_full(&self) -> bool {
        const ENOSPC: i32 = 28;
        let io_full = |error: &std::io::Error| {
            error.kind() == std::io::ErrorKind::StorageFull || error.raw_os_error() == Some(ENOSPC)
        };
        match self {
            Error::Database(database) => database.kind == DbErrorKind::DiskFull,
            Error::Io { source, .. } => io_full(source),
            Error::Index(message) | Error::Internal(message) => {
                message.contains("os error 28")
                    || message.contains("No space left on device")
                    || message.contains("StorageFull")
                    || message.contains("database or disk is full")
            }
            _ => false,
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
            message: crate::input::cap_chars(&message.into(), Problems::MESSAGE_CHARS),
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

    /// Records one problem (message cut to [`Problems::MESSAGE_CHARS`] characters, field name to
    /// 64, the `…` of a cut included).
    pub fn push(&mut self, file: &str, line: u64, field: Option<&str>, message: impl Into<String>) {
        self.total += 1;
        if self.list.len() < Self::CAP {
            self.list.push(InputProblem {
                file: file.to_string(),
                line,
                field: field.map(|field| crate::input::cap_chars(field, 64)),
                message: crate::input::cap_chars(&message.into(), Self::MESSAGE_CHARS),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_disk_is_storage_full_and_other_failures_stay_internal() {
        let full = Error::from(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(13), // SQLITE_FULL
            Some("database or disk is full".into()),
        ));
        assert_eq!(full.code(), ErrorCode::StorageFull);
        assert_eq!(full.kind(), ErrorKind::StorageFull);
        let enospc = Error::io("/data/index", std::io::Error::from_raw_os_error(28));
        assert_eq!(enospc.code(), "storage_full");
        let index = Error::Index("IoError: No space left on device (os error 28)".into());
        assert_eq!(index.code(), "storage_full");
        let busy = Error::from(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(5), // SQLITE_BUSY
            None,
        ));
        assert_eq!(busy.code(), "internal");
        let denied = Error::io("/data", std::io::Error::from_raw_os_error(13));
        assert_eq!(denied.code(), "internal");
    }
}
