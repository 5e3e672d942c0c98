//! Which database a store is: `--database`, `INCONTRO_DATABASE`, or the config file's
//! `database`.

use std::path::{Path, PathBuf};

use crate::{Error, ErrorCode, Result};

/// Where the system of record is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// The embedded SQLite database in this directory (`sqlite:///path/to/dir`; the default is
    /// the data directory).
    Sqlite(PathBuf),
    /// A PostgreSQL database shared by any number of replicas (`postgres://user@host/db`, any
    /// connection URL or key=value string libpq takes, without TLS).
    Postgres(String),
}

impl DatabaseUrl {
    /// Parses `sqlite:///dir`, `sqlite:dir`, `postgres://…` or `postgresql://…`.
    pub fn parse(text: &str) -> Result<Self> {
        let text = text.trim();
        if let Some(rest) = text.strip_prefix("sqlite://") {
            if rest.is_empty() {
                return Err(invalid(text));
            }
            return Ok(DatabaseUrl::Sqlite(PathBuf::from(rest)));
        }
        if let Some(rest) = text.strip_prefix("sqlite:") {
            if rest.is_empty() {
                return Err(invalid(text));
            }
            return Ok(DatabaseUrl::Sqlite(PathBuf::from(rest)));
        }
        if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            text.parse::<postgres::Config>().map_err(|error| {
                Error::invalid(
                    ErrorCode::InvalidInput,
                    format!("database URL {}: {error}", redact(text)),
                )
            })?;
            return Ok(DatabaseUrl::Postgres(text.to_owned()));
        }
        Err(invalid(text))
    }

    /// The default: the SQLite database in `data_dir`.
    pub fn in_dir(data_dir: &Path) -> Self {
        DatabaseUrl::Sqlite(data_dir.to_path_buf())
    }

    /// True for PostgreSQL.
    pub fn is_postgres(&self) -> bool {
        matches!(self, DatabaseUrl::Postgres(_))
    }
}

impl std::fmt::Display for DatabaseUrl {
    /// The URL without its password (for messages and logs).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DatabaseUrl::Sqlite(dir) => write!(f, "sqlite://{}", dir.display()),
            DatabaseUrl::Postgres(url) => f.write_str(&redact(url)),
        }
    }
}

fn invalid(text: &str) -> Error {
    Error::invalid(
        ErrorCode::InvalidInput,
        format!(
            "database URL {:?} is neither sqlite:///path/to/data-dir nor postgres://user@host/db",
            redact(text)
        ),
    )
}

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`.
pub fn redact(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_owned();
    };
    let rest = &url[scheme_end + 3..];
    let Some(at) = rest.find('@') else {
        return url.to_owned();
    };
    match rest[..at].find(':') {
        Some(colon) => format!(
            "{}{}:***{}",
            &url[..scheme_end + 3],
            &rest[..colon],
            &rest[at..]
        ),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_both_backends_and_refuses_others() {
        assert_eq!(
            DatabaseUrl::parse("sqlite:///var/lib/incontro").unwrap(),
            DatabaseUrl::Sqlite(PathBuf::from("/var/lib/incontro"))
        );
        assert!(
            DatabaseUrl::parse("postgres://incontro@db.example/incontro")
                .unwrap()
                .is_postgres()
        );
        assert!(DatabaseUrl::parse("mysql://x").is_err());
        assert!(DatabaseUrl::parse("sqlite://").is_err());
        assert_eq!(
            DatabaseUrl::parse("postgres://u:secret@h/db")
                .unwrap()
                .to_string(),
            "postgres://u:***@h/db"
        );
    }
}
