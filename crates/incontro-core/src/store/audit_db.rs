//! The audit database: its own SQLite file beside the main one (or the shared PostgreSQL
//! database's own tables), its schema and its connection. Storage only: the rows written and
//! read through it are the access area's (`access::sql`).

use rusqlite::Connection;

use crate::store::db::Db;
use crate::{Error, Result};

/// The audit database file, beside the main database in the data directory.
///
/// The audit log lives in its own SQLite file so that its commits (one per batch of audited
/// requests) do not invalidate the page cache of the main database's connection: every read of
/// a person is audited, and a commit to the main file would make the next read reload its pages.
pub const AUDIT_FILE: &str = "audit.sqlite";

/// The audit database's schema (version 1): the same table, indexes and append-only triggers
/// that migration 0008 created in the main database before the log moved to its own file.
const AUDIT_SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS audit_log (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    at         TEXT NOT NULL,
    key_id     TEXT NOT NULL,
    role       TEXT NOT NULL,
    action     TEXT NOT NULL,
    person_id  TEXT,
    target     TEXT,
    outcome    TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_log_person ON audit_log(person_id);
CREATE INDEX IF NOT EXISTS audit_log_key ON audit_log(key_id);
CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
";

/// The audit database's current version: 1 is the audit log, 2 adds the ranking log.
const AUDIT_VERSION: i64 = 2;

/// The ranking log (version 2 of the audit database; issue 18, AI Act art. 12): one row per
/// ranking served, written in the audit log's group commit. Rows are never updated; only the
/// retention purge deletes them ([`purge_ranking_log`]).
pub const RANKING_LOG_SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS ranking_log (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    at             TEXT NOT NULL,
    day            TEXT NOT NULL,
    key_id         TEXT NOT NULL,
    role           TEXT NOT NULL,
    office         TEXT,
    channel        TEXT NOT NULL,
    kind           TEXT NOT NULL,
    subject        TEXT NOT NULL,
    data_revision  INTEGER NOT NULL,
    mode           TEXT NOT NULL,
    parameters     TEXT NOT NULL,
    results        TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ranking_log_day ON ranking_log(day);
CREATE TRIGGER IF NOT EXISTS ranking_log_no_update BEFORE UPDATE ON ranking_log
BEGIN SELECT RAISE(ABORT, 'ranking log rows are never changed'); END;
";

/// The audit log's own connection: the audit file beside the SQLite database, or the shared
/// PostgreSQL database (connections of its own, not serialised with data writes).
pub enum AuditConn {
    Sqlite(Connection),
    Postgres(Box<crate::store::postgres_store::PgStore>),
}

impl AuditConn {
    /// Runs `work` in one write transaction.
    pub fn write<T>(&mut self, work: impl FnOnce(&Db<'_>) -> Result<T>) -> Result<T> {
        match self {
            AuditConn::Sqlite(connection) => {
                let transaction = connection
                    .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
                let value = work(&Db::Sqlite(&transaction))?;
                transaction.commit()?;
                Ok(value)
            }
            AuditConn::Postgres(pg) => pg.write_unserialised(work),
        }
    }

    /// Runs `work` on the connection for reading.
    pub fn read<T>(&self, work: impl FnOnce(&Db<'_>) -> Result<T>) -> Result<T> {
        match self {
            AuditConn::Sqlite(connection) => work(&Db::Sqlite(connection)),
            AuditConn::Postgres(pg) => pg.read(false, work),
        }
    }
}

/// Opens (creating and migrating if needed) the audit database beside the store's file,
/// configured like the main one (WAL, `synchronous=FULL`). `None` for an in-memory store, whose
/// audit rows stay in its own `audit_log` table.
///
/// On creation, rows a data directory from before the move holds in the main database's
/// `audit_log` are copied over in the same transaction, so no audit row is lost; the old table
/// is left as it was (its triggers refuse deletes) and is no longer written.
pub fn open_audit_connection(store: &super::Store) -> Result<Option<AuditConn>> {
    if let Some(pg) = store.postgres() {
        // On PostgreSQL the audit tables are the shared database's own (migrations 0008 and
        // 0024); the writer gets connections of its own.
        return Ok(Some(AuditConn::Postgres(Box::new(pg.sibling()))));
    }
    let Some(main_path) = store.sqlite_path() else {
        return Ok(None);
    };
    if store.is_in_memory() {
        return Ok(None);
    }
    let path = main_path
        .parent()
        .map(|dir| dir.join(AUDIT_FILE))
        .unwrap_or_else(|| std::path::PathBuf::from(AUDIT_FILE));
    let mut connection = Connection::open(&path)?;
    super::configure(&connection)?;
    let version = |connection: &Connection| -> Result<i64> {
        Ok(connection.pragma_query_value(None, "user_version", |row| row.get(0))?)
    };
    if version(&connection)? == 0 {
        connection.execute(
            "ATTACH DATABASE ?1 AS legacy",
            rusqlite::params![main_path.to_string_lossy()],
        )?;
        let transaction =
            connection.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        // Another process may have created it while this one waited for the write lock.
        if version(&transaction)? == 0 {
            transaction.execute_batch(AUDIT_SCHEMA)?;
            let legacy: bool = transaction.query_row(
                "SELECT EXISTS (SELECT 1 FROM legacy.sqlite_master WHERE name = 'audit_log')",
                rusqlite::params![],
                |row| row.get(0),
            )?;
            if legacy {
                transaction.execute(
                    "INSERT INTO main.audit_log
                         (id, at, key_id, role, action, person_id, target, outcome)
                     SELECT id, at, key_id, role, action, person_id, target, outcome
                     FROM legacy.audit_log ORDER BY id",
                    rusqlite::params![],
                )?;
            }
            transaction.pragma_update(None, "user_version", 1)?;
        }
        transaction.commit()?;
        connection.execute("DETACH DATABASE legacy", rusqlite::params![])?;
    }
    if version(&connection)? == 1 {
        let transaction =
            connection.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        if version(&transaction)? == 1 {
            transaction.execute_batch(RANKING_LOG_SCHEMA)?;
            transaction.pragma_update(None, "user_version", AUDIT_VERSION)?;
        }
        transaction.commit()?;
    }
    let found = version(&connection)?;
    if found > AUDIT_VERSION {
        return Err(Error::Internal(format!(
            "audit database version {found} is newer than this build ({AUDIT_VERSION}); upgrade incontro"
        )));
    }
    Ok(Some(AuditConn::Sqlite(connection)))
}
