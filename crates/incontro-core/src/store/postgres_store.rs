//! The PostgreSQL backend: a small pool of connections to one shared database.
//!
//! Writers are serialised across every replica by one transaction-scoped advisory lock
//! ([`WRITE_LOCK`]), taken first in each write transaction: the store's checks ("is this id
//! free", "is this slot still open") and the writes they allow never interleave with another
//! writer's, exactly as with SQLite's single writer. Reads run in `REPEATABLE READ` snapshots
//! and never wait for writers. A write is acknowledged after PostgreSQL's COMMIT returns, so it
//! is as durable as the server's `synchronous_commit` makes it (on by default).

use std::cell::RefCell;
use std::sync::Mutex;

use super::db::{pg, Db};
use super::Migration;
use crate::{Error, Result};

/// The advisory lock key every write transaction holds ("incontro" in ASCII, as a number).
pub const WRITE_LOCK: i64 = 0x696e_636f_6e74;

/// The advisory lock key held while migrating.
const MIGRATE_LOCK: i64 = WRITE_LOCK + 1;

/// How many idle connections a replica keeps.
const IDLE_CONNECTIONS: usize = 16;

/// The shared PostgreSQL database.
pub struct PgStore {
    config: postgres::Config,
    location: String,
    idle: Mutex<Vec<pg::Conn>>,
}

impl PgStore {
    /// Connects once (so that a wrong URL fails here, clearly) and keeps the connection.
    pub fn connect(url: &str) -> Result<Self> {
        let config: postgres::Config = url.parse().map_err(|error| {
            Error::Internal(format!("database URL {}: {error}", super::url::redact(url)))
        })?;
        let store = PgStore {
            config,
            location: super::url::redact(url),
            idle: Mutex::new(Vec::new()),
        };
        let conn = store.new_conn()?;
        store.give_back(conn);
        Ok(store)
    }

    /// The URL without its password.
    pub fn location(&self) -> String {
        self.location.clone()
    }

    fn new_conn(&self) -> Result<pg::Conn> {
        pg::Conn::connect(&self.config)
            .map_err(|error| error.context(&format!("cannot connect to {}", self.location)))
    }

    fn take(&self) -> Result<pg::Conn> {
        let idle = self
            .idle
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .pop();
        match idle {
            Some(conn) if !conn.is_closed() => Ok(conn),
            _ => self.new_conn(),
        }
    }

    fn give_back(&self, conn: pg::Conn) {
        if conn.is_closed() {
            return;
        }
        let mut idle = self
            .idle
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if idle.len() < IDLE_CONNECTIONS {
            idle.push(conn);
        }
    }

    /// A connection inside a transaction begun with `begin`: a pooled connection that the server
    /// closed meanwhile (a restart) is replaced once by a new one.
    fn begin(&self, begin: &str) -> Result<pg::Conn> {
        let mut conn = self.take()?;
        if let Err(error) = conn.batch(begin) {
            if !conn.is_closed() && !error.is_unavailable() {
                return Err(error);
            }
            self.idle
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .clear();
            conn = self.new_conn()?;
            conn.batch(begin)?;
        }
        Ok(conn)
    }

    /// Runs `work` in one transaction begun with `begin`, holding the advisory lock `lock`
    /// first when given: committed when `work` succeeds, rolled back otherwise.
    fn transaction<T>(
        &self,
        begin: &str,
        lock: Option<i64>,
        work: impl FnOnce(&Db<'_>) -> Result<T>,
    ) -> Result<T> {
        let cell = RefCell::new(self.begin(begin)?);
        let result = (|| {
            if let Some(key) = lock {
                cell.borrow_mut().execute(
                    "SELECT pg_advisory_xact_lock(?1)::text",
                    &[super::db::Param::Integer(key)],
                )?;
            }
            work(&Db::Postgres(&cell))
        })();
        let mut conn = cell.into_inner();
        let result = match result {
            Ok(value) => conn.batch("COMMIT").map(|()| value),
            Err(error) => {
                let _ = conn.batch("ROLLBACK");
                Err(error)
            }
        };
        self.give_back(conn);
        result
    }

    /// A pool of its own to the same database (the audit writer's).
    pub fn sibling(&self) -> PgStore {
        PgStore {
            config: self.config.clone(),
            location: self.location.clone(),
            idle: Mutex::new(Vec::new()),
        }
    }

    /// One write transaction not serialised with the data writers (the audit log's appends:
    /// rows of their own, ordered by their identity column).
    pub fn write_unserialised<T>(&self, work: impl FnOnce(&Db<'_>) -> Result<T>) -> Result<T> {
        self.transaction("BEGIN ISOLATION LEVEL READ COMMITTED", None, work)
    }

    /// One write transaction, serialised with every other writer of every replica.
    pub fn write<T>(&self, work: impl FnOnce(&Db<'_>) -> Result<T>) -> Result<T> {
        self.transaction(
            "BEGIN ISOLATION LEVEL READ COMMITTED",
            Some(WRITE_LOCK),
            work,
        )
    }

    /// One read transaction: a snapshot (`read_only`), or read committed.
    pub fn read<T>(&self, read_only: bool, work: impl FnOnce(&Db<'_>) -> Result<T>) -> Result<T> {
        let begin = if read_only {
            "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
        } else {
            "BEGIN ISOLATION LEVEL READ COMMITTED"
        };
        self.transaction(begin, None, work)
    }

    /// How many migrations the database has.
    pub fn schema_version(&self) -> Result<usize> {
        self.read(false, |db| {
            let exists: bool = db.query_row(
                "SELECT count(*) FROM information_schema.tables
                 WHERE table_schema = current_schema() AND table_name = 'schema_migration'",
                super::db::params![],
                |row| row.get::<_, i64>(0).map(|n| n > 0),
            )?;
            if !exists {
                return Ok(0);
            }
            db.query_row(
                "SELECT count(*) FROM schema_migration",
                super::db::params![],
                |row| row.get::<_, i64>(0),
            )
            .map(|n| n as usize)
        })
    }

    /// Applies the migrations this database lacks, in one transaction each, under a lock (two
    /// replicas starting together: one migrates, the other waits and finds it done).
    pub fn migrate(&self, migrations: &[Migration]) -> Result<()> {
        self.transaction("BEGIN", Some(MIGRATE_LOCK), |db| {
            db.execute_batch(
                "CREATE TABLE IF NOT EXISTS schema_migration (
                     version    BIGINT PRIMARY KEY,
                     name       TEXT NOT NULL,
                     applied_at TEXT NOT NULL DEFAULT (now()::text)
                 )",
            )?;
            let applied: i64 = db.query_row(
                "SELECT count(*) FROM schema_migration",
                super::db::params![],
                |row| row.get(0),
            )?;
            let applied = applied as usize;
            if applied > migrations.len() {
                return Err(Error::Internal(format!(
                    "database schema version {applied} is newer than this build ({}); upgrade incontro",
                    migrations.len()
                )));
            }
            for (index, migration) in migrations.iter().enumerate().skip(applied) {
                db.execute_batch(migration.postgres).map_err(|error| {
                    Error::Internal(format!("migration {} failed: {error}", migration.name))
                })?;
                db.execute(
                    "INSERT INTO schema_migration (version, name) VALUES (?1, ?2)",
                    super::db::params![(index + 1) as i64, migration.name],
                )?;
                tracing::info!(migration = migration.name, "applied schema migration");
            }
            Ok(())
        })
    }
}

impl super::StorageBackend for PgStore {
    fn location(&self) -> String {
        PgStore::location(self)
    }

    fn schema_version(&self) -> Result<usize> {
        PgStore::schema_version(self)
    }

    fn migrate(&self, migrations: &[Migration]) -> Result<()> {
        PgStore::migrate(self, migrations)
    }

    fn write<T>(&self, work: impl FnOnce(&Db<'_>) -> Result<T>) -> Result<T> {
        PgStore::write(self, work)
    }

    /// A plain write: PostgreSQL's bulk rows already stream through `COPY` ([`Db::insert_rows`]).
    fn write_bulk<T>(&self, work: impl FnOnce(&Db<'_>) -> Result<T>) -> Result<T> {
        PgStore::write(self, work)
    }

    fn read<T>(&self, work: impl FnOnce(&Db<'_>) -> Result<T>) -> Result<T> {
        PgStore::read(self, false, work)
    }

    fn read_only<T>(&self, work: impl FnOnce(&Db<'_>) -> Result<T>) -> Result<T> {
        PgStore::read(self, true, work)
    }
}
