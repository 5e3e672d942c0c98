//! SQL of the access area: API keys and the append-only audit log.

use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::access::{ApiKey, AuditEntry, AuditQuery, AuditRecord, Role};
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
pub fn insert_key(connection: &Connection, key: &ApiKey, token_hash: &str) -> Result<()> {
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
pub fn key_by_hash(connection: &Connection, token_hash: &str) -> Result<Option<ApiKey>> {
    let mut statement = connection.prepare_cached(&format!(
        "SELECT {KEY_COLUMNS} FROM api_key WHERE token_hash = ?1"
    ))?;
    let mut rows = statement.query([token_hash])?;
    match rows.next()? {
        Some(row) => Ok(Some(key_from_row(row)?)),
        None => Ok(None),
    }
}

/// Every key, oldest first.
pub fn list_keys(connection: &Connection) -> Result<Vec<ApiKey>> {
    let mut statement = connection.prepare(&format!(
        "SELECT {KEY_COLUMNS} FROM api_key ORDER BY created_at, id"
    ))?;
    let mut rows = statement.query([])?;
    let mut keys = Vec::new();
    while let Some(row) = rows.next()? {
        keys.push(key_from_row(row)?);
    }
    Ok(keys)
}

/// Marks a key revoked; false when no unrevoked key has this id.
pub fn revoke_key(connection: &Connection, id: &str, at: &str) -> Result<bool> {
    let changed = connection.execute(
        "UPDATE api_key SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
        params![id, at],
    )?;
    Ok(changed == 1)
}

/// The province (the office) of a comune, if the comune is known.
pub fn province_of(connection: &Connection, comune: &str) -> Result<Option<String>> {
    Ok(connection
        .query_row(
            "SELECT province FROM comune WHERE code = ?1",
            [comune],
            |row| row.get(0),
        )
        .optional()?)
}

/// Every comune's province: `code → province`.
pub fn provinces(connection: &Connection) -> Result<std::collections::HashMap<String, String>> {
    let mut statement = connection.prepare_cached("SELECT code, province FROM comune")?;
    let rows = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
    let mut map = std::collections::HashMap::new();
    for row in rows {
        let (code, province) = row?;
        map.insert(code, province);
    }
    Ok(map)
}

/// Appends audit entries (inside the caller's transaction).
pub fn append_audit(connection: &Connection, entries: &[AuditEntry]) -> Result<()> {
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
pub fn query_audit(connection: &Connection, query: &AuditQuery) -> Result<Vec<AuditRecord>> {
    let mut statement = connection.prepare_cached(
        "SELECT id, at, key_id, role, action, person_id, target, outcome FROM audit_log
         WHERE (?1 IS NULL OR person_id = ?1)
           AND (?2 IS NULL OR key_id = ?2)
           AND (?3 IS NULL OR action = ?3)
           AND (?4 IS NULL OR at >= ?4)
           AND (?5 IS NULL OR at < ?5)
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

/// Opens a second connection to the on-disk database for the audit writer, configured like the
/// main one (WAL, `synchronous=FULL`), so that its commits do not hold the store's writer mutex.
pub fn open_audit_connection(store: &super::Store) -> Result<Option<Connection>> {
    if store.path() == std::path::Path::new(":memory:") {
        return Ok(None);
    }
    let connection = Connection::open(store.path())?;
    super::configure(&connection)?;
    Ok(Some(connection))
}
