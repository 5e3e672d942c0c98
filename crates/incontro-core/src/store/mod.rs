//! Persistence: the embedded SQLite system of record. The ONLY module that writes SQL.
//!
//! What it does: opens the database in the data directory with WAL and foreign keys on, runs the
//! versioned schema migrations, and offers one transaction per import or multi-row write so that a
//! failed write changes nothing. Submodules hold the queries of each area.
//!
//! What it does NOT do: validation (the model types are already checked) or any scoring.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use rusqlite::{Connection, OpenFlags};

use crate::{Error, Result};

pub use url::DatabaseUrl;

pub mod audit_db;
pub mod db;
pub mod migrate;
pub mod postgres_store;
pub mod url;

/// One schema migration, in the two dialects: the same history on both backends.
pub(crate) struct Migration {
    pub(crate) name: &'static str,
    pub(crate) sqlite: &'static str,
    pub(crate) postgres: &'static str,
}

macro_rules! migration {
    ($name:literal) => {
        Migration {
            name: $name,
            sqlite: include_str!(concat!("migrations/", $name, ".sql")),
            postgres: include_str!(concat!("migrations/postgres/", $name, ".sql")),
        }
    };
}

/// The schema migrations, applied in order; SQLite's `PRAGMA user_version` (PostgreSQL's
/// `schema_migration` table) records how many ran. Never edit a shipped migration: add a new
/// one, in both dialects.
pub(crate) const MIGRATIONS: &[Migration] = &[
    migration!("0001_taxonomy"),
    migration!("0002_entities"),
    migration!("0003_outreach"),
    migration!("0004_training"),
    migration!("0005_access"),
    migration!("0007_outreach"),
    migration!("0008_access"),
    migration!("0009_suggest"),
    migration!("0010_appointments"),
    migration!("0011_placements"),
    migration!("0012_cob_effects"),
    migration!("0013_conditions"),
    migration!("0014_fairness"),
    migration!("0015_refusal_undo"),
    migration!("0016_outreach_protected"),
    migration!("0017_cob_summary"),
    migration!("0018_accounts"),
    migration!("0019_call_back"),
    migration!("0020_no_show"),
    migration!("0021_vocabulary"),
    migration!("0022_data_change"),
    migration!("0023_offices"),
    migration!("0024_ranking_log"),
];

/// The database file name inside the data directory.
pub const DATABASE_FILE: &str = "incontro.sqlite";

pub use db::{Backend, Db};

/// The system of record: the embedded SQLite database (default) or a shared PostgreSQL one.
/// Every query runs inside one of its transactions ([`Store::write`], [`Store::read`],
/// [`Store::read_only`]) on a [`Db`].
pub struct Store {
    inner: Inner,
    /// Write transactions this process committed (lets caches of what the database holds know
    /// that this process changed it).
    writes: std::sync::atomic::AtomicU64,
}

enum Inner {
    Sqlite(SqliteStore),
    Postgres(postgres_store::PgStore),
}

/// What a database behind the [`Store`] provides: its place, its schema's migrations, and the
/// transactions that hand the work a [`Db`]. Two implementations: `SqliteStore` (embedded, the
/// default) and [`postgres_store::PgStore`] (shared by replicas). Everything above the store
/// reaches storage through this and [`Db`]; the SQL of each area lives with its area
/// (`access::sql`, `outreach::sql`, …) and is written once for both.
pub(crate) trait StorageBackend {
    /// Where the database is, for messages (a PostgreSQL URL without its password).
    fn location(&self) -> String;
    /// How many schema migrations have been applied.
    fn schema_version(&self) -> Result<usize>;
    /// Applies the migrations this build has and the database lacks.
    fn migrate(&self, migrations: &[Migration]) -> Result<()>;
    /// One transaction that writes, serialised with every other writer: all or nothing.
    fn write<T>(&self, work: impl FnOnce(&Db<'_>) -> Result<T>) -> Result<T>;
    /// [`StorageBackend::write`] for a load that adds far more rows than it changes.
    fn write_bulk<T>(&self, work: impl FnOnce(&Db<'_>) -> Result<T>) -> Result<T>;
    /// Reads that see the latest writes.
    fn read<T>(&self, work: impl FnOnce(&Db<'_>) -> Result<T>) -> Result<T>;
    /// Reads on a connection of their own, one snapshot, never waiting for the writer.
    fn read_only<T>(&self, work: impl FnOnce(&Db<'_>) -> Result<T>) -> Result<T>;
}

/// Runs one [`StorageBackend`] method on whichever backend the store has.
macro_rules! on_backend {
    ($store:expr, $backend:ident => $call:expr) => {
        match &$store.inner {
            Inner::Sqlite($backend) => $call,
            Inner::Postgres($backend) => $call,
        }
    };
}

/// One writer connection behind a mutex; SQLite's WAL lets readers of other connections (see
/// [`Store::read_only`]) proceed while it writes.
struct SqliteStore {
    path: PathBuf,
    writer: Mutex<Connection>,
    /// Idle read-only connections for [`Store::read_only`] (at most [`IDLE_READERS`] kept).
    readers: Mutex<Vec<Connection>>,
}

/// How many idle read-only connections [`Store::read_only`] keeps for the next reads.
const IDLE_READERS: usize = 16;

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("location", &self.location())
            .finish()
    }
}

pub(crate) fn configure(connection: &Connection) -> Result<()> {
    connection.pragma_update(None, "journal_mode", "WAL")?;
    connection.pragma_update(None, "synchronous", "FULL")?;
    connection.pragma_update(None, "foreign_keys", "ON")?;
    connection.pragma_update(None, "temp_store", "MEMORY")?;
    connection.pragma_update(None, "cache_size", -65536)?;
    connection.set_prepared_statement_cache_capacity(128);
    connection.busy_timeout(std::time::Duration::from_secs(30))?;
    Ok(())
}

/// Switches `connection` from the WAL to a rollback journal when no other connection has the
/// database open (without waiting for one); true when switched.
fn leave_wal(connection: &Connection) -> bool {
    let waited = std::time::Duration::from_secs(30);
    if connection.busy_timeout(std::time::Duration::ZERO).is_err() {
        return false;
    }
    let mode = connection.pragma_update_and_check(None, "journal_mode", "DELETE", |row| {
        row.get::<_, String>(0)
    });
    let _ = connection.busy_timeout(waited);
    let switched = matches!(mode, Ok(mode) if mode.eq_ignore_ascii_case("delete"));
    // With a rollback journal the commit is the journal's deletion: EXTRA syncs the directory
    // after it, so that a power loss right after the commit cannot bring the journal back and
    // roll the committed load back on the next open.
    if switched
        && connection
            .pragma_update(None, "synchronous", "EXTRA")
            .is_err()
    {
        let _ = connection.pragma_update(None, "journal_mode", "WAL");
        return false;
    }
    switched
}

impl Store {
    /// Opens (creating if needed) the SQLite database in `data_dir` and migrates it.
    pub fn open(data_dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(data_dir).map_err(|source| Error::io(data_dir, source))?;
        let path = data_dir.join(DATABASE_FILE);
        let connection = Connection::open(&path)?;
        configure(&connection)?;
        let store = Store {
            inner: Inner::Sqlite(SqliteStore {
                path,
                writer: Mutex::new(connection),
                readers: Mutex::new(Vec::new()),
            }),
            writes: Default::default(),
        };
        store.migrate()?;
        Ok(store)
    }

    /// Opens the store a [`DatabaseUrl`] names: SQLite in a file, or PostgreSQL (migrated to
    /// this build's schema on open, under a lock, so that replicas starting together agree).
    pub fn open_url(url: &DatabaseUrl) -> Result<Self> {
        match url {
            DatabaseUrl::Sqlite(dir) => Self::open(dir),
            DatabaseUrl::Postgres(url) => {
                let store = Store {
                    inner: Inner::Postgres(postgres_store::PgStore::connect(url)?),
                    writes: Default::default(),
                };
                store.migrate()?;
                Ok(store)
            }
        }
    }

    /// Opens a private in-memory database (tests, benchmarks).
    pub fn open_in_memory() -> Result<Self> {
        let connection = Connection::open_in_memory()?;
        connection.pragma_update(None, "foreign_keys", "ON")?;
        connection.set_prepared_statement_cache_capacity(128);
        let store = Store {
            inner: Inner::Sqlite(SqliteStore {
                path: PathBuf::from(":memory:"),
                writer: Mutex::new(connection),
                readers: Mutex::new(Vec::new()),
            }),
            writes: Default::default(),
        };
        store.migrate()?;
        Ok(store)
    }

    /// Which database this store is.
    pub fn backend(&self) -> Backend {
        match &self.inner {
            Inner::Sqlite(_) => Backend::Sqlite,
            Inner::Postgres(_) => Backend::Postgres,
        }
    }

    /// Where the store is, for messages: the SQLite file, or the PostgreSQL URL without its
    /// password.
    pub fn location(&self) -> String {
        on_backend!(self, backend => StorageBackend::location(backend))
    }

    /// How many schema migrations have been applied.
    pub fn schema_version(&self) -> Result<usize> {
        on_backend!(self, backend => StorageBackend::schema_version(backend))
    }

    fn migrate(&self) -> Result<()> {
        on_backend!(self, backend => StorageBackend::migrate(backend, MIGRATIONS))
    }

    /// The SQLite file's path (`None` on PostgreSQL); `:memory:` for an in-memory store.
    pub fn sqlite_path(&self) -> Option<&Path> {
        match &self.inner {
            Inner::Sqlite(sqlite) => Some(&sqlite.path),
            Inner::Postgres(_) => None,
        }
    }

    /// True for a private in-memory store.
    pub fn is_in_memory(&self) -> bool {
        self.sqlite_path() == Some(Path::new(":memory:"))
    }

    /// Runs `work` in one transaction that writes: all of it is committed, or nothing. Writers
    /// are serialised (SQLite: IMMEDIATE; PostgreSQL: one advisory lock, shared by every
    /// replica), so a check and the write it allows cannot interleave with another writer's.
    pub fn write<T>(&self, work: impl FnOnce(&Db<'_>) -> Result<T>) -> Result<T> {
        let value = on_backend!(self, backend => StorageBackend::write(backend, work))?;
        self.count_write();
        Ok(value)
    }

    fn count_write(&self) {
        self.writes
            .fetch_add(1, std::sync::atomic::Ordering::Release);
    }

    /// How many write transactions this process has committed (any change by this process moves
    /// it; others' changes do not).
    pub fn local_writes(&self) -> u64 {
        self.writes.load(std::sync::atomic::Ordering::Acquire)
    }

    /// Runs `work` on a read-only connection of its own, never waiting for the writer: it sees
    /// every write committed before it started (so a write acknowledged to a caller is seen),
    /// and reads one snapshot. The hot reads of a query go through here (the data revision, a
    /// person's office, the matching state's journal), so that queries do not queue behind a
    /// writer's commit (issue 20). An in-memory store has only its one connection: `work` runs
    /// on it.
    pub fn read_only<T>(&self, work: impl FnOnce(&Db<'_>) -> Result<T>) -> Result<T> {
        on_backend!(self, backend => StorageBackend::read_only(backend, work))
    }

    /// [`Store::write`] for a bulk load that adds far more pages than it changes (the first
    /// COB import into a store without notices). On SQLite, when no other connection has the
    /// database open, the transaction runs with a rollback journal instead of the WAL, so each
    /// new page is written once into the database file instead of once into the WAL and again
    /// by the checkpoint (SQLite does not journal pages added past the old end of the file).
    /// The guarantees are those of [`Store::write`]: all or nothing, durable once it returns
    /// (synchronous=EXTRA while the journal is used). The WAL is back on when it returns. When
    /// another connection holds the database (a server), it is a plain [`Store::write`]. On
    /// PostgreSQL it is a plain [`Store::write`].
    pub fn write_bulk<T>(&self, work: impl FnOnce(&Db<'_>) -> Result<T>) -> Result<T> {
        let value = on_backend!(self, backend => StorageBackend::write_bulk(backend, work))?;
        self.count_write();
        Ok(value)
    }

    /// Runs `work` with a connection for reading that sees the latest writes.
    pub fn read<T>(&self, work: impl FnOnce(&Db<'_>) -> Result<T>) -> Result<T> {
        on_backend!(self, backend => StorageBackend::read(backend, work))
    }

    /// The SQLite writer connection (SQLite-only checks in tests).
    #[cfg(test)]
    pub(crate) fn sqlite_connection(&self) -> Option<MutexGuard<'_, Connection>> {
        match &self.inner {
            Inner::Sqlite(sqlite) => Some(sqlite.lock()),
            Inner::Postgres(_) => None,
        }
    }

    /// The PostgreSQL side, when this store is on PostgreSQL.
    pub(crate) fn postgres(&self) -> Option<&postgres_store::PgStore> {
        match &self.inner {
            Inner::Postgres(pg) => Some(pg),
            Inner::Sqlite(_) => None,
        }
    }
}

impl StorageBackend for SqliteStore {
    fn location(&self) -> String {
        self.path.display().to_string()
    }

    fn schema_version(&self) -> Result<usize> {
        let connection = self.lock();
        Ok(
            connection.pragma_query_value(None, "user_version", |row| row.get::<_, i64>(0))?
                as usize,
        )
    }

    fn migrate(&self, migrations: &[Migration]) -> Result<()> {
        self.migrate_sqlite(migrations)
    }

    fn write<T>(&self, work: impl FnOnce(&Db<'_>) -> Result<T>) -> Result<T> {
        let mut connection = self.lock();
        let transaction =
            connection.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let value = work(&Db::Sqlite(&transaction))?;
        transaction.commit()?;
        Ok(value)
    }

    fn write_bulk<T>(&self, work: impl FnOnce(&Db<'_>) -> Result<T>) -> Result<T> {
        self.write_bulk_sqlite(work)
    }

    fn read<T>(&self, work: impl FnOnce(&Db<'_>) -> Result<T>) -> Result<T> {
        let connection = self.lock();
        work(&Db::Sqlite(&connection))
    }

    fn read_only<T>(&self, work: impl FnOnce(&Db<'_>) -> Result<T>) -> Result<T> {
        self.read_only_sqlite(work)
    }
}

impl SqliteStore {
    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A poisoned mutex only means another thread panicked while holding it; SQLite's own
        // transaction rollback keeps the data consistent, so the connection stays usable.
        self.writer
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn migrate_sqlite(&self, migrations: &[Migration]) -> Result<()> {
        let mut connection = self.lock();
        let applied: usize = connection
            .pragma_query_value(None, "user_version", |row| row.get::<_, i64>(0))?
            as usize;
        if applied > migrations.len() {
            return Err(Error::Internal(format!(
                "database schema version {applied} is newer than this build ({}); upgrade incontro",
                migrations.len()
            )));
        }
        for (index, migration) in migrations.iter().enumerate().skip(applied) {
            let transaction = connection.transaction()?;
            transaction
                .execute_batch(migration.sqlite)
                .map_err(|error| {
                    Error::Internal(format!("migration {} failed: {error}", migration.name))
                })?;
            transaction.pragma_update(None, "user_version", (index + 1) as i64)?;
            transaction.commit()?;
            tracing::info!(migration = migration.name, "applied schema migration");
        }
        Ok(())
    }

    fn read_only_sqlite<T>(&self, work: impl FnOnce(&Db<'_>) -> Result<T>) -> Result<T> {
        if self.path == Path::new(":memory:") {
            let connection = self.lock();
            return work(&Db::Sqlite(&connection));
        }
        let idle = self
            .readers
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .pop();
        let connection = match idle {
            Some(connection) => connection,
            None => {
                let connection = Connection::open_with_flags(
                    &self.path,
                    OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )?;
                connection.busy_timeout(std::time::Duration::from_secs(30))?;
                connection.pragma_update(None, "cache_size", -16384)?;
                connection.set_prepared_statement_cache_capacity(128);
                connection
            }
        };
        // One snapshot for everything `work` reads.
        let value = (|| {
            let transaction = connection.unchecked_transaction()?;
            let value = work(&Db::Sqlite(&transaction))?;
            transaction.commit()?;
            Ok(value)
        })();
        if connection.is_autocommit() {
            let mut idle = self
                .readers
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            if idle.len() < IDLE_READERS {
                idle.push(connection);
            }
        }
        value
    }

    fn write_bulk_sqlite<T>(&self, work: impl FnOnce(&Db<'_>) -> Result<T>) -> Result<T> {
        let mut connection = self.lock();
        // The idle read-only connections of `read_only` would keep the WAL on: let them go
        // (the next reads open new ones, which wait for this commit if they come during it).
        self.readers
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clear();
        let switched = self.path != Path::new(":memory:") && leave_wal(&connection);
        let result = (|| {
            let transaction =
                connection.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let value = work(&Db::Sqlite(&transaction))?;
            transaction.commit()?;
            Ok(value)
        })();
        if switched {
            // A failure to go back does not undo a committed import: the next open sets the
            // WAL again (`configure`).
            let back = connection
                .pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get::<_, String>(0))
                .map_err(Error::from);
            if let Err(error) = back {
                tracing::warn!(%error, "could not switch the database back to WAL after a bulk load");
            }
            if let Err(error) = connection.pragma_update(None, "synchronous", "FULL") {
                tracing::warn!(%error, "could not set synchronous=FULL again after a bulk load");
            }
        }
        result
    }
}

#[cfg(test)]
mod tests {
    use super::db::params;
    use super::*;

    #[test]
    fn migrations_apply_once_and_reopen() {
        let dir = tempfile::tempdir().expect("tempdir");
        {
            let store = Store::open(dir.path()).expect("open");
            let version = store.schema_version().expect("v");
            assert_eq!(version, MIGRATIONS.len());
        }
        let store = Store::open(dir.path()).expect("reopen");
        let mode: String = store
            .sqlite_connection()
            .expect("sqlite")
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .expect("mode");
        assert_eq!(mode.to_lowercase(), "wal");
    }

    #[test]
    fn failed_write_changes_nothing() {
        let store = Store::open_in_memory().expect("open");
        let result: Result<()> = store.write(|tx| {
            tx.execute(
                "INSERT INTO taxonomy_meta(key, value) VALUES ('probe', 'x')",
                params![],
            )?;
            Err(Error::invalid(crate::ErrorCode::InvalidId, "boom"))
        });
        assert!(result.is_err());
        let count: i64 = store
            .read(|c| {
                c.query_row(
                    "SELECT count(*) FROM taxonomy_meta WHERE key = 'probe'",
                    params![],
                    |r| r.get(0),
                )
            })
            .expect("count");
        assert_eq!(count, 0);
    }
}
