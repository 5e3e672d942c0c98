//! SQL of the access area: API keys and the append-only audit log.

pub(crate) mod accounts;
pub(crate) mod offices;

use crate::store::db::{params, Db, OptionalExtension, Param, Row};

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
    let mut values = Vec::with_capacity(entries.len() * 7);
    for entry in entries {
        values.extend([
            Param::Text(&entry.at),
            Param::Text(&entry.key_id),
            Param::Text(entry.role.as_str()),
            Param::Text(&entry.action),
            entry.person_id.as_deref().map_or(Param::Null, Param::Text),
            entry.target.as_deref().map_or(Param::Null, Param::Text),
            Param::Text(entry.outcome.as_str()),
        ]);
    }
    connection.insert_rows(
        "audit_log",
        &[
            "at",
            "key_id",
            "role",
            "action",
            "person_id",
            "target",
            "outcome",
        ],
        "",
        &values,
    )?;
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

/// Appends ranking log rows (inside the caller's transaction); returns their ids, in order.
pub fn append_rankings(connection: &Db<'_>, entries: &[RankingLogEntry]) -> Result<Vec<i64>> {
    const COLUMNS: [&str; 12] = [
        "at",
        "day",
        "key_id",
        "role",
        "office",
        "channel",
        "kind",
        "subject",
        "data_revision",
        "mode",
        "parameters",
        "results",
    ];
    let mut owned = Vec::with_capacity(entries.len());
    for entry in entries {
        let parameters = serde_json::to_string(&entry.request)
            .map_err(|error| Error::Internal(format!("ranking log parameters: {error}")))?;
        let results = serde_json::to_string(&entry.results)
            .map_err(|error| Error::Internal(format!("ranking log results: {error}")))?;
        owned.push((
            entry.day.to_string(),
            entry.request.subject(),
            parameters,
            results,
        ));
    }
    let mut ids = Vec::with_capacity(entries.len());
    // 64 rows per statement, one round trip each; the ids of one statement's rows are assigned
    // in the order of its VALUES (one after the other), so sorted they follow `entries`.
    for (chunk, owned) in entries.chunks(64).zip(owned.chunks(64)) {
        let mut values = Vec::with_capacity(chunk.len() * COLUMNS.len());
        for (entry, (day, subject, parameters, results)) in chunk.iter().zip(owned) {
            values.extend([
                Param::Text(&entry.at),
                Param::Text(day),
                Param::Text(&entry.key_id),
                Param::Text(entry.role.as_str()),
                entry.office.as_deref().map_or(Param::Null, Param::Text),
                Param::Text(entry.channel.as_str()),
                Param::Text(entry.request.kind().as_str()),
                Param::Text(subject),
                Param::Integer(entry.data_revision),
                Param::Text(entry.request.mode_name()),
                Param::Text(parameters),
                Param::Text(results),
            ]);
        }
        let sql = crate::store::db::multi_row_insert(
            "ranking_log",
            &COLUMNS,
            chunk.len(),
            "RETURNING id",
        );
        let mut statement = connection.prepare_cached(&sql)?;
        let mut rows = statement.query_values(&values)?;
        let mut these = Vec::with_capacity(chunk.len());
        while let Some(row) = rows.next()? {
            these.push(row.get::<_, i64>(0)?);
        }
        these.sort_unstable();
        ids.extend(these);
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
