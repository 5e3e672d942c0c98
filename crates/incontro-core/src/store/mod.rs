//! Persistence: the embedded SQLite system of record. The ONLY module that writes SQL.
//!
//! What it does: opens the database in the data directory with WAL and foreign keys on, runs the
//! versioned schema migrations, and offers one transaction per import or multi-row write so that a
//! failed write changes nothing. Submodules hold the queries of each area.
//!
//! What it does NOT do: validation (the model types are already checked) or any scoring.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use rusqlite::{Connection, OpenFlags, Transaction};

use crate::{Error, Result};

pub mod access;
pub mod accounts;
pub mod appointments;
pub mod entities;
pub mod offices;
pub mod outreach;
pub mod placement_changes;
pub mod placements;
pub mod suggest;
pub mod taxonomy;
pub mod training;
pub mod vocabulary;

/// The schema migrations, applied in order; `PRAGMA user_version` records how many ran.
/// Never edit a shipped migration: add a new one.
const MIGRATIONS: &[(&str, &str)] = &[
    (
        "0001_taxonomy",
        include_str!("migrations/0001_taxonomy.sql"),
    ),
    (
        "0002_entities",
        include_str!("migrations/0002_entities.sql"),
    ),
    (
        "0003_outreach",
        include_str!("migrations/0003_outreach.sql"),
    ),
    (
        "0004_training",
        include_str!("migrations/0004_training.sql"),
    ),
    ("0005_access", include_str!("migrations/0005_access.sql")),
    (
        "0007_outreach",
        include_str!("migrations/0007_outreach.sql"),
    ),
    ("0008_access", include_str!("migrations/0008_access.sql")),
    ("0009_suggest", include_str!("migrations/0009_suggest.sql")),
    (
        "0010_appointments",
        include_str!("migrations/0010_appointments.sql"),
    ),
    (
        "0011_placements",
        include_str!("migrations/0011_placements.sql"),
    ),
    (
        "0012_cob_effects",
        include_str!("migrations/0012_cob_effects.sql"),
    ),
    (
        "0013_conditions",
        include_str!("migrations/0013_conditions.sql"),
    ),
    (
        "0014_fairness",
        include_str!("migrations/0014_fairness.sql"),
    ),
    (
        "0015_refusal_undo",
        include_str!("migrations/0015_refusal_undo.sql"),
    ),
    (
        "0016_outreach_protected",
        include_str!("migrations/0016_outreach_protected.sql"),
    ),
    (
        "0017_cob_summary",
        include_str!("migrations/0017_cob_summary.sql"),
    ),
    (
        "0018_accounts",
        include_str!("migrations/0018_accounts.sql"),
    ),
    (
        "0019_call_back",
        include_str!("migrations/0019_call_back.sql"),
    ),
    ("0020_no_show", include_str!("migrations/0020_no_show.sql")),
    (
        "0021_vocabulary",
        include_str!("migrations/0021_vocabulary.sql"),
    ),
    (
        "0022_data_change",
        include_str!("migrations/0022_data_change.sql"),
    ),
    ("0023_offices", include_str!("migrations/0023_offices.sql")),
];

/// The database file name inside the data directory.
pub const DATABASE_FILE: &str = "incontro.sqlite";

/// The embedded database. One writer connection behind a mutex; SQLite's WAL lets readers of
/// other connections (see [`Store::read_only`]) proceed while it writes.
pub struct Store {
    path: PathBuf,
    writer: Mutex<Connection>,
    /// Idle read-only connections for [`Store::read_only`] (at most [`IDLE_READERS`] kept).
    readers: Mutex<Vec<Connection>>,
}

/// How many idle read-only connections [`Store::read_only`] keeps for the next reads.
const IDLE_READERS: usize = 16;

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

fn configure(connection: &Connection) -> Result<()> {
    connection.pragma_update(None, "journal_mode", "WAL")?;
    connection.pragma_update(None, "synchronous", "FULL")?;
    connection.pragma_update(None, "foreign_keys", "ON")?;
    connection.pragma_update(None, "temp_store", "MEMORY")?;
    connection.pragma_update(None, "cache_size", -65536)?;
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
    /// Opens (creating if needed) the database in `data_dir` and migrates it.
    pub fn open(data_dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(data_dir).map_err(|source| Error::io(data_dir, source))?;
        let path = data_dir.join(DATABASE_FILE);
        let connection = Connection::open(&path)?;
        configure(&connection)?;
        let store = Store {
            path,
            writer: Mutex::new(connection),
            readers: Mutex::new(Vec::new()),
        };
        store.migrate()?;
        Ok(store)
    }

    /// Opens a private in-memory database (tests, benchmarks).
    pub fn open_in_memory() -> Result<Self> {
        let connection = Connection::open_in_memory()?;
        connection.pragma_update(None, "foreign_keys", "ON")?;
        let store = Store {
            path: PathBuf::from(":memory:"),
            writer: Mutex::new(connection),
            readers: Mutex::new(Vec::new()),
        };
        store.migrate()?;
        Ok(store)
    }

    fn migrate(&self) -> Result<()> {
        let mut connection = self.lock();
        let applied: usize = connection
            .pragma_query_value(None, "user_version", |row| row.get::<_, i64>(0))?
            as usize;
        if applied > MIGRATIONS.len() {
            return Err(Error::Internal(format!(
                "database schema version {applied} is newer than this build ({}); upgrade incontro",
                MIGRATIONS.len()
            )));
        }
        for (index, (name, sql)) in MIGRATIONS.iter().enumerate().skip(applied) {
            let transaction = connection.transaction()?;
            transaction
                .execute_batch(sql)
                .map_err(|error| Error::Internal(format!("migration {name} failed: {error}")))?;
            transaction.pragma_update(None, "user_version", (index + 1) as i64)?;
            transaction.commit()?;
            tracing::info!(migration = name, "applied schema migration");
        }
        Ok(())
    }

    /// The path of the database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Locks the writer connection (also usable for reads that must see the latest writes).
    pub fn lock(&self) -> MutexGuard<'_, Connection> {
        // A poisoned mutex only means another thread panicked while holding it; SQLite's own
        // transaction rollback keeps the data consistent, so the connection stays usable.
        self.writer
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Runs `work` in one IMMEDIATE transaction: all of it is committed, or nothing.
    pub fn write<T>(&self, work: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let mut connection = self.lock();
        let transaction =
            connection.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let value = work(&transaction)?;
        transaction.commit()?;
        Ok(value)
    }

    /// Runs `work` on a read-only connection of its own, never waiting for the writer: with WAL
    /// it sees every write committed before it started (so a write acknowledged to a caller is
    /// seen), and a transaction it opens reads one snapshot. The hot reads of a query go
    /// through here (the data revision, a person's office, the matching state's journal), so
    /// that queries do not queue behind a writer's commit and fsync on the writer's mutex
    /// (issue 20). An in-memory store has only its one connection: `work` runs on it.
    pub fn read_only<T>(&self, work: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        if self.path == Path::new(":memory:") {
            return self.read(work);
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
                connection
            }
        };
        let value = work(&connection);
        // A connection left inside a transaction (it cannot be, but a panic-free early
        // return of a closure that forgot to end one would) is not reused.
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

    /// [`Store::write`] for a bulk load that adds far more pages than it changes (the first
    /// COB import into a store without notices): when no other connection has the database
    /// open, the transaction runs with a rollback journal instead of the WAL, so each new page
    /// is written once into the database file instead of once into the WAL and again by the
    /// checkpoint (SQLite does not journal pages added past the old end of the file). The
    /// guarantees are those of [`Store::write`]: all or nothing (a failure or a crash rolls back
    /// from the journal), durable once it returns (synchronous=EXTRA while the journal is used:
    /// the directory is synced after the journal's deletion, the commit). The WAL is back on when it
    /// returns. When another connection holds the database (a server, a replica), it is a plain
    /// [`Store::write`]; connections opened while the bulk load runs wait for its commit (busy
    /// timeout) instead of reading the state before it.
    pub fn write_bulk<T>(&self, work: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
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
            let value = work(&transaction)?;
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

    /// Runs `work` with the connection for reading.
    pub fn read<T>(&self, work: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let connection = self.lock();
        work(&connection)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_apply_once_and_reopen() {
        let dir = tempfile::tempdir().expect("tempdir");
        {
            let store = Store::open(dir.path()).expect("open");
            let version: i64 = store
                .read(|c| Ok(c.pragma_query_value(None, "user_version", |r| r.get(0))?))
                .expect("v");
            assert_eq!(version as usize, MIGRATIONS.len());
        }
        let store = Store::open(dir.path()).expect("reopen");
        let mode: String = store
            .read(|c| Ok(c.pragma_query_value(None, "journal_mode", |r| r.get(0))?))
            .expect("mode");
        assert_eq!(mode.to_lowercase(), "wal");
    }

    #[test]
    fn failed_write_changes_nothing() {
        let store = Store::open_in_memory().expect("open");
        let result: Result<()> = store.write(|tx| {
            tx.execute(
                "INSERT INTO taxonomy_meta(key, value) VALUES ('probe', 'x')",
                [],
            )?;
            Err(Error::invalid(crate::ErrorCode::InvalidId, "boom"))
        });
        assert!(result.is_err());
        let count: i64 = store
            .read(|c| {
                Ok(c.query_row(
                    "SELECT count(*) FROM taxonomy_meta WHERE key = 'probe'",
                    [],
                    |r| r.get(0),
                )?)
            })
            .expect("count");
        assert_eq!(count, 0);
    }
}
