//! Typed configuration, layered: defaults < optional TOML file < environment < command-line flags.
//!
//! [`ServerConfig::default`] is the one source of defaults. The file, the environment and the
//! flags each give a [`ConfigLayer`] (every field optional); unknown keys in the file are refused.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The service's settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerConfig {
    /// Address to listen on (`127.0.0.1:8080`; port 0 picks a free port).
    pub bind: String,
    /// Data directory (SQLite database and search indexes).
    pub data_dir: PathBuf,
    /// The database (`sqlite:///dir` or `postgres://user@host/db`); `None`: SQLite in the data
    /// directory. Replicas share one PostgreSQL database (docs/deploy.md).
    #[serde(default)]
    pub database: Option<String>,
    /// actix-web worker threads (async I/O only; engine calls run on the pool).
    pub workers: usize,
    /// Engine calls running at once, on as many long-lived engine threads (the bounded CPU pool,
    /// `pool::CpuPool`). Default: twice the cores, because a call also waits (SQLite page reads,
    /// the store's mutex) and the handoff between calls leaves a core idle; measured in the
    /// README's Performance section.
    pub pool_size: usize,
    /// Largest accepted JSON body, in bytes (larger ones get 413 `payload_too_large`).
    pub body_limit_bytes: usize,
    /// Time allowed for one engine call, queueing included (then 503 `request_timeout`).
    pub request_timeout_ms: u64,
    /// Time allowed for a client to send the request head.
    pub client_timeout_ms: u64,
    /// Time allowed for a client to send a request body, from the end of its head (a trickled
    /// body is cut off with 408 `body_timeout` and the connection closed).
    pub body_timeout_ms: u64,
    /// Connections one client address may hold open while it uses the public booking pages
    /// (`/prenota`): a request there from an address holding more gets 429.
    pub public_connections_per_address: usize,
    /// Offices (province codes) whose open vacancies every office sees in matching results;
    /// empty (the default): each office sees only its own.
    pub shared_vacancy_offices: Vec<String>,
    /// Largest page of a listing (`limit`).
    pub max_page_size: usize,
    /// Largest `k` of a matching query.
    pub max_k: usize,
    /// Load the demo dataset when the data directory is empty.
    pub load_demo_if_empty: bool,
    /// Months the ranking log keeps each ranking served (the office's retention; `incontro
    /// purge` deletes older rows). Default 6.
    pub ranking_log_retention_months: u32,
    /// On a shared database (PostgreSQL), how long the service reuses the data revision it read
    /// before reading it again, unless it wrote meanwhile: the most another replica's write (or a
    /// command run beside the service) waits to be seen here. Default 100; 0 reads it for every
    /// query. Ignored on SQLite, where it is read every time.
    pub revision_reuse_ms: u64,
    /// Run as if today were this day (the binary's global `--today` / `INCONTRO_TODAY`; see
    /// `incontro_core::clock`). `None`: the machine's clock.
    #[serde(default)]
    pub today: Option<chrono::NaiveDate>,
}

impl Default for ServerConfig {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        ServerConfig {
            bind: "127.0.0.1:8080".into(),
            data_dir: PathBuf::from("./incontro-data"),
            database: None,
            workers: cores.min(4),
            pool_size: cores * 2,
            body_limit_bytes: 256 * 1024,
            request_timeout_ms: 10_000,
            client_timeout_ms: 5_000,
            body_timeout_ms: 15_000,
            public_connections_per_address: 16,
            shared_vacancy_offices: Vec::new(),
            max_page_size: 100,
            max_k: 100,
            load_demo_if_empty: true,
            ranking_log_retention_months: 6,
            revision_reuse_ms: 100,
            today: None,
        }
    }
}

/// One layer of settings: each field overrides the layers below when present.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigLayer {
    /// See [`ServerConfig::bind`].
    pub bind: Option<String>,
    /// See [`ServerConfig::data_dir`].
    pub data_dir: Option<PathBuf>,
    /// See [`ServerConfig::database`].
    pub database: Option<String>,
    /// See [`ServerConfig::workers`].
    pub workers: Option<usize>,
    /// See [`ServerConfig::pool_size`].
    pub pool_size: Option<usize>,
    /// See [`ServerConfig::body_limit_bytes`].
    pub body_limit_bytes: Option<usize>,
    /// See [`ServerConfig::request_timeout_ms`].
    pub request_timeout_ms: Option<u64>,
    /// See [`ServerConfig::client_timeout_ms`].
    pub client_timeout_ms: Option<u64>,
    /// See [`ServerConfig::body_timeout_ms`].
    pub body_timeout_ms: Option<u64>,
    /// See [`ServerConfig::public_connections_per_address`].
    pub public_connections_per_address: Option<usize>,
    /// See [`ServerConfig::shared_vacancy_offices`].
    pub shared_vacancy_offices: Option<Vec<String>>,
    /// See [`ServerConfig::max_page_size`].
    pub max_page_size: Option<usize>,
    /// See [`ServerConfig::max_k`].
    pub max_k: Option<usize>,
    /// See [`ServerConfig::load_demo_if_empty`].
    pub load_demo_if_empty: Option<bool>,
    /// See [`ServerConfig::ranking_log_retention_months`].
    pub ranking_log_retention_months: Option<u32>,
    /// See [`ServerConfig::revision_reuse_ms`].
    pub revision_reuse_ms: Option<u64>,
}

/// A configuration problem (the service does not start).
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read config file {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not valid TOML for this schema (unknown keys included).
    #[error("config file {path}: {message}")]
    Parse {
        /// The file.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// An environment variable has a wrong value.
    #[error("environment variable {name}: {message}")]
    Env {
        /// The variable.
        name: String,
        /// What is wrong.
        message: String,
    },
    /// A final value is out of range.
    #[error("{0}")]
    Invalid(String),
}

/// The environment variable of each setting.
pub const ENV_VARS: [&str; 15] = [
    "INCONTRO_BIND",
    "INCONTRO_DATA_DIR",
    "INCONTRO_DATABASE",
    "INCONTRO_WORKERS",
    "INCONTRO_POOL_SIZE",
    "INCONTRO_BODY_LIMIT_BYTES",
    "INCONTRO_REQUEST_TIMEOUT_MS",
    "INCONTRO_CLIENT_TIMEOUT_MS",
    "INCONTRO_BODY_TIMEOUT_MS",
    "INCONTRO_PUBLIC_CONNECTIONS_PER_ADDRESS",
    "INCONTRO_SHARED_VACANCY_OFFICES",
    "INCONTRO_MAX_PAGE_SIZE",
    "INCONTRO_MAX_K",
    "INCONTRO_LOAD_DEMO",
    "INCONTRO_RANKING_LOG_RETENTION_MONTHS",
];

fn parse_env<T: std::str::FromStr>(
    lookup: &dyn Fn(&str) -> Option<String>,
    name: &str,
) -> Result<Option<T>, ConfigError>
where
    T::Err: std::fmt::Display,
{
    match lookup(name) {
        None => Ok(None),
        Some(raw) => raw
            .trim()
            .parse()
            .map(Some)
            .map_err(|error: T::Err| ConfigError::Env {
                name: name.to_string(),
                message: error.to_string(),
            }),
    }
}

/// A comma-separated list of office codes (blanks dropped).
pub fn office_list(raw: &str) -> Vec<String> {
    raw.split(',')
        .map(|office| office.trim().to_ascii_uppercase())
        .filter(|office| !office.is_empty())
        .collect()
}

impl ConfigLayer {
    /// Reads a TOML file; unknown keys are an error.
    pub fn from_file(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.display().to_string(),
            source,
        })?;
        toml::from_str(&text).map_err(|error| ConfigError::Parse {
            path: path.display().to_string(),
            message: error.message().to_string(),
        })
    }

    /// Reads the `INCONTRO_*` variables of [`ENV_VARS`] through `lookup`.
    pub fn from_env(lookup: &dyn Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        Ok(ConfigLayer {
            bind: lookup("INCONTRO_BIND"),
            data_dir: lookup("INCONTRO_DATA_DIR").map(PathBuf::from),
            database: lookup("INCONTRO_DATABASE"),
            workers: parse_env(lookup, "INCONTRO_WORKERS")?,
            pool_size: parse_env(lookup, "INCONTRO_POOL_SIZE")?,
            body_limit_bytes: parse_env(lookup, "INCONTRO_BODY_LIMIT_BYTES")?,
            request_timeout_ms: parse_env(lookup, "INCONTRO_REQUEST_TIMEOUT_MS")?,
            client_timeout_ms: parse_env(lookup, "INCONTRO_CLIENT_TIMEOUT_MS")?,
            body_timeout_ms: parse_env(lookup, "INCONTRO_BODY_TIMEOUT_MS")?,
            public_connections_per_address: parse_env(
                lookup,
                "INCONTRO_PUBLIC_CONNECTIONS_PER_ADDRESS",
            )?,
            shared_vacancy_offices: lookup("INCONTRO_SHARED_VACANCY_OFFICES")
                .map(|raw| office_list(&raw)),
            max_page_size: parse_env(lookup, "INCONTRO_MAX_PAGE_SIZE")?,
            max_k: parse_env(lookup, "INCONTRO_MAX_K")?,
            load_demo_if_empty: parse_env(lookup, "INCONTRO_LOAD_DEMO")?,
            ranking_log_retention_months: parse_env(
                lookup,
                "INCONTRO_RANKING_LOG_RETENTION_MONTHS",
            )?,
            revision_reuse_ms: parse_env(lookup, "INCONTRO_REVISION_REUSE_MS")?,
        })
    }
}

impl ServerConfig {
    /// Applies one layer on top.
    pub fn apply(mut self, layer: ConfigLayer) -> Self {
        let ConfigLayer {
            bind,
            data_dir,
            database,
            workers,
            pool_size,
            body_limit_bytes,
            request_timeout_ms,
            client_timeout_ms,
            body_timeout_ms,
            public_connections_per_address,
            shared_vacancy_offices,
            max_page_size,
            max_k,
            load_demo_if_empty,
            ranking_log_retention_months,
            revision_reuse_ms,
        } = layer;
        if let Some(value) = bind {
            self.bind = value;
        }
        if let Some(value) = data_dir {
            self.data_dir = value;
        }
        if let Some(value) = database {
            self.database = Some(value);
        }
        if let Some(value) = workers {
            self.workers = value;
        }
        if let Some(value) = pool_size {
            self.pool_size = value;
        }
        if let Some(value) = body_limit_bytes {
            self.body_limit_bytes = value;
        }
        if let Some(value) = request_timeout_ms {
            self.request_timeout_ms = value;
        }
        if let Some(value) = client_timeout_ms {
            self.client_timeout_ms = value;
        }
        if let Some(value) = body_timeout_ms {
            self.body_timeout_ms = value;
        }
        if let Some(value) = public_connections_per_address {
            self.public_connections_per_address = value;
        }
        if let Some(value) = shared_vacancy_offices {
            self.shared_vacancy_offices = value;
        }
        if let Some(value) = max_page_size {
            self.max_page_size = value;
        }
        if let Some(value) = max_k {
            self.max_k = value;
        }
        if let Some(value) = load_demo_if_empty {
            self.load_demo_if_empty = value;
        }
        if let Some(value) = ranking_log_retention_months {
            self.ranking_log_retention_months = value;
        }
        if let Some(value) = revision_reuse_ms {
            self.revision_reuse_ms = value;
        }
        self
    }

    /// Defaults < `file` (if any) < environment (through `lookup`) < `flags`, then checked.
    pub fn load(
        file: Option<&Path>,
        lookup: &dyn Fn(&str) -> Option<String>,
        flags: ConfigLayer,
    ) -> Result<Self, ConfigError> {
        let mut config = ServerConfig::default();
        if let Some(file) = file {
            config = config.apply(ConfigLayer::from_file(file)?);
        }
        config = config.apply(ConfigLayer::from_env(lookup)?);
        config = config.apply(flags);
        config.check()?;
        Ok(config)
    }

    /// Checks ranges.
    pub fn check(&self) -> Result<(), ConfigError> {
        let checks = [
            (
                (1..=256).contains(&self.workers),
                "workers must be 1 to 256",
            ),
            (
                (1..=1024).contains(&self.pool_size),
                "pool_size must be 1 to 1024",
            ),
            (
                (1024..=64 * 1024 * 1024).contains(&self.body_limit_bytes),
                "body_limit_bytes must be 1 KiB to 64 MiB",
            ),
            (
                (10..=600_000).contains(&self.request_timeout_ms),
                "request_timeout_ms must be 10 to 600000",
            ),
            (
                (100..=600_000).contains(&self.client_timeout_ms),
                "client_timeout_ms must be 100 to 600000",
            ),
            (
                (100..=600_000).contains(&self.body_timeout_ms),
                "body_timeout_ms must be 100 to 600000",
            ),
            (
                (1..=10_000).contains(&self.public_connections_per_address),
                "public_connections_per_address must be 1 to 10000",
            ),
            (
                self.shared_vacancy_offices.iter().all(|office| {
                    !office.is_empty()
                        && office.len() <= 8
                        && office.bytes().all(|byte| byte.is_ascii_alphanumeric())
                }),
                "shared_vacancy_offices must be office codes (1-8 letters or digits, such as LU)",
            ),
            (
                (1..=1000).contains(&self.max_page_size),
                "max_page_size must be 1 to 1000",
            ),
            (
                (1..=incontro_core::matching::MAX_K).contains(&self.max_k),
                "max_k must be 1 to 500",
            ),
            (
                (1..=120).contains(&self.ranking_log_retention_months),
                "ranking_log_retention_months must be 1 to 120",
            ),
            (
                self.revision_reuse_ms <= 1000,
                "revision_reuse_ms must be 0 to 1000 (replicas promise to follow within a second)",
            ),
        ];
        for (ok, message) in checks {
            if !ok {
                return Err(ConfigError::Invalid(message.to_string()));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_env(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn layers_apply_in_order() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("incontro.toml");
        std::fs::write(
            &file,
            "bind = \"127.0.0.1:9000\"\nworkers = 3\nmax_k = 50\n",
        )
        .expect("w");
        let env = |name: &str| match name {
            "INCONTRO_WORKERS" => Some("5".to_string()),
            "INCONTRO_MAX_K" => Some("60".to_string()),
            _ => None,
        };
        let flags = ConfigLayer {
            max_k: Some(70),
            ..Default::default()
        };
        let config = ServerConfig::load(Some(&file), &env, flags).expect("load");
        assert_eq!(config.bind, "127.0.0.1:9000"); // file
        assert_eq!(config.workers, 5); // env beats file
        assert_eq!(config.max_k, 70); // flag beats env
        assert_eq!(
            config.body_limit_bytes,
            ServerConfig::default().body_limit_bytes
        );
    }

    #[test]
    fn unknown_keys_and_bad_values_are_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("incontro.toml");
        std::fs::write(&file, "bind = \"x\"\nwrokers = 3\n").expect("w");
        let error = ServerConfig::load(Some(&file), &no_env, ConfigLayer::default()).unwrap_err();
        assert!(error.to_string().contains("wrokers"), "{error}");
        let env = |name: &str| (name == "INCONTRO_POOL_SIZE").then(|| "many".to_string());
        let error = ServerConfig::load(None, &env, ConfigLayer::default()).unwrap_err();
        assert!(error.to_string().contains("INCONTRO_POOL_SIZE"), "{error}");
        let flags = ConfigLayer {
            max_k: Some(0),
            ..Default::default()
        };
        assert!(ServerConfig::load(None, &no_env, flags).is_err());
    }
}
