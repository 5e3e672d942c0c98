//! Test support shared by the workspace's suites (not part of the stable interface).
//!
//! The suites run on SQLite by default. With `INCONTRO_TEST_POSTGRES` set to a URL of a
//! PostgreSQL server's `postgres` database (`scripts/postgres-test.sh start` prints one), the
//! stores the suites open are on PostgreSQL instead, each in a database of its own;
//! `INCONTRO_REQUIRE_POSTGRES=1` (CI) makes a missing server a failure instead of a skip.

use std::sync::atomic::{AtomicUsize, Ordering};

/// The server URL of `INCONTRO_TEST_POSTGRES`, if set.
pub fn postgres_server() -> Option<String> {
    match std::env::var("INCONTRO_TEST_POSTGRES") {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ => {
            assert!(
                std::env::var("INCONTRO_REQUIRE_POSTGRES").as_deref() != Ok("1"),
                "INCONTRO_REQUIRE_POSTGRES=1 but INCONTRO_TEST_POSTGRES is not set \
                 (scripts/postgres-test.sh start)"
            );
            None
        }
    }
}

/// A new empty database on the test server, as a URL (`None` when no server is configured:
/// the caller skips and says so).
pub fn fresh_postgres_database() -> Option<String> {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let server = postgres_server()?;
    let name = format!(
        "incontro_test_{}_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed),
        chrono::Utc::now().timestamp_micros() % 1_000_000_000
    );
    let mut client = postgres::Client::connect(&server, postgres::NoTls)
        .unwrap_or_else(|error| panic!("test PostgreSQL at {server}: {error}"));
    client
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .unwrap_or_else(|error| panic!("create database {name}: {error}"));
    let base = match server.rfind('/') {
        Some(slash) if slash > server.find("://").map_or(0, |i| i + 2) => &server[..slash],
        _ => server.as_str(),
    };
    Some(format!("{base}/{name}"))
}

/// The database the suites' stores use: a fresh PostgreSQL database when
/// `INCONTRO_TEST_POSTGRES` is set, SQLite in `data_dir` otherwise.
pub fn test_database(data_dir: &std::path::Path) -> crate::DatabaseUrl {
    match fresh_postgres_database() {
        Some(url) => crate::DatabaseUrl::Postgres(url),
        None => crate::DatabaseUrl::in_dir(data_dir),
    }
}

/// An engine for a suite's test, its clock frozen on `day`: on a fresh PostgreSQL database when
/// `INCONTRO_TEST_POSTGRES` is set (its local files in `data_dir`), else in memory (SQLite). A
/// suite that opens its engines through this runs on both backends in CI.
pub fn engine_on(data_dir: &std::path::Path, day: chrono::NaiveDate) -> crate::Engine {
    let clock = std::sync::Arc::new(crate::clock::FixedClock::on(day));
    match fresh_postgres_database() {
        Some(url) => crate::Engine::open_with(data_dir, &crate::DatabaseUrl::Postgres(url))
            .unwrap_or_else(|error| panic!("test engine on PostgreSQL: {error}"))
            .with_clock(clock),
        None => crate::Engine::open_in_memory()
            .unwrap_or_else(|error| panic!("test engine in memory: {error}"))
            .with_clock(clock),
    }
}

/// [`engine_on`] with its local files (PostgreSQL only) in a directory of the system's
/// temporary folder named after the test database, left there (in memory on SQLite: no files).
pub fn engine_on_day(day: chrono::NaiveDate) -> crate::Engine {
    let clock = std::sync::Arc::new(crate::clock::FixedClock::on(day));
    match fresh_postgres_database() {
        Some(url) => {
            let name = url.rsplit('/').next().unwrap_or("incontro_test").to_owned();
            let dir = std::env::temp_dir().join(name);
            crate::Engine::open_with(&dir, &crate::DatabaseUrl::Postgres(url))
                .unwrap_or_else(|error| panic!("test engine on PostgreSQL: {error}"))
                .with_clock(clock)
        }
        None => crate::Engine::open_in_memory()
            .unwrap_or_else(|error| panic!("test engine in memory: {error}"))
            .with_clock(clock),
    }
}
