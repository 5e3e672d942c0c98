//! SQL of the access area: API keys and the append-only audit log.

use rusqlite::Connection;

use crate::store::db::{params, Db, OptionalExtension, Row};

use crate::access::{
    ApiKey, AuditEntry, AuditQuery, AuditRecord, RankingLogEntry, RankingLogRecord, Role,
};
use crate::{Error, Result};

fn key_from_row(row: &Row<'_>) -> Result<ApiKey> {
    let role: String = row.get(1)?;
    Ok(ApiKey {
        id: row.get(0)?,
        role: Role::parse(&role)
            .map_err(|_| Error::Internal(format!("stored api key has unknown role {role:?}")))?,
        office: row.get(2)?,
        label: row.get(3)?,
        created_at: row.get(4)?,
        revoked_at: row.get(5)?,
    })
}

const KEY_COLUMNS: &str = "id, role, office, label, created_at, revoked_at";

/// Inserts a new key (its token only as a hash).
pub fn insert_key(connection: &Db<'_>, key: &ApiKey, token_hash: &str) -> Result<()> {
    connection.execute(
        "INSERT INTO api_key (id, token_hash, role, office, label, created_at, revoked_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, NULL)",
        params![
            key.id,
            token_hash,
            key.role.as_str(),
            key.office,
            key.label,
            key.created_at
        ],
    )?;
    Ok(())
}

/// The key whose token hashes to `token_hash`, revoked or not.
pub fn key_by_hash(connection: &Db<'_>, token_hash: &str) -> Result<Option<ApiKey>> {
    let mut statement = connection.prepare_cached(&format!(
        "SELECT {KEY_COLUMNS} FROM api_key WHERE token_hash = ?1"
    ))?;
    let mut rows = statement.query([token_hash])?;
    match rows.next()? {
        Some(row) => Ok(Some(key_from_row(&row)?)),
        None => Ok(None),
    }
}

/// The key with id `id`, revoked or not.
pub fn key_by_id(connection: &Db<'_>, id: &str) -> Result<Option<ApiKey>> {
    let mut statement =
        connection.prepare_cached(&format!("SELECT {KEY_COLUMNS} FROM api_key WHERE id = ?1"))?;
    let mut rows = statement.query([id])?;
    match rows.next()? {
        Some(row) => Ok(Some(key_from_row(&row)?)),
        None => Ok(None),
    }
}

/// Every key, oldest first.
pub fn list_keys(connection: &Db<'_>) -> Result<Vec<ApiKey>> {
    let mut statement = connection.prepare(&format!(
        "SELECT {KEY_COLUMNS} FROM api_key ORDER BY created_at, id"
    ))?;
    let mut rows = statement.query(params![])?;
    let mut keys = Vec::new();
    while let Some(row) = rows.next()? {
        keys.push(key_from_row(&row)?);
    }
    Ok(keys)
}

/// Marks a key revoked; false when no unrevoked key has this id.
pub fn revoke_key(connection: &Db<'_>, id: &str, at: &str) -> Result<bool> {
    let changed = connection.execute(
        "UPDATE api_key SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
        params![id, at],
    )?;
    Ok(changed == 1)
}

/// The province (the office) of a comune, if the comune is known.
pub fn province_of(connection: &Db<'_>, comune: &str) -> Result<Option<String>> {
    connection
        .prepare_cached("SELECT province FROM comune WHERE code = ?1")?
        .query_row([comune], |row| row.get(0))
        .optional()
}

/// A job seeker's comune and its province (`None` when the comune is unknown), or `None` when
/// there is no such job seeker.
pub fn job_seeker_office(
    connection: &Db<'_>,
    id: &str,
) -> Result<Option<(String, Option<String>)>> {
    connection
        .prepare_cached(
            "SELECT s.comune, c.province FROM job_seeker s
             LEFT JOIN comune c ON c.code = s.comune WHERE s.id = ?1",
        )?
        .query_row([id], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()
}

/// Every comune's province: `code → province`.
pub fn provinces(connection: &Db<'_>) -> Result<std::collections::HashMap<String, String>> {
    let mut statement = connection.prepare_cached("SELECT code, province FROM comune")?;
    let rows = statement.query_map(params![], |row| Ok((row.get(0)?, row.get(1)?)))?;
    let mut map = std::collections::HashMap::new();
    for row in rows {
        let (code, province) = row?;
        map.insert(code, province);
    }
    Ok(map)
}

/// Appends audit entries (inside the caller's transaction).
pub fn append_audit(connection: &Db<'_>, entries: &[AuditEntry]) -> Result<()> {
    let mut statement = connection.prepare_cached(
        "INSERT INTO audit_log (at, key_id, role, action, person_id, target, outcome)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for entry in entries {
        statement.execute(params![
            entry.at,
            entry.key_id,
            entry.role.as_str(),
            entry.action,
            entry.person_id,
            entry.target,
            entry.outcome.as_str(),
        ])?;
    }
    Ok(())
}

/// Audit rows matching `query`, newest first.
pub fn query_audit(connection: &Db<'_>, query: &AuditQuery) -> Result<Vec<AuditRecord>> {
    let mut statement = connection.prepare_cached(
        "SELECT id, at, key_id, role, action, person_id, target, outcome FROM audit_log
         WHERE (CAST(?1 AS TEXT) IS NULL OR person_id = ?1)
           AND (CAST(?2 AS TEXT) IS NULL OR key_id = ?2)
           AND (CAST(?3 AS TEXT) IS NULL OR action = ?3)
           AND (CAST(?4 AS TEXT) IS NULL OR at >= ?4)
           AND (CAST(?5 AS TEXT) IS NULL OR at < ?5)
         ORDER BY id DESC LIMIT ?6 OFFSET ?7",
    )?;
    let mut rows = statement.query(params![
        query.person_id,
        query.key_id,
        query.action,
        query.since,
        query.until,
        query.limit as i64,
        query.offset as i64,
    ])?;
    let mut records = Vec::new();
    while let Some(row) = rows.next()? {
        let role: String = row.get(3)?;
        let outcome: String = row.get(7)?;
        records.push(AuditRecord {
            id: row.get(0)?,
            at: row.get(1)?,
            key_id: row.get(2)?,
            role,
            action: row.get(4)?,
            person_id: row.get(5)?,
            target: row.get(6)?,
            outcome,
        });
    }
    Ok(records)
}

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

/// Appends ranking log rows (inside the caller's transaction); returns their ids, in order.
pub fn append_rankings(connection: &Db<'_>, entries: &[RankingLogEntry]) -> Result<Vec<i64>> {
    let mut statement = connection.prepare_cached(
        "INSERT INTO ranking_log (at, day, key_id, role, office, channel, kind, subject,
                                  data_revision, mode, parameters, results)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
         RETURNING id",
    )?;
    let mut ids = Vec::with_capacity(entries.len());
    for entry in entries {
        let parameters = serde_json::to_string(&entry.request)
            .map_err(|error| Error::Internal(format!("ranking log parameters: {error}")))?;
        let results = serde_json::to_string(&entry.results)
            .map_err(|error| Error::Internal(format!("ranking log results: {error}")))?;
        let id = statement.query_row(
            params![
                entry.at,
                entry.day.to_string(),
                entry.key_id,
                entry.role.as_str(),
                entry.office,
                entry.channel.as_str(),
                entry.request.kind().as_str(),
                entry.request.subject(),
                entry.data_revision,
                entry.request.mode_name(),
                parameters,
                results,
            ],
            |row| row.get(0),
        )?;
        ids.push(id);
    }
    Ok(ids)
}

/// One ranking log row, if it exists (not purged).
pub fn ranking_log_entry(connection: &Db<'_>, log_id: i64) -> Result<Option<RankingLogRecord>> {
    let row = connection
        .prepare_cached(
            "SELECT id, at, day, key_id, role, office, channel, data_revision, parameters, results
             FROM ranking_log WHERE id = ?1",
        )?
        .query_row([log_id], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, String>(3)?,
                row.get::<_, String>(4)?,
                row.get::<_, Option<String>>(5)?,
                row.get::<_, String>(6)?,
                row.get::<_, i64>(7)?,
                row.get::<_, String>(8)?,
                row.get::<_, String>(9)?,
            ))
        })
        .optional()?;
    let Some((id, at, day, key_id, role, office, channel, data_revision, parameters, results)) =
        row
    else {
        return Ok(None);
    };
    let corrupt = |what: &str, message: String| {
        Error::Internal(format!("ranking log row {id}: {what}: {message}"))
    };
    Ok(Some(RankingLogRecord {
        id,
        entry: RankingLogEntry {
            at,
            day: day
                .parse::<chrono::NaiveDate>()
                .map_err(|error| corrupt("day", error.to_string()))?,
            key_id,
            role: Role::parse(&role).map_err(|error| corrupt("role", error.to_string()))?,
            office,
            channel: crate::access::Channel::parse(&channel)
                .map_err(|error| corrupt("channel", error.to_string()))?,
            data_revision,
            request: serde_json::from_str(&parameters)
                .map_err(|error| corrupt("parameters", error.to_string()))?,
            results: serde_json::from_str(&results)
                .map_err(|error| corrupt("results", error.to_string()))?,
        },
    }))
}

/// The number of ranking log rows and the first and last day they cover.
pub fn ranking_log_span(connection: &Db<'_>) -> Result<(i64, Option<String>, Option<String>)> {
    connection.query_row(
        "SELECT count(*), min(day), max(day) FROM ranking_log",
        params![],
        |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
    )
}

/// Deletes the ranking log rows of days before `first_kept_day` (`YYYY-MM-DD`); returns how many.
pub fn purge_ranking_log(connection: &Db<'_>, first_kept_day: &str) -> Result<usize> {
    connection.execute("DELETE FROM ranking_log WHERE day < ?1", [first_kept_day])
}

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

/// The page cache of an audit connection, in KiB (SQLite's own default size). The writer only
/// appends: with the main database's 64 MiB it kept every page it had ever written, so the
/// server's memory grew with the log until the cap (issue 21's soak: +64 MiB in the first
/// minutes). The pages it touches again (the right edge of each table, the index leaves of
/// the people and keys being audited) fit in this, and a page that does not is read back from
/// the operating system's file cache.
pub(crate) const AUDIT_CACHE_KIB: i64 = 4096;

/// Opens (creating and migrating if needed) the audit database beside the store's file,
/// configured like the main one (WAL, `synchronous=FULL`) but with a small page cache
/// ([`AUDIT_CACHE_KIB`]). `None` for an in-memory store, whose
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
    connection.pragma_update(None, "cache_size", -AUDIT_CACHE_KIB)?;
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
